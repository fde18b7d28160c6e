//! The protocol helpers that need no registry, the bulk runner, and the error hooks.

#![expect(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen hands optional strings and string lists over as owned values"
)]

use wasm_bindgen::prelude::wasm_bindgen;

use crate::glue::{self, Out, guard};

/// List parameters after the core's defaults and limits.
#[wasm_bindgen]
pub struct ListQuery {
    pub(crate) inner: scimkit::protocol::ListQuery,
}

#[wasm_bindgen]
impl ListQuery {
    /// From a URI query string; options as JSON text.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = fromQueryString)]
    pub fn from_query_string(query: &str, options: &str) -> Out<ListQuery> {
        guard(|| glue::protocol::query_from_query_string(query, options).map(|inner| Self { inner }))
    }

    /// From a SearchRequest body (JSON text); options as JSON text.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = fromSearchRequest)]
    pub fn from_search_request(body: &str, options: &str) -> Out<ListQuery> {
        guard(|| glue::protocol::query_from_search_request(body, options).map(|inner| Self { inner }))
    }

    /// The query as JSON text.
    ///
    /// # Errors
    /// Only an internal error.
    pub fn json(&self) -> Out {
        guard(|| Ok(glue::protocol::query_json(&self.inner)))
    }
}

/// The ListResponse (JSON text) for a page the host cut itself.
///
/// # Errors
/// The error JSON when the resources are not a JSON array.
#[wasm_bindgen(js_name = pageResponse)]
pub fn page_response(resources: &str, total_results: f64, start_index: Option<f64>) -> Out {
    crate::memory::reserve_for(resources);
    guard(|| glue::protocol::page_response(resources, total_results, start_index))
}

/// The error JSON of an error record or a list of them (returned, not thrown).
///
/// # Errors
/// The error JSON when the records are not error records.
#[wasm_bindgen(js_name = errorFromValue)]
pub fn error_from_value(records: &str) -> Out {
    guard(|| glue::protocol::error_from_value(records))
}

/// The error JSON of an internal error (status 500).
#[wasm_bindgen(js_name = internalError)]
pub fn internal_error(detail: &str) -> String {
    glue::internal(detail)
}

/// Panics with `message`: the test hook proving a trap leaves the next call working.
///
/// # Errors
/// Never returns: it traps.
///
/// # Panics
/// Always: that is what it is for.
#[wasm_bindgen]
pub fn panic(message: &str) -> Out {
    guard(|| glue::test_panic(message))
}

/// The error JSON an object answers once a trap took what it held: `object` is its class
/// (`"HeldResource"`, `"BulkRunner"`, `"ResourceSet"`, `"CheckedFilter"`, `"Mapping"`).
#[wasm_bindgen(js_name = lostObjectError)]
pub fn lost_object_error(object: &str) -> String {
    glue::lost(object)
}

/// The ServiceProviderConfig document (JSON text).
///
/// # Errors
/// The error JSON for bad options.
#[wasm_bindgen(js_name = serviceProviderConfig)]
pub fn service_provider_config(options: &str, base_url: Option<String>) -> Out {
    guard(|| glue::protocol::service_provider_config(options, base_url.as_deref()))
}

/// The weak entity tag of a resource.
///
/// # Errors
/// The error JSON when the resource is not JSON.
#[wasm_bindgen]
pub fn etag(resource: &str) -> Out {
    guard(|| glue::protocol::etag(resource))
}

/// Refuses a `filter` given to a discovery endpoint; none: nothing.
///
/// # Errors
/// The error JSON (403) when `filter` is given.
#[wasm_bindgen(js_name = refuseFilter)]
pub fn refuse_filter(filter: Option<String>) -> Out<()> {
    guard(|| glue::protocol::refuse_filter(filter.as_deref()))
}

/// Refuses a discovery request whose URI query string names `filter`; else nothing.
///
/// # Errors
/// The error JSON (403) when the query names `filter`, 400 for a malformed name.
#[wasm_bindgen(js_name = refuseFilterInQuery)]
pub fn refuse_filter_in_query(query: &str) -> Out<()> {
    guard(|| glue::protocol::refuse_filter_in_query(query))
}

/// `proceed`, `notModified` or `preconditionFailed`.
///
/// # Errors
/// The error JSON for an unknown method or a malformed header.
#[wasm_bindgen(js_name = evaluatePreconditions)]
pub fn evaluate_preconditions(
    method: &str,
    current: Option<String>,
    if_match: Option<String>,
    if_none_match: Option<String>,
) -> Out {
    guard(|| {
        glue::protocol::evaluate_preconditions(
            method,
            current.as_deref(),
            if_match.as_deref(),
            if_none_match.as_deref(),
        )
    })
}

/// The bulk plan (JSON text).
///
/// # Errors
/// The error JSON.
#[wasm_bindgen(js_name = bulkPlan)]
pub fn bulk_plan(request: &str, limits: &str) -> Out {
    guard(|| glue::protocol::bulk_plan(request, limits))
}

/// Runs a bulk request with the host executing each operation.
#[wasm_bindgen]
pub struct BulkRunner {
    inner: scimkit::protocol::bulk::BulkRunner,
}

#[wasm_bindgen]
impl BulkRunner {
    /// Plans `request` within `limits` (JSON text); `base_url` builds the `location`s.
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(request: &str, limits: &str, base_url: Option<String>) -> Out<BulkRunner> {
        guard(|| glue::protocol::bulk_runner(request, limits, base_url.as_deref()).map(|inner| Self { inner }))
    }

    /// The next operation (JSON text), or `undefined` when the run is over.
    #[wasm_bindgen(js_name = nextOperation)]
    pub fn next_operation(&mut self) -> Option<String> {
        glue::protocol::bulk_next(&mut self.inner)
    }

    /// Records the outcome (JSON text) of the operation last handed out.
    ///
    /// # Errors
    /// The error JSON for an outcome of another shape.
    pub fn record(&mut self, outcome: &str) -> Out<()> {
        guard(|| glue::protocol::bulk_record(&mut self.inner, outcome))
    }

    /// The BulkResponse (JSON text) for what has run so far.
    pub fn finish(&self) -> String {
        glue::protocol::bulk_finish(&self.inner)
    }

    /// Panics with `message` while the runner is borrowed: the test hook proving a trap loses
    /// only this runner.
    ///
    /// # Errors
    /// Never returns: it traps.
    pub fn panic(&mut self, message: &str) -> Out {
        guard(|| glue::test_panic(message))
    }
}
