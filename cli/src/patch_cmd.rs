//! `scimkit patch` and `scimkit diff`.

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::to_json_pretty;
use scimkit::patch::{PatchOptions, apply_patch_json, diff};
use scimkit::{Profile, ScimType};
use serde_json::{Value, json};

use crate::input::{
    RegistryArgs, emit, limit_hint, note, quirk_hint, read_file, read_json, refuse_message, usage_error,
};

/// Arguments of `scimkit patch`.
#[derive(Debug, clap::Args)]
pub struct PatchArgs {
    /// The resource type (`User`, `Group`, or a custom one) [default: the type the stored
    /// resource's `schemas` names, else User].
    #[arg(long)]
    resource_type: Option<String>,
    /// strict (the RFC), compat (every quirk rule), entra or okta; or the JSON object form,
    /// `{"base": "strict", "enable": ["opCase"]}`.
    #[arg(long, default_value = "strict", value_parser = crate::input::profile)]
    profile: Profile,
    #[command(flatten)]
    registry: RegistryArgs,
    #[command(flatten)]
    limits: crate::input::LimitArgs,
    /// The stored resource (JSON file).
    resource: PathBuf,
    /// The PATCH request (JSON file), or - for standard input.
    #[arg(default_value = "-")]
    patch: PathBuf,
}

/// Arguments of `scimkit diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The resource type (`User`, `Group`, or a custom one) [default: the type OLD's `schemas`
    /// names, else User].
    #[arg(long)]
    resource_type: Option<String>,
    #[command(flatten)]
    registry: RegistryArgs,
    /// The resource as it is.
    old: PathBuf,
    /// The resource as it should be.
    new: PathBuf,
}

/// Prints `{"resource", "changes", "quirks", "notes"}` (exit 0) or `{"errors": […], "notes"?}`
/// (exit 1; `notes`: what the PATCH noted before it failed, the quirk rules that fired).
pub fn run_patch(args: &PatchArgs) -> ExitCode {
    let resource = match read_json(&args.resource) {
        Ok(v) => v,
        Err(e) => return usage_error(&e),
    };
    let swapped = "The first argument is the resource as stored, the second the PATCH request.";
    if let Err(e) = refuse_message(&resource, &args.resource, "a stored resource", swapped) {
        return usage_error(&e);
    }
    let (registry, resource_type) =
        match args.registry.registry_and_type(args.resource_type.as_deref(), Some(&resource)) {
            Ok(r) => r,
            Err(e) => return usage_error(&e),
        };
    let request = match read_file(&args.patch) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    // A resource where the PatchOp goes (the stored resource given twice, or the PUT body).
    if let Some(doc) = crate::input::json_if_any(&request) {
        let is_resource = doc.get("Operations").is_none()
            && crate::input::message_kind(&doc).is_none()
            && registry.resource_type_of(&doc).is_some();
        if is_resource {
            return usage_error(&format!(
                "{} is a resource (its `schemas` name one), not a PATCH request: the second argument is the PatchOp",
                crate::input::name_of(&args.patch)
            ));
        }
    }
    let options = PatchOptions { profile: args.profile, limits: args.limits.limits(), ..PatchOptions::default() };
    note_if_stored_is_invalid(&registry, &resource_type, &resource, &options);
    match apply_patch_json(&registry, &resource_type, resource.clone(), &request, &options) {
        Ok(done) => {
            let out = json!({
                "resource": done.resource,
                "changes": done.changes,
                "quirks": done.quirks,
                "notes": done.notes,
            });
            emit(&to_json_pretty(&out));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            // With the quirk rules that fired before the error: how the request was read.
            let notes = failure.error.notes();
            let out = if notes.is_empty() {
                json!({"errors": failure.error.errors()})
            } else {
                json!({"errors": failure.error.errors(), "notes": notes})
            };
            emit(&to_json_pretty(&out));
            limit_hint(failure.error.errors());
            crate::input::unloaded_schema_hint(failure.error.errors());
            // Would the quirk rules accept it? The same PATCH under every rule says which.
            let compat = PatchOptions { profile: Profile::compat(), ..options };
            if let Ok(done) = apply_patch_json(&registry, &resource_type, resource, &request, &compat) {
                quirk_hint(args.profile, done.quirks.iter().filter_map(|n| n.quirk));
            }
            ExitCode::from(1)
        }
    }
}

/// Says on stderr when the stored resource is itself not valid for its type (read as a PUT of
/// itself would be): a PATCH checks only what it changes, so it may answer 200 over a resource
/// that was broken before — worth knowing when debugging one.
fn note_if_stored_is_invalid(
    registry: &scimkit::Registry,
    resource_type: &str,
    resource: &Value,
    patch: &PatchOptions,
) {
    // Read as a PUT of itself (what a stored resource may hold: a password, `id`, `meta`),
    // under the PATCH's profile and limits.
    let options = scimkit::ValidateOptions {
        mode: scimkit::Mode::Replace,
        existing: Some(resource.clone()),
        profile: patch.profile,
        limits: patch.limits,
        ..scimkit::ValidateOptions::default()
    };
    if let Err(invalid) = scimkit::validate(registry, resource_type, resource.clone(), &options) {
        let errors = invalid.error.errors();
        let first = errors.first().map_or_else(String::new, ToString::to_string);
        let more = if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() };
        note(&format!(
            "note: the stored resource is itself not a valid {resource_type}: {first}{more}; a PATCH checks only \
             what it changes"
        ));
    }
}

/// Prints the PatchOp that turns OLD into NEW (exit 0), or the error (exit 1).
pub fn run_diff(args: &DiffArgs) -> ExitCode {
    let (old, new) = match (read_json(&args.old), read_json(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    for (doc, path) in [(&old, &args.old), (&new, &args.new)] {
        if let Err(e) = refuse_message(doc, path, "a resource", "diff compares two resources, as stored.") {
            return usage_error(&e);
        }
    }
    let (registry, resource_type) = match args.registry.registry_and_type(args.resource_type.as_deref(), Some(&old)) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    match diff(&registry, &resource_type, &old, &new) {
        Ok(ops) => {
            if ops.get("Operations").and_then(Value::as_array).is_some_and(Vec::is_empty) {
                // RFC 7644 §3.5.2: a PatchOp needs one operation or more; `scimkit patch` (any
                // service) refuses this one, so say why it is empty.
                note("note: no changes between the two (`id`, `meta` and read-only attributes are not compared)");
            }
            emit(&to_json_pretty(&ops));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let code = if e.scim_type() == Some(ScimType::InvalidValue) { 1 } else { 2 };
            emit(&to_json_pretty(&json!({"errors": e.errors()})));
            ExitCode::from(code)
        }
    }
}
