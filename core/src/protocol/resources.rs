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

/// Every resource of a list a JSON object; else `invalidValue` at the first other one (`/3`).
///
/// # Errors
/// As above.
pub fn require_resources(resources: &[Value]) -> Result<(), Error> {
    for (at, resource) in resources.iter().enumerate() {
        require_resource(resource, || Location::root().index(at))?;
    }
    Ok(())
}
