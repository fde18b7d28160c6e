//! What a validation is asked to do.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::compat::Profile;
use crate::error::UnknownName;
use crate::limits::Limits;

/// Which body is validated: the rules differ per mode (RFC 7644 §3.3, §3.5.1, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// A POST body: readOnly input is dropped, required attributes the client sets are checked.
    #[default]
    Create,
    /// A PUT body, checked against the stored resource: immutable values may not change.
    Replace,
    /// What a server sends out: readOnly attributes are kept, `id` is required and no
    /// writeOnly or `returned: never` attribute may appear.
    Response,
}

impl FromStr for Mode {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Create, Self::Replace, Self::Response]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownName::new("mode", s, "create, replace, response"))
    }
}

impl Mode {
    /// The name as options spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Replace => "replace",
            Self::Response => "response",
        }
    }
}

/// What happens to an attribute no schema of the resource type defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UnknownAttributes {
    /// An `invalidSyntax` error.
    #[default]
    Reject,
    /// Dropped, with a note.
    Ignore,
}

impl FromStr for UnknownAttributes {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("reject") {
            Ok(Self::Reject)
        } else if s.eq_ignore_ascii_case("ignore") {
            Ok(Self::Ignore)
        } else {
            Err(UnknownName::new("unknown-attribute policy", s, "reject, ignore"))
        }
    }
}

/// Whether a value outside an attribute's `canonicalValues` is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CanonicalValues {
    /// Any value (RFC 7643 §2.4 makes canonical values a suggestion).
    #[default]
    Allow,
    /// Only the canonical values, compared per `caseExact`.
    Reject,
}

impl FromStr for CanonicalValues {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("allow") {
            Ok(Self::Allow)
        } else if s.eq_ignore_ascii_case("reject") {
            Ok(Self::Reject)
        } else {
            Err(UnknownName::new("canonical-values policy", s, "allow, reject"))
        }
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
