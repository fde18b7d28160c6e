//! A storage mapping loaded once: records to and from resources, and filters as SQL.

use scimkit::mapping::Mapping;
use scimkit::{Registry, api};

use super::args;
use super::error::{Out, fail};
use super::text::marked;

/// Loads a mapping (JSON text) for a resource type of `registry`.
pub fn load(registry: &Registry, resource_type: &str, mapping: &str) -> Out<Mapping> {
    api::mapping_load(registry, resource_type, mapping).map_err(fail)
}

/// The record `{"row", "children"}` storing a resource (JSON text).
pub fn to_record(mapping: &Mapping, resource: &str) -> Out {
    mapping.to_record(&args::document(resource)?).map(|r| marked(api::to_json(&r))).map_err(fail)
}

/// The resource a record (JSON text) stores.
pub fn from_record(mapping: &Mapping, record: &str) -> Out {
    mapping.from_record(&args::document(record)?).map(|r| marked(api::to_json(&r))).map_err(fail)
}

/// A filter as a parameterized SQL condition: `{"sql", "params"}`.
pub fn to_sql(mapping: &Mapping, filter: &str, dialect: &str) -> Out {
    api::mapping_filter_to_sql(mapping, filter, dialect).map(|s| api::to_json(&s)).map_err(fail)
}

/// The `CREATE TABLE` / `CREATE INDEX` statements, as a JSON array of strings.
pub fn create_tables(mapping: &Mapping, dialect: &str) -> Out {
    api::mapping_tables(mapping, dialect).map(|s| api::to_json(&s)).map_err(fail)
}
