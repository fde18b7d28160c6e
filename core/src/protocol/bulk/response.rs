//! Running a bulk plan with the host doing the work, and the BulkResponse (RFC 7644 §3.7.3).
//!
//! [`BulkRunner`] hands out operations in plan order with references resolved, records what
//! the host reports, stops once `failOnErrors` errors have happened (`0` counts as 1: stop at
//! the first error), and builds the response listing every processed operation in request
//! order: `location`, `method`, `bulkId`, `version`, `status` (a string) and, for failures,
//! `response` (the RFC 7644 §3.12 error body). An operation the plan refused, or whose
//! reference cannot be resolved, fails (400 / 409) without reaching the host.
//!
//! A POST the plan split to break a cycle of references runs twice: first without the values
//! held back, then, as soon as what they refer to exists, as the PATCH adding them (same
//! `index`; [`BulkRunner::completing`] tells). Its one result is the POST's, with the PATCH's
//! `version` (none when the PATCH reports none); when the PATCH fails or cannot run, a 409 that keeps the `location` (the
//! resource exists without those values).

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::plan::{BulkPlan, resolve};
use super::request::{BulkMethod, BulkOperation};
use crate::error::{Error, ErrorKind, excerpt};
use crate::protocol::meta::encode_segment;
use crate::urn;

/// What the host reports for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationOutcome {
    /// The operation succeeded.
    Success {
        /// The HTTP status (201 for POST, 200 for PUT/PATCH, 204 for DELETE).
        status: u16,
        /// The resource's id (for a POST, what later `bulkId:` references become); when not
        /// given, the last path segment of `location`, or of the operation's path.
        id: Option<String>,
        /// The resource's URI; when not given, built from the runner's base URL.
        location: Option<String>,
        /// The resource's new version.
        version: Option<String>,
    },
    /// The operation failed.
    Failure(Error),
}

/// One processed operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationResult {
    /// Its position in the request.
    pub index: usize,
    /// Its method.
    pub method: BulkMethod,
    /// Its `bulkId`.
    pub bulk_id: Option<String>,
    /// The resource's URI, when known.
    pub location: Option<String>,
    /// The resource's version, when known.
    pub version: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// The error, for a failure.
    pub error: Option<Error>,
}

impl Serialize for OperationResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.bulk_id {
            map.serialize_entry("bulkId", id)?;
        }
        if let Some(location) = &self.location {
            map.serialize_entry("location", location)?;
        }
        map.serialize_entry("method", self.method.as_str())?;
        if let Some(e) = &self.error {
            // The RFC 7644 §3.12 body, as an identity provider gets it for a plain request.
            map.serialize_entry("response", &e.to_response())?;
        }
        map.serialize_entry("status", &self.status.to_string())?;
        if let Some(version) = &self.version {
            map.serialize_entry("version", version)?;
        }
        map.end()
    }
}

/// The BulkResponse: every processed operation, in request order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkResponse {
    /// The results.
    pub operations: Vec<OperationResult>,
}

impl BulkResponse {
    /// A response from per-operation results (sorted here into request order).
    pub fn new(operations: Vec<OperationResult>) -> Self {
        if operations.is_sorted_by_key(|r| r.index) {
            return Self { operations };
        }
        // A stable sort by `index`, with the crate's one copy of the sort code.
        let order = crate::protocol::sort::stable_order(operations.iter().map(|r| r.index));
        Self { operations: crate::protocol::sort::permute(operations, order) }
    }
}

impl Serialize for BulkResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("Operations", &self.operations)?;
        map.serialize_entry("schemas", &[urn::BULK_RESPONSE])?;
        map.end()
    }
}

/// Walks a [`BulkPlan`] with the host: [`BulkRunner::next_operation`], run it,
/// [`BulkRunner::record`], until `next_operation` gives `None`; then [`BulkRunner::finish`].
#[derive(Debug, Clone)]
pub struct BulkRunner {
    plan: BulkPlan,
    base_url: Option<String>,
    next: usize,
    /// The plan position of the operation handed out and not yet recorded.
    pending: Option<(usize, BulkOperation)>,
    ids: BTreeMap<String, String>,
    results: Vec<OperationResult>,
    errors: usize,
}

impl BulkRunner {
    /// A runner over `plan`; `base_url` (`https://example.com/v2`) builds `location`s the host
    /// does not give.
    pub fn new(plan: BulkPlan, base_url: Option<String>) -> Self {
        Self { plan, base_url, next: 0, pending: None, ids: BTreeMap::new(), results: Vec::new(), errors: 0 }
    }

    /// Whether `failOnErrors` has stopped the run.
    pub fn stopped(&self) -> bool {
        self.plan.fail_on_errors.is_some_and(|n| u64::try_from(self.errors).unwrap_or(u64::MAX) >= n.max(1))
    }

    /// The next operation to run, with references resolved, and its index in the request;
    /// `None` when every operation ran or `failOnErrors` stopped the run. An operation handed
    /// out earlier and not recorded counts as failed (500; a completion left unrecorded makes
    /// its POST's result a 409, the resource lacking what it held back).
    pub fn next_operation(&mut self) -> Option<(usize, BulkOperation)> {
        if self.pending.is_some() {
            self.store(OperationOutcome::Failure(Error::new(
                ErrorKind::Internal,
                "no outcome was recorded for this operation",
            )));
        }
        while !self.stopped() {
            let position = self.next;
            let step = self.plan.operations.get(position)?;
            self.next += 1;
            if step.completes {
                // A POST that failed has nothing to complete (and its failure is reported).
                if !self.created(step.index) {
                    continue;
                }
                match resolve(step, &self.ids) {
                    Ok(op) => {
                        self.pending = Some((position, op.clone()));
                        return Some((step.index, op));
                    }
                    Err(e) => {
                        let index = step.index;
                        self.left_incomplete(index, e.detail());
                        continue;
                    }
                }
            }
            let ready = match &step.refused {
                Some(refused) => Err(refused.clone()),
                None => resolve(step, &self.ids),
            };
            match ready {
                Ok(op) => {
                    self.pending = Some((self.next - 1, op.clone()));
                    return Some((step.index, op));
                }
                Err(e) => {
                    let op = step.operation.clone();
                    self.pending = Some((self.next - 1, op));
                    self.store(OperationOutcome::Failure(e));
                }
            }
        }
        None
    }

    /// Records the outcome of the operation last handed out (ignored when there is none).
    ///
    /// # Errors
    /// `invalidValue`, the operation still waiting for its outcome, for a POST's success that
    /// names no resource (neither an `id` nor a `location`): the BulkResponse must give its
    /// location (RFC 7644 §3.7.3: for every operation but a failed POST), and a `bulkId`
    /// reference to it resolves to that id.
    pub fn record(&mut self, outcome: OperationOutcome) -> Result<(), Error> {
        if let (Some((_, op)), OperationOutcome::Success { id, location, .. }) = (&self.pending, &outcome) {
            let named =
                id.as_deref().is_some_and(|id| !id.is_empty()) || location.as_deref().and_then(last_segment).is_some();
            if op.method == BulkMethod::Post && !named {
                return Err(Error::new(
                    crate::ScimType::InvalidValue,
                    "invalid bulk outcome: a POST that succeeded needs the new resource's `id` (or its `location`), \
                     which the BulkResponse gives and `bulkId` references resolve to",
                ));
            }
        }
        self.store(outcome);
        Ok(())
    }

    /// Whether the operation handed out and not yet recorded completes a POST split to break a
    /// cycle of references (the PATCH adding the values it held back, RFC 7644 §3.7.1): its
    /// outcome goes into that POST's result rather than a result of its own.
    pub fn completing(&self) -> bool {
        self.pending.as_ref().and_then(|(position, _)| self.plan.operations.get(*position)).is_some_and(|s| s.completes)
    }

    /// Whether the operation at request `index` ran and succeeded.
    fn created(&self, index: usize) -> bool {
        self.results.iter().rev().find(|r| r.index == index).is_some_and(|r| r.error.is_none())
    }

    /// Turns the success of the POST at request `index` into a 409: the resource exists (its
    /// `location` stays) but lacks the values held back to break a cycle, for `why`.
    fn left_incomplete(&mut self, index: usize, why: &str) {
        let Some(result) = self.results.iter_mut().rev().find(|r| r.index == index && r.error.is_none()) else {
            return;
        };
        let error = Error::new(
            ErrorKind::Conflict,
            format!(
                "the resource was created without the values that refer to a cycle of `bulkId` references \
                 (RFC 7644 §3.7.1), and adding them afterwards failed: {why}"
            ),
        )
        .at(crate::Location::root().key("Operations").index(index));
        result.status = error.status();
        result.error = Some(error);
        self.errors += 1;
    }

    /// Records `outcome` as it is (see [`BulkRunner::record`]).
    fn store(&mut self, outcome: OperationOutcome) {
        let Some((position, op)) = self.pending.take() else { return };
        let Some(step) = self.plan.operations.get(position) else { return };
        let (index, bulk_id) = (step.index, step.operation.bulk_id.clone());
        if step.completes {
            match outcome {
                OperationOutcome::Success { version, .. } => {
                    // The resource's version is the one the PATCH made (when not told, the
                    // POST's is stale: none is given).
                    if let Some(result) = self.results.iter_mut().rev().find(|r| r.index == index) {
                        result.version = version;
                    }
                }
                OperationOutcome::Failure(e) => self.left_incomplete(index, e.detail()),
            }
            return;
        }
        let path_location = |id: Option<&str>| {
            let base = self.base_url.as_deref()?.trim_end_matches('/');
            match (op.method, id) {
                (BulkMethod::Post, Some(id)) => Some(format!("{base}{}/{}", op.path, encode_segment(id))),
                (BulkMethod::Post, None) => None,
                _ => Some(format!("{base}{}", op.path)),
            }
        };
        let result = match outcome {
            OperationOutcome::Success { status, id, location, version } => {
                // An empty id names nothing (and would make `location` the endpoint itself).
                let id = id
                    .filter(|id| !id.is_empty())
                    .or_else(|| location.as_deref().and_then(last_segment))
                    .or_else(|| (op.method != BulkMethod::Post).then(|| last_segment(&op.path)).flatten());
                if let (Some(bulk_id), Some(id)) = (&bulk_id, &id) {
                    self.ids.insert(bulk_id.clone(), id.clone());
                }
                let location = location.or_else(|| path_location(id.as_deref()));
                OperationResult { index, method: op.method, bulk_id, location, version, status, error: None }
            }
            OperationOutcome::Failure(e) => {
                self.errors += 1;
                // A path still holding a `bulkId:` reference names no resource.
                let unresolved = op.path.rsplit('/').next().is_some_and(|s| s.starts_with(super::plan::BULK_ID_PREFIX));
                let location = path_location(None).filter(|_| op.method != BulkMethod::Post && !unresolved);
                OperationResult {
                    index,
                    method: op.method,
                    bulk_id,
                    location,
                    version: None,
                    status: e.status(),
                    error: Some(e),
                }
            }
        };
        self.results.push(result);
    }

    /// The ids recorded so far (bulkId → id).
    pub fn ids(&self) -> &BTreeMap<String, String> {
        &self.ids
    }

    /// The BulkResponse of every processed operation. A POST split to break a cycle whose
    /// completion did not run (`failOnErrors` stopped the run first) is a 409: the resource
    /// exists without the values held back.
    pub fn finish(mut self) -> BulkResponse {
        if self.pending.is_some() {
            self.store(OperationOutcome::Failure(Error::new(
                ErrorKind::Internal,
                "no outcome was recorded for this operation",
            )));
        }
        let unrun: Vec<usize> =
            self.plan.operations.iter().skip(self.next).filter(|s| s.completes).map(|s| s.index).collect();
        for index in unrun {
            self.left_incomplete(index, "the run stopped first (`failOnErrors`)");
        }
        BulkResponse::new(self.results)
    }
}

/// The id a path or URI names: its last segment, percent-decoded (kept as it is when it is not
/// well-formed percent-encoding).
fn last_segment(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segment = path.rsplit('/').next().filter(|s| !s.is_empty())?;
    Some(crate::protocol::form::percent_decode_segment(segment).unwrap_or_else(|_| segment.to_owned()))
}

/// The outcome a host reports as JSON: `{"status": 201, "id"?, "location"?, "version"?}` for a
/// success (the status a number or, as SCIM writes it on the wire, its string `"201"`), `{"error": {"status", "scimType"?, "detail"?}}` for a failure.
///
/// # Errors
/// `invalidValue` when the object has another shape or the status is not an HTTP status.
pub fn outcome_from_value(value: &Value) -> Result<OperationOutcome, Error> {
    let bad = |what: &str| Error::new(crate::ScimType::InvalidValue, format!("invalid bulk outcome: {what}"));
    let obj = value.as_object().ok_or_else(|| bad("not an object"))?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    if let Some(error) = obj.get("error") {
        return error_from_value(error).map(OperationOutcome::Failure);
    }
    // A number, or the string of one as SCIM writes statuses on the wire (`"201"`).
    let status = obj
        .get("status")
        .and_then(|s| {
            status_number(s)
                .or_else(|| s.as_str().filter(|t| t.bytes().all(|b| b.is_ascii_digit())).and_then(|t| t.parse().ok()))
        })
        .and_then(|s| u16::try_from(s).ok());
    let status = status
        .filter(|s| (200..300).contains(s))
        .ok_or_else(|| bad("`status` must be a 2xx status, a number or its string (`201`, `\"201\"`)"))?;
    // Given, each is a string: an `id` of 42 is not silently no id.
    for key in ["id", "location", "version"] {
        if obj.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
            return Err(bad(&format!("`{key}` must be a string")));
        }
    }
    Ok(OperationOutcome::Success { status, id: text("id"), location: text("location"), version: text("version") })
}

/// A status given as a number: an integer, or a whole double (`404.0` from Python is JS's 404).
fn status_number(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        let n = value.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=999.0).contains(n))?;
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "whole and within 0..=999")]
        Some(n as u64)
    })
}

/// An [`Error`] from `{"status", "scimType"?, "detail"?}`: the kind from `scimType` when given
/// (a `status` beside it, kept as given, must be 400 or 409, the statuses RFC 7644 §3.12 and
/// §3.3 give `scimType`s, or 403 for `sensitive`, §7.5.2), else
/// from the status: the named kinds (401, 403, 404, 405, 409, 412, 413, 415, 500, 501), and any
/// other status from 400 to 599 as it was reported (`ErrorKind::Reported`: a 400 without a
/// `scimType`, a 429, a 503).
///
/// # Errors
/// `invalidValue` for an unknown `scimType`, a `status` that does not go with the `scimType`,
/// or no error status.
pub fn error_from_value(value: &Value) -> Result<Error, Error> {
    let bad = |what: String| Error::new(crate::ScimType::InvalidValue, format!("invalid error record: {what}"));
    let detail = value.get("detail").and_then(Value::as_str).unwrap_or_default().to_owned();
    let status = value.get("status").and_then(|s| status_number(s).or_else(|| s.as_str().and_then(|t| t.parse().ok())));
    if let (Some(given), None) = (value.get("status"), status) {
        // Given but no status at all (`"abc"`, `-1`, `450.5`): never taken for none.
        return Err(bad(format!("status {} is not an error status (400 to 599)", excerpt(&given.to_string()))));
    }
    if let Some(t) = value.get("scimType").and_then(Value::as_str) {
        let t: crate::ScimType = t.parse().map_err(|e: crate::UnknownName| bad(e.to_string()))?;
        // RFC 7644 §3.12 gives the `scimType`s with 400, §3.3 `uniqueness` with 409, and §7.5.2
        // `sensitive` with 403.
        return match status {
            None => Ok(Error::new(t, detail)),
            Some(s @ (400 | 409)) => Ok(Error::new(t, detail).with_reported_status(u16::try_from(s).unwrap_or(400))),
            Some(403) if t == crate::ScimType::Sensitive => Ok(Error::new(t, detail)),
            Some(s) => Err(bad(format!(
                "status {s} does not go with a scimType (`{t}`): those are 400 or 409 (403 for `sensitive`)"
            ))),
        };
    }
    let kind = match status {
        Some(401) => ErrorKind::Unauthorized,
        Some(403) => ErrorKind::Forbidden,
        Some(404) => ErrorKind::NotFound,
        Some(405) => ErrorKind::MethodNotAllowed,
        Some(409) => ErrorKind::Conflict,
        Some(412) => ErrorKind::PreconditionFailed,
        Some(413) => ErrorKind::PayloadTooLarge,
        Some(415) => ErrorKind::UnsupportedMediaType,
        Some(500) => ErrorKind::Internal,
        Some(501) => ErrorKind::NotImplemented,
        Some(s @ 400..=599) => ErrorKind::Reported(u16::try_from(s).unwrap_or(500)),
        Some(s) => return Err(bad(format!("status {s} is not an error status (400 to 599)"))),
        None => return Err(bad("a record needs a `status` (400 to 599) or a `scimType`".to_owned())),
    };
    Ok(Error::new(kind, detail))
}
