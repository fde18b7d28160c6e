//! `Registry`: a compiled registry and everything the core does against one.

#![expect(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen hands optional strings and string lists over as owned values"
)]

use wasm_bindgen::prelude::wasm_bindgen;

use crate::filter::CheckedFilter;
use crate::glue::{self, Out, guard};
use crate::protocol::ListQuery;

/// Schemas and resource types, checked to fit together.
#[wasm_bindgen]
pub struct Registry {
    pub(crate) inner: scimkit::Registry,
}

#[wasm_bindgen]
impl Registry {
    /// The built-ins plus custom schemas and resource types, each as JSON text.
    ///
    /// # Errors
    /// The error JSON of the first malformed definition.
    #[wasm_bindgen(constructor)]
    pub fn new(schemas: Vec<String>, resource_types: Vec<String>) -> Out<Registry> {
        guard(|| glue::registry::build(&schemas, &resource_types).map(|inner| Self { inner }))
    }

    /// `[resource, {"notes"}]` as two JSON texts.
    ///
    /// # Errors
    /// The error JSON with every error and the notes.
    pub fn validate(&self, resource_type: &str, body: &str, options: &str) -> Out<Vec<String>> {
        guard(|| glue::registry::validate(&self.inner, resource_type, body, options))
    }

    /// `[resource, {"changes", "quirks", "notes"}]` as two JSON texts.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = applyPatch)]
    pub fn apply_patch(&self, resource_type: &str, resource: &str, request: &str, options: &str) -> Out<Vec<String>> {
        guard(|| glue::registry::apply_patch(&self.inner, resource_type, resource, request, options))
    }

    /// The PatchOp message (JSON text) that turns `old` into `new`.
    ///
    /// # Errors
    /// The error JSON.
    pub fn diff(&self, resource_type: &str, old: &str, new: &str) -> Out {
        guard(|| glue::registry::diff(&self.inner, resource_type, old, new))
    }

    /// The resource projected per `selection`.
    ///
    /// # Errors
    /// The error JSON.
    pub fn project(&self, resource_type: &str, resource: &str, selection: &str) -> Out {
        guard(|| glue::registry::project(&self.inner, resource_type, resource, selection))
    }

    /// The resources sorted.
    ///
    /// # Errors
    /// The error JSON.
    pub fn sort(&self, resource_type: &str, resources: &str, sort_by: &str, sort_order: &str) -> Out {
        crate::memory::reserve_for(resources);
        guard(|| glue::registry::sort(&self.inner, resource_type, resources, sort_by, sort_order))
    }

    /// The ListResponse answering `query`.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = listResponse)]
    pub fn list_response(&self, resource_type: &str, resources: &str, query: &ListQuery) -> Out {
        guard(|| glue::registry::list_response(&self.inner, resource_type, resources, &query.inner))
    }

    /// Where a request (a body or a PatchOp) names `value` as the `value` of `attribute`: a
    /// JSON pointer.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = valueLocation)]
    pub fn value_location(&self, resource_type: &str, request: &str, attribute: &str, value: &str) -> Out {
        guard(|| glue::registry::value_location(&self.inner, resource_type, request, attribute, value))
    }

    /// The resource with `meta` filled.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = fillMeta)]
    pub fn fill_meta(&self, resource_type: &str, resource: &str, options: &str) -> Out {
        guard(|| glue::registry::fill_meta(&self.inner, resource_type, resource, options))
    }

    /// The `/ResourceTypes` ListResponse.
    ///
    /// # Errors
    /// Only an internal error.
    #[wasm_bindgen(js_name = resourceTypes)]
    pub fn resource_types(&self, base_url: Option<String>) -> Out {
        guard(|| Ok(glue::registry::resource_types(&self.inner, base_url.as_deref())))
    }

    /// The `/Schemas` ListResponse.
    ///
    /// # Errors
    /// Only an internal error.
    pub fn schemas(&self, base_url: Option<String>) -> Out {
        guard(|| Ok(glue::registry::schemas(&self.inner, base_url.as_deref())))
    }

    /// The `/Schemas/<urn>` document.
    ///
    /// # Errors
    /// The error JSON (404 for an unknown URN).
    #[wasm_bindgen(js_name = schemaDocument)]
    pub fn schema_document(&self, urn: &str, base_url: Option<String>) -> Out {
        guard(|| glue::registry::schema_document(&self.inner, urn, base_url.as_deref()))
    }

    /// The `/ResourceTypes/<id>` document.
    ///
    /// # Errors
    /// The error JSON (404 for an unknown resource type).
    #[wasm_bindgen(js_name = resourceTypeDocument)]
    pub fn resource_type_document(&self, id: &str, base_url: Option<String>) -> Out {
        guard(|| glue::registry::resource_type_document(&self.inner, id, base_url.as_deref()))
    }

    /// The filter `text` (with `limits`) checked against `resource_type`.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = checkFilter)]
    pub fn check_filter(&self, text: &str, limits: &str, resource_type: &str) -> Out<CheckedFilter> {
        guard(|| {
            let filter = glue::filter::parse(text, limits)?;
            glue::filter::check(&filter, &self.inner, resource_type).map(|inner| CheckedFilter { inner })
        })
    }
}
