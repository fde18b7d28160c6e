//! The one error conversion: a core [`Error`] (with the notes of a failed validation) becomes
//! the error JSON the JS layer turns into a `ScimError`:
//!
//! ```json
//! {"scimType"?, "status", "location"?, "span"?, "detail", "message",
//!  "errors": [{"scimType"?, "status", "location"?, "span"?, "detail"}…], "notes": […],
//!  "response": RFC 7644 §3.12 body, "errorResponse": the body with scimkit's error list}
//! ```
//!
//! Spans are the core's byte offsets; the JS layer converts them to UTF-16 offsets of the string
//! they point into. A panic anywhere in an export is caught by [`guard`] (native) and becomes an
//! internal error (status 500); in WebAssembly (`panic = "abort"`) the JS layer turns the trap
//! into the same error through [`internal`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use scimkit::{Error, ErrorKind, Note, api, excerpt};
use serde_json::{Map, Value};

/// What an export returns: JSON text, or the error JSON text.
pub type Out<T = String> = Result<T, String>;

/// The error JSON for `error` (see the module docs).
pub fn error_json(error: &Error, notes: &[Note]) -> String {
    let mut record = match serde_json::to_value(error) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    record.insert("message".into(), error.to_string().into());
    record.insert("errors".into(), serde_json::to_value(error.errors()).unwrap_or(Value::Null));
    // The error's own notes (a failed PATCH's quirks), then those of a failed validation.
    let all: Vec<&Note> = error.notes().iter().chain(notes).collect();
    record.insert("notes".into(), serde_json::to_value(all).unwrap_or(Value::Null));
    record.insert("response".into(), error.to_response());
    record.insert("errorResponse".into(), scimkit::protocol::error_response(error));
    api::to_json(&record)
}

/// The error JSON for a core error without notes.
#[expect(clippy::needless_pass_by_value, reason = "used as `map_err(fail)`")]
pub fn fail(error: Error) -> String {
    error_json(&error, &[])
}

/// The error JSON an object answers once a trap took what it held (WebAssembly): `object` names
/// its class, as [`api::HeldObject`] spells it (an unknown name: the error saying so).
pub fn lost(object: &str) -> String {
    match object.parse::<api::HeldObject>() {
        Ok(object) => fail(api::lost_object_error(object)),
        Err(unknown) => fail(unknown.into()),
    }
}

/// Panics with `message`: the test hooks proving a panic (native) or a trap (WebAssembly)
/// inside an export becomes an internal error and leaves the next call working.
///
/// # Errors
/// Never returns.
///
/// # Panics
/// Always: that is what it is for.
pub fn test_panic(message: &str) -> Out {
    #[expect(clippy::panic, reason = "the test hook for the panic guard; never called by the package")]
    std::panic::panic_any(message.to_owned());
}

/// The error JSON of an internal error (status 500): scimkit itself failed, never the input.
pub fn internal(detail: &str) -> String {
    fail(Error::new(ErrorKind::Internal, format!("scimkit failed unexpectedly: {}", excerpt(detail))))
}

/// The text of a panic payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Runs the body of an export: a panic becomes an internal error (status 500).
pub fn guard<T>(body: impl FnOnce() -> Out<T>) -> Out<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(internal(&panic_text(payload.as_ref()))))
}
