//! A set of resources held once and filtered many times: [`ResourceSet`].
//!
//! A filter is evaluated over the whole set at once, condition by condition, rather than
//! resource by resource. The first time a condition names an attribute, the set reads that
//! attribute's values out of every resource into a *column* (the values one after another, the
//! strings in one buffer, each dateTime string already read as an instant) and keeps it; every
//! later filter naming the same attribute reads the column only. A value path (`emails[…]`)
//! gets a column of its own per sub-attribute, over the values of its attribute.
//!
//! The values are found with the evaluator's own lookups and compared with its own comparisons
//! ([`super::eval`]), so a set gives exactly the resources [`CheckedFilter::matches`] gives.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use super::ast::CompareOp;
use super::compiled::{CheckedFilter, Node, Operand, Target};
use super::eval::{PRESENCE_DEPTH, attribute, is_present, other_holds, string_holds, values};
use crate::value::{Instant, parse_datetime};

/// Resources held once, to be filtered many times (a server's in-memory store, a page of
/// results filtered again, a test fixture).
///
/// ```
/// use scimkit::{Filter, Registry, ResourceSet};
/// use serde_json::json;
///
/// let set = ResourceSet::new(vec![
///     json!({"userName": "bjensen", "active": true}),
///     json!({"userName": "jsmith", "active": false}),
///     json!({"userName": "BJ", "active": true}),
/// ]);
/// let registry = Registry::builtin();
/// let user = registry.require_resource_type("User")?;
/// let active = Filter::parse("active eq true and userName sw \"bj\"")?.check(&user)?;
/// assert_eq!(set.matching(&active), vec![0, 2]);
/// # Ok::<(), scimkit::Error>(())
/// ```
///
/// The set keeps, for every attribute a filter has named, a column of that attribute's values
/// (see the module docs): the first filter naming an attribute reads it from every resource,
/// later ones are much faster. The columns live as long as the set, up to 128 of them (past
/// that, the set forgets them all and starts over). The set can be shared
/// between threads; two threads filtering at once take turns to build a missing column.
pub struct ResourceSet {
    resources: Vec<Value>,
    /// The owners of top-level conditions: the resources themselves.
    root: Arc<Space>,
    cache: Mutex<Cache>,
    /// How many threads may read a column out of a large set (1: the calling thread only).
    threads: usize,
}

/// Below this many owners per thread a column is read on the calling thread only.
const PER_THREAD: usize = 4096;

/// At most this many columns and spaces are kept: past it the set starts over. Filters checked
/// against a schema name a bounded set of attributes; schema-less ones could name new ones
/// without end, and each column holds an entry per resource.
const KEPT: usize = 128;

/// Columns and value-path spaces built so far, by what they were built for.
#[derive(Default)]
struct Cache {
    /// By the value-path targets leading to the space (outermost first).
    spaces: HashMap<Vec<Target>, Arc<Space>>,
    /// By the space's key and the target read in it.
    columns: HashMap<(Vec<Target>, Target), Arc<Column>>,
}

/// What a condition is tried on: the resources (the root space), or the values a value path
/// tries, which are the object values of its attribute in each owner of the enclosing space.
struct Space {
    /// The value-path targets leading here (empty for the root).
    key: Vec<Target>,
    /// How many owners.
    len: usize,
    /// The enclosing space and the value path's attribute (`None` for the root).
    from: Option<(Arc<Space>, Target)>,
    /// Per owner of the enclosing space, where its elements start here (one more entry than
    /// the enclosing space has owners). Empty for the root.
    starts: Vec<usize>,
    /// Per element (empty for the root).
    elements: Vec<Element>,
}

/// One value a value path tries.
#[derive(Clone, Copy)]
struct Element {
    /// Its owner in the enclosing space.
    owner: usize,
    /// The resource it belongs to.
    resource: usize,
    /// Its position in the attribute's array; `None` when the attribute's value is this object.
    item: Option<usize>,
}

/// The values one target names in each owner of a space, in the order the evaluator visits them.
#[derive(Default)]
struct Column {
    /// Per owner, where its values start in `leaves` (one more entry than owners).
    starts: Vec<usize>,
    leaves: Vec<Leaf>,
    /// The text of every string value, one after another.
    text: String,
    /// The instants of the string values that read as dateTimes.
    instants: Vec<Instant>,
}

/// One value of a column.
enum Leaf {
    /// A string: its bytes in the column's text, and the index of its instant when it reads as
    /// a dateTime.
    Text { start: usize, end: usize, instant: Option<usize> },
    /// Any other value, and whether `pr` sees it as present.
    Other { value: Value, present: bool },
}

impl ResourceSet {
    /// A set holding `resources` (any JSON values; conditions never match what is not an object).
    pub fn new(resources: Vec<Value>) -> Self {
        let root = Arc::new(Space {
            key: Vec::new(),
            len: resources.len(),
            from: None,
            starts: Vec::new(),
            elements: Vec::new(),
        });
        Self { resources, root, cache: Mutex::new(Cache::default()), threads: 1 }
    }

    /// The set reading columns out of large sets (4,096 resources a thread or more) on up to
    /// `threads` scoped threads, which end before the call that started them returns. Where a
    /// thread cannot start (WebAssembly), the calling thread reads everything.
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// [`with_threads`](Self::with_threads) as many as the process may use (one where that is
    /// unknown, as in WebAssembly).
    #[must_use]
    pub fn with_available_threads(self) -> Self {
        self.with_threads(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
    }

    /// How many resources the set holds.
    pub fn len(&self) -> usize {
        self.resources.len()
    }

    /// Whether the set holds no resource.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// The resources, in the order they were given.
    pub fn resources(&self) -> &[Value] {
        &self.resources
    }

    /// The positions of the resources `filter` matches, in order: exactly those for which
    /// [`CheckedFilter::matches`] is true.
    pub fn matching(&self, filter: &CheckedFilter) -> Vec<usize> {
        let plan = {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            self.read_missing(&filter.root, &self.root, &mut cache);
            self.plan(&filter.root, &self.root, &mut cache)
        };
        let everyone = Bits::full(self.root.len);
        Self::eval(&plan, &everyone).ones().collect()
    }

    /// `node` with every column and space it reads, built now when missing.
    fn plan<'f>(&self, node: &'f Node, space: &Arc<Space>, cache: &mut Cache) -> Plan<'f> {
        match node {
            Node::And(items) => Plan::And(items.iter().map(|n| self.plan(n, space, cache)).collect()),
            Node::Or(items) => Plan::Or(items.iter().map(|n| self.plan(n, space, cache)).collect()),
            Node::Not(inner) => Plan::Not(Box::new(self.plan(inner, space, cache))),
            Node::Present(target) => Plan::Test(self.column(space, target, cache), Test::Present),
            Node::Compare(c) => {
                let test = match (&c.operand, c.op) {
                    (Operand::Null, CompareOp::Eq) => Test::Absent,
                    (Operand::Null, _) => Test::Present,
                    (operand, CompareOp::Ne) => Test::NotEq(operand),
                    (operand, op) => Test::Holds(op, operand),
                };
                Plan::Test(self.column(space, &c.target, cache), test)
            }
            Node::ValuePath(vp) => {
                let inner_space = self.space(space, &vp.target, cache);
                let inner = self.plan(&vp.inner, &inner_space, cache);
                Plan::ValuePath(inner_space, Box::new(inner))
            }
        }
    }

    /// The space of the values `target` names in each owner of `outer`.
    fn space(&self, outer: &Arc<Space>, target: &Target, cache: &mut Cache) -> Arc<Space> {
        let mut key = outer.key.clone();
        key.push(target.clone());
        if let Some(found) = cache.spaces.get(&key) {
            return Arc::clone(found);
        }
        let mut starts = Vec::with_capacity(outer.len + 1);
        let mut elements = Vec::new();
        starts.push(0);
        for owner in 0..outer.len {
            if let Some((resource, holder)) = self.owner(outer, owner) {
                if let Some(value) = attribute(target, self.resources_at(resource), holder) {
                    let found = Element { owner, resource, item: None };
                    match value {
                        Value::Array(items) => elements.extend(
                            items
                                .iter()
                                .enumerate()
                                .filter(|(_, v)| v.is_object())
                                .map(|(k, _)| Element { item: Some(k), ..found }),
                        ),
                        Value::Object(_) => elements.push(found),
                        _ => {}
                    }
                }
            }
            starts.push(elements.len());
        }
        let space = Arc::new(Space {
            key: key.clone(),
            len: elements.len(),
            from: Some((Arc::clone(outer), target.clone())),
            starts,
            elements,
        });
        cache.make_room(1);
        cache.spaces.insert(key, Arc::clone(&space));
        space
    }

    /// The column of `target` over the owners of `space`.
    fn column(&self, space: &Space, target: &Target, cache: &mut Cache) -> Arc<Column> {
        let key = (space.key.clone(), target.clone());
        if let Some(found) = cache.columns.get(&key) {
            return Arc::clone(found);
        }
        let column = Arc::new(self.read_columns(space, std::slice::from_ref(target)).pop().unwrap_or_default());
        cache.make_room(1);
        cache.columns.insert(key, Arc::clone(&column));
        column
    }

    /// Reads every column `node` needs and the cache lacks, those of one space in one pass over
    /// its owners (each resource is then fetched from memory once, not once per attribute).
    fn read_missing(&self, node: &Node, space: &Arc<Space>, cache: &mut Cache) {
        let mut wanted: Vec<(Arc<Space>, Target)> = Vec::new();
        self.wanted(node, space, cache, &mut wanted);
        while let Some((space, _)) = wanted.first() {
            let space = Arc::clone(space);
            let (here, rest): (Vec<_>, Vec<_>) = wanted.into_iter().partition(|(s, _)| s.key == space.key);
            wanted = rest;
            let targets: Vec<Target> = here.into_iter().map(|(_, t)| t).collect();
            let columns = self.read_columns(&space, &targets);
            cache.make_room(columns.len());
            for (target, column) in targets.iter().zip(columns) {
                cache.columns.insert((space.key.clone(), target.clone()), Arc::new(column));
            }
        }
    }

    /// Adds to `wanted` the columns `node` reads that the cache lacks (building the value-path
    /// spaces they live in).
    fn wanted(&self, node: &Node, space: &Arc<Space>, cache: &mut Cache, wanted: &mut Vec<(Arc<Space>, Target)>) {
        let mut want = |target: &Target| {
            let known = cache.columns.contains_key(&(space.key.clone(), target.clone()));
            if !known && !wanted.iter().any(|(s, t)| s.key == space.key && t == target) {
                wanted.push((Arc::clone(space), target.clone()));
            }
        };
        match node {
            Node::And(items) | Node::Or(items) => items.iter().for_each(|n| self.wanted(n, space, cache, wanted)),
            Node::Not(inner) => self.wanted(inner, space, cache, wanted),
            Node::Present(target) => want(target),
            Node::Compare(c) => want(&c.target),
            Node::ValuePath(vp) => {
                let inner = self.space(space, &vp.target, cache);
                self.wanted(&vp.inner, &inner, cache, wanted);
            }
        }
    }

    /// The columns of `targets` over the owners of `space`, read in one pass (split across
    /// threads when the set may use them and the space is large).
    fn read_columns(&self, space: &Space, targets: &[Target]) -> Vec<Column> {
        let threads = self.threads.min(space.len / PER_THREAD);
        if threads > 1 {
            let part = space.len.div_ceil(threads);
            let parts = std::thread::scope(|scope| {
                let spawned: Result<Vec<_>, _> = (0..space.len)
                    .step_by(part)
                    .map(|first| {
                        let owners = first..space.len.min(first + part);
                        std::thread::Builder::new().spawn_scoped(scope, move || self.read_range(space, targets, owners))
                    })
                    .collect();
                spawned.ok().and_then(|handles| handles.into_iter().map(|h| h.join().ok()).collect::<Option<Vec<_>>>())
            });
            // A thread that could not start or failed: everything on this thread instead.
            if let Some(parts) = parts {
                let mut parts = parts.into_iter();
                let mut columns = parts.next().unwrap_or_default();
                for part in parts {
                    for (column, more) in columns.iter_mut().zip(part) {
                        column.append(more);
                    }
                }
                return columns;
            }
        }
        self.read_range(space, targets, 0..space.len)
    }

    /// The columns of `targets` over the owners `owners` of `space` (the first one counted as 0).
    fn read_range(&self, space: &Space, targets: &[Target], owners: std::ops::Range<usize>) -> Vec<Column> {
        let mut columns: Vec<Column> = targets
            .iter()
            .map(|_| {
                let mut starts = Vec::with_capacity(owners.len() + 1);
                starts.push(0);
                Column { starts, leaves: Vec::with_capacity(owners.len()), text: String::new(), instants: Vec::new() }
            })
            .collect();
        for owner in owners {
            let found = self.owner(space, owner);
            for (target, column) in targets.iter().zip(columns.iter_mut()) {
                if let Some((resource, holder)) = found {
                    values(target, self.resources_at(resource), holder, &mut |v| {
                        column.push(v);
                        false
                    });
                }
                column.starts.push(column.leaves.len());
            }
        }
        for column in &mut columns {
            column.leaves.shrink_to_fit();
            column.text.shrink_to_fit();
        }
        columns
    }

    /// The resource at `index` (`Null` past the end, which never happens).
    fn resources_at(&self, index: usize) -> &Value {
        self.resources.get(index).unwrap_or(&Value::Null)
    }

    /// The resource an owner of `space` belongs to, and the owner's value.
    fn owner<'s>(&'s self, space: &Space, index: usize) -> Option<(usize, &'s Value)> {
        let Some((outer, target)) = &space.from else {
            return self.resources.get(index).map(|r| (index, r));
        };
        let element = space.elements.get(index)?;
        let (_, holder) = self.owner(outer, element.owner)?;
        let value = attribute(target, self.resources_at(element.resource), holder)?;
        let value = match element.item {
            Some(k) => value.as_array()?.get(k)?,
            None => value,
        };
        Some((element.resource, value))
    }

    /// The owners within `mask` for which `plan` holds.
    fn eval(plan: &Plan<'_>, mask: &Bits) -> Bits {
        match plan {
            Plan::And(items) => {
                let mut left = mask.clone();
                for item in items {
                    if left.is_empty() {
                        break;
                    }
                    left = Self::eval(item, &left);
                }
                left
            }
            Plan::Or(items) => {
                let mut found = Bits::zeros(mask.len);
                let mut left = mask.clone();
                for item in items {
                    if left.is_empty() {
                        break;
                    }
                    let now = Self::eval(item, &left);
                    found.or(&now);
                    left.and_not(&now);
                }
                found
            }
            Plan::Not(inner) => {
                let mut out = mask.clone();
                out.and_not(&Self::eval(inner, mask));
                out
            }
            Plan::Test(column, test) => {
                let mut out = Bits::zeros(mask.len);
                for owner in mask.ones() {
                    if test.holds(column.of(owner), column) {
                        out.set(owner);
                    }
                }
                out
            }
            Plan::ValuePath(space, inner) => {
                let mut tried = Bits::zeros(space.len);
                for owner in mask.ones() {
                    for element in space.range(owner) {
                        tried.set(element);
                    }
                }
                let held = Self::eval(inner, &tried);
                let mut out = Bits::zeros(mask.len);
                for owner in mask.ones() {
                    if space.range(owner).any(|e| held.get(e)) {
                        out.set(owner);
                    }
                }
                out
            }
        }
    }
}

impl From<Vec<Value>> for ResourceSet {
    fn from(resources: Vec<Value>) -> Self {
        Self::new(resources)
    }
}

impl fmt::Debug for ResourceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.cache.lock().map_or(0, |c| c.columns.len());
        f.debug_struct("ResourceSet")
            .field("len", &self.resources.len())
            .field("columns", &columns)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Forgets everything when `more` entries would take the cache past [`KEPT`] (filters being
    /// evaluated keep what they hold).
    fn make_room(&mut self, more: usize) {
        if self.columns.len() + self.spaces.len() + more > KEPT {
            self.columns.clear();
            self.spaces.clear();
        }
    }
}

impl Space {
    /// The elements of the enclosing space's owner `owner`.
    fn range(&self, owner: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(owner).copied().unwrap_or(0);
        start..self.starts.get(owner + 1).copied().unwrap_or(start)
    }
}

impl Column {
    fn push(&mut self, value: &Value) {
        let leaf = match value {
            Value::String(s) => {
                let start = self.text.len();
                self.text.push_str(s);
                let instant = parse_datetime(s).map(|i| {
                    self.instants.push(i);
                    self.instants.len() - 1
                });
                Leaf::Text { start, end: self.text.len(), instant }
            }
            other => Leaf::Other { value: other.clone(), present: is_present(other, PRESENCE_DEPTH) },
        };
        self.leaves.push(leaf);
    }

    /// `more` (the column of the owners after this column's) added at the end.
    fn append(&mut self, more: Column) {
        let (leaves, text, instants) = (self.leaves.len(), self.text.len(), self.instants.len());
        self.starts.extend(more.starts.iter().skip(1).map(|s| s + leaves));
        self.text.push_str(&more.text);
        self.instants.extend(more.instants);
        self.leaves.extend(more.leaves.into_iter().map(|leaf| match leaf {
            Leaf::Text { start, end, instant } => {
                Leaf::Text { start: start + text, end: end + text, instant: instant.map(|i| i + instants) }
            }
            other @ Leaf::Other { .. } => other,
        }));
    }

    /// The values of one owner.
    fn of(&self, owner: usize) -> &[Leaf] {
        let start = self.starts.get(owner).copied().unwrap_or(0);
        let end = self.starts.get(owner + 1).copied().unwrap_or(start);
        self.leaves.get(start..end).unwrap_or_default()
    }

    /// Whether `leaf` satisfies `op` against the literal, as [`super::eval::scalar_holds`] decides.
    fn holds(&self, leaf: &Leaf, op: CompareOp, operand: &Operand) -> bool {
        match leaf {
            Leaf::Text { start, end, instant } => {
                let s = self.text.get(*start..*end).unwrap_or_default();
                string_holds(op, s, || instant.and_then(|i| self.instants.get(i)), operand)
            }
            Leaf::Other { value, .. } => other_holds(op, value, operand),
        }
    }
}

impl Leaf {
    /// Whether `pr` sees this value as present.
    const fn present(&self) -> bool {
        match self {
            Leaf::Text { start, end, .. } => *end > *start,
            Leaf::Other { present, .. } => *present,
        }
    }
}

/// A filter with its columns and spaces in hand.
enum Plan<'f> {
    And(Vec<Plan<'f>>),
    Or(Vec<Plan<'f>>),
    Not(Box<Plan<'f>>),
    /// A comparison or `pr` on one target's column.
    Test(Arc<Column>, Test<'f>),
    /// A value path: its inner condition over the values of its attribute.
    ValuePath(Arc<Space>, Box<Plan<'f>>),
}

/// What an owner's values of a column must satisfy.
enum Test<'f> {
    /// Some value holds `op` against the literal.
    Holds(CompareOp, &'f Operand),
    /// No value equals the literal (`ne` is `not eq`).
    NotEq(&'f Operand),
    /// Some value is present (`pr`, `ne null`).
    Present,
    /// No value is present (`eq null`).
    Absent,
}

impl Test<'_> {
    fn holds(&self, leaves: &[Leaf], column: &Column) -> bool {
        match self {
            Test::Holds(op, operand) => leaves.iter().any(|l| column.holds(l, *op, operand)),
            Test::NotEq(operand) => !leaves.iter().any(|l| column.holds(l, CompareOp::Eq, operand)),
            Test::Present => leaves.iter().any(Leaf::present),
            Test::Absent => !leaves.iter().any(Leaf::present),
        }
    }
}

/// One bit per owner of a space.
#[derive(Clone)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn zeros(len: usize) -> Self {
        Self { words: vec![0; len.div_ceil(64)], len }
    }

    fn full(len: usize) -> Self {
        let mut bits = Self { words: vec![u64::MAX; len.div_ceil(64)], len };
        if let (Some(last), rest @ 1..) = (bits.words.last_mut(), len % 64) {
            *last = (1_u64 << rest) - 1;
        }
        bits
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    fn get(&self, i: usize) -> bool {
        self.words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    fn and_not(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The positions of the set bits, in order.
    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut w = word;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests;
