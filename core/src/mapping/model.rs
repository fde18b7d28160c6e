//! A loaded mapping: where each attribute of one resource type is stored. Built only by
//! [`super::load`], so every mapping held is consistent with its resource type: paths resolve,
//! types fit, no column or path is used twice.

use serde_json::Value;

use crate::filter::ElementFilter;
use crate::schema::{Attribute, AttributeType, Registry, ResourceTypeView};

/// How a resource type is stored, checked against the type's schemas.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub(crate) registry: Registry,
    /// The resource type's name as the registry spells it.
    pub(crate) resource_type: String,
    pub(crate) table: String,
    /// The column holding the resource's `id` (columns layout: always; document layout: when
    /// given).
    pub(crate) key: Option<String>,
    pub(crate) layout: Layout,
}

#[derive(Debug, Clone)]
pub(crate) enum Layout {
    Document(Document),
    Columns(Columns),
}

/// The document layout: the resource as JSON in `column`, its search form in `search_column`.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) column: String,
    pub(crate) search_column: String,
}

/// The columns layout: one entry per mapped attribute, in the sorted order of the mapping's
/// keys (a JSON object has no order of its own).
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub(crate) entries: Vec<Entry>,
}

/// An attribute of the resource type: a core or common attribute (`urn` is `None`) or an
/// extension attribute, both with the names as the schemas spell them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttrRef {
    pub(crate) urn: Option<String>,
    pub(crate) name: String,
}

impl AttrRef {
    /// The path as the mapping and messages write it: `name` or `urn:…:name`.
    pub(crate) fn label(&self) -> String {
        match &self.urn {
            Some(urn) => format!("{urn}:{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether this is the attribute a filter target names (`urn` is the extension URN or
    /// `None`; names compared in any ASCII case).
    pub(crate) fn is(&self, urn: Option<&str>, name: &str) -> bool {
        let same_urn = match (&self.urn, urn) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        same_urn && self.name.eq_ignore_ascii_case(name)
    }
}

/// One column and the type of the values it holds.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    /// For a case-insensitive string or reference: the column holding the value case-folded.
    pub(crate) fold: Option<String>,
    pub(crate) kind: AttributeType,
}

/// A child table: one row per value, pointing at the resource's key.
#[derive(Debug, Clone)]
pub(crate) struct Child {
    pub(crate) table: String,
    pub(crate) foreign_key: String,
}

/// One mapped attribute.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) attr: AttrRef,
    pub(crate) storage: Storage,
}

#[derive(Debug, Clone)]
pub(crate) enum Storage {
    /// A single-valued simple attribute (`sub` is `None`), or a sub-attribute of a single-valued
    /// complex attribute.
    Column { sub: Option<String>, column: Column },
    /// A multi-valued simple attribute: one child row per value.
    Values { child: Child, column: Column },
    /// A multi-valued complex attribute: one child row per value, one column per mapped
    /// sub-attribute.
    Elements { child: Child, subs: Vec<(String, Column)> },
    /// The first value of a multi-valued complex attribute whose sub-attributes equal the
    /// selector's values (`emails[type eq "work"].value`), in columns of the main table.
    Selected { selector: Vec<(String, Value)>, matcher: ElementFilter, subs: Vec<(String, Column)> },
}

impl Mapping {
    /// The resource type this mapping stores, as the registry spells it.
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// The main table.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The column holding the resource's `id`, when there is one.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The resource type's view in the mapping's registry.
    pub(crate) fn view(&self) -> Option<ResourceTypeView<'_>> {
        self.registry.resource_type(&self.resource_type)
    }
}

/// The definition of `attr` in `view` (`schemas` included).
pub(crate) fn definition<'r>(view: &ResourceTypeView<'r>, urn: Option<&str>, name: &str) -> Option<&'r Attribute> {
    match urn {
        Some(urn) => view.extension(urn).and_then(|(schema, _)| schema.attribute(name)),
        None if name.eq_ignore_ascii_case("schemas") => Some(crate::filter::check::schemas_attribute()),
        None => view.attribute(name).map(|found| found.attribute),
    }
}
