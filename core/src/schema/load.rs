//! Reading RFC 7643 Schema and ResourceType JSON documents into checked definitions.
//! Every error names the place in the document it comes from.

use serde_json::{Map, Value};

use super::attribute::{Attribute, AttributeType, is_valid_attribute_name};
use super::definition::{ResourceType, Schema, SchemaExtension};
use crate::error::{Error, Location, ScimType, excerpt};

/// The keys an attribute definition may have (RFC 7643 §7).
const ATTRIBUTE_KEYS: &[&str] = &[
    "name",
    "type",
    "multiValued",
    "description",
    "required",
    "canonicalValues",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
    "referenceTypes",
    "subAttributes",
];

/// The members a Schema resource may have (RFC 7643 §7, with the common attributes of §3).
const SCHEMA_KEYS: &[&str] = &["schemas", "id", "externalId", "meta", "name", "description", "attributes"];

/// The members a ResourceType resource may have (RFC 7643 §6, with the common attributes).
const RESOURCE_TYPE_KEYS: &[&str] =
    &["schemas", "id", "externalId", "meta", "name", "description", "endpoint", "schema", "schemaExtensions"];

/// The members of a `schemaExtensions` entry (RFC 7643 §6).
const EXTENSION_KEYS: &[&str] = &["schema", "required"];

/// The endpoints RFC 7644 §3.2 gives the protocol itself: a resource type cannot use them.
const RESERVED_ENDPOINTS: &[&str] =
    &["/Schemas", "/ResourceTypes", "/ServiceProviderConfig", "/Bulk", "/Me", "/.search"];

fn invalid(location: &Location, detail: String) -> Error {
    Error::new(ScimType::InvalidValue, detail).at(location.clone())
}

fn object<'a>(value: &'a Value, location: &Location, what: &str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or_else(|| invalid(location, format!("{what} must be a JSON object")))
}

/// Reads member `key`, matched without regard to case.
fn member<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<(&'a str, &'a Value)> {
    obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(k, v)| (k.as_str(), v))
}

fn string_member(
    obj: &Map<String, Value>,
    key: &str,
    location: &Location,
    required: bool,
) -> Result<Option<String>, Error> {
    match member(obj, key) {
        None | Some((_, Value::Null)) if !required => Ok(None),
        None | Some((_, Value::Null)) => Err(invalid(location, format!("`{key}` is required"))),
        Some((k, Value::String(s))) => {
            if required && s.is_empty() {
                Err(invalid(&location.clone().key(k), format!("`{key}` must not be empty")))
            } else {
                Ok(Some(s.clone()))
            }
        }
        Some((k, _)) => Err(invalid(&location.clone().key(k), format!("`{key}` must be a string"))),
    }
}

fn bool_member(obj: &Map<String, Value>, key: &str, location: &Location) -> Result<bool, Error> {
    match member(obj, key) {
        None | Some((_, Value::Null)) => Ok(false),
        Some((_, Value::Bool(b))) => Ok(*b),
        Some((k, _)) => Err(invalid(&location.clone().key(k), format!("`{key}` must be a boolean"))),
    }
}

fn parsed_member<T: std::str::FromStr<Err = crate::error::UnknownName>>(
    obj: &Map<String, Value>,
    key: &str,
    location: &Location,
    default: T,
) -> Result<T, Error> {
    match member(obj, key) {
        None | Some((_, Value::Null)) => Ok(default),
        Some((k, Value::String(s))) => {
            s.parse().map_err(|e: crate::error::UnknownName| invalid(&location.clone().key(k), e.to_string()))
        }
        Some((k, _)) => Err(invalid(&location.clone().key(k), format!("`{key}` must be a string"))),
    }
}

fn string_list(obj: &Map<String, Value>, key: &str, location: &Location) -> Result<Vec<String>, Error> {
    match member(obj, key) {
        None | Some((_, Value::Null)) => Ok(Vec::new()),
        Some((k, Value::Array(items))) => {
            let here = location.clone().key(k);
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(invalid(&here.clone().index(i), format!("every `{key}` entry must be a string"))),
                })
                .collect()
        }
        Some((k, _)) => Err(invalid(&location.clone().key(k), format!("`{key}` must be an array of strings"))),
    }
}

/// Refuses a member not in `known` (any case); members starting with `_` are comments. A typo
/// (`requried`, `schemaExtension`) would otherwise quietly leave a characteristic at its default.
fn only_known_keys(obj: &Map<String, Value>, known: &[&str], location: &Location, what: &str) -> Result<(), Error> {
    match obj.keys().find(|k| !k.starts_with('_') && !known.iter().any(|a| a.eq_ignore_ascii_case(k))) {
        Some(key) => Err(invalid(&location.clone().key(key), format!("`{}` is not {what}", excerpt(key)))),
        None => Ok(()),
    }
}

/// Reads one attribute definition; `parent` is the complex attribute it belongs to, if any.
fn attribute(value: &Value, location: &Location, parent: Option<&str>) -> Result<Attribute, Error> {
    let obj = object(value, location, "an attribute definition")?;
    only_known_keys(obj, ATTRIBUTE_KEYS, location, "an attribute characteristic")?;
    let name = string_member(obj, "name", location, true)?.unwrap_or_default();
    if !is_valid_attribute_name(&name) {
        let at = member(obj, "name").map_or_else(|| location.clone(), |(k, _)| location.clone().key(k));
        return Err(invalid(&at, format!("`{}` is not a valid attribute name", excerpt(&name))));
    }
    let mut attr = Attribute::new(&name, AttributeType::String);
    attr.kind = parsed_member(obj, "type", location, AttributeType::String)?;
    attr.multi_valued = bool_member(obj, "multiValued", location)?;
    attr.description = string_member(obj, "description", location, false)?.unwrap_or_default();
    attr.required = bool_member(obj, "required", location)?;
    attr.case_exact = bool_member(obj, "caseExact", location)?;
    attr.mutability = parsed_member(obj, "mutability", location, attr.mutability)?;
    attr.returned = parsed_member(obj, "returned", location, attr.returned)?;
    attr.uniqueness = parsed_member(obj, "uniqueness", location, attr.uniqueness)?;
    attr.canonical_values = string_list(obj, "canonicalValues", location)?;
    let text_kind = matches!(attr.kind, AttributeType::String | AttributeType::Reference);
    if let Some((k, _)) = member(obj, "canonicalValues").filter(|_| !text_kind && !attr.canonical_values.is_empty()) {
        return Err(invalid(
            &location.clone().key(k),
            format!(
                "`{name}` is of type {}: canonicalValues (JSON strings) apply to string and reference attributes",
                attr.kind
            ),
        ));
    }
    attr.reference_types = string_list(obj, "referenceTypes", location)?;
    if let Some((k, _)) = member(obj, "referenceTypes").filter(|_| attr.kind != AttributeType::Reference) {
        if !attr.reference_types.is_empty() {
            return Err(invalid(
                &location.clone().key(k),
                format!("`{name}` has referenceTypes but is not of type reference"),
            ));
        }
    }
    let subs = member(obj, "subAttributes").filter(|(_, v)| !v.is_null());
    match (attr.kind, subs, parent) {
        (AttributeType::Complex, _, Some(parent)) => {
            return Err(invalid(
                location,
                format!("`{parent}.{name}` is complex, but a sub-attribute cannot be complex (RFC 7643 §2.3.8)"),
            ));
        }
        (_, Some((k, _)), Some(parent)) => {
            return Err(invalid(
                &location.clone().key(k),
                format!("`{parent}.{name}` has sub-attributes, but sub-attributes cannot have their own"),
            ));
        }
        (AttributeType::Complex, Some((k, Value::Array(items))), None) => {
            let here = location.clone().key(k);
            if items.is_empty() {
                return Err(invalid(&here, format!("complex attribute `{name}` needs at least one sub-attribute")));
            }
            attr.sub_attributes = attribute_list(items, &here, Some(&name))?;
        }
        (AttributeType::Complex, Some((k, _)), None) => {
            return Err(invalid(&location.clone().key(k), "`subAttributes` must be an array".to_owned()));
        }
        (AttributeType::Complex, None, None) => {
            return Err(invalid(location, format!("complex attribute `{name}` needs `subAttributes`")));
        }
        (_, Some((k, _)), None) => {
            return Err(invalid(
                &location.clone().key(k),
                format!("`{name}` is of type {}, only complex attributes have sub-attributes", attr.kind),
            ));
        }
        (_, None, _) => {}
    }
    Ok(attr)
}

/// Reads a list of attribute definitions, refusing two with the same name in any case.
fn attribute_list(items: &[Value], location: &Location, parent: Option<&str>) -> Result<Vec<Attribute>, Error> {
    let mut out: Vec<Attribute> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = location.clone().index(i);
        let attr = attribute(item, &here, parent)?;
        if out.iter().any(|a| a.name.eq_ignore_ascii_case(&attr.name)) {
            return Err(invalid(&here, format!("attribute `{}` is defined twice", attr.name)));
        }
        out.push(attr);
    }
    Ok(out)
}

/// Whether `id` looks like a schema URN: `urn:` followed by something, no spaces.
fn is_urn(id: &str) -> bool {
    id.len() > 4
        && id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
        && !id.ends_with(':')
}

/// Whether `id` can stand as one segment of a URI path (a resource type's `meta.location`
/// ends with it): not empty, not a dot-segment, no `/`, `?`, `#`, whitespace or control.
fn is_path_segment(id: &str) -> bool {
    !id.is_empty()
        && id != "."
        && id != ".."
        && !id.chars().any(|c| matches!(c, '/' | '?' | '#') || c.is_whitespace() || c.is_control())
}

/// Reads an RFC 7643 §7 Schema resource.
///
/// # Errors
/// `invalidValue` naming the place in the document when the definition is malformed.
pub fn schema_from_value(value: &Value) -> Result<Schema, Error> {
    let root = Location::root();
    let obj = object(value, &root, "a schema")?;
    only_known_keys(obj, SCHEMA_KEYS, &root, "a member of a schema (RFC 7643 §7)")?;
    let id = string_member(obj, "id", &root, true)?.unwrap_or_default();
    if !is_urn(&id) {
        return Err(invalid(&root.clone().key("id"), format!("schema id `{}` must be a URN", excerpt(&id))));
    }
    let name = string_member(obj, "name", &root, false)?.unwrap_or_default();
    let description = string_member(obj, "description", &root, false)?.unwrap_or_default();
    let attributes = match member(obj, "attributes") {
        Some((k, Value::Array(items))) => attribute_list(items, &root.clone().key(k), None)?,
        Some((k, _)) => {
            return Err(invalid(&root.clone().key(k), "`attributes` must be an array".to_owned()));
        }
        None => return Err(invalid(&root, "`attributes` is required".to_owned())),
    };
    Ok(Schema { id, name, description, attributes })
}

/// Reads an RFC 7643 §6 ResourceType resource. Whether the schemas it names exist is checked
/// when the registry is built.
///
/// # Errors
/// `invalidValue` naming the place in the document when the definition is malformed.
pub fn resource_type_from_value(value: &Value) -> Result<ResourceType, Error> {
    let root = Location::root();
    let obj = object(value, &root, "a resource type")?;
    only_known_keys(obj, RESOURCE_TYPE_KEYS, &root, "a member of a resource type (RFC 7643 §6)")?;
    let at = |key: &str| member(obj, key).map_or_else(|| root.clone().key(key), |(k, _)| root.clone().key(k));
    let name = string_member(obj, "name", &root, true)?.unwrap_or_default();
    if !is_valid_attribute_name(&name) || name.eq_ignore_ascii_case("$ref") {
        return Err(invalid(&at("name"), format!("resource type name `{}` must be a word", excerpt(&name))));
    }
    let id = string_member(obj, "id", &root, false)?.unwrap_or_else(|| name.clone());
    if !is_path_segment(&id) {
        return Err(invalid(
            &at("id"),
            format!(
                "resource type id `{}` must be one URI path segment: not empty, no `/`, `?`, `#` or space",
                excerpt(&id)
            ),
        ));
    }
    let endpoint = string_member(obj, "endpoint", &root, true)?.unwrap_or_default();
    let valid_endpoint = endpoint.len() > 1
        && endpoint.starts_with('/')
        && endpoint.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if !valid_endpoint {
        return Err(invalid(
            &at("endpoint"),
            format!("endpoint `{}` must be `/` followed by one path segment", excerpt(&endpoint)),
        ));
    }
    if endpoint == "/." || endpoint == "/.." {
        return Err(invalid(&at("endpoint"), format!("endpoint `{endpoint}` is a dot-segment, not a name")));
    }
    if let Some(reserved) = RESERVED_ENDPOINTS.iter().find(|r| r.eq_ignore_ascii_case(&endpoint)) {
        return Err(invalid(
            &at("endpoint"),
            format!(
                "endpoint `{endpoint}` is the protocol's own `{reserved}` (RFC 7644 §3.2); a resource type needs another"
            ),
        ));
    }
    let description = string_member(obj, "description", &root, false)?.unwrap_or_default();
    let schema = string_member(obj, "schema", &root, true)?.unwrap_or_default();
    let mut extensions = Vec::new();
    match member(obj, "schemaExtensions") {
        None | Some((_, Value::Null)) => {}
        Some((k, Value::Array(items))) => {
            let here = root.clone().key(k);
            for (i, item) in items.iter().enumerate() {
                let at = here.clone().index(i);
                let ext = object(item, &at, "a schema extension")?;
                only_known_keys(ext, EXTENSION_KEYS, &at, "a member of a schema extension (`schema`, `required`)")?;
                let schema = string_member(ext, "schema", &at, true)?.unwrap_or_default();
                let required = bool_member(ext, "required", &at)?;
                extensions.push(SchemaExtension { schema, required });
            }
        }
        Some((k, _)) => {
            return Err(invalid(&root.clone().key(k), "`schemaExtensions` must be an array".to_owned()));
        }
    }
    Ok(ResourceType { id, name, endpoint, description, schema, extensions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_with(attrs: &Value) -> Value {
        json!({"id": "urn:example:schemas:Thing", "name": "Thing", "attributes": attrs})
    }

    #[test]
    fn defaults_follow_rfc_7643_section_2_2() {
        let s = schema_from_value(&schema_with(&json!([{"name": "label"}]))).unwrap();
        let a = s.attribute("LABEL").unwrap();
        assert_eq!(a.kind(), AttributeType::String);
        assert!(!a.multi_valued() && !a.required() && !a.case_exact());
        assert_eq!(a.mutability(), crate::schema::Mutability::ReadWrite);
    }

    #[test]
    fn nested_complex_is_refused_with_its_location() {
        let doc = schema_with(&json!([{"name": "a", "type": "complex", "subAttributes": [
            {"name": "b", "type": "complex", "subAttributes": [{"name": "c"}]}
        ]}]));
        let e = schema_from_value(&doc).unwrap_err();
        assert_eq!(e.location().unwrap().as_str(), "/attributes/0/subAttributes/0");
        assert!(e.detail().contains("cannot be complex"), "{}", e.detail());
    }

    #[test]
    fn malformed_definitions_are_refused() {
        for attrs in [
            json!([{"name": "a", "type": "complex"}]),
            json!([{"name": "a", "type": "string", "subAttributes": []}]),
            json!([{"name": "a", "type": "strng"}]),
            json!([{"name": "a"}, {"name": "A"}]),
            json!([{"name": "a", "mutabilty": "readOnly"}]),
            json!([{"name": "1a"}]),
            json!([{"name": "a", "referenceTypes": ["uri"]}]),
        ] {
            assert!(schema_from_value(&schema_with(&attrs)).is_err(), "{attrs}");
        }
        assert!(schema_from_value(&json!({"id": "Thing", "attributes": []})).is_err());
    }

    #[test]
    fn resource_type_reads_extensions() {
        let rt = resource_type_from_value(&json!({
            "name": "Device", "endpoint": "/Devices", "schema": "urn:example:Device",
            "schemaExtensions": [{"schema": "urn:example:Ext", "required": true}]
        }))
        .unwrap();
        assert_eq!(rt.id(), "Device");
        assert!(rt.extensions()[0].required());
        assert!(resource_type_from_value(&json!({"name": "D", "endpoint": "Devices", "schema": "urn:x:y"})).is_err());
    }
}
