//! The built-in definitions, kept as RFC 7643 JSON documents beside this file and read by the
//! same loader as custom schemas, so both get the same checks.
//!
//! Decisions where RFC 7643 §4 text and the §8.7 listing disagree are recorded in each JSON
//! file under `_decisions` (the loader ignores keys starting with `_`).

use serde_json::Value;

use super::registry::{Registry, RegistryBuilder};
use crate::error::Error;

const SCHEMAS: [&str; 6] = [
    include_str!("builtin/user.json"),
    include_str!("builtin/group.json"),
    include_str!("builtin/enterprise_user.json"),
    include_str!("builtin/service_provider_config.json"),
    include_str!("builtin/resource_type.json"),
    include_str!("builtin/schema.json"),
];

const RESOURCE_TYPES: &str = include_str!("builtin/resource_types.json");

fn build() -> Result<Registry, Error> {
    let mut builder = RegistryBuilder::new();
    for text in SCHEMAS {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::new(crate::error::ErrorKind::Internal, format!("built-in schema is not JSON: {e}")))?;
        builder = builder.schema_value(&value)?;
    }
    let types: Value = serde_json::from_str(RESOURCE_TYPES).map_err(|e| {
        Error::new(crate::error::ErrorKind::Internal, format!("built-in resource types are not JSON: {e}"))
    })?;
    builder.resource_type_value(&types)?.build()
}

/// The built-in registry. The definitions are part of the crate and checked by its tests, so
/// they always load; were one ever broken, the registry would come out empty rather than panic.
pub(super) fn registry() -> Registry {
    build().unwrap_or_else(|_| Registry::empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtins_load_without_error() {
        let r = super::build().unwrap();
        assert_eq!(r.schemas().len(), 6);
        assert_eq!(r.resource_types().len(), 2);
    }
}
