//! `scimkit filter` as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn ids(out: &Output) -> Vec<String> {
    json(out).as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const NDJSON: &str = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen","emails":[{"type":"work","value":"b@example.com"},{"type":"home","value":"b@x.org"}]}
{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2","userName":"jsmith","emails":[{"type":"work","value":"j@x.org"}]}
"#;

#[test]
fn keeps_matching_resources_from_ndjson_with_schema_rules() {
    // userName is caseExact false; both conditions bind to the same email.
    let out = run(&["filter", r#"userName eq "BJENSEN" or emails[type eq "work" and value ew "x.org"]"#, "-"], NDJSON);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&out), ["1", "2"]);
    let out = run(&["filter", r#"emails[type eq "work" and value ew "x.org"]"#, "-"], NDJSON);
    assert_eq!(ids(&out), ["2"], "the work email of user 1 does not end in x.org");
}

#[test]
fn bad_filters_are_errors_with_a_span() {
    let out = run(&["filter", "userName eq", "-"], NDJSON);
    assert_eq!(out.status.code(), Some(1));
    let e = &json(&out)["errors"][0];
    assert_eq!(e["scimType"], "invalidFilter");
    assert_eq!(e["span"]["start"], 11);
    let out = run(&["filter", r#"usrName eq "x""#, "-"], NDJSON);
    assert_eq!(json(&out)["errors"][0]["scimType"], "invalidFilter");
}

#[test]
fn prints_the_canonical_form_and_tree() {
    let out = run(&["filter", "--print", r#"NOT (title PR) AND userName Eq "a""#], "");
    assert_eq!(out.status.code(), Some(0));
    let printed = json(&out);
    assert_eq!(printed["canonical"], r#"not (title pr) and userName eq "a""#);
    assert!(printed["ast"]["and"].is_array());
}

fn write_mapping(name: &str, mapping: &Value) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("scimkit-cli-{}-{name}.json", std::process::id()));
    std::fs::write(&path, mapping.to_string()).unwrap();
    path
}

#[test]
fn prints_sql_for_a_mapping() {
    let mapping = serde_json::json!({"layout": "columns", "table": "users", "key": "id",
        "attributes": {"userName": {"column": "user_name"},
            "emails": {"table": "user_emails", "foreignKey": "user_id", "attributes": {"type": {"column": "type"}}}}});
    let path = write_mapping("columns", &mapping);
    let file = path.to_str().unwrap();
    let out = run(&["filter", "--sql", "sqlite", "--mapping", file, r#"userName eq "BJensen""#], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = json(&out);
    assert_eq!(printed["sql"], r#""users"."user_name_fold" IS NOT NULL AND "users"."user_name_fold" = ?"#);
    assert_eq!(printed["params"], serde_json::json!(["bjensen"]));
    let out = run(&["filter", "--sql", "postgres", "--mapping", file, r#"emails[type eq "work"]"#], "");
    assert_eq!(out.status.code(), Some(0));
    let printed = json(&out);
    assert!(printed["sql"].as_str().unwrap().starts_with(r#"EXISTS (SELECT 1 FROM "user_emails" AS "c1""#));
    assert!(printed["sql"].as_str().unwrap().contains("$1::text"));
    assert_eq!(printed["params"], serde_json::json!(["work"]));
    let _ = std::fs::remove_file(path);
}

#[test]
fn sql_errors_are_json_with_exit_1() {
    let good =
        write_mapping("document", &serde_json::json!({"layout": "document", "table": "users", "column": "data"}));
    let out = run(&["filter", "--sql", "d1", "--mapping", good.to_str().unwrap(), r#"usrName eq "x""#], "");
    assert_eq!(out.status.code(), Some(1));
    let e = &json(&out)["errors"][0];
    assert_eq!(e["scimType"], "invalidFilter");
    assert_eq!(e["span"]["start"], 0);
    let bad = write_mapping(
        "bad",
        &serde_json::json!({"layout": "columns", "table": "users", "key": "id",
        "attributes": {"active": {"column": "active", "type": "string"}}}),
    );
    let out = run(&["filter", "--sql", "sqlite", "--mapping", bad.to_str().unwrap(), "active eq true"], "");
    assert_eq!(out.status.code(), Some(1));
    let e = &json(&out)["errors"][0];
    assert_eq!(e["scimType"], "invalidValue");
    assert_eq!(e["location"], "/attributes/active/type");
    let out = run(&["filter", "--sql", "sqlite", r#"userName eq "x""#], "");
    assert_eq!(out.status.code(), Some(2), "--sql without --mapping is a usage error");
    let out = run(&["filter", "--sql", "d1", "--mapping", good.to_str().unwrap(), "userName pr", "users.json"], "");
    assert_eq!(out.status.code(), Some(2), "--sql reads no resources: a file given is not silently ignored");
    let out = run(&["filter", "--sql", "oracle", "--mapping", good.to_str().unwrap(), r#"userName eq "x""#], "");
    assert_eq!(out.status.code(), Some(2), "an unknown dialect is a usage error");
    let _ = std::fs::remove_file(good);
    let _ = std::fs::remove_file(bad);
}
