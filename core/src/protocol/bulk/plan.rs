//! The execution plan of a bulk request: operations ordered so every `bulkId:<id>` reference
//! is created before it is used (RFC 7644 §3.7.2), circular references found (§3.7.1), and
//! references replaced by the ids the service assigned.
//!
//! An operation that cannot run — it refers to a `bulkId` no operation has, or it is part of
//! a cycle of references — is refused on its own (400 `invalidValue`, or 409 naming the
//! cycle) and the others still run: RFC 7644 §3.7 has the service provider carry out as many
//! changes as possible, and §3.7.1 lets it answer 409 for a cycle it does not break.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::request::{BulkMethod, BulkOperation, BulkRequest};
use crate::error::{Error, ErrorKind, Location, ScimType, excerpt};

/// The prefix of a reference to another operation's resource.
pub const BULK_ID_PREFIX: &str = "bulkId:";

/// One operation of the plan. Serializes as the operation's members plus `index` and
/// `dependsOn`, keys sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedOperation {
    /// Its position in the request (0-based).
    pub index: usize,
    /// The operation as the client sent it.
    pub operation: BulkOperation,
    /// The `bulkId`s it refers to, each once, in order of first use.
    pub depends_on: Vec<String>,
    /// Why it cannot run, when it cannot: the runner records this failure without handing
    /// the operation to the host.
    pub refused: Option<Error>,
}

impl Serialize for PlannedOperation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let op = &self.operation;
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &op.bulk_id {
            map.serialize_entry("bulkId", id)?;
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
fn reference(text: &str) -> Option<&str> {
    text.strip_prefix(BULK_ID_PREFIX).filter(|id| !id.is_empty())
}

/// The bulkId a path's last segment refers to: as written, or percent-decoded when it is URI
/// text (`bulkId:new%20user` is `new user`).
fn path_reference(segment: &str) -> Option<String> {
    let id = reference(segment)?;
    Some(crate::protocol::form::percent_decode_segment(id).unwrap_or_else(|_| id.to_owned()))
}

/// The references of one operation with where they are: the id segment of `path`, and every
/// string of `data` that is exactly `bulkId:<id>` (walked without recursion).
fn references(op: &BulkOperation, at: &Location) -> Vec<(String, Location)> {
    let mut found = Vec::new();
    // A POST's path is an endpoint: its one segment is never an id.
    if let Some(id) = op.path.rsplit('/').next().filter(|_| op.method != BulkMethod::Post).and_then(path_reference) {
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
/// `invalidValue` at the reference; the operations of a cycle are refused with 409 (no
/// `scimType`) naming it, and take their place in request order. Operations referring to a
/// refused one come after it and fail when the runner cannot resolve their reference.
pub fn plan(request: BulkRequest) -> BulkPlan {
    let ops_at = Location::root().key("Operations");
    // Insert loops rather than `collect()` here and below: a collected map sorts its entries
    // first, with a copy of the sort code of its own. (Later entries win, as with `collect`.)
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, op) in request.operations.iter().enumerate() {
        if let Some(id) = op.bulk_id.as_deref() {
            by_id.insert(id, i);
        }
    }
    let n = request.operations.len();
    let mut depends_on: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut edges: Vec<BTreeSet<usize>> = Vec::with_capacity(n);
    let mut refused: Vec<Option<Error>> = Vec::with_capacity(n);
    for (i, op) in request.operations.iter().enumerate() {
        let mut names: Vec<String> = Vec::new();
        let mut deps = BTreeSet::new();
        let mut unknown = None;
        for (id, here) in references(op, &ops_at.clone().index(i)) {
            match by_id.get(id.as_str()) {
                Some(&j) => {
                    deps.insert(j);
                }
                None if unknown.is_none() => {
                    unknown = Some(
                        Error::new(
                            ScimType::InvalidValue,
                            format!("`bulkId:{}` refers to no operation of this request", excerpt(&id)),
                        )
                        .at(here),
                    );
                }
                None => {}
            }
            if !names.contains(&id) {
                names.push(id);
            }
        }
        depends_on.push(names);
        edges.push(deps);
        refused.push(unknown);
    }
    // Each cycle found is refused and its operations stop waiting, until none is left (at most
    // one round per operation: every round takes the dependencies of one or more away).
    let order = loop {
        match topological(&edges) {
            Ok(_) => break request_order(&edges),
            Err(cycle) => {
                for &i in &cycle {
                    if let Some(slot) = refused.get_mut(i) {
                        slot.get_or_insert_with(|| cycle_error(&request.operations, &cycle, ops_at.clone().index(i)));
                    }
                    if let Some(deps) = edges.get_mut(i) {
                        deps.clear();
                    }
                }
            }
        }
    };
    let fail_on_errors = request.fail_on_errors;
    let mut slots: Vec<Option<PlannedOperation>> = request
        .operations
        .into_iter()
        .zip(depends_on)
        .zip(refused)
        .enumerate()
        .map(|(index, ((operation, depends_on), refused))| {
            Some(PlannedOperation { index, operation, depends_on, refused })
        })
        .collect();
    let operations = order.into_iter().filter_map(|i| slots.get_mut(i)?.take()).collect();
    BulkPlan { fail_on_errors, operations }
}

/// The order to run the operations of acyclic `edges` in: request order, with what an operation
/// refers to and has not run yet run right before it — depth first, so only what is needed moves
/// ahead and nothing else overtakes an operation the client put first (RFC 7644 §3.7: a
/// reordering must keep the client's intent). A loop over an explicit stack: no recursion.
fn request_order(edges: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, std::collections::btree_set::Iter<'_, usize>)> = Vec::new();
    let deps_of = |i: usize| edges.get(i).map(BTreeSet::iter).unwrap_or_default();
    for root in 0..n {
        if done.get(root).copied().unwrap_or(true) {
            continue;
        }
        stack.push((root, deps_of(root)));
        while let Some((node, deps)) = stack.last_mut() {
            let node = *node;
            // Acyclic: a dependency not done yet is not on the stack either.
            if let Some(&dep) = deps.find(|d| !done.get(**d).copied().unwrap_or(true)) {
                stack.push((dep, deps_of(dep)));
            } else {
                stack.pop();
                if let Some(slot) = done.get_mut(node) {
                    *slot = true;
                }
                order.push(node);
            }
        }
    }
    order
}

/// Kahn's algorithm taking the smallest ready index first (an order, or a cycle: its nodes,
/// starting at its smallest index).
fn topological(edges: &[BTreeSet<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = edges.len();
    let mut waiting: Vec<usize> = edges.iter().map(BTreeSet::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, deps) in edges.iter().enumerate() {
        for &j in deps {
            if let Some(d) = dependents.get_mut(j) {
                d.push(i);
            }
        }
    }
    let mut ready: BTreeSet<usize> = BTreeSet::new();
    for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        ready.insert(i);
    }
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
            if let Some(w) = waiting.get_mut(d) {
                *w -= 1;
                if *w == 0 {
                    ready.insert(d);
                }
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every operation left waits on another one left: walking first dependencies must repeat.
    let left = |i: &usize| waiting.get(*i).is_some_and(|w| *w > 0);
    let start = (0..n).find(left).unwrap_or_default();
    let mut path = vec![start];
    let mut at = start;
    loop {
        let Some(next) = edges.get(at).and_then(|deps| deps.iter().copied().find(left)) else {
            return Err(path);
        };
        if let Some(pos) = path.iter().position(|&p| p == next) {
            let mut cycle: Vec<usize> = path.split_off(pos);
            let min = cycle.iter().enumerate().min_by_key(|(_, i)| **i).map_or(0, |(p, _)| p);
            cycle.rotate_left(min);
            return Err(cycle);
        }
        path.push(next);
        at = next;
    }
}

/// The 409 of an operation in `cycle`, at `at`, naming the cycle: a short one whole, a longer
/// one by its first operations and its length (its text stays small however long the cycle:
/// every operation of it carries the error).
fn cycle_error(ops: &[BulkOperation], cycle: &[usize], at: Location) -> Error {
    const SHOWN: usize = 4;
    let name = |i: &usize| {
        let id = ops.get(*i).and_then(|o| o.bulk_id.as_deref()).unwrap_or_default();
        format!("`{}`", excerpt(id))
    };
    let mut names: Vec<String> = cycle.iter().take(SHOWN).map(name).collect();
    if cycle.len() > SHOWN {
        names.push(format!("… ({} operations in all)", cycle.len()));
    }
    if let Some(first) = cycle.first() {
        names.push(name(first));
    }
    Error::new(ErrorKind::Conflict, format!("circular `bulkId` references: {}", names.join(" → "))).at(at)
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
