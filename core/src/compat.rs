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
}

impl Quirk {
    /// Every rule.
    pub const ALL: [Self; 3] = [Self::StringBooleans, Self::ManagerString, Self::MissingSchemas];

    /// The rule's name as notes and options spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::StringBooleans => "stringBooleans",
            Self::ManagerString => "managerString",
            Self::MissingSchemas => "missingSchemas",
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
            .ok_or_else(|| UnknownName::new("quirk rule", s, "stringBooleans, managerString, missingSchemas"))
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

/// A set of enabled quirk rules. `strict` has none; `compat` has all.
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
}

impl FromStr for Profile {
    type Err = UnknownName;

    /// `strict` or `compat`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("strict") {
            Ok(Self::strict())
        } else if s.eq_ignore_ascii_case("compat") {
            Ok(Self::compat())
        } else {
            Err(UnknownName::new("profile", s, "strict, compat"))
        }
    }
}

/// A profile as options give it: a name (`"compat"`), or an object naming a base profile and
/// the rules to switch on or off: `{"base": "strict", "enable": ["stringBooleans"]}`.
impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Custom {
            #[serde(default)]
            base: Option<String>,
            #[serde(default)]
            enable: Vec<Quirk>,
            #[serde(default)]
            disable: Vec<Quirk>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Name(String),
            Custom(Custom),
        }
        match Form::deserialize(d)? {
            Form::Name(name) => name.parse().map_err(serde::de::Error::custom),
            Form::Custom(c) => {
                let base = match c.base {
                    Some(name) => name.parse().map_err(serde::de::Error::custom)?,
                    None => Self::strict(),
                };
                let on = c.enable.into_iter().fold(base, Self::with);
                Ok(c.disable.into_iter().fold(on, Self::without))
            }
        }
    }
}

/// Written as `"strict"`/`"compat"` when it is one of them, else as the object form.
impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if *self == Self::strict() {
            s.serialize_str("strict")
        } else if *self == Self::compat() {
            s.serialize_str("compat")
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
