//! The compiled registry: schemas and resource types, checked together, immutable, cheap to
//! clone and share between threads.

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::attribute::{Attribute, AttributeType, Mutability, Returned, Uniqueness, find_attribute};
use super::builtin;
use super::definition::{ResourceType, Schema};
use super::load::{resource_type_from_value, schema_from_value};
use crate::error::{Error, Location, ScimType, excerpt};
use crate::json::{Limits, parse_strict};

#[derive(Debug)]
struct Inner {
    schemas: Vec<Schema>,
    resource_types: Vec<ResourceType>,
    /// Per resource type (same order): where its schemas are in `schemas`.
    compiled: Vec<CompiledType>,
    common: Vec<Attribute>,
}

/// A resource type's schemas as indices into the registry's schema list, found once at build.
#[derive(Debug)]
struct CompiledType {
    core: usize,
    extensions: Vec<(usize, bool)>,
}

impl Inner {
    fn new(schemas: Vec<Schema>, resource_types: Vec<ResourceType>) -> Self {
        let index = |urn: &str| schemas.iter().position(|s| s.id.eq_ignore_ascii_case(urn));
        let compiled = resource_types
            .iter()
            .map(|rt| CompiledType {
                core: index(&rt.schema).unwrap_or(usize::MAX),
                extensions: rt.extensions.iter().filter_map(|e| index(&e.schema).map(|i| (i, e.required))).collect(),
            })
            .collect();
        Self { schemas, resource_types, compiled, common: common_attributes() }
    }
}

/// Schemas and resource types, checked to fit together. Lookups are case-insensitive.
/// Cloning is cheap (the data is shared), and a registry is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

/// Collects schemas and resource types, then checks and compiles them into a [`Registry`].
#[derive(Debug, Clone, Default)]
pub struct RegistryBuilder {
    schemas: Vec<Schema>,
    /// Each resource type, with where it was in the document it came from (the root, or its
    /// index in an array or a ListResponse), to locate what [`RegistryBuilder::build`] finds.
    resource_types: Vec<(ResourceType, Location)>,
}

impl RegistryBuilder {
    /// An empty builder (no built-in schemas).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding the RFC 7643 built-ins: the User, Group, EnterpriseUser,
    /// ServiceProviderConfig, ResourceType and Schema schemas and the User and Group types.
    pub fn with_builtins() -> Self {
        let base = Registry::builtin();
        let resource_types = base.inner.resource_types.iter().map(|rt| (rt.clone(), Location::root())).collect();
        Self { schemas: base.inner.schemas.clone(), resource_types }
    }

    /// Adds a schema from its RFC 7643 §7 JSON text. A schema with the same id replaces the
    /// one already held.
    ///
    /// # Errors
    /// `invalidSyntax` for malformed JSON, `invalidValue` for a malformed definition.
    pub fn schema_json(self, text: &str) -> Result<Self, Error> {
        let value = parse_strict(text, &Limits::default())?;
        self.schema_value(&value)
    }

    /// Adds a schema from its RFC 7643 §7 JSON representation, or several: an array of them,
    /// or a `/Schemas` ListResponse as a service sent it.
    ///
    /// # Errors
    /// `invalidValue` naming the place of the first problem in the definition.
    pub fn schema_value(mut self, value: &Value) -> Result<Self, Error> {
        for (origin, item) in documents(value)? {
            let schema = schema_from_value(item).map_err(|e| relocate(e, &origin))?;
            self.schemas.retain(|s| !s.id.eq_ignore_ascii_case(&schema.id));
            self.schemas.push(schema);
        }
        Ok(self)
    }

    /// Adds a resource type, or a JSON array of them, from RFC 7643 §6 JSON text.
    ///
    /// # Errors
    /// `invalidSyntax` for malformed JSON, `invalidValue` for a malformed definition.
    pub fn resource_type_json(self, text: &str) -> Result<Self, Error> {
        let value = parse_strict(text, &Limits::default())?;
        self.resource_type_value(&value)
    }

    /// Adds a resource type from the RFC 7643 §6 JSON representation, or several: an array of
    /// them, or a `/ResourceTypes` ListResponse as a service sent it. A type with the same name
    /// replaces the one already held.
    ///
    /// # Errors
    /// `invalidValue` naming the place of the first problem in the definition.
    pub fn resource_type_value(mut self, value: &Value) -> Result<Self, Error> {
        for (origin, item) in documents(value)? {
            let rt = resource_type_from_value(item).map_err(|e| relocate(e, &origin))?;
            self.resource_types.retain(|(r, _)| !r.name.eq_ignore_ascii_case(&rt.name));
            self.resource_types.push((rt, origin));
        }
        Ok(self)
    }

    /// Checks that every resource type names known schemas, once each, that no two types
    /// share an endpoint or an id, and that no schema URN of a type reads as another's URN and
    /// attribute; takes the common attributes out of core schemas that list them; and builds
    /// the registry.
    ///
    /// # Errors
    /// `invalidValue` naming the resource type and the missing or repeated schema, located in
    /// the resource type's document.
    pub fn build(mut self) -> Result<Registry, Error> {
        let find = |schemas: &[Schema], urn: &str| schemas.iter().position(|s| s.id.eq_ignore_ascii_case(urn));
        for (i, (rt, origin)) in self.resource_types.iter().enumerate() {
            let fail = |at: Location, detail: String| {
                Err(Error::new(ScimType::InvalidValue, detail).at(Location::from_pointer(format!(
                    "{}{}",
                    origin.as_str(),
                    at.as_str()
                ))))
            };
            let Some(core) = find(&self.schemas, &rt.schema) else {
                return fail(
                    Location::root().key("schema"),
                    format!("resource type `{}` names schema `{}`, which is not loaded", rt.name, excerpt(&rt.schema)),
                );
            };
            let mut used = vec![core];
            for (j, ext) in rt.extensions.iter().enumerate() {
                let at = Location::root().key("schemaExtensions").index(j).key("schema");
                let Some(index) = find(&self.schemas, &ext.schema) else {
                    return fail(
                        at,
                        format!(
                            "resource type `{}` names extension `{}`, which is not loaded",
                            rt.name,
                            excerpt(&ext.schema)
                        ),
                    );
                };
                if used.contains(&index) {
                    return fail(
                        at,
                        format!("resource type `{}` lists schema `{}` twice", rt.name, excerpt(&ext.schema)),
                    );
                }
                used.push(index);
            }
            if let Some((outer, attribute, inner)) = ambiguous_urn(&self.schemas, &used) {
                let at = rt.extensions.iter().position(|e| e.schema.eq_ignore_ascii_case(inner)).map_or_else(
                    || Location::root().key("schema"),
                    |j| Location::root().key("schemaExtensions").index(j).key("schema"),
                );
                return fail(
                    at,
                    format!(
                        "resource type `{}` has schema `{inner}`, which reads the same as attribute `{attribute}` of \
                         schema `{outer}` (`{inner}.x` could be either); give the extension another URN",
                        rt.name
                    ),
                );
            }
            let earlier = self.resource_types.iter().take(i).map(|(o, _)| o);
            for other in earlier {
                if other.endpoint.eq_ignore_ascii_case(&rt.endpoint) {
                    return fail(
                        Location::root().key("endpoint"),
                        format!("resource type `{}` uses endpoint `{}`, which another type uses", rt.name, rt.endpoint),
                    );
                }
                let clash = [&other.id, &other.name]
                    .into_iter()
                    .find(|o| o.eq_ignore_ascii_case(&rt.id))
                    .or_else(|| (other.id.eq_ignore_ascii_case(&rt.name)).then_some(&other.id));
                if let Some(clash) = clash {
                    return fail(
                        Location::root().key("id"),
                        format!(
                            "resource type `{}` has id `{}`, which type `{}` answers to as `{clash}`: ids and names \
                             find a type at /ResourceTypes/{{id}}, so each must be its own",
                            rt.name, rt.id, other.name
                        ),
                    );
                }
            }
        }
        self.take_out_common_attributes()?;
        let resource_types = self.resource_types.into_iter().map(|(rt, _)| rt).collect();
        Ok(Registry { inner: Arc::new(Inner::new(self.schemas, resource_types)) })
    }

    /// RFC 7643 §3.1: a core schema MAY list the common attributes (`id`, `externalId`,
    /// `meta`), but theirs are the characteristics that count; `schemas` is no schema's
    /// attribute either. Such entries are taken out of every schema a resource type has as its
    /// core. A schema that is also another type's extension keeps them, and is refused when it
    /// lists one: there, `urn:…:id` would be its own attribute.
    fn take_out_common_attributes(&mut self) -> Result<(), Error> {
        let is_common = |a: &Attribute| COMMON_NAMES.iter().any(|n| a.name.eq_ignore_ascii_case(n));
        for schema in &mut self.schemas {
            let as_core = self.resource_types.iter().find(|(rt, _)| rt.schema.eq_ignore_ascii_case(&schema.id));
            let Some((core_of, origin)) = as_core else { continue };
            let Some(listed) = schema.attributes.iter().find(|a| is_common(a)) else { continue };
            let as_extension = self
                .resource_types
                .iter()
                .find(|(rt, _)| rt.extensions.iter().any(|e| e.schema.eq_ignore_ascii_case(&schema.id)));
            if let Some((extended, _)) = as_extension {
                return Err(Error::new(
                    ScimType::InvalidValue,
                    format!(
                        "schema `{}` lists `{}`, a common attribute of the core schema of `{}`, and is also an \
                         extension of `{}`, where it would be an attribute of its own",
                        schema.id, listed.name, core_of.name, extended.name
                    ),
                )
                .at(Location::from_pointer(format!("{}/schema", origin.as_str()))));
            }
            schema.attributes.retain(|a| !is_common(a));
        }
        Ok(())
    }
}

/// The names RFC 7643 §3 gives every resource, outside any schema.
const COMMON_NAMES: [&str; 4] = ["id", "externalId", "meta", "schemas"];

/// Two schemas of one resource type whose URNs read alike in an attribute path: `inner` is
/// `outer` followed by `:` and the name of one of `outer`'s attributes (or of a common one),
/// so `inner.x` could be `x` of extension `inner` or sub-attribute `x` of that attribute.
/// Gives `(outer, attribute, inner)`.
fn ambiguous_urn<'s>(schemas: &'s [Schema], used: &[usize]) -> Option<(&'s str, &'s str, &'s str)> {
    let used: Vec<&Schema> = used.iter().filter_map(|&i| schemas.get(i)).collect();
    for outer in &used {
        for inner in &used {
            let rest = inner
                .id
                .get(..outer.id.len())
                .filter(|p| p.eq_ignore_ascii_case(&outer.id))
                .and_then(|_| inner.id.get(outer.id.len()..))
                .and_then(|r| r.strip_prefix(':'));
            let Some(rest) = rest else { continue };
            let attribute = outer
                .attributes
                .iter()
                .map(|a| a.name.as_str())
                .chain(COMMON_NAMES)
                .find(|n| n.eq_ignore_ascii_case(rest));
            if let Some(attribute) = attribute {
                return Some((&outer.id, attribute, &inner.id));
            }
        }
    }
    None
}

/// The members of a ListResponse (RFC 7644 §3.4.2).
const LIST_RESPONSE_KEYS: [&str; 5] = ["schemas", "totalResults", "itemsPerPage", "startIndex", "Resources"];

/// Each document in `value`: the value itself, each item of an array, or each of the
/// `Resources` of a ListResponse (as a service's `/Schemas` or `/ResourceTypes` sends them),
/// with where it is in `value`.
///
/// # Errors
/// `invalidValue` for a ListResponse that does not hold every definition it counts (a page of
/// a longer list, `Resources` misspelt or left out), or that has a member RFC 7644 §3.4.2 does
/// not define: loading part of a list would quietly keep what the rest was meant to replace.
fn documents(value: &Value) -> Result<Vec<(Location, &Value)>, Error> {
    let listed = value.as_object().filter(|o| {
        o.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("schemas")
                && v.as_array().is_some_and(|a| {
                    a.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(crate::urn::LIST_RESPONSE)))
                })
        })
    });
    let Some(list) = listed else {
        return Ok(match value {
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Location::root().index(i), v)).collect(),
            other => vec![(Location::root(), other)],
        });
    };
    let refuse = |at: Location, detail: String| Err(Error::new(ScimType::InvalidValue, detail).at(at));
    if let Some(key) = list.keys().find(|k| !LIST_RESPONSE_KEYS.iter().any(|n| n.eq_ignore_ascii_case(k))) {
        return refuse(Location::root().key(key), format!("`{}` is not a member of a ListResponse", excerpt(key)));
    }
    let (at, items): (Location, &[Value]) = match list.iter().find(|(k, _)| k.eq_ignore_ascii_case("Resources")) {
        Some((k, Value::Array(items))) => (Location::root().key(k), items),
        Some((_, Value::Null)) | None => (Location::root().key("Resources"), &[]),
        Some((k, _)) => return refuse(Location::root().key(k), "`Resources` must be an array".to_owned()),
    };
    let Some((total_key, total)) = list.iter().find(|(k, _)| k.eq_ignore_ascii_case("totalResults")) else {
        return refuse(Location::root(), "a ListResponse needs `totalResults` (RFC 7644 §3.4.2)".to_owned());
    };
    if total.as_u64().is_none() {
        return refuse(
            Location::root().key(total_key),
            format!("`totalResults` must be a whole number written without a fraction, found {total}"),
        );
    }
    if total.as_u64() != Some(items.len() as u64) {
        return refuse(
            at,
            format!(
                "the ListResponse holds {} of its {} definitions (`totalResults`): give the whole list, not a page",
                items.len(),
                total
            ),
        );
    }
    Ok(items.iter().enumerate().map(|(i, v)| (at.clone().index(i), v)).collect())
}

/// Moves an error found in one item of an array to that item's place in the array.
fn relocate(e: Error, prefix: &Location) -> Error {
    let inner = e.location().map(|l| l.as_str().to_owned()).unwrap_or_default();
    let location = Location::from_pointer(format!("{}{inner}", prefix.as_str()));
    e.at(location)
}

/// The common attributes of RFC 7643 §3.1 that every resource has: `id`, `externalId`, `meta`.
fn common_attributes() -> Vec<Attribute> {
    let mut id = Attribute::new("id", AttributeType::String);
    id.case_exact = true;
    id.mutability = Mutability::ReadOnly;
    id.returned = Returned::Always;
    id.uniqueness = Uniqueness::Server;
    id.description = "identifier the service provider assigns".into();

    let mut external_id = Attribute::new("externalId", AttributeType::String);
    external_id.case_exact = true;
    external_id.description = "identifier the provisioning client assigns".into();

    let mut meta = Attribute::new("meta", AttributeType::Complex);
    meta.mutability = Mutability::ReadOnly;
    meta.description = "resource metadata".into();
    let sub = |name: &str, kind: AttributeType, case_exact: bool, description: &str| {
        let mut a = Attribute::new(name, kind);
        a.case_exact = case_exact;
        a.mutability = Mutability::ReadOnly;
        a.description = description.into();
        a
    };
    let mut location = sub("location", AttributeType::Reference, true, "URI of the resource");
    location.reference_types = vec!["uri".into()];
    meta.sub_attributes = vec![
        sub("resourceType", AttributeType::String, true, "name of the resource type"),
        sub("created", AttributeType::DateTime, false, "when the resource was added"),
        sub("lastModified", AttributeType::DateTime, false, "when the resource last changed"),
        location,
        sub("version", AttributeType::String, true, "version of the resource, as an entity tag"),
    ];
    vec![id, external_id, meta]
}

/// Where an attribute was found, and the schema it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ResolvedAttribute<'r> {
    /// The schema that defines the attribute; `None` for the common attributes (`id`,
    /// `externalId`, `meta`).
    pub schema: Option<&'r Schema>,
    /// The top-level attribute.
    pub attribute: &'r Attribute,
    /// The sub-attribute, for a `name.sub` path.
    pub sub_attribute: Option<&'r Attribute>,
}

impl<'r> ResolvedAttribute<'r> {
    /// The definition the path ends at: the sub-attribute if there is one.
    pub fn target(&self) -> &'r Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }
}

/// A resource type with its schemas, borrowed from a registry.
#[derive(Debug, Clone, Copy)]
pub struct ResourceTypeView<'r> {
    registry: &'r Registry,
    definition: &'r ResourceType,
    compiled: &'r CompiledType,
    core: &'r Schema,
}

impl<'r> ResourceTypeView<'r> {
    /// The registry this type belongs to.
    pub fn registry(&self) -> &'r Registry {
        self.registry
    }

    /// The definition.
    pub fn definition(&self) -> &'r ResourceType {
        self.definition
    }

    /// The core schema.
    pub fn core_schema(&self) -> &'r Schema {
        self.core
    }

    /// The common attributes every resource has (`id`, `externalId`, `meta`).
    pub fn common_attributes(&self) -> &'r [Attribute] {
        &self.registry.inner.common
    }

    /// The extension schemas with whether each is required.
    pub fn extensions(&self) -> impl Iterator<Item = (&'r Schema, bool)> + 'r {
        let schemas = &self.registry.inner.schemas;
        self.compiled.extensions.iter().filter_map(move |&(i, required)| schemas.get(i).map(|s| (s, required)))
    }

    /// The extension schema with this URN (any case).
    pub fn extension(&self, urn: &str) -> Option<(&'r Schema, bool)> {
        self.extensions().find(|(s, _)| s.id.eq_ignore_ascii_case(urn))
    }

    /// For a name written without a URN that is no attribute of the core schema: where the
    /// type's extensions have it (`manager` is EnterpriseUser's), as the end of a message —
    /// "; extension `urn:…` has it: write `urn:…:manager`" — or nothing.
    pub fn unqualified_hint(&self, name: &str) -> String {
        match self.extensions().find(|(s, _)| s.attribute(name).is_some()) {
            Some((schema, _)) => {
                format!("; extension `{}` has it: write `{}:{}`", schema.id(), schema.id(), excerpt(name))
            }
            None => String::new(),
        }
    }

    /// For a name that is no attribute of this type: the attribute it was most likely meant
    /// to be (a slip of a letter or two, [`super::closest_name`]), as the end of a message —
    /// "; did you mean `nickName`?" — or nothing. A name with a URN is looked for in that
    /// schema; one without, in the core schema and the common attributes, then in each
    /// extension (the suggestion then with its URN).
    pub fn suggestion(&self, name: &str) -> String {
        let names = |attrs: &'r [Attribute]| attrs.iter().map(Attribute::name);
        // The core schema's URN as a member's name: its attributes are the resource's own.
        if name.eq_ignore_ascii_case(self.core.id()) {
            return "; that is the core schema: its attributes go at the top level of the resource, not under its URN"
                .to_owned();
        }
        // `parent.sub`: a sub-attribute of an attribute that exists (`name.givenNam`).
        let attribute_part = name.rsplit_once(':').map_or(name, |(_, a)| a);
        if let Some((parent_part, sub)) = attribute_part.split_once('.') {
            let parent = name.get(..name.len() - attribute_part.len() + parent_part.len()).unwrap_or(name);
            // The parent as written, or an extension's attribute written without its URN (a
            // key inside the extension's object: `manager.valu`), then named with its URN.
            let found = self
                .resolve(parent)
                .filter(|found| found.sub_attribute.is_none())
                .map(|found| (parent.to_owned(), found.attribute))
                .or_else(|| {
                    self.extensions()
                        .find_map(|(ext, _)| ext.attribute(parent).map(|a| ([ext.id(), ":", a.name()].concat(), a)))
                });
            return found
                .and_then(|(shown, attr)| {
                    super::closest_name(sub, names(attr.sub_attributes())).map(|n| (shown, n, attr.multi_valued()))
                })
                .map_or_else(String::new, |(shown, n, multi)| {
                    if n.eq_ignore_ascii_case(sub) {
                        // The dotted path of a sub-attribute that exists, used as a name.
                        let attribute = shown.rsplit_once(':').map_or(shown.as_str(), |(_, a)| a);
                        let value = if multi { format!("[{{`{n}`: …}}]") } else { format!("{{`{n}`: …}}") };
                        format!(
                            "; a sub-attribute goes inside its attribute's value — `{attribute}`: {value} — a dotted \
                             name is a path, for filters and PATCH"
                        )
                    } else {
                        format!("; did you mean `{shown}.{n}`?")
                    }
                });
        }
        if let Some((schema, rest)) = self.split_urn(name) {
            return super::closest_name(rest, names(schema.attributes()))
                .map_or_else(String::new, |n| format!("; did you mean `{}:{n}`?", schema.id()));
        }
        if let Some(n) =
            super::closest_name(name, names(&self.core.attributes).chain(names(&self.registry.inner.common)))
        {
            return format!("; did you mean `{n}`?");
        }
        self.extensions()
            .find_map(|(ext, _)| super::closest_name(name, names(ext.attributes())).map(|n| (ext, n)))
            .map_or_else(String::new, |(ext, n)| format!("; did you mean `{}:{n}`?", ext.id()))
    }

    /// Whether `urn` is the core schema or one of the extensions.
    pub fn has_schema(&self, urn: &str) -> bool {
        self.core.id.eq_ignore_ascii_case(urn) || self.extension(urn).is_some()
    }

    /// A top-level attribute of the core schema or a common attribute, by short name.
    pub fn attribute(&self, name: &str) -> Option<ResolvedAttribute<'r>> {
        if let Some(a) = find_attribute(&self.core.attributes, name) {
            return Some(ResolvedAttribute { schema: Some(self.core), attribute: a, sub_attribute: None });
        }
        find_attribute(&self.registry.inner.common, name).map(|a| ResolvedAttribute {
            schema: None,
            attribute: a,
            sub_attribute: None,
        })
    }

    /// Resolves an attribute path: `name`, `name.sub`, `urn:…:name`, `urn:…:name.sub`
    /// (the URN of the core schema or of an extension). Names are matched in any case.
    /// An extension URN alone resolves to `None`; use [`ResourceTypeView::extension`].
    pub fn resolve(&self, path: &str) -> Option<ResolvedAttribute<'r>> {
        let (schema, rest) = match self.split_urn(path) {
            Some((schema, rest)) => (Some(schema), rest),
            None => (None, path),
        };
        let (name, sub) = match rest.split_once('.') {
            Some((n, s)) => (n, Some(s)),
            None => (rest, None),
        };
        let mut found = match schema {
            Some(s) if std::ptr::eq(s, self.core) => self.attribute(name)?,
            Some(s) => ResolvedAttribute { schema: Some(s), attribute: s.attribute(name)?, sub_attribute: None },
            None => self.attribute(name)?,
        };
        if let Some(sub) = sub {
            found.sub_attribute = Some(found.attribute.sub_attribute(sub)?);
        }
        Some(found)
    }

    /// Splits `urn:…:name` into the schema (core or extension) and `name`: the longest schema
    /// URN that is a prefix of `path`, followed by `:`.
    pub fn split_urn<'p>(&self, path: &'p str) -> Option<(&'r Schema, &'p str)> {
        let schemas = std::iter::once(self.core).chain(self.extensions().map(|(s, _)| s));
        let mut best: Option<&'r Schema> = None;
        for s in schemas {
            let n = s.id.len();
            let prefix_matches =
                path.get(..n).is_some_and(|p| p.eq_ignore_ascii_case(&s.id)) && path.as_bytes().get(n) == Some(&b':');
            if prefix_matches && best.is_none_or(|b| b.id.len() < n) {
                best = Some(s);
            }
        }
        let schema = best?;
        Some((schema, path.get(schema.id.len() + 1..)?))
    }
}

impl Registry {
    /// The built-in registry (RFC 7643 User, Group, EnterpriseUser and the service provider
    /// schemas), built once per process.
    pub fn builtin() -> Self {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN.get_or_init(builtin::registry).clone()
    }

    /// A registry with nothing in it.
    pub(crate) fn empty() -> Self {
        Self { inner: Arc::new(Inner::new(Vec::new(), Vec::new())) }
    }

    /// Starts a builder with the built-ins in it.
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::with_builtins()
    }

    /// Every schema.
    pub fn schemas(&self) -> &[Schema] {
        &self.inner.schemas
    }

    /// Every resource type.
    pub fn resource_types(&self) -> &[ResourceType] {
        &self.inner.resource_types
    }

    /// The resource type a resource says it is: the one its `meta.resourceType` names when
    /// that type's core schema is among its `schemas` (keys in any case), else the first one
    /// whose core schema its `schemas` lists, or `None`. For tools guessing a type no endpoint
    /// gives.
    pub fn resource_type_of(&self, resource: &Value) -> Option<ResourceTypeView<'_>> {
        let object = resource.as_object()?;
        let (_, schemas) = object.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas"))?;
        let schemas = schemas.as_array()?;
        let names =
            |rt: &ResourceType| schemas.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(rt.schema())));
        // Two types may share a core schema (`Employee` over the User schema): the one
        // `meta.resourceType` names, when it names one of them.
        let meta_type = object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("meta"))
            .and_then(|(_, meta)| meta.as_object())
            .and_then(|meta| meta.iter().find(|(k, _)| k.eq_ignore_ascii_case("resourceType")))
            .and_then(|(_, name)| name.as_str());
        if let Some(rt) = meta_type.and_then(|name| self.resource_type(name)).filter(|rt| names(rt.definition())) {
            return Some(rt);
        }
        self.resource_types().iter().find_map(|rt| if names(rt) { self.resource_type(rt.name()) } else { None })
    }

    /// The schema with this URN (any case).
    pub fn schema(&self, urn: &str) -> Option<&Schema> {
        self.inner.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The resource type with this name (any case), e.g. `User`.
    pub fn resource_type(&self, name: &str) -> Option<ResourceTypeView<'_>> {
        let i = self.inner.resource_types.iter().position(|r| r.name.eq_ignore_ascii_case(name))?;
        self.view(i)
    }

    /// The resource type served at this endpoint (any case), e.g. `/Users`.
    pub fn resource_type_by_endpoint(&self, endpoint: &str) -> Option<ResourceTypeView<'_>> {
        let i = self.inner.resource_types.iter().position(|r| r.endpoint.eq_ignore_ascii_case(endpoint))?;
        self.view(i)
    }

    fn view(&self, i: usize) -> Option<ResourceTypeView<'_>> {
        let definition = self.inner.resource_types.get(i)?;
        let compiled = self.inner.compiled.get(i)?;
        let core = self.inner.schemas.get(compiled.core)?;
        Some(ResourceTypeView { registry: self, definition, compiled, core })
    }

    /// The resource type called `name`, or a `invalidValue` error listing the known ones.
    ///
    /// # Errors
    /// When no resource type has that name.
    pub fn require_resource_type(&self, name: &str) -> Result<ResourceTypeView<'_>, Error> {
        self.resource_type(name).ok_or_else(|| {
            let known: Vec<&str> = self.inner.resource_types.iter().map(|r| r.name.as_str()).collect();
            Error::new(
                ScimType::InvalidValue,
                format!("unknown resource type `{}`, known types: {}", excerpt(name), known.join(", ")),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urn;

    #[test]
    fn a_misspelt_name_gets_the_attribute_it_likely_meant() {
        let r = Registry::builtin();
        let user = r.resource_type("User").unwrap();
        assert_eq!(user.suggestion("nickNam"), "; did you mean `nickName`?");
        assert_eq!(user.suggestion("EXTERNALLID"), "; did you mean `externalId`?");
        assert_eq!(user.suggestion("departmnt"), format!("; did you mean `{}:department`?", urn::ENTERPRISE_USER));
        assert_eq!(
            user.suggestion(&format!("{}:costCentr", urn::ENTERPRISE_USER)),
            format!("; did you mean `{}:costCenter`?", urn::ENTERPRISE_USER)
        );
        assert_eq!(user.suggestion("favouriteColour"), "");
        assert_eq!(user.suggestion("name.givenNam"), "; did you mean `name.givenName`?");
        assert_eq!(user.suggestion("emails.vale"), "; did you mean `emails.value`?");
        assert_eq!(
            user.suggestion(&format!("{}:manager.valu", urn::ENTERPRISE_USER)),
            format!("; did you mean `{}:manager.value`?", urn::ENTERPRISE_USER)
        );
        assert_eq!(user.suggestion("nope.value"), "");
        // A dotted path of a sub-attribute that exists, or the core URN, used as a member name:
        // never "did you mean" the very name sent.
        assert!(
            user.suggestion("name.givenName").contains("goes inside its attribute's value — `name`: {`givenName`: …}")
        );
        assert!(user.suggestion("emails.value").contains("`emails`: [{`value`: …}]"));
        assert!(
            user.suggestion(&format!("{}:manager.value", urn::ENTERPRISE_USER)).contains("`manager`: {`value`: …}")
        );
        assert!(user.suggestion(urn::USER).contains("that is the core schema"));
        assert_eq!(
            user.suggestion("manager.valu"),
            format!("; did you mean `{}:manager.value`?", urn::ENTERPRISE_USER)
        );
        // The message a body gets, in every runtime.
        let body = serde_json::json!({"schemas": [urn::USER], "userName": "a", "nickNam": "b"});
        let e = crate::validate(&r, "User", body, &crate::ValidateOptions::default()).unwrap_err();
        assert!(e.error.detail().ends_with("did you mean `nickName`?"), "{}", e.error.detail());
    }

    #[test]
    fn a_resource_names_its_type_through_schemas() {
        let r = Registry::builtin();
        let of = |v: Value| r.resource_type_of(&v).map(|t| t.definition().name().to_owned());
        let group = serde_json::json!({"SCHEMAS": ["urn:ietf:params:scim:api:messages:2.0:PatchOp", urn::GROUP.to_uppercase()]});
        assert_eq!(of(group).as_deref(), Some("Group"));
        assert_eq!(of(serde_json::json!({"schemas": [urn::ENTERPRISE_USER, urn::USER]})).as_deref(), Some("User"));
        assert_eq!(of(serde_json::json!({"schemas": [urn::ENTERPRISE_USER]})), None);
        assert_eq!(of(serde_json::json!({"userName": "x"})), None);
        // Two types over one core schema: the one `meta.resourceType` names.
        let two = crate::api::build_registry(
            &[] as &[&str],
            &[
                r#"{"name": "User", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}"#,
                r#"{"name": "Employee", "endpoint": "/Employees", "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}"#,
            ],
        )
        .unwrap();
        let of = |v: Value| two.resource_type_of(&v).map(|t| t.definition().name().to_owned());
        let employee = serde_json::json!({"schemas": [urn::USER], "META": {"resourceType": "employee"}});
        assert_eq!(of(employee).as_deref(), Some("Employee"));
        assert_eq!(
            of(serde_json::json!({"schemas": [urn::USER], "meta": {"resourceType": "Group"}})).as_deref(),
            Some("User")
        );
    }

    #[test]
    fn a_name_an_extension_has_gets_a_hint_naming_its_urn() {
        let r = Registry::builtin();
        let user = r.resource_type("User").unwrap();
        let hint = user.unqualified_hint("MANAGER");
        assert!(hint.contains(&format!("write `{}:MANAGER`", urn::ENTERPRISE_USER)), "{hint}");
        assert_eq!(user.unqualified_hint("nickname2"), "");
        let body = format!(r#"{{"schemas":["{}"],"userName":"a","department":"x"}}"#, urn::USER);
        let invalid = crate::validate_json(&r, "User", &body, &crate::ValidateOptions::default()).unwrap_err();
        let detail = invalid.error.errors().first().map(|e| e.detail().to_owned()).unwrap_or_default();
        assert!(detail.contains(&format!("write `{}:department`", urn::ENTERPRISE_USER)), "{detail}");
    }

    #[test]
    fn builtin_has_user_and_group() {
        let r = Registry::builtin();
        assert!(r.resource_type("user").is_some());
        assert!(r.resource_type_by_endpoint("/groups").is_some());
        assert!(r.schema(&urn::ENTERPRISE_USER.to_uppercase()).is_some());
    }

    #[test]
    fn resolves_every_path_form() {
        let r = Registry::builtin();
        let user = r.resource_type("User").unwrap();
        assert_eq!(user.resolve("USERNAME").unwrap().attribute.name(), "userName");
        assert_eq!(user.resolve("name.givenName").unwrap().target().name(), "givenName");
        let q = format!("{}:name.familyName", urn::USER);
        assert_eq!(user.resolve(&q).unwrap().target().name(), "familyName");
        let e = format!("{}:manager.value", urn::ENTERPRISE_USER);
        let found = user.resolve(&e).unwrap();
        assert_eq!(found.schema.unwrap().id(), urn::ENTERPRISE_USER);
        assert_eq!(found.target().name(), "value");
        assert!(user.resolve("id").unwrap().schema.is_none());
        assert!(user.resolve("nope").is_none());
        assert!(user.resolve("name.nope").is_none());
        assert!(user.resolve(urn::ENTERPRISE_USER).is_none());
    }

    #[test]
    fn registry_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Registry>();
    }

    #[test]
    fn build_refuses_unknown_schema() {
        let b = Registry::builder()
            .resource_type_value(&serde_json::json!({"name": "X", "endpoint": "/X", "schema": "urn:nope:X"}))
            .unwrap();
        assert!(b.build().is_err());
    }
}
