//! `Filter` (parsed once), `CheckedFilter` (ready to match), `ResourceSet` (resources parsed
//! once, for filtering many) and the path parsers.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::glue::{self, Out, guard};

// A filter is kept by the JS layer as its text and limits, and read again here when used (as
// the native addon does): a wasm-bindgen object per filter cost a FinalizationRegistry entry
// and a call to free it, ~0.3 µs of the ~0.9 µs `new Filter(text).free()` took.

/// Checks that `text` parses under `limits` (JSON text, empty: the defaults).
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = filterParse)]
pub fn filter_parse(text: &str, limits: &str) -> Out<()> {
    guard(|| glue::filter::parse(text, limits).map(drop))
}

/// The canonical text.
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = filterCanonical)]
pub fn filter_canonical(text: &str, limits: &str) -> Out {
    guard(|| glue::filter::parse(text, limits).map(|f| f.to_string()))
}

/// `{"canonical", "ast"}` as JSON text.
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = filterDescribe)]
pub fn filter_describe(text: &str, limits: &str) -> Out {
    guard(|| glue::filter::parse(text, limits).map(|f| glue::filter::describe(&f)))
}

/// The filter ready to evaluate with the schema-less defaults.
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = filterWithoutSchema)]
pub fn filter_without_schema(text: &str, limits: &str) -> Out<CheckedFilter> {
    guard(|| glue::filter::parse(text, limits).map(|f| CheckedFilter { inner: f.without_schema() }))
}

/// A filter ready to evaluate.
#[wasm_bindgen]
pub struct CheckedFilter {
    pub(crate) inner: scimkit::CheckedFilter,
}

#[wasm_bindgen]
impl CheckedFilter {
    /// The canonical text.
    ///
    /// # Errors
    /// Only an internal error.
    pub fn canonical(&self) -> Out {
        guard(|| Ok(self.inner.to_string()))
    }

    /// Whether one resource (JSON text) matches.
    ///
    /// # Errors
    /// The error JSON when the resource is not JSON.
    pub fn matches(&self, resource: &str) -> Out<bool> {
        guard(|| glue::filter::matches(&self.inner, resource))
    }

    /// For each resource of a JSON array text, 1 when it matches, else 0.
    ///
    /// # Errors
    /// The error JSON when the resources are not a JSON array.
    #[wasm_bindgen(js_name = matchesAll)]
    pub fn matches_all(&self, resources: &str) -> Out<Vec<u8>> {
        guard(|| glue::filter::flags(&self.inner, resources))
    }
}

/// Resources parsed once on the Rust side, to filter many times (the core's `ResourceSet`:
/// the values of each attribute a filter names are read out once and kept).
#[wasm_bindgen]
pub struct ResourceSet {
    inner: scimkit::ResourceSet,
}

#[wasm_bindgen]
impl ResourceSet {
    /// Reads a JSON array of resources.
    ///
    /// # Errors
    /// The error JSON when the text is not a JSON array.
    #[wasm_bindgen(constructor)]
    pub fn new(resources: &str) -> Out<ResourceSet> {
        crate::memory::reserve_for(resources);
        guard(|| glue::filter::set(resources).map(|inner| Self { inner }))
    }

    /// How many resources the set holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// The positions of the resources that match, in order.
    ///
    /// # Errors
    /// Only an internal error.
    pub fn matching(&self, filter: &CheckedFilter) -> Out<Vec<u32>> {
        guard(|| Ok(glue::filter::set_matching(&self.inner, &filter.inner)))
    }
}

/// A PATCH path as `{"canonical", "urn"?, "name", "sub"?, "filter"?}` (JSON text).
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = parsePatchPath)]
pub fn parse_patch_path(text: &str) -> Out {
    guard(|| glue::filter::parse_patch_path(text))
}

/// An attribute path in its canonical form (a JSON string).
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = parseAttrPath)]
pub fn parse_attr_path(text: &str) -> Out {
    guard(|| glue::filter::parse_attr_path(text))
}
