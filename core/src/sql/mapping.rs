//! From a checked filter's targets to attribute definitions and literal values in the forms
//! the storage compares: the part of translation both layouts share.

use serde_json::Value;

use super::dialect::Dialect;
use super::expr::{Cond, Frag, PgType};
use crate::error::{Error, ErrorKind, ScimType, Span, excerpt};
use crate::filter::CompareOp;
use crate::filter::compiled::{Operand, Scope, Target};
use crate::mapping::{definition, sortable};
use crate::schema::{Attribute, ResourceTypeView};

/// A target resolved: the top-level attribute (with its extension URN) and the sub-attribute.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved<'r> {
    pub(crate) urn: Option<&'r str>,
    pub(crate) attr: &'r Attribute,
    pub(crate) sub: Option<&'r Attribute>,
}

impl<'r> Resolved<'r> {
    /// The definition the target ends at.
    pub(crate) fn leaf(&self) -> &'r Attribute {
        self.sub.unwrap_or(self.attr)
    }

    /// The path for messages: `name`, `name.sub`, `urn:…:name`.
    pub(crate) fn label(&self) -> String {
        let name = match self.sub {
            Some(sub) => format!("{}.{}", self.attr.name(), sub.name()),
            None => self.attr.name().to_owned(),
        };
        match self.urn {
            Some(urn) => format!("{urn}:{name}"),
            None => name,
        }
    }
}

/// `target` resolved in `view`; `parent` is the attribute of the value path it sits in.
pub(crate) fn resolve<'r>(
    view: &ResourceTypeView<'r>,
    target: &Target,
    parent: Option<&Resolved<'r>>,
    span: Option<Span>,
) -> Result<Resolved<'r>, Error> {
    let missing =
        || internal(&format!("the attribute `{}` of a checked filter is not in its schema", excerpt(&target.name)));
    let (urn, attr) = match (&target.scope, parent) {
        (Scope::Element, Some(p)) => {
            let sub = p.attr.sub_attribute(&target.name).ok_or_else(missing)?;
            return Ok(Resolved { urn: p.urn, attr: p.attr, sub: Some(sub) });
        }
        (Scope::Resource, _) => (None, definition(view, None, &target.name).ok_or_else(missing)?),
        (Scope::Extension(urn), _) => {
            let (schema, _) = view.extension(urn).ok_or_else(missing)?;
            (Some(schema.id()), schema.attribute(&target.name).ok_or_else(missing)?)
        }
        (Scope::Element | Scope::ExtensionOrResource(_), _) => {
            let e = Error::new(ScimType::InvalidFilter, "a filter translated to SQL must be checked against a schema");
            return Err(with_span(e, span));
        }
    };
    let sub = match &target.sub {
        Some(s) => Some(attr.sub_attribute(s).ok_or_else(missing)?),
        None => None,
    };
    Ok(Resolved { urn, attr, sub })
}

pub(crate) fn internal(detail: &str) -> Error {
    Error::new(ErrorKind::Internal, detail.to_owned())
}

pub(crate) fn with_span(e: Error, span: Option<Span>) -> Error {
    match span {
        Some(s) => e.with_span(s),
        None => e,
    }
}

/// `invalidFilter`: the mapping does not store the attribute.
pub(crate) fn not_stored(what: &str, span: Option<Span>) -> Error {
    with_span(
        Error::new(
            ScimType::InvalidFilter,
            format!("`{}` is not stored by the mapping, so it cannot be filtered on", excerpt(what)),
        ),
        span,
    )
}

/// A literal in the form stored values are compared in.
#[derive(Debug, Clone)]
pub(crate) enum Lit {
    /// Text compared as text: a string (folded when the attribute is case-insensitive), a
    /// number's sort key, a dateTime's UTC text.
    Text(String),
    /// A number, compared as a number by the column type.
    Number(String),
    /// A whole number within 64 bits compared with an integer column: PostgreSQL casts it to
    /// the column's `bigint` (not `numeric`), so an index on the column serves the comparison.
    Integer(i64),
    /// A dateTime in UTC (`…+00:00`), for a typed column.
    Instant(String),
    Bool(bool),
}

/// The literal of `operand` for a value stored in its search form (document layout): strings
/// folded when case-insensitive, numbers as sort keys, dateTimes as UTC text.
pub(crate) fn search_literal(operand: &Operand, span: Option<Span>) -> Result<Lit, Error> {
    if matches!(operand, Operand::Text(t) if t.raw().contains('\0')) {
        let e = Error::new(
            ScimType::InvalidFilter,
            "a string holding U+0000 cannot be compared in SQL (nor stored: see Mapping::to_record)",
        );
        return Err(with_span(e, span));
    }
    Ok(match operand {
        Operand::Text(t) if t.case_exact() => Lit::Text(t.raw().to_owned()),
        Operand::Text(t) => Lit::Text(t.folded().to_owned()),
        Operand::Bool(b) => Lit::Bool(*b),
        Operand::Number(d) => Lit::Text(
            sortable::decimal_key(d.text()).ok_or_else(|| internal("a checked number literal did not parse"))?,
        ),
        Operand::DateTime(instant) => Lit::Text(instant_literal(instant, span)?),
        Operand::Null | Operand::Untyped { .. } => return Err(internal("no literal to compare")),
    })
}

/// The literal of `operand` for a typed column (columns layout).
pub(crate) fn column_literal(operand: &Operand, span: Option<Span>) -> Result<Lit, Error> {
    Ok(match operand {
        Operand::Number(d) => Lit::Number(d.text().to_owned()),
        Operand::DateTime(instant) => Lit::Instant(instant_literal(instant, span)?),
        other => search_literal(other, span)?,
    })
}

fn instant_literal(instant: &crate::value::Instant, span: Option<Span>) -> Result<String, Error> {
    sortable::instant_text(instant).ok_or_else(|| {
        with_span(
            Error::new(
                ScimType::InvalidFilter,
                "the dateTime falls outside the years 0001–9999 in UTC, which SQL cannot compare",
            ),
            span,
        )
    })
}

/// The bound value of a number for `dialect`: PostgreSQL gets the exact text (cast to
/// `numeric`); SQLite an integer when the number is a whole one within 64 bits, else the
/// nearest float (finite).
fn number_param(text: &str, dialect: Dialect) -> Value {
    if dialect == Dialect::Postgres {
        return Value::String(text.to_owned());
    }
    if let Some(i) = sortable::whole_i64(text) {
        return Value::from(i);
    }
    let f = text.parse::<f64>().unwrap_or(0.0).clamp(f64::MIN, f64::MAX);
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

const fn sql_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq | CompareOp::Ne => "=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => "",
    }
}

/// `value op literal` where `value` is a SQL expression known not to be `NULL` whose type
/// fits `lit`; the caller adds the guard that makes it so. `op` is not `ne`.
pub(crate) fn compare(dialect: Dialect, value: &str, op: CompareOp, lit: &Lit) -> Cond {
    let pg = dialect == Dialect::Postgres;
    match lit {
        Lit::Bool(b) => {
            let ty = if pg { PgType::Boolean } else { PgType::Text };
            Frag::new().text(&format!("{value} = ")).param(Value::Bool(*b), ty).cond()
        }
        Lit::Number(n) => {
            let cast = if pg { "::numeric" } else { "" };
            Frag::new()
                .text(&format!("{value} {} ", sql_op(op)))
                .param(number_param(n, dialect), PgType::Text)
                .text(cast)
                .cond()
        }
        Lit::Integer(i) => {
            let cast = if pg { "::bigint" } else { "" };
            let param = if pg { Value::String(i.to_string()) } else { Value::from(*i) };
            Frag::new().text(&format!("{value} {} ", sql_op(op))).param(param, PgType::Text).text(cast).cond()
        }
        Lit::Instant(t) if pg => Frag::new()
            .text(&format!("{value} {} ", sql_op(op)))
            .param(Value::String(t.clone()), PgType::Text)
            .text("::timestamptz")
            .cond(),
        Lit::Text(t) | Lit::Instant(t) => text_compare(dialect, value, op, t),
    }
}

/// A text comparison in code point order (SQLite's default `BINARY`; PostgreSQL `COLLATE "C"`)
/// and the substring operators on characters.
fn text_compare(dialect: Dialect, value: &str, op: CompareOp, t: &str) -> Cond {
    let pg = dialect == Dialect::Postgres;
    let lit = || Value::String(t.to_owned());
    if op.is_substring() && t.is_empty() {
        return Cond::True;
    }
    match (op, pg) {
        (CompareOp::Co, false) => {
            Frag::new().text(&format!("instr({value}, ")).param(lit(), PgType::Text).text(") > 0")
        }
        (CompareOp::Co, true) => {
            Frag::new().text(&format!("strpos({value}, ")).param(lit(), PgType::Text).text(") > 0")
        }
        (CompareOp::Sw, false) => {
            Frag::new().text(&format!("instr({value}, ")).param(lit(), PgType::Text).text(") = 1")
        }
        (CompareOp::Sw, true) => {
            Frag::new().text(&format!("starts_with({value}, ")).param(lit(), PgType::Text).text(")")
        }
        (CompareOp::Ew, false) => {
            let chars = i64::try_from(t.chars().count()).unwrap_or(i64::MAX);
            Frag::new()
                .text(&format!("substr({value}, -"))
                .param(Value::from(chars), PgType::Text)
                .text(") = ")
                .param(lit(), PgType::Text)
        }
        (CompareOp::Ew, true) => Frag::new()
            .text(&format!("right({value}, length("))
            .param(lit(), PgType::Text)
            .text(")) = ")
            .param(lit(), PgType::Text),
        (CompareOp::Eq | CompareOp::Ne, _) => Frag::new().text(&format!("{value} = ")).param(lit(), PgType::Text),
        (_, false) => Frag::new().text(&format!("{value} {} ", sql_op(op))).param(lit(), PgType::Text),
        (_, true) => Frag::new().text(&format!("{value} COLLATE \"C\" {} ", sql_op(op))).param(lit(), PgType::Text),
    }
    .cond()
}
