//! The boundary every binding calls one-to-one: JSON text (or values) in, JSON out, one
//! [`Error`] type out. Bindings convert arguments and results; everything else is here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ScimType};
use crate::schema::Registry;
use crate::validate::{Invalid, Note, ValidateOptions, Validated};

mod remembered;
use remembered::read_options;

/// Reads an options object (camelCase names) from JSON text; empty text means all defaults.
///
/// # Errors
/// `invalidValue` naming the option that is unknown or malformed.
pub fn options_from_json<T: DeserializeOwned + Default>(text: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    if !text.trim_start().starts_with('{') {
        // serde would read a struct from an array too (`[]` as all defaults).
        return Err(not_an_object());
    }
    // Re-reading a member alone goes through the very reader this one is (one copy of the
    // code per options type: the WebAssembly build is measured by its size).
    serde_json::from_str(text)
        .map_err(|e| options_error(&e, text, &|alone| serde_json::from_str::<T>(alone).err().map(|e| e.to_string())))
}

/// Reads an options object from a JSON value; `null` means all defaults.
///
/// # Errors
/// `invalidValue` naming the option that is unknown or malformed.
pub fn options_from_value<T: DeserializeOwned + Default>(value: &Value) -> Result<T, Error> {
    if value.is_null() {
        return Ok(T::default());
    }
    options_from_json(&value.to_string())
}

fn not_an_object() -> Error {
    Error::new(ScimType::InvalidValue, "invalid options: expected an object of options")
}

/// The error for options serde refused: its message in words a caller knows (JSON types, not
/// Rust ones), located at the option it is about — found by reading each option alone
/// (`reread`: the reader's message for a text, if it fails), which the defaults allow; only
/// when reading failed, each member read once.
fn options_error(e: &serde_json::Error, text: &str, reread: &dyn Fn(&str) -> Option<String>) -> Error {
    let without_position = |t: String| t.split(" at line ").next().unwrap_or(&t).to_owned();
    let message = without_position(e.to_string());
    let error = Error::new(ScimType::InvalidValue, format!("invalid options: {}", in_json_words(&message)));
    let given = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    let culprit = given.as_object().and_then(|members| {
        members.iter().find_map(|(key, value)| {
            let alone = Value::Object(std::iter::once((key.clone(), value.clone())).collect()).to_string();
            reread(&alone).map(without_position).is_some_and(|m| m == message).then(|| key.clone())
        })
    });
    match culprit {
        Some(key) => error.at(crate::error::Location::root().key(&key)),
        None => error,
    }
}

/// serde's expectation in JSON's words: `struct BulkSupport` is an object, `usize` a whole
/// number.
fn in_json_words(message: &str) -> String {
    let mut out = message.to_owned();
    for (rust, json) in [
        ("expected usize", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected i64", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected an object"),
        ("invalid type: map", "invalid type: object"),
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: floating point", "invalid type: number"),
    ] {
        out = out.replace(rust, json);
    }
    if let Some(at) = out.find("expected struct ") {
        let rest = out.get(at + "expected struct ".len()..).unwrap_or_default();
        let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        out = format!(
            "{}expected an object{}",
            out.get(..at).unwrap_or_default(),
            rest.get(name_len..).unwrap_or_default()
        );
    }
    out
}

/// The default limits with no bound on the size: a list of resources or a stored document is
/// no request body.
fn any_size() -> crate::Limits {
    crate::Limits { max_body_bytes: usize::MAX, ..crate::Limits::default() }
}

/// A list of resources given as JSON text: an array, read strictly (any size: a list is not a
/// request body).
///
/// # Errors
/// `invalidSyntax` when the text is not JSON or not an array.
pub fn resources_from_json(text: &str) -> Result<Vec<Value>, Error> {
    let limits = any_size();
    match crate::json::parse_strict(text, &limits)? {
        Value::Array(items) => Ok(items),
        _ => Err(crate::json::not_an_array()),
    }
}

/// For each resource of a JSON array text, whether it matches `filter`, reading one resource
/// at a time (memory for one, not for the whole array as values).
///
/// # Errors
/// As [`resources_from_json`].
pub fn matches_each_json(filter: &crate::CheckedFilter, text: &str) -> Result<Vec<bool>, Error> {
    let limits = any_size();
    let mut flags = Vec::new();
    crate::json::for_each_item(text, &limits, |resource| flags.push(filter.matches(&resource)))?;
    Ok(flags)
}

/// Builds a registry: the built-ins plus custom schemas and resource types, each given as
/// RFC 7643 JSON text (a resource type text may hold an array of types).
///
/// # Errors
/// The first malformed definition, with its location inside that document.
pub fn build_registry<S: AsRef<str>, R: AsRef<str>>(schemas: &[S], resource_types: &[R]) -> Result<Registry, Error> {
    let mut builder = Registry::builder();
    for text in schemas {
        builder = builder.schema_json(text.as_ref())?;
    }
    for text in resource_types {
        builder = builder.resource_type_json(text.as_ref())?;
    }
    builder.build()
}

/// The result of a successful validation as bindings return it.
#[derive(Debug, Serialize)]
pub struct ValidateOutput<'a> {
    /// The normalized resource.
    pub resource: &'a Value,
    /// What normalization changed.
    pub notes: &'a [Note],
}

/// The result of a failed validation as the CLI prints it.
#[derive(Debug, Serialize)]
pub struct ValidateFailure<'a> {
    /// Every error.
    pub errors: &'a [Error],
    /// What was noted before failing.
    pub notes: &'a [Note],
}

/// Validates JSON text with options given as JSON text.
///
/// # Errors
/// [`Invalid`] with every error; bad options are one `invalidValue` error.
pub fn validate_text(
    registry: &Registry,
    resource_type: &str,
    body: &str,
    options: &str,
) -> Result<Validated, Invalid> {
    let options: ValidateOptions = read_options(options)?;
    crate::validate::validate_json(registry, resource_type, body, &options)
}

/// The JSON text bindings return for a validation that passed.
pub fn validated_to_json(v: &Validated) -> String {
    to_json(&ValidateOutput { resource: &v.resource, notes: &v.notes })
}

/// A validation that passed as two JSON texts, for bindings that hand the resource over as
/// text (exact, ready to store or send): the resource, and `{"notes": […]}`. The two together
/// say what [`validated_to_json`] says.
pub fn validated_to_json_parts(v: &Validated) -> (String, String) {
    (to_json(&v.resource), validated_report_to_json(v))
}

/// What a validation that passed reports besides the resource, `{"notes": […]}`: the second of
/// [`validated_to_json_parts`], for a binding that writes it only when there are notes.
pub fn validated_report_to_json(v: &Validated) -> String {
    to_json(&ValidateReport { notes: &v.notes })
}

/// What a validation that passed reports besides the resource.
#[derive(Debug, Serialize)]
struct ValidateReport<'a> {
    notes: &'a [Note],
}

/// The JSON text for a failed validation: `{"errors": […], "notes": […]}`.
pub fn invalid_to_json(v: &Invalid) -> String {
    to_json(&ValidateFailure { errors: v.error.errors(), notes: &v.notes })
}

/// Any serializable value as JSON text. Serializing our own types cannot fail; were it to,
/// the text says so as JSON rather than panicking.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    crate::json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// Any serializable value as indented JSON text.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Filters and paths (RFC 7644 §3.4.2.2, §3.5.2, §3.10)
//
// JSON in, JSON out. Errors are `invalidFilter` (filters) or `invalidPath` (paths) with a byte
// span into the text; a bad options object or resource type is `invalidValue`; resource JSON
// that does not parse is `invalidSyntax`.
// ---------------------------------------------------------------------------------------------

/// Parses a filter with the default limits.
///
/// # Errors
/// `invalidFilter` with a span.
pub fn filter_parse(text: &str) -> Result<crate::filter::Filter, Error> {
    crate::filter::Filter::parse(text)
}

/// Parses a filter with limits given as a JSON options object (`{"maxLength", "maxDepth",
/// "maxComparisons"}`, camelCase; empty text means the defaults).
///
/// # Errors
/// `invalidValue` for bad options; `invalidFilter` with a span for the filter.
pub fn filter_parse_with(text: &str, limits: &str) -> Result<crate::filter::Filter, Error> {
    let limits: crate::filter::FilterLimits = options_from_json(limits)?;
    crate::filter::Filter::parse_with(text, &limits)
}

/// The canonical text of a filter.
///
/// # Errors
/// `invalidFilter` with a span.
pub fn filter_canonical(text: &str) -> Result<String, Error> {
    Ok(filter_parse(text)?.to_string())
}

/// A parsed filter as JSON: `{"canonical": "…", "ast": {…}}` (the AST shape is documented on
/// [`crate::filter::Filter`]).
pub fn filter_describe(filter: &crate::filter::Filter) -> Value {
    let ast = serde_json::to_value(filter).unwrap_or(Value::Null);
    serde_json::json!({"canonical": filter.to_string(), "ast": ast})
}

/// Parses a filter and checks it against a resource type of `registry`.
///
/// # Errors
/// `invalidValue` for an unknown resource type; `invalidFilter` with a span.
pub fn filter_check(
    registry: &Registry,
    resource_type: &str,
    text: &str,
) -> Result<crate::filter::CheckedFilter, Error> {
    let view = registry.require_resource_type(resource_type)?;
    filter_parse(text)?.check(&view)
}

/// Prepares a filter for evaluation: checked against `resource_type` when given, else with the
/// schema-less defaults of [`crate::filter::Filter::without_schema`].
///
/// # Errors
/// As [`filter_check`].
pub fn filter_prepare(
    registry: &Registry,
    resource_type: Option<&str>,
    text: &str,
) -> Result<crate::filter::CheckedFilter, Error> {
    match resource_type {
        Some(name) => filter_check(registry, name, text),
        None => Ok(filter_parse(text)?.without_schema()),
    }
}

/// Whether one resource, given as JSON text, matches the filter.
///
/// # Errors
/// As [`filter_check`]; `invalidSyntax` when the resource is not JSON.
pub fn filter_matches(
    registry: &Registry,
    resource_type: Option<&str>,
    filter: &str,
    resource_json: &str,
) -> Result<bool, Error> {
    let checked = filter_prepare(registry, resource_type, filter)?;
    let resource = crate::json::parse_strict(resource_json, &crate::json::Limits::default())?;
    Ok(checked.matches(&resource))
}

/// For each resource, whether it matches the filter (the filter is prepared once).
///
/// # Errors
/// As [`filter_check`].
pub fn filter_matches_all(
    registry: &Registry,
    resource_type: Option<&str>,
    filter: &str,
    resources: &[Value],
) -> Result<Vec<bool>, Error> {
    let checked = filter_prepare(registry, resource_type, filter)?;
    Ok(resources.iter().map(|r| checked.matches(r)).collect())
}

/// Parses a PATCH path with the default limits for its value filter.
///
/// # Errors
/// `invalidPath` with a span.
pub fn patch_path_parse(text: &str) -> Result<crate::path::PatchPath, Error> {
    crate::path::PatchPath::parse(text)
}

/// A parsed PATCH path as JSON: `{"canonical", "urn"?, "name", "sub"?, "filter"?}` where
/// `filter` is the value filter's AST and `sub` the sub-attribute (after `.` or after `]`).
pub fn patch_path_describe(path: &crate::path::PatchPath) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("canonical".into(), path.to_string().into());
    if let Ok(Value::Object(parts)) = serde_json::to_value(path) {
        out.extend(parts);
    }
    Value::Object(out)
}

/// Parses an attribute path (RFC 7644 §3.10), e.g. for the `attributes` parameter.
///
/// # Errors
/// `invalidPath` with a span.
pub fn attr_path_parse(text: &str) -> Result<crate::path::AttrPath, Error> {
    crate::path::AttrPath::parse(text)
}

// ---------------------------------------------------------------------------------------------
// Protocol (RFC 7644 §3.4.2 list parameters, §3.4.3 SearchRequest, §3.9 attributes, §3.12
// errors, §3.14 versions, §3.7 bulk, §4 discovery)
//
// JSON in, JSON out. Options objects are camelCase JSON text (empty text: the defaults):
// `QueryOptions` {maxCount, defaultCount}, `MetaOptions` {baseUrl, created, lastModified},
// `ServiceProviderOptions`, `BulkLimits` {maxOperations, maxPayloadSize}. Resource lists are
// JSON arrays of resources.
// ---------------------------------------------------------------------------------------------

/// Reads list parameters from a URI query string.
///
/// # Errors
/// See [`crate::protocol::ListQuery::from_query_string`]; bad options are `invalidValue`.
pub fn list_query_from_query_string(query: &str, options: &str) -> Result<crate::protocol::ListQuery, Error> {
    let options: crate::protocol::QueryOptions = options_from_json(options)?;
    crate::protocol::ListQuery::from_query_string(query, &options)
}

/// Reads list parameters from a SearchRequest body (JSON text).
///
/// # Errors
/// See [`crate::protocol::ListQuery::from_search_request`]; bad options are `invalidValue`.
pub fn list_query_from_search_request(body: &str, options: &str) -> Result<crate::protocol::ListQuery, Error> {
    let options: crate::protocol::QueryOptions = options_from_json(options)?;
    crate::protocol::ListQuery::from_search_request_json(body, &options)
}

/// Answers a list request: keeps the resources matching `query.filter` (when given), then
/// sorts, pages and projects them ([`crate::protocol::list_resources`]).
///
/// # Errors
/// `invalidValue` for an unknown resource type, `sortBy` or malformed attribute name;
/// `invalidFilter` for the filter.
pub fn list_response(
    registry: &Registry,
    resource_type: &str,
    resources: Vec<Value>,
    query: &crate::protocol::ListQuery,
) -> Result<crate::protocol::ListResponse<Value>, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let filter = list_filter(view, query)?;
    // The whole query is checked before the resources, in the order `list_response_each` checks
    // it, so both answer a bad query and a bad resource with the same error.
    let plan = crate::protocol::ListPlan::compile(view, query)?;
    crate::protocol::require_resources(&resources)?;
    let matching = match filter {
        Some(filter) => resources.into_iter().filter(|r| filter.matches(r)).collect(),
        None => resources,
    };
    Ok(plan.answer(matching, query))
}

/// The query's filter checked against the resource type; its errors located at `/filter`.
fn list_filter(
    view: crate::schema::ResourceTypeView<'_>,
    query: &crate::protocol::ListQuery,
) -> Result<Option<crate::CheckedFilter>, Error> {
    let Some(text) = query.filter_text() else { return Ok(None) };
    let at_filter = |e: Error| match e.location() {
        Some(_) => e,
        None => e.at(crate::error::Location::root().key("filter")),
    };
    crate::filter::Filter::parse(text).and_then(|f| f.check(&view)).map(Some).map_err(at_filter)
}

/// [`list_response`] over the resources as JSON text (an array), read one resource at a time:
/// only what the answer needs is held — the page, or with `sortBy` the matches up to the
/// page's end — never the whole array as values. The query is checked before anything is read,
/// so a bad query is reported before bad resources.
///
/// # Errors
/// As [`list_response`]; `invalidSyntax` when the resources are not a JSON array.
pub fn list_response_text(
    registry: &Registry,
    resource_type: &str,
    resources: &str,
    query: &crate::protocol::ListQuery,
) -> Result<crate::protocol::ListResponse<Value>, Error> {
    let limits = any_size();
    list_response_each(registry, resource_type, query, |each| crate::json::for_each_item(resources, &limits, each))
}

/// [`list_response`] over resources that `read` hands to its callback one at a time — a
/// reader of the host's own: the lines of a file, the rows of a store — holding only what the
/// answer needs, as [`list_response_text`] does. The query is checked before `read` is called.
///
/// # Errors
/// As [`list_response`], and whatever `read` returns.
pub fn list_response_each(
    registry: &Registry,
    resource_type: &str,
    query: &crate::protocol::ListQuery,
    read: impl FnOnce(&mut dyn FnMut(Value)) -> Result<(), Error>,
) -> Result<crate::protocol::ListResponse<Value>, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let filter = list_filter(view, query)?;
    crate::protocol::list_resources_streamed(view, query, |r| filter.as_ref().is_none_or(|f| f.matches(r)), read)
}

/// [`list_response`] over resources an iterator hands over one at a time (a host's cursor,
/// each item converted as it comes), holding only what the answer needs. Reading stops at the
/// first item that is an error — returned as it is — or that is no resource (`invalidValue` at
/// `/<index>`) or nests deeper than it could inside the list's JSON text
/// ([`crate::protocol::require_list_item`]), so the rest of the iterator is never read.
///
/// # Errors
/// As [`list_response_each`], and the first error an item is.
pub fn list_response_iter(
    registry: &Registry,
    resource_type: &str,
    query: &crate::protocol::ListQuery,
    items: impl IntoIterator<Item = Result<Value, Error>>,
) -> Result<crate::protocol::ListResponse<Value>, Error> {
    list_response_each(registry, resource_type, query, |each| {
        for (at, item) in items.into_iter().enumerate() {
            let resource = item?;
            crate::protocol::require_list_item(&resource, at)?;
            each(resource);
        }
        Ok(())
    })
}

/// [`list_response`] over JSON text: the resources (a JSON array) and a query string; the
/// ListResponse as JSON text.
///
/// # Errors
/// As [`list_response`] and [`list_query_from_query_string`]; `invalidSyntax` when the
/// resources are not a JSON array.
pub fn list_response_json(
    registry: &Registry,
    resource_type: &str,
    resources: &str,
    query: &str,
    options: &str,
) -> Result<String, Error> {
    let query = list_query_from_query_string(query, options)?;
    Ok(to_json(&list_response_text(registry, resource_type, resources, &query)?))
}

/// Projects one resource (JSON text) per `selection`, a JSON object with `attributes` and/or
/// `excludedAttributes`, each an array of names or one comma-separated string, and `request`:
/// for the response to a write, the POST or PUT body or the PatchOp it answers, whose
/// specified `returned: "request"` attributes are returned (RFC 7643 §7).
///
/// # Errors
/// `invalidValue` for an unknown resource type, a malformed name, both lists, or a `request`
/// that is no JSON object; `invalidSyntax` for malformed JSON.
pub fn project_json(
    registry: &Registry,
    resource_type: &str,
    resource: &str,
    selection: &str,
) -> Result<String, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let limits = any_size();
    let resource = crate::json::parse_strict(resource, &limits)?;
    crate::protocol::require_resource(&resource, crate::error::Location::root)?;
    let selection =
        if selection.trim().is_empty() { Value::Null } else { crate::json::parse_strict(selection, &limits)? };
    let (attributes, excluded) = match &selection {
        Value::Object(map) => crate::protocol::attribute_lists(map)?,
        Value::Null => (Vec::new(), Vec::new()),
        _ => return Err(Error::new(ScimType::InvalidValue, "the selection must be a JSON object")),
    };
    let request = answered_request(&selection, &limits)?;
    let projection = crate::protocol::Projection::compile_answering(view, &attributes, &excluded, request.as_ref())?;
    Ok(to_json(&projection.view(&resource)))
}

/// The `request` of a projection's selection: the write the response answers (a JSON object,
/// or its JSON text as received), whose `returned: request` attributes it returns; `None`
/// when not given.
fn answered_request(selection: &Value, limits: &crate::Limits) -> Result<Option<Value>, Error> {
    let at = || crate::error::Location::root().key("request");
    let given = selection.as_object().and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case("request")));
    let read = match given.map(|(_, v)| v) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => crate::json::parse_strict(text, limits).map_err(|e| e.at(at()))?,
        Some(other) => other.clone(),
    };
    if !read.is_object() {
        return Err(Error::new(
            ScimType::InvalidValue,
            "`request` must be the write the response answers: a POST or PUT body, or a PatchOp (an object or its JSON text)",
        )
        .at(at()));
    }
    Ok(Some(read))
}

/// Sorts resources (a JSON array text) by `sort_by`; `sort_order` is `ascending` (also when
/// empty) or `descending`.
///
/// # Errors
/// `invalidValue` for an unknown resource type, attribute or order; `invalidSyntax` when the
/// resources are not a JSON array.
pub fn sort_json(
    registry: &Registry,
    resource_type: &str,
    resources: &str,
    sort_by: &str,
    sort_order: &str,
) -> Result<String, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let order = if sort_order.trim().is_empty() {
        crate::protocol::SortOrder::Ascending
    } else {
        sort_order.parse::<crate::protocol::SortOrder>()?
    };
    let sorter = crate::protocol::Sorter::compile(view, sort_by, order)?;
    let resources = resources_from_json(resources)?;
    crate::protocol::require_resources(&resources)?;
    Ok(to_json(&sorter.sort(resources)))
}

/// The ListResponse for a page of resources the host cut itself from `total_results` matches
/// (`start_index` 1-based, default 1), as [`crate::protocol::ListResponse::from_host_page`].
///
/// # Errors
/// `invalidValue` for a page item that is not a JSON object (at `/<index>`) and for a total or
/// start index that is not a whole number in range.
pub fn page_response(
    page: Vec<Value>,
    total_results: f64,
    start_index: Option<f64>,
) -> Result<crate::protocol::ListResponse<Value>, Error> {
    crate::protocol::require_resources(&page)?;
    crate::protocol::ListResponse::from_host_page(page, total_results, start_index)
}

/// The RFC 7644 §3.12 error body for `error` (see [`crate::protocol::error_response`]).
pub fn error_response_json(error: &Error) -> String {
    to_json(&crate::protocol::error_response(error))
}

/// The ServiceProviderConfig document from `ServiceProviderOptions` JSON text.
///
/// # Errors
/// `invalidValue` for bad options.
pub fn service_provider_config_json(options: &str, base_url: Option<&str>) -> Result<String, Error> {
    let options: crate::protocol::ServiceProviderOptions = options_from_json(options)?;
    Ok(to_json(&crate::protocol::service_provider_config(&options, base_url)?))
}

/// The `/ResourceTypes` ListResponse of `registry`.
pub fn resource_types_json(registry: &Registry, base_url: Option<&str>) -> String {
    to_json(&crate::protocol::resource_types_list(registry, base_url))
}

/// The `/Schemas` ListResponse of `registry`.
pub fn schemas_json(registry: &Registry, base_url: Option<&str>) -> String {
    to_json(&crate::protocol::schemas_list(registry, base_url))
}

/// The `/Schemas/<urn>` document of one schema of `registry`.
///
/// # Errors
/// 404 when the registry has no schema with that URN.
pub fn schema_document_json(registry: &Registry, urn: &str, base_url: Option<&str>) -> Result<String, Error> {
    let schema = registry
        .schema(urn)
        .ok_or_else(|| Error::new(crate::ErrorKind::NotFound, format!("no schema `{}`", crate::error::excerpt(urn))))?;
    Ok(to_json(&crate::protocol::schema_to_json(schema, base_url)))
}

/// The `/ResourceTypes/<id>` document of one resource type of `registry` (by id or name).
///
/// # Errors
/// 404 when the registry has no such resource type.
pub fn resource_type_document_json(registry: &Registry, id: &str, base_url: Option<&str>) -> Result<String, Error> {
    let found = registry
        .resource_types()
        .iter()
        .find(|r| r.id().eq_ignore_ascii_case(id) || r.name().eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            Error::new(crate::ErrorKind::NotFound, format!("no resource type `{}`", crate::error::excerpt(id)))
        })?;
    Ok(to_json(&crate::protocol::resource_type_to_json(found, base_url)))
}

/// The error an error record stands for — `{"scimType"? | "status", "detail"?, "location"?}`
/// (as `ScimError.toResponse()` and RFC 7644 §3.12 bodies give them) — or a list of records
/// (one error standing for all of them, each with its location), so a binding can rebuild a
/// `ScimError` from what it once serialized.
///
/// # Errors
/// `invalidValue` for a record that is not an error (an unknown `scimType`, a status without an
/// error kind) or an empty list.
pub fn error_from_records(value: &Value) -> Result<Error, Error> {
    let records = match value {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let mut errors = Vec::with_capacity(records.len());
    for record in records {
        let e = crate::protocol::bulk::error_from_value(record)?;
        errors.push(match record.get("location").and_then(Value::as_str) {
            Some(pointer) => e.at(crate::error::Location::from_pointer(pointer)),
            None => e,
        });
    }
    match Error::collect(errors) {
        Some(e) => Ok(e),
        // An empty list: the core's own refusal of a record that is not an error.
        None => crate::protocol::bulk::error_from_value(value),
    }
}

/// The weak entity tag of a resource given as JSON text.
///
/// # Errors
/// `invalidSyntax` for malformed JSON.
pub fn etag_json(resource: &str) -> Result<String, Error> {
    let limits = any_size();
    Ok(crate::protocol::etag(&crate::json::parse_strict(resource, &limits)?))
}

/// Evaluates `If-Match` / `If-None-Match`: `proceed`, `notModified` or `preconditionFailed`.
///
/// # Errors
/// `invalidValue` for an unknown method or a malformed header.
pub fn evaluate_preconditions(
    method: &str,
    current_version: Option<&str>,
    if_match: Option<&str>,
    if_none_match: Option<&str>,
) -> Result<&'static str, Error> {
    let method: crate::protocol::Method = method.parse()?;
    Ok(crate::protocol::evaluate_preconditions(method, current_version, if_match, if_none_match)?.as_str())
}

/// Where a request (JSON text: a resource body or a PatchOp) names `value` as the `value` of
/// `attribute` (`members`, `urn:…:manager`) of `resource_type`: the JSON pointer a service
/// points its error at when it refuses that value (a member that is no resource of the
/// service). See [`crate::protocol::value_location`].
///
/// # Errors
/// `invalidValue` for an unknown resource type or an attribute that is no complex attribute
/// with a `value`; `invalidSyntax` for malformed JSON.
pub fn value_location_json(
    registry: &Registry,
    resource_type: &str,
    request: &str,
    attribute: &str,
    value: &str,
) -> Result<String, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let limits = any_size();
    let request = crate::json::parse_strict(request, &limits)?;
    crate::protocol::value_location(view, &request, attribute, value).map(|at| at.as_str().to_owned())
}

/// Fills `meta` of a resource (JSON text) with `MetaOptions` JSON text.
///
/// # Errors
/// `invalidValue` for an unknown resource type, bad options or a resource without `id`
/// when a location is asked for; `invalidSyntax` for malformed JSON.
pub fn fill_meta_json(
    registry: &Registry,
    resource_type: &str,
    resource: &str,
    options: &str,
) -> Result<String, Error> {
    let view = registry.require_resource_type(resource_type)?;
    let options: crate::protocol::MetaOptions = options_from_json(options)?;
    let limits = any_size();
    let mut resource = crate::json::parse_strict(resource, &limits)?;
    crate::protocol::fill_meta(view, &mut resource, &options)?;
    Ok(to_json(&resource))
}

/// Reads, checks and plans a bulk request (JSON text) within `BulkLimits` JSON text.
///
/// # Errors
/// See [`crate::protocol::bulk::BulkRequest::from_json`] and [`crate::protocol::bulk::plan`].
pub fn bulk_plan(text: &str, limits: &str) -> Result<crate::protocol::bulk::BulkPlan, Error> {
    let limits: crate::protocol::bulk::BulkLimits = options_from_json(limits)?;
    Ok(crate::protocol::bulk::plan(crate::protocol::bulk::BulkRequest::from_json(text, &limits)?))
}

/// [`bulk_plan`] as JSON text: `{"failOnErrors", "operations": [{"index", "method", "bulkId"?,
/// "version"?, "path", "data"?, "dependsOn", "refused"?, "completes"?}]}` in execution order
/// (`refused`: the error record of an operation that cannot run; `completes`: the PATCH adding
/// what a POST split to break a cycle of references held back).
///
/// # Errors
/// As [`bulk_plan`].
pub fn bulk_plan_json(text: &str, limits: &str) -> Result<String, Error> {
    Ok(to_json(&bulk_plan(text, limits)?))
}

/// A runner over a bulk request (JSON text), for a binding to hold while the host runs each
/// operation; `base_url` builds `location`s.
///
/// # Errors
/// As [`bulk_plan`].
pub fn bulk_runner(
    text: &str,
    limits: &str,
    base_url: Option<&str>,
) -> Result<crate::protocol::bulk::BulkRunner, Error> {
    Ok(crate::protocol::bulk::BulkRunner::new(bulk_plan(text, limits)?, base_url.map(str::to_owned)))
}

/// The next operation as JSON text, `{"index", "method", "bulkId"?, "version"?, "path",
/// "data"?, "completes"?}` with references resolved, or `None` when the run is over
/// (`completes: true`: the PATCH adding what a POST split to break a cycle held back).
pub fn bulk_next_json(runner: &mut crate::protocol::bulk::BulkRunner) -> Option<String> {
    let (index, op) = runner.next_operation()?;
    let mut value = serde_json::to_value(&op).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("index".into(), index.into());
        if runner.completing() {
            map.insert("completes".into(), true.into());
        }
    }
    Some(to_json(&value))
}

/// Records the outcome of the operation last handed out, as JSON text: `{"status": 201,
/// "id"?, "location"?, "version"?}` or `{"error": {"status", "scimType"?, "detail"?}}`.
///
/// # Errors
/// `invalidValue` for an outcome of another shape, or one the operation cannot have (see
/// [`BulkRunner::record`](crate::protocol::bulk::BulkRunner::record)); `invalidSyntax` for
/// malformed JSON.
pub fn bulk_record_json(runner: &mut crate::protocol::bulk::BulkRunner, outcome: &str) -> Result<(), Error> {
    let value = crate::json::parse_strict(outcome, &crate::json::Limits::default())?;
    runner.record(crate::protocol::bulk::outcome_from_value(&value)?)?;
    Ok(())
}

/// The BulkResponse as JSON text.
pub fn bulk_finish_json(runner: crate::protocol::bulk::BulkRunner) -> String {
    to_json(&runner.finish())
}

// ---------------------------------------------------------------------------------------------
// PATCH (RFC 7644 §3.5.2) and diff → PATCH
//
// The resource and the request are JSON text; options are `PatchOptions` as camelCase JSON text
// (`{"profile": "entra"}`). The result is `{"resource", "changes", "quirks", "notes"}`.
// ---------------------------------------------------------------------------------------------

/// The result of a PATCH as bindings return it.
#[derive(Debug, Serialize)]
pub struct PatchOutput<'a> {
    /// The new resource.
    pub resource: &'a Value,
    /// What changed.
    pub changes: &'a [crate::patch::Change],
    /// The quirk rules that fired.
    pub quirks: &'a [Note],
    /// Other notes on the values sent.
    pub notes: &'a [Note],
}

/// Applies a PATCH request (JSON text) to a resource (JSON text).
///
/// # Errors
/// The stored resource not being JSON is `invalidValue`; bad options are `invalidValue`; the
/// PATCH's own errors as [`crate::patch::apply_patch`] gives them.
pub fn patch_text(
    registry: &Registry,
    resource_type: &str,
    resource: &str,
    request: &str,
    options: &str,
) -> Result<crate::patch::Patched, Error> {
    let options: crate::patch::PatchOptions = read_options(options)?;
    let resource =
        crate::json::parse_strict(resource, &options.limits).map_err(|e| crate::patch::stored_resource_error(&e))?;
    // Just read under the PATCH's limits: the depth walk is not repeated.
    crate::patch::apply_patch_text(registry, resource_type, resource, request, &options, false).map_err(Error::from)
}

/// The JSON text bindings return for a PATCH that succeeded.
pub fn patched_to_json(p: &crate::patch::Patched) -> String {
    to_json(&PatchOutput { resource: &p.resource, changes: &p.changes, quirks: &p.quirks, notes: &p.notes })
}

/// A PATCH that succeeded as two JSON texts, for bindings that hand the resource over as text
/// (exact, ready to store or send) or read the rest only when asked: the new resource, and
/// `{"changes", "quirks", "notes"}`. The two together say what [`patched_to_json`] says.
pub fn patched_to_json_parts(p: &crate::patch::Patched) -> (String, String) {
    (to_json(&p.resource), patch_report_to_json(p))
}

/// What a PATCH that succeeded reports besides the resource, `{"changes", "quirks", "notes"}`:
/// the second of [`patched_to_json_parts`], for a binding that writes it only when
/// [`crate::patch::Patched::reports_nothing`] is false.
pub fn patch_report_to_json(p: &crate::patch::Patched) -> String {
    to_json(&PatchReportRef { changes: &p.changes, quirks: &p.quirks, notes: &p.notes })
}

/// What a PATCH that succeeded reports besides the resource.
#[derive(Debug, Serialize)]
struct PatchReportRef<'a> {
    changes: &'a [crate::patch::Change],
    quirks: &'a [Note],
    notes: &'a [Note],
}

/// The PatchOp (JSON text) that turns `old` into `new` (both JSON text).
///
/// # Errors
/// `invalidValue` when either is not a JSON object or the resource type is unknown.
pub fn diff_text(registry: &Registry, resource_type: &str, old: &str, new: &str) -> Result<String, Error> {
    let limits = crate::Limits::default();
    let old = crate::json::parse_strict(old, &limits)?;
    let new = crate::json::parse_strict(new, &limits)?;
    crate::patch::diff(registry, resource_type, &old, &new).map(|ops| to_json(&ops))
}

// ---------------------------------------------------------------------------------------------
// Documents given either as JSON text or as an already-built value (a binding that walked a
// host object). Text is read strictly (duplicate keys refused); a value is checked the same way
// for nesting and for two keys naming one attribute.
// ---------------------------------------------------------------------------------------------

/// A document as a binding has it.
#[derive(Debug, Clone)]
pub enum Document<'a> {
    /// JSON text (a request body).
    Text(std::borrow::Cow<'a, str>),
    /// A value built from host objects.
    Value(Value),
}

impl Document<'_> {
    /// About how many bytes of work the document is — its text length, or for a value a cheap
    /// estimate from its top level (no walk) — for a binding deciding whether to release its
    /// interpreter lock.
    pub fn weight(&self) -> usize {
        const PER_MEMBER: usize = 64;
        match self {
            Document::Text(t) => t.len(),
            Document::Value(Value::Object(map)) => map
                .values()
                .map(|v| match v {
                    Value::Array(items) => items.len().saturating_mul(PER_MEMBER),
                    Value::Object(m) => m.len().saturating_mul(PER_MEMBER),
                    Value::String(s) => s.len(),
                    _ => 8,
                })
                .fold(0, usize::saturating_add),
            Document::Value(Value::Array(items)) => items.len().saturating_mul(PER_MEMBER),
            Document::Value(_) => 8,
        }
    }

    /// The document as JSON text (borrowed when it is text).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Document::Text(t) => std::borrow::Cow::Borrowed(t),
            Document::Value(v) => std::borrow::Cow::Owned(v.to_string()),
        }
    }
}

/// Validates a document with options given as JSON text.
///
/// # Errors
/// [`Invalid`] with every error; bad options are one `invalidValue` error.
pub fn validate_document(
    registry: &Registry,
    resource_type: &str,
    body: Document<'_>,
    options: &str,
) -> Result<Validated, Invalid> {
    let options: ValidateOptions = read_options(options)?;
    match body {
        Document::Text(text) => crate::validate::validate_json(registry, resource_type, &text, &options),
        Document::Value(value) => {
            // Held to the size limit its text would be, as a body given as text (or from JS) is.
            crate::json::check_value_size(&value, &options.limits)?;
            crate::validate::validate(registry, resource_type, value, &options)
        }
    }
}

/// Applies a PATCH request to a resource, each given as text or as a value.
///
/// # Errors
/// As [`patch_text`].
pub fn patch_document(
    registry: &Registry,
    resource_type: &str,
    resource: Document<'_>,
    request: Document<'_>,
    options: &str,
) -> Result<crate::patch::Patched, Error> {
    let options: crate::patch::PatchOptions = read_options(options)?;
    let (resource, read) = match resource {
        Document::Text(text) => (
            crate::json::parse_strict(&text, &options.limits).map_err(|e| crate::patch::stored_resource_error(&e))?,
            true,
        ),
        Document::Value(value) => {
            crate::json::check_value_size(&value, &options.limits)
                .map_err(|e| crate::patch::stored_resource_error(&e))?;
            (value, false)
        }
    };
    match request {
        // A resource just read from text is within the depth limit: not walked again.
        Document::Text(text) => {
            crate::patch::apply_patch_text(registry, resource_type, resource, &text, &options, !read)
        }
        Document::Value(value) => {
            request_within_depth(&value, &options)?;
            crate::json::check_value_size(&value, &options.limits)?;
            crate::patch::apply_patch_owned(registry, resource_type, resource, value, &options)
        }
    }
    .map_err(Error::from)
}

/// A request given as a value has not been through the reader's depth limit: held to it here.
fn request_within_depth(request: &Value, options: &crate::patch::PatchOptions) -> Result<(), Error> {
    let depth = options.limits.depth();
    if let Some(error) = crate::json::depth_error(request, depth) {
        return Err(error);
    }
    Ok(())
}

/// Holds a stored resource (text or value) for a run of PATCH requests applied in place;
/// options `{"limits"}` (JSON text, empty for the defaults).
///
/// # Errors
/// As [`crate::patch::HeldResource::new`]; bad options are `invalidValue`.
pub fn hold_document(
    registry: &Registry,
    resource_type: &str,
    resource: Document<'_>,
    options: &str,
) -> Result<crate::patch::HeldResource, Error> {
    let options: crate::patch::HoldOptions = options_from_json(options)?;
    match resource {
        Document::Text(text) => crate::patch::HeldResource::from_text(registry, resource_type, &text, &options),
        Document::Value(value) => {
            crate::json::check_value_size(&value, &options.limits)
                .map_err(|e| crate::patch::stored_resource_error(&e))?;
            crate::patch::HeldResource::new(registry, resource_type, value, &options)
        }
    }
}

/// Applies a PATCH request (text or value) to a held resource; options as for [`patch_text`].
///
/// # Errors
/// As [`crate::patch::HeldResource::apply_patch`]; the held resource is then unchanged.
pub fn held_patch_document(
    registry: &Registry,
    held: &mut crate::patch::HeldResource,
    request: Document<'_>,
    options: &str,
) -> Result<crate::patch::PatchReport, Error> {
    let options: crate::patch::PatchOptions = read_options(options)?;
    match request {
        Document::Text(text) => held.apply_patch_json(registry, &text, &options),
        Document::Value(value) => {
            request_within_depth(&value, &options)?;
            crate::json::check_value_size(&value, &options.limits)?;
            held.apply_patch(registry, value, &options)
        }
    }
}

crate::schema::wire_names! {
    /// An object a binding keeps on the Rust side from one call to the next, named as the
    /// bindings name its class (read in any case).
    HeldObject, "held object" {
        /// A held resource ([`hold_document`]).
        Resource => "HeldResource",
        /// A bulk runner ([`bulk_runner`]).
        BulkRunner => "BulkRunner",
        /// A set of resources parsed once to be filtered many times.
        ResourceSet => "ResourceSet",
        /// A filter checked against a resource type of a registry.
        CheckedFilter => "CheckedFilter",
        /// A storage mapping loaded against a registry.
        Mapping => "Mapping",
    }
}

/// The error every later call on a held object answers once a failure that skipped its cleanup
/// took what it held (a trap in WebAssembly, where a panic aborts and the binding then starts
/// over with fresh memory): a held resource, a resource set or a bulk runner is lost with it;
/// a checked filter or a mapping is made again from what made it, unless its registry was
/// freed since.
#[must_use]
pub fn lost_object_error(object: HeldObject) -> Error {
    let message = match object {
        HeldObject::Resource => return crate::patch::HeldResource::lost_error(),
        HeldObject::BulkRunner => {
            "the bulk runner was lost when a call failed unexpectedly; the operations it handed out stand, the rest were not run"
        }
        HeldObject::ResourceSet => "the resource set was lost when a call failed unexpectedly; build it again",
        HeldObject::CheckedFilter => {
            "the checked filter was lost when a call failed unexpectedly, and its registry was freed since; check the filter again"
        }
        HeldObject::Mapping => {
            "the mapping was lost when a call failed unexpectedly, and its registry was freed since; load it again"
        }
    };
    Error::new(crate::error::ErrorKind::Internal, message)
}

// ---------------------------------------------------------------------------------------------
// Storage mappings and filters as SQL (SQLite / Cloudflare D1, PostgreSQL)
//
// A mapping is JSON text (camelCase, documented in `crate::mapping`) describing where a resource
// type's attributes are stored: the document layout (the resource and its search form in two
// JSON columns) or the columns layout (typed columns, child tables). The dialect is `sqlite`
// (also `d1`) or `postgres` (also `postgresql`). Mapping problems are `invalidValue` with a JSON
// pointer into the mapping; filter problems `invalidFilter` with a span into the filter text.
// ---------------------------------------------------------------------------------------------

/// Reads a mapping for `resource_type`.
///
/// # Errors
/// `invalidValue` for an unknown resource type or a mapping problem (located in the mapping);
/// `invalidSyntax` when the text is not JSON.
pub fn mapping_load(
    registry: &Registry,
    resource_type: &str,
    mapping_json: &str,
) -> Result<crate::mapping::Mapping, Error> {
    crate::mapping::Mapping::from_json(registry, resource_type, mapping_json)
}

/// A filter as a parameterized `WHERE` clause over the mapping's tables:
/// `{"sql": "…", "params": [...]}`.
///
/// # Errors
/// As [`mapping_load`]; `invalidValue` for an unknown dialect; `invalidFilter` with a span for a
/// filter that does not check or names an attribute the mapping does not store.
pub fn filter_to_sql(
    registry: &Registry,
    resource_type: &str,
    filter: &str,
    mapping_json: &str,
    dialect: &str,
) -> Result<crate::sql::SqlFilter, Error> {
    let name = dialect;
    let dialect: crate::sql::Dialect = dialect.parse()?;
    let mapping = mapping_load(registry, resource_type, mapping_json)?;
    crate::sql::within_parameter_limit(crate::sql::filter_to_sql(&filter_parse(filter)?, &mapping, dialect)?, name)
}

/// [`filter_to_sql`] as JSON text.
///
/// # Errors
/// As [`filter_to_sql`].
pub fn filter_to_sql_json(
    registry: &Registry,
    resource_type: &str,
    filter: &str,
    mapping_json: &str,
    dialect: &str,
) -> Result<String, Error> {
    Ok(to_json(&filter_to_sql(registry, resource_type, filter, mapping_json, dialect)?))
}

/// The record storing a resource (JSON text): `{"row": {column: value}, "children": {table:
/// [row…]}}`, as JSON text.
///
/// # Errors
/// As [`mapping_load`]; `invalidSyntax` for malformed JSON; `invalidValue` located in the
/// resource for a value its column cannot hold.
pub fn mapping_to_record_json(
    registry: &Registry,
    resource_type: &str,
    mapping_json: &str,
    resource_json: &str,
) -> Result<String, Error> {
    let mapping = mapping_load(registry, resource_type, mapping_json)?;
    let limits = any_size();
    Ok(to_json(&mapping.to_record(&crate::json::parse_strict(resource_json, &limits)?)?))
}

/// The resource a record (JSON text, as [`mapping_to_record_json`] gives it or as read back
/// from the database) stores, as JSON text.
///
/// # Errors
/// As [`mapping_load`]; `invalidSyntax` for malformed JSON; `invalidValue` located in the
/// record for a value that does not fit its column.
pub fn mapping_from_record_json(
    registry: &Registry,
    resource_type: &str,
    mapping_json: &str,
    record_json: &str,
) -> Result<String, Error> {
    let mapping = mapping_load(registry, resource_type, mapping_json)?;
    let limits = any_size();
    Ok(to_json(&mapping.from_record(&crate::json::parse_strict(record_json, &limits)?)?))
}

/// The `CREATE TABLE` (and `CREATE INDEX`) statements for a mapping's tables in `dialect`.
///
/// # Errors
/// As [`mapping_load`]; `invalidValue` for an unknown dialect.
pub fn mapping_create_tables(
    registry: &Registry,
    resource_type: &str,
    mapping_json: &str,
    dialect: &str,
) -> Result<Vec<String>, Error> {
    let dialect: crate::sql::Dialect = dialect.parse()?;
    Ok(crate::sql::create_tables(&mapping_load(registry, resource_type, mapping_json)?, dialect))
}

/// A filter as SQL over an already loaded mapping (bindings keep a loaded mapping).
///
/// # Errors
/// As [`filter_to_sql`].
pub fn mapping_filter_to_sql(
    mapping: &crate::mapping::Mapping,
    filter: &str,
    dialect: &str,
) -> Result<crate::sql::SqlFilter, Error> {
    let name = dialect;
    let dialect: crate::sql::Dialect = dialect.parse()?;
    crate::sql::within_parameter_limit(crate::sql::filter_to_sql(&filter_parse(filter)?, mapping, dialect)?, name)
}

/// The tables of an already loaded mapping in `dialect`.
///
/// # Errors
/// `invalidValue` for an unknown dialect.
pub fn mapping_tables(mapping: &crate::mapping::Mapping, dialect: &str) -> Result<Vec<String>, Error> {
    let dialect: crate::sql::Dialect = dialect.parse()?;
    Ok(crate::sql::create_tables(mapping, dialect))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_iterator_answers_as_the_list_and_stops_at_the_first_bad_item() {
        let registry = Registry::builtin();
        let users: Vec<Value> = (0..50)
            .map(|i| serde_json::json!({"id": i.to_string(), "userName": format!("u{:02}", (i * 7) % 50)}))
            .collect();
        let query = list_query_from_query_string("sortBy=userName&startIndex=3&count=4", "").unwrap();
        let whole = list_response(&registry, "User", users.clone(), &query).unwrap();
        let each = list_response_iter(&registry, "User", &query, users.iter().cloned().map(Ok)).unwrap();
        assert_eq!(each, whole);
        // An item that is an error, or no resource, ends the reading there.
        let mut read = 0;
        let items = users.iter().cloned().chain([Value::from(5)]).chain(users.iter().cloned()).map(|u| {
            read += 1;
            Ok(u)
        });
        let e = list_response_iter(&registry, "User", &query, items).unwrap_err();
        assert_eq!(e.location().map(crate::Location::as_str), Some("/50"));
        assert_eq!(read, 51);
        let failing = [Ok(users[0].clone()), Err(Error::new(ScimType::InvalidSyntax, "a bad row"))];
        let e = list_response_iter(&registry, "User", &query, failing).unwrap_err();
        assert_eq!(e.detail(), "a bad row");
    }

    #[test]
    fn option_errors_say_which_option_in_json_words() {
        for (options, at, says) in [
            (r#"{"bulk": true}"#, Some("/bulk"), "expected an object"),
            (r#"{"patch": "yes"}"#, Some("/patch"), "boolean"),
            (r#"{"filter": {"maxResults": -1}}"#, Some("/filter"), "whole number"),
            (r#"{"nope": 1}"#, Some("/nope"), "unknown field `nope`"),
            (r#"{"patch": {"supported": {}}}"#, Some("/patch"), "invalid type: object"),
            ("[]", None, "expected an object"),
        ] {
            let e = service_provider_config_json(options, None).unwrap_err();
            assert_eq!(e.location().map(|l| l.as_str().to_owned()).as_deref(), at, "{options}: {}", e.detail());
            assert!(e.detail().contains(says) && !e.detail().contains("struct"), "{options}: {}", e.detail());
        }
    }

    #[test]
    fn lost_objects_say_what_was_lost_and_what_to_do() {
        for (object, starts, ends) in [
            (HeldObject::Resource, "the held resource was lost", "hold the stored resource again"),
            (HeldObject::BulkRunner, "the bulk runner was lost", "the rest were not run"),
            (HeldObject::ResourceSet, "the resource set was lost", "build it again"),
            (HeldObject::CheckedFilter, "the checked filter was lost", "check the filter again"),
            (HeldObject::Mapping, "the mapping was lost", "load it again"),
        ] {
            let e = lost_object_error(object);
            assert_eq!((e.status(), e.scim_type()), (500, None), "{object:?}");
            assert!(e.detail().starts_with(starts) && e.detail().ends_with(ends), "{object:?}: {}", e.detail());
            assert_eq!(object.as_str().parse(), Ok(object));
        }
        assert!("Registry".parse::<HeldObject>().is_err());
    }

    #[test]
    fn error_records_become_one_error() {
        let one = error_from_records(&json!({"scimType": "mutability", "detail": "no", "location": "/id"})).unwrap();
        assert_eq!(
            (one.scim_type(), one.location().map(|l| l.as_str().to_owned())),
            (Some(ScimType::Mutability), Some("/id".to_owned()))
        );
        let many = error_from_records(&json!([
            {"status": 404, "detail": "gone", "location": "/a"},
            {"scimType": "invalidValue", "detail": "bad", "location": "/b"}
        ]))
        .unwrap();
        assert_eq!(many.errors().len(), 2);
        assert!(error_from_records(&json!({"status": 200})).is_err());
        assert!(error_from_records(&json!([])).is_err());
        assert!(error_from_records(&json!({"scimType": "nonsense"})).is_err());
    }

    /// The two texts of a result, read back into one object beside `resource`.
    fn joined(resource: &str, report: &str) -> Value {
        let mut whole: Value = serde_json::from_str(report).unwrap();
        whole["resource"] = serde_json::from_str(resource).unwrap();
        whole
    }

    #[test]
    fn result_parts_say_what_the_whole_result_says() {
        let registry = Registry::builtin();
        let user = include_str!("../../examples/payloads/user-full.json");
        let request = include_str!("../../examples/patch/entra-user.json");
        let patched = patch_text(&registry, "User", user, request, r#"{"profile":"entra"}"#).unwrap();
        assert!(!patched.changes.is_empty() && !patched.quirks.is_empty());
        let (resource, report) = patched_to_json_parts(&patched);
        assert_eq!(resource, to_json(&patched.resource));
        let whole: Value = serde_json::from_str(&patched_to_json(&patched)).unwrap();
        assert_eq!(joined(&resource, &report), whole);

        let body = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"USERNAME":"bjensen"}"#;
        let validated = validate_text(&registry, "User", body, "").unwrap();
        assert!(!validated.notes.is_empty());
        let (resource, report) = validated_to_json_parts(&validated);
        let whole: Value = serde_json::from_str(&validated_to_json(&validated)).unwrap();
        assert_eq!(joined(&resource, &report), whole);
    }
}
