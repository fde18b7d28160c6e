//! `CREATE TABLE` statements for a mapping: the column types the translated filters and
//! [`Mapping::to_record`] expect, ready to run or to copy into a migration.

use super::dialect::{Dialect, ident};
use crate::mapping::{Column, Layout, Mapping, Storage};
use crate::schema::AttributeType;

const fn column_type(kind: AttributeType, dialect: Dialect) -> &'static str {
    match (kind, dialect) {
        (AttributeType::Boolean | AttributeType::Integer, Dialect::Sqlite) => "INTEGER",
        (AttributeType::Decimal, Dialect::Sqlite) => "REAL",
        (AttributeType::Boolean, Dialect::Postgres) => "boolean",
        (AttributeType::Integer, Dialect::Postgres) => "bigint",
        (AttributeType::Decimal, Dialect::Postgres) => "numeric",
        (AttributeType::DateTime, Dialect::Postgres) => "timestamptz",
        (_, Dialect::Sqlite) => "TEXT",
        (_, Dialect::Postgres) => "text",
    }
}

fn column_defs(column: &Column, dialect: Dialect, out: &mut Vec<String>) {
    out.push(format!("{} {}", ident(&column.name), column_type(column.kind, dialect)));
    if let Some(fold) = &column.fold {
        out.push(format!("{} {}", ident(fold), column_type(AttributeType::String, dialect)));
    }
}

fn table(name: &str, columns: &[String]) -> String {
    format!("CREATE TABLE IF NOT EXISTS {} ({})", ident(name), columns.join(", "))
}

/// The statements creating the mapping's tables (main table first, then child tables with an
/// index on their foreign key), for `dialect`.
pub fn create_tables(mapping: &Mapping, dialect: Dialect) -> Vec<String> {
    let text = column_type(AttributeType::String, dialect);
    let key_def = |key: &str| format!("{} {text} PRIMARY KEY", ident(key));
    match &mapping.layout {
        Layout::Document(doc) => {
            let json = if dialect == Dialect::Postgres { "jsonb" } else { "TEXT" };
            let mut defs: Vec<String> = mapping.key.iter().map(|k| key_def(k)).collect();
            defs.push(format!("{} {json} NOT NULL", ident(&doc.column)));
            defs.push(format!("{} {json} NOT NULL", ident(&doc.search_column)));
            vec![table(&mapping.table, &defs)]
        }
        Layout::Columns(columns) => {
            let key = mapping.key.as_deref().unwrap_or("id");
            let mut main = vec![key_def(key)];
            let mut children = Vec::new();
            for entry in &columns.entries {
                match &entry.storage {
                    Storage::Column { column, .. } if column.name == key => {}
                    Storage::Column { column, .. } => column_defs(column, dialect, &mut main),
                    Storage::Selected { subs, .. } => subs.iter().for_each(|(_, c)| column_defs(c, dialect, &mut main)),
                    Storage::Values { child, column } => children.push((child, vec![column])),
                    Storage::Elements { child, subs } => children.push((child, subs.iter().map(|(_, c)| c).collect())),
                }
            }
            let mut out = vec![table(&mapping.table, &main)];
            for (child, cols) in children {
                let mut defs = vec![format!(
                    "{} {text} NOT NULL REFERENCES {}({}) ON DELETE CASCADE",
                    ident(&child.foreign_key),
                    ident(&mapping.table),
                    ident(key)
                )];
                for c in cols {
                    column_defs(c, dialect, &mut defs);
                }
                out.push(table(&child.table, &defs));
                out.push(format!(
                    "CREATE INDEX IF NOT EXISTS {} ON {} ({})",
                    ident(&format!("{}_{}", child.table, child.foreign_key)),
                    ident(&child.table),
                    ident(&child.foreign_key)
                ));
            }
            out
        }
    }
}
