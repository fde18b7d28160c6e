//! Schemas (RFC 7643 §7) and resource types (RFC 7643 §6) as the registry holds them.

use super::attribute::{Attribute, find_attribute};

/// A schema: a URN and the attributes it defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) attributes: Vec<Attribute>,
}

impl Schema {
    /// The schema URN.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The human name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The human description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The top-level attributes.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }
    /// The top-level attribute called `name` (any case).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        find_attribute(&self.attributes, name)
    }
    /// Whether a client can set anything in this schema: some attribute is not readOnly. A
    /// required extension holding only readOnly attributes is the server's to add, so no
    /// client request is asked for it.
    pub fn has_client_attributes(&self) -> bool {
        self.attributes.iter().any(|a| a.mutability() != super::attribute::Mutability::ReadOnly)
    }
}

/// A schema extension a resource type allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaExtension {
    pub(crate) schema: String,
    pub(crate) required: bool,
}

impl SchemaExtension {
    /// The extension schema URN.
    pub fn schema(&self) -> &str {
        &self.schema
    }
    /// Whether resources of the type must carry the extension.
    pub const fn required(&self) -> bool {
        self.required
    }
}

/// A resource type: its name, endpoint, core schema and extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) endpoint: String,
    pub(crate) description: String,
    pub(crate) schema: String,
    pub(crate) extensions: Vec<SchemaExtension>,
}

impl ResourceType {
    /// The resource type id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The name (`User`).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The endpoint (`/Users`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
    /// The human description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The core schema URN.
    pub fn schema(&self) -> &str {
        &self.schema
    }
    /// The schema extensions.
    pub fn extensions(&self) -> &[SchemaExtension] {
        &self.extensions
    }
}
