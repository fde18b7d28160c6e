//! What a validation is asked to do.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::compat::Profile;
use crate::limits::Limits;

crate::schema::wire_names! {
    /// Which body is validated: the rules differ per mode (RFC 7644 §3.3, §3.5.1, §3.4).
    #[derive(Default, Serialize)]
    #[serde(rename_all = "camelCase")]
    Mode, "mode" {
        /// A POST body: readOnly input is dropped, required attributes the client sets are checked.
        #[default]
        Create => "create",
        /// A PUT body, checked against the stored resource: immutable values may not change.
        Replace => "replace",
        /// What a server sends out: readOnly attributes are kept, `id` is required and no
        /// writeOnly or `returned: never` attribute may appear.
        Response => "response",
    }
}

crate::schema::wire_names! {
    /// What happens to an attribute no schema of the resource type defines.
    #[derive(Default, Serialize)]
    #[serde(rename_all = "camelCase")]
    UnknownAttributes, "unknown-attribute policy" {
        /// An `invalidSyntax` error.
        #[default]
        Reject => "reject",
        /// Dropped, with a note.
        Ignore => "ignore",
    }
}

crate::schema::wire_names! {
    /// Whether a value outside an attribute's `canonicalValues` is accepted.
    #[derive(Default, Serialize)]
    #[serde(rename_all = "camelCase")]
    CanonicalValues, "canonical-values policy" {
        /// Any value (RFC 7643 §2.4 makes canonical values a suggestion).
        #[default]
        Allow => "allow",
        /// Only the canonical values, compared per `caseExact`.
        Reject => "reject",
    }
}

/// Reads a name through its `FromStr`, so option values are matched in any case.
macro_rules! deserialize_by_name {
    ($($name:ty),+) => {
        $(impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        })+
    };
}

pub(crate) use deserialize_by_name;

deserialize_by_name!(Mode, UnknownAttributes, CanonicalValues);

/// Options of one validation. Read from JSON with camelCase names; every field has a default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ValidateOptions {
    /// Which body this is.
    pub mode: Mode,
    /// The stored resource, required in `replace` mode.
    pub existing: Option<Value>,
    /// Which quirk rules are on.
    pub profile: Profile,
    /// What to do with attributes no schema defines.
    pub unknown_attributes: UnknownAttributes,
    /// Whether values outside `canonicalValues` are refused.
    pub canonical_values: CanonicalValues,
    /// Input limits.
    pub limits: Limits,
}
