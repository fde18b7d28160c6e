//! `Filter` (parsed once), `CheckedFilter` (ready to match), `ResourceSet` (resources parsed
//! once, for filtering many) and the path parsers.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings and string lists over as owned values")]

use napi::bindgen_prelude::{Uint8Array, Uint32Array};
use napi_derive::napi;

use crate::{glue, run};

/// A parsed filter.
#[napi]
pub struct Filter {
    pub(crate) inner: scimkit::Filter,
}

#[napi]
impl Filter {
    /// Parses `text` with limits given as JSON text (empty: the defaults).
    #[napi(constructor, catch_unwind)]
    pub fn new(text: String, limits: String) -> napi::Result<Self> {
        run(|| glue::filter::parse(&text, &limits).map(|inner| Self { inner }))
    }

    /// The canonical text.
    #[napi(catch_unwind)]
    pub fn canonical(&self) -> napi::Result<String> {
        run(|| Ok(self.inner.to_string()))
    }

    /// `{"canonical", "ast"}` as JSON text.
    #[napi(catch_unwind)]
    pub fn describe(&self) -> napi::Result<String> {
        run(|| Ok(glue::filter::describe(&self.inner)))
    }

    /// The filter ready to evaluate with the schema-less defaults.
    #[napi(catch_unwind)]
    pub fn without_schema(&self) -> napi::Result<CheckedFilter> {
        run(|| Ok(CheckedFilter { inner: self.inner.without_schema() }))
    }
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
