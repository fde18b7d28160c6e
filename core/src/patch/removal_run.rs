//! A run of `remove` operations on one multi-valued attribute, found by lookup instead of a
//! pass over every value each time.
//!
//! Identity providers take members out of a large Group one operation each: Okta sends
//! `members[value eq "…"]`, Microsoft Entra ID `members` with the value to remove (the
//! `removeByValue` rule). With a pass per operation, 1,000 of them on a Group of 90,000 members
//! compare 90 million values. At a run's second removal the stored values are grouped by key
//! once ([`ElementIndex`]); each removal after that looks its value up and checks only the
//! values of the same key, with the same comparison the pass makes (the filter itself, or
//! [`SameElement`]), so the answer is the pass's.
//!
//! The index keeps the positions the values had when it was built. Removing values does not
//! move the others out of order, so a value's position now is its position then less the
//! number of values removed before it ([`RemovalRun::gone`]). Any other change to the
//! attribute ends the run ([`super::journal::Doc::touched_since`]).

use serde_json::Value;

use super::elements::{ElementIndex, INDEX_FROM, SameElement, element_from_filter, member};
use super::journal::Container;
use crate::filter::{ElementFilter, Filter};
use crate::schema::{Attribute, AttributeType};

/// The attribute a run of removals is taking values out of, and its index once built.
pub(crate) struct RemovalRun<'r> {
    container: Container<'r>,
    name: &'r str,
    /// How many changes the resource had after the run's last removal.
    changes_made: usize,
    index: Option<ElementIndex<'r>>,
    /// The positions (as indexed) of the values removed since the index was built, ascending.
    gone: Vec<usize>,
}

/// What a removal asks to take out: the values a filter selects, or values equal to given ones.
pub(crate) enum Wanted<'a> {
    /// `attr[filter]`: the filter as checked, and as written.
    Matching(&'a ElementFilter, &'a Filter),
    /// `removeByValue`: the values given.
    SameAs(&'a [Value]),
}

impl<'r> RemovalRun<'r> {
    /// A run that has just begun with a removal from `name` of `container`.
    pub(crate) const fn begun(container: Container<'r>, name: &'r str, changes_made: usize) -> Self {
        Self { container, name, changes_made, index: None, gone: Vec::new() }
    }

    /// Whether this run is on `name` of `container`, and nothing but the run has changed it.
    pub(crate) fn goes_on(&self, container: Container<'_>, name: &str, touched_since: impl Fn(usize) -> bool) -> bool {
        self.container == container && self.name == name && !touched_since(self.changes_made)
    }

    /// The positions now in `stored` of the values `wanted` selects (ascending), by the index
    /// (built now if worth it) when the values can be looked up; `None` when they cannot, for a
    /// pass to find them.
    pub(crate) fn find(&mut self, attr: &'r Attribute, stored: &[Value], wanted: &Wanted<'_>) -> Option<Vec<usize>> {
        let probes: Vec<Value> = match wanted {
            Wanted::Matching(_, written) => vec![Value::Object(element_from_filter(written)?)],
            Wanted::SameAs(values) => values.to_vec(),
        };
        // Only a string `value` is looked up: its key is the filter's and `SameElement`'s
        // equality exactly (`caseExact` folding). Every stored value must be an object whose
        // `value`, if any, is a string, so none is found by a rule the key does not follow (a
        // filter matches any item of an array `value`, whose key is the whole array).
        attr.sub_attribute("value").filter(|v| v.kind() == AttributeType::String)?;
        if !probes.iter().all(|p| member(p, "value").is_some_and(Value::is_string)) {
            return None;
        }
        if self.index.is_none() {
            let big_enough = stored.len() > INDEX_FROM;
            let plain = |v: &Value| v.is_object() && member(v, "value").is_none_or(Value::is_string);
            if !big_enough || !stored.iter().all(plain) {
                return None;
            }
            self.index = Some(ElementIndex::new(attr, stored));
            self.gone.clear();
        }
        let index = self.index.as_ref()?;
        let mut found: Vec<usize> = Vec::new();
        for probe in &probes {
            let same = SameElement::new(attr, probe);
            for &then in index.candidates(probe) {
                if self.gone.binary_search(&then).is_ok() {
                    continue;
                }
                let now = then.saturating_sub(self.gone.partition_point(|&g| g < then));
                let Some(value) = stored.get(now) else { continue };
                let selected = match wanted {
                    Wanted::Matching(filter, _) => filter.matches(value),
                    Wanted::SameAs(_) => same.is(value),
                };
                if selected {
                    found.push(now);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        Some(found)
    }

    /// Records that the values now at `removed` (ascending) were removed, and that the resource
    /// then had `changes_made` changes.
    pub(crate) fn removed(&mut self, removed: &[usize], changes_made: usize) {
        self.changes_made = changes_made;
        if self.index.is_none() {
            return;
        }
        // Back to positions as indexed: the first position not gone that has `now` values
        // not gone before it (`removed` ascending, so the count of those gone only grows).
        let mut then: Vec<usize> = Vec::with_capacity(removed.len());
        let mut gone_below = 0;
        for &now in removed {
            let mut p = now + gone_below;
            while self.gone.get(gone_below).is_some_and(|&g| g <= p) {
                gone_below += 1;
                p += 1;
            }
            then.push(p);
        }
        let mut merged = Vec::with_capacity(self.gone.len() + then.len());
        let (mut a, mut b) = (self.gone.iter().peekable(), then.iter().peekable());
        while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
            if x < y {
                merged.push(x);
                a.next();
            } else {
                merged.push(y);
                b.next();
            }
        }
        merged.extend(a);
        merged.extend(b);
        self.gone = merged;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::patch::{PatchOptions, apply_patch};
    use crate::{Profile, Registry, urn};

    /// A small deterministic generator (no dependency for one test).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(self.0 >> 33).unwrap() % n
        }
    }

    /// Members that differ in case, repeat, carry a `type`, or are not strings: what a lookup
    /// could get wrong that a pass gets right.
    fn member(g: &mut Lcg, i: usize) -> Value {
        let name = format!("m{}", g.below(150));
        if i % 97 == 50 {
            // Stored data no schema allows: a `value` that is an array (a filter matches its items).
            return json!({"value": [name]});
        }
        match i % 7 {
            0 => json!({"value": name.to_uppercase()}),
            1 => json!({"value": name, "type": if g.below(2) == 0 { "User" } else { "Group" }}),
            2 => json!({"value": name, "display": format!("Member {i}")}),
            3 if i % 21 == 3 => json!({"value": 5, "display": "a number"}),
            _ => json!({"value": name}),
        }
    }

    fn operation(g: &mut Lcg, i: usize) -> Value {
        let name = format!("m{}", g.below(170));
        match g.below(10) {
            0..=3 => json!({"op": "remove", "path": format!("members[value eq \"{name}\"]")}),
            4 => {
                json!({"op": "remove", "path": format!("members[value eq \"{}\" and type eq \"User\"]", name.to_uppercase())})
            }
            5 | 6 => json!({"op": "Remove", "path": "members", "value": [{"value": name}]}),
            7 => {
                json!({"op": "remove", "path": "members", "value": [{"value": name, "type": "Group"}, {"value": "5"}]})
            }
            8 => json!({"op": "add", "path": "members", "value": [member(g, i)]}),
            _ => json!({"op": "replace", "path": "displayName", "value": format!("Team {i}")}),
        }
    }

    /// Many removals in one request answer exactly as the same operations one request each
    /// (where no run is kept): the resource, and every change record.
    #[test]
    fn a_run_of_removals_answers_as_one_request_per_operation() {
        let registry = Registry::builtin();
        let options = PatchOptions { profile: Profile::compat(), ..PatchOptions::default() };
        for seed in 0..40 {
            let mut g = Lcg(seed);
            let members: Vec<Value> = (0..200 + g.below(300)).map(|i| member(&mut g, i)).collect();
            // Every fourth group spells `members` otherwise, as a stored resource may.
            let key = if seed % 4 == 3 { "Members" } else { "members" };
            let group = json!({"schemas": [urn::GROUP], "id": "g", "displayName": "Team", key: members});
            let operations: Vec<Value> = (0..60).map(|i| operation(&mut g, i)).collect();
            let whole = apply_patch(
                &registry,
                "Group",
                group.clone(),
                &json!({"schemas": [urn::PATCH_OP], "Operations": operations}),
                &options,
            );
            let mut one_by_one: Result<_, crate::patch::PatchFailure> = Ok((group, Vec::new()));
            for op in &operations {
                one_by_one = one_by_one.and_then(|(resource, mut changes): (Value, Vec<crate::patch::Change>)| {
                    let request = json!({"schemas": [urn::PATCH_OP], "Operations": [op]});
                    let done = apply_patch(&registry, "Group", resource, &request, &options)?;
                    changes.extend(done.changes);
                    Ok((done.resource, changes))
                });
            }
            match (whole, one_by_one) {
                (Ok(whole), Ok((resource, changes))) => {
                    assert_eq!(whole.resource, resource, "seed {seed}");
                    assert_eq!(whole.changes, changes, "seed {seed}");
                }
                (Err(a), Err(b)) => assert_eq!(a.error.scim_type(), b.error.scim_type(), "seed {seed}"),
                (a, b) => panic!("seed {seed}: {a:?} / {b:?}"),
            }
        }
    }
}
