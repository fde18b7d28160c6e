//! Breaking a cycle of `bulkId` references (RFC 7644 §3.7.1: the service provider "MUST try"
//! to resolve them): one POST of the cycle is sent without the values that refer to the
//! cycle, and a PATCH run once those resources exist adds the values back.
//!
//! What is held back is an attribute's value: of a multi-valued attribute, the elements that
//! refer to the cycle (the others stay in the POST); of a singular one, the whole value. An
//! extension's attributes are held back one by one, by their full path (`urn:…:User:manager`).
//! The PATCH adds them with `add` at that path: elements append to what the POST created, a
//! singular value is set.
//!
//! Which POSTs are split: Kahn's algorithm places the steps, the earliest ready one first;
//! when none is ready, a cycle among the steps left is found, and its earliest POST (in
//! request order) that can be split is, holding back what it refers to among the steps of its
//! strongly connected component (those it leads to that lead back to it) not placed yet; it is
//! placed as soon as what it still refers to is. A cycle with no such POST is refused with
//! 409. Each step is split or refused at most once; the cycles are found along one path kept
//! from stall to stall, so the work is that of the references (times a logarithm) plus, for
//! each stall, the length of the cycle found and of the path checked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::plan::{BULK_ID_PREFIX, PlannedOperation, cycle_error, links};
use super::request::{BulkMethod, BulkOperation};
use crate::error::Location;
use crate::urn;

/// Breaks or refuses every cycle of references among `steps` (the request's operations, with
/// `edges[i]` the steps step `i` refers to): a split POST's step gets its body and references
/// without what is held back, and its completion is pushed as a new step (with its edges),
/// which every later operation on that resource (its path refers to the POST) then waits for;
/// a refused cycle's steps get the 409 and no longer refer to anything.
pub(super) fn break_cycles(
    steps: &mut Vec<PlannedOperation>,
    edges: &mut Vec<BTreeSet<usize>>,
    by_id: &BTreeMap<String, usize>,
    ops_at: &Location,
) {
    let n = steps.len();
    // A step refused already (it refers to no operation) never runs: it is in no cycle, and
    // what refers to it fails when the runner cannot resolve it.
    for (step, deps) in steps.iter().zip(edges.iter_mut()) {
        if step.refused.is_some() {
            deps.clear();
        }
    }
    let component = super::order::components(edges);
    let on_cycle = |i: usize| component.get(i).is_some_and(|c| c.on_cycle);
    if !(0..n).any(on_cycle) {
        return;
    }
    let same_component = |i: usize, j: usize| component.get(i).map(|c| c.id) == component.get(j).map(|c| c.id);
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, deps) in edges.iter().enumerate() {
        for &j in deps {
            if let Some(d) = dependents.get_mut(j) {
                d.push(i);
            }
        }
    }
    let mut waiting: Vec<usize> = edges.iter().map(BTreeSet::len).collect();
    let mut placed = vec![false; n];
    let mut split = vec![false; n];
    let mut ready: BTreeSet<usize> = BTreeSet::new();
    for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        ready.insert(i);
    }
    let mut finder = CycleFinder::new(n);
    let mut left = n;
    loop {
        while let Some(i) = ready.pop_first() {
            if let Some(p) = placed.get_mut(i) {
                *p = true;
            }
            left -= 1;
            for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
                // A split or refused step no longer refers to what it let go.
                if edges.get(d).is_some_and(|deps| deps.contains(&i)) {
                    if let Some(w) = waiting.get_mut(d) {
                        *w -= 1;
                        if *w == 0 {
                            ready.insert(d);
                        }
                    }
                }
            }
        }
        if left == 0 {
            break;
        }
        let is_placed = |placed: &[bool], j: usize| placed.get(j).copied().unwrap_or(true);
        // Every step left waits on another one left: there is a cycle among them. Its
        // earliest POST (in request order) that can run without what it refers to in its
        // component is split; a cycle with none is refused.
        let Some(from) = finder.next_cycle(edges, &placed) else { break };
        let mut splits = None;
        loop {
            let cycle = finder.path_from(from);
            let eligible = |p: &usize| {
                !split.get(*p).copied().unwrap_or(true)
                    && steps.get(*p).is_some_and(|s| s.operation.method == BulkMethod::Post && s.refused.is_none())
            };
            let Some(p) = cycle.iter().copied().filter(eligible).min() else { break };
            let held = |id: &str| by_id.get(id).is_some_and(|&j| same_component(p, j) && !is_placed(&placed, j));
            let done = split_at(p, &held, steps, edges, by_id, ops_at);
            // Split now, or never splittable: either way not tried again.
            if let Some(s) = split.get_mut(p) {
                *s = true;
            }
            if done {
                splits = Some(p);
                break;
            }
        }
        if let Some(p) = splits {
            // The path up to `p` still leads to a cycle (or to `p`, placed soon): kept.
            finder.forget(p);
            let still = edges.get(p).map_or(0, |deps| deps.iter().filter(|&&j| !is_placed(&placed, j)).count());
            if let Some(w) = waiting.get_mut(p) {
                *w = still;
            }
            if still == 0 {
                ready.insert(p);
            }
            continue;
        }
        let mut cycle = finder.path_from(from).to_vec();
        let earliest = cycle.iter().enumerate().min_by_key(|(_, i)| **i).map_or(0, |(at, _)| at);
        cycle.rotate_left(earliest);
        let error = cycle_error(steps, &cycle);
        for &i in &cycle {
            if let Some(step) = steps.get_mut(i) {
                let at = ops_at.clone().index(step.index);
                step.refused.get_or_insert_with(|| error.clone().at(at));
            }
            if let Some(deps) = edges.get_mut(i) {
                deps.clear();
            }
            if let Some(w) = waiting.get_mut(i) {
                *w = 0;
            }
            finder.forget(i);
            ready.insert(i);
        }
    }
    wait_for_completions(steps, edges, by_id, &same_component);
}

/// Makes every operation on a split POST's resource — its path refers to the POST — wait for
/// the completion too, so it sees the resource whole, as the client sent it (RFC 7644 §3.7: a
/// reordering keeps the client's intent). Not one of the POST's own component: the completion
/// may wait on it (it leads back to the POST), and it runs as the cycle needs.
fn wait_for_completions(
    steps: &[PlannedOperation],
    edges: &mut [BTreeSet<usize>],
    by_id: &BTreeMap<String, usize>,
    same_component: &dyn Fn(usize, usize) -> bool,
) {
    let requested = edges.len().min(steps.iter().filter(|s| !s.completes).count());
    // For each POST, the operations whose path refers to it.
    let mut on_resource: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (j, step) in steps.iter().enumerate().take(requested) {
        let target = super::plan::path_target(&step.operation);
        if let Some(&p) = target.as_deref().and_then(|id| by_id.get(id)) {
            on_resource.entry(p).or_default().push(j);
        }
    }
    for (c, step) in steps.iter().enumerate().skip(requested) {
        let p = step.index;
        for &j in on_resource.get(&p).map(Vec::as_slice).unwrap_or_default() {
            if !same_component(j, p) {
                if let Some(deps) = edges.get_mut(j) {
                    deps.insert(c);
                }
            }
        }
    }
}

/// Finds a cycle among the steps not placed yet when each of them refers to another one not
/// placed (Kahn's algorithm stalled), again and again at a cost that grows with the request:
/// the path walked is kept between stalls (cut where a step has been placed or changed since),
/// and each step remembers below which step number all it refers to is placed.
struct CycleFinder {
    path: Vec<usize>,
    /// Where each step is on the path.
    position: Vec<Option<usize>>,
    /// For each step walked: the steps it refers to, and how many of them (from the first)
    /// are known to be placed.
    refs: Vec<Option<(Vec<usize>, usize)>>,
    /// Every step below this number is placed.
    start: usize,
}

impl CycleFinder {
    fn new(n: usize) -> Self {
        Self { path: Vec::new(), position: vec![None; n], refs: vec![None; n], start: 0 }
    }

    /// Drops the path from its place `at` on.
    fn cut(&mut self, at: usize) {
        for &s in self.path.get(at..).unwrap_or_default() {
            if let Some(p) = self.position.get_mut(s) {
                *p = None;
            }
        }
        self.path.truncate(at);
    }

    /// Step `i` refers to other steps now (split or refused): walk it afresh.
    fn forget(&mut self, i: usize) {
        if let Some(r) = self.refs.get_mut(i) {
            *r = None;
        }
        if let Some(at) = self.position.get(i).copied().flatten() {
            self.cut(at);
        }
    }

    /// The path from its place `from` on (a cycle, after [`CycleFinder::next_cycle`]).
    fn path_from(&self, from: usize) -> &[usize] {
        self.path.get(from..).unwrap_or_default()
    }

    /// Finds a cycle among the steps not placed, each step on it referring to the next and the
    /// last to the first: the path from the place returned on. The caller then splits or
    /// refuses a step of it, and [`CycleFinder::forget`]s what it changed. `None` when some step
    /// left refers to none left (no stall: not expected).
    fn next_cycle(&mut self, edges: &[BTreeSet<usize>], placed: &[bool]) -> Option<usize> {
        let is_placed = |j: usize| placed.get(j).copied().unwrap_or(true);
        // Each step on the path refers to the next, so a step placed has all after it placed:
        // the steps placed since the last call are the path's end.
        while let Some(&last) = self.path.last() {
            if !is_placed(last) {
                break;
            }
            self.cut(self.path.len() - 1);
        }
        if self.path.is_empty() {
            while self.start < placed.len() && is_placed(self.start) {
                self.start += 1;
            }
            if self.start >= placed.len() {
                return None;
            }
            self.push(self.start);
        }
        loop {
            let at = *self.path.last()?;
            let slot = self.refs.get_mut(at)?;
            let (refs, skipped) =
                slot.get_or_insert_with(|| (edges.get(at).map(|d| d.iter().copied().collect()).unwrap_or_default(), 0));
            while refs.get(*skipped).is_some_and(|&d| is_placed(d)) {
                *skipped += 1;
            }
            let next = *refs.get(*skipped)?;
            if let Some(pos) = self.position.get(next).copied().flatten() {
                return Some(pos);
            }
            self.push(next);
        }
    }

    fn push(&mut self, step: usize) {
        if let Some(p) = self.position.get_mut(step) {
            *p = Some(self.path.len());
        }
        self.path.push(step);
    }
}

/// Splits step `p` when it is a POST whose values referring to a `bulkId` for which `held` is
/// true can be held back: its body keeps the rest, and a new step, the PATCH adding what was
/// held back, refers to `p` and to what those values refer to. Whether it did.
fn split_at(
    p: usize,
    held: &dyn Fn(&str) -> bool,
    steps: &mut Vec<PlannedOperation>,
    edges: &mut Vec<BTreeSet<usize>>,
    by_id: &BTreeMap<String, usize>,
    ops_at: &Location,
) -> bool {
    let Some(step) = steps.get(p) else { return false };
    let op = &step.operation;
    let (Some(bulk_id), Some(data), BulkMethod::Post, None) = (&op.bulk_id, &op.data, op.method, &step.refused) else {
        return false;
    };
    let Some(split) = split(data, held) else { return false };
    let at = ops_at.clone().index(step.index);
    let completion = BulkOperation {
        bulk_id: None,
        data: Some(split.patch),
        method: BulkMethod::Patch,
        // A POST's path is an endpoint without a trailing `/` (the request's check).
        path: format!("{}/{BULK_ID_PREFIX}{}", op.path, crate::protocol::meta::encode_segment(bulk_id)),
        version: None,
    };
    let index = step.index;
    let completion_links = links(&completion, &at, by_id);
    let mut body = op.clone();
    body.data = Some(split.body);
    let body_links = links(&body, &at, by_id);
    if let (Some(step), Some(deps)) = (steps.get_mut(p), edges.get_mut(p)) {
        step.operation = body;
        step.depends_on = body_links.names;
        *deps = body_links.edges;
    }
    steps.push(PlannedOperation {
        index,
        operation: completion,
        depends_on: completion_links.names,
        refused: None,
        completes: true,
    });
    edges.push(completion_links.edges);
    true
}

/// A POST's body split to break a cycle.
#[derive(Debug)]
pub(super) struct Split {
    /// The body to create the resource with.
    pub body: Value,
    /// The PatchOp request (the `data` of a PATCH) that adds what the body holds back.
    pub patch: Value,
}

/// Splits a POST's `data`: the values that refer (anywhere inside them) to a `bulkId` for
/// which `held` is true are held back. `None` when nothing is, or when something would have to
/// be held back under a name no PATCH path can spell (then the POST is not split at all).
pub(super) fn split(data: &Value, held: &dyn Fn(&str) -> bool) -> Option<Split> {
    let Value::Object(members) = data else { return None };
    let mut body = Map::new();
    let mut operations = Vec::new();
    for (key, value) in members {
        if key.eq_ignore_ascii_case("schemas") {
            // A reference there cannot be added back by a PATCH: not split.
            if refers(value, held) {
                return None;
            }
            body.insert(key.clone(), value.clone());
            continue;
        }
        match value {
            Value::Object(attributes) if is_schema_urn(key) => {
                let mut kept = Map::new();
                for (name, value) in attributes {
                    let (stays, goes) = hold_back(value, held);
                    if let Some(goes) = goes {
                        if !crate::path::attr_path::is_attr_name(name) {
                            return None;
                        }
                        operations.push(json!({"op": "add", "path": format!("{key}:{name}"), "value": goes}));
                    }
                    if let Some(stays) = stays {
                        kept.insert(name.clone(), stays);
                    }
                }
                // An extension left with nothing is left out rather than sent empty.
                if !kept.is_empty() || attributes.is_empty() {
                    body.insert(key.clone(), Value::Object(kept));
                }
            }
            _ => {
                let (stays, goes) = hold_back(value, held);
                if let Some(goes) = goes {
                    if !crate::path::attr_path::is_attr_name(key) {
                        return None;
                    }
                    operations.push(json!({"op": "add", "path": key, "value": goes}));
                }
                if let Some(stays) = stays {
                    body.insert(key.clone(), stays);
                }
            }
        }
    }
    if operations.is_empty() {
        return None;
    }
    let patch = json!({"schemas": [urn::PATCH_OP], "Operations": operations});
    Some(Split { body: Value::Object(body), patch })
}

/// An attribute's value split into what stays in the POST and what is held back: an array's
/// elements one by one (an array left empty is left out), any other value whole.
fn hold_back(value: &Value, held: &dyn Fn(&str) -> bool) -> (Option<Value>, Option<Value>) {
    match value {
        Value::Array(items) => {
            let (goes, stays): (Vec<&Value>, Vec<&Value>) = items.iter().partition(|v| refers(v, held));
            if goes.is_empty() {
                return (Some(value.clone()), None);
            }
            let stays = (!stays.is_empty()).then(|| Value::Array(stays.into_iter().cloned().collect()));
            (stays, Some(Value::Array(goes.into_iter().cloned().collect())))
        }
        _ if refers(value, held) => (None, Some(value.clone())),
        _ => (Some(value.clone()), None),
    }
}

/// Whether `value` holds, anywhere inside, a string `bulkId:<id>` with `held(id)` (walked
/// without recursion).
fn refers(value: &Value, held: &dyn Fn(&str) -> bool) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => {
                if super::plan::reference(s).is_some_and(held) {
                    return true;
                }
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    false
}

/// Whether a member name of a resource is a schema URN (an extension's attributes), one a
/// PATCH path can carry before `:name`: `urn:` and then letters, digits, `:`, `.`, `-`, `_`.
fn is_schema_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: &str) -> bool {
        id == "b"
    }

    #[test]
    fn elements_that_refer_are_held_back_and_the_rest_stay() {
        let data = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "a",
            "members": [{"value": "bulkId:b"}, {"value": "u1"}, {"value": "bulkId:c"}]
        });
        let s = split(&data, &held).unwrap();
        assert_eq!(
            s.body,
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "a",
                "members": [{"value": "u1"}, {"value": "bulkId:c"}]
            })
        );
        assert_eq!(
            s.patch,
            json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "add", "path": "members", "value": [{"value": "bulkId:b"}]}]})
        );
    }

    #[test]
    fn an_extension_attribute_is_held_back_by_its_full_path() {
        let ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let data = json!({"userName": "a", ext: {"manager": {"value": "bulkId:b"}}});
        let s = split(&data, &held).unwrap();
        assert_eq!(s.body, json!({"userName": "a"}));
        let path = format!("{ext}:manager");
        assert_eq!(s.patch["Operations"], json!([{"op": "add", "path": path, "value": {"value": "bulkId:b"}}]));
    }

    #[test]
    fn nothing_held_or_an_unspellable_name_splits_nothing() {
        assert!(split(&json!({"members": [{"value": "bulkId:c"}]}), &held).is_none());
        assert!(split(&json!({"bad name": "bulkId:b"}), &held).is_none());
        assert!(split(&json!("bulkId:b"), &held).is_none());
    }
}
