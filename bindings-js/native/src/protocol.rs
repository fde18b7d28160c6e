//! The protocol helpers that need no registry, the bulk runner, and the error hooks.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings and string lists over as owned values")]

use napi::Env;
use napi::bindgen_prelude::ObjectFinalize;
use napi_derive::napi;

use crate::memory::{estimate, report};
use crate::{glue, run};

/// List parameters after the core's defaults and limits.
#[napi]
pub struct ListQuery {
    inner: Option<scimkit::protocol::ListQuery>,
}

impl ListQuery {
    /// The query, or the error for one freed (the JS layer never calls a freed one).
    pub(crate) fn get(&self) -> glue::Out<&scimkit::protocol::ListQuery> {
        self.inner.as_ref().ok_or_else(|| glue::internal("the ListQuery was freed"))
    }
}

#[napi]
impl ListQuery {
    /// Lets the query's memory go now (again: nothing); otherwise it goes when the object is
    /// collected.
    #[napi]
    pub fn free(&mut self) {
        self.inner = None;
    }

    /// From a URI query string; options as JSON text.
    #[napi(factory, catch_unwind)]
    pub fn from_query_string(query: String, options: String) -> napi::Result<Self> {
        run(|| glue::protocol::query_from_query_string(&query, &options).map(|inner| Self { inner: Some(inner) }))
    }

    /// From a SearchRequest body (JSON text); options as JSON text.
    #[napi(factory, catch_unwind)]
    pub fn from_search_request(body: String, options: String) -> napi::Result<Self> {
        run(|| glue::protocol::query_from_search_request(&body, &options).map(|inner| Self { inner: Some(inner) }))
    }

    /// The query as JSON text.
    #[napi(catch_unwind)]
    pub fn json(&self) -> napi::Result<String> {
        run(|| Ok(glue::protocol::query_json(self.get()?)))
    }
}

/// The ListResponse (JSON text) for a page the host cut itself.
#[napi(catch_unwind)]
pub fn page_response(resources: String, total_results: f64, start_index: Option<f64>) -> napi::Result<String> {
    run(|| glue::protocol::page_response(&resources, total_results, start_index))
}

/// The error JSON of an error record or a list of them (returned, not thrown).
#[napi(catch_unwind)]
pub fn error_from_value(records: String) -> napi::Result<String> {
    run(|| glue::protocol::error_from_value(&records))
}

/// The error JSON of an internal error (status 500).
#[napi(catch_unwind)]
pub fn internal_error(detail: String) -> napi::Result<String> {
    run(|| Ok(glue::internal(&detail)))
}

/// Panics with `message`: the test hook proving a panic becomes an internal error.
///
/// # Panics
/// Always (inside the guard, which turns it into an internal error).
#[napi(catch_unwind)]
pub fn panic(message: String) -> napi::Result<String> {
    run(|| glue::test_panic(&message))
}

/// The error JSON a held object answers once lost (a WebAssembly-only state: here a panic is
/// caught and the object is kept; exported for the same `backend` shape in both builds).
#[napi(catch_unwind)]
pub fn lost_object_error(object: String) -> napi::Result<String> {
    run(|| Ok(glue::lost(&object)))
}

/// The ServiceProviderConfig document (JSON text).
#[napi(catch_unwind)]
pub fn service_provider_config(options: String, base_url: Option<String>) -> napi::Result<String> {
    run(|| glue::protocol::service_provider_config(&options, base_url.as_deref()))
}

/// The weak entity tag of a resource.
#[napi(catch_unwind)]
pub fn etag(resource: String) -> napi::Result<String> {
    run(|| glue::protocol::etag(&resource))
}

/// Refuses a `filter` given to a discovery endpoint (403); none: nothing.
#[napi(catch_unwind)]
pub fn refuse_filter(filter: Option<String>) -> napi::Result<()> {
    run(|| glue::protocol::refuse_filter(filter.as_deref()))
}

/// Refuses a discovery request whose URI query string names `filter` (403); else nothing.
#[napi(catch_unwind)]
pub fn refuse_filter_in_query(query: String) -> napi::Result<()> {
    run(|| glue::protocol::refuse_filter_in_query(&query))
}

/// `proceed`, `notModified` or `preconditionFailed`.
#[napi(catch_unwind)]
pub fn evaluate_preconditions(
    method: String,
    current: Option<String>,
    if_match: Option<String>,
    if_none_match: Option<String>,
) -> napi::Result<String> {
    run(|| {
        glue::protocol::evaluate_preconditions(
            &method,
            current.as_deref(),
            if_match.as_deref(),
            if_none_match.as_deref(),
        )
    })
}

/// The bulk plan (JSON text).
#[napi(catch_unwind)]
pub fn bulk_plan(request: String, limits: String) -> napi::Result<String> {
    run(|| glue::protocol::bulk_plan(&request, &limits))
}

/// Bytes reported to V8 for a bulk runner per byte of its request (`crate::memory`): the
/// operations read as values, from below.
const BULK_RUNNER_PER_TEXT_BYTE: i64 = 6;

/// Runs a bulk request with the host executing each operation; `free()` lets its memory go at
/// once, and finalization does when it was not called.
#[napi(custom_finalize)]
pub struct BulkRunner {
    inner: Option<scimkit::protocol::bulk::BulkRunner>,
    reported: i64,
}

impl BulkRunner {
    /// The runner, or the error for one freed (the JS layer never calls a freed one).
    fn get(&mut self) -> glue::Out<&mut scimkit::protocol::bulk::BulkRunner> {
        self.inner.as_mut().ok_or_else(|| glue::internal("the BulkRunner was freed"))
    }
}

#[napi]
impl BulkRunner {
    /// Plans `request` within `limits` (JSON text); `base_url` builds the `location`s.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, request: String, limits: String, base_url: Option<String>) -> napi::Result<Self> {
        let inner = run(|| glue::protocol::bulk_runner(&request, &limits, base_url.as_deref()))?;
        let reported = estimate(request.len(), BULK_RUNNER_PER_TEXT_BYTE, 0);
        report(env, reported);
        Ok(Self { inner: Some(inner), reported })
    }

    /// Lets the runner's memory go now (again: nothing).
    #[napi]
    pub fn free(&mut self, env: Env) {
        if self.inner.take().is_some() {
            report(env, -self.reported);
        }
    }

    /// The next operation (JSON text), or `null` when the run is over.
    #[napi(catch_unwind)]
    pub fn next_operation(&mut self) -> napi::Result<Option<String>> {
        run(|| Ok(glue::protocol::bulk_next(self.get()?)))
    }

    /// Records the outcome (JSON text) of the operation last handed out.
    #[napi(catch_unwind)]
    pub fn record(&mut self, outcome: String) -> napi::Result<()> {
        run(|| glue::protocol::bulk_record(self.get()?, &outcome))
    }

    /// The BulkResponse (JSON text) for what has run so far.
    #[napi(catch_unwind)]
    pub fn finish(&mut self) -> napi::Result<String> {
        run(|| Ok(glue::protocol::bulk_finish(self.get()?)))
    }

    /// Panics with `message` while the runner is borrowed: the test hook proving a panic
    /// leaves it working.
    #[napi(catch_unwind)]
    #[allow(
        clippy::unused_self,
        reason = "it borrows the object as a real call does: what it tests (an `expect` is not seen through the napi macro)"
    )]
    pub fn panic(&mut self, message: String) -> napi::Result<String> {
        run(|| glue::test_panic(&message))
    }
}

impl ObjectFinalize for BulkRunner {
    fn finalize(mut self, env: Env) -> napi::Result<()> {
        self.free(env);
        Ok(())
    }
}
