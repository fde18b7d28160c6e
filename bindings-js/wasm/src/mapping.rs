//! `Mapping`: a storage mapping loaded once.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::glue::{self, Out, guard};
use crate::registry::Registry;

/// How a resource type is stored in an application's tables.
#[wasm_bindgen]
pub struct Mapping {
    inner: scimkit::mapping::Mapping,
}

#[wasm_bindgen]
impl Mapping {
    /// Loads `mapping` (JSON text) for `resource_type` of `registry`.
    ///
    /// # Errors
    /// The error JSON, located in the mapping.
    #[wasm_bindgen(constructor)]
    pub fn new(registry: &Registry, resource_type: &str, mapping: &str) -> Out<Mapping> {
        guard(|| glue::mapping::load(&registry.inner, resource_type, mapping).map(|inner| Self { inner }))
    }

    /// The record (JSON text) storing a resource (JSON text).
    ///
    /// # Errors
    /// The error JSON, located in the resource.
    #[wasm_bindgen(js_name = toRecord)]
    pub fn to_record(&self, resource: &str) -> Out {
        guard(|| glue::mapping::to_record(&self.inner, resource))
    }

    /// The resource (JSON text) a record (JSON text) stores.
    ///
    /// # Errors
    /// The error JSON, located in the record.
    #[wasm_bindgen(js_name = fromRecord)]
    pub fn from_record(&self, record: &str) -> Out {
        guard(|| glue::mapping::from_record(&self.inner, record))
    }

    /// A filter as a parameterized SQL condition (JSON text `{"sql", "params"}`).
    ///
    /// # Errors
    /// The error JSON.
    #[wasm_bindgen(js_name = toSql)]
    pub fn to_sql(&self, filter: &str, dialect: &str) -> Out {
        guard(|| glue::mapping::to_sql(&self.inner, filter, dialect))
    }

    /// The `CREATE TABLE` / `CREATE INDEX` statements (a JSON array text).
    ///
    /// # Errors
    /// The error JSON for an unknown dialect.
    #[wasm_bindgen(js_name = createTables)]
    pub fn create_tables(&self, dialect: &str) -> Out {
        guard(|| glue::mapping::create_tables(&self.inner, dialect))
    }
}
