//! Filters parsed once and checked once, matching resources given as JSON text or held in a
//! resource set (resources parsed once on the Rust side, see [`ResourceSet`]), and the path
//! parsers.

use scimkit::{CheckedFilter, Filter, Registry, ResourceSet, api};

use super::args;
use super::error::{Out, fail};

/// Parses a filter with limits given as a camelCase JSON object (empty text: the defaults).
pub fn parse(text: &str, limits: &str) -> Out<Filter> {
    api::filter_parse_with(text, limits).map_err(fail)
}

/// `{"canonical", "ast"}`.
pub fn describe(filter: &Filter) -> String {
    api::to_json(&api::filter_describe(filter))
}

/// The filter checked against a resource type of `registry`.
pub fn check(filter: &Filter, registry: &Registry, resource_type: &str) -> Out<CheckedFilter> {
    filter.check(&registry.require_resource_type(resource_type).map_err(fail)?).map_err(fail)
}

/// Whether one resource (JSON text) matches.
pub fn matches(filter: &CheckedFilter, resource: &str) -> Out<bool> {
    Ok(filter.matches(&args::resource(resource)?))
}

/// Resources (a JSON array text) held in a [`ResourceSet`], which keeps the columns of the
/// attributes filters name, reading them out of a large set on as many threads as the process
/// may use (one where threads cannot start: WebAssembly).
pub fn set(resources: &str) -> Out<ResourceSet> {
    args::resources(resources).map(|items| ResourceSet::new(items).with_available_threads())
}

/// The positions of the resources of `set` that match, in order.
pub fn set_matching(set: &ResourceSet, filter: &CheckedFilter) -> Vec<u32> {
    set.matching(filter).into_iter().map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect()
}

/// For each resource of a JSON array text, 1 when it matches, else 0 (read one resource at a
/// time).
pub fn flags(filter: &CheckedFilter, resources: &str) -> Out<Vec<u8>> {
    api::matches_each_json(filter, resources).map(|flags| flags.into_iter().map(u8::from).collect()).map_err(fail)
}

/// A PATCH path as `{"canonical", "urn"?, "name", "sub"?, "filter"?}`.
pub fn parse_patch_path(text: &str) -> Out {
    api::patch_path_parse(text).map(|p| api::to_json(&api::patch_path_describe(&p))).map_err(fail)
}

/// An attribute path in its canonical form, as a JSON string.
pub fn parse_attr_path(text: &str) -> Out {
    api::attr_path_parse(text).map(|p| api::to_json(&p.to_string())).map_err(fail)
}
