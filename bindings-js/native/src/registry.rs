//! `Registry`: a compiled registry and everything the core does against one.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings and string lists over as owned values")]

use napi_derive::napi;

use crate::filter::CheckedFilter;
use crate::protocol::ListQuery;
use crate::{glue, run};

/// Schemas and resource types, checked to fit together.
#[napi]
pub struct Registry {
    inner: Option<scimkit::Registry>,
}

impl Registry {
    /// The registry, or the error for one freed (the JS layer never calls a freed one).
    pub(crate) fn get(&self) -> glue::Out<&scimkit::Registry> {
        self.inner.as_ref().ok_or_else(|| glue::internal("the Registry was freed"))
    }
}

#[napi]
impl Registry {
    /// Lets the registry's memory go now (again: nothing); otherwise it goes when the object is
    /// collected.
    #[napi]
    pub fn free(&mut self) {
        self.inner = None;
    }

    /// The built-ins plus custom schemas and resource types, each as JSON text.
    #[napi(constructor, catch_unwind)]
    pub fn new(schemas: Vec<String>, resource_types: Vec<String>) -> napi::Result<Self> {
        run(|| glue::registry::build(&schemas, &resource_types).map(|inner| Self { inner: Some(inner) }))
    }

    /// `[resource, {"notes"}]` as two JSON texts.
    #[napi(catch_unwind)]
    pub fn validate(&self, resource_type: String, body: String, options: String) -> napi::Result<Vec<String>> {
        run(|| glue::registry::validate(self.get()?, &resource_type, &body, &options))
    }

    /// `[resource, {"changes", "quirks", "notes"}]` as two JSON texts.
    #[napi(catch_unwind)]
    pub fn apply_patch(
        &self,
        resource_type: String,
        resource: String,
        request: String,
        options: String,
    ) -> napi::Result<Vec<String>> {
        run(|| glue::registry::apply_patch(self.get()?, &resource_type, &resource, &request, &options))
    }

    /// The PatchOp message (JSON text) that turns `old` into `new`.
    #[napi(catch_unwind)]
    pub fn diff(&self, resource_type: String, old: String, new: String) -> napi::Result<String> {
        run(|| glue::registry::diff(self.get()?, &resource_type, &old, &new))
    }

    /// The resource projected per `selection`.
    #[napi(catch_unwind)]
    pub fn project(&self, resource_type: String, resource: String, selection: String) -> napi::Result<String> {
        run(|| glue::registry::project(self.get()?, &resource_type, &resource, &selection))
    }

    /// The resources sorted.
    #[napi(catch_unwind)]
    pub fn sort(
        &self,
        resource_type: String,
        resources: String,
        sort_by: String,
        sort_order: String,
    ) -> napi::Result<String> {
        run(|| glue::registry::sort(self.get()?, &resource_type, &resources, &sort_by, &sort_order))
    }

    /// The ListResponse answering `query`.
    #[napi(catch_unwind)]
    pub fn list_response(&self, resource_type: String, resources: String, query: &ListQuery) -> napi::Result<String> {
        run(|| glue::registry::list_response(self.get()?, &resource_type, &resources, query.get()?))
    }

    /// Where a request (a body or a PatchOp) names `value` as the `value` of `attribute`.
    #[napi(catch_unwind)]
    pub fn value_location(
        &self,
        resource_type: String,
        request: String,
        attribute: String,
        value: String,
    ) -> napi::Result<String> {
        run(|| glue::registry::value_location(self.get()?, &resource_type, &request, &attribute, &value))
    }

    /// The resource with `meta` filled.
    #[napi(catch_unwind)]
    pub fn fill_meta(&self, resource_type: String, resource: String, options: String) -> napi::Result<String> {
        run(|| glue::registry::fill_meta(self.get()?, &resource_type, &resource, &options))
    }

    /// The `/ResourceTypes` ListResponse.
    #[napi(catch_unwind)]
    pub fn resource_types(&self, base_url: Option<String>) -> napi::Result<String> {
        run(|| Ok(glue::registry::resource_types(self.get()?, base_url.as_deref())))
    }

    /// The `/Schemas` ListResponse.
    #[napi(catch_unwind)]
    pub fn schemas(&self, base_url: Option<String>) -> napi::Result<String> {
        run(|| Ok(glue::registry::schemas(self.get()?, base_url.as_deref())))
    }

    /// The `/Schemas/<urn>` document.
    #[napi(catch_unwind)]
    pub fn schema_document(&self, urn: String, base_url: Option<String>) -> napi::Result<String> {
        run(|| glue::registry::schema_document(self.get()?, &urn, base_url.as_deref()))
    }

    /// The `/ResourceTypes/<id>` document.
    #[napi(catch_unwind)]
    pub fn resource_type_document(&self, id: String, base_url: Option<String>) -> napi::Result<String> {
        run(|| glue::registry::resource_type_document(self.get()?, &id, base_url.as_deref()))
    }

    /// The filter `text` (with `limits`) checked against `resource_type`.
    #[napi(catch_unwind)]
    pub fn check_filter(
        &self,
        env: napi::Env,
        text: String,
        limits: String,
        resource_type: String,
    ) -> napi::Result<CheckedFilter> {
        let checked = run(|| glue::filter::check(&glue::filter::parse(&text, &limits)?, self.get()?, &resource_type))?;
        Ok(CheckedFilter::made(env, checked, text.len()))
    }
}
