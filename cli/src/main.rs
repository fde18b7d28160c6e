//! `scimkit`: check SCIM payloads from the command line.

mod bulk_cmd;
mod discovery_cmd;
mod filter_cmd;
mod input;
mod patch_cmd;
mod query_cmd;
mod validate_cmd;
mod validate_list;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Check SCIM 2.0 payloads (RFC 7643/7644) the way a server would.
#[derive(Debug, Parser)]
#[command(name = "scimkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a resource; print it normalized (exit 0) or every error as JSON (exit 1).
    Validate(validate_cmd::Args),
    /// Keep the resources a filter matches; or print its canonical form (--print).
    Filter(filter_cmd::Args),
    /// Apply a PATCH request to a resource; print the result, the changes and the quirks that fired.
    Patch(patch_cmd::PatchArgs),
    /// Print the PATCH request that turns one resource into another.
    Diff(patch_cmd::DiffArgs),
    /// Answer a list query (filter, sort, paging, attributes) over a file of resources.
    Query(query_cmd::Args),
    /// Print the /ServiceProviderConfig, /ResourceTypes and /Schemas documents.
    Discovery(discovery_cmd::Args),
    /// Check a BulkRequest and print its execution plan.
    Bulk(bulk_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_cmd::run(&args),
        Command::Filter(args) => filter_cmd::run(&args),
        Command::Patch(args) => patch_cmd::run_patch(&args),
        Command::Diff(args) => patch_cmd::run_diff(&args),
        Command::Query(args) => query_cmd::run(&args),
        Command::Discovery(args) => discovery_cmd::run(&args),
        Command::Bulk(args) => bulk_cmd::run(&args),
    }
}
