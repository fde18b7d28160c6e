//! `scimkit query`: answer a list request over a file of resources, as a SCIM service would.

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::{list_response, to_json_pretty};
use scimkit::protocol::{ListQuery, QueryOptions};
use serde_json::{Value, json};

use crate::input::{RegistryArgs, emit, read_file, usage_error};

/// Arguments of `scimkit query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The list parameters as a URI query string (RFC 7644 §3.4.2): filter, sortBy, sortOrder,
    /// startIndex, count, attributes, excludedAttributes.
    query: String,
    /// The resources: a JSON array or one JSON object per line (NDJSON); - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// The resource type of the resources (`User`, `Group`, or a custom one).
    #[arg(long, default_value = "User")]
    resource_type: String,
    /// The largest page (default: the library's, 1000).
    #[arg(long, value_name = "N")]
    max_count: Option<usize>,
    /// The page size when the query gives no count (default: the library's, 100).
    #[arg(long, value_name = "N")]
    default_count: Option<usize>,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// The resources of a JSON array or of NDJSON text.
fn resources(text: &str) -> Result<Vec<Value>, String> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text).map_err(|e| format!("the resources are not a JSON array: {e}"));
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", n + 1)))
        .collect()
}

/// Prints the ListResponse (exit 0), or the errors as JSON (exit 1); unreadable input is a
/// usage problem (exit 2).
pub fn run(args: &Args) -> ExitCode {
    let registry = match args.registry.registry_with(&args.resource_type) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let defaults = QueryOptions::default();
    let options = QueryOptions {
        max_count: args.max_count.unwrap_or(defaults.max_count),
        default_count: args.default_count.unwrap_or(defaults.default_count),
    };
    let all = match read_file(&args.file).and_then(|t| resources(&t)) {
        Ok(all) => all,
        Err(e) => return usage_error(&e),
    };
    let answer = ListQuery::from_query_string(&args.query, &options)
        .and_then(|query| list_response(&registry, &args.resource_type, all, &query));
    match answer {
        Ok(list) => {
            emit(&to_json_pretty(&list));
            ExitCode::SUCCESS
        }
        Err(e) => {
            emit(&to_json_pretty(&json!({"errors": e.errors()})));
            ExitCode::from(1)
        }
    }
}
