//! The `protocol.*` vector operations; each input and value shape is in
//! `tests/vectors/README.md`. Every operation goes through the `scimkit::api` boundary the
//! bindings call.

use scimkit::protocol::Projection;
use scimkit::protocol::bulk::error_from_value;
use scimkit::{Error, Location, Registry, api};
use serde_json::{Value, json};

use super::texts;

fn registry(input: &Value) -> Result<Registry, Error> {
    api::build_registry(&texts(input, "schemas"), &texts(input, "resourceTypes"))
}

fn resource_type(input: &Value) -> &str {
    input.get("resourceType").and_then(Value::as_str).unwrap_or("User")
}

fn options(input: &Value, key: &str) -> String {
    input.get(key).map_or_else(String::new, Value::to_string)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The part of `value` at `input.pointer`, or all of it.
fn pick(input: &Value, value: Value) -> Value {
    match input.get("pointer").and_then(Value::as_str) {
        Some(p) => value.pointer(p).cloned().unwrap_or_else(|| panic!("nothing at `{p}` in {value}")),
        None => value,
    }
}

fn list_query(input: &Value) -> Result<scimkit::protocol::ListQuery, Error> {
    let opts = options(input, "options");
    match (input.get("query"), input.get("searchRequest"), input.get("searchRequestText")) {
        (Some(Value::String(q)), _, _) => api::list_query_from_query_string(q, &opts),
        (_, Some(body), _) => api::list_query_from_search_request(&body.to_string(), &opts),
        (_, _, Some(Value::String(text))) => api::list_query_from_search_request(text, &opts),
        _ => api::list_query_from_query_string("", &opts),
    }
}

pub fn query(input: &Value) -> Result<Value, Error> {
    Ok(serde_json::to_value(list_query(input)?).unwrap())
}

pub fn project(input: &Value) -> Result<Value, Error> {
    let registry = registry(input)?;
    let selection = json!({
        "attributes": input.get("attributes").cloned().unwrap_or(Value::Null),
        "excludedAttributes": input.get("excludedAttributes").cloned().unwrap_or(Value::Null),
        "request": input.get("request").cloned().unwrap_or(Value::Null),
    });
    let resource = &input["resource"];
    let out =
        parse(&api::project_json(&registry, resource_type(input), &resource.to_string(), &selection.to_string())?);
    // The serializing view (above) and the in-place projection must agree.
    let names = |key: &str| -> Vec<String> {
        match input.get(key) {
            Some(Value::Array(items)) => items.iter().map(|i| i.as_str().unwrap().to_owned()).collect(),
            Some(Value::String(s)) => s.split(',').map(|n| n.trim().to_owned()).collect(),
            _ => Vec::new(),
        }
    };
    let view = registry.resource_type(resource_type(input)).unwrap();
    // `request` as JSON text is the same request read.
    let request = match input.get("request") {
        Some(Value::String(text)) => Some(parse(text)),
        other => other.cloned(),
    };
    let in_place =
        Projection::compile_answering(view, &names("attributes"), &names("excludedAttributes"), request.as_ref())?
            .apply(resource);
    assert_eq!(out, in_place, "view and in-place projection differ");
    Ok(out)
}

pub fn sort(input: &Value) -> Result<Value, Error> {
    let registry = registry(input)?;
    let order = input.get("sortOrder").and_then(Value::as_str).unwrap_or("");
    let sort_by = input["sortBy"].as_str().unwrap();
    let sorted =
        parse(&api::sort_json(&registry, resource_type(input), &input["resources"].to_string(), sort_by, order)?);
    Ok(sorted.as_array().unwrap().iter().map(|r| r["id"].clone()).collect())
}

pub fn list_response(input: &Value) -> Result<Value, Error> {
    if let Some(total) = input.get("totalResults") {
        let page = input["resources"].as_array().unwrap().clone();
        let start = input.get("startIndex").map(|n| n.as_f64().unwrap());
        let r = api::page_response(page, total.as_f64().unwrap(), start)?;
        return Ok(serde_json::to_value(r).unwrap());
    }
    let registry = registry(input)?;
    let query = list_query(input)?;
    let resources = input["resources"].as_array().unwrap().clone();
    // The same list as JSON text, read one resource at a time, must answer alike.
    let text = Value::Array(resources.clone()).to_string();
    let streamed = api::list_response_text(&registry, resource_type(input), &text, &query);
    let whole = api::list_response(&registry, resource_type(input), resources, &query);
    match (&whole, &streamed) {
        (Ok(w), Ok(s)) => assert_eq!(w, s, "the list read as text answers otherwise"),
        (Err(w), Err(s)) => assert_eq!((w.scim_type(), w.location()), (s.scim_type(), s.location())),
        _ => panic!("the list read as text answers otherwise: {whole:?} / {streamed:?}"),
    }
    Ok(serde_json::to_value(whole?).unwrap())
}

pub fn error_response(input: &Value) -> Result<Value, Error> {
    let error = if let Some(records) = input.get("errors") {
        let errors: Vec<Error> = records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let e = error_from_value(r)?;
                Ok(match r.get("location").and_then(Value::as_str) {
                    Some(l) => e.at(Location::from_pointer(l)),
                    None => e,
                })
            })
            .collect::<Result<_, Error>>()?;
        Error::collect(errors).unwrap()
    } else if let Some(v) = input.get("validate") {
        super::validate(v).expect_err("the `validate` input must fail")
    } else {
        list_query(input).expect_err("the query must fail")
    };
    Ok(pick(input, parse(&api::error_response_json(&error))))
}

pub fn discovery(input: &Value) -> Result<Value, Error> {
    let registry = registry(input)?;
    let base = input.get("baseUrl").and_then(Value::as_str);
    if let Some(filter) = input.get("filter") {
        scimkit::protocol::refuse_filter(filter.as_str())?;
    }
    if let Some(query) = input.get("query") {
        scimkit::protocol::refuse_filter_in_query(query.as_str().unwrap())?;
    }
    let doc = match input["document"].as_str().unwrap() {
        "serviceProviderConfig" => api::service_provider_config_json(&options(input, "options"), base)?,
        "resourceTypes" => api::resource_types_json(&registry, base),
        "schemas" => api::schemas_json(&registry, base),
        "schema" => api::schema_document_json(&registry, input["id"].as_str().unwrap(), base)?,
        "resourceType" => api::resource_type_document_json(&registry, input["id"].as_str().unwrap(), base)?,
        other => panic!("unknown discovery document `{other}`"),
    };
    Ok(pick(input, parse(&doc)))
}

pub fn etag(input: &Value) -> Result<Value, Error> {
    Ok(api::etag_json(&input["resource"].to_string())?.into())
}

pub fn meta(input: &Value) -> Result<Value, Error> {
    let registry = registry(input)?;
    let out = api::fill_meta_json(
        &registry,
        resource_type(input),
        &input["resource"].to_string(),
        &options(input, "options"),
    )?;
    Ok(parse(&out))
}

pub fn preconditions(input: &Value) -> Result<Value, Error> {
    let text = |k: &str| input.get(k).and_then(Value::as_str);
    Ok(api::evaluate_preconditions(text("method").unwrap(), text("current"), text("ifMatch"), text("ifNoneMatch"))?
        .into())
}

pub fn value_location(input: &Value) -> Result<Value, Error> {
    let registry = registry(input)?;
    let text = |k: &str| input[k].as_str().unwrap();
    let request = input["request"].to_string();
    Ok(api::value_location_json(&registry, resource_type(input), &request, text("attribute"), text("value"))?.into())
}

fn request_text(input: &Value) -> String {
    match (input.get("text"), input.get("request")) {
        (Some(Value::String(t)), _) => t.clone(),
        (_, Some(r)) => r.to_string(),
        _ => panic!("a bulk case needs `request` or `text`"),
    }
}

pub fn bulk_plan(input: &Value) -> Result<Value, Error> {
    let mut plan = parse(&api::bulk_plan_json(&request_text(input), &options(input, "limits"))?);
    for op in plan["operations"].as_array_mut().unwrap() {
        op.as_object_mut().unwrap().remove("data");
    }
    Ok(plan)
}

pub fn bulk_response(input: &Value) -> Result<Value, Error> {
    let base = input.get("baseUrl").and_then(Value::as_str);
    let mut runner = api::bulk_runner(&request_text(input), &options(input, "limits"), base)?;
    let mut outcomes = input["outcomes"].as_array().unwrap().iter();
    let mut executed = Vec::new();
    while let Some(op) = api::bulk_next_json(&mut runner) {
        executed.push(parse(&op));
        let outcome = outcomes.next().unwrap_or_else(|| panic!("no outcome for operation {op}"));
        api::bulk_record_json(&mut runner, &outcome.to_string())?;
    }
    assert!(outcomes.next().is_none(), "more outcomes than operations run");
    Ok(json!({"executed": executed, "response": parse(&api::bulk_finish_json(runner))}))
}
