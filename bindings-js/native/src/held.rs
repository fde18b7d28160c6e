//! `HeldResource`: a stored resource kept on the Rust side and patched in place, so that only
//! each PATCH request and its report cross into Node (the core's `patch::HeldResource`).

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings over as owned values")]

use napi_derive::napi;

use crate::registry::Registry;
use crate::{glue, run};

/// A stored resource held for PATCH requests applied in place. `free()` lets the resource go
/// at once: V8 does not see the Rust-side memory, and may collect the object late.
#[napi]
pub struct HeldResource {
    inner: Option<glue::held::Held>,
}

impl HeldResource {
    /// The held resource, or the error for one already freed.
    fn held(&mut self) -> glue::Out<&mut glue::held::Held> {
        self.inner.as_mut().ok_or_else(|| glue::internal("the HeldResource was freed"))
    }
}

#[napi]
impl HeldResource {
    /// Reads a stored resource (JSON text) of `resource_type`; options `{"limits"}`.
    #[napi(constructor, catch_unwind)]
    pub fn new(registry: &Registry, resource_type: String, resource: String, options: String) -> napi::Result<Self> {
        run(|| {
            glue::held::hold(&registry.inner, &resource_type, &resource, &options)
                .map(|held| Self { inner: Some(held) })
        })
    }

    /// Applies a PATCH request (JSON text): `{"changes", "quirks", "notes"}` as JSON text. On
    /// failure the resource is as it was.
    #[napi(catch_unwind)]
    pub fn apply_patch(&mut self, request: String, options: String) -> napi::Result<String> {
        run(|| self.held()?.apply_patch(&request, &options))
    }

    /// Takes back the last PATCH (when the JS layer refused its report); whether it could.
    #[napi(catch_unwind)]
    pub fn restore(&mut self) -> napi::Result<bool> {
        run(|| Ok(self.held()?.restore()))
    }

    /// Lets go of the copy kept for `restore` (the JS layer read the report).
    #[napi(catch_unwind)]
    pub fn settle(&mut self) -> napi::Result<()> {
        run(|| {
            self.held()?.settle();
            Ok(())
        })
    }

    /// The resource as it stands, as JSON text.
    #[napi(catch_unwind)]
    pub fn resource(&mut self) -> napi::Result<String> {
        run(|| self.held()?.resource())
    }

    /// Panics with `message` while the resource is borrowed: the test hook proving a panic
    /// leaves it as it was.
    #[napi(catch_unwind)]
    #[allow(
        clippy::unused_self,
        reason = "it borrows the object as a real call does: what it tests (an `expect` is not seen through the napi macro)"
    )]
    pub fn panic(&mut self, message: String) -> napi::Result<String> {
        run(|| glue::test_panic(&message))
    }

    /// Lets the resource go now.
    #[napi]
    pub fn free(&mut self) {
        self.inner = None;
    }
}
