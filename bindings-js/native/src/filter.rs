//! `Filter` (parsed once), `CheckedFilter` (ready to match), `ResourceSet` (resources parsed
//! once, for filtering many) and the path parsers.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings and string lists over as owned values")]

use napi::bindgen_prelude::{Uint8Array, Uint32Array};
use napi_derive::napi;

use crate::{glue, run};

/// A filter as the package keeps it on Node: its text and its limits (JSON text), read again
/// when used (`src/node/text-filter.cjs`). A napi class instance per filter cost ~1.5 µs —
/// V8 tracks each through a weak handle and a finalizer — five times the parse (~0.3 µs), and
/// made parsing filters from Node slower than from WebAssembly.
#[napi(object)]
pub struct FilterText {
    /// The filter as given.
    pub text: String,
    /// Its limits as camelCase JSON text (empty: the defaults).
    pub limits: String,
}

impl FilterText {
    /// The parsed filter (the text was parsed with these limits before, so this only fails if
    /// a caller built a `FilterText` of its own).
    pub(crate) fn parse(&self) -> crate::Out<scimkit::Filter> {
        glue::filter::parse(&self.text, &self.limits)
    }
}

/// Checks that `text` parses under `limits`, or throws the error.
#[napi(catch_unwind)]
pub fn filter_parse(text: String, limits: String) -> napi::Result<()> {
    run(|| glue::filter::parse(&text, &limits).map(drop))
}

/// The canonical text.
#[napi(catch_unwind)]
pub fn filter_canonical(filter: FilterText) -> napi::Result<String> {
    run(|| filter.parse().map(|f| f.to_string()))
}

/// `{"canonical", "ast"}` as JSON text.
#[napi(catch_unwind)]
pub fn filter_describe(filter: FilterText) -> napi::Result<String> {
    run(|| filter.parse().map(|f| glue::filter::describe(&f)))
}

/// The filter ready to evaluate with the schema-less defaults.
#[napi(catch_unwind)]
pub fn filter_without_schema(filter: FilterText) -> napi::Result<CheckedFilter> {
    run(|| filter.parse().map(|f| CheckedFilter { inner: f.without_schema() }))
}

/// A filter ready to evaluate.
#[napi]
pub struct CheckedFilter {
    pub(crate) inner: scimkit::CheckedFilter,
}

#[napi]
impl CheckedFilter {
    /// The canonical text.
    #[napi(catch_unwind)]
    pub fn canonical(&self) -> napi::Result<String> {
        run(|| Ok(self.inner.to_string()))
    }

    /// Whether one resource (JSON text) matches.
    #[napi(catch_unwind)]
    pub fn matches(&self, resource: String) -> napi::Result<bool> {
        run(|| glue::filter::matches(&self.inner, &resource))
    }

    /// For each resource of a JSON array text, 1 when it matches, else 0.
    #[napi(catch_unwind)]
    pub fn matches_all(&self, resources: String) -> napi::Result<Uint8Array> {
        run(|| glue::filter::flags(&self.inner, &resources).map(Uint8Array::from))
    }
}

/// Resources parsed once on the Rust side, to filter many times (the core's `ResourceSet`:
/// the values of each attribute a filter names are read out once and kept).
#[napi]
pub struct ResourceSet {
    inner: scimkit::ResourceSet,
}

#[napi]
impl ResourceSet {
    /// Reads a JSON array of resources.
    #[napi(constructor, catch_unwind)]
    pub fn new(resources: String) -> napi::Result<Self> {
        run(|| glue::filter::set(&resources).map(|inner| Self { inner }))
    }

    /// How many resources the set holds.
    #[napi(getter, catch_unwind)]
    pub fn length(&self) -> napi::Result<u32> {
        run(|| Ok(u32::try_from(self.inner.len()).unwrap_or(u32::MAX)))
    }

    /// The positions of the resources that match, in order.
    #[napi(catch_unwind)]
    pub fn matching(&self, filter: &CheckedFilter) -> napi::Result<Uint32Array> {
        run(|| Ok(Uint32Array::from(glue::filter::set_matching(&self.inner, &filter.inner))))
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
