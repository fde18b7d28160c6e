//! The search form of a resource, which the document layout stores beside the resource and
//! filters read: the resource reshaped so that each filter operation is one plain comparison
//! in SQL and gives the answer [`CheckedFilter::matches`](crate::CheckedFilter::matches) gives.
//!
//! - Only attributes of the resource type, under their schema names (a resource's `USERNAME`
//!   is stored as `userName`, found as the evaluator finds it: exact name first, then any ASCII
//!   case); extension attributes under the extension URN, as in the resource.
//! - Strings of `caseExact: false` attributes are case-folded with the crate's one rule
//!   ([`crate::value::fold_case`]), so SQL compares them byte for byte with a folded literal.
//! - dateTimes become UTC text whose byte order is time order (`2011-05-13T04:42:34.5+00:00`),
//!   numbers a text key whose byte order is numeric order (see `sortable.rs`): exact in SQLite
//!   and PostgreSQL alike, with no float rounding and no time zone setting involved.
//! - `null` values are left out; a multi-valued attribute is always an array (a lone value
//!   becomes an array of one, as the evaluator reads it); values of a multi-valued complex
//!   attribute that are not objects are left out (no sub-attribute or value filter can match
//!   them).
//! - A value of the wrong JSON type (a number where a string belongs, a dateTime that does not
//!   parse) can never match a comparison: it is stored as `{}`, which every comparison skips and
//!   `pr` counts as present; when the evaluator would not count it as present (`""`, `[]`) it is
//!   left out.
//! - A complex attribute's `pr` looks through all its members, also unknown ones, down several
//!   levels; that answer is computed here and stored as `"$present": {"name": true, …}` (keys:
//!   the attribute's path, `urn:…:manager` for an extension attribute).
//! - A single-valued attribute holding an array is refused (`invalidValue`): SQL reads such an
//!   attribute as one value.

use serde_json::{Map, Value};

use super::sortable::{decimal_key, instant_text};
use crate::error::{Error, Location, ScimType, excerpt};
use crate::filter::check::schemas_attribute;
use crate::filter::eval::{item_present, member, value_present};
use crate::schema::{Attribute, AttributeType, ResourceTypeView};
use crate::value::{fold_case, parse_datetime};

/// The member holding the presence of complex attributes.
pub(crate) const PRESENT: &str = "$present";

/// Stands for a present value of the wrong type: no comparison matches it.
pub(crate) fn marker() -> Value {
    Value::Object(Map::new())
}

/// The search form of `resource`.
pub(crate) fn search_document(view: &ResourceTypeView<'_>, resource: &Value) -> Result<Value, Error> {
    let mut out = Map::new();
    let mut present = Map::new();
    let root = Location::root();
    let core = view.core_schema().attributes().iter();
    let common = view.common_attributes().iter().filter(|a| view.core_schema().attribute(a.name()).is_none());
    for a in core.chain(common).chain(std::iter::once(schemas_attribute())) {
        if let Some(v) = member(resource, a.name()) {
            put(&mut out, &mut present, a, v, a.name(), &root.clone().key(a.name()))?;
        }
    }
    for (schema, _) in view.extensions() {
        let Some(holder) = member(resource, schema.id()).filter(|v| v.is_object()) else {
            continue;
        };
        let mut inner = Map::new();
        let here = root.clone().key(schema.id());
        for a in schema.attributes() {
            if let Some(v) = member(holder, a.name()) {
                let label = format!("{}:{}", schema.id(), a.name());
                put(&mut inner, &mut present, a, v, &label, &here.clone().key(a.name()))?;
            }
        }
        out.insert(schema.id().to_owned(), Value::Object(inner));
    }
    if !present.is_empty() {
        out.insert(PRESENT.to_owned(), Value::Object(present));
    }
    Ok(Value::Object(out))
}

fn single_valued_array(a: &Attribute, at: &Location) -> Error {
    Error::new(
        ScimType::InvalidValue,
        format!("`{}` is single-valued but holds an array, which cannot be stored for search", a.name()),
    )
    .at(at.clone())
}

/// The items of a multi-valued attribute's value: an array's items, or the value alone.
pub(crate) fn items(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// Stores attribute `a`'s value `v` in `out` under `a`'s name.
fn put(
    out: &mut Map<String, Value>,
    present: &mut Map<String, Value>,
    a: &Attribute,
    v: &Value,
    label: &str,
    at: &Location,
) -> Result<(), Error> {
    let stored = match (a.kind(), a.multi_valued()) {
        (AttributeType::Complex, multi) => {
            if value_present(v) {
                present.insert(label.to_owned(), Value::Bool(true));
            }
            if multi {
                let mut elements = Vec::new();
                for (i, item) in items(v).iter().enumerate() {
                    if item.is_object() {
                        let here = if v.is_array() { at.clone().index(i) } else { at.clone() };
                        elements.push(Value::Object(subs(a, item, &here)?));
                    }
                }
                Some(Value::Array(elements))
            } else if v.is_array() {
                return Err(single_valued_array(a, at));
            } else if v.is_object() {
                Some(Value::Object(subs(a, v, at)?))
            } else {
                None
            }
        }
        (_, true) => Some(cells(a, v, at)?),
        (_, false) => {
            if v.is_array() {
                return Err(single_valued_array(a, at));
            }
            cell(a, v, at)?
        }
    };
    if let Some(stored) = stored {
        out.insert(a.name().to_owned(), stored);
    }
    Ok(())
}

/// The sub-attributes of one complex value.
fn subs(a: &Attribute, value: &Value, at: &Location) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    for sub in a.sub_attributes() {
        let Some(v) = member(value, sub.name()) else {
            continue;
        };
        let here = at.clone().key(sub.name());
        let stored = if sub.multi_valued() {
            Some(cells(sub, v, &here)?)
        } else if v.is_array() {
            return Err(single_valued_array(sub, &here));
        } else {
            cell(sub, v, &here)?
        };
        if let Some(stored) = stored {
            out.insert(sub.name().to_owned(), stored);
        }
    }
    Ok(out)
}

/// The values of a multi-valued simple attribute.
fn cells(a: &Attribute, v: &Value, at: &Location) -> Result<Value, Error> {
    let mut out = Vec::new();
    for (i, item) in items(v).iter().enumerate() {
        let here = if v.is_array() { at.clone().index(i) } else { at.clone() };
        if let Some(c) = cell(a, item, &here)? {
            out.push(c);
        }
    }
    Ok(Value::Array(out))
}

/// One value of a simple attribute in its search form; `None` when it is left out.
pub(crate) fn cell(a: &Attribute, v: &Value, at: &Location) -> Result<Option<Value>, Error> {
    let stored = match (a.kind(), v) {
        (_, Value::Null) => return Ok(None),
        (AttributeType::String | AttributeType::Reference, Value::String(s)) if !a.case_exact() => {
            Some(Value::String(fold_case(s)))
        }
        (AttributeType::String | AttributeType::Reference | AttributeType::Binary, Value::String(s)) => {
            Some(Value::String(s.clone()))
        }
        (AttributeType::Boolean, Value::Bool(b)) => Some(Value::Bool(*b)),
        (AttributeType::Integer | AttributeType::Decimal, Value::Number(n)) => {
            decimal_key(&n.to_string()).map(Value::String)
        }
        (AttributeType::DateTime, Value::String(s)) => match parse_datetime(s) {
            Some(instant) => Some(Value::String(instant_text(&instant).ok_or_else(|| out_of_range(s, at))?)),
            None => None,
        },
        _ => None,
    };
    Ok(stored.or_else(|| item_present(v).then(marker)))
}

pub(crate) fn out_of_range(text: &str, at: &Location) -> Error {
    Error::new(
        ScimType::InvalidValue,
        format!("the dateTime `{}` falls outside the years 0001–9999 in UTC and cannot be stored", excerpt(text)),
    )
    .at(at.clone())
}
