//! A stored resource held on the caller's side of a binding for a run of PATCH requests: the
//! resource is read once and patched in place, so only each request and its report cross the
//! boundary (the bindings' `hold`). Every PATCH is atomic: one that fails leaves the held
//! resource exactly as it was.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::apply::{Change, PatchFailure, Patched, apply_patch_text, apply_patch_value};
use super::options::PatchOptions;
use crate::error::{Error, ScimType};
use crate::limits::Limits;
use crate::schema::Registry;
use crate::validate::Note;

/// How a resource is read to be held. Read from JSON with camelCase names; every field has a
/// default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct HoldOptions {
    /// Limits the stored resource is read under (nesting, size).
    pub limits: Limits,
}

/// What a PATCH applied to a [`HeldResource`] reports: everything [`super::Patched`] holds but
/// the resource, which stays held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchReport {
    /// What changed, in order.
    pub changes: Vec<Change>,
    /// The quirk rules that fired (notes with code `quirk`).
    pub quirks: Vec<Note>,
    /// Other notes: what normalization did to the values sent.
    pub notes: Vec<Note>,
}

impl PatchReport {
    /// Whether there is nothing in it: no change, quirk or other note (always so under
    /// `report: none`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.quirks.is_empty() && self.notes.is_empty()
    }
}

/// A stored resource of one resource type, patched in place.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldResource {
    resource_type: String,
    resource: Value,
    /// A depth the resource is known to nest within (the limit it was held under), until a
    /// PATCH changes it; 0 when not known. A PATCH under a limit at least this deep need not
    /// walk the resource for its depth again.
    within_depth: usize,
}

impl HeldResource {
    /// Holds `resource`, a stored resource of `resource_type`.
    ///
    /// # Errors
    /// The resource type not being in `registry`; `invalidValue` when the resource is not a
    /// JSON object or nests deeper than `options.limits` allow.
    pub fn new(
        registry: &Registry,
        resource_type: &str,
        resource: Value,
        options: &HoldOptions,
    ) -> Result<Self, Error> {
        // The resource type first, as `from_text` checks it before reading the text.
        registry.require_resource_type(resource_type)?;
        let depth = options.limits.depth();
        if let Some(too_deep) = crate::json::depth_error(&resource, depth) {
            // As its text would be answered.
            return Err(super::apply::stored_resource_error(&too_deep));
        }
        Self::within(resource_type, resource, depth)
    }

    /// Holds `resource` (of a resource type the registry has), known to nest within `depth`.
    fn within(resource_type: &str, resource: Value, depth: usize) -> Result<Self, Error> {
        if !resource.is_object() {
            return Err(Error::new(ScimType::InvalidValue, "the stored resource must be a JSON object"));
        }
        Ok(Self { resource_type: resource_type.to_owned(), resource, within_depth: depth })
    }

    /// Holds a stored resource given as JSON text, read strictly under `options.limits`.
    ///
    /// # Errors
    /// As [`HeldResource::new`]; `invalidValue` when the text is not JSON.
    pub fn from_text(
        registry: &Registry,
        resource_type: &str,
        text: &str,
        options: &HoldOptions,
    ) -> Result<Self, Error> {
        registry.require_resource_type(resource_type)?;
        let resource =
            crate::json::parse_strict(text, &options.limits).map_err(|e| super::apply::stored_resource_error(&e))?;
        // The strict reader held the text to the depth limit.
        Self::within(resource_type, resource, options.limits.depth())
    }

    /// The resource type the resource is of.
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// The resource as it stands.
    ///
    /// # Errors
    /// An internal error when a PATCH was cut short by a panic (a bug: the core is written not
    /// to panic), which takes the resource with it; the held resource is then unusable.
    pub fn resource(&self) -> Result<&Value, Error> {
        if self.resource.is_object() { Ok(&self.resource) } else { Err(Self::lost_error()) }
    }

    /// The resource, no longer held.
    ///
    /// # Errors
    /// As [`HeldResource::resource`].
    pub fn into_resource(self) -> Result<Value, Error> {
        if self.resource.is_object() { Ok(self.resource) } else { Err(Self::lost_error()) }
    }

    /// Applies a PATCH request (JSON text, read strictly) to the held resource, as
    /// [`super::apply_patch_json`] does to a resource handed over.
    ///
    /// # Errors
    /// As [`super::apply_patch`]; the held resource is then as it was.
    pub fn apply_patch_json(
        &mut self,
        registry: &Registry,
        request: &str,
        options: &PatchOptions,
    ) -> Result<PatchReport, Error> {
        // The depth walk is repeated when the PATCH's limit may be tighter than what the
        // resource is known to nest within.
        let check_depth = self.needs_depth_walk(options);
        self.apply(|rt, resource| apply_patch_text(registry, rt, resource, request, options, check_depth))
    }

    /// Applies a PATCH request given as a value, as [`super::apply_patch_owned`] does.
    ///
    /// # Errors
    /// As [`super::apply_patch`]; the held resource is then as it was.
    pub fn apply_patch(
        &mut self,
        registry: &Registry,
        request: Value,
        options: &PatchOptions,
    ) -> Result<PatchReport, Error> {
        let check_depth = self.needs_depth_walk(options);
        self.apply(|rt, resource| apply_patch_value(registry, rt, resource, request, options, check_depth))
    }

    /// Whether a PATCH under `options` must walk the resource for its depth: unless it is known
    /// to nest within the PATCH's limit.
    fn needs_depth_walk(&self, options: &PatchOptions) -> bool {
        self.within_depth == 0 || self.within_depth > options.limits.depth()
    }

    fn apply(
        &mut self,
        patch: impl FnOnce(&str, Value) -> Result<Patched, PatchFailure>,
    ) -> Result<PatchReport, Error> {
        self.resource()?;
        // Taken out for the PATCH and always put back (the new resource, or the one the
        // journal restored); only a panic in between leaves `null`, which `resource` refuses.
        let resource = std::mem::take(&mut self.resource);
        match patch(&self.resource_type, resource) {
            Ok(done) => {
                self.resource = done.resource;
                // What the PATCH wrote is not measured: the next one walks the resource again.
                self.within_depth = 0;
                Ok(PatchReport { changes: done.changes, quirks: done.quirks, notes: done.notes })
            }
            Err(failure) => {
                self.resource = failure.resource;
                Err(failure.error)
            }
        }
    }
}

impl HeldResource {
    /// The error a held resource answers once a call failed unexpectedly and took the resource
    /// with it (a panic during its PATCH; in WebAssembly, a trap in any call).
    #[must_use]
    pub fn lost_error() -> Error {
        Error::new(
            crate::error::ErrorKind::Internal,
            "the held resource was lost when a call failed unexpectedly; hold the stored resource again",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATCH: &str = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"displayName","value":"B"}]}"#;

    fn held() -> Result<(Registry, HeldResource), Error> {
        let registry = Registry::builtin();
        let text =
            r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"a","displayName":"A"}"#;
        let held = HeldResource::from_text(&registry, "User", text, &HoldOptions::default())?;
        Ok((registry, held))
    }

    #[test]
    fn patches_in_place_and_reports_the_changes() -> Result<(), Error> {
        let (registry, mut held) = held()?;
        let report = held.apply_patch_json(&registry, PATCH, &PatchOptions::default())?;
        assert_eq!(held.resource()?.get("displayName"), Some(&Value::from("B")));
        assert_eq!(report.changes.len(), 1);
        assert_eq!(report.changes.first().map(|c| c.attribute.as_str()), Some("displayName"));
        Ok(())
    }

    #[test]
    fn a_failed_patch_leaves_the_resource_as_it_was() -> Result<(), Error> {
        let (registry, mut held) = held()?;
        let before = held.resource()?.clone();
        let bad = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations":[{"op":"replace","path":"displayName","value":"C"},{"op":"remove","path":"id"}]}"#;
        let error = held.apply_patch_json(&registry, bad, &PatchOptions::default()).err();
        assert_eq!(error.map(|e| e.scim_type()), Some(Some(ScimType::Mutability)));
        assert_eq!(held.resource()?, &before);
        Ok(())
    }

    #[test]
    fn refuses_what_cannot_be_patched() {
        let registry = Registry::builtin();
        let options = HoldOptions::default();
        assert!(HeldResource::from_text(&registry, "User", "[1]", &options).is_err());
        assert!(HeldResource::from_text(&registry, "Nope", "{}", &options).is_err());
        let deep = HoldOptions { limits: Limits { max_depth: 2, ..Limits::default() } };
        assert!(HeldResource::from_text(&registry, "User", r#"{"a":{"b":[1]}}"#, &deep).is_err());
    }

    /// The resource is walked for its depth again when a PATCH's limit is tighter than the one
    /// it was held under, and after a PATCH changed it; not otherwise.
    #[test]
    fn holds_the_resource_to_each_patch_depth_limit() -> Result<(), Error> {
        let registry = Registry::builtin();
        let text = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"a",
            "x":{"y":{"z":{}}}}"#;
        let tight =
            |max_depth| PatchOptions { limits: Limits { max_depth, ..Limits::default() }, ..PatchOptions::default() };
        let mut held = HeldResource::from_text(&registry, "User", text, &HoldOptions::default())?;
        assert!(!held.needs_depth_walk(&PatchOptions::default()));
        assert!(held.needs_depth_walk(&tight(3)));
        // The resource nests four deep, the request three: the stored resource is refused.
        let refused = held.apply_patch_json(&registry, PATCH, &tight(3)).err();
        assert_eq!(refused.map(|e| e.scim_type()), Some(Some(ScimType::InvalidValue)));
        held.apply_patch_json(&registry, PATCH, &tight(4))?;
        // Changed by a PATCH: walked again, whatever the limit.
        assert!(held.needs_depth_walk(&PatchOptions::default()));
        Ok(())
    }

    /// Held from a value, the resource was walked under the hold's limit: known within it.
    #[test]
    fn a_resource_held_from_a_value_is_known_within_its_limit() -> Result<(), Error> {
        let registry = Registry::builtin();
        let resource = serde_json::json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "a", "x": {"y": {"z": {}}}});
        let within_four = HoldOptions { limits: Limits { max_depth: 4, ..Limits::default() } };
        let mut held = HeldResource::new(&registry, "User", resource.clone(), &within_four)?;
        let patch =
            |max_depth| PatchOptions { limits: Limits { max_depth, ..Limits::default() }, ..PatchOptions::default() };
        assert!(!held.needs_depth_walk(&patch(4)) && !held.needs_depth_walk(&PatchOptions::default()));
        assert!(held.needs_depth_walk(&patch(3)));
        let refused = held.apply_patch_json(&registry, PATCH, &patch(3)).err();
        assert_eq!(refused.map(|e| e.scim_type()), Some(Some(ScimType::InvalidValue)));
        // An unknown resource type is reported before the depth, as from text.
        let deep = HoldOptions { limits: Limits { max_depth: 2, ..Limits::default() } };
        let unknown = HeldResource::new(&registry, "Nope", resource, &deep).err();
        assert!(unknown.is_some_and(|e| e.detail().contains("Nope")));
        Ok(())
    }

    #[test]
    fn reports_nothing_when_asked_to() -> Result<(), Error> {
        let (registry, mut held) = held()?;
        let quiet = PatchOptions { report: crate::patch::Reporting::None, ..PatchOptions::default() };
        let report = held.apply_patch_json(&registry, PATCH, &quiet)?;
        assert_eq!(held.resource()?.get("displayName"), Some(&Value::from("B")));
        assert!(report.changes.is_empty() && report.quirks.is_empty() && report.notes.is_empty());
        Ok(())
    }
}
