//! `scimkit query`: answer a list request over a file of resources, as a SCIM service would.

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::{list_response_each, to_json_pretty};
use scimkit::protocol::{ListQuery, QueryOptions};
use serde_json::json;

use crate::input::{
    RegistryArgs, did_you_mean, emit, for_each_resource, note, quirk_hint, resource_type_hint, usage_error,
};

/// Arguments of `scimkit query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The list parameters as a URI query string (RFC 7644 §3.4.2): filter, sortBy, sortOrder,
    /// startIndex, count, attributes, excludedAttributes. A whole URL (or a path) is cut at
    /// its `?`; a parameter the RFC does not name is ignored, as a service would, with a note.
    query: String,
    /// The resources: a JSON array, one resource, a ListResponse, or one JSON object per line
    /// (NDJSON); - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// The resource type of the resources (`User`, `Group`, or a custom one) [default: User].
    #[arg(long)]
    resource_type: Option<String>,
    /// The largest page (default: the library's, 1000).
    #[arg(long, value_name = "N", value_parser = crate::input::whole_number)]
    max_count: Option<usize>,
    /// The page size when the query gives no count (default: the library's, 100).
    #[arg(long, value_name = "N", value_parser = crate::input::whole_number)]
    default_count: Option<usize>,
    /// strict (the RFC), compat (every quirk rule, each noted), entra or okta: entra and compat
    /// read Entra ID's `emails[type eq "work"].value eq "…"` (rule filterSubAttribute); or
    /// the JSON object form, `{"base": "strict", "enable": ["filterSubAttribute"]}`.
    #[arg(long, default_value = "strict", value_parser = crate::input::profile)]
    profile: scimkit::Profile,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// The query string of `given`: after the `?` of a URL or path pasted whole (one whose text
/// before the `?` sets no parameter), else all of it.
fn query_part(given: &str) -> &str {
    match given.split_once('?') {
        Some((before, after)) if !before.contains('=') => after,
        // A URL or path with no query at all (`https://…/Users`, `/Users`): every resource.
        None if !given.contains('=') && (given.starts_with('/') || given.contains("://")) => "",
        _ => given,
    }
}

/// Prints the ListResponse (exit 0), or the errors as JSON (exit 1); unreadable input is a
/// usage problem (exit 2).
pub fn run(args: &Args) -> ExitCode {
    let resource_type = args.resource_type.as_deref().unwrap_or("User");
    let registry = match args.registry.registry_with(resource_type) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let defaults = QueryOptions::default();
    let options = QueryOptions {
        max_count: args.max_count.unwrap_or(defaults.max_count),
        default_count: args.default_count.unwrap_or(defaults.default_count),
        profile: args.profile,
    };
    let query = query_part(&args.query);
    let mut ignored = ListQuery::ignored_parameters(query);
    let given = query.split('&').filter(|p| !p.is_empty()).count();
    let none_known = given > 0 && ignored.len() == given;
    // Each name once (`foo=1&foo=2`), in the order given.
    let mut seen = std::collections::BTreeSet::new();
    ignored.retain(|name| seen.insert(name.clone()));
    if none_known {
        // Nothing the query says would be used: every resource would come back, which is
        // never what was meant.
        return usage_error(&no_list_parameter(&ignored));
    }
    for name in &ignored {
        note(&format!(
            "note: `{}` is not a list parameter (RFC 7644 §3.4.2), ignored{}",
            scimkit::excerpt(name),
            suggestion(name)
        ));
    }
    // The resources are read one at a time, holding only what the answer needs (the page, or
    // with sortBy the sorted matches up to its end); a problem reading them is a usage problem.
    let mut unreadable = None;
    let answer = ListQuery::from_query_string(query, &options).and_then(|query| {
        for n in &query.quirks {
            let rule = n.quirk.map_or_else(String::new, |q| format!(" [quirk {}]", q.as_str()));
            note(&format!("note: {}{rule} {}", n.location.as_str(), n.detail));
        }
        list_response_each(&registry, resource_type, &query, |each| {
            for_each_resource(&args.file, each).map_err(|message| {
                unreadable = Some(message);
                scimkit::Error::new(scimkit::ErrorKind::Internal, "the resources could not be read")
            })
        })
    });
    if let Some(message) = unreadable {
        return usage_error(&message);
    }
    match answer {
        Ok(list) => {
            emit(&to_json_pretty(&list));
            ExitCode::SUCCESS
        }
        Err(e) => {
            emit(&to_json_pretty(&json!({"errors": e.errors()})));
            // Would a quirk rule read the query (Entra ID's `emails[type eq "work"].value eq …`)?
            let compat = QueryOptions { profile: scimkit::Profile::compat(), ..options };
            if let Ok(read) = ListQuery::from_query_string(query, &compat) {
                // The filter as the quirk rules read it: hinted only when it then checks, for
                // this type or (named in the next hint) another.
                let fits =
                    |t: &str| read.filter_text().is_none_or(|f| scimkit::api::filter_check(&registry, t, f).is_ok());
                if registry.resource_types().iter().any(|t| fits(t.name())) {
                    quirk_hint(args.profile, read.quirks.iter().filter_map(|n| n.quirk));
                }
                // Or does the filter name another resource type's attributes?
                let refused_filter = e.scim_type() == Some(scimkit::ScimType::InvalidFilter);
                if let (None, true, Some(filter)) = (&args.resource_type, refused_filter, read.filter_text()) {
                    resource_type_hint(&registry, resource_type, filter);
                }
            }
            ExitCode::from(1)
        }
    }
}

/// The list parameters RFC 7644 §3.4.2 names.
const PARAMETERS: [&str; 7] =
    ["filter", "sortBy", "sortOrder", "startIndex", "count", "attributes", "excludedAttributes"];

/// What to say of a parameter name that is none: spaces around a real one, or the one it
/// likely meant, if any.
fn suggestion(name: &str) -> String {
    match spaced(name) {
        Some(p) => format!(" (spaces around `{p}`: nothing may stand between the name and `=`)"),
        None => did_you_mean(name, &PARAMETERS).map_or_else(String::new, |meant| format!(" (did you mean `{meant}`?)")),
    }
}

/// The list parameter `name` is with spaces around it (`filter `), if it is one.
fn spaced(name: &str) -> Option<&'static str> {
    let trimmed = name.trim();
    (trimmed != name).then(|| PARAMETERS.iter().copied().find(|p| p.eq_ignore_ascii_case(trimmed))).flatten()
}

/// The usage error for a query none of whose parameters is a list parameter.
fn no_list_parameter(ignored: &[String]) -> String {
    let names = ignored.iter().map(|n| format!("`{}`", scimkit::excerpt(n))).collect::<Vec<_>>().join(", ");
    let looks_like_a_filter = ignored.iter().any(|n| n.contains(' ') || n.contains('"'));
    let advice = if let Some(p) = ignored.iter().find_map(|n| spaced(n)) {
        format!(" `{p}` has spaces around it: write `{p}=…` with nothing between the name and `=`.")
    } else if looks_like_a_filter {
        " A filter goes as `filter=…`: `filter=userName eq \"bjensen\"`.".to_owned()
    } else {
        ignored
            .iter()
            .find_map(|n| did_you_mean(n, &PARAMETERS).map(|m| format!(" Did you mean `{m}`?")))
            .unwrap_or_default()
    };
    format!(
        "the query has no list parameter (RFC 7644 §3.4.2: {}), only {names}, so it would answer every resource.{advice}",
        PARAMETERS.join(", ")
    )
}
