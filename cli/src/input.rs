//! Reading the files and registry options every subcommand shares.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use scimkit::value::kind_of;
use scimkit::{Limits, Registry};
use serde_json::Value;

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

    /// [`RegistryArgs::registry`] and the resource type to use: `given`, or else the one the
    /// `schemas` of `document` names, or else `User`.
    pub fn registry_and_type(
        &self,
        given: Option<&str>,
        document: Option<&Value>,
    ) -> Result<(Registry, String), String> {
        let registry = self.registry()?;
        let resource_type = if let Some(t) = given {
            t.to_owned()
        } else {
            let named = document.and_then(|doc| registry.resource_type_of(doc));
            named.map_or_else(|| "User".to_owned(), |t| t.definition().name().to_owned())
        };
        Ok((holding(registry, &resource_type)?, resource_type))
    }

    /// [`RegistryArgs::registry`], holding `resource_type`: a type it does not hold is a usage
    /// error naming the ones it does.
    pub fn registry_with(&self, resource_type: &str) -> Result<Registry, String> {
        holding(self.registry()?, resource_type)
    }
}

/// `registry` when it holds `resource_type`; else a usage error naming the types it does hold.
fn holding(registry: Registry, resource_type: &str) -> Result<Registry, String> {
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

/// How `path` is named in messages.
pub fn name_of(path: &Path) -> String {
    if path.as_os_str() == "-" { "standard input".to_owned() } else { path.display().to_string() }
}

/// `text` as JSON when it is (a document that is not gets its error when it is used).
pub fn json_if_any(text: &str) -> Option<Value> {
    parse_json(text).ok()
}

/// JSON text read as the library reads a request body: a key given twice in any case is
/// refused (never silently one of them kept), nesting is limited, and a string's bad escape is
/// located.
fn parse_json(text: &str) -> Result<Value, scimkit::Error> {
    scimkit::json::parse_strict(text, &any_size())
}

/// The limits files are read under: a file is no request body, so any size (a list of
/// resources, a stored group), as the library reads resource lists.
fn any_size() -> Limits {
    Limits { max_body_bytes: usize::MAX, ..Limits::default() }
}

/// The JSON document in `path` (see [`parse_json`]); errors name the file.
pub fn read_json(path: &Path) -> Result<Value, String> {
    let text = read_file(path)?;
    parse_json(&text).map_err(|e| format!("{}: {e}", name_of(path)))
}

/// The resources in `path` — a JSON array of them, one resource, a ListResponse (its
/// `Resources`, noted on stderr: a captured answer of a service), or NDJSON (one per line) —
/// each handed to `each` as it is read: a JSON array is read one item at a time, so what
/// `each` does not keep is never held with the rest (the text is). Each must be a JSON object.
/// A text that is neither one document nor lines of them gets the whole document's error,
/// which says where. On an error `each` may have seen some resources.
pub fn for_each_resource(path: &Path, each: &mut dyn FnMut(Value)) -> Result<(), String> {
    let text = read_file(path)?;
    let name = name_of(path);
    if !text.trim_start().starts_with('[') {
        resources_in(&name, &text)?.into_iter().for_each(each);
        return Ok(());
    }
    let mut not_an_object = None;
    let mut at = 0_usize;
    let read = scimkit::json::for_each_item(&text, &any_size(), |item| {
        if not_an_object.is_some() {
            return;
        }
        if item.is_object() {
            each(item);
        } else {
            not_an_object = Some(format!("{name}: resource {at} is {}, not a JSON object", kind_of(&item)));
        }
        at += 1;
    });
    match (not_an_object, read) {
        (None, Ok(())) => Ok(()),
        // Read whole for the message `resources_in` gives (a malformed array's has line and
        // column; the text may also be lines of arrays).
        (Some(message), _) => resources_in(&name, &text).and(Err(message)),
        (None, Err(e)) => resources_in(&name, &text).and(Err(format!("{name}: {e}"))),
    }
}

/// The resources in `text` (see [`for_each_resource`]), named `name` in messages.
fn resources_in(name: &str, text: &str) -> Result<Vec<Value>, String> {
    let items = match parse_json(text) {
        Ok(Value::Array(items)) => items,
        Ok(Value::Object(mut list)) if is_list_response(&list) => {
            note(&format!("note: {name} is a ListResponse: its `Resources` are read"));
            // `Resources` may be left out of an empty page (RFC 7644 §3.4.2).
            let key = list.keys().find(|k| k.eq_ignore_ascii_case("Resources")).cloned();
            match key.and_then(|k| list.remove(&k)) {
                Some(Value::Array(items)) => items,
                None => Vec::new(),
                Some(other) => {
                    return Err(format!("{name}: the ListResponse's `Resources` is {}, not an array", kind_of(&other)));
                }
            }
        }
        Ok(one) => vec![one],
        Err(whole) => {
            let lines: Vec<(usize, &str)> =
                text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()).collect();
            let ndjson = lines.len() > 1 && lines.first().is_some_and(|(_, first)| parse_json(first).is_ok());
            if !ndjson {
                return Err(format!("{name}: {whole}"));
            }
            lines
                .iter()
                .map(|(n, line)| {
                    // The line's own position: its column, not "line 1" of the line alone.
                    parse_json(line).map_err(|e| {
                        format!("{name}, line {}: {}", n + 1, e.to_string().replace("(line 1, column ", "(column "))
                    })
                })
                .collect::<Result<_, _>>()?
        }
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(format!("{name}: resource {i} is {}, not a JSON object", kind_of(item)));
        }
    }
    Ok(items)
}

/// After a refusal under `profile`: when `accepted` (the quirk rules that fired as `compat`
/// accepted the same input) holds rules `profile` lacks, says on stderr which rules and which
/// named profiles would accept it.
pub fn quirk_hint(profile: scimkit::Profile, accepted: impl IntoIterator<Item = scimkit::Quirk>) {
    let mut rules: Vec<scimkit::Quirk> = Vec::new();
    for q in accepted {
        if !profile.allows(q) && !rules.contains(&q) {
            rules.push(q);
        }
    }
    if rules.is_empty() {
        return;
    }
    let names: Vec<String> = rules.iter().map(|q| format!("`{}`", q.as_str())).collect();
    let presets = scimkit::Profile::named_with(&rules);
    let profiles = presets.iter().map(|n| format!("--profile {n}")).collect::<Vec<_>>().join(" or ");
    let rules_accept = if names.len() == 1 { "rule {} accepts" } else { "rules {} accept" };
    note(&format!(
        "hint: the quirk {} this (what identity providers really send; each is noted when it fires): {profiles}",
        rules_accept.replace("{}", &names.join(", "))
    ));
}

/// Whether `object` is a ListResponse message (its `schemas` name the message).
fn is_list_response(object: &serde_json::Map<String, Value>) -> bool {
    object.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")).and_then(|(_, v)| v.as_array()).is_some_and(|s| {
        s.iter().any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(scimkit::urn::LIST_RESPONSE)))
    })
}

/// The text of `path`, or of standard input for `-` (which can be read once). Bytes that are
/// not UTF-8 are refused at their offset; a UTF-8 byte order mark, which JSON text must not
/// start with (RFC 8259 §8.1) but Windows tools often write, is skipped with a note.
pub fn read_file(path: &Path) -> Result<String, String> {
    static STDIN_READ: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let (name, bytes) = if path.as_os_str() == "-" {
        if STDIN_READ.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(
                "standard input (`-`) can be read only once (a second input left out is `-` too); name a file for \
                 the other input"
                    .to_owned(),
            );
        }
        let stdin = std::io::stdin();
        if std::io::IsTerminal::is_terminal(&stdin) {
            note("scimkit: reading JSON from standard input (end it with Ctrl-D)");
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
        note(&format!("note: {name} starts with a UTF-8 byte order mark, skipped (a SCIM client must not send one)"));
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Writes `text` and a line break to standard output. A reader that went away (`| head`) is
/// not an error worth a crash: the output is simply not wanted any more, and the program ends
/// quietly. Any other failure (a full disk) ends it with exit code 3 and says so: output that
/// was not written must not look like success.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        note(&format!("scimkit: writing the output failed: {e}"));
        std::process::exit(3);
    }
}

/// Writes a line to standard error; one that cannot be written is dropped (there is nowhere
/// left to say so), never a panic.
pub fn note(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A limit given on the command line: any whole number of at least 0, one past what this
/// platform's sizes hold meaning the largest it holds (as the library reads limit options).
///
/// # Errors
/// For anything but digits.
pub fn whole_number(text: &str) -> Result<usize, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a whole number of at least 0"));
    }
    Ok(text.parse().unwrap_or(usize::MAX))
}

/// A `--profile`: a name, or the object form options take (`{"base", "enable", "disable"}`),
/// read by the library as options are.
///
/// # Errors
/// The library's message for an unknown name or rule.
pub fn profile(text: &str) -> Result<scimkit::Profile, String> {
    if text.trim_start().starts_with('{') {
        let options: scimkit::ValidateOptions =
            scimkit::api::options_from_json(&format!(r#"{{"profile":{text}}}"#)).map_err(|e| e.detail().to_owned())?;
        return Ok(options.profile);
    }
    text.parse().map_err(|e: scimkit::UnknownName| e.to_string())
}

/// Prints a usage problem and gives exit code 2.
pub fn usage_error(message: &str) -> std::process::ExitCode {
    note(&format!("scimkit: {message}"));
    std::process::ExitCode::from(2)
}
