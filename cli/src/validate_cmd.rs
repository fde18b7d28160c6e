//! `scimkit validate`.

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::{ValidateFailure, to_json_pretty};
use scimkit::validate::{CanonicalValues, UnknownAttributes};
use scimkit::{Mode, Profile, ValidateOptions};
use serde_json::Value;

use crate::input::{
    RegistryArgs, emit, is_list_response, json_if_any, limit_hint, message_kind, name_of, note, quirk_hint, read_file,
    read_json, refuse_message, usage_error,
};

/// Arguments of `scimkit validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource type the body is (`User`, `Group`, or a custom one) [default: the type the
    /// body's `schemas` names, else User].
    #[arg(long)]
    resource_type: Option<String>,
    /// Which body this is: create (POST), replace (PUT), response (sent by a server).
    #[arg(long, default_value = "create")]
    mode: Mode,
    /// The stored resource, for --mode replace.
    #[arg(long, value_name = "FILE")]
    existing: Option<PathBuf>,
    /// strict (the RFC), compat (every quirk rule, each noted), entra or okta (the rules those
    /// identity providers need); or the JSON object form, `{"base": "okta", "enable": ["opCase"]}`.
    #[arg(long, default_value = "strict", value_parser = crate::input::profile)]
    profile: Profile,
    /// What to do with attributes no schema defines: reject or ignore.
    #[arg(long, default_value = "reject")]
    unknown_attributes: UnknownAttributes,
    /// Whether values outside canonicalValues are refused: allow or reject.
    #[arg(long, default_value = "allow")]
    canonical_values: CanonicalValues,
    #[command(flatten)]
    registry: RegistryArgs,
    #[command(flatten)]
    limits: crate::input::LimitArgs,
    /// The resource JSON file, or - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
}

/// Runs the command: the normalized resource on stdout (exit 0), or the errors and notes as
/// JSON on stdout (exit 1); notes of a valid resource go to stderr.
pub fn run(args: &Args) -> ExitCode {
    let body = match read_file(&args.file) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let parsed = json_if_any(&body);
    if let Some(doc) = &parsed {
        // A captured list answer, checked as a service's answer: each of its resources.
        if let (Mode::Response, Some(Value::Object(list))) = (args.mode, is_list_response(doc).then_some(doc)) {
            let registry = match args.registry.registry() {
                Ok(r) => r,
                Err(e) => return usage_error(&e),
            };
            if let Some(t) = args.resource_type.as_deref() {
                if let Err(e) = args.registry.registry_with(t) {
                    return usage_error(&e);
                }
            }
            if args.existing.is_some() {
                return usage_error("--existing is the stored resource a PUT replaces: it goes with --mode replace");
            }
            let options = ValidateOptions {
                mode: Mode::Response,
                profile: args.profile,
                unknown_attributes: args.unknown_attributes,
                canonical_values: args.canonical_values,
                limits: args.limits.limits(),
                ..ValidateOptions::default()
            };
            // The answer as a whole is held to the body limits first, as a client reads it.
            if let Err(e) = scimkit::json::parse_strict(&body, &options.limits) {
                emit(&to_json_pretty(&ValidateFailure { errors: e.errors(), notes: &[] }));
                limit_hint(e.errors());
                return ExitCode::from(1);
            }
            return crate::validate_list::run(&registry, args.resource_type.as_deref(), list.clone(), &options);
        }
        let advice = "validate takes one resource (with --mode response, a ListResponse: each of its \
                      `Resources`); `scimkit query` reads a ListResponse's `Resources`, `scimkit patch` a \
                      PatchOp, `scimkit bulk` a BulkRequest.";
        if let Err(e) = refuse_message(doc, &args.file, "a resource", advice) {
            return usage_error(&e);
        }
    }
    let (registry, resource_type) =
        match args.registry.registry_and_type(args.resource_type.as_deref(), parsed.as_ref()) {
            Ok(r) => r,
            Err(e) => return usage_error(&e),
        };
    let existing = match &args.existing {
        None => None,
        Some(_) if args.mode != Mode::Replace => {
            return usage_error("--existing is the stored resource a PUT replaces: it goes with --mode replace");
        }
        Some(path) => match read_json(path) {
            Ok(v) if message_kind(&v).is_some() => {
                return usage_error(&format!(
                    "{}: --existing is the stored resource, not {}",
                    name_of(path),
                    message_kind(&v).unwrap_or_default()
                ));
            }
            Ok(v) if v.is_object() => Some(v),
            Ok(_) => return usage_error(&format!("{}: the stored resource must be a JSON object", name_of(path))),
            Err(e) => return usage_error(&e),
        },
    };
    if args.mode == Mode::Replace && existing.is_none() {
        return usage_error("--mode replace needs --existing FILE (the stored resource)");
    }
    let options = ValidateOptions {
        mode: args.mode,
        existing,
        profile: args.profile,
        unknown_attributes: args.unknown_attributes,
        canonical_values: args.canonical_values,
        limits: args.limits.limits(),
    };
    match scimkit::validate_json(&registry, &resource_type, &body, &options) {
        Ok(valid) => {
            for n in &valid.notes {
                let rule = n.quirk.map_or_else(String::new, |q| format!(" [quirk {}]", q.as_str()));
                note(&format!("note: {}{rule} {}", n.location, n.detail));
            }
            emit(&to_json_pretty(&valid.resource));
            ExitCode::SUCCESS
        }
        Err(invalid) => {
            let failure = ValidateFailure { errors: invalid.error.errors(), notes: &invalid.notes };
            emit(&to_json_pretty(&failure));
            limit_hint(invalid.error.errors());
            crate::input::unloaded_schema_hint(invalid.error.errors());
            // Would the quirk rules accept it? The same body under every rule says which.
            let compat = ValidateOptions { profile: Profile::compat(), ..options };
            if let Ok(valid) = scimkit::validate_json(&registry, &resource_type, &body, &compat) {
                quirk_hint(args.profile, valid.notes.iter().filter_map(|n| n.quirk));
            }
            ExitCode::from(1)
        }
    }
}
