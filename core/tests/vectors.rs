//! Runs every shared vector in `tests/vectors/` through the Rust core. The Node and Python
//! runners read the same files with the same rules (see `tests/vectors/README.md`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

mod protocol_ops;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use scimkit::Error;
use scimkit::api;
use serde_json::{Value, json};

/// Cases this runner skips, each with the reason. Empty: every case runs.
const SKIP: &[(&str, &str)] = &[];

type Operation = fn(&Value) -> Result<Value, Error>;

/// One line per operation.
const OPERATIONS: &[(&str, Operation)] = &[
    ("validate", validate),
    ("patch.apply", patch_apply),
    ("patch.diff", patch_diff),
    ("filter.parse", filter_parse),
    ("filter.check", filter_check),
    ("filter.evaluate", filter_evaluate),
    ("path.parse", path_parse),
    ("protocol.query", protocol_ops::query),
    ("protocol.project", protocol_ops::project),
    ("protocol.sort", protocol_ops::sort),
    ("protocol.listResponse", protocol_ops::list_response),
    ("protocol.errorResponse", protocol_ops::error_response),
    ("protocol.discovery", protocol_ops::discovery),
    ("protocol.etag", protocol_ops::etag),
    ("protocol.meta", protocol_ops::meta),
    ("protocol.preconditions", protocol_ops::preconditions),
    ("protocol.valueLocation", protocol_ops::value_location),
    ("protocol.bulkPlan", protocol_ops::bulk_plan),
    ("protocol.bulkResponse", protocol_ops::bulk_response),
    ("mapping.toRecord", mapping_to_record),
    ("mapping.fromRecord", mapping_from_record),
    ("sql.translate", sql_translate),
];

fn texts(input: &Value, key: &str) -> Vec<String> {
    input.get(key).and_then(Value::as_array).map_or_else(Vec::new, |docs| {
        docs.iter().map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_owned)).collect()
    })
}

fn validate(input: &Value) -> Result<Value, Error> {
    let registry = api::build_registry(&texts(input, "schemas"), &texts(input, "resourceTypes"))?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let body = match (input.get("text"), input.get("body")) {
        (Some(Value::String(t)), _) => t.clone(),
        (_, Some(b)) => b.to_string(),
        _ => panic!("a validate case needs `body` or `text`"),
    };
    let options = input.get("options").map_or_else(String::new, Value::to_string);
    match api::validate_text(&registry, resource_type, &body, &options) {
        Ok(v) => Ok(same_as_parts(&api::validated_to_json(&v), api::validated_to_json_parts(&v))),
        Err(invalid) => Err(invalid.error.with_notes(invalid.notes)),
    }
}

fn text<'a>(input: &'a Value, key: &str) -> &'a str {
    input.get(key).and_then(Value::as_str).unwrap_or_else(|| panic!("the input needs a string `{key}`"))
}

fn filter_parse(input: &Value) -> Result<Value, Error> {
    let limits = input.get("limits").map_or_else(String::new, Value::to_string);
    Ok(api::filter_describe(&api::filter_parse_with(text(input, "filter"), &limits)?))
}

fn filter_check(input: &Value) -> Result<Value, Error> {
    let registry = api::build_registry(&texts(input, "schemas"), &texts(input, "resourceTypes"))?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    Ok(api::filter_check(&registry, resource_type, text(input, "filter"))?.to_string().into())
}

fn filter_evaluate(input: &Value) -> Result<Value, Error> {
    let registry = api::build_registry(&texts(input, "schemas"), &texts(input, "resourceTypes"))?;
    let resource_type = input.get("resourceType").and_then(Value::as_str);
    let resources = input["resources"].as_array().expect("`resources` must be an array");
    let flags = api::filter_matches_all(&registry, resource_type, text(input, "filter"), resources)?;
    // The same answer from a ResourceSet (which reads the resources into columns).
    let set = scimkit::ResourceSet::new(resources.clone());
    let checked = api::filter_prepare(&registry, resource_type, text(input, "filter"))?;
    let expected: Vec<usize> = flags.iter().enumerate().filter(|(_, m)| **m).map(|(i, _)| i).collect();
    assert_eq!(set.matching(&checked), expected, "a ResourceSet disagrees with matching one by one");
    Ok(json!(flags))
}

fn path_parse(input: &Value) -> Result<Value, Error> {
    Ok(api::patch_path_describe(&api::patch_path_parse(text(input, "path"))?))
}

fn registry_for(input: &Value) -> Result<scimkit::Registry, Error> {
    api::build_registry(&texts(input, "schemas"), &texts(input, "resourceTypes"))
}

fn patch_apply(input: &Value) -> Result<Value, Error> {
    let registry = registry_for(input)?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let request = match (input.get("text"), input.get("request")) {
        (Some(Value::String(t)), _) => t.clone(),
        (_, Some(r)) => r.to_string(),
        _ => panic!("a patch case needs `request` or `text`"),
    };
    let options = input.get("options").map_or_else(String::new, Value::to_string);
    let resource = input["resource"].to_string();
    let done = api::patch_text(&registry, resource_type, &resource, &request, &options);
    let held = held_form(&registry, resource_type, &resource, &request, input.get("options"));
    match (&done, &held) {
        (Ok(done), Ok(held)) => {
            let whole: Value = serde_json::from_str(&api::patched_to_json(done)).unwrap();
            assert_eq!(held.to_string(), whole.to_string(), "the held form's result differs");
        }
        (Err(a), Err(b)) => assert_eq!(error_record(a), error_record(b), "the held form fails otherwise"),
        _ => panic!("the held form differs: {held:?}"),
    }
    same_unreported(&registry, resource_type, &resource, &request, input.get("options"), &done);
    let done = done?;
    Ok(same_as_parts(&api::patched_to_json(&done), api::patched_to_json_parts(&done)))
}

/// Every PATCH case again with `report: none` (unless the case sets `report` itself): the same
/// resource or the same error, and nothing reported.
fn same_unreported(
    registry: &scimkit::Registry,
    resource_type: &str,
    resource: &str,
    request: &str,
    options: Option<&Value>,
    reported: &Result<scimkit::patch::Patched, Error>,
) {
    let mut quiet = options.cloned().unwrap_or_else(|| json!({}));
    let Some(members) = quiet.as_object_mut().filter(|o| !o.contains_key("report")) else { return };
    members.insert("report".into(), json!("none"));
    let unreported = api::patch_text(registry, resource_type, resource, request, &quiet.to_string());
    match (reported, &unreported) {
        (Ok(full), Ok(none)) => {
            assert_eq!(full.resource, none.resource, "report: none patched otherwise");
            assert!(none.changes.is_empty() && none.quirks.is_empty() && none.notes.is_empty());
        }
        (Err(a), Err(b)) => assert_eq!(error_record(a), error_record(b), "report: none fails otherwise"),
        _ => panic!("report: none decided otherwise: {unreported:?}"),
    }
}

fn text_document(text: &str) -> api::Document<'_> {
    api::Document::Text(std::borrow::Cow::Borrowed(text))
}

/// The same PATCH applied to the resource held (`api::hold_text`, read under the PATCH's
/// limits) as `{resource, changes, quirks, notes}`; a PATCH that fails must leave the held
/// resource as it was.
fn held_form(
    registry: &scimkit::Registry,
    resource_type: &str,
    resource: &str,
    request: &str,
    options: Option<&Value>,
) -> Result<Value, Error> {
    let hold_options =
        options.and_then(|o| o.get("limits")).map_or_else(String::new, |l| json!({"limits": l}).to_string());
    let mut held = api::hold_document(registry, resource_type, text_document(resource), &hold_options)?;
    let before = held.resource()?.to_string();
    let options = options.map_or_else(String::new, Value::to_string);
    match api::held_patch_document(registry, &mut held, text_document(request), &options) {
        Ok(report) => {
            let mut out = serde_json::to_value(&report).unwrap();
            out["resource"] = held.resource()?.clone();
            Ok(
                json!({"resource": out["resource"], "changes": out["changes"], "quirks": out["quirks"], "notes": out["notes"]}),
            )
        }
        Err(e) => {
            assert_eq!(held.resource()?.to_string(), before, "a failed PATCH changed the held resource");
            Err(e)
        }
    }
}

/// A result's JSON text, read back, after checking that the two texts the bindings hand over
/// (the resource, and the rest) say the same.
fn same_as_parts(whole: &str, (resource, report): (String, String)) -> Value {
    let whole: Value = serde_json::from_str(whole).unwrap();
    let mut joined: Value = serde_json::from_str(&report).unwrap();
    joined["resource"] = serde_json::from_str(&resource).unwrap();
    assert_eq!(joined, whole, "the result's two texts differ from the whole");
    whole
}

fn patch_diff(input: &Value) -> Result<Value, Error> {
    let registry = registry_for(input)?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let ops = api::diff_text(&registry, resource_type, &input["old"].to_string(), &input["new"].to_string())?;
    let ops: Value = serde_json::from_str(&ops).unwrap();
    if ops["Operations"].as_array().is_some_and(Vec::is_empty) {
        // Nothing to send: the resources must be the same.
        assert_eq!(input["old"], input["new"], "diff found no change between different resources");
        return Ok(ops);
    }
    // The law every diff keeps: applying it to `old` gives `new`.
    let done = api::patch_text(&registry, resource_type, &input["old"].to_string(), &ops.to_string(), "")?;
    assert_eq!(done.resource, input["new"], "diff broke apply(old, diff(old, new)) == new: {ops}");
    Ok(ops)
}

fn mapping_to_record(input: &Value) -> Result<Value, Error> {
    let registry = registry_for(input)?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let mapping = input["mapping"].to_string();
    let record = api::mapping_to_record_json(&registry, resource_type, &mapping, &input["resource"].to_string())?;
    // The law every mapping keeps: storing what a record gives back stores the same record.
    let back = api::mapping_from_record_json(&registry, resource_type, &mapping, &record)?;
    let again = api::mapping_to_record_json(&registry, resource_type, &mapping, &back)?;
    assert_eq!(again, record, "to_record(from_record(record)) != record for {back}");
    Ok(serde_json::from_str(&record).unwrap())
}

fn mapping_from_record(input: &Value) -> Result<Value, Error> {
    let registry = registry_for(input)?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let mapping = input["mapping"].to_string();
    let resource = api::mapping_from_record_json(&registry, resource_type, &mapping, &input["record"].to_string())?;
    Ok(serde_json::from_str(&resource).unwrap())
}

fn sql_translate(input: &Value) -> Result<Value, Error> {
    let registry = registry_for(input)?;
    let resource_type = input.get("resourceType").and_then(Value::as_str).unwrap_or("User");
    let mapping = input["mapping"].to_string();
    let sql = api::filter_to_sql(&registry, resource_type, text(input, "filter"), &mapping, text(input, "dialect"))?;
    Ok(serde_json::to_value(sql).unwrap())
}

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            vector_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json")
            && path.file_name().is_some_and(|n| n != "vector.schema.json")
        {
            out.push(path);
        }
    }
}

fn loc(e: &Error) -> Option<&str> {
    e.location().map(scimkit::Location::as_str)
}

fn error_record(e: &Error) -> Value {
    let span = e.span().map(|s| json!({"start": s.start, "end": s.end}));
    json!({"scimType": e.scim_type().map(scimkit::ScimType::as_str), "status": e.status(), "location": loc(e), "span": span})
}

fn short_record(e: &Error) -> Value {
    json!({"scimType": e.scim_type().map(scimkit::ScimType::as_str), "location": loc(e)})
}

fn note_record(n: &Value) -> Value {
    json!({"code": n["code"], "quirk": n.get("quirk").cloned().unwrap_or(Value::Null), "location": n["location"]})
}

/// What a failed call noted before it failed, as records.
fn error_notes(e: &Error) -> Value {
    json!(e.notes().iter().map(|n| note_record(&serde_json::to_value(n).unwrap())).collect::<Vec<_>>())
}

fn all_details(e: &Error) -> String {
    e.errors().iter().map(|x| format!("{} @ {:?}", x.detail(), loc(x))).collect::<Vec<_>>().join("; ")
}

fn check_value(want: &Value, got: &Value) -> Result<(), String> {
    // `value` holding `resource` (validate, patch): each key given is compared; notes and
    // quirks by code, quirk and location only.
    let Some(fields) = want.as_object().filter(|o| o.contains_key("resource") || o.contains_key("notes")) else {
        if want != got {
            return Err(format!("value differs:\n want {want}\n got  {got}"));
        }
        return Ok(());
    };
    for (key, expected) in fields {
        let actual = &got[key.as_str()];
        let (expected, actual) = if key == "notes" || key == "quirks" {
            let records = |v: &Value| json!(v.as_array().map(|a| a.iter().map(note_record).collect::<Vec<_>>()));
            (records(expected), records(actual))
        } else {
            (expected.clone(), actual.clone())
        };
        if expected != actual {
            return Err(format!("{key} differs:\n want {expected}\n got  {actual}"));
        }
    }
    Ok(())
}

fn check_error(want: &Value, e: &Error) -> Result<(), String> {
    let got = error_record(e);
    for key in ["scimType", "status", "location", "span"] {
        if let Some(w) = want.get(key) {
            if w != &got[key] {
                return Err(format!("error {key} differs: want {w}, got {} ({})", got[key], all_details(e)));
            }
        }
    }
    if let Some(notes) = want.get("notes") {
        let want_notes = json!(notes.as_array().unwrap().iter().map(note_record).collect::<Vec<_>>());
        let got_notes = error_notes(e);
        if want_notes != got_notes {
            return Err(format!("error notes differ:\n want {want_notes}\n got  {got_notes}"));
        }
    }
    if let Some(list) = want.get("errors") {
        let mut want_list: Vec<Value> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|w| json!({"scimType": w["scimType"], "location": w["location"]}))
            .collect();
        let mut got_list: Vec<Value> = e.errors().iter().map(short_record).collect();
        want_list.sort_by_key(Value::to_string);
        got_list.sort_by_key(Value::to_string);
        if want_list != got_list {
            return Err(format!(
                "errors differ:\n want {}\n got  {}\n details {}",
                json!(want_list),
                json!(got_list),
                all_details(e)
            ));
        }
    }
    Ok(())
}

/// Compares one outcome with the expectation; returns what differs.
fn check(expect: &Value, outcome: Result<Value, Error>) -> Result<(), String> {
    match (expect.get("value"), expect.get("error"), outcome) {
        (Some(want), None, Ok(got)) => check_value(want, &got),
        (None, Some(want), Err(e)) => check_error(want, &e),
        (Some(_), None, Err(e)) => Err(format!("expected success, got {}: {}", error_record(&e), all_details(&e))),
        (None, Some(_), Ok(got)) => Err(format!("expected an error, got {got}")),
        _ => Err("`expect` needs exactly one of `value` and `error`".to_owned()),
    }
}

#[test]
fn shared_vectors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    vector_files(&root, &mut files);
    files.sort();
    let (mut ran, mut failures) = (0, Vec::new());
    let mut seen_ids = std::collections::BTreeSet::new();
    let mut dump = std::env::var_os("SCIMKIT_VECTORS_DUMP").map(|p| std::fs::File::create(p).unwrap());
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file).display().to_string();
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let operation = doc["operation"].as_str().unwrap_or_else(|| panic!("{name}: no operation"));
        let Some(&(_, run)) = OPERATIONS.iter().find(|(op, _)| *op == operation) else {
            panic!("{name}: unknown operation `{operation}`")
        };
        for case in doc["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap();
            assert!(seen_ids.insert(id.to_owned()), "case id `{id}` is used twice");
            if SKIP.iter().any(|(s, _)| *s == id) {
                continue;
            }
            ran += 1;
            let outcome = run(&case["input"]);
            if let Some(out) = dump.as_mut() {
                // SCIMKIT_VECTORS_DUMP=FILE writes each case's actual outcome, one JSON line per
                // case, for reviewing a deliberate change of behaviour.
                let record = match &outcome {
                    Ok(v) => json!({"id": id, "value": v}),
                    Err(e) => {
                        json!({"id": id, "error": error_record(e), "errors": e.errors().iter().map(short_record).collect::<Vec<_>>(), "notes": error_notes(e)})
                    }
                };
                writeln!(out, "{record}").unwrap();
            }
            if let Err(why) = check(&case["expect"], outcome) {
                failures.push(format!("{name} [{id}]: {why}"));
            }
        }
    }
    assert!(ran > 0, "no vectors found under {}", root.display());
    assert!(failures.is_empty(), "{} of {ran} vectors failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{ran} vectors passed");
}
