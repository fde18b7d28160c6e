//! Filters as SQL: a checked filter becomes a parameterized `WHERE` clause over the tables a
//! [`Mapping`] describes, for SQLite (and Cloudflare D1) or PostgreSQL, matching exactly the
//! resources [`CheckedFilter::matches`](crate::CheckedFilter::matches) matches.
//!
//! ```
//! use scimkit::{Filter, Registry, mapping::Mapping, sql::{Dialect, filter_to_sql}};
//! use serde_json::json;
//!
//! let registry = Registry::builtin();
//! let mapping = Mapping::load(&registry, "User", &json!({
//!     "layout": "columns", "table": "users", "key": "id",
//!     "attributes": {"userName": {"column": "user_name"}}
//! }))?;
//! let sql = filter_to_sql(&Filter::parse(r#"userName eq "BJensen""#)?, &mapping, Dialect::Sqlite)?;
//! assert_eq!(sql.sql, r#""users"."user_name_fold" IS NOT NULL AND "users"."user_name_fold" = ?"#);
//! assert_eq!(sql.params, [json!("bjensen")]);
//! # Ok::<(), scimkit::Error>(())
//! ```
//!
//! Rules every clause follows:
//! - Values are always bound parameters: `?` for SQLite, `$1`, `$2`… for PostgreSQL, each cast
//!   there from `text` (`$1::text::numeric`, `$2::text::timestamptz`) or `boolean`, so clients
//!   that send text and typed clients both work. Identifiers come only from the mapping, quoted;
//!   JSON member names come from the schemas, as SQL string literals.
//! - The clause names the main table by its name (`"users"."user_name"`): select from it
//!   without an alias. Child tables and JSON arrays get their own aliases (`"c1"`, `"e1"`).
//! - The clause is never `NULL`, so it can be combined with `NOT` and other conditions freely.
//! - Semantics are the evaluator's: `ne` is `not eq` (it matches resources without the
//!   attribute), `pr` is false for `null`, `""`, `[]`, `{}`, a multi-valued attribute matches
//!   when any value does, the conditions of a value path hold for one value, `eq null` means
//!   absent.
//! - **Case-insensitive strings** (`caseExact: false`): the literal is folded in Rust with
//!   the crate's Unicode rule ([`crate::value::fold_case`]) and compared with the stored
//!   folded value (the fold column, or the search form of the document layout), which
//!   [`Mapping::to_record`] writes with the same rule. So SQLite, whose `lower()` only folds
//!   ASCII without ICU, and PostgreSQL, whose `lower()` follows the database locale, both give
//!   exactly the evaluator's answer (`ÉLODIE` = `élodie`, `I` ≠ `ı`, NFC ≠ NFD). Text orders
//!   by code point (`COLLATE "C"` in PostgreSQL), as the evaluator orders folded strings.
//! - **dateTimes**: the document layout and SQLite columns store UTC text whose byte order is
//!   time order (`2011-05-13T04:42:34.5+00:00`, written by [`Mapping::to_record`]), compared
//!   with the literal converted the same way: exact at any precision. PostgreSQL columns are
//!   `timestamptz`, compared with `$n::text::timestamptz`: exact to the microsecond, the
//!   type's precision.
//! - **Numbers**: the document layout stores a text key whose byte order is numeric order:
//!   exact for any value in both databases. Columns: PostgreSQL `bigint` compared with a
//!   whole literal as `$n::text::bigint` (so an index on the column serves it) and with any
//!   other as `$n::text::numeric`, `numeric` compared with `$n::text::numeric` (exact); SQLite `INTEGER` (exact: an integer literal is bound as
//!   an integer, a larger one as a float, which SQLite compares exactly with integers) and
//!   `REAL` for decimals, which holds a binary double: a decimal column in SQLite compares as
//!   floats do (`0.1` equals `0.1000000000000000055511151231257827`). Use the document layout
//!   or PostgreSQL where decimals must compare exactly.
//! - An attribute the mapping does not store is `invalidFilter` naming it, with the span of
//!   its path.

mod columns;
mod ddl;
mod dialect;
mod document;
mod expr;
mod mapping;

use serde::Serialize;
use serde_json::Value;

pub use ddl::create_tables;
pub use dialect::{Dialect, SQLITE_MAX_NESTING, parameter_limit, within_parameter_limit};

use crate::error::{Error, ErrorKind};
use crate::filter::Filter;
use crate::mapping::{Layout, Mapping};

/// A `WHERE` clause and the values its placeholders stand for, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SqlFilter {
    /// The condition, without `WHERE`.
    pub sql: String,
    /// One value per placeholder: strings, numbers (SQLite) and booleans.
    pub params: Vec<Value>,
}

/// `filter`, checked against the mapping's resource type, as a clause over the mapping's tables.
///
/// # Errors
/// `invalidFilter` (with the span of the path) for a filter that does not check, or that names
/// an attribute the mapping does not store; `invalidFilter` for SQLite when the clause would
/// nest deeper than SQLite before 3.46 can parse ([`SQLITE_MAX_NESTING`]).
pub fn filter_to_sql(filter: &Filter, mapping: &Mapping, dialect: Dialect) -> Result<SqlFilter, Error> {
    let view =
        mapping.view().ok_or_else(|| Error::new(ErrorKind::Internal, "the mapping's resource type is missing"))?;
    let checked = filter.check(&view)?;
    let cond = match &mapping.layout {
        Layout::Document(doc) => document::Translator {
            view: &view,
            dialect,
            column: dialect::qualified(&mapping.table, &doc.search_column),
            aliases: 0,
            alias_prefix: dialect::alias_prefix("e", &[mapping.table.as_str()]),
        }
        .translate(filter, &checked.root)?,
        Layout::Columns(columns) => columns::Translator {
            view: &view,
            dialect,
            table: &mapping.table,
            key: mapping.key.as_deref().unwrap_or("id"),
            columns,
            aliases: 0,
            alias_prefix: dialect::alias_prefix("c", &table_names(&mapping.table, columns)),
        }
        .translate(filter, &checked.root)?,
    };
    let (sql, params) = cond.render(dialect);
    dialect::within_nesting_limit(&sql, dialect)?;
    Ok(SqlFilter { sql, params })
}

/// The main table and every child table of a columns mapping.
fn table_names<'a>(main: &'a str, columns: &'a crate::mapping::Columns) -> Vec<&'a str> {
    let children = columns.entries.iter().filter_map(|e| match &e.storage {
        crate::mapping::Storage::Values { child, .. } | crate::mapping::Storage::Elements { child, .. } => {
            Some(child.table.as_str())
        }
        _ => None,
    });
    std::iter::once(main).chain(children).collect()
}

#[cfg(test)]
mod tests;
