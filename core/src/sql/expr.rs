//! Boolean SQL conditions built from pieces of text and bound values, so the values' order in
//! the parameter list always follows their place in the text, whatever gets folded away.
//!
//! Every condition built here is two-valued: it is never SQL `NULL`, so `NOT` means "not" the
//! way the evaluator's `not` does, whatever the stored data holds.

use serde_json::Value;

use super::dialect::Dialect;

/// How a PostgreSQL placeholder is typed: every value is sent as text or boolean, so any
/// client (which sends untyped text) and typed ones (which then bind `&str`) both work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PgType {
    Text,
    Boolean,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String),
    Param(Value, PgType),
}

/// The operator at the top of a condition's text, to know where parentheses are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// A comparison, function call, `EXISTS (…)` or `NOT (…)`.
    Atom,
    /// Conditions joined by `AND`.
    And,
    /// Conditions joined by `OR`.
    Or,
}

/// A two-valued SQL condition, or a constant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    True,
    False,
    Sql(Vec<Piece>, Level),
}

/// SQL text with bound values, built left to right.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Frag(Vec<Piece>);

impl Frag {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub(crate) fn text(mut self, text: &str) -> Self {
        if let Some(Piece::Text(last)) = self.0.last_mut() {
            last.push_str(text);
        } else {
            self.0.push(Piece::Text(text.to_owned()));
        }
        self
    }

    #[must_use]
    pub(crate) fn param(mut self, value: Value, ty: PgType) -> Self {
        self.0.push(Piece::Param(value, ty));
        self
    }

    #[must_use]
    fn append(mut self, other: Vec<Piece>) -> Self {
        for piece in other {
            match piece {
                Piece::Text(t) => self = self.text(&t),
                p @ Piece::Param(..) => self.0.push(p),
            }
        }
        self
    }

    /// A condition without `AND` or `OR` at its top.
    pub(crate) fn cond(self) -> Cond {
        Cond::Sql(self.0, Level::Atom)
    }

    /// A condition whose text joins parts with `AND`.
    pub(crate) fn cond_and(self) -> Cond {
        Cond::Sql(self.0, Level::And)
    }
}

impl Cond {
    pub(crate) const fn constant(b: bool) -> Self {
        if b { Self::True } else { Self::False }
    }

    /// All of `items` (true when empty).
    pub(crate) fn all(items: Vec<Self>) -> Self {
        join(items, Level::And, Self::True, Self::False)
    }

    /// Any of `items` (false when empty).
    pub(crate) fn any(items: Vec<Self>) -> Self {
        join(items, Level::Or, Self::False, Self::True)
    }

    #[must_use]
    pub(crate) fn not(self) -> Self {
        match self {
            Self::True => Self::False,
            Self::False => Self::True,
            Self::Sql(pieces, _) => Frag::new().text("NOT (").append(pieces).text(")").cond(),
        }
    }

    /// `EXISTS (SELECT 1 FROM <from> WHERE <self>)`.
    #[must_use]
    pub(crate) fn exists(self, from: &str) -> Self {
        match self {
            Self::False => Self::False,
            Self::True => Frag::new().text(&format!("EXISTS (SELECT 1 FROM {from})")).cond(),
            Self::Sql(pieces, _) => {
                Frag::new().text(&format!("EXISTS (SELECT 1 FROM {from} WHERE ")).append(pieces).text(")").cond()
            }
        }
    }

    /// The clause and its parameters for `dialect`.
    pub(crate) fn render(self, dialect: Dialect) -> (String, Vec<Value>) {
        let pieces = match self {
            Self::True => vec![Piece::Text("1 = 1".to_owned())],
            Self::False => vec![Piece::Text("1 = 0".to_owned())],
            Self::Sql(pieces, _) => pieces,
        };
        let mut sql = String::new();
        let mut params = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => sql.push_str(&t),
                Piece::Param(value, ty) => {
                    params.push(value);
                    if dialect == Dialect::Sqlite {
                        sql.push('?');
                    } else {
                        sql.push('$');
                        sql.push_str(&params.len().to_string());
                        sql.push_str(if ty == PgType::Boolean { "::boolean" } else { "::text" });
                    }
                }
            }
        }
        (sql, params)
    }
}

/// `items` joined by `AND` or `OR` (`level`); `unit` items drop out, one `zero` item decides.
/// A part is put in parentheses when it is an `OR` inside an `AND`, or an `AND` inside an `OR`
/// (not needed there, but easier to read).
fn join(items: Vec<Cond>, level: Level, unit: Cond, zero: Cond) -> Cond {
    let mut parts: Vec<(Vec<Piece>, Level)> = Vec::new();
    for item in items {
        match item {
            Cond::Sql(pieces, l) => parts.push((pieces, l)),
            c if c == zero => return zero,
            _ => {}
        }
    }
    if parts.len() <= 1 {
        return parts.pop().map_or(unit, |(p, l)| Cond::Sql(p, l));
    }
    // A long chain is grouped in parentheses, CHAIN at a time: SQLite parses `a OR b OR …` one
    // level deeper per term, and Cloudflare D1 refuses an expression deeper than 100.
    while parts.len() > CHAIN {
        let mut grouped = Vec::with_capacity(parts.len().div_ceil(CHAIN));
        let mut rest = parts.into_iter();
        loop {
            let chunk: Vec<(Vec<Piece>, Level)> = rest.by_ref().take(CHAIN).collect();
            if chunk.is_empty() {
                break;
            }
            let Cond::Sql(pieces, _) = join_parts(chunk, level) else { continue };
            grouped.push((Frag::new().text("(").append(pieces).text(")").0, Level::Atom));
        }
        parts = grouped;
    }
    join_parts(parts, level)
}

/// The most terms of one `AND` or `OR` chain written without parentheses.
const CHAIN: usize = 16;

/// Two or more parts joined by `AND` or `OR` (`level`).
fn join_parts(parts: Vec<(Vec<Piece>, Level)>, level: Level) -> Cond {
    let word = if level == Level::And { " AND " } else { " OR " };
    let mut out = Frag::new();
    for (i, (part, l)) in parts.into_iter().enumerate() {
        if i > 0 {
            out = out.text(word);
        }
        if l == Level::Atom || l == level {
            out = out.append(part);
        } else {
            out = out.text("(").append(part).text(")");
        }
    }
    Cond::Sql(out.0, level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(name: &str, v: i64) -> Cond {
        Frag::new().text(name).text(" = ").param(Value::from(v), PgType::Text).cond()
    }

    #[test]
    fn folds_constants_and_keeps_parameter_order() {
        let c = Cond::all(vec![leaf("a", 1), Cond::True, Cond::any(vec![leaf("b", 2), Cond::False, leaf("c", 3)])]);
        let (sql, params) = c.clone().render(Dialect::Sqlite);
        assert_eq!(sql, "a = ? AND (b = ? OR c = ?)");
        assert_eq!(params, vec![Value::from(1), Value::from(2), Value::from(3)]);
        let (sql, _) = c.render(Dialect::Postgres);
        assert_eq!(sql, "a = $1::text AND (b = $2::text OR c = $3::text)");
        assert_eq!(Cond::all(vec![leaf("a", 1), Cond::False]).render(Dialect::Sqlite), ("1 = 0".to_owned(), vec![]));
        assert_eq!(Cond::any(vec![]).not(), Cond::True);
        assert_eq!(Cond::False.exists("t"), Cond::False);
    }
}
