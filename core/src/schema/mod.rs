//! The RFC 7643 schema model, the built-in schemas and the compiled [`Registry`].

mod attribute;
mod builtin;
mod closest;
mod definition;
mod load;
mod registry;

pub use attribute::{Attribute, AttributeType, Mutability, Returned, Uniqueness, is_valid_attribute_name};
pub(crate) use attribute::{comma_list, wire_names};
pub use closest::closest_name;
pub use definition::{ResourceType, Schema, SchemaExtension};
pub use load::{resource_type_from_value, schema_from_value};
pub use registry::{Registry, RegistryBuilder, ResolvedAttribute, ResourceTypeView};
