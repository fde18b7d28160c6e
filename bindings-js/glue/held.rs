//! A stored resource held on the Rust side and patched in place (the core's
//! [`HeldResource`]), with the one thing JS needs beyond it: taking back a PATCH whose report
//! the JS layer must refuse.
//!
//! The JS layer refuses a report holding an integer `JSON.parse` would round (as it refuses any
//! result), but a held resource has already changed by then. Such an integer can only have come
//! from the request or the stored resource, so when either holds a run of 16 digits (the same
//! cheap test as [`marked`]) the resource is copied before the PATCH, and [`Held::restore`]
//! puts the copy back. Otherwise nothing is copied.

use scimkit::patch::HeldResource;
use scimkit::{Registry, api};

use super::error::{Out, fail};
use super::text::{has_run, marked};

/// JSON text as the core's document argument.
fn text(text: &str) -> api::Document<'_> {
    api::Document::Text(std::borrow::Cow::Borrowed(text))
}

/// A held resource, and the copy a PATCH that may need taking back was applied to.
pub struct Held {
    inner: HeldResource,
    /// Whether the resource may hold a run of 16 digits (read, or put there by a request).
    long_digits: bool,
    /// The resource as it was before the last PATCH, when that one may need taking back.
    before: Option<HeldResource>,
}

/// Reads a stored resource (JSON text) to hold; options `{"limits"}`.
pub fn hold(registry: &Registry, resource_type: &str, resource: &str, options: &str) -> Out<Held> {
    let inner = api::hold_document(registry, resource_type, text(resource), options).map_err(fail)?;
    Ok(Held { inner, long_digits: has_run(resource.as_bytes()), before: None })
}

impl Held {
    /// Applies a PATCH request: `{"changes", "quirks", "notes"}`; on failure the resource is as
    /// it was.
    pub fn apply_patch(&mut self, registry: &Registry, request: &str, options: &str) -> Out {
        let long_digits = self.long_digits || has_run(request.as_bytes());
        self.before = long_digits.then(|| self.inner.clone());
        let report = api::held_patch_document(registry, &mut self.inner, text(request), options).map_err(fail)?;
        self.long_digits = long_digits;
        Ok(marked(api::to_json(&report)))
    }

    /// Takes back the last PATCH, when the JS layer refused its report; whether it could.
    pub fn restore(&mut self) -> bool {
        self.before.take().map(|before| self.inner = before).is_some()
    }

    /// The resource as it stands, as JSON text.
    pub fn resource(&self) -> String {
        marked(api::to_json(self.inner.resource()))
    }
}
