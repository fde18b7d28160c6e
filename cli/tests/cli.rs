//! The `scimkit` binary as a user runs it: exit codes, stdout JSON, stderr notes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(args)
        .current_dir(repo())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        // The program may exit before reading (a usage error); a closed pipe is then expected.
        let _ = input.write_all(text.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[test]
fn full_user_with_enterprise_extension_is_valid() {
    let out = run(&["validate", "examples/payloads/user-full.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let user = stdout_json(&out);
    assert_eq!(user["userName"], "mrivera@example.org");
    assert_eq!(user[ENTERPRISE]["manager"]["value"], "b41c9e7a-2f1d-4c55-9a5e-0d7f3c2e8a11");
    assert_eq!(user["schemas"][1], ENTERPRISE);
}

#[test]
fn body_breaking_five_rules_reports_every_error_with_pointers() {
    let out = run(&["validate", "examples/payloads/user-invalid.json"], None);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    let mut locations: Vec<&str> =
        report["errors"].as_array().unwrap().iter().map(|e| e["location"].as_str().unwrap()).collect();
    locations.sort_unstable();
    let enterprise_number = format!("/{ENTERPRISE}/employeeNumber");
    // The extension is used but `schemas` does not list it: a sixth error, at the extension.
    let enterprise = format!("/{ENTERPRISE}");
    let mut want = vec![
        "/active",
        "/emails/1/primary",
        "/nickname2",
        "/userName",
        enterprise_number.as_str(),
        enterprise.as_str(),
    ];
    want.sort_unstable();
    assert_eq!(locations, want);
    for e in report["errors"].as_array().unwrap() {
        assert_eq!(e["status"], 400);
        assert!(e["scimType"].is_string() && e["detail"].is_string());
    }
    // The read-only meta was dropped, and says so.
    assert_eq!(report["notes"][0]["code"], "readOnlyIgnored");
}

#[test]
fn custom_resource_type_is_validated_with_the_same_rigour() {
    let custom = [
        "--schema",
        "examples/custom/device.schema.json",
        "--resource-type-file",
        "examples/custom/device.resource-type.json",
        "--resource-type",
        "Device",
    ];
    let mut ok = vec!["validate"];
    ok.extend(custom);
    ok.push("examples/custom/device.json");
    let out = run(&ok, None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout_json(&out)["storageGb"], 512);

    let mut bad = vec!["validate"];
    bad.extend(custom);
    bad.push("examples/custom/device-invalid.json");
    let out = run(&bad, None);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    let locations: Vec<&str> =
        report["errors"].as_array().unwrap().iter().map(|e| e["location"].as_str().unwrap()).collect();
    for want in [
        "/serialNumber",
        "/model",
        "/storageGb",
        "/enrolledAt",
        "/owner/$ref",
        "/networkInterfaces/0/mac",
        "/networkInterfaces/1/primary",
        "/certificate",
    ] {
        assert!(locations.contains(&want), "missing {want} in {locations:?}");
    }
}

#[test]
fn compat_profile_accepts_entra_and_notes_each_quirk() {
    let strict = run(&["validate", "examples/payloads/user-entra.json"], None);
    assert_eq!(strict.status.code(), Some(1));
    let out = run(&["validate", "--profile", "compat", "examples/payloads/user-entra.json"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["active"], true);
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(notes.contains("/active") && notes.contains("manager") && notes.contains("schemas"), "{notes}");
}

#[test]
fn reads_standard_input() {
    let body = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops"}"#;
    let out = run(&["validate", "--resource-type", "group", "-"], Some(body));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["displayName"], "Ops");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["validate", "--mode", "sideways", "x.json"], None).status.code(), Some(2));
    assert_eq!(
        run(&["validate", "--mode", "replace", "examples/payloads/user-full.json"], None).status.code(),
        Some(2)
    );
    assert_eq!(run(&["validate", "no/such/file.json"], None).status.code(), Some(2));
    assert_eq!(
        run(&["validate", "--schema", "examples/payloads/user-full.json", "-"], Some("{}")).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
}

#[test]
fn replace_mode_refuses_changing_an_immutable_value() {
    let dir = std::env::temp_dir().join(format!("scimkit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let existing = dir.join("existing.json");
    std::fs::write(
        &existing,
        r#"{"schemas":["urn:example:params:scim:schemas:Device"],"id":"d1","serialNumber":"AAA"}"#,
    )
    .unwrap();
    let args = |body: &str| {
        let out = run(
            &[
                "validate",
                "--schema",
                "examples/custom/device.schema.json",
                "--resource-type-file",
                "examples/custom/device.resource-type.json",
                "--resource-type",
                "Device",
                "--mode",
                "replace",
                "--existing",
                existing.to_str().unwrap(),
                "-",
            ],
            Some(body),
        );
        (out.status.code(), stdout_json(&out))
    };
    let (code, report) = args(r#"{"schemas":["urn:example:params:scim:schemas:Device"],"serialNumber":"BBB"}"#);
    assert_eq!(code, Some(1));
    assert_eq!(report["errors"][0]["scimType"], "mutability");
    let (code, kept) = args(r#"{"schemas":["urn:example:params:scim:schemas:Device"],"model":"X"}"#);
    assert_eq!(code, Some(0));
    assert_eq!(kept["serialNumber"], "AAA");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_resource_type_is_a_usage_error_naming_the_known_ones() {
    let out = run(&["validate", "--resource-type", "Usr", "examples/payloads/user-full.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`Usr`") && err.contains("User, Group"), "{err}");
    let out = run(&["patch", "--resource-type", "Grup", "examples/patch/group.json", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn input_encoding_problems_say_what_and_where() {
    let dir = std::env::temp_dir().join(format!("scimkit-cli-encoding-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A byte order mark is skipped, with a note.
    let bom = dir.join("bom.json");
    std::fs::write(
        &bom,
        b"\xef\xbb\xbf{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"a\"}",
    )
    .unwrap();
    let out = run(&["validate", bom.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("byte order mark"));
    // Latin-1 is refused at the byte that is not UTF-8.
    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"userName\":\"\xe9\"}").unwrap();
    let out = run(&["validate", latin1.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("byte 13 is not valid UTF-8"));
    // Standard input can stand for one input only.
    let out = run(&["patch", "-", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read only once"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes `text` to a scratch file of this test process and gives its path.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scimkit-cli-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_input_is_read_as_the_library_reads_a_body() {
    // A key given twice in another case is refused wherever a document is read — never one of
    // them silently kept.
    let dup = scratch(
        "dup.json",
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"a","USERNAME":"b"}"#,
    );
    let dup = dup.to_str().unwrap();
    for args in [
        vec!["filter", "userName pr", dup],
        vec!["query", "count=1", dup],
        vec!["patch", dup, "examples/patch/entra-user.json"],
        vec!["diff", dup, "examples/payloads/user-full.json"],
        vec!["validate", "--mode", "replace", "--existing", dup, "examples/payloads/user-full.json"],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("dup.json") && err.contains("more than once"), "{args:?}: {err}");
    }
    // A malformed document gets its own error, with the line, not an NDJSON guess.
    let commented = scratch("commented.json", "{\n  \"userName\": \"a\",\n  // who\n  \"id\": \"1\"\n}\n");
    let out = run(&["filter", "userName pr", commented.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"), "{}", String::from_utf8_lossy(&out.stderr));
    // An NDJSON line is named, with its own column.
    let lines = scratch("lines.ndjson", "{\"id\":\"1\"}\n{\"id\":\"2\",}\n");
    let out = run(&["query", "count=1", lines.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lines.ndjson, line 2"));
    // A resource is an object.
    let out = run(&["filter", "userName pr", "-"], Some(r#"[{"userName":"a"}, 1]"#));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resource 1 is a number"));
}

#[test]
fn query_takes_what_a_person_pastes() {
    // One resource (not only an array), a captured ListResponse, a whole URL; a parameter the
    // RFC does not name is noted, not silently dropped.
    let out = run(&["query", "filter=userName pr", "examples/payloads/user-full.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["totalResults"], 1);
    let list = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,
        "Resources":[{"id":"1","userName":"a"},{"id":"2","userName":"b"}]}"#;
    let out =
        run(&["query", "https://example.com/scim/v2/Users?filter=userName%20eq%20%22b%22&filtre=x", "-"], Some(list));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let answer = stdout_json(&out);
    assert_eq!((answer["totalResults"].as_u64(), answer["Resources"][0]["id"].as_str()), (Some(1), Some("2")));
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(notes.contains("ListResponse") && notes.contains("`filtre` is not a list parameter"), "{notes}");
    // An empty page may leave `Resources` out; a file has no body size limit.
    let empty = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}"#;
    let out = run(&["query", "count=5", "-"], Some(empty));
    assert_eq!(stdout_json(&out)["totalResults"], 0);
    let user = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","displayName":"PAD"}"#;
    let big = format!("[{}]", vec![user.replace("PAD", &"x".repeat(1000)); 9000].join(","));
    let out = run(&["query", "count=1", "-"], Some(&big));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["totalResults"], 9000);
}

#[test]
fn an_array_read_one_resource_at_a_time_answers_as_the_other_forms() {
    // A JSON array is read item by item (only the page, or the sorted matches up to it, held);
    // NDJSON and a ListResponse are read whole: the same resources give the same answers.
    let users: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"id":"{i}","userName":"u{:03}","title":"{}"}}"#, (i * 37) % 300, ["a", "b", "c"][i % 3]))
        .collect();
    let array = format!("[{}]", users.join(","));
    let ndjson = users.join("\n");
    let list = format!(r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":{array}}}"#);
    for query in [
        "count=7",
        "sortBy=userName&startIndex=40&count=5",
        "filter=title eq \"b\"&sortBy=userName&sortOrder=descending&count=3&attributes=userName",
    ] {
        let answers: Vec<Value> = [&array, &ndjson, &list]
            .iter()
            .map(|input| {
                let out = run(&["query", query, "-"], Some(input));
                assert_eq!(out.status.code(), Some(0), "{query}: {}", String::from_utf8_lossy(&out.stderr));
                stdout_json(&out)
            })
            .collect();
        assert!(answers[0]["Resources"].as_array().is_some_and(|r| !r.is_empty()), "{query}: {}", answers[0]);
        assert_eq!(answers[0], answers[1], "{query}: array against NDJSON");
        assert_eq!(answers[0], answers[2], "{query}: array against a ListResponse");
    }
    let out = run(&["filter", "title eq \"c\"", "-"], Some(&array));
    assert_eq!(stdout_json(&out).as_array().map(Vec::len), Some(100));
}

#[test]
fn a_profile_may_be_given_in_its_object_form() {
    let custom = r#"{"base":"okta","enable":["stringBooleans","managerString"]}"#;
    let out = run(&["validate", "--profile", custom, "examples/payloads/user-entra.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out =
        run(&["patch", "--profile", r#"{"base":"lenient"}"#, "examples/payloads/user-full.json", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown profile `lenient`"));
}

#[test]
fn notes_name_their_quirk_rule_and_odd_requests_say_why() {
    let out = run(&["validate", "--profile", "compat", "examples/payloads/user-entra.json"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[quirk stringBooleans]"));
    // --existing belongs to --mode replace; the stored resource must be an object.
    let out =
        run(&["validate", "--existing", "examples/payloads/user-full.json", "examples/payloads/user-full.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let list = scratch("list.json", "[]");
    let out = run(
        &["validate", "--mode", "replace", "--existing", list.to_str().unwrap(), "examples/payloads/user-full.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be a JSON object"));
    // A diff of a resource with itself is an empty PatchOp, which no service takes: said so.
    let out = run(&["diff", "examples/payloads/user-full.json", "examples/payloads/user-full.json"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no changes"));
}

#[test]
fn output_that_cannot_be_written_is_a_failure() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let status = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(["validate", "examples/payloads/user-full.json"])
        .current_dir(repo())
        .stdout(full)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    // Notes that cannot be written are dropped; the program does not panic over them.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(["validate", "--profile", "compat", "examples/payloads/user-entra.json"])
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_refusal_the_quirk_rules_would_accept_names_them_and_the_profiles() {
    let out = run(&["validate", "examples/payloads/user-entra.json"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("hint: the quirk rules `stringBooleans`, `managerString`, `missingSchemas` would accept this")
            && stderr.contains("--profile compat"),
        "{stderr}"
    );
    // Under `entra` the rule it lacks is named, with only the ways that accept the whole
    // payload: never `okta`, which has that rule but lacks the other two.
    let out = run(&["validate", "--profile", "entra", "examples/payloads/user-entra.json"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rule `missingSchemas` would accept this")
            && stderr.contains(r#"--profile compat or --profile '{"base": "entra", "enable": ["missingSchemas"]}'"#)
            && !stderr.contains("--profile okta"),
        "{stderr}"
    );
    // And the form it suggests accepts the payload.
    let out = run(
        &[
            "validate",
            "--profile",
            r#"{"base": "entra", "enable": ["missingSchemas"]}"#,
            "examples/payloads/user-entra.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // PATCH too; and a refusal no rule lifts gets no hint.
    let out = run(&["patch", "examples/payloads/user-full.json", "examples/patch/entra-user.json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--profile entra or --profile compat"));
    let out = run(&["validate", "examples/payloads/user-invalid.json"], None);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hint:"));
}

#[test]
fn the_resource_type_comes_from_schemas_when_not_given() {
    let add = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"u9"}]}]}"#;
    let out = run(&["patch", "examples/patch/group.json", "-"], Some(add));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stdout_json(&out)["resource"]["members"].as_array().unwrap().iter().any(|m| m["value"] == "u9"));
    // Given, it wins: a Group is no User.
    let out = run(&["patch", "--resource-type", "User", "examples/patch/group.json", "-"], Some(add));
    assert_eq!(out.status.code(), Some(1));
}
