//! The list parameters of RFC 7644 §3.4.2 — from a URI query string or a SearchRequest body
//! (§3.4.3) — read into one [`ListQuery`].
//!
//! Rules (each has vectors in `tests/vectors/protocol/query*.json`):
//! - Parameter and member names match in any ASCII case (`COUNT` is `count`); a parameter given
//!   twice, in any case, is an `invalidValue` error (`invalidSyntax` for a body member, as for
//!   any duplicate key). Parameters this module does not know are
//!   ignored (a host's own parameters, cache busters), while a SearchRequest member it does not
//!   know is `invalidSyntax` (the body must follow the request schema).
//! - The query string is `application/x-www-form-urlencoded`: `+` is a space, `%XX` escapes are
//!   bytes that must form UTF-8; a malformed escape is `invalidValue`.
//! - `startIndex` and `count` are integers: an optional `-` and digits, nothing else (no `+`,
//!   spaces, fraction or exponent; in JSON, a number written without fraction or exponent).
//!   `startIndex` below 1 is 1 and `count` below 0 is 0 (§3.4.2.4); `count` above
//!   [`QueryOptions::max_count`] is the maximum, and an absent `count` is
//!   [`QueryOptions::default_count`]. Values beyond 64 bits saturate (in a body too, where they
//!   arrive as floats), and `startIndex` is kept up to 2^32−1, the same in every runtime.
//! - `sortOrder` is `ascending` or `descending` in any case; the default is ascending (§3.4.2.3).
//! - `attributes` and `excludedAttributes` are comma-separated lists (white space around names
//!   is dropped; an empty name is `invalidValue`; an empty parameter is an empty list). Giving
//!   both is `invalidValue`: §3.4.2.5 lets a client use "one of these two", and `attributes`
//!   replaces the default set that `excludedAttributes` subtracts from, so together they have
//!   no meaning.
//! - A `filter` is kept as text ([`ListQuery::filter_text`]); a blank one is `invalidFilter`.
//! - Error locations are JSON pointers to the parameter as a SearchRequest member (`/count`),
//!   for the query string and the body alike.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::form::percent_decode;
use crate::error::{Error, Location, ScimType, UnknownName, excerpt};
use crate::urn;

/// The direction of a sort (RFC 7644 §3.4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    /// Smallest first; missing values last.
    #[default]
    Ascending,
    /// Largest first; missing values first.
    Descending,
}

impl SortOrder {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}

impl FromStr for SortOrder {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Ascending, Self::Descending]
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownName::new("sortOrder", s, "ascending, descending"))
    }
}

impl fmt::Display for SortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a service allows in a list request. Read from JSON with camelCase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct QueryOptions {
    /// The most resources one page may hold; a larger `count` is cut to it. Advertise the same
    /// number as `filter.maxResults` in the ServiceProviderConfig.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_count: usize,
    /// The page size when the request gives no `count` (never more than `max_count`).
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub default_count: usize,
    /// The quirk rules the filter is read with: `filterSubAttribute` (in `entra` and
    /// `compat`) reads `emails[type eq "work"].value eq "x"`.
    pub profile: crate::Profile,
}

impl Default for QueryOptions {
    fn default() -> Self {
        Self { max_count: 1000, default_count: 100, profile: crate::Profile::strict() }
    }
}

/// A list request, whichever way it came: filter, sorting, paging and attribute selection.
/// (Fields are in the sorted order of their JSON names, so the JSON comes out sorted.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// The attributes asked for (empty: the default set).
    pub attributes: Vec<String>,
    /// The page size, after the default and the maximum are applied.
    pub count: usize,
    /// The attributes left out of the default set.
    pub excluded_attributes: Vec<String>,
    /// The filter, as text (see [`ListQuery::filter_text`]).
    pub filter: Option<String>,
    /// The quirk rules that fired reading the request (`filterSubAttribute`); left out of the
    /// JSON when none did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quirks: Vec<crate::validate::Note>,
    /// The attribute to sort by, as given.
    pub sort_by: Option<String>,
    /// The sort direction (ascending unless asked otherwise).
    pub sort_order: SortOrder,
    /// The 1-based index of the first result (at least 1).
    pub start_index: usize,
}

impl ListQuery {
    /// A query with no filter, no sort, the first page of `options.default_count` resources and
    /// the default attributes.
    pub fn new(options: &QueryOptions) -> Self {
        Self {
            filter: None,
            quirks: Vec::new(),
            sort_by: None,
            sort_order: SortOrder::Ascending,
            start_index: 1,
            count: options.default_count.min(options.max_count),
            attributes: Vec::new(),
            excluded_attributes: Vec::new(),
        }
    }

    /// The filter text exactly as the client sent it (after percent-decoding), for the filter
    /// parser to read — or, when the rule `filterSubAttribute` read it, the filter it was read
    /// as, in canonical form. Blank filters never get here: they are refused as `invalidFilter`.
    pub fn filter_text(&self) -> Option<&str> {
        self.filter.as_deref()
    }

    /// Reads a URI query string (with or without the leading `?`).
    ///
    /// # Errors
    /// `invalidValue` for a malformed escape, a repeated parameter, a bad integer or sort order,
    /// an empty attribute name, or both attribute lists; `invalidFilter` for a blank filter.
    pub fn from_query_string(query: &str, options: &QueryOptions) -> Result<Self, Error> {
        let mut parts = Parts::new(ScimType::InvalidValue);
        for pair in query_pairs(query) {
            let (key, raw_value) = pair?;
            let Some(param) = Param::from_name(&key) else { continue };
            let value = percent_decode(raw_value).map_err(|d| invalid(d, param.location()))?;
            parts.set(param, Raw::Text(value))?;
        }
        parts.finish(options)
    }

    /// The parameters of a URI query string that [`ListQuery::from_query_string`] ignores:
    /// those RFC 7644 §3.4.2 does not name (a misspelled `filtre`; a service's own), decoded,
    /// in order. A name with a malformed escape is left out (reading the query refuses it).
    pub fn ignored_parameters(query: &str) -> Vec<String> {
        query_pairs(query)
            .filter_map(Result::ok)
            .map(|(key, _)| key)
            .filter(|key| Param::from_name(key).is_none())
            .collect()
    }

    /// Reads a SearchRequest body (RFC 7644 §3.4.3) given as JSON text, read strictly
    /// (duplicate keys in any case are refused).
    ///
    /// # Errors
    /// As [`ListQuery::from_search_request`], and `invalidSyntax` for malformed JSON.
    pub fn from_search_request_json(text: &str, options: &QueryOptions) -> Result<Self, Error> {
        let value = crate::json::parse_strict(text, &crate::Limits::default())?;
        Self::from_search_request(&value, options)
    }

    /// Reads a SearchRequest body (RFC 7644 §3.4.3). `null` members count as absent.
    ///
    /// # Errors
    /// `invalidSyntax` when the body is not an object or has a member the request schema does
    /// not define (or one twice); `invalidValue` when `schemas` is not exactly the
    /// SearchRequest URN or a member has the wrong type, and as [`ListQuery::from_query_string`].
    pub fn from_search_request(body: &Value, options: &QueryOptions) -> Result<Self, Error> {
        let Value::Object(members) = body else {
            return Err(
                Error::new(ScimType::InvalidSyntax, "a SearchRequest must be a JSON object").at(Location::root())
            );
        };
        let mut parts = Parts::new(ScimType::InvalidSyntax);
        let mut schemas = None;
        for (key, value) in members {
            if key.eq_ignore_ascii_case("schemas") {
                if schemas.replace(value).is_some() {
                    return Err(repeated(key, Location::root().key(key), ScimType::InvalidSyntax));
                }
                continue;
            }
            let Some(param) = Param::from_name(key) else {
                return Err(Error::new(
                    ScimType::InvalidSyntax,
                    format!("`{}` is not a SearchRequest member", excerpt(key)),
                )
                .at(Location::root().key(key)));
            };
            if value.is_null() {
                continue;
            }
            parts.set(param, Raw::Json(value))?;
        }
        check_schemas(schemas.filter(|s| !s.is_null()))?;
        parts.finish(options)
    }
}

/// The filter text to keep: as sent, or — when rule `filterSubAttribute` is on and the text
/// holds `].` — read now, with the default filter limits, and kept as the filter it reads as,
/// in canonical form, noted when the rule fired. Read then, a filter that does not parse is
/// refused here, with the parser's own reason (a limit, a syntax error), rather than later with
/// the grammar's objection to the form the rule reads.
///
/// # Errors
/// `invalidFilter` at `/filter`.
fn read_filter(text: String, options: &QueryOptions, quirks: &mut Vec<crate::validate::Note>) -> Result<String, Error> {
    if !options.profile.allows(crate::Quirk::FilterSubAttribute) || !text.contains("].") {
        return Ok(text);
    }
    // Without the parser's span: it counts in the filter as decoded, which is not the text
    // the caller has (a query string is percent-encoded), as no other error of a query has one.
    let read = crate::filter::Filter::parse_with_sub_attributes(&text, &crate::filter::FilterLimits::default())
        .map_err(|e| Error::new(ScimType::InvalidFilter, e.detail().to_owned()).at(Param::Filter.location()))?;
    Ok(match read {
        (filter, true) => {
            let read = filter.to_string();
            quirks.push(crate::validate::Note {
                code: crate::validate::NoteCode::Quirk,
                quirk: Some(crate::Quirk::FilterSubAttribute),
                location: Param::Filter.location(),
                detail: format!("the filter `{}` was read as `{}`", excerpt(&text), excerpt(&read)),
            });
            read
        }
        (_, false) => text,
    })
}

/// Checks that `schemas` is `[SearchRequest URN]`.
fn check_schemas(schemas: Option<&Value>) -> Result<(), Error> {
    let here = Location::root().key("schemas");
    let Some(schemas) = schemas else {
        return Err(invalid(format!("`schemas` is required and must be [\"{}\"]", urn::SEARCH_REQUEST), here));
    };
    let Value::Array(items) = schemas else {
        return Err(invalid("`schemas` must be an array of URNs".to_owned(), here));
    };
    if items.is_empty() {
        return Err(invalid(format!("`schemas` must be [\"{}\"]", urn::SEARCH_REQUEST), here));
    }
    for (i, item) in items.iter().enumerate() {
        if !item.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn::SEARCH_REQUEST)) || i > 0 {
            let shown = item.as_str().map_or_else(|| item.to_string(), str::to_owned);
            return Err(invalid(
                format!("`schemas` must hold only `{}`, found `{}`", urn::SEARCH_REQUEST, excerpt(&shown)),
                here.index(i),
            ));
        }
    }
    Ok(())
}

/// The parameters this module reads, with their wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    Filter,
    SortBy,
    SortOrder,
    StartIndex,
    Count,
    Attributes,
    ExcludedAttributes,
}

impl Param {
    const ALL: [Self; 7] = [
        Self::Filter,
        Self::SortBy,
        Self::SortOrder,
        Self::StartIndex,
        Self::Count,
        Self::Attributes,
        Self::ExcludedAttributes,
    ];

    const fn name(self) -> &'static str {
        match self {
            Self::Filter => "filter",
            Self::SortBy => "sortBy",
            Self::SortOrder => "sortOrder",
            Self::StartIndex => "startIndex",
            Self::Count => "count",
            Self::Attributes => "attributes",
            Self::ExcludedAttributes => "excludedAttributes",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    fn location(self) -> Location {
        Location::root().key(self.name())
    }
}

/// The parameters of a URI query string (with or without the leading `?`): each name decoded,
/// each value still encoded. `invalidValue` for a name with a malformed escape.
fn query_pairs(query: &str) -> impl Iterator<Item = Result<(String, &str), Error>> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(raw_key).map_err(|d| invalid(d, Location::root()))?;
        Ok((key, raw_value))
    })
}

/// Whether a URI query string names the `filter` parameter, as
/// [`ListQuery::from_query_string`] reads names (decoded, in any case), whatever its value.
///
/// # Errors
/// `invalidValue` for a parameter name with a malformed escape.
pub(super) fn names_filter(query: &str) -> Result<bool, Error> {
    for pair in query_pairs(query) {
        if Param::from_name(&pair?.0) == Some(Param::Filter) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A parameter value before it is checked: query-string text or a JSON member.
#[derive(Debug, Clone)]
enum Raw<'a> {
    Text(String),
    Json(&'a Value),
}

/// Each parameter at most once.
#[derive(Debug)]
struct Parts<'a> {
    values: [Option<Raw<'a>>; 7],
    /// The error for a parameter given twice: `invalidValue` in a query string,
    /// `invalidSyntax` in a body (a repeated member, like a duplicate key).
    repeated: ScimType,
}

impl<'a> Parts<'a> {
    const fn new(repeated: ScimType) -> Self {
        Self { values: [None, None, None, None, None, None, None], repeated }
    }

    fn set(&mut self, param: Param, value: Raw<'a>) -> Result<(), Error> {
        let slot = Param::ALL.iter().position(|p| *p == param).and_then(|i| self.values.get_mut(i));
        match slot {
            Some(slot @ None) => {
                *slot = Some(value);
                Ok(())
            }
            _ => Err(repeated(param.name(), param.location(), self.repeated)),
        }
    }

    fn take(&mut self, param: Param) -> Option<Raw<'a>> {
        let i = Param::ALL.iter().position(|p| *p == param)?;
        self.values.get_mut(i)?.take()
    }

    fn finish(mut self, options: &QueryOptions) -> Result<ListQuery, Error> {
        let mut query = ListQuery::new(options);
        if let Some(raw) = self.take(Param::Filter) {
            let text = text(Param::Filter, raw)?;
            if text.trim().is_empty() {
                return Err(Error::new(ScimType::InvalidFilter, "the filter is empty").at(Param::Filter.location()));
            }
            query.filter = Some(read_filter(text, options, &mut query.quirks)?);
        }
        if let Some(raw) = self.take(Param::SortBy) {
            let text = text(Param::SortBy, raw)?;
            if text.trim().is_empty() {
                return Err(invalid("`sortBy` is empty".to_owned(), Param::SortBy.location()));
            }
            query.sort_by = Some(text.trim().to_owned());
        }
        if let Some(raw) = self.take(Param::SortOrder) {
            let text = text(Param::SortOrder, raw)?;
            query.sort_order =
                text.parse().map_err(|e: UnknownName| invalid(e.to_string(), Param::SortOrder.location()))?;
        }
        if let Some(raw) = self.take(Param::StartIndex) {
            let n = integer(Param::StartIndex, &raw)?;
            query.start_index = n.clamp(1, MAX_START_INDEX).try_into().unwrap_or(1);
        }
        if let Some(raw) = self.take(Param::Count) {
            let n = integer(Param::Count, &raw)?;
            let n = if n < 0 { 0 } else { usize::try_from(n).unwrap_or(usize::MAX) };
            query.count = n.min(options.max_count);
        }
        if let Some(raw) = self.take(Param::Attributes) {
            query.attributes = names(Param::Attributes, raw)?;
        }
        if let Some(raw) = self.take(Param::ExcludedAttributes) {
            query.excluded_attributes = names(Param::ExcludedAttributes, raw)?;
        }
        if !query.attributes.is_empty() && !query.excluded_attributes.is_empty() {
            return Err(both_lists(Param::ExcludedAttributes.location()));
        }
        Ok(query)
    }
}

/// The error for a request giving both `attributes` and `excludedAttributes`.
pub(super) fn both_lists(location: Location) -> Error {
    invalid("`attributes` and `excludedAttributes` cannot be used together".to_owned(), location)
}

fn invalid(detail: String, location: Location) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(location)
}

fn repeated(name: &str, location: Location, kind: ScimType) -> Error {
    Error::new(kind, format!("`{}` is given more than once", excerpt(name))).at(location)
}

fn text(param: Param, raw: Raw<'_>) -> Result<String, Error> {
    match raw {
        Raw::Text(t) => Ok(t),
        Raw::Json(Value::String(s)) => Ok(s.clone()),
        Raw::Json(_) => Err(invalid(format!("`{}` must be a string", param.name()), param.location())),
    }
}

/// Reads an integer: in text `-?[0-9]+`, in JSON a number without fraction or exponent.
/// Values beyond `i64` saturate. (A JSON integer beyond 64 bits reaches here as a float, like
/// one written with an exponent; any float of that size is a whole number, and saturates too,
/// however it was written.)
fn integer(param: Param, raw: &Raw<'_>) -> Result<i64, Error> {
    let bad = |found: &str| {
        invalid(format!("`{}` must be an integer, found `{}`", param.name(), excerpt(found)), param.location())
    };
    match raw {
        Raw::Text(t) => parse_integer(t).ok_or_else(|| bad(t)),
        Raw::Json(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.abs() >= BEYOND_I64)
                    .map(|f| if f.is_sign_negative() { i64::MIN } else { i64::MAX })
            })
            .ok_or_else(|| {
                if crate::json::is_negative_zero(n) {
                    let detail = format!("`{}` is `-0`{}", param.name(), crate::json::NEGATIVE_ZERO_READ_AS);
                    return invalid(detail, param.location());
                }
                bad(&n.to_string())
            }),
        Raw::Json(other) => Err(bad(&other.to_string())),
    }
}

/// The largest `startIndex` kept; larger ones read as this. It is past any list a service holds,
/// and the same in every runtime (WebAssembly's `usize` is 32 bits; JavaScript numbers are
/// exact only up to 2^53).
const MAX_START_INDEX: i64 = 4_294_967_295;

/// 2^63: no `i64` is this large, and every `f64` this large is a whole number.
const BEYOND_I64: f64 = 9_223_372_036_854_775_808.0;

/// `-?[0-9]+`, saturating at the `i64` bounds.
fn parse_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0_i64, |acc, b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')));
    Some(if negative { -magnitude } else { magnitude })
}

fn names(param: Param, raw: Raw<'_>) -> Result<Vec<String>, Error> {
    let empty = || invalid(format!("`{}` has an empty attribute name", param.name()), param.location());
    match raw {
        Raw::Text(t) if t.trim().is_empty() => Ok(Vec::new()),
        Raw::Text(t) => t
            .split(',')
            .map(|n| {
                let n = n.trim();
                if n.is_empty() { Err(empty()) } else { Ok(n.to_owned()) }
            })
            .collect(),
        Raw::Json(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item.as_str().map(str::trim) {
                Some("") => Err(empty().at(param.location().index(i))),
                Some(n) => Ok(n.to_owned()),
                None => {
                    Err(invalid(format!("every `{}` entry must be a string", param.name()), param.location().index(i)))
                }
            })
            .collect(),
        Raw::Json(_) => Err(invalid(format!("`{}` must be an array of strings", param.name()), param.location())),
    }
}

/// Reads `attributes`/`excludedAttributes` given as members of a JSON object (for the JSON
/// boundary): arrays of strings or comma-separated strings, `null` or absent meaning none.
pub(crate) fn attribute_lists(input: &Map<String, Value>) -> Result<(Vec<String>, Vec<String>), Error> {
    let mut lists = (Vec::new(), Vec::new());
    for (key, value) in input {
        let (param, slot) = match Param::from_name(key) {
            Some(p @ Param::Attributes) => (p, &mut lists.0),
            Some(p @ Param::ExcludedAttributes) => (p, &mut lists.1),
            _ => continue,
        };
        *slot = match value {
            Value::Null => Vec::new(),
            Value::String(s) => names(param, Raw::Text(s.clone()))?,
            other => names(param, Raw::Json(other))?,
        };
    }
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(text: &str) -> Result<ListQuery, Error> {
        ListQuery::from_query_string(text, &QueryOptions::default())
    }

    #[test]
    fn reads_every_parameter() {
        let query = q("?filter=userName+eq+%22bj%C3%A9%22&sortBy=name.familyName&sortOrder=DESCENDING&startIndex=3&count=7&attributes=userName,%20emails").unwrap();
        assert_eq!(query.filter_text(), Some("userName eq \"bjé\""));
        assert_eq!(query.sort_by.as_deref(), Some("name.familyName"));
        assert_eq!(query.sort_order, SortOrder::Descending);
        assert_eq!((query.start_index, query.count), (3, 7));
        assert_eq!(query.attributes, ["userName", "emails"]);
    }

    #[test]
    fn integers_are_strict_and_clamped() {
        assert_eq!(q("startIndex=0&count=-4").unwrap().start_index, 1);
        assert_eq!(q("count=-4").unwrap().count, 0);
        assert_eq!(q("count=99999999999999999999999").unwrap().count, 1000);
        assert_eq!(q("").unwrap().count, 100);
        for bad in ["count=%2B5", "count=+5", "count=1.0", "count=", "count=1e2", "count=--1"] {
            assert_eq!(q(bad).unwrap_err().scim_type(), Some(ScimType::InvalidValue), "{bad}");
        }
    }

    #[test]
    fn decoding_errors_and_repeats() {
        assert!(q("filter=%zz").is_err());
        assert!(q("filter=%C3").is_err());
        assert_eq!(q("count=1&COUNT=2").unwrap_err().location().unwrap().as_str(), "/count");
        assert!(q("other=1&other=2").is_ok());
        assert_eq!(ListQuery::ignored_parameters("?filtre=x&COUNT=2&%78y=1&bad%zz=1"), ["filtre", "xy"]);
    }

    #[test]
    fn search_request_body() {
        let body = json!({"schemas": [urn::SEARCH_REQUEST], "attributes": ["userName"], "count": 5, "filter": null});
        let query = ListQuery::from_search_request(&body, &QueryOptions::default()).unwrap();
        assert_eq!(query.attributes, ["userName"]);
        assert_eq!(query.count, 5);
        let unknown = json!({"schemas": [urn::SEARCH_REQUEST], "sortby": "x", "nope": 1});
        let e = ListQuery::from_search_request(&unknown, &QueryOptions::default()).unwrap_err();
        assert_eq!(e.scim_type(), Some(ScimType::InvalidSyntax));
        assert!(ListQuery::from_search_request(&json!({"count": 1}), &QueryOptions::default()).is_err());
    }

    #[test]
    fn negative_zero_in_a_body_says_how_it_was_read() {
        let body = format!(r#"{{"schemas": ["{}"], "startIndex": -0}}"#, urn::SEARCH_REQUEST);
        let e = ListQuery::from_search_request_json(&body, &QueryOptions::default()).unwrap_err();
        assert_eq!(e.location().map(Location::as_str), Some("/startIndex"));
        assert!(e.to_string().contains("`startIndex` is `-0`, read as the decimal −0.0"), "{e}");
        // In a query string `-0` is the integer text it is.
        assert_eq!(q("count=-0").unwrap().count, 0);
    }
}
