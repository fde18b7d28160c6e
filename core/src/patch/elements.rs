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
