//! The graph algorithms of a bulk plan, over steps that refer to steps (`edges[i]`: the steps
//! step `i` refers to): the strongly connected components, and the order to run an acyclic
//! plan in. Loops over explicit stacks: no recursion, whatever the request.

use std::collections::BTreeSet;
use std::collections::btree_set::Iter;

/// The steps step `i` refers to (none for a step out of range).
fn deps_of(edges: &[BTreeSet<usize>], i: usize) -> Iter<'_, usize> {
    edges.get(i).map(BTreeSet::iter).unwrap_or_default()
}

/// Where a step stands among the cycles of references.
#[derive(Debug, Clone, Copy)]
pub(super) struct Component {
    /// Its strongly connected component (the steps it leads to that lead back to it).
    pub id: usize,
    /// Whether it is on a cycle: its component has more than one step, or it refers to itself.
    pub on_cycle: bool,
}

/// The [`Component`] of each step (Kosaraju's algorithm).
pub(super) fn components(edges: &[BTreeSet<usize>]) -> Vec<Component> {
    let n = edges.len();
    // Steps in the order their depth-first search finishes.
    let mut finished = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack: Vec<(usize, Iter<'_, usize>)> = Vec::new();
    for root in 0..n {
        if seen.get(root).copied().unwrap_or(true) {
            continue;
        }
        if let Some(s) = seen.get_mut(root) {
            *s = true;
        }
        stack.push((root, deps_of(edges, root)));
        while let Some((node, deps)) = stack.last_mut() {
            let node = *node;
            if let Some(&next) = deps.find(|d| !seen.get(**d).copied().unwrap_or(true)) {
                if let Some(s) = seen.get_mut(next) {
                    *s = true;
                }
                stack.push((next, deps_of(edges, next)));
            } else {
                stack.pop();
                finished.push(node);
            }
        }
    }
    // Components: searched backwards, latest finished first.
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, deps) in edges.iter().enumerate() {
        for &j in deps {
            if let Some(d) = dependents.get_mut(j) {
                d.push(i);
            }
        }
    }
    let mut component: Vec<Option<usize>> = vec![None; n];
    let mut size: Vec<usize> = Vec::new();
    for &root in finished.iter().rev() {
        if component.get(root).copied().flatten().is_some() {
            continue;
        }
        let id = size.len();
        let mut count = 0;
        let mut todo = vec![root];
        if let Some(c) = component.get_mut(root) {
            *c = Some(id);
        }
        while let Some(i) = todo.pop() {
            count += 1;
            for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
                if let Some(c @ None) = component.get_mut(d) {
                    *c = Some(id);
                    todo.push(d);
                }
            }
        }
        size.push(count);
    }
    (0..n)
        .map(|i| {
            let id = component.get(i).copied().flatten().unwrap_or(i);
            let big = size.get(id).is_some_and(|&s| s > 1);
            Component { id, on_cycle: big || edges.get(i).is_some_and(|d| d.contains(&i)) }
        })
        .collect()
}

/// The order to run the steps of acyclic `edges` in: request order, with what a step refers
/// to and has not run yet run right before it — depth first, so only what is needed moves
/// ahead and nothing else overtakes an operation the client put first (RFC 7644 §3.7: a
/// reordering must keep the client's intent). The steps from `requested` on complete a split
/// POST: each runs as soon as everything it refers to has run, before anything after that
/// (an operation on that resource waits for it).
pub(super) fn request_order(edges: &[BTreeSet<usize>], requested: usize) -> Vec<usize> {
    let n = edges.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, Iter<'_, usize>)> = Vec::new();
    let mut on_stack = vec![false; n];
    let is_done = |done: &[bool], i: usize| done.get(i).copied().unwrap_or(true);
    // For each step, the completions waiting on it; for each completion, how many it waits on.
    let mut completions_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    for c in requested..n {
        for &d in deps_of(edges, c) {
            if let Some(list) = completions_of.get_mut(d) {
                list.push(c);
            }
        }
        if let Some(w) = waiting.get_mut(c) {
            *w = deps_of(edges, c).len();
        }
    }
    for root in 0..requested {
        if is_done(&done, root) {
            continue;
        }
        stack.push((root, deps_of(edges, root)));
        if let Some(s) = on_stack.get_mut(root) {
            *s = true;
        }
        while let Some((node, deps)) = stack.last_mut() {
            let node = *node;
            // Acyclic, so a dependency not done yet is not on the stack either (were it, it
            // is passed over rather than walked forever).
            if let Some(&dep) = deps.find(|d| !is_done(&done, **d) && !on_stack.get(**d).copied().unwrap_or(true)) {
                stack.push((dep, deps_of(edges, dep)));
                if let Some(s) = on_stack.get_mut(dep) {
                    *s = true;
                }
            } else {
                stack.pop();
                if let Some(s) = on_stack.get_mut(node) {
                    *s = false;
                }
                // A completion an operation waits on may have run already, as soon as what
                // it refers to had.
                if is_done(&done, node) {
                    continue;
                }
                if let Some(slot) = done.get_mut(node) {
                    *slot = true;
                }
                order.push(node);
                // The completions waiting on this step, now free to run.
                for &c in completions_of.get(node).map(Vec::as_slice).unwrap_or_default() {
                    let Some(w) = waiting.get_mut(c) else { continue };
                    *w -= 1;
                    if *w == 0 {
                        if let Some(slot) = done.get_mut(c) {
                            *slot = true;
                        }
                        order.push(c);
                    }
                }
            }
        }
    }
    order
}
