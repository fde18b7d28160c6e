//! What a PATCH is allowed to do.

use serde::{Deserialize, Serialize};

use crate::compat::Profile;
use crate::limits::Limits;
use crate::validate::{CanonicalValues, UnknownAttributes};

/// Options of one PATCH. Read from JSON with camelCase names; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchOptions {
    /// Which quirk rules are on (`strict`, `compat`, `entra`, `okta`, or the object form).
    pub profile: Profile,
    /// Most operations one request may hold.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_operations: usize,
    /// What to do with attributes no schema defines inside a `value`.
    pub unknown_attributes: UnknownAttributes,
    /// Whether values outside `canonicalValues` are refused.
    pub canonical_values: CanonicalValues,
    /// Input limits (nesting, body size, values per attribute), as for validation.
    pub limits: Limits,
    /// What the result reports besides the resource: `full` (change records, quirk notes,
    /// other notes) or `none` (all three left empty, and not built).
    pub report: Reporting,
}

crate::schema::wire_names! {
    /// What a PATCH reports besides the new resource.
    #[derive(Default, Serialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    Reporting, "report level" {
        /// Change records, quirk notes and other notes.
        #[default]
        Full => "full",
        /// Nothing: `changes`, `quirks` and `notes` come back empty. For a caller that stores the
        /// new resource and reads nothing else; the PATCH is applied and checked exactly as with
        /// `Full`, only the records of what it did are not made.
        None => "none",
    }
}

crate::validate::deserialize_by_name!(Reporting);

impl Reporting {
    /// Whether change records and notes are made.
    #[must_use]
    pub fn is_full(self) -> bool {
        self == Self::Full
    }
}

impl Default for PatchOptions {
    fn default() -> Self {
        Self {
            profile: Profile::strict(),
            max_operations: 1_000,
            unknown_attributes: UnknownAttributes::Reject,
            canonical_values: CanonicalValues::Allow,
            limits: Limits::default(),
            report: Reporting::Full,
        }
    }
}
