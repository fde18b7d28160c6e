//! Held resources: stored resources kept on the Rust side and patched in place, so that only each
//! PATCH request and its report cross into Node (the core's `patch::HeldResource`).
//!
//! JS knows each by a number, not as a napi class instance: napi-rs checks the class of an
//! instance and books a borrow of it at every method call, ~0.14 µs a call (a quarter of what
//! a held PATCH with nothing reported spent outside the core). `src/node/held-ids.cjs` wraps the
//! number in the object the shared JS layer expects, and lets the resource go when that object
//! is collected without `free()`. Numbers are never used twice, so a stale one finds nothing.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings over as owned values")]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use napi_derive::napi;

use crate::memory::{estimate, report};
use crate::registry::Registry;
use crate::{glue, run};

/// A held resource, and the memory it was reported to V8 as taking.
struct Entry {
    held: glue::held::Held,
    reported: i64,
}

/// Bytes of memory a held resource takes per byte of its JSON text, about (a parsed JSON value
/// takes 6–8 bytes per byte of text): what V8 is told, so that objects a program drops without
/// `free()` bring the collector, and with it their finalizers, as JS objects of that size would.
const BYTES_PER_TEXT_BYTE: i64 = 6;

thread_local! {
    /// The resources held on this thread (each Node thread loads the addon for itself), by number.
    /// Boxed, so that the table's slots stay small when it has grown for a burst.
    static HELD: RefCell<HashMap<i64, Box<Entry>>> = RefCell::new(HashMap::new());
    /// The number the next one gets.
    static NEXT: Cell<i64> = const { Cell::new(1) };
}

/// Runs `f` on held resource `id`, or answers the error for one already freed.
fn with_held<T>(id: i64, f: impl FnOnce(&mut glue::held::Held) -> glue::Out<T>) -> glue::Out<T> {
    HELD.with_borrow_mut(|held| {
        let one = held.get_mut(&id).ok_or_else(|| glue::internal("the HeldResource was freed"))?;
        f(&mut one.held)
    })
}

/// Reads a stored resource (JSON text) of `resource_type` and holds it; options `{"limits"}`.
/// Its number.
#[napi(catch_unwind)]
pub fn held_new(
    env: napi::Env,
    registry: &Registry,
    resource_type: String,
    resource: String,
    options: String,
) -> napi::Result<i64> {
    let reported = estimate(resource.len(), BYTES_PER_TEXT_BYTE, 0);
    let id = run(|| {
        let one = glue::held::hold(registry.get()?, &resource_type, &resource, &options)?;
        let id = NEXT.get();
        NEXT.set(id + 1);
        HELD.with_borrow_mut(|held| held.insert(id, Box::new(Entry { held: one, reported })));
        Ok(id)
    })?;
    report(env, reported);
    Ok(id)
}

/// Applies a PATCH request (JSON text) to held resource `id`: `{"changes", "quirks", "notes"}`
/// as JSON text, empty when all three are. On failure the resource is as it was.
#[napi(catch_unwind)]
pub fn held_apply_patch(id: i64, request: String, options: String) -> napi::Result<String> {
    run(|| with_held(id, |one| one.apply_patch(&request, &options)))
}

/// Takes back the last PATCH (when the JS layer refused its report); whether it could.
#[napi(catch_unwind)]
pub fn held_restore(id: i64) -> napi::Result<bool> {
    run(|| with_held(id, |one| Ok(one.restore())))
}

/// Lets go of the copy kept for `restore` (the JS layer read the report).
#[napi(catch_unwind)]
pub fn held_settle(id: i64) -> napi::Result<()> {
    run(|| {
        with_held(id, |one| {
            one.settle();
            Ok(())
        })
    })
}

/// The resource as it stands, as JSON text.
#[napi(catch_unwind)]
pub fn held_resource(id: i64) -> napi::Result<String> {
    run(|| with_held(id, |one| one.resource()))
}

/// Panics with `message` while resource `id` is borrowed: the test hook proving a panic leaves
/// it as it was.
#[napi(catch_unwind)]
pub fn held_panic(id: i64, message: String) -> napi::Result<String> {
    run(|| with_held(id, |_| glue::test_panic(&message)))
}

/// Lets resource `id` go now (nothing when it is gone already). The table gives memory back
/// once it holds far fewer than it has room for.
#[napi]
pub fn held_free(env: napi::Env, id: i64) {
    let gone = HELD.with_borrow_mut(|held| {
        let gone = held.remove(&id);
        if held.capacity() > 64 && held.len() < held.capacity() / 8 {
            held.shrink_to(held.len() * 2);
        }
        gone
    });
    if let Some(entry) = &gone {
        report(env, -entry.reported);
    }
    // Dropped outside the borrow.
    drop(gone);
}

/// How many resources this thread holds: tests check that an object collected without `free()`
/// let its resource go.
#[napi]
pub fn held_count() -> u32 {
    HELD.with_borrow(|held| u32::try_from(held.len()).unwrap_or(u32::MAX))
}
