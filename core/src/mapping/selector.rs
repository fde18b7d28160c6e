//! Selectors in mapping keys (`emails[type eq "work"].value`): reading them, and keeping two
//! of them from choosing the same value.

use serde_json::Value;

use super::model::{AttrRef, Entry, Storage, definition};
use crate::error::{Error, Location, ScimType, excerpt};
use crate::filter::{ElementFilter, Filter, Literal};
use crate::schema::{Attribute, AttributeType, ResourceTypeView};
use crate::value::eq_ignore_case;

fn invalid(at: &Location, detail: String) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(at.clone())
}

/// The selector of `a[selector].sub`: sub-attributes `eq` values, joined by `and`.
pub(super) fn selector(
    view: &ResourceTypeView<'_>,
    a: &Attribute,
    urn: Option<&str>,
    sub: &Attribute,
    filter: &Filter,
    at: &Location,
) -> Result<(Vec<(String, Value)>, ElementFilter), Error> {
    let attr_path = crate::path::AttrPath::new(urn, a.name(), None);
    let matcher = ElementFilter::compile(view, &attr_path, filter).map_err(|e| {
        invalid(
            at,
            format!("the selector `{}` does not fit `{}`: {}", excerpt(&filter.to_string()), a.name(), e.detail()),
        )
    })?;
    let items = match filter {
        Filter::And(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut selector: Vec<(String, Value)> = Vec::new();
    for item in items {
        let Filter::Compare { path, op: crate::filter::CompareOp::Eq, value } = item else {
            return Err(invalid(
                at,
                format!(
                    "a selector is sub-attributes compared with `eq`, joined by `and`, such as `{}[type eq \"work\"]`; found `{}`",
                    a.name(),
                    excerpt(&item.to_string())
                ),
            ));
        };
        let def = a
            .sub_attribute(&path.name)
            .filter(|d| d.kind() != AttributeType::Complex && !d.multi_valued() && path.sub.is_none());
        let (Some(def), Some(json)) = (def, literal_json(value)) else {
            return Err(invalid(
                at,
                format!(
                    "`{}` cannot select a value: compare a single-valued sub-attribute with a string, number or boolean",
                    excerpt(&item.to_string())
                ),
            ));
        };
        if def.name() == sub.name() || selector.iter().any(|(n, _)| n == def.name()) {
            return Err(invalid(at, format!("the selector names `{}` twice or also stores it", def.name())));
        }
        selector.push((def.name().to_owned(), json));
    }
    Ok((selector, matcher))
}

fn literal_json(value: &Literal) -> Option<Value> {
    match value {
        Literal::String(s) => Some(Value::String(s.clone())),
        Literal::Bool(b) => Some(Value::Bool(*b)),
        Literal::Number(n) => n.as_str().parse::<serde_json::Number>().ok().map(Value::Number),
        Literal::Null => None,
    }
}

/// Adds `entry`, or merges it into the entry that stores the same selected value; refuses a
/// path mapped twice and selectors that can pick the same value.
pub(super) fn merge(
    entries: &mut Vec<(Entry, Location)>,
    entry: Entry,
    at: Location,
    view: &ResourceTypeView<'_>,
) -> Result<(), Error> {
    let label = entry.attr.label();
    for (other, other_at) in entries.iter_mut().filter(|(e, _)| e.attr == entry.attr) {
        match (&mut other.storage, &entry.storage) {
            (Storage::Column { sub: a, .. }, Storage::Column { sub: b, .. }) if a != b => {}
            (Storage::Selected { selector: a, subs, .. }, Storage::Selected { selector: b, subs: new, .. }) => {
                match compare_selectors(a, b, &entry.attr, view) {
                    Selectors::Disjoint => {}
                    Selectors::Same => {
                        for (name, column) in new {
                            if subs.iter().any(|(n, _)| n == name) {
                                return Err(invalid(
                                    &at,
                                    format!("`{label}[…].{name}` is mapped twice, also at `{other_at}`"),
                                ));
                            }
                            subs.push((name.clone(), column.clone()));
                        }
                        return Ok(());
                    }
                    Selectors::Overlap => {
                        return Err(invalid(
                            &at,
                            format!(
                                "this selector and the one at `{other_at}` can choose the same value of `{label}`: make them differ in one sub-attribute's value"
                            ),
                        ));
                    }
                }
            }
            _ => return Err(invalid(&at, format!("`{label}` is already mapped at `{other_at}`"))),
        }
    }
    entries.push((entry, at));
    Ok(())
}

enum Selectors {
    Same,
    Disjoint,
    Overlap,
}

fn compare_selectors(
    a: &[(String, Value)],
    b: &[(String, Value)],
    attr: &AttrRef,
    view: &ResourceTypeView<'_>,
) -> Selectors {
    let parent = definition(view, attr.urn.as_deref(), &attr.name);
    let equal = |name: &str, x: &Value, y: &Value| {
        let case_exact = parent.and_then(|p| p.sub_attribute(name)).is_none_or(Attribute::case_exact);
        match (x, y) {
            (Value::String(x), Value::String(y)) if !case_exact => eq_ignore_case(x, y),
            _ => x == y,
        }
    };
    let mut all_equal = a.len() == b.len();
    for (name, x) in a {
        match b.iter().find(|(n, _)| n == name) {
            Some((_, y)) if !equal(name, x, y) => return Selectors::Disjoint,
            Some(_) => {}
            None => all_equal = false,
        }
    }
    if all_equal { Selectors::Same } else { Selectors::Overlap }
}
