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

    /// [`RegistryArgs::registry`], holding `resource_type`: a type it does not hold is a usage
    /// error naming the ones it does.
    pub fn registry_with(&self, resource_type: &str) -> Result<Registry, String> {
        let registry = self.registry()?;
        if registry.resource_type(resource_type).is_none() {
            let known: Vec<&str> = registry.resource_types().iter().map(scimkit::schema::ResourceType::name).collect();
            return Err(format!(
                "unknown resource type `{resource_type}`: the registry has {} (a custom one needs --schema and \
                 --resource-type-file)",
                known.join(", ")
            ));
        }
        Ok(registry)
    }
}

/// The text of `path`, or of standard input for `-` (which can be read once). Bytes that are
/// not UTF-8 are refused at their offset; a UTF-8 byte order mark, which JSON text must not
/// start with (RFC 8259 §8.1) but Windows tools often write, is skipped with a note.
pub fn read_file(path: &Path) -> Result<String, String> {
    static STDIN_READ: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let (name, bytes) = if path.as_os_str() == "-" {
        if STDIN_READ.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err("standard input (`-`) can be read only once; name a file for the other input".to_owned());
        }
        let stdin = std::io::stdin();
        if std::io::IsTerminal::is_terminal(&stdin) {
            eprintln!("scimkit: reading JSON from standard input (end it with Ctrl-D)");
        }
        let mut bytes = Vec::new();
        stdin.lock().read_to_end(&mut bytes).map_err(|e| format!("reading standard input: {e}"))?;
        ("standard input".to_owned(), bytes)
    } else {
        (path.display().to_string(), std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?)
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("{name}: not UTF-8 text (byte {at} is not valid UTF-8; SCIM bodies are UTF-8 JSON)")
    })?;
    if text.starts_with('\u{feff}') {
        eprintln!("note: {name} starts with a UTF-8 byte order mark, skipped (a SCIM client must not send one)");
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
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
