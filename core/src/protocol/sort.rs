//! Sorting resources by an attribute, per its schema (RFC 7644 §3.4.2.3).
//!
//! - The attribute is resolved once ([`Sorter::compile`]); every form of attribute notation
//!   works (`userName`, `name.familyName`, `urn:…:enterprise:2.0:User:employeeNumber`). An
//!   unknown attribute, or a complex one that has no `value` sub-attribute to stand for it, is
//!   `invalidValue`: a sort needs a defined type to compare by. So is a secret (`returned:
//!   never` or `writeOnly`, such as `password`): the order of the results would give it away.
//! - A multi-valued attribute sorts by its `primary` value, or else its first (for a complex
//!   one, the sub-attribute of that value: `emails` means `emails.value`).
//! - Strings compare per `caseExact`: case-sensitively by code point, or by the lowercase
//!   mapping of `crate::value::fold_case` (no locale). `dateTime` compares as instants, integers
//!   exactly (a whole number written `5.0` is 5, as in filters), decimals as `f64`, booleans
//!   `false` before `true`.
//! - A missing value, or one that does not fit the attribute's type, sorts last when ascending
//!   and first when descending (descending is exactly ascending reversed), as the RFC says.
//! - The sort is stable, and each resource's key is extracted once, not per comparison.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::query::SortOrder;
use crate::error::{Error, Location, ScimType, excerpt};
use crate::schema::{Attribute, AttributeType, ResourceTypeView};
use crate::value::{Instant, fold_case, parse_datetime};

/// A sort by one attribute, resolved against a resource type.
#[derive(Debug, Clone)]
pub struct Sorter<'r> {
    /// The extension URN the attribute lives under, if any.
    extension: Option<&'r str>,
    attribute: &'r Attribute,
    /// The sub-attribute compared, for complex attributes.
    sub: Option<&'r Attribute>,
    order: SortOrder,
}

/// One resource's sort key.
#[derive(Debug, Clone, PartialEq)]
enum Key<'a> {
    Text(Cow<'a, str>),
    Integer(i128),
    Decimal(f64),
    Boolean(bool),
    Time(Instant),
    Missing,
}

/// An integer attribute's key. A whole number written with a fraction or an exponent (`5.0`, as
/// Python's `json` writes a float; `-0`, which JSON readers take as a float) is the integer it
/// is — as a filter compares it — and anything else does not fit the type.
fn integer_key<'a>(n: &serde_json::Number) -> Key<'a> {
    if let Some(i) = n.as_i64() {
        return Key::Integer(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Key::Integer(u.into());
    }
    match n.as_f64() {
        // Within ±1e38 the value fits an i128 (whose range is ±1.7e38), so the cast is exact.
        #[expect(clippy::cast_possible_truncation, reason = "a whole f64 within ±1e38 fits i128 exactly")]
        Some(f) if f.fract() == 0.0 && f.abs() < 1e38 => Key::Integer(f as i128),
        _ => Key::Missing,
    }
}

/// Ascending order: keys of the same kind compare by value, and a missing key goes last.
fn ascending(a: &Key<'_>, b: &Key<'_>) -> Ordering {
    match (a, b) {
        (Key::Missing, Key::Missing) => Ordering::Equal,
        (Key::Missing, _) => Ordering::Greater,
        (_, Key::Missing) => Ordering::Less,
        (Key::Text(x), Key::Text(y)) => x.cmp(y),
        (Key::Integer(x), Key::Integer(y)) => x.cmp(y),
        (Key::Decimal(x), Key::Decimal(y)) => x.total_cmp(y),
        (Key::Boolean(x), Key::Boolean(y)) => x.cmp(y),
        (Key::Time(x), Key::Time(y)) => x.cmp(y),
        // One attribute gives one kind of key; kinds never mix.
        _ => Ordering::Equal,
    }
}

/// The positions in `keyed` sorted by key (stable), descending when `descending`. The crate's
/// one copy of the stable sort code for its own sorts (each `sort_by` call site with another
/// element type or closure would bring a copy of several KB to the WebAssembly build).
fn order(mut keyed: Vec<(Key<'_>, usize)>, descending: bool) -> Vec<usize> {
    keyed.sort_by(|a, b| if descending { ascending(&b.0, &a.0) } else { ascending(&a.0, &b.0) });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The positions of `keys` in ascending order (stable).
pub(crate) fn stable_order(keys: impl Iterator<Item = usize>) -> Vec<usize> {
    let keyed = keys.enumerate().map(|(i, k)| (Key::Integer(i128::try_from(k).unwrap_or(i128::MAX)), i)).collect();
    order(keyed, false)
}

/// `items` in the order of `order` (positions into `items`, each once).
pub(crate) fn permute<T>(items: Vec<T>, order: Vec<usize>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect()
}

/// The member `name` of `obj`, matched in any case.
fn member<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

impl<'r> Sorter<'r> {
    /// Resolves `sort_by` against `view`.
    ///
    /// # Errors
    /// `invalidValue` at `/sortBy` when the attribute is unknown, complex without a
    /// sub-attribute to compare, or a secret.
    pub fn compile(view: ResourceTypeView<'r>, sort_by: &str, order: SortOrder) -> Result<Self, Error> {
        let here = || Location::root().key("sortBy");
        let found = view.resolve(sort_by).ok_or_else(|| {
            Error::new(ScimType::InvalidValue, format!("cannot sort by `{}`: no such attribute", excerpt(sort_by)))
                .at(here())
        })?;
        let extension = found.schema.filter(|s| !std::ptr::eq(*s, view.core_schema())).map(crate::schema::Schema::id);
        let attribute = found.attribute;
        let sub = match (found.sub_attribute, attribute.kind()) {
            (Some(sub), _) => Some(sub),
            (None, AttributeType::Complex) => {
                let value = attribute.sub_attribute("value").filter(|_| attribute.multi_valued());
                Some(value.ok_or_else(|| {
                    Error::new(
                        ScimType::InvalidValue,
                        format!("cannot sort by `{}`: name one of its sub-attributes", excerpt(sort_by)),
                    )
                    .at(here())
                })?)
            }
            (None, _) => None,
        };
        if attribute.is_secret() || sub.is_some_and(Attribute::is_secret) {
            return Err(Error::new(
                ScimType::InvalidValue,
                format!(
                    "cannot sort by `{}`: it is never returned, and its order would give it away",
                    excerpt(sort_by)
                ),
            )
            .at(here()));
        }
        Ok(Self { extension, attribute, sub, order })
    }

    /// The direction.
    pub const fn order(&self) -> SortOrder {
        self.order
    }

    /// The value a resource sorts by.
    fn value<'a>(&self, resource: &'a Value) -> Option<&'a Value> {
        let mut obj = resource.as_object()?;
        if let Some(urn) = self.extension {
            obj = member(obj, urn)?.as_object()?;
        }
        let value = member(obj, self.attribute.name())?;
        let single = match value {
            Value::Array(items) if self.attribute.multi_valued() => {
                let primary = items.iter().find(|item| {
                    item.as_object().and_then(|o| member(o, "primary")).and_then(Value::as_bool) == Some(true)
                });
                primary.or_else(|| items.first())?
            }
            Value::Array(_) => return None,
            other => other,
        };
        match self.sub {
            Some(sub) => member(single.as_object()?, sub.name()),
            None => Some(single),
        }
    }

    fn key<'a>(&self, resource: &'a Value) -> Key<'a> {
        let target = self.sub.unwrap_or(self.attribute);
        let Some(value) = self.value(resource) else { return Key::Missing };
        match (target.kind(), value) {
            (AttributeType::String | AttributeType::Reference | AttributeType::Binary, Value::String(s)) => {
                // Binary is case-exact whatever the schema says (RFC 7643 §2.3.6), as in filters.
                let case_exact = target.case_exact() || target.kind() == AttributeType::Binary;
                if case_exact || (s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase())) {
                    Key::Text(Cow::Borrowed(s))
                } else {
                    Key::Text(Cow::Owned(fold_case(s)))
                }
            }
            (AttributeType::Integer, Value::Number(n)) => integer_key(n),
            (AttributeType::Decimal, Value::Number(n)) => n.as_f64().map_or(Key::Missing, Key::Decimal),
            (AttributeType::Boolean, Value::Bool(b)) => Key::Boolean(*b),
            (AttributeType::DateTime, Value::String(s)) => parse_datetime(s).map_or(Key::Missing, Key::Time),
            _ => Key::Missing,
        }
    }

    /// The positions of `items` in sorted order (stable). `value` gives each item's resource.
    pub fn order_of<T>(&self, items: &[T], value: impl Fn(&T) -> &Value) -> Vec<usize> {
        let keyed: Vec<(Key<'_>, usize)> = items.iter().enumerate().map(|(i, t)| (self.key(value(t)), i)).collect();
        order(keyed, self.order == SortOrder::Descending)
    }

    /// `items` sorted (stable); `value` gives each item's resource.
    pub fn sort_by<T>(&self, items: Vec<T>, value: impl Fn(&T) -> &Value) -> Vec<T> {
        let order = self.order_of(&items, value);
        permute(items, order)
    }

    /// `resources` sorted (stable).
    pub fn sort(&self, resources: Vec<Value>) -> Vec<Value> {
        self.sort_by(resources, |v| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;
    use serde_json::json;

    fn names(sort_by: &str, order: SortOrder, resources: &Value) -> Vec<String> {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let by = Sorter::compile(view, sort_by, order).unwrap();
        let out = by.sort(resources.as_array().unwrap().clone());
        out.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn case_insensitive_with_missing_last_then_first() {
        let users = json!([{"id": "1", "userName": "bob"}, {"id": "2"}, {"id": "3", "userName": "Alice"}]);
        assert_eq!(names("userName", SortOrder::Ascending, &users), ["3", "1", "2"]);
        assert_eq!(names("userName", SortOrder::Descending, &users), ["2", "1", "3"]);
    }

    #[test]
    fn primary_value_and_instants() {
        let users = json!([
            {"id": "1", "emails": [{"value": "z@x"}, {"value": "a@x", "primary": true}], "meta": {"created": "2020-01-01T00:00:00Z"}},
            {"id": "2", "emails": [{"value": "m@x"}], "meta": {"created": "2019-12-31T23:00:00-02:00"}}
        ]);
        assert_eq!(names("emails", SortOrder::Ascending, &users), ["1", "2"]);
        assert_eq!(names("meta.created", SortOrder::Ascending, &users), ["1", "2"]);
    }

    #[test]
    fn unknown_or_complex_is_refused() {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        assert!(Sorter::compile(view, "nope", SortOrder::Ascending).is_err());
        assert!(Sorter::compile(view, "name", SortOrder::Ascending).is_err());
    }
}
