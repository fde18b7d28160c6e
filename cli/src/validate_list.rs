//! `scimkit validate --mode response` of a captured ListResponse: each of its `Resources`
//! checked as a service's answer, as an identity provider reads it (an Entra ID or Okta sync
//! that rejects a list answer is usually rejecting one resource in it).

use std::process::ExitCode;

use scimkit::api::{ValidateFailure, to_json_pretty};
use scimkit::{Error, Location, Registry, ValidateOptions};
use serde_json::{Map, Value};

use crate::input::{emit, note};

/// Validates each resource of `list` (a ListResponse) as a response: the ListResponse with
/// each resource normalized on stdout (exit 0), or every error and note located under
/// `/Resources/<i>` (exit 1). A resource's type is `given`, else the one its `schemas` names,
/// else `User`.
pub fn run(
    registry: &Registry,
    given: Option<&str>,
    mut list: Map<String, Value>,
    options: &ValidateOptions,
) -> ExitCode {
    let key = list.keys().find(|k| k.eq_ignore_ascii_case("Resources")).cloned();
    let resources = match key.as_ref().and_then(|k| list.get_mut(k)) {
        Some(Value::Array(items)) => std::mem::take(items),
        None => Vec::new(),
        Some(_) => {
            let e = Error::new(scimkit::ScimType::InvalidValue, "`Resources` of a ListResponse must be an array")
                .at(Location::root().key("Resources"));
            emit(&to_json_pretty(&ValidateFailure { errors: &[e], notes: &[] }));
            return ExitCode::from(1);
        }
    };
    let (mut errors, mut notes, mut valid) = (Vec::new(), Vec::new(), Vec::new());
    for (i, resource) in resources.into_iter().enumerate() {
        let under = |location: &Location| Location::from_pointer(format!("/Resources/{i}{}", location.as_str()));
        let resource_type = given.map_or_else(
            || {
                registry
                    .resource_type_of(&resource)
                    .map_or_else(|| "User".to_owned(), |t| t.definition().name().to_owned())
            },
            str::to_owned,
        );
        match scimkit::validate(registry, &resource_type, resource, options) {
            Ok(done) => {
                notes.extend(done.notes.into_iter().map(|n| scimkit::Note { location: under(&n.location), ..n }));
                valid.push(done.resource);
            }
            Err(invalid) => {
                for e in invalid.error.errors() {
                    let at = e.location().map_or_else(|| under(&Location::root()), under);
                    errors.push(e.clone().at(at));
                }
                notes.extend(invalid.notes.into_iter().map(|n| scimkit::Note { location: under(&n.location), ..n }));
            }
        }
    }
    if !errors.is_empty() {
        emit(&to_json_pretty(&ValidateFailure { errors: &errors, notes: &notes }));
        crate::input::limit_hint(&errors);
        return ExitCode::from(1);
    }
    for n in &notes {
        let rule = n.quirk.map_or_else(String::new, |q| format!(" [quirk {}]", q.as_str()));
        note(&format!("note: {}{rule} {}", n.location, n.detail));
    }
    list.insert(key.unwrap_or_else(|| "Resources".to_owned()), Value::Array(valid));
    emit(&to_json_pretty(&Value::Object(list)));
    ExitCode::SUCCESS
}
