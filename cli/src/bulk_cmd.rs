//! `scimkit bulk`: check a BulkRequest and print its execution plan (RFC 7644 §3.7).

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::api::to_json_pretty;
use scimkit::protocol::bulk::{BulkLimits, BulkRequest, plan};
use serde_json::json;

use crate::input::{emit, read_file, usage_error};

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
}

/// Prints the plan — the operations in execution order with what each depends on, and why an
/// operation cannot run (`refused`: a reference cycle, an unknown `bulkId`) — exiting 0 when
/// every operation can run and 1 when one cannot; a request refused whole prints the error
/// (exit 1); an unreadable file is a usage problem (exit 2).
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
    match BulkRequest::from_json(&text, &limits).map(plan) {
        Ok(p) => {
            emit(&to_json_pretty(&p));
            if p.operations.iter().any(|o| o.refused.is_some()) { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            emit(&to_json_pretty(&json!({"errors": e.errors()})));
            ExitCode::from(1)
        }
    }
}
