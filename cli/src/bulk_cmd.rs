//! `scimkit bulk`: check a BulkRequest and print its execution plan (RFC 7644 §3.7).

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::to_json_pretty;
use scimkit::patch::PatchOptions;
use scimkit::protocol::bulk::{BulkLimits, BulkMethod, BulkRequest, PlannedOperation, plan};
use scimkit::{Mode, Profile, Registry, ValidateOptions};
use serde_json::json;

use crate::input::{RegistryArgs, emit, note, read_file, usage_error};

/// Arguments of `scimkit bulk`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The BulkRequest JSON file, or - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// The most operations a request may hold (default: the library's, 1000).
    #[arg(long, value_name = "N", value_parser = crate::input::whole_number)]
    max_operations: Option<usize>,
    /// The largest request, in bytes (default: the library's, 1048576).
    #[arg(long, value_name = "BYTES", value_parser = crate::input::whole_number)]
    max_payload_size: Option<usize>,
    /// The profile each operation's body is checked under: strict (the RFC), compat, entra,
    /// okta, or the JSON object form.
    #[arg(long, default_value = "strict", value_parser = crate::input::profile)]
    profile: Profile,
    #[command(flatten)]
    registry: RegistryArgs,
}

/// Prints the plan — the operations in execution order with what each depends on, why an
/// operation cannot run (`refused`: a reference cycle no POST can break, an unknown
/// `bulkId`), and the PATCH that completes a POST split to break a cycle (`completes`) — and
/// on stderr a note for each split POST (a warning when what it holds back is read-only, which
/// the service will refuse to add back) and the errors of each operation's body; exits 0 when
/// every operation can run with the body it has and 1 when one cannot (or such a warning was
/// given); a request refused whole prints the error (exit 1); an unreadable file is a usage
/// problem (exit 2).
pub fn run(args: &Args) -> ExitCode {
    let defaults = BulkLimits::default();
    let limits = BulkLimits {
        max_operations: args.max_operations.unwrap_or(defaults.max_operations),
        max_payload_size: args.max_payload_size.unwrap_or(defaults.max_payload_size),
    };
    let text = match read_file(&args.file) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let registry = match args.registry.registry() {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let request = BulkRequest::from_json(&text, &limits);
    // Each operation's body, as the service will check it when it runs the operation.
    let body_errors = request.as_ref().map(|r| body_errors(&registry, r, args.profile)).unwrap_or_default();
    match request.map(plan) {
        Ok(p) => {
            emit(&to_json_pretty(&p));
            let mut doomed = false;
            for step in p.operations.iter().filter(|s| s.completes) {
                note(&completion_note(&p.operations, step));
                for warning in read_only_held_back(&registry, step) {
                    note(&warning);
                    doomed = true;
                }
            }
            for e in &body_errors {
                note(&format!("error: {}: {}", e.location().map_or("", scimkit::Location::as_str), e.detail()));
            }
            let refused = p.operations.iter().any(|o| o.refused.is_some());
            if refused || doomed || !body_errors.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            emit(&to_json_pretty(&json!({"errors": e.errors()})));
            ExitCode::from(1)
        }
    }
}

/// The attribute paths a completion step adds back (its PatchOp's `path`s).
fn held_back_paths(completion: &PlannedOperation) -> impl Iterator<Item = &str> {
    let operations = completion.operation.data.as_ref().and_then(|d| d.get("Operations"));
    operations.and_then(serde_json::Value::as_array).into_iter().flatten().filter_map(|o| o.get("path")?.as_str())
}

/// What a completion step means for its POST: created without the values a PATCH adds later
/// (a cycle of references broken, RFC 7644 §3.7.1).
fn completion_note(steps: &[PlannedOperation], completion: &PlannedOperation) -> String {
    let post = steps.iter().find(|s| s.index == completion.index && !s.completes);
    let bulk_id = post.and_then(|s| s.operation.bulk_id.as_deref()).unwrap_or_default();
    let paths: Vec<String> = held_back_paths(completion).map(|p| format!("`{p}`")).collect();
    let waits: Vec<String> =
        completion.depends_on.iter().filter(|id| *id != bulk_id).map(|id| format!("`{id}`")).collect();
    let after = if waits.is_empty() { "itself".to_owned() } else { waits.join(", ") };
    format!(
        "note: /Operations/{} (`{bulk_id}`) is in a cycle of `bulkId` references: it is created without {} \
         (the values that refer to the cycle), which a PATCH adds once {after} exists (RFC 7644 §3.7.1)",
        completion.index,
        paths.join(", ")
    )
}

/// For a completion step: a warning for each attribute it adds back that the resource type
/// makes read-only — the service will refuse that PATCH (the planner knows no schema and split
/// the cycle's earliest POST; making another POST of the cycle the first may break it where
/// the attribute is writable).
fn read_only_held_back(registry: &Registry, completion: &PlannedOperation) -> Vec<String> {
    let op = &completion.operation;
    let endpoint = format!("/{}", op.path.trim_start_matches('/').split('/').next().unwrap_or_default());
    let Some(view) = registry.resource_type_by_endpoint(&endpoint) else { return Vec::new() };
    held_back_paths(completion)
        .filter(|path| {
            view.resolve(path).is_some_and(|found| {
                found.sub_attribute.unwrap_or(found.attribute).mutability() == scimkit::schema::Mutability::ReadOnly
            })
        })
        .map(|path| {
            format!(
                "warning: /Operations/{}: `{path}` is read-only for `{}`, so the service will refuse the PATCH that adds it \
                 back; put a POST whose reference is writable (a Group's `members`) first in the request",
                completion.index,
                view.definition().name()
            )
        })
        .collect()
}

/// The errors of each operation's body, located in the request (`/Operations/1/data/active`):
/// a POST's as a create body, a PUT's as a replace body (of a stored resource like itself: its
/// `id` and read-only values are no change), a PATCH's as a PatchOp request, each under
/// `profile`, for the resource type its path's endpoint serves. An operation whose path names
/// no endpoint of the registry is left to the plan.
fn body_errors(registry: &Registry, request: &BulkRequest, profile: Profile) -> Vec<scimkit::Error> {
    let mut errors = Vec::new();
    for (i, op) in request.operations.iter().enumerate() {
        let Some(data) = &op.data else { continue };
        let endpoint = format!("/{}", op.path.trim_start_matches('/').split('/').next().unwrap_or_default());
        let Some(view) = registry.resource_type_by_endpoint(&endpoint) else { continue };
        let resource_type = view.definition().name();
        let options = |mode, existing| ValidateOptions { mode, existing, profile, ..ValidateOptions::default() };
        let found = match op.method {
            BulkMethod::Post => scimkit::validate(registry, resource_type, data.clone(), &options(Mode::Create, None))
                .err()
                .map(|f| f.error),
            BulkMethod::Put => {
                scimkit::validate(registry, resource_type, data.clone(), &options(Mode::Replace, Some(data.clone())))
                    .err()
                    .map(|f| f.error)
            }
            BulkMethod::Patch => {
                let patch = PatchOptions { profile, ..PatchOptions::default() };
                scimkit::patch::parse_request(data, &patch).err()
            }
            BulkMethod::Delete => None,
        };
        let Some(error) = found else { continue };
        for e in error.errors() {
            let inner = e.location().map_or("", scimkit::Location::as_str);
            errors.push(e.clone().at(scimkit::Location::from_pointer(format!("/Operations/{i}/data{inner}"))));
        }
    }
    errors
}
