//! Filters parsed once and checked once, matching resources given as JSON text or held in a
//! resource set (resources parsed once on the Rust side), and the path parsers.

use scimkit::{CheckedFilter, Filter, Registry, api};
use serde_json::Value;

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

/// Below this many resources a set is matched on the calling thread only.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_FROM: usize = 8192;

/// The positions of `resources` that match, in order, counted from `first`.
fn matching_from(filter: &CheckedFilter, resources: &[Value], first: u32) -> Vec<u32> {
    resources.iter().zip(first..).filter_map(|(resource, index)| filter.matches(resource).then_some(index)).collect()
}

/// The positions of the resources that match, in order. In the native addon a large set is
/// split across the cores the process may use (one scoped thread per part; the filter and the
/// resources are only read); WebAssembly has one thread.
pub fn matching(filter: &CheckedFilter, resources: &[Value]) -> Vec<u32> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        if threads > 1 && resources.len() >= PARALLEL_FROM {
            let part = resources.len().div_ceil(threads);
            let found = std::thread::scope(|scope| {
                let spawned: Result<Vec<_>, _> = resources
                    .chunks(part)
                    .zip((0_u32..).step_by(part))
                    .map(|(chunk, first)| {
                        std::thread::Builder::new().spawn_scoped(scope, move || matching_from(filter, chunk, first))
                    })
                    .collect();
                // A thread that cannot start: every part on this thread instead.
                spawned.ok().map(|handles| {
                    handles
                        .into_iter()
                        .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                        .collect::<Vec<u32>>()
                })
            });
            if let Some(found) = found {
                return found;
            }
        }
    }
    matching_from(filter, resources, 0)
}

/// For each resource of a JSON array text, 1 when it matches, else 0.
pub fn flags(filter: &CheckedFilter, resources: &str) -> Out<Vec<u8>> {
    Ok(args::resources(resources)?.iter().map(|r| u8::from(filter.matches(r))).collect())
}

/// A PATCH path as `{"canonical", "urn"?, "name", "sub"?, "filter"?}`.
pub fn parse_patch_path(text: &str) -> Out {
    api::patch_path_parse(text).map(|p| api::to_json(&api::patch_path_describe(&p))).map_err(fail)
}

/// An attribute path in its canonical form, as a JSON string.
pub fn parse_attr_path(text: &str) -> Out {
    api::attr_path_parse(text).map(|p| api::to_json(&p.to_string())).map_err(fail)
}
