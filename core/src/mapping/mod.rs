//! Where a resource type's attributes are stored in SQL tables: one mapping document drives
//! [`Mapping::to_record`] / [`Mapping::from_record`] (a resource as table rows and back) and
//! [`crate::sql::filter_to_sql`] (a filter as a `WHERE` clause over those rows).
//!
//! # The mapping document
//!
//! JSON, camelCase. `resourceType` is optional (when given it must be the resource type the
//! mapping is loaded for). Two layouts:
//!
//! **Document**: the resource as one JSON column, and its *search form* in a second one.
//! ```json
//! {"layout": "document", "resourceType": "User", "table": "users", "key": "id",
//!  "column": "data", "searchColumn": "data_search"}
//! ```
//! `key` (optional) receives the resource's `id`; `searchColumn` defaults to `<column>_search`.
//! The search form is derived from the resource by [`Mapping::to_record`] on every write, as an
//! index is: strings of `caseExact: false` attributes case-folded by the crate's rule, dateTimes
//! as sortable UTC text, numbers as sortable keys, names as the schema spells them (see
//! `search.rs` for every rule). Filters read only the search form; reads return `column`.
//!
//! **Columns**: attributes in typed columns; multi-valued ones in child tables.
//! ```json
//! {"layout": "columns", "resourceType": "User", "table": "users", "key": "id",
//!  "attributes": {
//!    "userName": {"column": "user_name"},
//!    "active": {"column": "active", "type": "boolean"},
//!    "name.givenName": {"column": "given_name"},
//!    "meta.lastModified": {"column": "last_modified"},
//!    "emails": {"table": "user_emails", "foreignKey": "user_id", "attributes": {
//!      "value": {"column": "value"}, "type": {"column": "type"},
//!      "primary": {"column": "is_primary", "type": "boolean"}}},
//!    "phoneNumbers[type eq \"work\"].value": {"column": "work_phone"},
//!    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": {"column": "department"}}}
//! ```
//! - Keys are attribute paths of the resource type, in any case, with or without the schema URN:
//!   a single-valued attribute (`userName`), a sub-attribute of a single-valued complex one
//!   (`name.givenName`), an extension attribute (`urn:…:department`, `urn:…:manager.value`).
//! - `key` is the column of the resource's `id` (required in this layout); `id` need not be
//!   listed, and when listed its column must be `key`.
//! - A multi-valued attribute goes to a child table, one row per value, whose `foreignKey`
//!   column holds the resource's `id`: complex ones list their sub-attributes under
//!   `attributes`; simple ones (`schemas`, `roles` values…) name one `column`.
//! - `attr[selector].sub` stores one value of a multi-valued complex attribute in the main
//!   table: the first value whose sub-attributes equal the selector's (`type eq "work"`,
//!   several joined by `and`). Paths with the same selector share that value
//!   (`addresses[type eq "work"].locality` and `….postalCode`); two selectors of one attribute
//!   must differ in the value of a sub-attribute both name, so no value is chosen twice. Such
//!   an attribute cannot also have a child table. [`Mapping::from_record`] writes the selector's
//!   values back as the mapping spells them, and puts chosen values in the sorted order of
//!   their keys (a JSON object has no order of its own).
//! - `type`, when given, must be the attribute's SCIM type (`string`, `boolean`, `integer`,
//!   `decimal`, `dateTime`, `reference`, `binary`); it is a check, the schema decides.
//! - A `caseExact: false` string or reference also needs a *fold column* holding the value
//!   case-folded (default name `<column>_fold`, or `foldColumn`): filters compare there, with
//!   the literal folded in Rust, so SQL gives the crate's Unicode case rule exactly.
//! - Column types ([`crate::sql::create_tables`] writes them): strings, references, binary and
//!   fold columns are text; booleans SQLite `INTEGER` (0/1) / PostgreSQL `boolean`; integers
//!   64-bit `INTEGER` / `bigint`; decimals SQLite `REAL` / PostgreSQL `numeric`; dateTimes
//!   SQLite `TEXT` holding UTC as `2011-05-13T04:42:34.5+00:00` (byte order is time order) /
//!   PostgreSQL `timestamptz`.
//!
//! Loading refuses (`invalidValue`, with a JSON pointer into the mapping such as
//! `/attributes/emails/attributes/primary/type`): unknown members, unknown attribute paths,
//! a complex attribute without sub-attribute, a multi-valued attribute in one column, a type
//! that is not the attribute's, a path or a column (fold columns included) used twice in a
//! table, a table used twice, overlapping selectors.

mod load;
mod model;
mod record;
pub(crate) mod search;
mod selector;
pub(crate) mod sortable;

pub use model::Mapping;
pub(crate) use model::{Child, Column, Columns, Layout, Storage, definition};

#[cfg(test)]
mod tests;
