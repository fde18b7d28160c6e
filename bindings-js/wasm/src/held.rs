//! `HeldResource`: a stored resource kept on the Rust side and patched in place, so that only
//! each PATCH request and its report cross into JS (the core's `patch::HeldResource`).

use wasm_bindgen::prelude::wasm_bindgen;

use crate::glue::{self, Out, guard};
use crate::registry::Registry;

/// A stored resource held for PATCH requests applied in place.
#[wasm_bindgen]
pub struct HeldResource {
    inner: glue::held::Held,
}

#[wasm_bindgen]
impl HeldResource {
    /// Reads a stored resource (JSON text) of `resource_type`; options `{"limits"}`.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(registry: &Registry, resource_type: &str, resource: &str, options: &str) -> Out<HeldResource> {
        guard(|| glue::held::hold(&registry.inner, resource_type, resource, options).map(|inner| Self { inner }))
    }

    /// Applies a PATCH request (JSON text): `{"changes", "quirks", "notes"}` as JSON text. On
    /// failure the resource is as it was.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = applyPatch)]
    pub fn apply_patch(&mut self, request: &str, options: &str) -> Out {
        guard(|| self.inner.apply_patch(request, options))
    }

    /// Takes back the last PATCH (when the JS layer refused its report); whether it could.
    pub fn restore(&mut self) -> bool {
        self.inner.restore()
    }

    /// Lets go of the copy kept for `restore` (the JS layer read the report).
    pub fn settle(&mut self) {
        self.inner.settle();
    }

    /// Panics with `message` while the resource is borrowed: the test hook proving a trap loses
    /// only this held resource.
    ///
    /// # Errors
    /// Never returns: it traps.
    pub fn panic(&mut self, message: &str) -> Out {
        guard(|| glue::test_panic(message))
    }

    /// The resource as it stands, as JSON text.
    ///
    /// # Errors
    /// An internal error when the resource was lost to one.
    pub fn resource(&self) -> Out {
        guard(|| self.inner.resource())
    }
}
