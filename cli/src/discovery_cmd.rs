//! `scimkit discovery`: the `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`
//! documents of a registry (RFC 7644 §4).

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::to_json_pretty;
use scimkit::protocol::{ServiceProviderOptions, resource_types_list, schemas_list, service_provider_config};
use serde_json::{Value, json};

use crate::input::{RegistryArgs, emit, read_file, usage_error};

/// Which document to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Document {
    /// `/ServiceProviderConfig`
    ServiceProviderConfig,
    /// `/ResourceTypes`
    ResourceTypes,
    /// `/Schemas`
    Schemas,
}

/// Arguments of `scimkit discovery`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service's base URL (`https://example.com/scim/v2`), for `meta.location`.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// ServiceProviderConfig options as JSON (camelCase: patch, bulk, filter, changePassword,
    /// sort, etag, authenticationSchemes, documentationUri).
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// Print only this document (default: all three, keyed by endpoint).
    #[arg(long, value_enum)]
    document: Option<Document>,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Prints the documents (exit 0); unreadable files and bad options are usage problems (exit 2).
pub fn run(args: &Args) -> ExitCode {
    let registry = match args.registry.registry() {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let options: ServiceProviderOptions = match &args.options {
        None => ServiceProviderOptions::default(),
        Some(path) => match read_file(path)
            .and_then(|t| scimkit::api::options_from_json(&t).map_err(|e| format!("{}: {e}", path.display())))
        {
            Ok(o) => o,
            Err(e) => return usage_error(&e),
        },
    };
    let base = args.base_url.as_deref();
    let spc = match service_provider_config(&options, base) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.location().map_or("", scimkit::Location::as_str);
            let file = args.options.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            return usage_error(&format!("{file}: {at}: {}", e.detail()));
        }
    };
    let spc = || spc.clone();
    let types = || serde_json::to_value(resource_types_list(&registry, base)).unwrap_or(Value::Null);
    let schemas = || serde_json::to_value(schemas_list(&registry, base)).unwrap_or(Value::Null);
    let out = match args.document {
        Some(Document::ServiceProviderConfig) => spc(),
        Some(Document::ResourceTypes) => types(),
        Some(Document::Schemas) => schemas(),
        None => json!({"/ServiceProviderConfig": spc(), "/ResourceTypes": types(), "/Schemas": schemas()}),
    };
    emit(&to_json_pretty(&out));
    ExitCode::SUCCESS
}
