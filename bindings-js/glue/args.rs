//! Documents in: JSON text read by the core's strict reader, as `scimkit::api` reads the
//! resources it is given (duplicate keys, depth and size limits are the core's).

use scimkit::Limits;
use serde_json::Value;

use super::error::{Out, fail};

/// How `api.rs` reads resource lists and single resources it takes as values: the core's
/// limits without the request-body size limit.
fn read_limits() -> Limits {
    Limits { max_body_bytes: usize::MAX, ..Limits::default() }
}

/// One resource (JSON text), read with the default limits, as `api::filter_matches` reads it.
pub fn resource(text: &str) -> Out<Value> {
    scimkit::json::parse_strict(text, &Limits::default()).map_err(fail)
}

/// One document (JSON text) read as `api.rs` reads the resources and records it takes.
pub fn document(text: &str) -> Out<Value> {
    scimkit::json::parse_strict(text, &read_limits()).map_err(fail)
}

/// A JSON array of resources, as `api::list_response_json` reads it.
pub fn resources(text: &str) -> Out<Vec<Value>> {
    scimkit::api::resources_from_json(text).map_err(fail)
}
