//! Values of multi-valued attributes: when two are the same value, and the value a filter
//! describes.

use serde_json::{Map, Value};

use crate::filter::{CompareOp, Filter, Literal};
use crate::schema::{Attribute, AttributeType};
use crate::validate::resource::same_value;

/// Member `name` of object `v`, exact spelling first, then any case; `null` counts as absent.
pub(crate) fn member<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    let obj = v.as_object()?;
    crate::validate::resource::member(obj, name)
}

/// Whether stored values are the same value of multi-valued `attr` as one given value: for
/// complex values with a `value` sub-attribute, the same `value` (per its `caseExact`) and, when
/// both have one, the same `type`; otherwise equal (strings per `caseExact`, keys in any case).
/// The sub-attribute definitions and the given value's `value` and `type` are looked up once,
/// for comparing it with many stored values.
pub(crate) struct SameElement<'a> {
    attr: &'a Attribute,
    other: &'a Value,
    /// `value`'s definition and the fixed value's `value`, when the attribute is complex and
    /// has both.
    value: Option<(&'a Attribute, &'a Value)>,
    /// `type`'s definition and the fixed value's `type`, likewise.
    kind: Option<(&'a Attribute, &'a Value)>,
}

impl<'a> SameElement<'a> {
    pub(crate) fn new(attr: &'a Attribute, other: &'a Value) -> Self {
        let complex = attr.kind() == AttributeType::Complex;
        let sub = |name: &str| {
            if !complex {
                return None;
            }
            Some((attr.sub_attribute(name)?, member(other, name)?))
        };
        Self { attr, other, value: sub("value"), kind: sub("type") }
    }

    /// Whether any of `stored` is the same value as the given one.
    pub(crate) fn is_in(&self, stored: &[Value]) -> bool {
        stored.iter().any(|a| self.is(a))
    }

    /// The first of `stored` that is the same value as the given one.
    pub(crate) fn position_in(&self, stored: &[Value]) -> Option<usize> {
        stored.iter().position(|a| self.is(a))
    }

    /// Whether the stored value `a` is the same value as the given one.
    pub(crate) fn is(&self, a: &Value) -> bool {
        let Some((value_attr, y)) = self.value else {
            return same_value(self.attr, a, self.other);
        };
        let Some(x) = member(a, "value") else {
            return same_value(self.attr, a, self.other);
        };
        if !same_value(value_attr, x, y) {
            return false;
        }
        match (self.kind, member(a, "type")) {
            (Some((type_attr, y)), Some(x)) => same_value(type_attr, x, y),
            _ => true,
        }
    }
}

/// Values of a multi-valued attribute grouped by a key every two values that are
/// [`SameElement`] share, so finding the same value among many costs a lookup and a few
/// comparisons instead of a pass over all of them (an `add` of 100,000 members would otherwise
/// compare every pair). Keys are kept in a B-tree, not hashed: values come from requests, and
/// no choice of them can crowd one bucket.
pub(crate) struct ElementIndex<'a> {
    attr: &'a Attribute,
    groups: std::collections::BTreeMap<String, Vec<usize>>,
}

/// The attribute the last `add` added to, how many changes the resource had then
/// ([`super::journal::Doc::changes_made`]), and its [`ElementIndex`] when it built one.
pub(crate) struct KeptIndex<'r> {
    pub(crate) container: super::journal::Container<'r>,
    pub(crate) name: &'r str,
    pub(crate) changes_made: usize,
    pub(crate) index: Option<ElementIndex<'r>>,
}

/// Below this many comparisons, a plain pass is cheaper than building keys.
pub(crate) const INDEX_FROM: usize = 64;

impl<'a> ElementIndex<'a> {
    /// An index of `values` (positions as in the slice).
    pub(crate) fn new(attr: &'a Attribute, values: &[Value]) -> Self {
        let mut index = Self { attr, groups: std::collections::BTreeMap::new() };
        for (i, v) in values.iter().enumerate() {
            index.insert(v, i);
        }
        index
    }

    /// Adds `value`, at position `at` (after every position already in).
    pub(crate) fn insert(&mut self, value: &Value, at: usize) {
        self.groups.entry(key(self.attr, value)).or_default().push(at);
    }

    /// The positions (as indexed) of every value whose key is `given`'s: every value that is
    /// [`SameElement`] as it, and maybe others.
    pub(crate) fn candidates(&self, given: &Value) -> &[usize] {
        self.groups.get(&key(self.attr, given)).map_or(&[], Vec::as_slice)
    }

    /// The first position in `values` (the slice indexed) holding the same value as `given`.
    pub(crate) fn position(&self, values: &[Value], given: &Value) -> Option<usize> {
        let same = SameElement::new(self.attr, given);
        let group = self.groups.get(&key(self.attr, given))?;
        group.iter().copied().find(|&i| values.get(i).is_some_and(|v| same.is(v)))
    }
}

/// The key of [`ElementIndex`]: a complex value's `value` (compared per its definition), or the
/// whole value (as [`same_value`] compares it), never both — a value with a `value` is never the
/// same as one without.
fn key(attr: &Attribute, v: &Value) -> String {
    let value = (attr.kind() == AttributeType::Complex)
        .then(|| Some((attr.sub_attribute("value")?, member(v, "value")?)))
        .flatten();
    let (tag, of, x) = if let Some((value_attr, x)) = value { ('v', value_attr, x) } else { ('e', attr, v) };
    let mut k = String::from(tag);
    k.push_str(&crate::validate::walk::equality_key(of, x));
    k
}

fn literal_value(literal: &Literal) -> Option<Value> {
    serde_json::to_value(literal).ok()
}

/// The value a filter of `eq` comparisons joined by `and` describes, for the
/// `createOnFilterMiss` rule: `type eq "work" and primary eq true` gives
/// `{"type": "work", "primary": true}`. `None` for any other filter.
pub(crate) fn element_from_filter(filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let parts: Vec<&Filter> = match filter {
        Filter::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    for part in parts {
        let Filter::Compare { path, op: CompareOp::Eq, value } = part else { return None };
        if path.urn.is_some() || path.sub.is_some() {
            return None;
        }
        let v = literal_value(value)?;
        if v.is_null() || out.insert(path.name.clone(), v).is_some() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{ElementIndex, SameElement};
    use crate::Registry;

    /// The index finds exactly what a pass of [`SameElement`] comparisons finds, for values that
    /// differ in case, in `type`, in members, or have no `value` at all.
    #[test]
    fn the_index_agrees_with_a_pass_of_comparisons() {
        let registry = Registry::builtin();
        let users = registry.resource_type("User").expect("User");
        let groups = registry.resource_type("Group").expect("Group");
        let emails = users.attribute("emails").expect("emails").attribute;
        let members = groups.attribute("members").expect("members").attribute;
        let schemas = users.attribute("schemas").map(|r| r.attribute);
        let values: Vec<Value> = vec![
            json!({"value": "a@x", "type": "work"}),
            json!({"value": "A@X", "type": "home"}),
            json!({"value": "a@x"}),
            json!({"value": "b@x", "type": "WORK"}),
            json!({"type": "work"}),
            json!({"TYPE": "work"}),
            json!({"display": "a@x"}),
            json!({"value": null, "type": "work"}),
            json!({"value": 5}),
            json!({"value": 5.0}),
            json!("a@x"),
        ];
        for attr in [Some(emails), Some(members), schemas].into_iter().flatten() {
            let index = ElementIndex::new(attr, &values);
            for given in &values {
                let by_pass = SameElement::new(attr, given).position_in(&values);
                assert_eq!(index.position(&values, given), by_pass, "{} {given}", attr.name());
            }
        }
    }
}
