//! Runs every shared vector in `tests/vectors/` through the Rust core. The Node and Python
//! runners read the same files with the same rules (see `tests/vectors/README.md`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

use std::path::{Path, PathBuf};

use scimkit::Error;
use scimkit::api;
use serde_json::{Value, json};

/// Cases this runner skips, each with the reason. Empty: every case runs.
const SKIP: &[(&str, &str)] = &[];

type Operation = fn(&Value) -> Result<Value, Error>;

/// One line per operation.
const OPERATIONS: &[(&str, Operation)] = &[("validate", validate)];

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
        Ok(v) => Ok(serde_json::from_str(&api::validated_to_json(&v)).unwrap()),
        Err(invalid) => Err(invalid.error),
    }
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
    json!({"scimType": e.scim_type().map(scimkit::ScimType::as_str), "status": e.status(), "location": loc(e)})
}

fn short_record(e: &Error) -> Value {
    json!({"scimType": e.scim_type().map(scimkit::ScimType::as_str), "location": loc(e)})
}

fn note_record(n: &Value) -> Value {
    json!({"code": n["code"], "quirk": n.get("quirk").cloned().unwrap_or(Value::Null), "location": n["location"]})
}

fn all_details(e: &Error) -> String {
    e.errors().iter().map(|x| format!("{} @ {:?}", x.detail(), loc(x))).collect::<Vec<_>>().join("; ")
}

fn check_value(want: &Value, got: &Value) -> Result<(), String> {
    if let Some(resource) = want.get("resource") {
        if resource != &got["resource"] {
            return Err(format!("resource differs:\n want {resource}\n got  {}", got["resource"]));
        }
    }
    if let Some(notes) = want.get("notes") {
        let got_notes: Vec<Value> = got["notes"].as_array().unwrap().iter().map(note_record).collect();
        let want_notes: Vec<Value> = notes.as_array().unwrap().iter().map(note_record).collect();
        if got_notes != want_notes {
            return Err(format!("notes differ:\n want {}\n got  {}", json!(want_notes), json!(got_notes)));
        }
    }
    if want.get("resource").is_none() && want.get("notes").is_none() && want != got {
        return Err(format!("value differs:\n want {want}\n got  {got}"));
    }
    Ok(())
}

fn check_error(want: &Value, e: &Error) -> Result<(), String> {
    let got = error_record(e);
    for key in ["scimType", "status", "location"] {
        if let Some(w) = want.get(key) {
            if w != &got[key] {
                return Err(format!("error {key} differs: want {w}, got {} ({})", got[key], all_details(e)));
            }
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
            if let Err(why) = check(&case["expect"], run(&case["input"])) {
                failures.push(format!("{name} [{id}]: {why}"));
            }
        }
    }
    assert!(ran > 0, "no vectors found under {}", root.display());
    assert!(failures.is_empty(), "{} of {ran} vectors failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{ran} vectors passed");
}
