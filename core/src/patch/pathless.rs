//! `add` and `replace` without a `path`: the value is an object of attributes (RFC 7644
//! §3.5.2.1, §3.5.2.3), extension objects under their URN included.

use serde_json::{Map, Value};

use super::apply::{At, Engine};
use super::journal::Container;
use super::request::OpKind;
use super::target::{AttrTarget, Target, resolve_reading};
use crate::compat::Quirk;
use crate::error::{Error, ScimType, excerpt};
use crate::schema::Mutability;
use crate::validate::UnknownAttributes;
use crate::validate::loc::Loc;

/// Whether a key of a path-less value is a path rather than an attribute name: it has a `.`
/// or `[` after any schema URN prefix.
fn is_path_key(rest: &str) -> bool {
    rest.contains(['.', '['])
}

/// The attributes a path-less value writes.
type Written<'r> = Vec<(Container<'r>, &'r crate::schema::Attribute)>;

/// Records that a key names `attr` in `container`; `invalidSyntax` when an earlier key of the
/// value named it too.
fn claim<'r>(
    written: &mut Written<'r>,
    container: Container<'r>,
    attr: &'r crate::schema::Attribute,
    here: &Loc<'_>,
) -> Result<(), Error> {
    if written.iter().any(|(c, a)| *c == container && std::ptr::eq(*a, attr)) {
        let full = match container {
            Container::Ext(urn) => [urn, ":", attr.name()].concat(),
            Container::Top => attr.name().to_owned(),
        };
        return Err(Error::new(
            ScimType::InvalidSyntax,
            format!("two keys of the value name the attribute `{full}`; send it once"),
        )
        .at(here.pointer()));
    }
    written.push((container, attr));
    Ok(())
}

/// An extension's member of a path-less value: its object, `null` read as no value (RFC 7643
/// §2.5, as validation reads it: `replace` then removes the extension, `add` adds nothing);
/// anything else `invalidValue`.
fn extension_members(ext: &crate::schema::Schema, v: Value, here: &Loc<'_>) -> Result<Map<String, Value>, Error> {
    match v {
        Value::Object(members) => Ok(members),
        Value::Null => Ok(Map::new()),
        _ => Err(Error::new(ScimType::InvalidValue, format!("extension `{}` must be an object", ext.id()))
            .at(here.pointer())),
    }
}

impl Engine<'_, '_> {
    /// An attribute name no schema defines inside a value: an error, or dropped with a note
    /// (`unknownAttributes: ignore`).
    pub(crate) fn unknown_in_value(&mut self, shown: &str, at: &Loc<'_>) -> Result<(), Error> {
        self.unknown_hinted(shown, at, "", shown)
    }

    /// [`Engine::unknown_in_value`] for a key of extension `urn`'s object: a slip is looked
    /// for among that extension's attributes.
    pub(crate) fn unknown_in_extension(&mut self, urn: &str, key: &str, at: &Loc<'_>) -> Result<(), Error> {
        self.unknown_hinted(key, at, "", &[urn, ":", key].concat())
    }

    /// [`Engine::unknown_in_value`] ending its message with `hint` (where an extension has
    /// the name), else with the attribute a slip of a letter or two likely meant, looked up as
    /// `lookup` (the name with the URN of the schema it was written in, if any).
    fn unknown_hinted(&mut self, shown: &str, at: &Loc<'_>, hint: &str, lookup: &str) -> Result<(), Error> {
        let rt = self.rt.definition().name();
        let slip = if hint.is_empty() { self.rt.suggestion(lookup) } else { String::new() };
        match self.opts.unknown_attributes {
            UnknownAttributes::Reject => Err(Error::new(
                ScimType::InvalidSyntax,
                format!("`{}` is not an attribute of resource type `{rt}`{hint}{slip}", excerpt(shown)),
            )
            .at(at.pointer())),
            UnknownAttributes::Ignore => {
                self.note(
                    crate::validate::NoteCode::UnknownIgnored,
                    || at.pointer(),
                    || {
                        if hint.is_empty() {
                            format!("dropped `{}`, which no schema defines{slip}", excerpt(shown))
                        } else {
                            format!("dropped `{}`, which only an extension defines{hint}", excerpt(shown))
                        }
                    },
                );
                Ok(())
            }
        }
    }

    pub(crate) fn pathless(&mut self, kind: OpKind, value: Map<String, Value>, at: At<'_>) -> Result<(), Error> {
        let rt = self.rt;
        // The attributes written so far: two keys naming one
        // attribute (`title` and `urn:…:User:title`, or two cases) are refused, as validation
        // refuses them in a body, rather than the later one silently winning.
        let mut written: Written<'_> = Vec::new();
        for (key, v) in value {
            let here = at.value.key(&key);
            let inner = At { op: at.op, value: &here, has_path: at.has_path, path_name: at.path_name };
            if key.eq_ignore_ascii_case("schemas") {
                self.schemas_in_value(&v, inner)?;
                continue;
            }
            if let Some((ext, _)) = rt.extension(&key) {
                let members = extension_members(ext, v, &here)?;
                for name in members.keys() {
                    if let Some(attr) = ext.attribute(name) {
                        claim(&mut written, Container::Ext(ext.id()), attr, &here.key(name))?;
                    }
                }
                self.extension_value(kind, ext, members, inner)?;
                continue;
            }
            let is_urn = key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
            let split = rt.split_urn(&key);
            if is_urn && split.is_none() {
                self.unknown_in_value(&key, &here)?;
                continue;
            }
            let rest = split.map_or(key.as_str(), |(_, name)| name);
            if is_path_key(rest) {
                self.path_key(kind, &key, v, inner)?;
                continue;
            }
            let target = match rt.split_urn(&key) {
                Some((schema, name)) if !std::ptr::eq(schema, rt.core_schema()) => schema.attribute(name).map(|attr| {
                    (Container::Ext(schema.id()), attr, schema.id().eq_ignore_ascii_case(crate::urn::ENTERPRISE_USER))
                }),
                Some((_, name)) => rt.attribute(name).map(|f| (Container::Top, f.attribute, false)),
                None => rt.attribute(&key).map(|f| (Container::Top, f.attribute, false)),
            };
            let Some((container, attr, enterprise)) = target else {
                let hint = if split.is_none() { rt.unqualified_hint(&key) } else { String::new() };
                self.unknown_hinted(&key, &here, &hint, &key)?;
                continue;
            };
            if attr.mutability() == Mutability::ReadOnly && self.allows(Quirk::ReadOnlyInValue) {
                self.quirk(
                    Quirk::ReadOnlyInValue,
                    &here,
                    format!("read-only `{}` inside a path-less value was ignored", attr.name()),
                );
                continue;
            }
            claim(&mut written, container, attr, &here)?;
            let t = AttrTarget { container, attr, sub: None, filter: None, enterprise };
            self.write(kind, &t, v, inner)?;
        }
        Ok(())
    }

    /// `schemas` inside a path-less value: it follows the attributes, so it is not written.
    /// The same list is accepted; with the `readOnlyInValue` rule any list is ignored.
    pub(crate) fn schemas_in_value(&mut self, v: &Value, at: At<'_>) -> Result<(), Error> {
        if self.allows(Quirk::ReadOnlyInValue) {
            self.quirk(Quirk::ReadOnlyInValue, at.value, "`schemas` inside a path-less value was ignored".to_owned());
            return Ok(());
        }
        let rt = self.rt;
        let fits = v.as_array().is_some_and(|items| {
            items.iter().all(|item| {
                item.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(rt.core_schema().id()) || rt.extension(s).is_some())
            })
        });
        if fits {
            // The list is kept in step with the extensions present when the PATCH ends.
            return Ok(());
        }
        Err(Error::new(
            ScimType::InvalidValue,
            format!("`schemas` may only list the schemas of `{}`", rt.definition().name()),
        )
        .at(at.value.pointer()))
    }

    /// A key that is a path (`name.givenName`, `emails[type eq "work"].value`): applied as an
    /// operation with that path under the `pathKeysInValue` rule, refused otherwise.
    fn path_key(&mut self, kind: OpKind, key: &str, v: Value, at: At<'_>) -> Result<(), Error> {
        if !self.allows(Quirk::PathKeysInValue) {
            return Err(Error::new(
                ScimType::InvalidPath,
                format!(
                    "`{}` is a path, but keys of a path-less value are attribute names (the `pathKeysInValue` rule accepts paths)",
                    excerpt(key)
                ),
            )
            .at(at.value.pointer()));
        }
        let (target, read) =
            resolve_reading(&self.rt, key, self.allows(Quirk::StringBooleans)).map_err(|e| e.at(at.value.pointer()))?;
        self.quirk(Quirk::PathKeysInValue, at.value, format!("the key `{}` was applied as a path", excerpt(key)));
        if let Some(detail) = read {
            self.quirk(Quirk::StringBooleans, at.value, detail);
        }
        match target {
            Target::Extension(ext) => {
                let members = extension_members(ext, v, at.value)?;
                self.extension_value(kind, ext, members, at)
            }
            Target::Attribute(t) => self.write(kind, &t, v, at),
        }
    }
}
