//! The execution plan of a bulk request: operations ordered so every `bulkId:<id>` reference
//! is created before it is used (RFC 7644 §3.7.2), circular references found (§3.7.1), and
//! references replaced by the ids the service assigned.
//!
//! An operation that cannot run — it refers to a `bulkId` no operation has, or it is part of
//! a cycle of references no POST of it can break (`cycle_break.rs`) — is refused on its own
//! (400 `invalidValue`, or 409 naming the cycle) and the others still run: RFC 7644 §3.7 has
//! the service provider carry out as many changes as possible, and §3.7.1 lets it answer 409
//! for a cycle after a failed attempt.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::request::{BulkMethod, BulkOperation, BulkRequest};
use crate::error::{Error, ErrorKind, Location, ScimType, excerpt};

/// The prefix of a reference to another operation's resource.
pub const BULK_ID_PREFIX: &str = "bulkId:";

/// One step of the plan: an operation of the request, or the PATCH completing a POST split to
/// break a cycle. Serializes as the operation's members plus `index`, `dependsOn`, and
/// `completes` when set, keys sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedOperation {
    /// Its position in the request (0-based).
    pub index: usize,
    /// The operation as the client sent it, or as it runs: a POST split to break a cycle
    /// without the values held back, its completion the PATCH adding them.
    pub operation: BulkOperation,
    /// The `bulkId`s it refers to, each once, in order of first use.
    pub depends_on: Vec<String>,
    /// Why it cannot run, when it cannot: the runner records this failure without handing
    /// the operation to the host.
    pub refused: Option<Error>,
    /// Whether this step is the PATCH that completes the POST at `index`, split to break a
    /// cycle of references: it adds the values the POST held back (RFC 7644 §3.7.1).
    pub completes: bool,
}

impl Serialize for PlannedOperation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let op = &self.operation;
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &op.bulk_id {
            map.serialize_entry("bulkId", id)?;
        }
        if self.completes {
            map.serialize_entry("completes", &true)?;
        }
        if let Some(data) = &op.data {
            map.serialize_entry("data", data)?;
        }
        map.serialize_entry("dependsOn", &self.depends_on)?;
        map.serialize_entry("index", &self.index)?;
        map.serialize_entry("method", &op.method)?;
        map.serialize_entry("path", &op.path)?;
        if let Some(refused) = &self.refused {
            map.serialize_entry("refused", refused)?;
        }
        if let Some(version) = &op.version {
            map.serialize_entry("version", version)?;
        }
        map.end()
    }
}

/// The order in which to run a bulk request's operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlan {
    /// Stop after this many errors; `None`: run every operation.
    pub fail_on_errors: Option<u64>,
    /// The operations in execution order.
    pub operations: Vec<PlannedOperation>,
}

/// The referenced bulkId of `text`, when it is exactly `bulkId:<id>`.
pub(super) fn reference(text: &str) -> Option<&str> {
    text.strip_prefix(BULK_ID_PREFIX).filter(|id| !id.is_empty())
}

/// The bulkId a path's last segment refers to: as written, or percent-decoded when it is URI
/// text (`bulkId:new%20user` is `new user`).
fn path_reference(segment: &str) -> Option<String> {
    let id = reference(segment)?;
    Some(crate::protocol::form::percent_decode_segment(id).unwrap_or_else(|_| id.to_owned()))
}

/// The `bulkId` an operation's path refers to (its id segment), if any. A POST's path is an
/// endpoint: its one segment is never an id.
pub(super) fn path_target(op: &BulkOperation) -> Option<String> {
    op.path.rsplit('/').next().filter(|_| op.method != BulkMethod::Post).and_then(path_reference)
}

/// The references of one operation with where they are: the id segment of `path`, and every
/// string of `data` that is exactly `bulkId:<id>` (walked without recursion).
fn references(op: &BulkOperation, at: &Location) -> Vec<(String, Location)> {
    let mut found = Vec::new();
    if let Some(id) = path_target(op) {
        found.push((id, at.clone().key("path")));
    }
    if let Some(data) = &op.data {
        let mut stack = vec![(data, at.clone().key("data"))];
        while let Some((value, here)) = stack.pop() {
            match value {
                Value::String(s) => {
                    if let Some(id) = reference(s) {
                        found.push((id.to_owned(), here));
                    }
                }
                Value::Array(items) => {
                    stack.extend(items.iter().enumerate().rev().map(|(i, v)| (v, here.clone().index(i))));
                }
                Value::Object(map) => stack.extend(map.iter().rev().map(|(k, v)| (v, here.clone().key(k)))),
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
    }
    found
}

/// Orders `request` so that each operation comes after the operations whose `bulkId` it
/// refers to, keeping request order otherwise (of the operations ready to run, the earliest
/// goes first). An operation referring to a `bulkId` no operation has is refused with
/// `invalidValue` at the reference.
///
/// A cycle of references is broken where it can be (RFC 7644 §3.7.1: the service provider
/// "MUST try"): its first POST (in request order) that can be is sent without the values that
/// refer to the operations of its cycle, and a PATCH of that resource adding them back — a
/// step with `completes` set and the POST's `index` — runs as soon as they exist. A cycle no
/// POST of it can break (references in paths only) is refused with 409 (no `scimType`) naming
/// it, and its operations take their place in request order. Operations referring to a
/// refused one come after it and fail when the runner cannot resolve their reference.
pub fn plan(request: BulkRequest) -> BulkPlan {
    let ops_at = Location::root().key("Operations");
    // Insert loops rather than `collect()` here and below: a collected map sorts its entries
    // first, with a copy of the sort code of its own. (Later entries win, as with `collect`.)
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for (i, op) in request.operations.iter().enumerate() {
        if let Some(id) = &op.bulk_id {
            by_id.insert(id.clone(), i);
        }
    }
    let n = request.operations.len();
    let mut steps: Vec<PlannedOperation> = Vec::with_capacity(n);
    let mut edges: Vec<BTreeSet<usize>> = Vec::with_capacity(n);
    for (index, operation) in request.operations.into_iter().enumerate() {
        let links = links(&operation, &ops_at.clone().index(index), &by_id);
        steps.push(PlannedOperation {
            index,
            operation,
            depends_on: links.names,
            refused: links.unknown,
            completes: false,
        });
        edges.push(links.edges);
    }
    super::cycle_break::break_cycles(&mut steps, &mut edges, &by_id, &ops_at);
    let order = super::order::request_order(&edges, n);
    let mut slots: Vec<Option<PlannedOperation>> = steps.into_iter().map(Some).collect();
    let operations = order.into_iter().filter_map(|i| slots.get_mut(i)?.take()).collect();
    BulkPlan { fail_on_errors: request.fail_on_errors, operations }
}

/// What one operation refers to: the `bulkId`s each once in order of first use, the steps
/// they name, and the error of the first that names no operation.
pub(super) struct Links {
    pub(super) names: Vec<String>,
    pub(super) edges: BTreeSet<usize>,
    pub(super) unknown: Option<Error>,
}

/// The [`Links`] of `op`, at `at` in the request.
pub(super) fn links(op: &BulkOperation, at: &Location, by_id: &BTreeMap<String, usize>) -> Links {
    let mut links = Links { names: Vec::new(), edges: BTreeSet::new(), unknown: None };
    let mut named: BTreeSet<String> = BTreeSet::new();
    for (id, here) in references(op, at) {
        match by_id.get(id.as_str()) {
            Some(&j) => {
                links.edges.insert(j);
            }
            None if links.unknown.is_none() => {
                links.unknown = Some(
                    Error::new(
                        ScimType::InvalidValue,
                        format!("`bulkId:{}` refers to no operation of this request", excerpt(&id)),
                    )
                    .at(here),
                );
            }
            None => {}
        }
        if !named.contains(&id) {
            named.insert(id.clone());
            links.names.push(id);
        }
    }
    links
}

/// The 409 of the operations of `cycle` (steps), naming the cycle: a short one whole, a longer
/// one by its first operations and its length (its text stays small however long the cycle:
/// every operation of it carries the error).
pub(super) fn cycle_error(steps: &[PlannedOperation], cycle: &[usize]) -> Error {
    const SHOWN: usize = 4;
    let name = |i: &usize| {
        let id = steps.get(*i).and_then(|s| s.operation.bulk_id.as_deref()).unwrap_or_default();
        format!("`{}`", excerpt(id))
    };
    let mut names: Vec<String> = cycle.iter().take(SHOWN).map(name).collect();
    if cycle.len() > SHOWN {
        names.push(format!("… ({} operations in all)", cycle.len()));
    }
    if let Some(first) = cycle.first() {
        names.push(name(first));
    }
    Error::new(ErrorKind::Conflict, format!("circular `bulkId` references: {}", names.join(" → ")))
}

/// `op` with every `bulkId:<id>` reference (in `path` and `data`) replaced by the id of the
/// resource that operation produced, from `ids` (bulkId → id).
///
/// # Errors
/// 409 (no `scimType`) when a referenced operation produced no id (it failed, or its host
/// reported none).
pub fn resolve(op: &PlannedOperation, ids: &BTreeMap<String, String>) -> Result<BulkOperation, Error> {
    let at = Location::root().key("Operations").index(op.index);
    let lookup = |id: &str| {
        ids.get(id).ok_or_else(|| {
            Error::new(
                ErrorKind::Conflict,
                format!("`bulkId:{}` cannot be resolved: its operation did not succeed or gave no id", excerpt(id)),
            )
            .at(at.clone())
        })
    };
    let mut out = op.operation.clone();
    if let Some((head, last)) = out.path.rsplit_once('/').filter(|_| out.method != BulkMethod::Post) {
        if let Some(id) = path_reference(last) {
            // The id as one path segment: a `/` or a space in it must not make more of them.
            out.path = format!("{head}/{}", crate::protocol::meta::encode_segment(lookup(&id)?));
        }
    }
    if let Some(data) = out.data.as_mut() {
        let mut stack = vec![data];
        while let Some(value) = stack.pop() {
            match value {
                Value::String(s) => {
                    if let Some(id) = reference(s) {
                        *s = lookup(id)?.clone();
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(map) => stack.extend(map.values_mut()),
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
    }
    Ok(out)
}
