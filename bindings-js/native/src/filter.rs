//! `Filter` (parsed once), `CheckedFilter` (ready to match), `ResourceSet` (resources parsed
//! once, for filtering many) and the path parsers.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings and string lists over as owned values")]

use std::sync::atomic::{AtomicUsize, Ordering};

use napi::Env;
use napi::bindgen_prelude::{ObjectFinalize, Uint8Array, Uint32Array};
use napi_derive::napi;

use crate::memory::{estimate, report};
use crate::{glue, run};

// What V8 is told a checked filter or a resource set takes (`crate::memory`): estimates from
// below, as a checked filter of ~70 bytes of text measured ~2 KB resident (its JS objects
// included) and a resource set ~7.4 bytes per byte of its text.

/// Bytes reported for a checked filter, whatever its text.
const CHECKED_FILTER_BASE: i64 = 1024;
/// Bytes reported for a checked filter per byte of its text.
const CHECKED_FILTER_PER_TEXT_BYTE: i64 = 8;
/// Bytes reported for a resource set per byte of its JSON text.
const RESOURCE_SET_PER_TEXT_BYTE: i64 = 6;

/// Checked filters and resource sets alive (not freed, not finalized), in every thread: tests
/// check that objects dropped without `free()` are let go.
static LIVE_CHECKED_FILTERS: AtomicUsize = AtomicUsize::new(0);
static LIVE_RESOURCE_SETS: AtomicUsize = AtomicUsize::new(0);

/// `{"checkedFilters", "resourceSets"}`: how many are alive.
#[napi]
pub fn live_filter_objects() -> String {
    format!(
        r#"{{"checkedFilters":{},"resourceSets":{}}}"#,
        LIVE_CHECKED_FILTERS.load(Ordering::Relaxed),
        LIVE_RESOURCE_SETS.load(Ordering::Relaxed)
    )
}

// A filter is kept by the JS layer as its text and its limits (JSON text), and read again here
// when used (`src/api.js`, `TextFilter`). A napi class instance per filter cost ~1.5 µs — V8
// tracks each through a weak handle and a finalizer — five times the parse (~0.3 µs), and made
// parsing filters from Node slower than from WebAssembly.

/// Checks that `text` parses under `limits`, or throws the error.
#[napi(catch_unwind)]
pub fn filter_parse(text: String, limits: String) -> napi::Result<()> {
    run(|| glue::filter::parse(&text, &limits).map(drop))
}

/// The canonical text.
#[napi(catch_unwind)]
pub fn filter_canonical(text: String, limits: String) -> napi::Result<String> {
    run(|| glue::filter::parse(&text, &limits).map(|f| f.to_string()))
}

/// `{"canonical", "ast"}` as JSON text.
#[napi(catch_unwind)]
pub fn filter_describe(text: String, limits: String) -> napi::Result<String> {
    run(|| glue::filter::parse(&text, &limits).map(|f| glue::filter::describe(&f)))
}

/// The filter ready to evaluate with the schema-less defaults.
#[napi(catch_unwind)]
pub fn filter_without_schema(env: Env, text: String, limits: String) -> napi::Result<CheckedFilter> {
    let checked = run(|| glue::filter::parse(&text, &limits).map(|f| f.without_schema()))?;
    Ok(CheckedFilter::made(env, checked, text.len()))
}

/// A filter ready to evaluate; `free()` lets its memory go at once, and finalization does when
/// it was not called.
#[napi(custom_finalize)]
pub struct CheckedFilter {
    inner: Option<scimkit::CheckedFilter>,
    reported: i64,
}

impl CheckedFilter {
    /// A checked filter read from `text_len` bytes of text, reported to V8.
    pub(crate) fn made(env: Env, inner: scimkit::CheckedFilter, text_len: usize) -> Self {
        let reported = estimate(text_len, CHECKED_FILTER_PER_TEXT_BYTE, CHECKED_FILTER_BASE);
        report(env, reported);
        LIVE_CHECKED_FILTERS.fetch_add(1, Ordering::Relaxed);
        Self { inner: Some(inner), reported }
    }

    /// The filter, or the error for one freed (the JS layer never calls a freed one).
    fn get(&self) -> glue::Out<&scimkit::CheckedFilter> {
        self.inner.as_ref().ok_or_else(|| glue::internal("the CheckedFilter was freed"))
    }
}

#[napi]
impl CheckedFilter {
    /// Lets the filter's memory go now (again: nothing).
    #[napi]
    pub fn free(&mut self, env: Env) {
        if self.inner.take().is_some() {
            report(env, -self.reported);
            LIVE_CHECKED_FILTERS.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// The canonical text.
    #[napi(catch_unwind)]
    pub fn canonical(&self) -> napi::Result<String> {
        run(|| Ok(self.get()?.to_string()))
    }

    /// Whether one resource (JSON text) matches.
    #[napi(catch_unwind)]
    pub fn matches(&self, resource: String) -> napi::Result<bool> {
        run(|| glue::filter::matches(self.get()?, &resource))
    }

    /// For each resource of a JSON array text, 1 when it matches, else 0.
    #[napi(catch_unwind)]
    pub fn matches_all(&self, resources: String) -> napi::Result<Uint8Array> {
        run(|| glue::filter::flags(self.get()?, &resources).map(Uint8Array::from))
    }
}

impl ObjectFinalize for CheckedFilter {
    fn finalize(mut self, env: Env) -> napi::Result<()> {
        self.free(env);
        Ok(())
    }
}

/// Resources parsed once on the Rust side, to filter many times (the core's `ResourceSet`:
/// the values of each attribute a filter names are read out once and kept); `free()` lets its
/// memory go at once, and finalization does when it was not called.
#[napi(custom_finalize)]
pub struct ResourceSet {
    inner: Option<scimkit::ResourceSet>,
    reported: i64,
}

impl ResourceSet {
    /// The set, or the error for one freed (the JS layer never calls a freed one).
    fn get(&self) -> glue::Out<&scimkit::ResourceSet> {
        self.inner.as_ref().ok_or_else(|| glue::internal("the ResourceSet was freed"))
    }
}

#[napi]
impl ResourceSet {
    /// Reads a JSON array of resources.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, resources: String) -> napi::Result<Self> {
        let inner = run(|| glue::filter::set(&resources))?;
        let reported = estimate(resources.len(), RESOURCE_SET_PER_TEXT_BYTE, 0);
        report(env, reported);
        LIVE_RESOURCE_SETS.fetch_add(1, Ordering::Relaxed);
        Ok(Self { inner: Some(inner), reported })
    }

    /// Lets the set's memory go now (again: nothing).
    #[napi]
    pub fn free(&mut self, env: Env) {
        if self.inner.take().is_some() {
            report(env, -self.reported);
            LIVE_RESOURCE_SETS.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// How many resources the set holds.
    #[napi(getter, catch_unwind)]
    pub fn length(&self) -> napi::Result<u32> {
        run(|| Ok(u32::try_from(self.get()?.len()).unwrap_or(u32::MAX)))
    }

    /// The positions of the resources that match, in order.
    #[napi(catch_unwind)]
    pub fn matching(&self, filter: &CheckedFilter) -> napi::Result<Uint32Array> {
        run(|| Ok(Uint32Array::from(glue::filter::set_matching(self.get()?, filter.get()?))))
    }
}

impl ObjectFinalize for ResourceSet {
    fn finalize(mut self, env: Env) -> napi::Result<()> {
        self.free(env);
        Ok(())
    }
}

/// A PATCH path as `{"canonical", "urn"?, "name", "sub"?, "filter"?}` (JSON text).
#[napi(catch_unwind)]
pub fn parse_patch_path(text: String) -> napi::Result<String> {
    run(|| glue::filter::parse_patch_path(&text))
}

/// An attribute path in its canonical form (a JSON string).
#[napi(catch_unwind)]
pub fn parse_attr_path(text: String) -> napi::Result<String> {
    run(|| glue::filter::parse_attr_path(&text))
}
