//! Reading and checking a BulkRequest (RFC 7644 §3.7, §3.7.4).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Location, ScimType, UnknownName, excerpt};
use crate::urn;

/// The limits of RFC 7644 §3.7.4 (advertise the same in the ServiceProviderConfig). Read from
/// JSON with camelCase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct BulkLimits {
    /// The most operations one request may hold.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_operations: usize,
    /// The largest request body, in bytes.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_payload_size: usize,
}

impl Default for BulkLimits {
    fn default() -> Self {
        Self { max_operations: 1000, max_payload_size: 1_048_576 }
    }
}

/// The method of one bulk operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum BulkMethod {
    /// Create a resource at an endpoint.
    Post,
    /// Replace a resource.
    Put,
    /// Modify a resource.
    Patch,
    /// Delete a resource.
    Delete,
}

impl BulkMethod {
    /// The wire spelling (`POST`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl FromStr for BulkMethod {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Post, Self::Put, Self::Patch, Self::Delete]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownName::new("bulk method", s, "POST, PUT, PATCH, DELETE"))
    }
}

impl fmt::Display for BulkMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation of a bulk request, checked. (Fields are in the sorted order of their JSON
/// names, so the JSON comes out sorted.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOperation {
    /// The client's transient id for the resource (required for POST).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_id: Option<String>,
    /// The body (POST, PUT, PATCH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// The method.
    pub method: BulkMethod,
    /// `/Users` for POST, `/Users/<id>` otherwise (the id may be `bulkId:<bulkId>`).
    pub path: String,
    /// The version the client expects (an entity tag), for PUT, PATCH and DELETE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl BulkOperation {
    /// The endpoint part of `path` (`/Users`).
    pub fn endpoint(&self) -> &str {
        let rest = self.path.strip_prefix('/').unwrap_or(&self.path);
        let n = rest.find('/').map_or(self.path.len(), |i| i + 1);
        self.path.get(..n).unwrap_or(&self.path)
    }
}

/// A bulk request, checked: every operation well formed, within the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    /// Stop after this many errors (RFC 7644 §3.7.3); `None`: process every operation.
    pub fail_on_errors: Option<u64>,
    /// The operations, in request order.
    pub operations: Vec<BulkOperation>,
}

fn invalid(detail: String, location: Location) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(location)
}

fn syntax(detail: String, location: Location) -> Error {
    Error::new(ScimType::InvalidSyntax, detail).at(location)
}

/// The members of `obj` by their names in `known` (any case): a member not known, or one given
/// twice, is `invalidSyntax`. `null` members count as absent.
fn members<'a, const N: usize>(
    obj: &'a Map<String, Value>,
    known: [&str; N],
    what: &str,
    at: &Location,
) -> Result<[Option<(&'a str, &'a Value)>; N], Error> {
    let mut found = [None; N];
    for (key, value) in obj {
        let Some(slot) = known.iter().position(|k| k.eq_ignore_ascii_case(key)).and_then(|i| found.get_mut(i)) else {
            return Err(syntax(format!("`{}` is not a member of {what}", excerpt(key)), at.clone().key(key)));
        };
        if slot.is_some() {
            return Err(syntax(format!("`{}` is given more than once", excerpt(key)), at.clone().key(key)));
        }
        if !value.is_null() {
            *slot = Some((key.as_str(), value));
        }
    }
    Ok(found)
}

fn string<'a>(member: Option<(&str, &'a Value)>, name: &str, at: &Location) -> Result<Option<&'a str>, Error> {
    match member {
        None => Ok(None),
        Some((_, Value::String(s))) => Ok(Some(s)),
        Some((key, _)) => Err(invalid(format!("`{name}` must be a string"), at.clone().key(key))),
    }
}

impl BulkRequest {
    /// Reads a BulkRequest from JSON text, checking `maxPayloadSize` before reading.
    ///
    /// # Errors
    /// 413 (no `scimType`) over a limit; `invalidSyntax` for malformed JSON or an unknown or
    /// repeated member; `invalidValue` for a wrong or missing value.
    pub fn from_json(text: &str, limits: &BulkLimits) -> Result<Self, Error> {
        if text.len() > limits.max_payload_size {
            return Err(Error::new(
                ErrorKind::PayloadTooLarge,
                format!(
                    "the bulk request is {} bytes, more than maxPayloadSize ({})",
                    text.len(),
                    limits.max_payload_size
                ),
            ));
        }
        let json_limits = crate::Limits { max_body_bytes: usize::MAX, ..crate::Limits::default() };
        let value = crate::json::parse_strict(text, &json_limits)?;
        Self::from_value(&value, limits)
    }

    /// Reads a BulkRequest from a JSON value, checking `maxOperations` (the payload size is
    /// only known from the text: see [`BulkRequest::from_json`]).
    ///
    /// # Errors
    /// As [`BulkRequest::from_json`].
    pub fn from_value(value: &Value, limits: &BulkLimits) -> Result<Self, Error> {
        let root = Location::root();
        let obj =
            value.as_object().ok_or_else(|| syntax("a BulkRequest must be a JSON object".into(), root.clone()))?;
        let [schemas, fail_on_errors, operations] =
            members(obj, ["schemas", "failOnErrors", "Operations"], "a BulkRequest", &root)?;
        check_schemas(schemas)?;
        let fail_on_errors = match fail_on_errors {
            None => None,
            Some((_, Value::Number(n))) if n.as_i64().is_some_and(|n| n >= 0) || n.is_u64() => {
                Some(n.as_u64().unwrap_or(u64::MAX))
            }
            Some((key, other)) => {
                return Err(invalid(
                    format!("`failOnErrors` must be an integer of at least 0, found `{}`", excerpt(&other.to_string())),
                    root.clone().key(key),
                ));
            }
        };
        let Some((ops_key, ops)) = operations else {
            return Err(invalid("`Operations` is required".into(), root));
        };
        let ops_at = root.key(ops_key);
        let Value::Array(items) = ops else {
            return Err(invalid("`Operations` must be an array".into(), ops_at));
        };
        if items.len() > limits.max_operations {
            return Err(Error::new(
                ErrorKind::PayloadTooLarge,
                format!(
                    "the bulk request has {} operations, more than maxOperations ({})",
                    items.len(),
                    limits.max_operations
                ),
            )
            .at(ops_at));
        }
        let mut operations: Vec<BulkOperation> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = ops_at.clone().index(i);
            let op = operation(item, &at)?;
            if let Some(id) = &op.bulk_id {
                if operations.iter().any(|o| o.bulk_id.as_ref() == Some(id)) {
                    return Err(invalid(
                        format!("`bulkId` `{}` is used by an earlier operation", excerpt(id)),
                        at.key("bulkId"),
                    ));
                }
            }
            operations.push(op);
        }
        Ok(Self { fail_on_errors, operations })
    }
}

fn check_schemas(schemas: Option<(&str, &Value)>) -> Result<(), Error> {
    let want = || format!("`schemas` must be [\"{}\"]", urn::BULK_REQUEST);
    let Some((key, value)) = schemas else {
        return Err(invalid(want(), Location::root().key("schemas")));
    };
    let at = Location::root().key(key);
    match value.as_array().map(Vec::as_slice) {
        Some([only]) if only.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn::BULK_REQUEST)) => Ok(()),
        _ => Err(invalid(want(), at)),
    }
}

/// Reads one operation at `at`.
fn operation(item: &Value, at: &Location) -> Result<BulkOperation, Error> {
    let obj = item.as_object().ok_or_else(|| syntax("a bulk operation must be a JSON object".into(), at.clone()))?;
    let [method, bulk_id, version, path, data] =
        members(obj, ["method", "bulkId", "version", "path", "data"], "a bulk operation", at)?;
    let method = match method {
        None => return Err(invalid("`method` is required".into(), at.clone())),
        Some((key, Value::String(s))) => {
            s.parse::<BulkMethod>().map_err(|e| invalid(e.to_string(), at.clone().key(key)))?
        }
        Some((key, _)) => return Err(invalid("`method` must be a string".into(), at.clone().key(key))),
    };
    let bulk_id_at = bulk_id.map_or_else(|| at.clone().key("bulkId"), |(k, _)| at.clone().key(k));
    let bulk_id = string(bulk_id, "bulkId", at)?;
    if bulk_id == Some("") {
        return Err(invalid("`bulkId` must not be empty".into(), bulk_id_at));
    }
    if method == BulkMethod::Post && bulk_id.is_none() {
        return Err(invalid("a POST operation needs a `bulkId`".into(), at.clone()));
    }
    let version = string(version, "version", at)?;
    let path_at = path.map_or_else(|| at.clone().key("path"), |(k, _)| at.clone().key(k));
    let path = string(path, "path", at)?.ok_or_else(|| invalid("`path` is required".into(), at.clone()))?;
    check_path(method, path).map_err(|d| invalid(d, path_at))?;
    let data = match (method, data) {
        (BulkMethod::Delete, None) => None,
        (BulkMethod::Delete, Some((key, _))) => {
            return Err(syntax("a DELETE operation takes no `data`".into(), at.clone().key(key)));
        }
        (_, None) => return Err(invalid(format!("a {method} operation needs `data`"), at.clone())),
        (_, Some((_, d @ Value::Object(_)))) => Some(d.clone()),
        (_, Some((key, _))) => return Err(invalid("`data` must be a JSON object".into(), at.clone().key(key))),
    };
    Ok(BulkOperation {
        bulk_id: bulk_id.map(str::to_owned),
        data,
        method,
        path: path.to_owned(),
        version: version.map(str::to_owned),
    })
}

/// POST: `/<endpoint>`; otherwise `/<endpoint>/<id>`. Segments are not empty, and each is URI
/// (or IRI) text as it stands (RFC 3986 §3.3: what else there is percent-encoded, escapes well
/// formed),
/// not `.` or `..` (which a URI resolves away): the path is put into `location`s as it is.
fn check_path(method: BulkMethod, path: &str) -> Result<(), String> {
    let segments: Vec<&str> = path.strip_prefix('/').map(|p| p.split('/').collect()).unwrap_or_default();
    let ok = !segments.is_empty() && segments.iter().all(|s| !s.is_empty());
    match (method, segments.len()) {
        (BulkMethod::Post, 1) if ok => {}
        (BulkMethod::Post, _) => {
            return Err(format!("the `path` of a POST must be an endpoint like `/Users`, found `{}`", excerpt(path)));
        }
        (_, 2) if ok => {}
        _ => return Err(format!("the `path` of a {method} must be like `/Users/<id>`, found `{}`", excerpt(path))),
    }
    for (position, segment) in segments.iter().enumerate() {
        if position == 1 && segment.starts_with(super::plan::BULK_ID_PREFIX) {
            // The id as a reference: replaced by the encoded id before the path is used (a
            // bulkId may hold any character). An endpoint is never one.
            continue;
        }
        if let Some(c) = segment.chars().find(|c| !in_segment(*c)) {
            return Err(format!(
                "the `path` `{}` is not URI text: `{}` must be percent-encoded in a path (RFC 3986 §3.3)",
                excerpt(path),
                c.escape_default()
            ));
        }
        match crate::protocol::form::percent_decode_segment(segment) {
            Err(why) => return Err(format!("the `path` `{}` has a {why}", excerpt(path))),
            Ok(decoded) if decoded == "." || decoded == ".." => {
                return Err(format!(
                    "the `path` `{}` names no resource: `{segment}` is resolved away in a URI",
                    excerpt(path)
                ));
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Whether `c` may stand in a URI path segment as it is (RFC 3986 `pchar`, with `%` for the
/// escapes, checked apart), or in an IRI's (RFC 3987 `ucschar`: a letter such as `é` need not
/// be encoded).
fn in_segment(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "-._~!$&'()*+,;=:@%".contains(c)
        || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}
