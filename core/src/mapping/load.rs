//! Reading a mapping document (JSON, camelCase) and checking it against a resource type.
//! Every problem is `invalidValue` located by a JSON pointer into the mapping document.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{AttrRef, Child, Column, Columns, Document, Entry, Layout, Mapping, Storage, definition};
use super::selector;
use crate::error::{Error, Location, ScimType, excerpt};
use crate::filter::Filter;
use crate::path::PatchPath;
use crate::schema::{Attribute, AttributeType, Registry, ResourceTypeView};

/// PostgreSQL cuts identifiers at 63 bytes; longer names would silently collide there.
const MAX_IDENTIFIER: usize = 63;

fn invalid(at: &Location, detail: String) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(at.clone())
}

fn object<'a>(value: &'a Value, at: &Location, what: &str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or_else(|| invalid(at, format!("{what} must be a JSON object")))
}

/// Refuses members other than `allowed`.
fn only(obj: &Map<String, Value>, at: &Location, allowed: &[&str]) -> Result<(), Error> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(invalid(
            &at.clone().key(k),
            format!("unknown member `{}`, expected one of: {}", excerpt(k), allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// The string member `key`, or `None` when absent.
fn text(obj: &Map<String, Value>, key: &str, at: &Location) -> Result<Option<String>, Error> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(&at.clone().key(key), format!("`{key}` must be a string"))),
    }
}

/// A name the DDL uses, given or derived, within PostgreSQL's identifier length.
fn fits(name: &str, at: &Location) -> Result<(), Error> {
    if name.len() > MAX_IDENTIFIER {
        return Err(invalid(
            at,
            format!("the name `{}` is longer than {MAX_IDENTIFIER} bytes; PostgreSQL would cut it", excerpt(name)),
        ));
    }
    Ok(())
}

/// A table or column name: a non-empty string of at most 63 bytes without NUL.
fn identifier(obj: &Map<String, Value>, key: &str, at: &Location, required: bool) -> Result<Option<String>, Error> {
    let Some(name) = text(obj, key, at)? else {
        return if required { Err(invalid(at, format!("`{key}` is required"))) } else { Ok(None) };
    };
    let here = at.clone().key(key);
    if name.is_empty() || name.contains('\0') {
        return Err(invalid(&here, format!("`{key}` must be a non-empty name without NUL characters")));
    }
    if name.len() > MAX_IDENTIFIER {
        return Err(invalid(&here, format!("`{}` is longer than {MAX_IDENTIFIER} bytes", excerpt(&name))));
    }
    Ok(Some(name))
}

/// Table, index and column names in use (compared in any ASCII case, as SQLite does), with
/// where. Tables and indexes share one namespace, in SQLite and in PostgreSQL alike.
#[derive(Default)]
struct Names {
    tables: BTreeMap<String, Location>,
    columns: BTreeMap<(String, String), Location>,
    /// The main table's primary key index as PostgreSQL names it, `<table>_pkey`: no table or
    /// index of the mapping may take that name.
    primary_key_index: Option<String>,
}

impl Names {
    /// The main table: its name, and the name PostgreSQL gives its primary key's index —
    /// `<table>_pkey` within 63 bytes, the table's part cut to 58 bytes (at a character).
    fn main_table(&mut self, table: &str, at: Location) -> Result<(), Error> {
        self.table(table, at)?;
        let fits = table.char_indices().map(|(i, c)| i + c.len_utf8()).take_while(|&end| end <= 58).last().unwrap_or(0);
        let part = table.get(..fits).unwrap_or(table);
        self.primary_key_index = Some(format!("{part}_pkey").to_ascii_lowercase());
        Ok(())
    }

    fn table(&mut self, table: &str, at: Location) -> Result<(), Error> {
        let key = table.to_ascii_lowercase();
        if key.starts_with("sqlite_") {
            return Err(invalid(
                &at,
                format!("table `{}`: names starting with `sqlite_` are SQLite's own", excerpt(table)),
            ));
        }
        self.not_primary_key_index(&key, table, &at)?;
        if let Some(first) = self.tables.get(&key) {
            return Err(invalid(&at, format!("table `{}` is already used at `{first}`", excerpt(table))));
        }
        self.tables.insert(key, at);
        Ok(())
    }

    /// Refuses `name` (lowercased in `key`) when it is the main table's primary key index.
    fn not_primary_key_index(&self, key: &str, name: &str, at: &Location) -> Result<(), Error> {
        if self.primary_key_index.as_deref() == Some(key) {
            return Err(invalid(
                at,
                format!(
                    "`{}` is the name PostgreSQL gives the main table's primary key index (`<table>_pkey`); choose another",
                    excerpt(name)
                ),
            ));
        }
        Ok(())
    }

    /// The index `create_tables` makes on a child table's foreign key, `<table>_<foreignKey>`:
    /// it must not be a table's name or another index's, and must fit PostgreSQL.
    fn index(&mut self, child: &Child, at: Location) -> Result<(), Error> {
        let name = format!("{}_{}", child.table, child.foreign_key);
        fits(&name, &at)?;
        let key = name.to_ascii_lowercase();
        self.not_primary_key_index(&key, &name, &at)?;
        if let Some(first) = self.tables.get(&key) {
            return Err(invalid(
                &at,
                format!(
                    "the index `{}` made on `{}` (`<table>_<foreignKey>`) would take the name used at `{first}`; choose another table or foreign key name",
                    excerpt(&name),
                    excerpt(&child.table)
                ),
            ));
        }
        self.tables.insert(key, at);
        Ok(())
    }

    fn column(&mut self, table: &str, column: &str, at: Location) -> Result<(), Error> {
        // A derived name (`<column>_fold`, `<column>_search`) is held to the limit too.
        fits(column, &at)?;
        let key = (table.to_ascii_lowercase(), column.to_ascii_lowercase());
        if let Some(first) = self.columns.get(&key) {
            return Err(invalid(
                &at,
                format!("column `{}` of table `{}` is already used at `{first}`", excerpt(column), excerpt(table)),
            ));
        }
        self.columns.insert(key, at);
        Ok(())
    }

    fn columns(&mut self, table: &str, column: &Column, at: &Location) -> Result<(), Error> {
        self.column(table, &column.name, at.clone().key("column"))?;
        if let Some(fold) = &column.fold {
            self.column(table, fold, at.clone().key("foldColumn"))?;
        }
        Ok(())
    }
}

impl Mapping {
    /// Reads a mapping document (see the [module docs](crate::mapping)) for `resource_type`.
    ///
    /// # Errors
    /// `invalidValue` with a JSON pointer into `spec`: an unknown member, a missing or malformed
    /// name, an attribute path the resource type does not have, a type that is not the
    /// attribute's, a column or path used twice, selectors that can pick the same value.
    pub fn load(registry: &Registry, resource_type: &str, spec: &Value) -> Result<Self, Error> {
        let view = registry.require_resource_type(resource_type)?;
        let root = Location::root();
        let obj = object(spec, &root, "the mapping")?;
        let type_name = view.definition().name().to_owned();
        if let Some(named) = text(obj, "resourceType", &root)? {
            if !named.eq_ignore_ascii_case(&type_name) {
                return Err(invalid(
                    &root.clone().key("resourceType"),
                    format!("the mapping is for `{}`, not `{type_name}`", excerpt(&named)),
                ));
            }
        }
        let layout = text(obj, "layout", &root)?.ok_or_else(|| invalid(&root, "`layout` is required".to_owned()))?;
        let mut names = Names::default();
        let table = identifier(obj, "table", &root, true)?.unwrap_or_default();
        names.main_table(&table, root.clone().key("table"))?;
        let (key, layout) = match layout.as_str() {
            "document" => {
                only(obj, &root, &["layout", "resourceType", "table", "key", "column", "searchColumn"])?;
                let key = identifier(obj, "key", &root, false)?;
                let column = identifier(obj, "column", &root, true)?.unwrap_or_default();
                let search_column =
                    identifier(obj, "searchColumn", &root, false)?.unwrap_or_else(|| format!("{column}_search"));
                for (member, name) in
                    [("key", key.as_deref()), ("column", Some(&column)), ("searchColumn", Some(&search_column))]
                {
                    if let Some(name) = name {
                        names.column(&table, name, root.clone().key(member))?;
                    }
                }
                (key, Layout::Document(Document { column, search_column }))
            }
            "columns" => {
                only(obj, &root, &["layout", "resourceType", "table", "key", "attributes"])?;
                let key = identifier(obj, "key", &root, true)?.unwrap_or_default();
                names.column(&table, &key, root.clone().key("key"))?;
                let attributes = obj.get("attributes").unwrap_or(&Value::Null);
                let entries = Loader { view: &view, table: &table, key: &key, names }.entries(attributes)?;
                (Some(key), Layout::Columns(Columns { entries }))
            }
            other => {
                return Err(invalid(
                    &root.key("layout"),
                    format!("unknown layout `{}`, expected `document` or `columns`", excerpt(other)),
                ));
            }
        };
        Ok(Self { registry: registry.clone(), resource_type: type_name, table, key, layout })
    }

    /// [`Mapping::load`] from JSON text.
    ///
    /// # Errors
    /// `invalidSyntax` when the text is not JSON; otherwise as [`Mapping::load`].
    pub fn from_json(registry: &Registry, resource_type: &str, text: &str) -> Result<Self, Error> {
        let limits = crate::json::Limits { max_body_bytes: usize::MAX, ..crate::json::Limits::default() };
        Self::load(registry, resource_type, &crate::json::parse_strict(text, &limits)?)
    }
}

struct Loader<'v, 'r> {
    view: &'v ResourceTypeView<'r>,
    table: &'v str,
    key: &'v str,
    names: Names,
}

/// An attribute path of the mapping, resolved.
struct Resolved<'r> {
    attr: AttrRef,
    definition: &'r Attribute,
    sub: Option<&'r Attribute>,
    selector: Option<Filter>,
}

impl<'r> Loader<'_, 'r> {
    fn entries(mut self, attributes: &Value) -> Result<Vec<Entry>, Error> {
        let at = Location::root().key("attributes");
        let obj = object(attributes, &at, "`attributes`")?;
        let mut entries: Vec<(Entry, Location)> = Vec::new();
        let mut id_mapped = false;
        for (path, body) in obj {
            let here = at.clone().key(path);
            let resolved = self.resolve(path, &here)?;
            let entry = self.entry(&resolved, body, &here)?;
            if entry.attr.is(None, "id") {
                id_mapped = true;
            }
            selector::merge(&mut entries, entry, here, self.view)?;
        }
        if !id_mapped {
            let column = Column { name: self.key.to_owned(), fold: None, kind: AttributeType::String };
            let attr = AttrRef { urn: None, name: "id".to_owned() };
            entries.insert(0, (Entry { attr, storage: Storage::Column { sub: None, column } }, Location::root()));
        }
        Ok(entries.into_iter().map(|(e, _)| e).collect())
    }

    /// The attribute a mapping key names.
    fn resolve(&self, path: &str, at: &Location) -> Result<Resolved<'r>, Error> {
        let parsed = PatchPath::parse(path)
            .map_err(|e| invalid(at, format!("`{}` is not an attribute path: {}", excerpt(path), e.detail())))?;
        let view = self.view;
        let type_name = view.definition().name();
        let urn = match parsed.attr.urn.as_deref() {
            None => None,
            Some(u) if u.eq_ignore_ascii_case(view.core_schema().id()) => None,
            Some(u) => match view.extension(u) {
                Some((schema, _)) => Some(schema.id().to_owned()),
                None => {
                    return Err(invalid(
                        at,
                        format!("`{}` is not a schema of resource type `{type_name}`", excerpt(u)),
                    ));
                }
            },
        };
        let definition = definition(view, urn.as_deref(), &parsed.attr.name).ok_or_else(|| {
            invalid(at, format!("unknown attribute `{}` for resource type `{type_name}`", excerpt(path)))
        })?;
        let sub = match &parsed.attr.sub {
            Some(s) => Some(definition.sub_attribute(s).ok_or_else(|| {
                invalid(at, format!("`{}` has no sub-attribute `{}`", definition.name(), excerpt(s)))
            })?),
            None => None,
        };
        let attr = AttrRef { urn, name: definition.name().to_owned() };
        Ok(Resolved { attr, definition, sub, selector: parsed.filter })
    }

    fn entry(&mut self, r: &Resolved<'r>, body: &Value, at: &Location) -> Result<Entry, Error> {
        let a = r.definition;
        let label = r.attr.label();
        let storage = match (a.kind(), a.multi_valued(), r.sub, &r.selector) {
            (AttributeType::Complex, true, Some(sub), Some(selector)) => {
                let (selector, matcher) = selector::selector(self.view, a, r.attr.urn.as_deref(), sub, selector, at)?;
                let column = Self::column(body, sub, at)?;
                Storage::Selected { selector, matcher, subs: vec![(sub.name().to_owned(), column)] }
            }
            (_, _, _, Some(_)) => {
                let how = if r.sub.is_none() { ", and needs a sub-attribute after `]`" } else { "" };
                return Err(invalid(
                    at,
                    format!("only a multi-valued complex attribute can select a value with `[…]`{how}: `{label}`"),
                ));
            }
            (AttributeType::Complex, false, Some(sub), None) => {
                Storage::Column { sub: Some(sub.name().to_owned()), column: Self::column(body, sub, at)? }
            }
            (AttributeType::Complex, false, None, None) => {
                let example = a
                    .sub_attributes()
                    .first()
                    .map_or_else(String::new, |s| format!(", such as `{label}.{}`", s.name()));
                return Err(invalid(at, format!("`{label}` is a complex attribute: map its sub-attributes{example}")));
            }
            (AttributeType::Complex, true, None, None) => Self::elements(a, body, at)?,
            (AttributeType::Complex, true, Some(sub), None) => {
                return Err(invalid(
                    at,
                    format!(
                        "`{label}` is multi-valued: map it to a child table (`{{\"table\", \"foreignKey\", \"attributes\"}}`) or choose one value, such as `{label}[type eq \"work\"].{}`",
                        sub.name()
                    ),
                ));
            }
            (_, true, _, None) => Self::values(a, body, at)?,
            (_, false, _, None) => Storage::Column { sub: None, column: Self::column(body, a, at)? },
        };
        if r.attr.is(None, "id") {
            if let Storage::Column { column, .. } = &storage {
                if column.name != self.key {
                    return Err(invalid(
                        &at.clone().key("column"),
                        format!(
                            "`id` is stored in the key column `{}`, not in `{}`",
                            excerpt(self.key),
                            excerpt(&column.name)
                        ),
                    ));
                }
                return Ok(Entry { attr: r.attr.clone(), storage });
            }
        }
        self.claim(&storage, at)?;
        Ok(Entry { attr: r.attr.clone(), storage })
    }

    /// Records the tables and columns of `storage`, refusing any already used.
    fn claim(&mut self, storage: &Storage, at: &Location) -> Result<(), Error> {
        match storage {
            Storage::Column { column, .. } => self.names.columns(self.table, column, at),
            Storage::Selected { subs, .. } => subs.iter().try_for_each(|(_, c)| self.names.columns(self.table, c, at)),
            Storage::Values { child, column } => {
                self.child(child, at)?;
                self.names.columns(&child.table, column, at)
            }
            Storage::Elements { child, subs } => {
                self.child(child, at)?;
                let subs_at = at.clone().key("attributes");
                subs.iter().try_for_each(|(name, c)| self.names.columns(&child.table, c, &subs_at.clone().key(name)))
            }
        }
    }

    fn child(&mut self, child: &Child, at: &Location) -> Result<(), Error> {
        self.names.table(&child.table, at.clone().key("table"))?;
        self.names.index(child, at.clone().key("foreignKey"))?;
        self.names.column(&child.table, &child.foreign_key, at.clone().key("foreignKey"))
    }

    /// `{"column", "type"?, "foldColumn"?}` for values of `a`.
    fn column(body: &Value, a: &Attribute, at: &Location) -> Result<Column, Error> {
        let obj = object(body, at, "a column mapping")?;
        only(obj, at, &["column", "type", "foldColumn"])?;
        column_of(obj, a, at)
    }

    /// `{"table", "foreignKey", "column", "type"?, "foldColumn"?}` for a multi-valued simple
    /// attribute.
    fn values(a: &Attribute, body: &Value, at: &Location) -> Result<Storage, Error> {
        let obj = object(body, at, "a multi-valued attribute's mapping")?;
        only(obj, at, &["table", "foreignKey", "column", "type", "foldColumn"])?;
        Ok(Storage::Values { child: child_of(obj, at)?, column: column_of(obj, a, at)? })
    }

    /// `{"table", "foreignKey", "attributes": {sub: column mapping}}` for a multi-valued complex
    /// attribute.
    fn elements(a: &Attribute, body: &Value, at: &Location) -> Result<Storage, Error> {
        let obj = object(body, at, "a multi-valued attribute's mapping")?;
        only(obj, at, &["table", "foreignKey", "attributes"])?;
        let child = child_of(obj, at)?;
        let subs_at = at.clone().key("attributes");
        let subs_obj = object(obj.get("attributes").unwrap_or(&Value::Null), &subs_at, "`attributes`")?;
        let mut subs: Vec<(String, Column)> = Vec::new();
        for (name, body) in subs_obj {
            let here = subs_at.clone().key(name);
            let sub = a
                .sub_attribute(name)
                .ok_or_else(|| invalid(&here, format!("`{}` has no sub-attribute `{}`", a.name(), excerpt(name))))?;
            if subs.iter().any(|(n, _)| n == sub.name()) {
                return Err(invalid(&here, format!("`{}.{}` is mapped twice", a.name(), sub.name())));
            }
            let body_obj = object(body, &here, "a column mapping")?;
            only(body_obj, &here, &["column", "type", "foldColumn"])?;
            subs.push((sub.name().to_owned(), column_of(body_obj, sub, &here)?));
        }
        Ok(Storage::Elements { child, subs })
    }
}

fn child_of(obj: &Map<String, Value>, at: &Location) -> Result<Child, Error> {
    let table = identifier(obj, "table", at, true)?.unwrap_or_default();
    let foreign_key = identifier(obj, "foreignKey", at, true)?.unwrap_or_default();
    Ok(Child { table, foreign_key })
}

/// The column of `obj` for values of `a`: its name, the checked `type`, the fold column.
fn column_of(obj: &Map<String, Value>, a: &Attribute, at: &Location) -> Result<Column, Error> {
    let name = identifier(obj, "column", at, true)?.unwrap_or_default();
    if let Some(written) = text(obj, "type", at)? {
        let here = at.clone().key("type");
        let kind: AttributeType =
            written.parse().map_err(|e: crate::error::UnknownName| invalid(&here, e.to_string()))?;
        if kind != a.kind() {
            return Err(invalid(&here, format!("`{}` is of type {}, not {kind}", a.name(), a.kind())));
        }
    }
    if a.multi_valued() && a.kind() != AttributeType::Complex && obj.get("table").is_none() {
        return Err(invalid(at, format!("`{}` is multi-valued and cannot be one column", a.name())));
    }
    let folds = matches!(a.kind(), AttributeType::String | AttributeType::Reference) && !a.case_exact();
    let fold = match (identifier(obj, "foldColumn", at, false)?, folds) {
        (Some(fold), true) => Some(fold),
        (None, true) => Some(format!("{name}_fold")),
        (None, false) => None,
        (Some(_), false) => {
            return Err(invalid(
                &at.clone().key("foldColumn"),
                format!("`{}` compares case-sensitively (or is not a string), so it has no fold column", a.name()),
            ));
        }
    };
    Ok(Column { name, fold, kind: a.kind() })
}
