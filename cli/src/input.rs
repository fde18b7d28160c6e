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
    /// `schemas` of `document` names, or else `User` — said on stderr when `schemas` names
    /// schemas none of the registry's types has (a custom type not loaded).
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
            if let (None, Some(unknown)) = (&named, document.and_then(|doc| unloaded_schema(&registry, doc))) {
                note(&format!(
                    "note: `schemas` names `{}`, a schema no loaded resource type has, so this is checked as a \
                     User: load its type with --schema and --resource-type-file, or give --resource-type",
                    scimkit::excerpt(unknown)
                ));
            }
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
            "unknown resource type `{}`: the registry has {} (a custom one needs --schema and \
             --resource-type-file)",
            scimkit::excerpt(resource_type),
            known.join(", ")
        ));
    }
    Ok(registry)
}

/// The first URN in `schemas` of `doc` that is no schema of `registry` (nor a SCIM message).
fn unloaded_schema<'d>(registry: &Registry, doc: &'d Value) -> Option<&'d str> {
    let schemas = doc.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas"))?.1.as_array()?;
    schemas
        .iter()
        .filter_map(Value::as_str)
        .find(|urn| registry.schema(urn).is_none() && message_kind_of(urn).is_none())
}

/// The SCIM message `urn` names (RFC 7644 §8.2), if it is one.
fn message_kind_of(urn: &str) -> Option<&'static str> {
    use scimkit::urn;
    [
        (urn::LIST_RESPONSE, "a ListResponse (a list a service answered)"),
        (urn::PATCH_OP, "a PatchOp request"),
        (urn::SEARCH_REQUEST, "a SearchRequest"),
        (urn::BULK_REQUEST, "a BulkRequest"),
        (urn::BULK_RESPONSE, "a BulkResponse"),
        (urn::ERROR, "an error response"),
    ]
    .into_iter()
    .find(|(u, _)| u.eq_ignore_ascii_case(urn))
    .map(|(_, kind)| kind)
}

/// The SCIM message `doc` is by its `schemas` (a ListResponse, a PatchOp…), if it is one
/// rather than a resource.
pub fn message_kind(doc: &Value) -> Option<&'static str> {
    let schemas = doc.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas"))?.1.as_array()?;
    schemas.iter().filter_map(Value::as_str).find_map(message_kind_of)
}

/// A usage error when `doc` (the file `path`, given as `role`) is a SCIM message where a
/// resource goes; `advice` says what to give instead.
pub fn refuse_message(doc: &Value, path: &Path, role: &str, advice: &str) -> Result<(), String> {
    match message_kind(doc) {
        Some(kind) => Err(format!("{} is {kind}, not {role}. {advice}", name_of(path))),
        None => Ok(()),
    }
}

/// The limits a body is read under, each the library's default unless given: a service sets
/// them, so a payload it accepts under its own can be checked under the same.
#[derive(Debug, Clone, Args)]
#[expect(clippy::struct_field_names, reason = "the fields are the flags, named as the library's limits are")]
pub struct LimitArgs {
    /// The deepest nesting of a body (default: the library's, 32; at most 120).
    #[arg(long, value_name = "N", value_parser = whole_number)]
    pub max_depth: Option<usize>,
    /// The largest body in bytes (default: the library's, 8 MiB).
    #[arg(long, value_name = "BYTES", value_parser = whole_number)]
    pub max_body_bytes: Option<usize>,
    /// The most values of one multi-valued attribute (default: the library's, 100000).
    #[arg(long, value_name = "N", value_parser = whole_number)]
    pub max_values_per_attribute: Option<usize>,
}

impl LimitArgs {
    /// The library's limits with those given (a depth past the library's ceiling said so).
    pub fn limits(&self) -> Limits {
        if self.max_depth.is_some_and(|d| d > Limits::DEPTH_CEILING) {
            note(&format!("note: --max-depth is capped at {}, the deepest the library reads", Limits::DEPTH_CEILING));
        }
        let d = Limits::default();
        Limits {
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_body_bytes: self.max_body_bytes.unwrap_or(d.max_body_bytes),
            max_values_per_attribute: self.max_values_per_attribute.unwrap_or(d.max_values_per_attribute),
        }
    }
}

/// After a refusal: when an error is one of the limits a service sets (`errors`' details say
/// so), names the flag that sets it, as a service would set its own.
pub fn limit_hint(errors: &[scimkit::Error]) {
    let flags: Vec<&str> = [
        ("JSON nesting is deeper than the limit", "--max-depth"),
        ("bytes, more than the limit of", "--max-body-bytes"),
        ("values, more than the limit of", "--max-values-per-attribute"),
    ]
    .into_iter()
    .filter(|(said, _)| errors.iter().any(|e| e.detail().contains(said)))
    .map(|(_, flag)| flag)
    .collect();
    if !flags.is_empty() {
        note(&format!("hint: that is a limit a service sets; {} checks under another", flags.join(", ")));
    }
}

/// How `path` is named in messages.
pub fn name_of(path: &Path) -> String {
    if path.as_os_str() == "-" { "standard input".to_owned() } else { path.display().to_string() }
}

/// `text` as JSON when it is (a document that is not gets its error when it is used).
pub fn json_if_any(text: &str) -> Option<Value> {
    scimkit::json::parse_strict(text, &deepest()).ok()
}

/// The limits a single document (a body, a stored resource, `--existing`, a side of `diff`) is
/// read under to see what it is: any size and the deepest nesting the library allows, since the
/// command then applies the limits asked for (`--max-depth`) as the library does.
fn deepest() -> Limits {
    Limits { max_depth: Limits::DEPTH_CEILING, ..any_size() }
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
    scimkit::json::parse_strict(&text, &deepest()).map_err(|e| format!("{}: {e}", name_of(path)))
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
        Ok(Value::Object(mut list)) if is_list_response_object(&list) => {
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
        Ok(one) => {
            if let Some(kind) = message_kind(&one) {
                return Err(format!("{name} is {kind}, not a resource or a list of them"));
            }
            vec![one]
        }
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
/// accepted the same input) holds rules `profile` lacks, says on stderr which, and how to
/// accept the input: the named profiles that have every rule it needs (never one that lacks
/// another of them), and the current profile with the missing rules enabled.
pub fn quirk_hint(profile: scimkit::Profile, accepted: impl IntoIterator<Item = scimkit::Quirk>) {
    let mut needed: Vec<scimkit::Quirk> = Vec::new();
    for q in accepted {
        if !needed.contains(&q) {
            needed.push(q);
        }
    }
    let missing: Vec<scimkit::Quirk> = needed.iter().copied().filter(|q| !profile.allows(*q)).collect();
    if missing.is_empty() {
        return;
    }
    let quoted =
        |rules: &[scimkit::Quirk]| rules.iter().map(|q| format!("`{}`", q.as_str())).collect::<Vec<_>>().join(", ");
    let mut ways: Vec<String> =
        scimkit::Profile::named_with(&needed).iter().map(|n| format!("--profile {n}")).collect();
    let current =
        ["strict", "entra", "okta"].into_iter().find(|n| n.parse::<scimkit::Profile>().is_ok_and(|p| p == profile));
    if let Some(base) = current {
        let enable = missing.iter().map(|q| format!("\"{}\"", q.as_str())).collect::<Vec<_>>().join(", ");
        ways.push(format!("--profile '{{\"base\": \"{base}\", \"enable\": [{enable}]}}'"));
    }
    let (rules, verb) = if missing.len() == 1 { ("rule", "is") } else { ("rules", "are") };
    let all =
        if needed.len() > missing.len() { format!(" (it needs {} in all)", quoted(&needed)) } else { String::new() };
    note(&format!(
        "hint: the quirk {rules} {} would accept this{all} — what identity providers really send, each noted when \
         it fires — and {verb} off in this profile: {}",
        quoted(&missing),
        ways.join(" or ")
    ));
}

/// After a refusal: when an error is about a schema URN no loaded type has (a custom
/// extension such as Entra ID's `…:CustomExtensionName:2.0:User`), says how to load it.
pub fn unloaded_schema_hint(errors: &[scimkit::Error]) {
    // `schemas` naming a URN no schema of the type has (not a misspelt attribute in one).
    let unloaded = errors.iter().any(|e| e.detail().contains("is not the schema or an extension"));
    if unloaded {
        note(
            "hint: a schema or extension the registry lacks: load it with --schema FILE (and a \
             --resource-type-file whose type lists it)",
        );
    }
}

/// After a filter was refused for resource type `refused_for` (the default, not one the user
/// named): says on stderr which other resource types of `registry` it fits, if any — the
/// resources may be Groups.
pub fn resource_type_hint(registry: &Registry, refused_for: &str, filter: &str) {
    let fits: Vec<&str> = registry
        .resource_types()
        .iter()
        .map(scimkit::schema::ResourceType::name)
        .filter(|name| *name != refused_for && scimkit::api::filter_check(registry, name, filter).is_ok())
        .collect();
    if let Some(first) = fits.first() {
        let all = fits.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        note(&format!(
            "hint: the filter was checked against `{refused_for}` (the default), and fits {all}: give --resource-type {first}"
        ));
    }
}

/// The name among `known` that `given` most likely meant (a slip of a letter or two, any
/// case), as the library suggests attribute names.
pub fn did_you_mean<'k>(given: &str, known: &[&'k str]) -> Option<&'k str> {
    scimkit::schema::closest_name(given, known.iter().copied())
}

/// Whether `doc` is a ListResponse message.
pub fn is_list_response(doc: &Value) -> bool {
    doc.as_object().is_some_and(is_list_response_object)
}

/// Whether `object` is a ListResponse message (its `schemas` name the message).
fn is_list_response_object(object: &serde_json::Map<String, Value>) -> bool {
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
        // The library's reader names what the bytes are (UTF-16 from a PowerShell `>`, a
        // stray byte), as a service would answer them.
        match scimkit::json::parse_bytes(e.as_bytes(), &any_size()) {
            Err(read) if read.detail().contains("UTF") => format!("{name}: {}", read.detail()),
            _ => {
                let at = e.utf8_error().valid_up_to();
                format!("{name}: not UTF-8 text (byte {at} is not valid UTF-8; SCIM bodies are UTF-8 JSON)")
            }
        }
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
