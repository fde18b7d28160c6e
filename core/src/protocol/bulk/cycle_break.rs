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
//! when none is ready, the earliest POST on a cycle not split yet is split, holding back what
//! it refers to among the steps of its strongly connected component (those it leads to that
//! lead back to it) not placed yet, and is placed as soon as what it still refers to is. When
//! no such POST is left, a cycle among the steps left is refused with 409. Each step is split
//! or refused at most once, so the work grows with the request (times a logarithm) however
//! its references are tangled.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::plan::{BULK_ID_PREFIX, PlannedOperation, cycle_error, links};
use super::request::{BulkMethod, BulkOperation};
use crate::error::Location;
use crate::urn;

/// Breaks or refuses every cycle of references among `steps` (the request's operations, with
/// `edges[i]` the steps step `i` refers to): a split POST's step gets its body and references
/// without what is held back, and its completion is pushed as a new step (with its edges); a
/// refused cycle's steps get the 409 and no longer refer to anything.
pub(super) fn break_cycles(
    steps: &mut Vec<PlannedOperation>,
    edges: &mut Vec<BTreeSet<usize>>,
    by_id: &BTreeMap<String, usize>,
    ops_at: &Location,
) {
    let n = steps.len();
    let component = super::order::components(edges);
    let on_cycle = |i: usize| component.get(i).is_some_and(|c| c.on_cycle);
    let same_cycles = |i: usize, j: usize| component.get(i).map(|c| c.id) == component.get(j).map(|c| c.id);
    // Splitting changes only the split step's references; a cycle through a refused step
    // remains one.
    let mut candidates: BTreeSet<usize> = BTreeSet::new();
    for (i, step) in steps.iter().enumerate() {
        if on_cycle(i) && step.refused.is_none() && step.operation.method == BulkMethod::Post {
            candidates.insert(i);
        }
    }
    if !(0..n).any(on_cycle) {
        return;
    }
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
    let mut ready: BTreeSet<usize> = BTreeSet::new();
    for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        ready.insert(i);
    }
    let mut left = n;
    loop {
        while let Some(i) = ready.pop_first() {
            if let Some(p) = placed.get_mut(i) {
                *p = true;
            }
            left -= 1;
            for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
                // A split step no longer refers to what it held back.
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
            return;
        }
        let is_placed = |placed: &[bool], j: usize| placed.get(j).copied().unwrap_or(true);
        // Every step left waits on another one left: there is a cycle among them.
        if let Some(p) = candidates.pop_first() {
            if is_placed(&placed, p) {
                continue;
            }
            let held = |id: &str| by_id.get(id).is_some_and(|&j| same_cycles(p, j) && !is_placed(&placed, j));
            if split_at(p, &held, steps, edges, by_id, ops_at) {
                let still = edges.get(p).map_or(0, |deps| deps.iter().filter(|&&j| !is_placed(&placed, j)).count());
                if let Some(w) = waiting.get_mut(p) {
                    *w = still;
                }
                if still == 0 {
                    ready.insert(p);
                }
            }
            continue;
        }
        let cycle = cycle_left(edges, &placed);
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
            ready.insert(i);
        }
    }
}

/// A cycle among the steps not placed, each of which refers to another one not placed: from
/// the earliest, follow the first such reference until a step repeats; the cycle starts at its
/// earliest step.
fn cycle_left(edges: &[BTreeSet<usize>], placed: &[bool]) -> Vec<usize> {
    let left = |i: &usize| !placed.get(*i).copied().unwrap_or(true);
    let start = (0..placed.len()).find(left).unwrap_or_default();
    let mut path = vec![start];
    let mut on_path = BTreeSet::from([start]);
    let mut at = start;
    while let Some(next) = edges.get(at).and_then(|deps| deps.iter().copied().find(left)) {
        if on_path.contains(&next) {
            let from = path.iter().position(|&p| p == next).unwrap_or_default();
            let mut cycle = path.split_off(from);
            let min = cycle.iter().enumerate().min_by_key(|(_, i)| **i).map_or(0, |(p, _)| p);
            cycle.rotate_left(min);
            return cycle;
        }
        path.push(next);
        on_path.insert(next);
        at = next;
    }
    path
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
        path: format!(
            "{}/{BULK_ID_PREFIX}{}",
            op.path.trim_end_matches('/'),
            crate::protocol::meta::encode_segment(bulk_id)
        ),
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
