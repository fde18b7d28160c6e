//! Everything done against a compiled [`Registry`]: building it, validate, PATCH and diff,
//! projection, sorting, list responses, `meta` and the discovery documents.

use scimkit::protocol::ListQuery;
use scimkit::{Registry, api};

use super::error::{Out, error_json, fail};
use super::text::{marked, report_text};

/// The built-ins plus custom schemas and resource types, each as JSON text.
pub fn build(schemas: &[String], resource_types: &[String]) -> Out<Registry> {
    api::build_registry(schemas, resource_types).map_err(fail)
}

/// `[resource, {"notes"}]`, two JSON texts (the second a [`report_text`]); a failure carries
/// every error and the notes.
pub fn validate(registry: &Registry, resource_type: &str, body: &str, options: &str) -> Out<Vec<String>> {
    match api::validate_text(registry, resource_type, body, options) {
        Ok(v) => Ok(vec![
            marked(api::to_json(&v.resource)),
            report_text(v.notes.is_empty(), || api::validated_report_to_json(&v)),
        ]),
        Err(invalid) => Err(error_json(&invalid.error, &invalid.notes)),
    }
}

/// `[resource, {"changes", "quirks", "notes"}]`, two JSON texts (the second a
/// [`report_text`]).
pub fn apply_patch(
    registry: &Registry,
    resource_type: &str,
    resource: &str,
    request: &str,
    options: &str,
) -> Out<Vec<String>> {
    let p = api::patch_text(registry, resource_type, resource, request, options).map_err(fail)?;
    Ok(vec![marked(api::to_json(&p.resource)), report_text(p.reports_nothing(), || api::patch_report_to_json(&p))])
}

/// The PatchOp message that turns `old` into `new`.
pub fn diff(registry: &Registry, resource_type: &str, old: &str, new: &str) -> Out {
    api::diff_text(registry, resource_type, old, new).map(marked).map_err(fail)
}

/// The resource projected per `selection` (`{"attributes"?, "excludedAttributes"?}`).
pub fn project(registry: &Registry, resource_type: &str, resource: &str, selection: &str) -> Out {
    api::project_json(registry, resource_type, resource, selection).map(marked).map_err(fail)
}

/// The resources (a JSON array) sorted.
pub fn sort(registry: &Registry, resource_type: &str, resources: &str, sort_by: &str, sort_order: &str) -> Out {
    api::sort_json(registry, resource_type, resources, sort_by, sort_order).map(marked).map_err(fail)
}

/// The ListResponse answering `query` over the resources (a JSON array, read one at a time).
pub fn list_response(registry: &Registry, resource_type: &str, resources: &str, query: &ListQuery) -> Out {
    api::list_response_text(registry, resource_type, resources, query).map(|r| marked(api::to_json(&r))).map_err(fail)
}

/// Where a request (a body or a PatchOp) names `value` as the `value` of `attribute`: a JSON
/// pointer.
pub fn value_location(registry: &Registry, resource_type: &str, request: &str, attribute: &str, value: &str) -> Out {
    api::value_location_json(registry, resource_type, request, attribute, value).map_err(fail)
}

/// The resource with `meta` filled.
pub fn fill_meta(registry: &Registry, resource_type: &str, resource: &str, options: &str) -> Out {
    api::fill_meta_json(registry, resource_type, resource, options).map(marked).map_err(fail)
}

/// The `/ResourceTypes` ListResponse.
pub fn resource_types(registry: &Registry, base_url: Option<&str>) -> String {
    api::resource_types_json(registry, base_url)
}

/// The `/Schemas` ListResponse.
pub fn schemas(registry: &Registry, base_url: Option<&str>) -> String {
    api::schemas_json(registry, base_url)
}

/// The `/Schemas/<urn>` document.
pub fn schema_document(registry: &Registry, urn: &str, base_url: Option<&str>) -> Out {
    api::schema_document_json(registry, urn, base_url).map_err(fail)
}

/// The `/ResourceTypes/<id>` document.
pub fn resource_type_document(registry: &Registry, id: &str, base_url: Option<&str>) -> Out {
    api::resource_type_document_json(registry, id, base_url).map_err(fail)
}
