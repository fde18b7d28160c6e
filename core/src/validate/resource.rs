//! Validating a whole resource: its attributes, extensions, `schemas`, required attributes and,
//! on replace, immutable values.

use serde_json::{Map, Value};

use super::loc::Loc;
use super::note::{Note, NoteCode};
use super::options::{Mode, ValidateOptions};
use super::walk::{Named, Walker, apply_renames, kind_of};
use crate::compat::Quirk;
use crate::error::{Error, ScimType, excerpt};
use crate::json::{depth_error, parse_strict};
use crate::schema::{Attribute, AttributeType, Mutability, Registry, ResourceTypeView, Schema};
use crate::value::eq_ignore_case;

/// A valid resource, normalized, with the notes of what normalization changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    /// The resource: names as the schemas spell them, readOnly input and nulls removed,
    /// extension attributes under their URN, `schemas` complete.
    pub resource: Value,
    /// What was changed, and which quirk rules fired.
    pub notes: Vec<Note>,
}

/// A resource that failed validation: every error found, and the notes gathered on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// All errors, collected in one ([`Error::errors`] lists each).
    pub error: Error,
    /// What validation noted before it failed.
    pub notes: Vec<Note>,
}

impl From<Error> for Invalid {
    fn from(error: Error) -> Self {
        Self { error, notes: Vec::new() }
    }
}

impl From<Invalid> for Error {
    fn from(invalid: Invalid) -> Self {
        invalid.error
    }
}

/// Validates the JSON text of a resource of `resource_type`. Reading the text itself refuses
/// duplicate keys (in any case), nesting beyond the limit and bodies over the size limit.
///
/// # Errors
/// [`Invalid`] with every error found, each with its `scimType` and JSON-pointer location.
pub fn validate_json(
    registry: &Registry,
    resource_type: &str,
    text: &str,
    options: &ValidateOptions,
) -> Result<Validated, Invalid> {
    let rt = registry.require_resource_type(resource_type)?;
    // The reader has already held the text to the depth limit.
    let value = parse_strict(text, &options.limits)?;
    validate_resource(rt, value, options)
}

/// Validates a resource of `resource_type` given as a JSON value.
///
/// # Errors
/// [`Invalid`] with every error found, each with its `scimType` and JSON-pointer location.
pub fn validate(
    registry: &Registry,
    resource_type: &str,
    input: Value,
    options: &ValidateOptions,
) -> Result<Validated, Invalid> {
    let rt = registry.require_resource_type(resource_type)?;
    let depth = options.limits.depth();
    if let Some(error) = depth_error(&input, depth) {
        return Err(error.into());
    }
    validate_resource(rt, input, options)
}

/// Validates a resource whose nesting is known to be within the limit.
fn validate_resource(rt: ResourceTypeView<'_>, input: Value, options: &ValidateOptions) -> Result<Validated, Invalid> {
    let existing = match (options.mode, &options.existing) {
        (Mode::Replace, None) => {
            return Err(Error::new(
                ScimType::InvalidValue,
                "replace mode needs the stored resource (`existing`) to check immutable attributes",
            )
            .into());
        }
        (Mode::Replace, Some(Value::Object(map))) => Some(map),
        (Mode::Replace, Some(other)) => {
            return Err(Error::new(
                ScimType::InvalidValue,
                format!("the stored resource must be an object, found {}", kind_of(other)),
            )
            .into());
        }
        _ => None,
    };
    let Value::Object(mut out) = input else {
        return Err(Error::new(
            ScimType::InvalidSyntax,
            format!("a resource must be a JSON object, found {}", kind_of(&input)),
        )
        .at(crate::error::Location::root())
        .into());
    };

    let mut w = Walker::new(rt, options);
    let root = Loc::Root;
    let mut schemas: Option<(String, Value)> = None;
    let mut seen = Vec::new();
    let mut renames = Vec::new();
    let mut moves = Vec::new();
    out.retain(|key, value| {
        let here = root.key(key);
        if key.eq_ignore_ascii_case("schemas") {
            if schemas.is_some() {
                w.error(ScimType::InvalidSyntax, &here, "`schemas` is given twice (in another case)".to_owned());
            }
            schemas = Some((key.clone(), std::mem::take(value)));
            return false;
        }
        if !is_urn(key) {
            let Some(found) = rt.attribute(key) else {
                w.unknown(&here, key);
                return false;
            };
            w.names(found.attribute);
            let named = Named { parent: None, attr: found.attribute };
            return w.attribute(named, value, &here) && w.claim(&mut seen, &mut renames, named, key, &here);
        }
        if let Some((ext, _)) = rt.extension(key) {
            return extension(&mut w, ext, key, value, &here, &mut seen, &mut renames);
        }
        let Some((schema, name)) = rt.split_urn(key) else {
            w.unknown(&here, key);
            return false;
        };
        let is_core = std::ptr::eq(schema, rt.core_schema());
        let attr = if is_core { rt.attribute(name).map(|f| f.attribute) } else { schema.attribute(name) };
        let Some(attr) = attr else {
            w.unknown(&here, key);
            return false;
        };
        w.names(attr);
        let named = Named { parent: None, attr };
        if is_core {
            return w.attribute(named, value, &here) && w.claim(&mut seen, &mut renames, named, key, &here);
        }
        w.in_enterprise = Walker::is_enterprise(schema.id());
        let errors = w.errors.len();
        let keep = w.attribute(named, value, &here);
        w.in_enterprise = false;
        // Used when what is kept assigns a value, or what was sent is refused (a read-only
        // value dropped uses nothing).
        if (keep && assigns(value, ASSIGNS_DEPTH)) || w.errors.len() > errors {
            w.uses_extension(schema.id());
        }
        if keep {
            moves.push((key.clone(), schema, attr));
        }
        keep
    });
    apply_renames(&mut out, renames);
    for (key, schema, attr) in moves {
        move_under_extension(&mut w, &mut out, &key, schema, attr);
    }

    if let Some(existing) = existing {
        immutables(&mut w, existing, &mut out);
    }
    required(&mut w, &out);
    schemas_member(&mut w, schemas, &mut out);

    match Error::collect(w.errors) {
        None => Ok(Validated { resource: Value::Object(out), notes: w.notes }),
        Some(error) => Err(Invalid { error, notes: w.notes }),
    }
}

/// Whether `key` starts with `urn:` (any case): only such keys can name schemas.
fn is_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

/// The attributes of one extension, given as an object under the extension's URN, checked in
/// place. Returns whether the extension object is kept.
fn extension<'r>(
    w: &mut Walker<'r, '_>,
    ext: &'r Schema,
    key: &str,
    value: &mut Value,
    here: &Loc<'_>,
    seen: &mut Vec<&'r str>,
    renames: &mut Vec<(String, &'r str)>,
) -> bool {
    let obj = match value {
        Value::Object(m) => m,
        Value::Null => {
            names_all(w, ext);
            w.note(NoteCode::NullRemoved, here, format!("extension `{}` is null, which means unassigned", ext.id()));
            return false;
        }
        other => {
            w.error(
                ScimType::InvalidValue,
                here,
                format!("extension `{}` must be an object, found {}", ext.id(), kind_of(other)),
            );
            return false;
        }
    };
    if seen.contains(&ext.id()) {
        w.error(ScimType::InvalidSyntax, here, format!("extension `{}` is given twice", ext.id()));
        return false;
    }
    seen.push(ext.id());
    if key != ext.id() {
        w.note(NoteCode::NameNormalized, here, format!("`{}` is spelled `{}`", excerpt(key), ext.id()));
        renames.push((key.to_owned(), ext.id()));
    }
    if obj.is_empty() {
        names_all(w, ext);
        w.note(
            NoteCode::EmptyRemoved,
            here,
            format!("extension `{}` is an empty object, which means unassigned", ext.id()),
        );
        return false;
    }
    w.in_enterprise = Walker::is_enterprise(ext.id());
    // Whether a value given to one of the extension's own attributes is refused.
    let mut refused = false;
    let mut inner_seen = Vec::new();
    let mut inner_renames = Vec::new();
    obj.retain(|k, v| {
        let at = here.key(k);
        let Some(attr) = ext.attribute(k) else {
            w.unknown(&at, &format!("{}:{k}", ext.id()));
            return false;
        };
        w.names(attr);
        let named = Named { parent: None, attr };
        let errors = w.errors.len();
        let keep = w.attribute(named, v, &at) && w.claim(&mut inner_seen, &mut inner_renames, named, k, &at);
        refused |= w.errors.len() > errors;
        keep
    });
    w.in_enterprise = false;
    apply_renames(obj, inner_renames);
    // Used when what is kept gives an attribute of its own a value, or a value sent to one is
    // refused: a read-only value dropped, or an unknown member (refused or dropped), uses
    // nothing, so a required extension given only such values is still missing.
    if obj.values().any(|v| assigns(v, ASSIGNS_DEPTH)) || refused {
        w.uses_extension(ext.id());
    }
    !obj.is_empty()
}

/// Records that a replace body names every attribute of `ext` (given as `null` or `{}`: the
/// whole extension unassigned, noted once as such).
fn names_all<'r>(w: &mut Walker<'r, '_>, ext: &'r Schema) {
    for attr in ext.attributes() {
        w.names(attr);
    }
}

/// Moves a top-level `urn:…:enterprise:2.0:User:department`-style member under its extension.
fn move_under_extension(
    w: &mut Walker<'_, '_>,
    out: &mut Map<String, Value>,
    key: &str,
    schema: &Schema,
    attr: &Attribute,
) {
    let Some(value) = out.remove(key) else { return };
    let root = Loc::Root;
    let here = root.key(key);
    let Some(target) = extension_object(out, schema.id()) else { return };
    if target.contains_key(attr.name()) {
        let named = Named { parent: None, attr };
        w.error(ScimType::InvalidSyntax, &here, crate::validate::walk::twice(named, key));
        return;
    }
    w.note(
        NoteCode::NameNormalized,
        &here,
        format!("`{}` is moved under its extension `{}`", excerpt(key), schema.id()),
    );
    w.respelled(crate::error::Location::root().key(schema.id()).key(attr.name()), here.pointer());
    target.insert(attr.name().to_owned(), value);
}

/// The object holding extension `id`'s attributes in the output, made when missing.
fn extension_object<'m>(out: &'m mut Map<String, Value>, id: &str) -> Option<&'m mut Map<String, Value>> {
    out.entry(id.to_owned()).or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}

/// The member of `obj` called `name`, in any case.
pub(crate) fn member<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    obj.get(name)
        .or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
        .filter(|v| !v.is_null())
}

/// How deep [`assigns`] looks into nested arrays and objects before counting a value as one.
const ASSIGNS_DEPTH: usize = 8;

/// Whether a value sent assigns something: not `null`, `[]`, `{}` or a container of only those
/// (RFC 7643 §2.5: unassigned). An extension given only such values is not used, so a required
/// one is still missing.
fn assigns(value: &Value, depth: usize) -> bool {
    match value {
        Value::Null => false,
        _ if depth == 0 => true,
        Value::Array(items) => items.iter().any(|v| assigns(v, depth - 1)),
        Value::Object(members) => members.values().any(|v| assigns(v, depth - 1)),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
    }
}

/// Two values equal for `attr`: strings per `caseExact`, dateTimes as the instants they name
/// (`2020-01-01T01:00:00+01:00` is `2020-01-01T00:00:00.000Z`), object keys in any case, and
/// the values of a multi-valued attribute in any order.
pub(crate) fn same_value(attr: &Attribute, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if attr.kind() == AttributeType::DateTime => {
            match (crate::value::parse_datetime(x), crate::value::parse_datetime(y)) {
                (Some(x), Some(y)) => x == y,
                _ => x == y,
            }
        }
        (Value::String(x), Value::String(y)) if !attr.case_exact() => eq_ignore_case(x, y),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    let sub = attr.sub_attribute(k).unwrap_or(attr);
                    member(y, k).is_some_and(|w| same_value(sub, v, w))
                })
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && same_values(attr, x, y),
        // By numeric value, exactly: `1` and `1.0` (as JS and Python write one number) are equal.
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || crate::filter::compare::cmp_number(x, &crate::filter::compare::Decimal::new(&y.to_string())).is_eq()
        }
        _ => a == b,
    }
}

/// Whether two lists of values of `attr`, of one length, hold the same values in any order:
/// each value of one matched to an equal of its own in the other. The order of a multi-valued
/// attribute's values means nothing in SCIM (RFC 7643 gives it none; a PATCH `add` has no
/// position), so `["a", "b"]` stored and `["b", "a"]` sent are one value. The values are
/// grouped by a key equal values share, so a long list is not compared pairwise.
fn same_values(attr: &Attribute, x: &[Value], y: &[Value]) -> bool {
    if x.iter().zip(y).all(|(v, w)| same_value(attr, v, w)) {
        return true;
    }
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, w) in y.iter().enumerate() {
        groups.entry(super::walk::equality_key(attr, w)).or_default().push(i);
    }
    x.iter().all(|v| {
        let Some(group) = groups.get_mut(&super::walk::equality_key(attr, v)) else { return false };
        match group.iter().position(|&i| y.get(i).is_some_and(|w| same_value(attr, v, w))) {
            Some(found) => {
                group.swap_remove(found);
                true
            }
            None => false,
        }
    })
}

/// On replace: an immutable value already stored may not change (RFC 7644 §3.5.1); one the
/// body leaves out keeps its stored value. A value is never half put back: an extension the
/// body leaves out whole, holding an immutable value, is kept whole (and listed in `schemas`),
/// as is a complex value holding an immutable sub-attribute.
fn immutables(w: &mut Walker<'_, '_>, existing: &Map<String, Value>, out: &mut Map<String, Value>) {
    let rt = w.rt;
    let core: Vec<&Attribute> = rt.core_schema().attributes().iter().chain(rt.common_attributes()).collect();
    immutable_in(w, &core, existing, out, None);
    for (ext, _) in rt.extensions() {
        let Some(Value::Object(stored)) = member(existing, ext.id()) else {
            continue;
        };
        let attrs: Vec<&Attribute> = ext.attributes().iter().collect();
        let given = match out.remove(ext.id()) {
            Some(Value::Object(m)) => Some(m),
            _ => None,
        };
        let left_out = given.is_none();
        let mut target = given.unwrap_or_default();
        let notes = w.notes.len();
        immutable_in(w, &attrs, stored, &mut target, Some(ext.id()));
        if left_out && !target.is_empty() {
            // Only what was kept: the stored extension instead, whole.
            w.notes.truncate(notes);
            w.note(
                NoteCode::ImmutableKept,
                &Loc::Root.key(ext.id()),
                format!("extension `{}` holds an immutable value; the stored extension is kept", ext.id()),
            );
            target.clone_from(stored);
            w.kept_extensions.push(ext.id());
        }
        if !target.is_empty() {
            out.insert(ext.id().to_owned(), Value::Object(target));
        }
    }
}

fn immutable_in(
    w: &mut Walker<'_, '_>,
    attrs: &[&Attribute],
    stored: &Map<String, Value>,
    out: &mut Map<String, Value>,
    ext: Option<&str>,
) {
    let root = Loc::Root;
    let base = match ext {
        Some(id) => root.key(id),
        None => Loc::Root,
    };
    for attr in attrs {
        let Some(old) = member(stored, attr.name()) else {
            continue;
        };
        let here = base.key(attr.name());
        if attr.mutability() == Mutability::Immutable {
            match out.get(attr.name()) {
                Some(new) if !same_value(attr, old, new) => {
                    w.error_as_sent(
                        ScimType::Mutability,
                        &here,
                        format!("`{}` is immutable and already set; it cannot change", attr.name()),
                    );
                }
                Some(_) => {}
                None => {
                    w.note(
                        NoteCode::ImmutableKept,
                        &here,
                        format!("`{}` is immutable; its stored value is kept", attr.name()),
                    );
                    out.insert(attr.name().to_owned(), old.clone());
                }
            }
        } else if attr.kind() == AttributeType::Complex && !attr.multi_valued() {
            immutable_parts(w, attr, old, &here, out);
        }
        // Only a value that said something, of an attribute the body does not name at all (one
        // given as `null` or empty is noted as removed; one refused is an error).
        if attr.mutability() == Mutability::ReadWrite
            && !out.contains_key(attr.name())
            && assigns(old, ASSIGNS_DEPTH)
            && !w.named.iter().any(|named| std::ptr::eq(*named, *attr))
        {
            w.note(
                NoteCode::OmittedCleared,
                &here,
                format!("`{}` is not in the replace body; its stored value is cleared", attr.name()),
            );
        }
    }
}

/// The immutable sub-attributes of a single complex attribute the stored resource holds, per
/// the replace body: kept when left out, refused when changed; the whole value is kept when it
/// is left out whole and holds one.
fn immutable_parts(
    w: &mut Walker<'_, '_>,
    attr: &Attribute,
    old: &Value,
    here: &Loc<'_>,
    out: &mut Map<String, Value>,
) {
    let Value::Object(old_obj) = old else {
        return;
    };
    let holds_immutable = attr
        .sub_attributes()
        .iter()
        .any(|s| s.mutability() == Mutability::Immutable && member(old_obj, s.name()).is_some());
    if holds_immutable && !out.contains_key(attr.name()) {
        // Left out whole: kept whole, never as a value of its immutable parts alone.
        w.note(
            NoteCode::ImmutableKept,
            here,
            format!("`{}` holds an immutable sub-attribute; its stored value is kept", attr.name()),
        );
        out.insert(attr.name().to_owned(), old.clone());
        return;
    }
    for sub in attr.sub_attributes().iter().filter(|s| s.mutability() == Mutability::Immutable) {
        let Some(old_sub) = member(old_obj, sub.name()) else {
            continue;
        };
        let at = here.key(sub.name());
        let new_sub = out.get(attr.name()).and_then(|v| v.get(sub.name()));
        match new_sub {
            Some(new) if !same_value(sub, old_sub, new) => {
                w.error_as_sent(
                    ScimType::Mutability,
                    &at,
                    format!("`{}.{}` is immutable and already set; it cannot change", attr.name(), sub.name()),
                );
            }
            Some(_) => {}
            None => {
                w.note(
                    NoteCode::ImmutableKept,
                    &at,
                    format!("`{}.{}` is immutable; its stored value is kept", attr.name(), sub.name()),
                );
                if let Value::Object(m) = out.entry(attr.name().to_owned()).or_insert_with(|| Value::Object(Map::new()))
                {
                    m.insert(sub.name().to_owned(), old_sub.clone());
                }
            }
        }
    }
}

/// Required attributes, of the core schema and of every extension present; required
/// extensions; and, in a response, `id`.
fn required(w: &mut Walker<'_, '_>, out: &Map<String, Value>) {
    let rt = w.rt;
    let root = Loc::Root;
    let core = rt.core_schema().attributes().iter().chain(rt.common_attributes());
    for attr in core {
        if attr.required() && !out.contains_key(attr.name()) && w.enforces_required(attr) {
            w.missing(&root.key(attr.name()), attr.name());
        }
    }
    if w.opts.mode == Mode::Response {
        match out.get("id") {
            None => w.missing(&root.key("id"), "id"),
            // RFC 7643 §3.1: an `id` says something, and `bulkId` is reserved.
            Some(Value::String(id)) if id.is_empty() => {
                w.error(ScimType::InvalidValue, &root.key("id"), "`id` must not be empty".to_owned());
            }
            Some(Value::String(id)) if id == "bulkId" => {
                w.error(ScimType::InvalidValue, &root.key("id"), "`id` cannot be `bulkId`, a reserved word".to_owned());
            }
            Some(_) => {}
        }
        response_meta(w, out);
    }
    for (ext, ext_required) in rt.extensions() {
        let here = root.key(ext.id());
        match out.get(ext.id()) {
            Some(Value::Object(m)) => {
                for attr in ext.attributes() {
                    if attr.required() && !m.contains_key(attr.name()) && w.enforces_required(attr) {
                        w.missing(&here.key(attr.name()), attr.name());
                    }
                }
            }
            _ if ext_required && !w.used_extensions.contains(&ext.id()) && w.enforces_extension(ext) => {
                w.error(
                    ScimType::InvalidValue,
                    &here,
                    format!("extension `{}` is required for `{}`", ext.id(), rt.definition().name()),
                );
            }
            _ => {}
        }
    }
}

/// In a response, `meta` agrees with the resource (RFC 7643 §3.1): `resourceType` names its
/// resource type, and `lastModified` is not before `created` (it equals `created` until the
/// resource is first modified).
fn response_meta(w: &mut Walker<'_, '_>, out: &Map<String, Value>) {
    let Some(Value::Object(meta)) = out.get("meta") else { return };
    let at = Loc::Root;
    let at = at.key("meta");
    let name = w.rt.definition().name();
    if let Some(Value::String(given)) = meta.get("resourceType") {
        // Names compare in any case, as resource types are looked up.
        if !given.eq_ignore_ascii_case(name) {
            w.error(
                ScimType::InvalidValue,
                &at.key("resourceType"),
                format!("`meta.resourceType` is `{}`, but this is a `{name}`", excerpt(given)),
            );
        }
    }
    let instant = |key: &str| meta.get(key).and_then(Value::as_str).and_then(crate::value::parse_datetime);
    if let (Some(created), Some(modified)) = (instant("created"), instant("lastModified")) {
        if modified < created {
            w.error(
                ScimType::InvalidValue,
                &at.key("lastModified"),
                "`meta.lastModified` is before `meta.created`: a resource is modified after it is created".to_owned(),
            );
        }
    }
}

/// `schemas` lists the core schema and every extension the body uses, and only schemas of the
/// resource type (RFC 7643 §3). Written back with the schemas' spelling, core first.
fn schemas_member(w: &mut Walker<'_, '_>, given: Option<(String, Value)>, out: &mut Map<String, Value>) {
    let rt = w.rt;
    let root = Loc::Root;
    let core_id = rt.core_schema().id();
    let used = w.used_extensions.clone();
    let quirk_on = w.opts.profile.allows(Quirk::MissingSchemas);
    let mut listed: Vec<&str> = Vec::new();
    let key = given.as_ref().map_or_else(|| "schemas".to_owned(), |(k, _)| k.clone());
    let here = root.key(&key);
    match given.map(|(_, v)| v) {
        None | Some(Value::Null) => {
            if !quirk_on {
                w.error(
                    ScimType::InvalidValue,
                    &root.key("schemas"),
                    format!("`schemas` is required and must list `{core_id}`"),
                );
                return;
            }
            w.quirk(
                Quirk::MissingSchemas,
                &root.key("schemas"),
                "`schemas` was missing; filled in from the resource type".to_owned(),
            );
            listed.push(core_id);
            listed.extend(&used);
        }
        Some(Value::Array(items)) => {
            listed_schemas(w, &key, &items, &used, &mut listed);
        }
        Some(other) => {
            w.error(
                ScimType::InvalidValue,
                &here,
                format!("`schemas` must be an array of URNs, found {}", kind_of(&other)),
            );
            return;
        }
    }
    // Extensions kept from the stored resource are listed whatever the body said.
    for id in std::mem::take(&mut w.kept_extensions) {
        if !listed.contains(&id) {
            listed.push(id);
        }
    }
    // The core schema first, the rest in their order (a stable partition: a sort would cost
    // its own copy of the sort code).
    let is_core = |id: &&&str| id.eq_ignore_ascii_case(core_id);
    let ordered = listed.iter().filter(is_core).chain(listed.iter().filter(|id| !is_core(id)));
    out.insert("schemas".to_owned(), Value::Array(ordered.map(|s| Value::String((*s).to_owned())).collect()));
}

/// The entries of a `schemas` array, checked and respelled, plus the core schema and the
/// extensions the body uses where the `missingSchemas` quirk adds them.
fn listed_schemas<'r>(w: &mut Walker<'r, '_>, key: &str, items: &[Value], used: &[&'r str], listed: &mut Vec<&'r str>) {
    let rt = w.rt;
    let root = Loc::Root;
    let core_id = rt.core_schema().id();
    let quirk_on = w.opts.profile.allows(Quirk::MissingSchemas);
    let here = root.key(key);
    if key != "schemas" {
        w.note(NoteCode::NameNormalized, &here, format!("`{}` is spelled `schemas`", excerpt(key)));
    }
    for (i, item) in items.iter().enumerate() {
        let at = here.index(i);
        let Value::String(s) = item else {
            w.error(
                ScimType::InvalidValue,
                &at,
                format!("every entry of `schemas` must be a URN string, found {}", kind_of(item)),
            );
            continue;
        };
        let canonical =
            if s.eq_ignore_ascii_case(core_id) { Some(core_id) } else { rt.extension(s).map(|(e, _)| e.id()) };
        let Some(canonical) = canonical else {
            if w.opts.profile.allows(Quirk::ForeignSchemas) {
                w.quirk(
                    Quirk::ForeignSchemas,
                    &at,
                    format!("`{}` names no schema of `{}`; dropped", excerpt(s), rt.definition().name()),
                );
                continue;
            }
            w.error(
                ScimType::InvalidValue,
                &at,
                format!(
                    "`{}` is not the schema or an extension of resource type `{}`",
                    excerpt(s),
                    rt.definition().name()
                ),
            );
            continue;
        };
        if listed.contains(&canonical) {
            w.note(NoteCode::DuplicateSchemaRemoved, &at, format!("`{canonical}` is listed more than once"));
            continue;
        }
        if s != canonical {
            w.note(NoteCode::NameNormalized, &at, format!("`{}` is spelled `{canonical}`", excerpt(s)));
        }
        listed.push(canonical);
    }
    if !listed.contains(&core_id) {
        if quirk_on {
            w.quirk(Quirk::MissingSchemas, &here, format!("`schemas` did not list `{core_id}`; added"));
            listed.insert(0, core_id);
        } else {
            w.error(ScimType::InvalidValue, &here, format!("`schemas` must list `{core_id}`"));
        }
    }
    for id in used {
        if !listed.contains(id) {
            if quirk_on {
                w.quirk(
                    Quirk::MissingSchemas,
                    &here,
                    format!("`schemas` did not list the extension `{id}` the body uses; added"),
                );
                listed.push(id);
            } else {
                w.error(
                    ScimType::InvalidValue,
                    &root.key(id),
                    format!("extension `{id}` is used, so `schemas` must list it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Registry;

    #[test]
    fn a_refused_value_is_not_also_noted_as_left_out() {
        let registry = Registry::builtin();
        let existing = json!({"id": "1", "userName": "a", "nickName": "Babs", "title": "Guide"});
        let options = ValidateOptions { mode: Mode::Replace, existing: Some(existing), ..ValidateOptions::default() };
        let body = json!({"schemas": [crate::urn::USER], "userName": "a", "nickName": 5});
        let invalid = validate(&registry, "User", body, &options).expect_err("nickName 5 is refused");
        let notes: Vec<(NoteCode, &str)> = invalid.notes.iter().map(|n| (n.code, n.location.as_str())).collect();
        assert_eq!(notes, [(NoteCode::OmittedCleared, "/title")]);
    }

    #[test]
    fn a_put_naming_another_id_says_so() {
        let registry = Registry::builtin();
        let existing = json!({"id": "A1", "userName": "a"});
        let options = ValidateOptions { mode: Mode::Replace, existing: Some(existing), ..ValidateOptions::default() };
        let detail = |id: &str| {
            let body = json!({"schemas": [crate::urn::USER], "id": id, "userName": "a"});
            let valid = validate(&registry, "User", body, &options).expect("a valid PUT");
            valid
                .notes
                .iter()
                .find(|n| n.code == NoteCode::ReadOnlyIgnored)
                .map(|n| n.detail.clone())
                .unwrap_or_default()
        };
        assert!(detail("B2").contains("`id` is `B2`, not the stored resource's `A1`"), "{}", detail("B2"));
        assert!(detail("A1").contains("read-only; the value sent is ignored"), "{}", detail("A1"));
    }

    #[test]
    fn an_integer_given_as_negative_zero_says_how_it_was_read() {
        let schema =
            r#"{"id": "urn:example:Thing", "name": "Thing", "attributes": [{"name": "count", "type": "integer"}]}"#;
        let rt = r#"{"name": "Thing", "endpoint": "/Things", "schema": "urn:example:Thing"}"#;
        let registry = crate::api::build_registry(&[schema], &[rt]).expect("a valid schema");
        let body = r#"{"schemas": ["urn:example:Thing"], "count": -0}"#;
        let invalid =
            crate::validate_json(&registry, "Thing", body, &ValidateOptions::default()).expect_err("-0 is refused");
        let detail = invalid.error.to_string();
        assert!(detail.contains("`count` is `-0`, read as the decimal −0.0"), "{detail}");
    }
}
