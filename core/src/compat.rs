//! The `compat` profile: named rules that accept what real identity providers send but the RFC
//! does not allow. Strict mode has none of them on. Each rule reports itself as a note when it
//! fires, so an operator sees exactly what was bent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::UnknownName;

/// One named quirk rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quirk {
    /// Booleans sent as the strings `"True"`/`"False"` in any case (Microsoft Entra ID).
    StringBooleans,
    /// EnterpriseUser `manager` sent as a plain id string instead of `{"value": …}`.
    ManagerString,
    /// `schemas` left out, or missing an extension the body uses, for a body whose resource
    /// type is known from the endpoint (`application/json` style clients).
    MissingSchemas,
    /// PATCH `op` in any case: `"Replace"`, `"Add"` (Microsoft Entra ID).
    OpCase,
    /// A one-element array for a single-valued attribute: `"value": ["x"]`.
    SingleValueArrays,
    /// A path-less PATCH value whose keys are paths: `"name.givenName"`,
    /// `"emails[type eq \"work\"].value"` (Microsoft Entra ID).
    PathKeysInValue,
    /// `remove` with `path: "members"` and a `value` array removes only those members, instead of
    /// being refused (Microsoft Entra ID).
    RemoveByValue,
    /// `add`/`replace` through an `eq`/`and` filter that matches no value creates that value
    /// (Microsoft Entra ID: `emails[type eq "work"].value` on a user without a work email).
    CreateOnFilterMiss,
    /// `remove` through a filter that matches no value changes nothing, instead of `noTarget`
    /// (Okta's documented membership PATCH removes `members[value eq "…"]` of a user who is not
    /// a member; Microsoft Entra ID removes members one filter at a time, also one already gone).
    RemoveOnFilterMiss,
    /// Read-only keys (`id`, `meta`, `schemas`) inside a path-less PATCH value are ignored (Okta
    /// group renames carry the group's `id`).
    ReadOnlyInValue,
    /// A `schemas` entry naming no schema of the resource type is dropped (Microsoft Entra ID
    /// lists `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group`).
    ForeignSchemas,
    /// `displayName` in a value of a multi-valued attribute whose sub-attribute is `display`
    /// is read as `display` (Microsoft Entra ID's app role assignments:
    /// `"roles": [{"displayName": "Admin", …}]`).
    DisplayNameForDisplay,
    /// A list request's filter `emails[type eq "work"].value eq "x"` — a sub-attribute after
    /// `]`, which the grammar allows only in PATCH paths — is read as
    /// `emails[type eq "work" and value eq "x"]` (Microsoft Entra ID, matching on email).
    FilterSubAttribute,
}

impl Quirk {
    /// Every rule.
    pub const ALL: [Self; 13] = [
        Self::StringBooleans,
        Self::ManagerString,
        Self::MissingSchemas,
        Self::OpCase,
        Self::SingleValueArrays,
        Self::PathKeysInValue,
        Self::RemoveByValue,
        Self::CreateOnFilterMiss,
        Self::RemoveOnFilterMiss,
        Self::ReadOnlyInValue,
        Self::ForeignSchemas,
        Self::DisplayNameForDisplay,
        Self::FilterSubAttribute,
    ];

    /// The rule's name as notes and options spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::StringBooleans => "stringBooleans",
            Self::ManagerString => "managerString",
            Self::MissingSchemas => "missingSchemas",
            Self::OpCase => "opCase",
            Self::SingleValueArrays => "singleValueArrays",
            Self::PathKeysInValue => "pathKeysInValue",
            Self::RemoveByValue => "removeByValue",
            Self::CreateOnFilterMiss => "createOnFilterMiss",
            Self::RemoveOnFilterMiss => "removeOnFilterMiss",
            Self::ReadOnlyInValue => "readOnlyInValue",
            Self::ForeignSchemas => "foreignSchemas",
            Self::DisplayNameForDisplay => "displayNameForDisplay",
            Self::FilterSubAttribute => "filterSubAttribute",
        }
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Quirk {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|q| q.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                UnknownName::new(
                    "quirk rule",
                    s,
                    "stringBooleans, managerString, missingSchemas, opCase, singleValueArrays, pathKeysInValue, removeByValue, createOnFilterMiss, removeOnFilterMiss, readOnlyInValue, foreignSchemas, displayNameForDisplay, filterSubAttribute",
                )
            })
    }
}

impl Serialize for Quirk {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Quirk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A set of enabled quirk rules. `strict` has none; `compat` has all; `entra` and `okta` have
/// the rules those identity providers need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Profile {
    rules: u32,
}

impl Profile {
    /// RFC behaviour only.
    pub const fn strict() -> Self {
        Self { rules: 0 }
    }

    /// Every quirk rule.
    pub fn compat() -> Self {
        Self { rules: Quirk::ALL.iter().fold(0, |acc, q| acc | q.bit()) }
    }

    /// The rules Microsoft Entra ID needs.
    pub fn entra() -> Self {
        [
            Quirk::StringBooleans,
            Quirk::ManagerString,
            Quirk::OpCase,
            Quirk::SingleValueArrays,
            Quirk::PathKeysInValue,
            Quirk::RemoveByValue,
            Quirk::CreateOnFilterMiss,
            Quirk::RemoveOnFilterMiss,
            Quirk::ForeignSchemas,
            Quirk::DisplayNameForDisplay,
            Quirk::FilterSubAttribute,
        ]
        .into_iter()
        .fold(Self::strict(), Self::with)
    }

    /// The rules Okta needs.
    pub fn okta() -> Self {
        [Quirk::ReadOnlyInValue, Quirk::MissingSchemas, Quirk::RemoveOnFilterMiss]
            .into_iter()
            .fold(Self::strict(), Self::with)
    }

    /// Whether `quirk` is on.
    pub const fn allows(self, quirk: Quirk) -> bool {
        self.rules & quirk.bit() != 0
    }

    /// This profile with `quirk` on.
    #[must_use]
    pub const fn with(self, quirk: Quirk) -> Self {
        Self { rules: self.rules | quirk.bit() }
    }

    /// This profile with `quirk` off.
    #[must_use]
    pub const fn without(self, quirk: Quirk) -> Self {
        Self { rules: self.rules & !quirk.bit() }
    }

    /// The rules that are on.
    pub fn rules(self) -> impl Iterator<Item = Quirk> {
        Quirk::ALL.into_iter().filter(move |q| self.allows(*q))
    }

    /// The named profiles (`entra`, `okta`, `compat`, in that order) that have every one of
    /// `rules` on: what to suggest to someone whose payload those rules would accept.
    pub fn named_with(rules: &[Quirk]) -> Vec<&'static str> {
        [("entra", Self::entra()), ("okta", Self::okta()), ("compat", Self::compat())]
            .into_iter()
            .filter(|(_, profile)| rules.iter().all(|q| profile.allows(*q)))
            .map(|(name, _)| name)
            .collect()
    }
}

impl FromStr for Profile {
    type Err = UnknownName;

    /// `strict`, `compat`, `entra` or `okta`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "strict" => Ok(Self::strict()),
            "compat" => Ok(Self::compat()),
            "entra" => Ok(Self::entra()),
            "okta" => Ok(Self::okta()),
            _ => Err(UnknownName::new("profile", s, "strict, compat, entra, okta")),
        }
    }
}

/// A profile as options give it: a name (`"compat"`), or an object naming a base profile and
/// the rules to switch on or off: `{"base": "strict", "enable": ["stringBooleans"]}`.
impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(name) => name.parse().map_err(D::Error::custom),
            serde_json::Value::Object(map) => {
                let mut profile = Self::strict();
                let mut lists: [(&str, Vec<Quirk>); 2] = [("enable", Vec::new()), ("disable", Vec::new())];
                for (key, value) in map {
                    if key == "base" {
                        let name = value.as_str().ok_or_else(|| D::Error::custom("`base` must be a profile name"))?;
                        profile = name.parse().map_err(D::Error::custom)?;
                    } else if let Some((_, list)) = lists.iter_mut().find(|(k, _)| *k == key) {
                        let items = value
                            .as_array()
                            .ok_or_else(|| D::Error::custom(format!("`{key}` must be an array of quirk names")))?;
                        for item in items {
                            let name = item
                                .as_str()
                                .ok_or_else(|| D::Error::custom(format!("`{key}` must list quirk names")))?;
                            list.push(name.parse().map_err(D::Error::custom)?);
                        }
                    } else {
                        return Err(D::Error::custom(format!(
                            "unknown profile member `{}`, expected base, enable, disable",
                            crate::error::excerpt(&key)
                        )));
                    }
                }
                let [(_, enable), (_, disable)] = lists;
                let on = enable.into_iter().fold(profile, Self::with);
                Ok(disable.into_iter().fold(on, Self::without))
            }
            _ => Err(D::Error::custom("a profile is a name (strict, compat, entra, okta) or {base, enable, disable}")),
        }
    }
}

/// Written as a preset name when it is one of them, else as the object form.
impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if *self == Self::strict() {
            s.serialize_str("strict")
        } else if *self == Self::compat() {
            s.serialize_str("compat")
        } else if *self == Self::entra() {
            s.serialize_str("entra")
        } else if *self == Self::okta() {
            s.serialize_str("okta")
        } else {
            use serde::ser::SerializeMap;
            let enabled: Vec<Quirk> = self.rules().collect();
            let mut map = s.serialize_map(Some(2))?;
            map.serialize_entry("base", "strict")?;
            map.serialize_entry("enable", &enabled)?;
            map.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_profiles_with_rules() {
        assert_eq!(Profile::named_with(&[Quirk::OpCase, Quirk::StringBooleans]), ["entra", "compat"]);
        assert_eq!(Profile::named_with(&[Quirk::MissingSchemas]), ["okta", "compat"]);
        assert_eq!(Profile::named_with(&[]), ["entra", "okta", "compat"]);
    }

    #[test]
    fn strict_has_no_rules_and_compat_has_all() {
        assert_eq!(Profile::strict().rules().count(), 0);
        assert_eq!(Profile::compat().rules().count(), Quirk::ALL.len());
        assert!(!Profile::compat().without(Quirk::ManagerString).allows(Quirk::ManagerString));
    }

    #[test]
    fn profiles_read_from_options() {
        let p: Profile = serde_json::from_str(r#""COMPAT""#).unwrap();
        assert_eq!(p, Profile::compat());
        let p: Profile = serde_json::from_str(r#"{"enable": ["stringBooleans"]}"#).unwrap();
        assert!(p.allows(Quirk::StringBooleans) && !p.allows(Quirk::MissingSchemas));
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"base":"strict","enable":["stringBooleans"]}"#);
        assert!(serde_json::from_str::<Profile>(r#""lenient""#).is_err());
        assert!(serde_json::from_str::<Profile>(r#"{"enable": ["nope"]}"#).is_err());
    }
}
