//! Versions (RFC 7644 §3.14): a weak entity tag computed from a resource, and the `If-Match` /
//! `If-None-Match` preconditions of RFC 7232 evaluated against the current version.
//!
//! - The tag is `W/"<16 hex digits>"`: FNV-1a (64 bits) over a canonical encoding of the
//!   resource — object keys sorted, every value typed and length-prefixed — leaving out the
//!   top-level `meta` (any case). So the tag depends on the content only: filling `meta`
//!   (location per base URL, timestamps, the version itself) does not change it, and the same
//!   content gives the same tag in every runtime and release. It is weak: equal tags mean
//!   semantically equal content, not byte-equal bodies.
//! - Comparison is weak for both headers. RFC 7232 asks for strong comparison on `If-Match`,
//!   but SCIM versions are weak tags (RFC 7644 §3.14 sends `If-Match: W/"…"`), so strong
//!   comparison would refuse every SCIM client.
//! - Order (RFC 7232 §6): `If-Match` first — `*` needs a current resource, a list needs one
//!   matching tag, else 412; then `If-None-Match` — `*` or a matching tag gives 304 for
//!   GET/HEAD and 412 otherwise.
//! - A header that is blank counts as absent; one that is not `*` or a list of entity tags is
//!   `invalidValue`. A stored version without quotes (`abc`) is taken as the tag `"abc"`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind, ScimType, UnknownName, excerpt};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over bytes fed in pieces.
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }

    fn len(&mut self, n: usize) {
        self.bytes(&u64::try_from(n).unwrap_or(u64::MAX).to_le_bytes());
    }
}

/// A step of the canonical encoding, walked with an explicit stack (no recursion on input).
enum Step<'a> {
    Value(&'a Value),
    Key(&'a str),
    Close(u8),
}

/// The 64-bit content hash of `resource` (top-level `meta` left out).
pub fn content_hash(resource: &Value) -> u64 {
    let mut h = Fnv(FNV_OFFSET);
    let mut stack = vec![Step::Value(resource)];
    let mut top = true;
    while let Some(step) = stack.pop() {
        match step {
            Step::Key(k) => {
                h.bytes(b"k");
                h.len(k.len());
                h.bytes(k.as_bytes());
            }
            Step::Close(c) => h.bytes(&[c]),
            Step::Value(Value::Null) => h.bytes(b"n"),
            Step::Value(Value::Bool(b)) => h.bytes(if *b { b"t" } else { b"f" }),
            Step::Value(Value::Number(n)) => {
                // One number, one encoding: `1.0` (a Python float, a double in JSON text) and
                // `1` (a JS number) are the same content, so a whole double, of any size, is
                // encoded as the integer it is (`1e16` from Python is JS's 10000000000000000).
                let text = crate::value::whole_double_digits(n, f64::MAX).unwrap_or_else(|| n.to_string());
                h.bytes(b"#");
                h.len(text.len());
                h.bytes(text.as_bytes());
            }
            Step::Value(Value::String(s)) => {
                h.bytes(b"s");
                h.len(s.len());
                h.bytes(s.as_bytes());
            }
            Step::Value(Value::Array(items)) => {
                h.bytes(b"[");
                h.len(items.len());
                stack.push(Step::Close(b']'));
                stack.extend(items.iter().rev().map(Step::Value));
            }
            Step::Value(Value::Object(map)) => {
                let mut entries: Vec<(&str, &Value)> = map
                    .iter()
                    .filter(|(k, _)| !(top && k.eq_ignore_ascii_case("meta")))
                    .map(|(k, v)| (k.as_str(), v))
                    .collect();
                // serde_json's map iterates in key order unless its `preserve_order` feature is
                // on; then a map sorts the keys (unique, so the order is the same as a sort's,
                // without a copy of the sort code for this one case).
                if !entries.is_sorted_by(|a, b| a.0 < b.0) {
                    let mut sorted = BTreeMap::new();
                    for (k, v) in entries.drain(..) {
                        sorted.insert(k, v);
                    }
                    entries.extend(sorted);
                }
                h.bytes(b"{");
                h.len(entries.len());
                stack.push(Step::Close(b'}'));
                for (k, v) in entries.into_iter().rev() {
                    stack.push(Step::Value(v));
                    stack.push(Step::Key(k));
                }
            }
        }
        top = false;
    }
    h.0
}

/// The weak entity tag of `resource`: `W/"<16 hex digits>"`.
pub fn etag(resource: &Value) -> String {
    let mut tag = String::with_capacity(20);
    let _ = write!(tag, "W/\"{:016x}\"", content_hash(resource));
    tag
}

/// An HTTP request method, for precondition evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Every method.
    pub const ALL: [Self; 6] = [Self::Get, Self::Head, Self::Post, Self::Put, Self::Patch, Self::Delete];

    /// The wire spelling (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl FromStr for Method {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownName::new("method", s, "GET, HEAD, POST, PUT, PATCH, DELETE"))
    }
}

/// The outcome of the preconditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Precondition {
    /// Go on with the request.
    Proceed,
    /// 304: answer a GET or HEAD without a body.
    NotModified,
    /// 412: refuse the request.
    PreconditionFailed,
}

impl Precondition {
    /// The status to answer with instead of going on, if any.
    pub const fn status(self) -> Option<u16> {
        match self {
            Self::Proceed => None,
            Self::NotModified => Some(304),
            Self::PreconditionFailed => Some(412),
        }
    }

    /// The name (`proceed`, `notModified`, `preconditionFailed`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Proceed => "proceed",
            Self::NotModified => "notModified",
            Self::PreconditionFailed => "preconditionFailed",
        }
    }

    /// The 412 error to answer with, for [`Precondition::PreconditionFailed`].
    pub fn to_error(self) -> Option<Error> {
        (self == Self::PreconditionFailed).then(|| {
            Error::new(ErrorKind::PreconditionFailed, "the resource version does not match the request's precondition")
        })
    }
}

/// A parsed `If-Match` / `If-None-Match` value.
#[derive(Debug, PartialEq, Eq)]
enum Tags<'a> {
    Any,
    /// The opaque tags (between the quotes); weakness does not matter to weak comparison.
    List(Vec<&'a str>),
}

/// Whether `b` may appear inside an entity tag's quotes (RFC 7232 `etagc`).
const fn is_etagc(b: u8) -> bool {
    b == 0x21 || (b >= 0x23 && b != 0x7f)
}

/// Reads one `entity-tag` (`[W/] DQUOTE *etagc DQUOTE`) at the start of `text`: the opaque
/// tag and the rest.
fn entity_tag(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix("W/").unwrap_or(text);
    let body = text.strip_prefix('"')?;
    let end = body.bytes().position(|b| !is_etagc(b))?;
    let (opaque, rest) = (body.get(..end)?, body.get(end..)?);
    Some((opaque, rest.strip_prefix('"')?))
}

/// `"*" / 1#entity-tag`, with optional white space and empty list elements; `None` when blank.
fn parse_tags<'a>(header: &'a str, name: &str) -> Result<Option<Tags<'a>>, Error> {
    let trimmed = header.trim_matches([' ', '\t']);
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed == "*" {
        return Ok(Some(Tags::Any));
    }
    let bad = || {
        Error::new(
            ScimType::InvalidValue,
            format!("`{name}` must be `*` or a list of entity tags, found `{}`", excerpt(header)),
        )
    };
    let mut tags = Vec::new();
    let mut rest = trimmed;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        let (opaque, after) = entity_tag(rest).ok_or_else(bad)?;
        tags.push(opaque);
        rest = after.trim_start_matches([' ', '\t']);
        if !(rest.is_empty() || rest.starts_with(',')) {
            return Err(bad());
        }
    }
    if tags.is_empty() {
        return Err(bad());
    }
    Ok(Some(Tags::List(tags)))
}

/// The opaque tag of a stored version: an entity tag, or bare text taken as the tag itself.
fn opaque(version: &str) -> &str {
    let version = version.trim();
    match entity_tag(version) {
        Some((tag, "")) => tag,
        _ => version,
    }
}

/// Evaluates `If-Match` and `If-None-Match` for a request with `method` on a resource whose
/// current version is `current` (`None`: the resource does not exist).
///
/// # Errors
/// `invalidValue` when a header is neither `*` nor a list of entity tags.
pub fn evaluate_preconditions(
    method: Method,
    current: Option<&str>,
    if_match: Option<&str>,
    if_none_match: Option<&str>,
) -> Result<Precondition, Error> {
    let current = current.map(opaque);
    let matches = |tags: &Tags<'_>| match (tags, current) {
        (Tags::Any, Some(_)) => true,
        (Tags::List(list), Some(c)) => list.contains(&c),
        (_, None) => false,
    };
    if let Some(tags) = if_match.map(|h| parse_tags(h, "If-Match")).transpose()?.flatten() {
        if !matches(&tags) {
            return Ok(Precondition::PreconditionFailed);
        }
    }
    if let Some(tags) = if_none_match.map(|h| parse_tags(h, "If-None-Match")).transpose()?.flatten() {
        if matches(&tags) {
            return Ok(if matches!(method, Method::Get | Method::Head) {
                Precondition::NotModified
            } else {
                Precondition::PreconditionFailed
            });
        }
    }
    Ok(Precondition::Proceed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tag_ignores_key_order_and_meta() {
        let a = json!({"userName": "bjensen", "id": "1", "meta": {"version": "W/\"x\""}});
        let b = json!({"id": "1", "userName": "bjensen"});
        assert_eq!(etag(&a), etag(&b));
        assert_ne!(etag(&b), etag(&json!({"id": "1", "userName": "bjensen2"})));
        assert_ne!(etag(&json!(["ab", "c"])), etag(&json!(["a", "bc"])));
        let tag = etag(&b);
        assert!(tag.starts_with("W/\"") && tag.len() == 20, "{tag}");
    }

    #[test]
    fn hash_is_stable_across_releases() {
        // FNV-1a is fixed by its definition: this value must never change.
        assert_eq!(etag(&json!({})), etag(&json!({"meta": {}})));
        assert_eq!(content_hash(&json!(null)), 0xaf63_e34c_8601_f871);
    }

    #[test]
    fn preconditions_follow_rfc_7232() {
        let v = Some("W/\"abc\"");
        let eval = |m, im, inm| evaluate_preconditions(m, v, im, inm).unwrap();
        assert_eq!(eval(Method::Put, Some("W/\"abc\""), None), Precondition::Proceed);
        assert_eq!(eval(Method::Put, Some("\"abc\""), None), Precondition::Proceed);
        assert_eq!(eval(Method::Put, Some("W/\"x\", W/\"y\""), None), Precondition::PreconditionFailed);
        assert_eq!(eval(Method::Get, None, Some("W/\"abc\"")), Precondition::NotModified);
        assert_eq!(eval(Method::Delete, None, Some("*")), Precondition::PreconditionFailed);
        assert_eq!(
            evaluate_preconditions(Method::Put, None, Some("*"), None).unwrap(),
            Precondition::PreconditionFailed
        );
        assert!(evaluate_preconditions(Method::Put, v, Some("abc"), None).is_err());
        assert_eq!(eval(Method::Put, Some("  "), None), Precondition::Proceed);
    }
}
