//! `scimkit`: check SCIM payloads from the command line.

mod input;
mod validate_cmd;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_cmd::run(&args),
    }
}
