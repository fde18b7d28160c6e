//! The two SQL dialects and what differs between them: placeholders, JSON access, text
//! functions, column types.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ScimType, excerpt};

/// The database a clause is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.38 or later, and Cloudflare D1 (SQLite): `?` placeholders, `json_extract` and
    /// `json_each` over JSON text.
    Sqlite,
    /// PostgreSQL 11 or later: `$1` placeholders with explicit casts, `jsonb` operators and
    /// `jsonb_array_elements`.
    Postgres,
}

impl Dialect {
    /// The name as written in options: `sqlite` or `postgres`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The most bound parameters one statement may have where the dialect was named: Cloudflare D1
/// (`d1`) allows 100; SQLite itself and PostgreSQL allow far more than a filter within its
/// limits can need.
pub fn parameter_limit(name: &str) -> Option<usize> {
    name.eq_ignore_ascii_case("d1").then_some(100)
}

/// `sql` unless it binds more parameters than the dialect named `name` allows: `invalidFilter`,
/// rather than SQL the database refuses.
///
/// # Errors
/// `invalidFilter` past [`parameter_limit`].
pub fn within_parameter_limit(sql: super::SqlFilter, name: &str) -> Result<super::SqlFilter, Error> {
    match parameter_limit(name) {
        Some(limit) if sql.params.len() > limit => Err(Error::new(
            ScimType::InvalidFilter,
            format!(
                "the filter needs {} bound parameters, more than the {limit} Cloudflare D1 allows in one statement; use fewer comparisons",
                sql.params.len()
            ),
        )),
        _ => Ok(sql),
    }
}

/// How deep the parentheses of a SQLite clause may nest. SQLite before 3.46 (Debian 12's 3.40,
/// the `sqlite3` of Python builds that bundle it) parses with a fixed stack of 100 entries and
/// refuses deeper SQL with "parser stack overflow". Measured with 3.40 over some 80 shapes of
/// filter in both layouts: nested `a and not (a and not (…))` fails from 22 levels of
/// parentheses, nested `a and (b or (…))` from 28, and every clause of 21 levels or fewer
/// parses. 20 leaves a level for a host that wraps the clause (`WHERE (…) AND …`); filters
/// identity providers send nest two or three levels.
pub const SQLITE_MAX_NESTING: usize = 20;

/// Refuses a SQLite clause nested deeper than [`SQLITE_MAX_NESTING`]: `invalidFilter`, rather
/// than SQL an older SQLite refuses with an internal error.
///
/// # Errors
/// `invalidFilter` past the limit.
pub(super) fn within_nesting_limit(sql: &str, dialect: Dialect) -> Result<(), Error> {
    if dialect != Dialect::Sqlite {
        return Ok(());
    }
    let (mut depth, mut deepest, mut quote) = (0_usize, 0_usize, None);
    for b in sql.bytes() {
        match (quote, b) {
            // Inside a quoted name or literal (a doubled quote closes and reopens: same count).
            (Some(q), _) if b == q => quote = None,
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'(') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, b')') => depth = depth.saturating_sub(1),
            (Some(_) | None, _) => {}
        }
    }
    if deepest > SQLITE_MAX_NESTING {
        return Err(Error::new(
            ScimType::InvalidFilter,
            format!(
                "the filter nests too deeply for SQLite: its clause is {deepest} parentheses deep, past the \
                 {SQLITE_MAX_NESTING} that SQLite before 3.46 can parse; nest fewer groups"
            ),
        ));
    }
    Ok(())
}

impl FromStr for Dialect {
    type Err = Error;

    /// `sqlite` (also `d1`) or `postgres` (also `postgresql`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sqlite" | "d1" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(Error::new(
                ScimType::InvalidValue,
                format!("unknown SQL dialect `{}`, expected `sqlite` (or `d1`) or `postgres`", excerpt(s)),
            )),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `name` as a quoted SQL identifier (`"` doubled). Names come only from the mapping, which
/// refuses empty names and NUL.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `table.column`, both quoted.
pub(crate) fn qualified(table: &str, column: &str) -> String {
    format!("{}.{}", ident(table), ident(column))
}

/// `text` as a SQL string literal (`'` doubled). Used only for JSON paths and member names
/// that come from schemas, never for values.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A SQLite JSON path to the member `segments` (`$."name"."givenName"`), as a SQL literal.
///
/// # Errors
/// `invalidFilter` for a name SQLite's path syntax cannot hold (a `"` or `\`), which attribute
/// names never have but a custom schema URN might.
pub(crate) fn sqlite_path(segments: &[&str]) -> Result<String, Error> {
    let mut path = String::from("$");
    for segment in segments {
        if segment.contains(['"', '\\']) || segment.chars().any(char::is_control) {
            return Err(Error::new(
                ScimType::InvalidFilter,
                format!("`{}` cannot be addressed in a SQLite JSON path", excerpt(segment)),
            ));
        }
        path.push_str(".\"");
        path.push_str(segment);
        path.push('"');
    }
    Ok(literal(&path))
}

/// PostgreSQL `base -> 'a' -> 'b'`. A name holding a backslash (a custom schema URN might) is
/// written as an escape string (`E'…'`), which reads the same whatever
/// `standard_conforming_strings` says.
pub(crate) fn pg_member(base: &str, segments: &[&str]) -> String {
    let mut out = base.to_owned();
    for segment in segments {
        out.push_str(" -> ");
        if segment.contains('\\') {
            out.push_str("E'");
            out.push_str(&segment.replace('\\', "\\\\").replace('\'', "''"));
            out.push('\'');
        } else {
            out.push_str(&literal(segment));
        }
    }
    format!("({out})")
}

/// A prefix for generated aliases (`base`, lengthened with `_` as needed) that no name in
/// `tables` continues with digits only, compared without case as SQL does: aliases
/// `<prefix>1`, `<prefix>2`… never hide a table of the query.
pub(crate) fn alias_prefix(base: &str, tables: &[&str]) -> String {
    let mut prefix = base.to_owned();
    let clashes = |prefix: &str| {
        tables.iter().any(|t| {
            let t = t.to_ascii_lowercase();
            t.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    while clashes(&prefix) {
        prefix.push('_');
    }
    prefix
}
