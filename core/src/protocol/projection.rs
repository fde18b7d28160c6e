//! Which attributes a response carries: the `returned` characteristic (RFC 7643 §2.4, §7) and
//! the `attributes` / `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9).
//!
//! The requested names are resolved once into a [`Projection`]; applying it to a resource then
//! only compares keys. Rules:
//! - `returned: never` (`password`) is never output, under any spelling of its name, also when
//!   asked for. `returned: always` (`id`, and `schemas`, which is always kept) is output
//!   whatever the parameters say. `returned: request` only when named in `attributes`, or, in
//!   the response to a write, when that write specified it ([`Projection::compile_answering`]).
//! - Names match in any case and take every form of RFC 7644 §3.10: `userName`,
//!   `name.givenName`, `emails.value`, `urn:…:User:userName`,
//!   `urn:…:enterprise:2.0:User:manager.value`, and a schema URN alone, which names every
//!   attribute of that schema (for the core schema: its attributes, not `id`/`externalId`/`meta`).
//! - Naming a complex attribute or a schema selects its members except `returned: request`
//!   ones, which must be named themselves.
//! - An `always` sub-attribute is kept even when its parent is not selected.
//! - Names no schema of the type defines are ignored (RFC 7644 does not say to refuse them, and
//!   a client may ask for an extension this service does not have). A name that is not
//!   attribute notation at all (`a b`, `a.b.c`) is `invalidValue`.
//! - Keys in the resource that no schema of the type defines are not output.
//! - Values that end up empty (`null`, `[]`, `{}`, a complex value with no kept
//!   sub-attribute) are left out, as RFC 7643 §2.5 makes them equal to absent.
//! - `schemas` keeps every entry except the URN of an extension of which nothing remains.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use super::query::both_lists;
use crate::error::{Error, Location, ScimType, excerpt};
use crate::schema::{Attribute, AttributeType, ResourceTypeView, Returned, Schema, is_valid_attribute_name};

/// How the request chose attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Default,
    Attributes,
    Excluded,
}

/// What of one attribute's value is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Keep<'r> {
    /// A simple attribute: the value as it is.
    Whole,
    /// A complex attribute: only these sub-attributes (schema spelling, matched in any case).
    Subs(Vec<&'r str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule<'r> {
    name: &'r str,
    keep: Keep<'r>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ExtensionRule<'r> {
    urn: &'r str,
    rules: Vec<Rule<'r>>,
}

/// The attributes a response keeps, resolved once for a resource type and a request.
#[derive(Debug, Clone)]
pub struct Projection<'r> {
    view: ResourceTypeView<'r>,
    /// Kept attributes of the core schema and the common attributes.
    core: Vec<Rule<'r>>,
    /// Extensions of which something is kept.
    extensions: Vec<ExtensionRule<'r>>,
}

/// The names a request gave, resolved.
#[derive(Debug, Default)]
struct Selected<'r> {
    whole: Vec<&'r Attribute>,
    subs: Vec<(&'r Attribute, &'r Attribute)>,
    schemas: Vec<&'r Schema>,
}

impl<'r> Selected<'r> {
    fn add(&mut self, view: ResourceTypeView<'r>, name: &str) -> Result<(), String> {
        let core = view.core_schema();
        if core.id().eq_ignore_ascii_case(name) {
            self.schemas.push(core);
            return Ok(());
        }
        if let Some((schema, _)) = view.extension(name) {
            self.schemas.push(schema);
            return Ok(());
        }
        let rest = match view.split_urn(name) {
            Some((_, rest)) => rest,
            // An attribute of a schema this type does not have: ignored like any unknown name.
            None if name.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) => return Ok(()),
            None => name,
        };
        let mut parts = rest.split('.');
        let well_formed = parts.next().is_some_and(is_valid_attribute_name)
            && parts.next().is_none_or(is_valid_attribute_name)
            && parts.next().is_none();
        if !well_formed {
            return Err(format!("`{}` is not an attribute name", excerpt(name)));
        }
        if let Some(found) = view.resolve(name) {
            match found.sub_attribute {
                Some(sub) => self.subs.push((found.attribute, sub)),
                None => self.whole.push(found.attribute),
            }
        }
        Ok(())
    }

    fn names_whole(&self, a: &Attribute) -> bool {
        self.whole.iter().any(|w| std::ptr::eq(*w, a))
    }

    fn names_sub(&self, parent: &Attribute, sub: &Attribute) -> bool {
        self.subs.iter().any(|(p, s)| std::ptr::eq(*p, parent) && std::ptr::eq(*s, sub))
    }

    fn names_schema(&self, schema: &Schema) -> bool {
        self.schemas.iter().any(|s| std::ptr::eq(*s, schema))
    }
}

/// The kept part of attribute `a`, or `None` when nothing of it is output.
/// `in_named_schema`: the request named the schema that defines `a`. `specified`: what the
/// write the response answers specified, which brings `returned: request` attributes into the
/// default set (RFC 7643 §7).
fn rule<'r>(
    a: &'r Attribute,
    selected: &Selected<'r>,
    specified: &Selected<'r>,
    mode: Mode,
    in_named_schema: bool,
) -> Option<Rule<'r>> {
    let returned = a.returned();
    // `returned: never`, and `writeOnly` whatever its `returned` says (RFC 7643 §2.2: values
    // "SHALL NOT be returned").
    if a.is_secret() {
        return None;
    }
    let named = selected.names_whole(a);
    // In the default set: not `request`, or a `request` one the write specified.
    let by_default = returned != Returned::Request || specified.names_whole(a);
    let all = match mode {
        Mode::Default => by_default,
        Mode::Attributes => returned == Returned::Always || named || (in_named_schema && returned != Returned::Request),
        Mode::Excluded => returned == Returned::Always || (by_default && !named && !in_named_schema),
    };
    if a.kind() != AttributeType::Complex {
        return all.then_some(Rule { name: a.name(), keep: Keep::Whole });
    }
    let subs: Vec<&'r str> = a
        .sub_attributes()
        .iter()
        .filter(|s| {
            let sub_named = selected.names_sub(a, s);
            if s.is_secret() {
                return false;
            }
            match s.returned() {
                Returned::Never => false,
                Returned::Always => true,
                Returned::Request => match mode {
                    Mode::Attributes => sub_named,
                    Mode::Default => all && specified.names_sub(a, s),
                    Mode::Excluded => all && specified.names_sub(a, s) && !sub_named,
                },
                Returned::Default => match mode {
                    Mode::Default => all,
                    Mode::Attributes => all || sub_named,
                    Mode::Excluded => all && !sub_named,
                },
            }
        })
        .map(Attribute::name)
        .collect();
    (!subs.is_empty()).then_some(Rule { name: a.name(), keep: Keep::Subs(subs) })
}

/// Where a top-level key of a resource goes.
enum Top<'p, 'r> {
    Schemas,
    /// An attribute; `extension` is the URN of the extension it belongs to, for a
    /// URN-qualified key at the top level.
    Attribute {
        keep: &'p Keep<'r>,
        extension: Option<&'r str>,
    },
    Extension(&'p ExtensionRule<'r>),
    Drop,
}

fn find<'p, 'r>(rules: &'p [Rule<'r>], key: &str) -> Option<&'p Keep<'r>> {
    rules.iter().find(|r| r.name.eq_ignore_ascii_case(key)).map(|r| &r.keep)
}

fn is_unassigned(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
    }
}

impl<'r> Projection<'r> {
    /// Resolves the requested names for resources of `view`. Give at most one of the lists.
    ///
    /// # Errors
    /// `invalidValue` when both lists are given, or for a name that is not attribute notation
    /// (located at `/attributes/<i>` or `/excludedAttributes/<i>`).
    pub fn compile<S: AsRef<str>>(
        view: ResourceTypeView<'r>,
        attributes: &[S],
        excluded_attributes: &[S],
    ) -> Result<Self, Error> {
        Self::compile_answering(view, attributes, excluded_attributes, None)
    }

    /// [`Projection::compile`] for the response to a write: `request` (the POST or PUT body,
    /// or the PatchOp) brings the `returned: request` attributes it specified into the default
    /// set (RFC 7643 §7), as `attributes` would name them.
    ///
    /// # Errors
    /// As [`Projection::compile`].
    pub fn compile_answering<S: AsRef<str>>(
        view: ResourceTypeView<'r>,
        attributes: &[S],
        excluded_attributes: &[S],
        request: Option<&Value>,
    ) -> Result<Self, Error> {
        let mut specified = Selected::default();
        for name in request.map(|r| super::specified::specified_names(view, r)).unwrap_or_default() {
            // A name the request spelled that is no attribute names nothing here.
            let _ = specified.add(view, &name);
        }
        let (mode, names, member) = match (attributes.is_empty(), excluded_attributes.is_empty()) {
            (true, true) => (Mode::Default, attributes, ""),
            (false, true) => (Mode::Attributes, attributes, "attributes"),
            (true, false) => (Mode::Excluded, excluded_attributes, "excludedAttributes"),
            (false, false) => return Err(both_lists(Location::root().key("excludedAttributes"))),
        };
        let mut selected = Selected::default();
        for (i, name) in names.iter().enumerate() {
            selected.add(view, name.as_ref()).map_err(|detail| {
                Error::new(ScimType::InvalidValue, detail).at(Location::root().key(member).index(i))
            })?;
        }
        let core_schema = view.core_schema();
        let core_named = selected.names_schema(core_schema);
        let core = core_schema
            .attributes()
            .iter()
            .map(|a| (a, core_named))
            .chain(view.common_attributes().iter().map(|a| (a, false)))
            .filter_map(|(a, in_named)| rule(a, &selected, &specified, mode, in_named))
            .collect();
        let extensions = view
            .extensions()
            .filter_map(|(schema, _)| {
                let schema_named = selected.names_schema(schema);
                let rules: Vec<Rule<'r>> = schema
                    .attributes()
                    .iter()
                    .filter_map(|a| rule(a, &selected, &specified, mode, schema_named))
                    .collect();
                (!rules.is_empty()).then_some(ExtensionRule { urn: schema.id(), rules })
            })
            .collect();
        Ok(Self { view, core, extensions })
    }

    /// The projection with no parameters: what `returned` alone allows.
    pub fn default_for(view: ResourceTypeView<'r>) -> Self {
        let none: [&str; 0] = [];
        Self::compile(view, &none, &none).unwrap_or(Self { view, core: Vec::new(), extensions: Vec::new() })
    }

    fn top<'p>(&'p self, key: &str) -> Top<'p, 'r> {
        if key.eq_ignore_ascii_case("schemas") {
            return Top::Schemas;
        }
        if let Some(keep) = find(&self.core, key) {
            return Top::Attribute { keep, extension: None };
        }
        if let Some(e) = self.extensions.iter().find(|e| e.urn.eq_ignore_ascii_case(key)) {
            return Top::Extension(e);
        }
        // A URN-qualified attribute at the top level (`urn:…:User:userName`).
        if let Some((schema, rest)) = self.view.split_urn(key) {
            if std::ptr::eq(schema, self.view.core_schema()) {
                if let Some(keep) = find(&self.core, rest) {
                    return Top::Attribute { keep, extension: None };
                }
            } else if let Some(e) = self.extensions.iter().find(|e| e.urn.eq_ignore_ascii_case(schema.id())) {
                if let Some(keep) = find(&e.rules, rest) {
                    return Top::Attribute { keep, extension: Some(e.urn) };
                }
            }
        }
        Top::Drop
    }

    /// The extensions of which something remains in `map`.
    fn present_extensions(&self, map: &Map<String, Value>) -> Vec<&'r str> {
        let mut present = Vec::new();
        for (key, value) in map {
            match self.top(key) {
                Top::Extension(e) if extension_keeps(e, value) => present.push(e.urn),
                Top::Attribute { keep, extension: Some(urn) } if keeps(keep, value) => present.push(urn),
                _ => {}
            }
        }
        present
    }

    /// Whether a `schemas` entry stays: anything but the URN of an extension of the type of
    /// which nothing remains.
    fn keeps_schema(&self, entry: &Value, present: &[&str]) -> bool {
        let Some(urn) = entry.as_str() else { return true };
        self.view.extension(urn).is_none() || present.iter().any(|p| p.eq_ignore_ascii_case(urn))
    }

    /// `resource` with only what the response may carry, moving the kept values (nothing is
    /// cloned). A value that is not an object is returned as it is.
    pub fn apply_owned(&self, mut resource: Value) -> Value {
        self.apply_in_place(&mut resource);
        resource
    }

    /// A projected copy of `resource`.
    pub fn apply(&self, resource: &Value) -> Value {
        self.apply_owned(resource.clone())
    }

    /// Removes from `resource` what the response may not carry.
    pub fn apply_in_place(&self, resource: &mut Value) {
        let Value::Object(map) = resource else { return };
        let mut present = Vec::new();
        map.retain(|key, value| match self.top(key) {
            Top::Schemas => true,
            Top::Attribute { keep, extension } => {
                let kept = keep_in_place(keep, value);
                if let (true, Some(urn)) = (kept, extension) {
                    present.push(urn);
                }
                kept
            }
            Top::Extension(e) => {
                let kept = extension_in_place(e, value);
                if kept {
                    present.push(e.urn);
                }
                kept
            }
            Top::Drop => false,
        });
        for (key, value) in map.iter_mut() {
            if let (true, Value::Array(items)) = (key.eq_ignore_ascii_case("schemas"), value) {
                items.retain(|entry| self.keeps_schema(entry, &present));
            }
        }
    }

    /// A view of `resource` that serializes as the projected resource, without copying it.
    pub fn view<'p>(&'p self, resource: &'p Value) -> Projected<'p> {
        Projected { projection: self, resource }
    }
}

fn keeps(keep: &Keep<'_>, value: &Value) -> bool {
    match (keep, value) {
        (Keep::Whole, v) => !is_unassigned(v),
        (Keep::Subs(names), Value::Object(obj)) => object_keeps(names, obj),
        (Keep::Subs(names), Value::Array(items)) => {
            items.iter().any(|item| item.as_object().is_some_and(|obj| object_keeps(names, obj)))
        }
        (Keep::Subs(_), _) => false,
    }
}

fn object_keeps(names: &[&str], obj: &Map<String, Value>) -> bool {
    obj.iter().any(|(k, v)| names.iter().any(|n| n.eq_ignore_ascii_case(k)) && !is_unassigned(v))
}

fn extension_keeps(rule: &ExtensionRule<'_>, value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|obj| obj.iter().any(|(k, v)| find(&rule.rules, k).is_some_and(|keep| keeps(keep, v))))
}

fn keep_in_place(keep: &Keep<'_>, value: &mut Value) -> bool {
    match (keep, value) {
        (Keep::Whole, v) => !is_unassigned(v),
        (Keep::Subs(names), Value::Object(obj)) => object_in_place(names, obj),
        (Keep::Subs(names), Value::Array(items)) => {
            items.retain_mut(|item| match item {
                Value::Object(obj) => object_in_place(names, obj),
                _ => false,
            });
            !items.is_empty()
        }
        (Keep::Subs(_), _) => false,
    }
}

fn object_in_place(names: &[&str], obj: &mut Map<String, Value>) -> bool {
    obj.retain(|k, v| names.iter().any(|n| n.eq_ignore_ascii_case(k)) && !is_unassigned(v));
    !obj.is_empty()
}

fn extension_in_place(rule: &ExtensionRule<'_>, value: &mut Value) -> bool {
    let Value::Object(obj) = value else { return false };
    obj.retain(|k, v| find(&rule.rules, k).is_some_and(|keep| keep_in_place(keep, v)));
    !obj.is_empty()
}

/// A resource seen through a [`Projection`]: serializes as the projected resource.
#[derive(Debug, Clone, Copy)]
pub struct Projected<'p> {
    projection: &'p Projection<'p>,
    resource: &'p Value,
}

impl Serialize for Projected<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(map) = self.resource else { return self.resource.serialize(serializer) };
        let p = self.projection;
        let present = p.present_extensions(map);
        let mut out = serializer.serialize_map(None)?;
        for (key, value) in map {
            match p.top(key) {
                Top::Schemas => match value {
                    Value::Array(items) => {
                        out.serialize_entry(key, &SchemasView { projection: p, items, present: &present })?;
                    }
                    other => out.serialize_entry(key, other)?,
                },
                Top::Attribute { keep, .. } => {
                    if keeps(keep, value) {
                        out.serialize_entry(key, &KeepView { keep, value })?;
                    }
                }
                Top::Extension(rule) => {
                    if let (true, Value::Object(obj)) = (extension_keeps(rule, value), value) {
                        out.serialize_entry(key, &ExtensionView { rule, obj })?;
                    }
                }
                Top::Drop => {}
            }
        }
        out.end()
    }
}

struct SchemasView<'a> {
    projection: &'a Projection<'a>,
    items: &'a [Value],
    present: &'a [&'a str],
}

impl Serialize for SchemasView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in self.items.iter().filter(|i| self.projection.keeps_schema(i, self.present)) {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

struct KeepView<'a> {
    keep: &'a Keep<'a>,
    value: &'a Value,
}

impl Serialize for KeepView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.keep, self.value) {
            (Keep::Subs(names), Value::Object(obj)) => SubsView { names, obj }.serialize(serializer),
            (Keep::Subs(names), Value::Array(items)) => {
                let mut seq = serializer.serialize_seq(None)?;
                for obj in items.iter().filter_map(Value::as_object).filter(|obj| object_keeps(names, obj)) {
                    seq.serialize_element(&SubsView { names, obj })?;
                }
                seq.end()
            }
            (_, value) => value.serialize(serializer),
        }
    }
}

struct SubsView<'a> {
    names: &'a [&'a str],
    obj: &'a Map<String, Value>,
}

impl Serialize for SubsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.obj {
            if self.names.iter().any(|n| n.eq_ignore_ascii_case(k)) && !is_unassigned(v) {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

struct ExtensionView<'a> {
    rule: &'a ExtensionRule<'a>,
    obj: &'a Map<String, Value>,
}

impl Serialize for ExtensionView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.obj {
            if let Some(keep) = find(&self.rule.rules, k).filter(|keep| keeps(keep, v)) {
                map.serialize_entry(k, &KeepView { keep, value: v })?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;
    use crate::urn;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "id": "2819c223",
            "userName": "bjensen",
            "password": "t1meMa$heen",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": "b@example.com", "type": "work", "primary": true}, {"type": "home"}],
            "meta": {"resourceType": "User"},
            "nickname2": "unknown",
            urn::ENTERPRISE_USER: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John"}}
        })
    }

    fn project(attributes: &[&str], excluded: &[&str]) -> Value {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let p = Projection::compile(view, attributes, excluded).unwrap();
        let resource = user();
        let by_view = serde_json::to_value(p.view(&resource)).unwrap();
        let moved = p.apply(&resource);
        assert_eq!(by_view, moved, "the serializing view and the in-place projection must agree");
        moved
    }

    #[test]
    fn default_drops_never_and_unknown() {
        let out = project(&[], &[]);
        assert!(out.get("password").is_none() && out.get("nickname2").is_none());
        assert_eq!(out["userName"], "bjensen");
        assert_eq!(out["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
    }

    #[test]
    fn attributes_keep_always_and_asked() {
        let out = project(&["userName", "emails.value", "PASSWORD"], &[]);
        assert_eq!(
            out,
            json!({"schemas": [urn::USER], "id": "2819c223", "userName": "bjensen", "emails": [{"value": "b@example.com"}]})
        );
    }

    #[test]
    fn extension_names() {
        let manager = format!("{}:manager.value", urn::ENTERPRISE_USER);
        let out = project(&[&manager], &[]);
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"manager": {"value": "26118915"}}));
        let out = project(&[], &[urn::ENTERPRISE_USER]);
        assert!(out.get(urn::ENTERPRISE_USER).is_none());
        assert_eq!(out["schemas"], json!([urn::USER]));
    }

    #[test]
    fn malformed_names_are_refused_unknown_ignored() {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let e = Projection::compile(view, &["userName", "a b"], &[]).unwrap_err();
        assert_eq!(e.location().unwrap().as_str(), "/attributes/1");
        assert!(Projection::compile(view, &["nope", "urn:x:y:z"], &[]).is_ok());
        assert!(Projection::compile(view, &["a"], &["b"]).is_err());
    }
}
