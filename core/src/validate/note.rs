//! Notes: what validation changed in the resource, and which quirk rules fired.

use serde::Serialize;

use crate::compat::Quirk;
use crate::error::Location;

/// What kind of change a note reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NoteCode {
    /// A readOnly attribute in a create or replace body was dropped (RFC 7644 §3.5.1).
    ReadOnlyIgnored,
    /// A `null` value was removed: it means unassigned (RFC 7643 §2.5).
    NullRemoved,
    /// An empty array or object was removed: it means unassigned (RFC 7643 §2.5).
    EmptyRemoved,
    /// An attribute no schema defines was dropped (`unknownAttributes: ignore`).
    UnknownIgnored,
    /// An immutable attribute left out of a replace body kept its stored value.
    ImmutableKept,
    /// A readWrite attribute the stored resource holds, left out of a replace body, is cleared
    /// (RFC 7644 §3.5.1 lets a service provider assume so).
    OmittedCleared,
    /// A name or URN was respelled as its schema spells it.
    NameNormalized,
    /// A repeated entry of `schemas` was removed.
    DuplicateSchemaRemoved,
    /// A value given twice for one multi-valued attribute (in a PATCH) was kept once.
    DuplicateValueRemoved,
    /// A quirk rule accepted something the RFC does not allow.
    Quirk,
}

/// One change validation made, or one quirk rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What kind of change.
    pub code: NoteCode,
    /// The quirk rule, for [`NoteCode::Quirk`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quirk: Option<Quirk>,
    /// Where in the input (JSON pointer).
    #[serde(serialize_with = "location_text")]
    pub location: Location,
    /// What happened, for a person.
    pub detail: String,
}

fn location_text<S: serde::Serializer>(l: &Location, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(l.as_str())
}
