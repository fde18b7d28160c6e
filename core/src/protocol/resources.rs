//! What the protocol helpers take as a resource: a JSON object (RFC 7643 §2), nothing else.
//!
//! Decision: a list, a sort, a projection or a page handed anything else — a number, a string,
//! an array, `null` where a resource should be — refuses it with `invalidValue` at its place
//! (`/3` in a list, the root for one resource), as validation and `fill_meta` do, rather than
//! passing it through into a ListResponse or a sort order that no client could read as SCIM.
//! (Filters are the exception: they only ask whether a value matches, and a value that is not
//! an object matches nothing.)

use serde_json::Value;

use crate::error::{Error, Location, ScimType};
use crate::value::kind_of;

/// `resource` when it is a JSON object; else `invalidValue` at `location`.
///
/// # Errors
/// As above.
pub fn require_resource(resource: &Value, location: impl FnOnce() -> Location) -> Result<(), Error> {
    if resource.is_object() {
        return Ok(());
    }
    Err(Error::new(ScimType::InvalidValue, format!("a resource must be a JSON object, found {}", kind_of(resource)))
        .at(location()))
}

/// Every resource of a list handed over as values nesting no deeper than it could inside the
/// list's JSON text (the default limits, [`crate::json::item_depth_error`]: `invalidSyntax`, as
/// that text's reader answers, whatever else is wrong), then a JSON object (else
/// `invalidValue` at the first other one, `/3`). So a list answers the same as values and as
/// text.
///
/// # Errors
/// As above.
pub fn require_resources(resources: &[Value]) -> Result<(), Error> {
    let limits = crate::Limits::default();
    for (at, resource) in resources.iter().enumerate() {
        if let Some(error) = crate::json::item_depth_error(resource, at, &limits) {
            return Err(error);
        }
    }
    for (at, resource) in resources.iter().enumerate() {
        require_resource(resource, || Location::root().index(at))?;
    }
    Ok(())
}

/// Item `at` of a list handed over one at a time: as [`require_resources`] holds each item.
///
/// # Errors
/// As [`require_resources`].
pub fn require_list_item(resource: &Value, at: usize) -> Result<(), Error> {
    if let Some(error) = crate::json::item_depth_error(resource, at, &crate::Limits::default()) {
        return Err(error);
    }
    require_resource(resource, || Location::root().index(at))
}
