//! The error response body of RFC 7644 §3.12 for any [`Error`].
//!
//! ```json
//! {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
//!  "status": "400", "scimType": "invalidValue", "detail": "…"}
//! ```
//! - `status` is a JSON string, as the RFC shows it; `scimType` only when the kind has one.
//! - Several errors (a failed validation): `status`, `scimType` and the location are the
//!   first error's, and `detail` counts them and quotes the first (`3 errors; the first: …`).
//! - Where the RFC body has no room — more than one error, or a location or span — the body
//!   also carries the extension [`ERRORS_EXTENSION`] (listed in `schemas`), holding
//!   `{"errors": [{"scimType"?, "status", "location"?, "span"?, "detail"}…]}` with every error.
//!   Clients that do not know it ignore it; an error with neither gives exactly the RFC body.

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::urn;

/// The URN of scimkit's error-detail extension to the RFC 7644 §3.12 error body.
pub const ERRORS_EXTENSION: &str = "urn:scimkit:api:messages:2.0:Errors";

/// One error as a record of the extension.
fn record(e: &Error) -> Value {
    let mut r = Map::new();
    if let Some(t) = e.scim_type() {
        r.insert("scimType".into(), t.as_str().into());
    }
    r.insert("status".into(), e.status().to_string().into());
    if let Some(loc) = e.location() {
        r.insert("location".into(), loc.as_str().into());
    }
    if let Some(span) = e.span() {
        r.insert("span".into(), json!({"start": span.start, "end": span.end}));
    }
    if !e.detail().is_empty() {
        r.insert("detail".into(), e.detail().into());
    }
    Value::Object(r)
}

/// The RFC 7644 §3.12 body for `error`, with scimkit's extension when it has more to say.
pub fn error_response(error: &Error) -> Value {
    let errors = error.errors();
    let extended = errors.len() > 1 || errors.iter().any(|e| e.location().is_some() || e.span().is_some());
    let mut schemas = vec![Value::from(urn::ERROR)];
    let mut body = Map::new();
    if let Some(t) = error.scim_type() {
        body.insert("scimType".into(), t.as_str().into());
    }
    // Optional in RFC 7644 §3.12: left out when empty, as `Error::to_response` does.
    if !error.detail().is_empty() {
        body.insert("detail".into(), error.detail().into());
    }
    body.insert("status".into(), error.status().to_string().into());
    if extended {
        schemas.push(ERRORS_EXTENSION.into());
        body.insert(ERRORS_EXTENSION.into(), json!({"errors": errors.iter().map(record).collect::<Vec<_>>()}));
    }
    body.insert("schemas".into(), Value::Array(schemas));
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, Location, ScimType};

    #[test]
    fn plain_error_is_the_rfc_body() {
        let e = Error::new(ErrorKind::NotFound, "resource `x` not found");
        assert_eq!(error_response(&e), e.to_response());
        assert!(error_response(&e).get("scimType").is_none());
    }

    #[test]
    fn several_errors_are_all_listed() {
        let a = Error::new(ScimType::InvalidValue, "a").at(Location::root().key("userName"));
        let b = Error::new(ScimType::InvalidSyntax, "b").at(Location::root().key("x"));
        let body = error_response(&Error::collect(vec![a, b]).unwrap());
        assert_eq!(body["detail"], "2 errors; the first: a");
        assert_eq!(body["schemas"][1], ERRORS_EXTENSION);
        assert_eq!(body[ERRORS_EXTENSION]["errors"][1]["location"], "/x");
        assert_eq!(body[ERRORS_EXTENSION]["errors"][1]["status"], "400");
    }
}
