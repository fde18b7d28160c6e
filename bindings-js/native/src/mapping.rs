//! `Mapping`: a storage mapping loaded once.

#![expect(clippy::needless_pass_by_value, reason = "napi-rs hands strings over as owned values")]
#![expect(clippy::wrong_self_convention, reason = "`from_record` mirrors the core's `Mapping::from_record`")]

use napi_derive::napi;

use crate::registry::Registry;
use crate::{glue, run};

/// How a resource type is stored in an application's tables.
#[napi]
pub struct Mapping {
    inner: Option<scimkit::mapping::Mapping>,
}

impl Mapping {
    /// The mapping, or the error for one freed (the JS layer never calls a freed one).
    pub(crate) fn get(&self) -> glue::Out<&scimkit::mapping::Mapping> {
        self.inner.as_ref().ok_or_else(|| glue::internal("the Mapping was freed"))
    }
}

#[napi]
impl Mapping {
    /// Lets the mapping's memory go now (again: nothing); otherwise it goes when the object is
    /// collected.
    #[napi]
    pub fn free(&mut self) {
        self.inner = None;
    }

    /// Loads `mapping` (JSON text) for `resource_type` of `registry`.
    #[napi(constructor, catch_unwind)]
    pub fn new(registry: &Registry, resource_type: String, mapping: String) -> napi::Result<Self> {
        run(|| glue::mapping::load(registry.get()?, &resource_type, &mapping).map(|inner| Self { inner: Some(inner) }))
    }

    /// The record (JSON text) storing a resource (JSON text).
    #[napi(catch_unwind)]
    pub fn to_record(&self, resource: String) -> napi::Result<String> {
        run(|| glue::mapping::to_record(self.get()?, &resource))
    }

    /// The resource (JSON text) a record (JSON text) stores.
    #[napi(catch_unwind)]
    pub fn from_record(&self, record: String) -> napi::Result<String> {
        run(|| glue::mapping::from_record(self.get()?, &record))
    }

    /// A filter as a parameterized SQL condition (JSON text `{"sql", "params"}`).
    #[napi(catch_unwind)]
    pub fn to_sql(&self, filter: String, dialect: String) -> napi::Result<String> {
        run(|| glue::mapping::to_sql(self.get()?, &filter, &dialect))
    }

    /// The `CREATE TABLE` / `CREATE INDEX` statements (a JSON array text).
    #[napi(catch_unwind)]
    pub fn create_tables(&self, dialect: String) -> napi::Result<String> {
        run(|| glue::mapping::create_tables(self.get()?, &dialect))
    }
}
