//! The protocol helpers that need no registry: list parameters, pages, error records and
//! bodies, the ServiceProviderConfig, entity tags and preconditions, bulk planning and running.

use scimkit::protocol::ListQuery;
use scimkit::protocol::bulk::BulkRunner;
use scimkit::{Limits, api};

use super::args;
use super::error::{Out, fail};
use super::text::marked;

/// List parameters from a URI query string.
pub fn query_from_query_string(query: &str, options: &str) -> Out<ListQuery> {
    api::list_query_from_query_string(query, options).map_err(fail)
}

/// List parameters from a SearchRequest body (JSON text).
pub fn query_from_search_request(body: &str, options: &str) -> Out<ListQuery> {
    api::list_query_from_search_request(body, options).map_err(fail)
}

/// A list query as the core serializes it.
pub fn query_json(query: &ListQuery) -> String {
    api::to_json(query)
}

/// The ListResponse for a page the host cut itself from `total_results` matches.
pub fn page_response(resources: &str, total_results: f64, start_index: Option<f64>) -> Out {
    let page = args::resources(resources)?;
    Ok(marked(api::to_json(&api::page_response(page, total_results, start_index).map_err(fail)?)))
}

/// The error JSON (returned, not thrown) of one error record `{"scimType"? | "status",
/// "detail"?, "location"?}` or of an array of them (one error standing for all).
pub fn error_from_value(records: &str) -> Out {
    let value = scimkit::json::parse_strict(records, &Limits::default()).map_err(fail)?;
    Ok(fail(api::error_from_records(&value).map_err(fail)?))
}

/// The ServiceProviderConfig document.
pub fn service_provider_config(options: &str, base_url: Option<&str>) -> Out {
    api::service_provider_config_json(options, base_url).map_err(fail)
}

/// The weak entity tag of a resource (plain text, not JSON).
pub fn etag(resource: &str) -> Out {
    api::etag_json(resource).map_err(fail)
}

/// Refuses a `filter` given to a discovery endpoint (403, RFC 7644 §4); none: nothing.
pub fn refuse_filter(filter: Option<&str>) -> Out<()> {
    scimkit::protocol::refuse_filter(filter).map_err(fail)
}

/// Refuses a discovery request whose URI query string names `filter` (403); else nothing.
pub fn refuse_filter_in_query(query: &str) -> Out<()> {
    scimkit::protocol::refuse_filter_in_query(query).map_err(fail)
}

/// `proceed`, `notModified` or `preconditionFailed` (plain text, not JSON).
pub fn evaluate_preconditions(
    method: &str,
    current: Option<&str>,
    if_match: Option<&str>,
    if_none_match: Option<&str>,
) -> Out {
    api::evaluate_preconditions(method, current, if_match, if_none_match).map(str::to_owned).map_err(fail)
}

/// The bulk plan `{"failOnErrors", "operations"}`.
pub fn bulk_plan(request: &str, limits: &str) -> Out {
    api::bulk_plan_json(request, limits).map(marked).map_err(fail)
}

/// A runner over a bulk request.
pub fn bulk_runner(request: &str, limits: &str, base_url: Option<&str>) -> Out<BulkRunner> {
    api::bulk_runner(request, limits, base_url).map_err(fail)
}

/// The next operation, or `None` when the run is over.
pub fn bulk_next(runner: &mut BulkRunner) -> Option<String> {
    api::bulk_next_json(runner)
}

/// Records the outcome (JSON text) of the operation last handed out.
pub fn bulk_record(runner: &mut BulkRunner, outcome: &str) -> Out<()> {
    api::bulk_record_json(runner, outcome).map_err(fail)
}

/// The BulkResponse for what has run so far (the runner stays usable).
pub fn bulk_finish(runner: &BulkRunner) -> String {
    api::bulk_finish_json(runner.clone())
}
