//! Reading the files and registry options every subcommand shares.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use scimkit::Registry;

/// Custom schemas and resource types to load beside the built-ins.
#[derive(Debug, Clone, Args)]
pub struct RegistryArgs {
    /// An RFC 7643 Schema JSON file to load (repeatable).
    #[arg(long = "schema", value_name = "FILE")]
    pub schemas: Vec<PathBuf>,
    /// An RFC 7643 ResourceType JSON file, one type or an array (repeatable).
    #[arg(long = "resource-type-file", value_name = "FILE")]
    pub resource_type_files: Vec<PathBuf>,
}

impl RegistryArgs {
    /// The built-ins plus the files named, or a message saying which file is wrong.
    pub fn registry(&self) -> Result<Registry, String> {
        if self.schemas.is_empty() && self.resource_type_files.is_empty() {
            return Ok(Registry::builtin());
        }
        let mut builder = Registry::builder();
        for path in &self.schemas {
            let text = read_file(path)?;
            builder = builder.schema_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for path in &self.resource_type_files {
            let text = read_file(path)?;
            builder = builder.resource_type_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        builder.build().map_err(|e| e.to_string())
    }
}

/// The text of `path`, or of standard input for `-`.
pub fn read_file(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("reading standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes `text` and a line break to standard output. A reader that went away (`| head`) is
/// not an error worth a crash: the output is simply not wanted any more.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// Prints a usage problem and gives exit code 2.
pub fn usage_error(message: &str) -> std::process::ExitCode {
    eprintln!("scimkit: {message}");
    std::process::ExitCode::from(2)
}
