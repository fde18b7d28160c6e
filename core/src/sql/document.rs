//! Filters over the document layout: the search form of each resource in one JSON column
//! (SQLite: JSON text read with `json_type` / `json_extract` / `json_each`; PostgreSQL: `jsonb`
//! read with `->`, `#>>` and `jsonb_array_elements`).
//!
//! A value at a fixed place (single-valued attributes) is compared where it is, guarded by its
//! JSON type; multi-valued attributes and value paths are `EXISTS` over their array, so all the
//! conditions of `emails[…]` hold for one element.

use serde_json::Value;

use super::dialect::{Dialect, pg_member, sqlite_path};
use super::expr::{Cond, Frag, PgType};
use super::mapping::{Lit, Resolved, compare, resolve, search_literal, with_span};
use crate::error::{Error, Span};
use crate::filter::compiled::{Comparison, Node, Operand};
use crate::filter::{CompareOp, Filter};
use crate::mapping::search::PRESENT;
use crate::schema::{AttributeType, ResourceTypeView};

pub(crate) struct Translator<'v, 'r> {
    pub(crate) view: &'v ResourceTypeView<'r>,
    pub(crate) dialect: Dialect,
    /// The search column, qualified by the main table.
    pub(crate) column: String,
    pub(crate) aliases: usize,
    /// Array elements are aliased `<prefix>1`, `<prefix>2`…: a prefix the main table's name
    /// does not continue with digits only (see [`super::dialect::alias_prefix`]).
    pub(crate) alias_prefix: String,
}

/// Where the values of a target are: a JSON value (`base` with member path `path`), or the
/// current array element of an `EXISTS`.
#[derive(Debug, Clone)]
enum Cell {
    Member { base: String, path: Vec<String> },
    Item { alias: String },
}

/// The element a value path is trying.
#[derive(Debug, Clone)]
struct Element<'r> {
    parent: Resolved<'r>,
    /// The element's JSON value and the member path to it (empty: the value itself).
    base: String,
    path: Vec<String>,
}

impl<'r> Translator<'_, 'r> {
    pub(crate) fn translate(&mut self, filter: &Filter, node: &Node) -> Result<Cond, Error> {
        self.node(filter, node, None)
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("\"{}{}\"", self.alias_prefix, self.aliases)
    }

    fn node(&mut self, filter: &Filter, node: &Node, element: Option<&Element<'r>>) -> Result<Cond, Error> {
        Ok(match (filter, node) {
            (Filter::And(fs), Node::And(ns)) => Cond::all(self.nodes(fs, ns, element)?),
            (Filter::Or(fs), Node::Or(ns)) => Cond::any(self.nodes(fs, ns, element)?),
            (Filter::Not(f), Node::Not(n)) => self.node(f, n, element)?.not(),
            (Filter::Present(path), Node::Present(target)) => {
                let span = path.span();
                let r = resolve(self.view, target, element.map(|e| &e.parent), span)?;
                self.present(&r, element)?
            }
            (Filter::Compare { path, .. }, Node::Compare(c)) => {
                let span = path.span();
                let r = resolve(self.view, &c.target, element.map(|e| &e.parent), span)?;
                self.comparison(&r, c, element, span)?
            }
            (Filter::ValuePath { path, filter: inner_filter }, Node::ValuePath(vp)) => {
                let r = resolve(self.view, &vp.target, None, path.span())?;
                let (base, path) = self.place(&r);
                if r.attr.multi_valued() {
                    let alias = self.alias();
                    let from = self.each(&base, &path, &alias)?;
                    let e = Element { parent: r, base: format!("{alias}.\"value\""), path: Vec::new() };
                    self.node(inner_filter, &vp.inner, Some(&e))?.exists(&from)
                } else {
                    let guard = self.is_object(&base, &path)?;
                    let e = Element { parent: r, base, path };
                    Cond::all(vec![guard, self.node(inner_filter, &vp.inner, Some(&e))?])
                }
            }
            _ => return Err(super::mapping::internal("a checked filter does not follow its parsed form")),
        })
    }

    fn nodes(&mut self, fs: &[Filter], ns: &[Node], element: Option<&Element<'r>>) -> Result<Vec<Cond>, Error> {
        fs.iter().zip(ns).map(|(f, n)| self.node(f, n, element)).collect()
    }

    /// The JSON value holding `r`'s top-level attribute and the member path to it.
    fn place(&self, r: &Resolved<'r>) -> (String, Vec<String>) {
        let mut path: Vec<String> = r.urn.map(str::to_owned).into_iter().collect();
        path.push(r.attr.name().to_owned());
        (self.column.clone(), path)
    }

    /// `FROM` source iterating the array at `base`/`path`, as `alias`.
    fn each(&self, base: &str, path: &[String], alias: &str) -> Result<String, Error> {
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        Ok(match self.dialect {
            Dialect::Sqlite => format!("json_each({base}, {}) AS {alias}", sqlite_path(&segments)?),
            Dialect::Postgres => format!("jsonb_array_elements({}) AS {alias}", pg_member(base, &segments)),
        })
    }

    fn is_object(&self, base: &str, path: &[String]) -> Result<Cond, Error> {
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        Ok(Frag::new()
            .text(&match self.dialect {
                Dialect::Sqlite => format!("json_type({base}, {}) IS 'object'", sqlite_path(&segments)?),
                Dialect::Postgres => {
                    format!("jsonb_typeof({}) IS NOT DISTINCT FROM 'object'", pg_member(base, &segments))
                }
            })
            .cond())
    }

    /// `pred` over each value of `r`: one cell, or `EXISTS` over its array(s).
    fn any_value(
        &mut self,
        r: &Resolved<'r>,
        element: Option<&Element<'r>>,
        pred: &mut dyn FnMut(&Self, &Cell) -> Result<Cond, Error>,
    ) -> Result<Cond, Error> {
        let (base, mut path) = match element {
            Some(e) => (e.base.clone(), e.path.clone()),
            None => self.place(r),
        };
        if element.is_none() && r.attr.kind() == AttributeType::Complex && r.attr.multi_valued() {
            // `emails.value`: each element, then its member.
            let alias = self.alias();
            let from = self.each(&base, &path, &alias)?;
            let inner = Element { parent: *r, base: format!("{alias}.\"value\""), path: Vec::new() };
            return Ok(self.any_value(r, Some(&inner), pred)?.exists(&from));
        }
        if let Some(sub) = r.sub {
            path.push(sub.name().to_owned());
        }
        if r.leaf().multi_valued() {
            let alias = self.alias();
            let from = self.each(&base, &path, &alias)?;
            return Ok(pred(self, &Cell::Item { alias })?.exists(&from));
        }
        pred(self, &Cell::Member { base, path })
    }

    fn present(&mut self, r: &Resolved<'r>, element: Option<&Element<'r>>) -> Result<Cond, Error> {
        if r.sub.is_none() && r.attr.kind() == AttributeType::Complex {
            // Computed when the search form was written: `$present` holds the attribute's path.
            let label = r.label();
            let segments = [PRESENT, label.as_str()];
            let text = match self.dialect {
                Dialect::Sqlite => format!("json_type({}, {}) IS NOT NULL", self.column, sqlite_path(&segments)?),
                Dialect::Postgres => format!("{} IS NOT NULL", pg_member(&self.column, &segments)),
            };
            return Ok(Frag::new().text(&text).cond());
        }
        self.any_value(r, element, &mut |t, cell| t.cell_present(cell))
    }

    fn cell_present(&self, cell: &Cell) -> Result<Cond, Error> {
        let text = match (self.dialect, cell) {
            (Dialect::Sqlite, Cell::Member { base, path }) => {
                let p = sqlite_path(&path.iter().map(String::as_str).collect::<Vec<_>>())?;
                format!("json_type({base}, {p}) IS NOT NULL AND json_extract({base}, {p}) <> ''")
            }
            (Dialect::Sqlite, Cell::Item { alias }) => format!("{alias}.\"value\" <> ''"),
            (Dialect::Postgres, Cell::Member { base, path }) => {
                let j = pg_member(base, &path.iter().map(String::as_str).collect::<Vec<_>>());
                format!("{j} IS NOT NULL AND {j} <> '\"\"'::jsonb")
            }
            (Dialect::Postgres, Cell::Item { alias }) => format!("{alias}.\"value\" <> '\"\"'::jsonb"),
        };
        let member = matches!(cell, Cell::Member { .. });
        Ok(if member { Frag::new().text(&text).cond_and() } else { Frag::new().text(&text).cond() })
    }

    fn comparison(
        &mut self,
        r: &Resolved<'r>,
        c: &Comparison,
        element: Option<&Element<'r>>,
        span: Option<Span>,
    ) -> Result<Cond, Error> {
        match (&c.operand, c.op) {
            (Operand::Null, CompareOp::Eq) => Ok(self.present(r, element)?.not()),
            (Operand::Null, _) => self.present(r, element),
            (operand, op) => {
                let lit = search_literal(operand, span).map_err(|e| with_span(e, span))?;
                let eq = if op == CompareOp::Ne { CompareOp::Eq } else { op };
                let cond = self.any_value(r, element, &mut |t, cell| t.cell_compare(cell, eq, &lit))?;
                Ok(if op == CompareOp::Ne { cond.not() } else { cond })
            }
        }
    }

    /// One stored value compared with the literal, guarded by its JSON type.
    fn cell_compare(&self, cell: &Cell, op: CompareOp, lit: &Lit) -> Result<Cond, Error> {
        let pg = self.dialect == Dialect::Postgres;
        let (json_type, value) = match (self.dialect, cell) {
            (Dialect::Sqlite, Cell::Member { base, path }) => {
                let p = sqlite_path(&path.iter().map(String::as_str).collect::<Vec<_>>())?;
                (format!("json_type({base}, {p})"), format!("json_extract({base}, {p})"))
            }
            (Dialect::Sqlite, Cell::Item { alias }) => (format!("{alias}.\"type\""), format!("{alias}.\"value\"")),
            (Dialect::Postgres, Cell::Member { base, path }) => {
                let j = pg_member(base, &path.iter().map(String::as_str).collect::<Vec<_>>());
                (format!("jsonb_typeof({j})"), j)
            }
            (Dialect::Postgres, Cell::Item { alias }) => {
                let j = format!("{alias}.\"value\"");
                (format!("jsonb_typeof({j})"), j)
            }
        };
        let member = matches!(cell, Cell::Member { .. });
        Ok(match lit {
            Lit::Bool(b) if pg => {
                let guard = if member { format!("{value} IS NOT NULL AND ") } else { String::new() };
                Frag::new()
                    .text(&format!("{guard}{value} = to_jsonb("))
                    .param(Value::Bool(*b), PgType::Boolean)
                    .text(")")
                    .cond()
            }
            Lit::Bool(b) => {
                let guard = format!("{json_type} IN ('true', 'false')");
                let guard = if member { format!("coalesce({guard}, FALSE)") } else { guard };
                Cond::all(vec![Frag::new().text(&guard).cond(), compare(self.dialect, &value, op, &Lit::Bool(*b))])
            }
            // (`Integer` is made for typed columns only, never for the document's text keys.)
            Lit::Text(_) | Lit::Number(_) | Lit::Instant(_) | Lit::Integer(_) => {
                let (guard, text) = if pg {
                    let exists = if member { format!("{value} IS NOT NULL AND ") } else { String::new() };
                    (format!("{exists}{json_type} = 'string'"), format!("({value} #>> '{{}}')"))
                } else {
                    (format!("{json_type} IS 'text'"), value)
                };
                let guard =
                    if pg && member { Frag::new().text(&guard).cond_and() } else { Frag::new().text(&guard).cond() };
                Cond::all(vec![guard, compare(self.dialect, &text, op, lit)])
            }
        })
    }
}
