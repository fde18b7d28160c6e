//! Filters over the columns layout: typed columns in the main table, child tables reached by
//! `EXISTS` on the foreign key, and values chosen by a selector (`emails[type eq "work"].value`)
//! as elements whose selector sub-attributes are constants.
//!
//! Case-insensitive strings compare in their fold column against the literal folded in Rust;
//! text orders by code point (PostgreSQL `COLLATE "C"`); numbers and dateTimes by their column
//! type (PostgreSQL casts the bound text to `numeric` / `timestamptz`).

use serde_json::Value;

use super::dialect::{Dialect, ident, qualified};
use super::expr::{Cond, Frag};
use super::mapping::{Lit, Resolved, column_literal, compare, internal, not_stored, resolve, with_span};
use crate::error::{Error, Span};
use crate::filter::compiled::{Comparison, Node, Operand};
use crate::filter::eval::{item_present, scalar_holds};
use crate::filter::{CompareOp, Filter};
use crate::mapping::{Child, Column, Columns, Storage};
use crate::schema::{AttributeType, ResourceTypeView};

pub(crate) struct Translator<'v, 'r> {
    pub(crate) view: &'v ResourceTypeView<'r>,
    pub(crate) dialect: Dialect,
    pub(crate) table: &'v str,
    pub(crate) key: &'v str,
    pub(crate) columns: &'v Columns,
    pub(crate) aliases: usize,
    /// Child tables are aliased `<prefix>1`, `<prefix>2`…: a prefix no table name of the
    /// mapping continues with digits only (see [`super::dialect::alias_prefix`]).
    pub(crate) alias_prefix: String,
}

/// The value of one (sub-)attribute for a comparison.
enum Src<'a> {
    /// A column (`expr` is its qualified name).
    Column { expr: String, fold: Option<String>, column: &'a Column },
    /// A selector's value: the same for every stored element it chose.
    Constant(&'a Value),
    /// Not stored for this element.
    Absent,
}

/// The element a value path (or a sub-attribute of a multi-valued attribute) is trying.
#[derive(Clone)]
enum Elem<'a, 'r> {
    /// A row of a child table.
    Row { parent: Resolved<'r>, alias: String, subs: &'a [(String, Column)] },
    /// The value a selector chose, in the main table.
    Selected { parent: Resolved<'r>, selector: &'a [(String, Value)], subs: &'a [(String, Column)] },
    /// A single-valued complex attribute, in the main table.
    Main { parent: Resolved<'r> },
}

impl<'r> Elem<'_, 'r> {
    const fn parent(&self) -> &Resolved<'r> {
        match self {
            Self::Row { parent, .. } | Self::Selected { parent, .. } | Self::Main { parent } => parent,
        }
    }
}

impl<'v, 'r> Translator<'v, 'r> {
    pub(crate) fn translate(&mut self, filter: &Filter, node: &Node) -> Result<Cond, Error> {
        self.node(filter, node, None)
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("\"{}{}\"", self.alias_prefix, self.aliases)
    }

    fn node(&mut self, filter: &Filter, node: &Node, element: Option<&Elem<'v, 'r>>) -> Result<Cond, Error> {
        Ok(match (filter, node) {
            (Filter::And(fs), Node::And(ns)) => Cond::all(self.nodes(fs, ns, element)?),
            (Filter::Or(fs), Node::Or(ns)) => Cond::any(self.nodes(fs, ns, element)?),
            (Filter::Not(f), Node::Not(n)) => self.node(f, n, element)?.not(),
            (Filter::Present(path), Node::Present(target)) => {
                let r = resolve(self.view, target, element.map(Elem::parent), path.span())?;
                self.present(&r, element, path.span())?
            }
            (Filter::Compare { path, .. }, Node::Compare(c)) => {
                let r = resolve(self.view, &c.target, element.map(Elem::parent), path.span())?;
                self.comparison(&r, c, element, path.span())?
            }
            (Filter::ValuePath { path, filter: inner }, Node::ValuePath(vp)) => {
                let r = resolve(self.view, &vp.target, None, path.span())?;
                let mut each = |t: &mut Self, e: &Elem<'v, 'r>| t.node(inner, &vp.inner, Some(e));
                self.each_element(&r, path.span(), &mut each)?
            }
            _ => return Err(internal("a checked filter does not follow its parsed form")),
        })
    }

    fn nodes(&mut self, fs: &[Filter], ns: &[Node], element: Option<&Elem<'v, 'r>>) -> Result<Vec<Cond>, Error> {
        fs.iter().zip(ns).map(|(f, n)| self.node(f, n, element)).collect()
    }

    /// How the attribute of `r` is stored (several entries for several selectors).
    fn storage(&self, r: &Resolved<'r>) -> Vec<&'v Storage> {
        let columns: &'v Columns = self.columns;
        columns.entries.iter().filter(|e| e.attr.is(r.urn, r.attr.name())).map(|e| &e.storage).collect()
    }

    fn main_column(&self, column: &'v Column) -> Src<'v> {
        Src::Column {
            expr: qualified(self.table, &column.name),
            fold: column.fold.as_deref().map(|f| qualified(self.table, f)),
            column,
        }
    }

    /// `EXISTS` over the rows of `child` that belong to the resource.
    fn child_exists(&self, child: &Child, alias: &str, cond: Cond) -> Cond {
        let link = Frag::new()
            .text(&format!("{alias}.{} = {}", ident(&child.foreign_key), qualified(self.table, self.key)))
            .cond();
        Cond::all(vec![link, cond]).exists(&format!("{} AS {alias}", ident(&child.table)))
    }

    /// `f` over each element of the complex attribute `r` (as a value path tries them): any
    /// must hold.
    fn each_element(
        &mut self,
        r: &Resolved<'r>,
        span: Option<Span>,
        f: &mut dyn FnMut(&mut Self, &Elem<'v, 'r>) -> Result<Cond, Error>,
    ) -> Result<Cond, Error> {
        if !r.attr.multi_valued() {
            let subs: Vec<Cond> = self
                .storage(r)
                .into_iter()
                .filter_map(|s| match s {
                    Storage::Column { sub: Some(_), column } => Some(not_null(&qualified(self.table, &column.name))),
                    _ => None,
                })
                .collect();
            if subs.is_empty() {
                return Err(not_stored(&r.label(), span));
            }
            let e = Elem::Main { parent: *r };
            return Ok(Cond::all(vec![Cond::any(subs), f(self, &e)?]));
        }
        let mut out = Vec::new();
        let mut stored = false;
        for storage in self.storage(r) {
            match storage {
                Storage::Elements { child, subs } => {
                    stored = true;
                    let alias = self.alias();
                    let e = Elem::Row { parent: *r, alias: alias.clone(), subs };
                    let cond = f(self, &e)?;
                    out.push(self.child_exists(child, &alias, cond));
                }
                Storage::Selected { selector, subs, .. } => {
                    stored = true;
                    let exists =
                        Cond::any(subs.iter().map(|(_, c)| not_null(&qualified(self.table, &c.name))).collect());
                    let e = Elem::Selected { parent: *r, selector, subs };
                    out.push(Cond::all(vec![exists, f(self, &e)?]));
                }
                Storage::Column { .. } | Storage::Values { .. } => {}
            }
        }
        if !stored {
            return Err(not_stored(&r.label(), span));
        }
        Ok(Cond::any(out))
    }

    /// Whether a value some selector of `parent` chose stores sub-attribute `sub` (as one of
    /// the selector's values or in a column).
    fn some_selected_stores(&self, parent: &Resolved<'r>, sub: &str) -> bool {
        self.storage(parent).into_iter().any(|s| match s {
            Storage::Selected { selector, subs, .. } => {
                selector.iter().any(|(n, _)| n.eq_ignore_ascii_case(sub))
                    || subs.iter().any(|(n, _)| n.eq_ignore_ascii_case(sub))
            }
            _ => false,
        })
    }

    /// The source of sub-attribute `sub` in element `e`.
    fn sub_source(&self, e: &Elem<'v, 'r>, sub: &str) -> Src<'v> {
        let find =
            |subs: &'v [(String, Column)]| subs.iter().find(|(n, _)| n.eq_ignore_ascii_case(sub)).map(|(_, c)| c);
        match e {
            Elem::Row { alias, subs, .. } => find(subs).map_or(Src::Absent, |column| Src::Column {
                expr: format!("{alias}.{}", ident(&column.name)),
                fold: column.fold.as_deref().map(|f| format!("{alias}.{}", ident(f))),
                column,
            }),
            Elem::Selected { selector, subs, .. } => match selector.iter().find(|(n, _)| n.eq_ignore_ascii_case(sub)) {
                Some((_, v)) => Src::Constant(v),
                None => find(subs).map_or(Src::Absent, |c| self.main_column(c)),
            },
            Elem::Main { parent } => self
                .storage(parent)
                .into_iter()
                .find_map(|s| match s {
                    Storage::Column { sub: Some(s), column } if s.eq_ignore_ascii_case(sub) => Some(column),
                    _ => None,
                })
                .map_or(Src::Absent, |c| self.main_column(c)),
        }
    }

    /// `pred` over each value of `r`: any must hold.
    fn any_value(
        &mut self,
        r: &Resolved<'r>,
        element: Option<&Elem<'v, 'r>>,
        span: Option<Span>,
        pred: &mut dyn FnMut(&Self, &Src<'v>) -> Result<Cond, Error>,
    ) -> Result<Cond, Error> {
        let label = r.label();
        if let (Some(e), Some(sub)) = (element, r.sub) {
            let src = self.sub_source(e, sub.name());
            // A value a selector chose may lack a sub-attribute another selector stores (it is
            // then absent there); one no selector stores cannot be answered.
            let excused = matches!(e, Elem::Selected { .. }) && self.some_selected_stores(e.parent(), sub.name());
            if matches!(src, Src::Absent) && !excused {
                return Err(not_stored(&label, span));
            }
            return pred(self, &src);
        }
        match (r.attr.kind() == AttributeType::Complex, r.attr.multi_valued(), r.sub) {
            (true, true, Some(sub)) => {
                let mut found = false;
                let mut each = |t: &mut Self, e: &Elem<'v, 'r>| {
                    let src = t.sub_source(e, sub.name());
                    found |= !matches!(src, Src::Absent);
                    pred(t, &src)
                };
                let cond = self.each_element(r, span, &mut each)?;
                if found { Ok(cond) } else { Err(not_stored(&label, span)) }
            }
            (false, _, Some(_)) => Err(internal("a simple attribute with a sub-attribute")),
            (true, false, Some(_)) => {
                let e = Elem::Main { parent: *r };
                let src = self.sub_source(&e, r.leaf().name());
                if matches!(src, Src::Absent) {
                    return Err(not_stored(&label, span));
                }
                pred(self, &src)
            }
            (_, true, None) => {
                let found = self.storage(r).into_iter().find_map(|s| match s {
                    Storage::Values { child, column } => Some((child, column)),
                    _ => None,
                });
                let Some((child, column)) = found else {
                    return Err(not_stored(&label, span));
                };
                let alias = self.alias();
                let src = Src::Column {
                    expr: format!("{alias}.{}", ident(&column.name)),
                    fold: column.fold.as_deref().map(|f| format!("{alias}.{}", ident(f))),
                    column,
                };
                let cond = pred(self, &src)?;
                Ok(self.child_exists(child, &alias, cond))
            }
            (_, false, None) => {
                let found = self.storage(r).into_iter().find_map(|s| match s {
                    Storage::Column { sub: None, column } => Some(column),
                    _ => None,
                });
                match found {
                    Some(column) => {
                        let src = self.main_column(column);
                        pred(self, &src)
                    }
                    None => Err(not_stored(&label, span)),
                }
            }
        }
    }

    fn present(&mut self, r: &Resolved<'r>, element: Option<&Elem<'v, 'r>>, span: Option<Span>) -> Result<Cond, Error> {
        if r.sub.is_none() && r.attr.kind() == AttributeType::Complex {
            // Present when one of its stored members is.
            let mut each = |t: &mut Self, e: &Elem<'v, 'r>| {
                let subs: Vec<Cond> = match e {
                    Elem::Row { subs, .. } => subs.iter().map(|(n, _)| src_present(&t.sub_source(e, n))).collect(),
                    Elem::Selected { selector, subs, .. } => selector
                        .iter()
                        .map(|(_, v)| Cond::constant(item_present(v)))
                        .chain(subs.iter().map(|(n, _)| src_present(&t.sub_source(e, n))))
                        .collect(),
                    Elem::Main { parent } => t
                        .storage(parent)
                        .into_iter()
                        .filter_map(|s| match s {
                            Storage::Column { sub: Some(_), column } => Some(src_present(&t.main_column(column))),
                            _ => None,
                        })
                        .collect(),
                };
                Ok(Cond::any(subs))
            };
            return self.each_element(r, span, &mut each);
        }
        self.any_value(r, element, span, &mut |_, src| Ok(src_present(src)))
    }

    fn comparison(
        &mut self,
        r: &Resolved<'r>,
        c: &Comparison,
        element: Option<&Elem<'v, 'r>>,
        span: Option<Span>,
    ) -> Result<Cond, Error> {
        match (&c.operand, c.op) {
            (Operand::Null, CompareOp::Eq) => Ok(self.present(r, element, span)?.not()),
            (Operand::Null, _) => self.present(r, element, span),
            (operand, op) => {
                let eq = if op == CompareOp::Ne { CompareOp::Eq } else { op };
                let dialect = self.dialect;
                let cond =
                    self.any_value(r, element, span, &mut |_, src| src_compare(dialect, src, eq, operand, span))?;
                Ok(if op == CompareOp::Ne { cond.not() } else { cond })
            }
        }
    }
}

/// Whether `value op literal` holds for every 64-bit integer `value` when the literal lies
/// beyond them on `side`.
fn integers_hold(op: CompareOp, side: std::cmp::Ordering) -> bool {
    match side {
        std::cmp::Ordering::Less => matches!(op, CompareOp::Gt | CompareOp::Ge),
        _ => matches!(op, CompareOp::Lt | CompareOp::Le),
    }
}

fn not_null(expr: &str) -> Cond {
    Frag::new().text(&format!("{expr} IS NOT NULL")).cond()
}

fn src_present(src: &Src<'_>) -> Cond {
    match src {
        Src::Absent => Cond::False,
        Src::Constant(v) => Cond::constant(item_present(v)),
        Src::Column { expr, column, .. } => match column.kind {
            AttributeType::String | AttributeType::Reference | AttributeType::Binary => {
                Frag::new().text(&format!("{expr} IS NOT NULL AND {expr} <> ''")).cond_and()
            }
            _ => not_null(expr),
        },
    }
}

fn src_compare(
    dialect: Dialect,
    src: &Src<'_>,
    op: CompareOp,
    operand: &Operand,
    span: Option<Span>,
) -> Result<Cond, Error> {
    match src {
        Src::Absent => Ok(Cond::False),
        Src::Constant(v) => Ok(Cond::constant(scalar_holds(op, v, operand))),
        Src::Column { expr, fold, column } => {
            if let (AttributeType::Integer, Operand::Number(n)) = (column.kind, operand) {
                // Beyond the 64 bits an integer column holds, the literal would be bound as a
                // rounded float (2^63 + 1 as 2^63); every stored value is on one side of it.
                if let Some(side) = crate::mapping::sortable::beyond_i64(n.text()) {
                    return Ok(Cond::all(vec![not_null(expr), Cond::constant(integers_hold(op, side))]));
                }
            }
            let lit = match (column.kind, operand) {
                (AttributeType::Integer, Operand::Number(n)) => match crate::mapping::sortable::whole_i64(n.text()) {
                    Some(i) => Lit::Integer(i),
                    None => column_literal(operand, span).map_err(|e| with_span(e, span))?,
                },
                _ => column_literal(operand, span).map_err(|e| with_span(e, span))?,
            };
            let folded = matches!(operand, Operand::Text(t) if !t.case_exact());
            let target = match (folded, fold) {
                (true, Some(f)) => f,
                _ => expr,
            };
            Ok(Cond::all(vec![not_null(target), compare(dialect, target, op, &lit)]))
        }
    }
}
