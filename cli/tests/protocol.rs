//! `scimkit query`, `scimkit discovery` and `scimkit bulk` as a user runs them.
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

const USERS: &str = r#"[
  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "carol", "password": "x",
   "emails": [{"value": "c@example.com", "type": "work"}]},
  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "2", "userName": "Alice"},
  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "3", "userName": "bob"}
]"#;

#[test]
fn query_sorts_pages_and_projects() {
    let out = run(&["query", "sortBy=userName&startIndex=2&count=1&attributes=userName"], Some(USERS));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let list = stdout_json(&out);
    assert_eq!(list["totalResults"], 3);
    assert_eq!(list["startIndex"], 2);
    assert_eq!(list["itemsPerPage"], 1);
    assert_eq!(
        list["Resources"][0],
        serde_json::json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "3", "userName": "bob"
        })
    );
}

#[test]
fn query_reads_ndjson_and_never_returns_passwords() {
    let lines: Vec<String> = serde_json::from_str::<Vec<Value>>(USERS).unwrap().iter().map(Value::to_string).collect();
    let ndjson = lines.join("\n");
    let out = run(&["query", "", "-"], Some(&ndjson));
    assert_eq!(out.status.code(), Some(0));
    let list = stdout_json(&out);
    assert_eq!(list["totalResults"], 3);
    assert!(list["Resources"][0].get("password").is_none());
}

#[test]
fn query_filters_with_the_filter_module() {
    let out = run(&["query", "filter=userName+eq+%22ALICE%22"], Some(USERS));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let list = stdout_json(&out);
    assert_eq!(list["totalResults"], 1);
    assert_eq!(list["Resources"][0]["id"], "2");
}

#[test]
fn query_errors_are_scim_errors() {
    let out = run(&["query", "count=ten"], Some(USERS));
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    assert_eq!(report["errors"][0]["scimType"], "invalidValue");
    assert_eq!(report["errors"][0]["location"], "/count");
    let out = run(&["query", "sortBy=shoeSize"], Some(USERS));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn query_usage_problems_exit_2() {
    let out = run(&["query", "count=1", "no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["query", "count=1"], Some("{not json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn discovery_prints_three_documents() {
    let out = run(&["discovery", "--base-url", "https://example.com/v2"], None);
    assert_eq!(out.status.code(), Some(0));
    let docs = stdout_json(&out);
    assert_eq!(docs["/ServiceProviderConfig"]["meta"]["location"], "https://example.com/v2/ServiceProviderConfig");
    assert_eq!(docs["/ResourceTypes"]["totalResults"], 2);
    assert_eq!(docs["/Schemas"]["totalResults"], 6);
}

#[test]
fn discovery_includes_custom_types() {
    let out = run(
        &[
            "discovery",
            "--document",
            "resource-types",
            "--schema",
            "examples/custom/device.schema.json",
            "--resource-type-file",
            "examples/custom/device.resource-type.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let types = stdout_json(&out);
    assert_eq!(types["totalResults"], 3);
    assert_eq!(types["Resources"][2]["name"], "Device");
}

#[test]
fn discovery_bad_options_exit_2() {
    let out = run(&["discovery", "--options", "-"], Some(r#"{"pach": true}"#));
    assert_eq!(out.status.code(), Some(2));
    // Options that would make a document its own schema refuses: said where, and why.
    let out = run(&["discovery", "--options", "-"], Some(r#"{"authenticationSchemes": []}"#));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/authenticationSchemes: `authenticationSchemes` needs at least one scheme"), "{stderr}");
}

const BULK: &str = r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
  "Operations": [
    {"method": "POST", "path": "/Groups", "bulkId": "ytrewq",
     "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Tour Guides",
              "members": [{"type": "User", "value": "bulkId:qwerty"}]}},
    {"method": "POST", "path": "/Users", "bulkId": "qwerty",
     "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "Alice"}}
  ]
}"#;

#[test]
fn bulk_plan_orders_references_first() {
    let out = run(&["bulk", "-"], Some(BULK));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let plan = stdout_json(&out);
    assert_eq!(plan["operations"][0]["bulkId"], "qwerty");
    assert_eq!(plan["operations"][1]["dependsOn"][0], "qwerty");
}

#[test]
fn bulk_limits_and_cycles() {
    let out = run(&["bulk", "--max-operations", "1", "-"], Some(BULK));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["errors"][0]["status"], 413);
    // A limit past what sizes hold means the largest there is, as the library reads it.
    let out = run(&["bulk", "--max-payload-size", "99999999999999999999999", "-"], Some(BULK));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["bulk", "--max-operations", "1.5", "-"], Some(BULK));
    assert_eq!(out.status.code(), Some(2));
    // A cycle through POSTs is broken: the Group is created without the member, which a PATCH
    // adds once the User exists; the plan shows it and a note says so.
    let cyclic = BULK.replace(
        r#""schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "Alice""#,
        r#""schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
           "userName": "Alice", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "bulkId:ytrewq"}}"#,
    );
    let out = run(&["bulk", "-"], Some(&cyclic));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let plan = stdout_json(&out);
    assert_eq!(plan["operations"][2]["completes"], true);
    assert_eq!(plan["operations"][2]["path"], "/Groups/bulkId:ytrewq");
    assert!(
        stderr.contains("note: /Operations/0 (`ytrewq`) is in a cycle")
            && stderr.contains("created without `members`")
            && stderr.contains("once `qwerty` exists"),
        "{stderr}"
    );
    // Split where the held-back attribute is read-only (a User's `groups`): the PATCH adding
    // it back will be refused, so a warning says which POST to put first (exit 1).
    let read_only = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
      {"method": "POST", "path": "/Users", "bulkId": "u", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
       "userName": "alice", "groups": [{"value": "bulkId:g"}]}},
      {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
       "displayName": "G", "members": [{"value": "bulkId:u"}]}}]}"#;
    let out = run(&["bulk", "-"], Some(read_only));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("warning: /Operations/0: `groups` is read-only for `User`"), "{stderr}");
    // A cycle through paths alone refuses its operations, not the request: the plan shows why
    // (exit 1).
    let cyclic = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
      {"method": "DELETE", "path": "/Users/bulkId:b", "bulkId": "a"},
      {"method": "DELETE", "path": "/Users/bulkId:a", "bulkId": "b"}]}"#;
    let out = run(&["bulk", "-"], Some(cyclic));
    assert_eq!(out.status.code(), Some(1));
    let plan = stdout_json(&out);
    let refused = &plan["operations"][0]["refused"];
    assert_eq!(refused["status"], 409);
    assert!(refused["detail"].as_str().unwrap().contains("`a` → `b` → `a`"), "{refused}");
}

#[test]
fn bulk_checks_each_operation_body_under_the_profile() {
    let request = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
      {"method": "POST", "path": "/Users", "bulkId": "q1", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a", "active": "False"}},
      {"method": "PATCH", "path": "/Users/bulkId:q1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}},
      {"method": "PUT", "path": "/Groups/g1", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "G"}},
      {"method": "DELETE", "path": "/Users/x"}]}"#;
    let out = run(&["bulk", "-"], Some(request));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: /Operations/0/data/active:")
            && stderr.contains("error: /Operations/1/data/Operations/0/op:"),
        "{stderr}"
    );
    assert!(!stderr.contains("/Operations/2/"), "a PUT with its own id is fine: {stderr}");
    // The plan is still printed, and under the profile the IdP needs the bodies pass.
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"operations\""));
    assert_eq!(run(&["bulk", "--profile", "entra", "-"], Some(request)).status.code(), Some(0));
}
