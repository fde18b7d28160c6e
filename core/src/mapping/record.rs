//! A resource as a record of the mapping's tables, and back.
//!
//! A record is `{"row": {column: value…}, "children": {table: [row…]…}}`: the main table's row
//! and, per child table, one row per value. Values are JSON: strings, numbers, booleans,
//! `null`, and for the document layout's two columns JSON objects (bind them as JSON text).

use serde_json::{Map, Value};

use super::model::{AttrRef, Column, Entry, Layout, Mapping, Storage};
use super::search::{items, out_of_range, search_document};
use super::sortable::{instant_text, whole_i64};
use crate::error::{Error, ErrorKind, Location, ScimType, excerpt};
use crate::filter::eval::member;
use crate::schema::{AttributeType, ResourceTypeView};
use crate::value::{fold_case, kind_of, parse_datetime};

fn invalid(at: &Location, detail: String) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(at.clone())
}

const fn kind_word(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::String | AttributeType::Reference | AttributeType::Binary => "a string",
        AttributeType::Boolean => "a boolean",
        AttributeType::Integer => "a whole number",
        AttributeType::Decimal => "a number",
        AttributeType::DateTime => "a dateTime",
        AttributeType::Complex => "an object",
    }
}

fn view(mapping: &Mapping) -> Result<ResourceTypeView<'_>, Error> {
    mapping.view().ok_or_else(|| Error::new(ErrorKind::Internal, "the mapping's resource type is missing"))
}

/// Where a string or member name of `value` holding U+0000 is, if one does (found without
/// building locations; only then located).
fn nul_at(value: &Value) -> Option<Location> {
    let mut stack = vec![value];
    let mut found = false;
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => found |= s.contains('\0'),
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                found |= members.keys().any(|k| k.contains('\0'));
                stack.extend(members.values());
            }
            _ => {}
        }
        if found {
            break;
        }
    }
    if !found {
        return None;
    }
    let mut stack = vec![(value, Location::root())];
    while let Some((v, at)) = stack.pop() {
        match v {
            Value::String(s) if s.contains('\0') => return Some(at),
            Value::Array(items) => stack.extend(items.iter().enumerate().map(|(i, x)| (x, at.clone().index(i)))),
            Value::Object(members) => {
                for (k, x) in members {
                    if k.contains('\0') {
                        return Some(at.key(k));
                    }
                    stack.push((x, at.clone().key(k)));
                }
            }
            _ => {}
        }
    }
    None
}

fn holds_nul(at: &Location) -> Error {
    invalid(
        at,
        "a string holding U+0000 cannot be stored: PostgreSQL refuses it and SQLite's JSON functions end \
         the string there"
            .to_owned(),
    )
}

impl Mapping {
    /// The record that stores `resource` (see the [module docs](crate::mapping)). Attributes the
    /// mapping does not name are left out.
    ///
    /// # Errors
    /// `invalidValue` at the value's location in `resource` when a value cannot be stored:
    /// a value of another type than its column's, an integer beyond 64 bits, a dateTime that
    /// does not parse (columns layout), a single-valued attribute holding an array, a resource
    /// with child rows but no `id`, a string holding U+0000.
    pub fn to_record(&self, resource: &Value) -> Result<Value, Error> {
        let root = Location::root();
        if !resource.is_object() {
            return Err(invalid(&root, "the resource must be a JSON object".to_owned()));
        }
        let view = view(self)?;
        let id = member(resource, "id").cloned().unwrap_or(Value::Null);
        let mut row = Map::new();
        let mut children = Map::new();
        match &self.layout {
            Layout::Document(doc) => {
                // The whole resource is stored, so every string counts (the columns layout checks
                // each value it stores, in `stored`).
                if let Some(at) = nul_at(resource) {
                    return Err(holds_nul(&at));
                }
                if let Some(key) = &self.key {
                    row.insert(key.clone(), id);
                }
                row.insert(doc.column.clone(), resource.clone());
                row.insert(doc.search_column.clone(), search_document(&view, resource)?);
            }
            Layout::Columns(columns) => {
                for entry in &columns.entries {
                    store(entry, resource, &id, &mut row, &mut children)?;
                }
                let has_rows = children.values().any(|rows| rows.as_array().is_some_and(|r| !r.is_empty()));
                if has_rows && !id.is_string() {
                    return Err(invalid(
                        &root.key("id"),
                        "the resource needs a string `id`: its rows in child tables refer to it".to_owned(),
                    ));
                }
            }
        }
        Ok(serde_json::json!({"row": row, "children": children}))
    }

    /// The resource a record stores: the inverse of [`Mapping::to_record`] on the mapped
    /// attributes. Columns not in the mapping (and fold columns) are ignored; `null` is absent.
    /// Values may come as databases return them: booleans as `0`/`1`, numbers as decimal
    /// strings, dateTimes as RFC 3339 text or PostgreSQL's `2011-05-13 04:42:34.5+00`; dateTimes
    /// come back in UTC (`…Z`). Unless `schemas` is mapped, it is the core schema's URN and the
    /// URN of each extension with a value. Document layout: the resource column as stored
    /// (a JSON object or its text).
    ///
    /// # Errors
    /// `invalidValue` at the record location (`/row/user_name`) of a value that does not fit.
    pub fn from_record(&self, record: &Value) -> Result<Value, Error> {
        let root = Location::root();
        let row = member(record, "row")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid(&root, "the record needs a `row` object".to_owned()))?;
        let at_row = root.clone().key("row");
        let columns = match &self.layout {
            Layout::Document(doc) => {
                let here = at_row.key(&doc.column);
                return match row.get(&doc.column) {
                    Some(Value::Object(o)) => Ok(Value::Object(o.clone())),
                    // Read as every document is read: a key repeated (in any case) is refused, not
                    // silently resolved to one of its values.
                    Some(Value::String(text)) => {
                        let limits =
                            crate::json::Limits { max_body_bytes: usize::MAX, ..crate::json::Limits::default() };
                        match crate::json::parse_strict(text, &limits) {
                            Ok(document @ Value::Object(_)) => Ok(document),
                            Ok(_) => Err(invalid(&here, "the document column must hold a JSON object".to_owned())),
                            Err(e) => Err(invalid(
                                &here,
                                format!("the document column does not hold a readable JSON object: {}", e.detail()),
                            )),
                        }
                    }
                    _ => Err(invalid(&here, format!("the row needs the document column `{}`", excerpt(&doc.column)))),
                };
            }
            Layout::Columns(columns) => columns,
        };
        let children = member(record, "children").and_then(Value::as_object);
        let view = view(self)?;
        let mut out = Map::new();
        for entry in &columns.entries {
            load(entry, row, children, &mut out)?;
        }
        if !columns.entries.iter().any(|e| e.attr.is(None, "schemas")) {
            let mut schemas = vec![Value::String(view.core_schema().id().to_owned())];
            schemas.extend(
                view.extensions()
                    .filter(|(s, _)| out.contains_key(s.id()))
                    .map(|(s, _)| Value::String(s.id().to_owned())),
            );
            out.insert("schemas".to_owned(), Value::Array(schemas));
        }
        Ok(Value::Object(out))
    }
}

/// The location of attribute `attr` in a resource.
fn attr_location(attr: &AttrRef) -> Location {
    match &attr.urn {
        Some(urn) => Location::root().key(urn).key(&attr.name),
        None => Location::root().key(&attr.name),
    }
}

/// The value of `attr` in `resource`.
fn attr_value<'v>(resource: &'v Value, attr: &AttrRef) -> Option<&'v Value> {
    let holder = match &attr.urn {
        Some(urn) => member(resource, urn).filter(|v| v.is_object())?,
        None => resource,
    };
    member(holder, &attr.name).filter(|v| !v.is_null())
}

fn store(
    entry: &Entry,
    resource: &Value,
    id: &Value,
    row: &mut Map<String, Value>,
    children: &mut Map<String, Value>,
) -> Result<(), Error> {
    let raw = attr_value(resource, &entry.attr);
    let at = attr_location(&entry.attr);
    match &entry.storage {
        Storage::Column { sub: None, column } => put(row, column, raw, &at),
        Storage::Column { sub: Some(sub), column } => {
            let inner = match raw {
                None => None,
                Some(v @ Value::Object(_)) => member(v, sub),
                Some(v) => {
                    return Err(invalid(
                        &at,
                        format!("`{}` must be an object, found {}", entry.attr.label(), kind_of(v)),
                    ));
                }
            };
            put(row, column, inner, &at.key(sub))
        }
        Storage::Values { child, column } => {
            let mut rows = Vec::new();
            for (i, item) in raw.map(items).unwrap_or_default().iter().enumerate().filter(|(_, v)| !v.is_null()) {
                let mut child_row = Map::new();
                child_row.insert(child.foreign_key.clone(), id.clone());
                put(&mut child_row, column, Some(item), &at.clone().index(i))?;
                rows.push(Value::Object(child_row));
            }
            children.insert(child.table.clone(), Value::Array(rows));
            Ok(())
        }
        Storage::Elements { child, subs } => {
            let mut rows = Vec::new();
            for (i, item) in raw.map(items).unwrap_or_default().iter().enumerate().filter(|(_, v)| !v.is_null()) {
                let here = at.clone().index(i);
                if !item.is_object() {
                    return Err(invalid(
                        &here,
                        format!("each value of `{}` must be an object, found {}", entry.attr.label(), kind_of(item)),
                    ));
                }
                let mut child_row = Map::new();
                child_row.insert(child.foreign_key.clone(), id.clone());
                for (name, column) in subs {
                    put(&mut child_row, column, member(item, name), &here.clone().key(name))?;
                }
                rows.push(Value::Object(child_row));
            }
            children.insert(child.table.clone(), Value::Array(rows));
            Ok(())
        }
        Storage::Selected { matcher, subs, .. } => {
            let values = raw.map(items).unwrap_or_default();
            let chosen = values.iter().enumerate().find(|(_, v)| matcher.matches(v));
            for (name, column) in subs {
                let (value, here) = match chosen {
                    Some((i, item)) => (member(item, name), at.clone().index(i).key(name)),
                    None => (None, at.clone()),
                };
                put(row, column, value, &here)?;
            }
            Ok(())
        }
    }
}

/// Writes `value` (absent: `null`) into `column` and its fold column.
fn put(row: &mut Map<String, Value>, column: &Column, value: Option<&Value>, at: &Location) -> Result<(), Error> {
    let stored = match value {
        None | Some(Value::Null) => Value::Null,
        Some(v) => stored(column, v, at)?,
    };
    if let Some(fold) = &column.fold {
        let folded = stored.as_str().map_or(Value::Null, |s| Value::String(fold_case(s)));
        row.insert(fold.clone(), folded);
    }
    row.insert(column.name.clone(), stored);
    Ok(())
}

/// One value as its column stores it.
fn stored(column: &Column, v: &Value, at: &Location) -> Result<Value, Error> {
    if matches!(v, Value::String(s) if s.contains('\0')) {
        return Err(holds_nul(at));
    }
    let fits = match (column.kind, v) {
        (AttributeType::String | AttributeType::Reference | AttributeType::Binary, Value::String(_))
        | (AttributeType::Boolean, Value::Bool(_))
        | (AttributeType::Decimal, Value::Number(_)) => Some(v.clone()),
        (AttributeType::Integer, Value::Number(n)) => whole(n),
        (AttributeType::DateTime, Value::String(s)) => match parse_datetime(s) {
            Some(instant) => Some(Value::String(instant_text(&instant).ok_or_else(|| out_of_range(s, at))?)),
            None => None,
        },
        _ => None,
    };
    fits.ok_or_else(|| {
        let found = match (column.kind, v) {
            (AttributeType::DateTime, Value::String(s)) => format!("`{}`", excerpt(s)),
            (AttributeType::Integer, Value::Number(n)) => format!("`{}`", excerpt(&n.to_string())),
            _ => kind_of(v).to_owned(),
        };
        invalid(at, format!("column `{}` stores {}, found {found}", excerpt(&column.name), kind_word(column.kind)))
    })
}

/// A whole number that fits 64 bits, as an integer.
fn whole(n: &serde_json::Number) -> Option<Value> {
    whole_i64(&n.to_string()).map(Value::from)
}

fn load(
    entry: &Entry,
    row: &Map<String, Value>,
    children: Option<&Map<String, Value>>,
    out: &mut Map<String, Value>,
) -> Result<(), Error> {
    let at_row = Location::root().key("row");
    match &entry.storage {
        Storage::Column { sub, column } => {
            let Some(v) = read(column, row.get(&column.name), &at_row.key(&column.name))? else {
                return Ok(());
            };
            match sub {
                None => set(out, &entry.attr, v),
                Some(sub) => {
                    if let Some(Value::Object(o)) = slot(out, &entry.attr, || Value::Object(Map::new())) {
                        o.insert(sub.clone(), v);
                    }
                }
            }
        }
        Storage::Values { child, column } => {
            let mut values = Vec::new();
            for (i, r) in child_rows(children, &child.table).iter().enumerate() {
                let here = Location::root().key("children").key(&child.table).index(i).key(&column.name);
                if let Some(v) = read(column, member(r, &column.name), &here)? {
                    values.push(v);
                }
            }
            if !values.is_empty() {
                set(out, &entry.attr, Value::Array(values));
            }
        }
        Storage::Elements { child, subs } => {
            let mut values = Vec::new();
            for (i, r) in child_rows(children, &child.table).iter().enumerate() {
                let mut element = Map::new();
                for (name, column) in subs {
                    let here = Location::root().key("children").key(&child.table).index(i).key(&column.name);
                    if let Some(v) = read(column, member(r, &column.name), &here)? {
                        element.insert(name.clone(), v);
                    }
                }
                values.push(Value::Object(element));
            }
            if !values.is_empty() {
                set(out, &entry.attr, Value::Array(values));
            }
        }
        Storage::Selected { selector, subs, .. } => {
            // An insert loop: `collect()` would bring a sort of its own (later pairs win either way).
            let mut element = Map::new();
            for (name, value) in selector {
                element.insert(name.clone(), value.clone());
            }
            let mut any = false;
            for (name, column) in subs {
                if let Some(v) = read(column, row.get(&column.name), &at_row.clone().key(&column.name))? {
                    element.insert(name.clone(), v);
                    any = true;
                }
            }
            if any {
                if let Some(Value::Array(values)) = slot(out, &entry.attr, || Value::Array(Vec::new())) {
                    values.push(Value::Object(element));
                }
            }
        }
    }
    Ok(())
}

fn child_rows<'a>(children: Option<&'a Map<String, Value>>, table: &str) -> &'a [Value] {
    children.and_then(|c| c.get(table)).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The place of `attr` in `out`, made with `empty` when missing.
fn slot<'o>(out: &'o mut Map<String, Value>, attr: &AttrRef, empty: impl FnOnce() -> Value) -> Option<&'o mut Value> {
    let holder = match &attr.urn {
        Some(urn) => {
            let ext = out.entry(urn.clone()).or_insert_with(|| Value::Object(Map::new()));
            if !ext.is_object() {
                *ext = Value::Object(Map::new());
            }
            ext.as_object_mut()?
        }
        None => out,
    };
    Some(holder.entry(attr.name.clone()).or_insert_with(empty))
}

fn set(out: &mut Map<String, Value>, attr: &AttrRef, value: Value) {
    if let Some(place) = slot(out, attr, || Value::Null) {
        *place = value;
    }
}

/// A column's value as a resource holds it; `None` for `null` or absent.
fn read(column: &Column, value: Option<&Value>, at: &Location) -> Result<Option<Value>, Error> {
    let Some(v) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let read = match (column.kind, v) {
        (AttributeType::String | AttributeType::Reference | AttributeType::Binary, Value::String(_))
        | (AttributeType::Boolean, Value::Bool(_))
        | (AttributeType::Decimal, Value::Number(_)) => Some(v.clone()),
        (AttributeType::Boolean, Value::Number(n)) => match n.as_i64() {
            Some(0) => Some(Value::Bool(false)),
            Some(1) => Some(Value::Bool(true)),
            _ => None,
        },
        (AttributeType::Integer, Value::Number(n)) => whole(n),
        (AttributeType::Integer, Value::String(s)) => s.parse::<serde_json::Number>().ok().as_ref().and_then(whole),
        (AttributeType::Decimal, Value::String(s)) => s.parse::<serde_json::Number>().ok().map(Value::Number),
        (AttributeType::DateTime, Value::String(s)) => {
            parse_datetime(&database_datetime(s)).and_then(|i| i.to_utc_string("Z")).map(Value::String)
        }
        _ => None,
    };
    read.map(Some).ok_or_else(|| {
        invalid(
            at,
            format!("column `{}` should hold {}, found {}", excerpt(&column.name), kind_word(column.kind), kind_of(v)),
        )
    })
}

/// PostgreSQL's text form of a timestamp with time zone (`2011-05-13 04:42:34.5+00`) as RFC
/// 3339 (`2011-05-13T04:42:34.5+00:00`); other text unchanged.
fn database_datetime(text: &str) -> String {
    let mut s = text.to_owned();
    if s.as_bytes().get(10) == Some(&b' ') {
        s.replace_range(10..11, "T");
    }
    let bytes = s.as_bytes();
    let n = bytes.len();
    let short_offset = n > 3
        && matches!(bytes.get(n - 3), Some(b'+' | b'-'))
        && bytes.get(n - 2..).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if short_offset {
        s.push_str(":00");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_database_datetimes() {
        assert_eq!(database_datetime("2011-05-13 04:42:34.5+00"), "2011-05-13T04:42:34.5+00:00");
        assert_eq!(database_datetime("2011-05-13 04:42:34-07"), "2011-05-13T04:42:34-07:00");
        assert_eq!(database_datetime("2011-05-13T04:42:34Z"), "2011-05-13T04:42:34Z");
        assert_eq!(database_datetime("2011-05-13T04:42:34+05:30"), "2011-05-13T04:42:34+05:30");
    }

    #[test]
    fn whole_numbers_fit_64_bits() {
        let n = |t: &str| whole(&t.parse().unwrap());
        assert_eq!(n("5"), Some(Value::from(5)));
        assert_eq!(n("100.0"), Some(Value::from(100)));
        assert_eq!(n("1.5"), None);
        assert_eq!(n("18446744073709551615"), None);
        assert_eq!(n("-9223372036854775808"), Some(Value::from(i64::MIN)));
    }
}
