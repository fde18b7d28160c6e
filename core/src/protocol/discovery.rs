//! The discovery documents of RFC 7644 §4: `/ServiceProviderConfig` from options, and
//! `/ResourceTypes` and `/Schemas` from a [`Registry`], in their RFC 7643 §5–§7
//! representations.
//!
//! - Every document has `meta.resourceType` and, given a base URL, `meta.location`
//!   (`<base>/ServiceProviderConfig`, `<base>/ResourceTypes/<id>`, `<base>/Schemas/<urn>`).
//! - A schema lists every attribute characteristic; empty lists and texts (`canonicalValues`,
//!   `referenceTypes`, `description`, `schemaExtensions`) are left out, as RFC 7643 §2.5 makes
//!   them equal to absent. Reading a schema document back gives the same schema.
//! - `/Schemas` lists every schema of the registry, the service provider schemas of RFC 7643
//!   §8.7.2 included, so a client can read those documents too.
//! - The list forms are `ListResponse`s of every document, unpaged. A `filter` on these
//!   endpoints is refused with 403 ([`refuse_filter`]), as RFC 7644 §4 advises, so a client
//!   cannot take unfiltered results as filtered.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::list_response::ListResponse;
use super::meta::encode_segment;
use crate::error::{Error, ErrorKind, Location, ScimType};
use crate::schema::{Attribute, AttributeType, Registry, ResourceType, Schema};
use crate::urn;

/// `bulk` of the ServiceProviderConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct BulkSupport {
    /// Whether `/Bulk` is served.
    pub supported: bool,
    /// The most operations one request may hold (a `u64`, written back as given in every
    /// runtime).
    #[serde(deserialize_with = "crate::limits::saturating_u64")]
    pub max_operations: u64,
    /// The largest request body, in bytes.
    #[serde(deserialize_with = "crate::limits::saturating_u64")]
    pub max_payload_size: u64,
}

impl Default for BulkSupport {
    fn default() -> Self {
        let limits = super::bulk::BulkLimits::default();
        let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Self {
            supported: false,
            max_operations: wide(limits.max_operations),
            max_payload_size: wide(limits.max_payload_size),
        }
    }
}

/// `filter` of the ServiceProviderConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FilterSupport {
    /// Whether filters are supported.
    pub supported: bool,
    /// The most resources one response holds (keep equal to `QueryOptions::max_count`).
    #[serde(deserialize_with = "crate::limits::saturating_u64")]
    pub max_results: u64,
}

impl Default for FilterSupport {
    fn default() -> Self {
        let max_count = super::query::QueryOptions::default().max_count;
        Self { supported: true, max_results: u64::try_from(max_count).unwrap_or(u64::MAX) }
    }
}

/// One entry of `authenticationSchemes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthenticationScheme {
    /// `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic` or `httpdigest`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The common name.
    pub name: String,
    /// A description.
    pub description: String,
    /// The specification's URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_uri: Option<String>,
    /// The service's documentation for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_uri: Option<String>,
    /// Whether it is the preferred scheme.
    #[serde(default)]
    pub primary: bool,
}

impl AuthenticationScheme {
    /// OAuth 2.0 bearer tokens (RFC 6750), what Okta and Microsoft Entra ID send.
    pub fn oauth_bearer_token() -> Self {
        Self {
            kind: "oauthbearertoken".into(),
            name: "OAuth Bearer Token".into(),
            description: "Authentication with an OAuth 2.0 bearer token".into(),
            spec_uri: Some("https://www.rfc-editor.org/info/rfc6750".into()),
            documentation_uri: None,
            primary: true,
        }
    }
}

/// What a service supports, for its ServiceProviderConfig (RFC 7643 §5). Read from JSON with
/// camelCase names. Defaults: PATCH, filter (1000 results), sort and entity tags supported; bulk and
/// password change not; one OAuth bearer token scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per RFC 7643 §5 feature, as the document has them")]
pub struct ServiceProviderOptions {
    /// The service's help page.
    pub documentation_uri: Option<String>,
    /// Whether PATCH is supported.
    pub patch: bool,
    /// Bulk support and limits.
    pub bulk: BulkSupport,
    /// Filter support and the result limit.
    pub filter: FilterSupport,
    /// Whether a password can be changed.
    pub change_password: bool,
    /// Whether sorting is supported.
    pub sort: bool,
    /// Whether entity tags (`meta.version`) are supported.
    pub etag: bool,
    /// The authentication schemes.
    pub authentication_schemes: Vec<AuthenticationScheme>,
}

impl Default for ServiceProviderOptions {
    fn default() -> Self {
        Self {
            documentation_uri: None,
            patch: true,
            bulk: BulkSupport::default(),
            filter: FilterSupport::default(),
            change_password: false,
            sort: true,
            etag: true,
            authentication_schemes: vec![AuthenticationScheme::oauth_bearer_token()],
        }
    }
}

fn meta(resource_type: &str, base_url: Option<&str>, path: &str) -> Value {
    let mut m = Map::new();
    m.insert("resourceType".into(), resource_type.into());
    if let Some(base) = base_url {
        m.insert("location".into(), format!("{}{path}", base.trim_end_matches('/')).into());
    }
    Value::Object(m)
}

/// The ServiceProviderConfig document.
///
/// # Errors
/// `invalidValue`, at the option, for a document the ServiceProviderConfig schema (RFC 7643
/// §5) refuses: no authentication scheme (`authenticationSchemes` is required, and an empty
/// list is no value), a scheme without its required `type`, `name` or `description`, or more
/// than one `primary` scheme (RFC 7643 §2.4).
pub fn service_provider_config(options: &ServiceProviderOptions, base_url: Option<&str>) -> Result<Value, Error> {
    check_schemes(&options.authentication_schemes)?;
    let supported = |s: bool| json!({"supported": s});
    let mut doc = json!({
        "schemas": [urn::SERVICE_PROVIDER_CONFIG],
        "patch": supported(options.patch),
        "bulk": {
            "supported": options.bulk.supported,
            "maxOperations": options.bulk.max_operations,
            "maxPayloadSize": options.bulk.max_payload_size,
        },
        "filter": {"supported": options.filter.supported, "maxResults": options.filter.max_results},
        "changePassword": supported(options.change_password),
        "sort": supported(options.sort),
        "etag": supported(options.etag),
        "authenticationSchemes": options.authentication_schemes,
        "meta": meta("ServiceProviderConfig", base_url, "/ServiceProviderConfig"),
    });
    if let (Some(uri), Value::Object(map)) = (&options.documentation_uri, &mut doc) {
        map.insert("documentationUri".into(), uri.clone().into());
    }
    Ok(doc)
}

/// Refuses authentication schemes the ServiceProviderConfig schema refuses (see
/// [`service_provider_config`]).
fn check_schemes(schemes: &[AuthenticationScheme]) -> Result<(), Error> {
    let at = Location::root().key("authenticationSchemes");
    if schemes.is_empty() {
        return Err(Error::new(
            ScimType::InvalidValue,
            "`authenticationSchemes` needs at least one scheme: the ServiceProviderConfig schema requires it \
             (RFC 7643 §5), and an empty list is no value",
        )
        .at(at));
    }
    let mut primary = None;
    for (i, scheme) in schemes.iter().enumerate() {
        for (name, value) in [("type", &scheme.kind), ("name", &scheme.name), ("description", &scheme.description)] {
            if value.trim().is_empty() {
                return Err(Error::new(
                    ScimType::InvalidValue,
                    format!("an authentication scheme needs its `{name}` (RFC 7643 §5 requires it)"),
                )
                .at(at.clone().index(i).key(name)));
            }
        }
        if scheme.primary {
            if let Some(first) = primary {
                return Err(Error::new(
                    ScimType::InvalidValue,
                    format!(
                        "only one authentication scheme may be `primary` (RFC 7643 §2.4); scheme {first} already is"
                    ),
                )
                .at(at.clone().index(i).key("primary")));
            }
            primary = Some(i);
        }
    }
    Ok(())
}

/// An attribute definition in its RFC 7643 §7 representation.
pub fn attribute_to_json(a: &Attribute) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), a.name().into());
    m.insert("type".into(), a.kind().as_str().into());
    m.insert("multiValued".into(), a.multi_valued().into());
    if !a.description().is_empty() {
        m.insert("description".into(), a.description().into());
    }
    m.insert("required".into(), a.required().into());
    if !a.canonical_values().is_empty() {
        m.insert("canonicalValues".into(), a.canonical_values().into());
    }
    m.insert("caseExact".into(), a.case_exact().into());
    m.insert("mutability".into(), a.mutability().as_str().into());
    m.insert("returned".into(), a.returned().as_str().into());
    m.insert("uniqueness".into(), a.uniqueness().as_str().into());
    if !a.reference_types().is_empty() {
        m.insert("referenceTypes".into(), a.reference_types().into());
    }
    if a.kind() == AttributeType::Complex {
        m.insert("subAttributes".into(), a.sub_attributes().iter().map(attribute_to_json).collect());
    }
    Value::Object(m)
}

/// A schema in its RFC 7643 §7 representation, with `meta` when `base_url` is given or not.
pub fn schema_to_json(schema: &Schema, base_url: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("schemas".into(), json!([urn::SCHEMA]));
    m.insert("id".into(), schema.id().into());
    if !schema.name().is_empty() {
        m.insert("name".into(), schema.name().into());
    }
    if !schema.description().is_empty() {
        m.insert("description".into(), schema.description().into());
    }
    m.insert("attributes".into(), schema.attributes().iter().map(attribute_to_json).collect());
    m.insert("meta".into(), meta("Schema", base_url, &format!("/Schemas/{}", encode_segment(schema.id()))));
    Value::Object(m)
}

/// A resource type in its RFC 7643 §6 representation.
pub fn resource_type_to_json(rt: &ResourceType, base_url: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("schemas".into(), json!([urn::RESOURCE_TYPE]));
    m.insert("id".into(), rt.id().into());
    m.insert("name".into(), rt.name().into());
    m.insert("endpoint".into(), rt.endpoint().into());
    if !rt.description().is_empty() {
        m.insert("description".into(), rt.description().into());
    }
    m.insert("schema".into(), rt.schema().into());
    if !rt.extensions().is_empty() {
        let extensions: Vec<Value> =
            rt.extensions().iter().map(|e| json!({"schema": e.schema(), "required": e.required()})).collect();
        m.insert("schemaExtensions".into(), extensions.into());
    }
    m.insert("meta".into(), meta("ResourceType", base_url, &format!("/ResourceTypes/{}", encode_segment(rt.id()))));
    Value::Object(m)
}

/// The `/Schemas` ListResponse: every schema of `registry`.
pub fn schemas_list(registry: &Registry, base_url: Option<&str>) -> ListResponse<Value> {
    let all: Vec<Value> = registry.schemas().iter().map(|s| schema_to_json(s, base_url)).collect();
    let n = all.len();
    ListResponse::from_all(all, 1, n)
}

/// The `/ResourceTypes` ListResponse: every resource type of `registry`.
pub fn resource_types_list(registry: &Registry, base_url: Option<&str>) -> ListResponse<Value> {
    let all: Vec<Value> = registry.resource_types().iter().map(|r| resource_type_to_json(r, base_url)).collect();
    let n = all.len();
    ListResponse::from_all(all, 1, n)
}

/// The 403 error RFC 7644 §4 advises for a `filter` on a discovery endpoint, when `filter`
/// is given.
///
/// # Errors
/// 403 (no `scimType`) when `filter` is `Some`.
pub fn refuse_filter(filter: Option<&str>) -> Result<(), Error> {
    match filter {
        Some(_) => Err(filter_forbidden()),
        None => Ok(()),
    }
}

/// [`refuse_filter`] for a discovery request's whole URI query string (with or without the
/// leading `?`): the 403 when a parameter is named `filter`, whatever its value, with the name
/// read as [`ListQuery::from_query_string`](super::ListQuery::from_query_string) reads names —
/// percent-decoded and in any case (`Filter=…`, `%66ilter=…`). Other parameters are ignored.
///
/// # Errors
/// 403 (no `scimType`) when the query names `filter`; `invalidValue` for a parameter name
/// with a malformed escape.
pub fn refuse_filter_in_query(query: &str) -> Result<(), Error> {
    if super::query::names_filter(query)? { Err(filter_forbidden()) } else { Ok(()) }
}

fn filter_forbidden() -> Error {
    Error::new(ErrorKind::Forbidden, "discovery endpoints do not take a filter")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema_from_value;

    #[test]
    fn every_builtin_schema_round_trips() {
        let registry = Registry::builtin();
        for schema in registry.schemas() {
            let doc = schema_to_json(schema, Some("https://x/v2"));
            assert_eq!(&schema_from_value(&doc).unwrap(), schema, "{}", schema.id());
        }
    }

    #[test]
    fn documents_carry_meta() {
        let registry = Registry::builtin();
        let types = serde_json::to_value(resource_types_list(&registry, Some("https://x/v2/"))).unwrap();
        assert_eq!(types["totalResults"], 2);
        assert_eq!(types["Resources"][0]["meta"]["location"], "https://x/v2/ResourceTypes/User");
        let spc = service_provider_config(&ServiceProviderOptions::default(), None).unwrap();
        assert_eq!(spc["meta"], json!({"resourceType": "ServiceProviderConfig"}));
        assert_eq!(spc["bulk"]["maxPayloadSize"], 1_048_576);
        assert!(refuse_filter(Some("x")).is_err());
    }
}
