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

/// Whether `a` and `b` are the same value of multi-valued `attr`: for complex values with a
/// `value` sub-attribute, the same `value` (per its `caseExact`) and, when both have one, the
/// same `type`; otherwise equal (strings per `caseExact`, keys in any case).
pub(crate) fn same_element(attr: &Attribute, a: &Value, b: &Value) -> bool {
    if attr.kind() != AttributeType::Complex {
        return same_value(attr, a, b);
    }
    let (Some(value_attr), Some(x), Some(y)) = (attr.sub_attribute("value"), member(a, "value"), member(b, "value"))
    else {
        return same_value(attr, a, b);
    };
    if !same_value(value_attr, x, y) {
        return false;
    }
    match (attr.sub_attribute("type"), member(a, "type"), member(b, "type")) {
        (Some(type_attr), Some(x), Some(y)) => same_value(type_attr, x, y),
        _ => true,
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
