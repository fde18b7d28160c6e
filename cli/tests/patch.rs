//! `scimkit patch` and `scimkit diff` as a user runs them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scimkit"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn entra_user_patch_needs_the_entra_profile() {
    let strict = run(&["patch", "examples/payloads/user-full.json", "examples/patch/entra-user.json"]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(json(&strict)["errors"][0]["location"], "/Operations/0/op");
    let out =
        run(&["patch", "--profile", "entra", "examples/payloads/user-full.json", "examples/patch/entra-user.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let report = json(&out);
    assert_eq!(report["resource"]["active"], false);
    assert_eq!(report["resource"]["displayName"], "Marisol A. Rivera");
    assert!(report["changes"].as_array().unwrap().len() >= 6);
    let quirks: Vec<&str> = report["quirks"].as_array().unwrap().iter().map(|q| q["quirk"].as_str().unwrap()).collect();
    assert!(quirks.contains(&"opCase") && quirks.contains(&"stringBooleans") && quirks.contains(&"managerString"));
}

#[test]
fn a_failed_patch_shows_the_quirks_that_fired_before_the_error() {
    let request = std::env::temp_dir().join(format!("scimkit-cli-failed-patch-{}.json", std::process::id()));
    std::fs::write(
        &request,
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
            {"op":"Replace","path":"displayName","value":"X"},
            {"op":"Add","path":"active","value":"False"},
            {"op":"replace","path":"userName","value":42}]}"#,
    )
    .unwrap();
    let out = run(&["patch", "--profile", "entra", "examples/payloads/user-full.json", request.to_str().unwrap()]);
    std::fs::remove_file(&request).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"][0]["location"], "/Operations/2/value");
    let notes: Vec<(&str, &str)> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["quirk"].as_str().unwrap(), n["location"].as_str().unwrap()))
        .collect();
    assert_eq!(
        notes,
        [("opCase", "/Operations/0/op"), ("opCase", "/Operations/1/op"), ("stringBooleans", "/Operations/1/value")]
    );
    // Without quirks there is nothing to note.
    let strict = run(&["patch", "examples/payloads/user-full.json", "examples/patch/entra-user.json"]);
    assert!(json(&strict).get("notes").is_none());
}

#[test]
fn entra_member_removal_by_value_removes_only_that_member() {
    let out = run(&[
        "patch",
        "--resource-type",
        "Group",
        "--profile",
        "entra",
        "examples/patch/group.json",
        "examples/patch/entra-remove-member.json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let members = json(&out)["resource"]["members"].as_array().unwrap().clone();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["display"], "Babs Jensen");
}

#[test]
fn diff_prints_a_patch_that_applies() {
    let out =
        run(&["diff", "--resource-type", "Group", "examples/patch/group.json", "examples/patch/group-renamed.json"]);
    assert_eq!(out.status.code(), Some(0));
    let ops = json(&out);
    let paths: Vec<&str> = ops["Operations"].as_array().unwrap().iter().filter_map(|o| o["path"].as_str()).collect();
    assert!(paths.contains(&"displayName"));
    assert!(paths.iter().any(|p| p.starts_with("members[value eq")));
    let dir = std::env::temp_dir().join(format!("scimkit-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let request = dir.join("ops.json");
    std::fs::write(&request, ops.to_string()).unwrap();
    let applied = run(&["patch", "--resource-type", "Group", "examples/patch/group.json", request.to_str().unwrap()]);
    let renamed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/patch/group-renamed.json");
    let want: Value = serde_json::from_str(&std::fs::read_to_string(renamed).unwrap()).unwrap();
    assert_eq!(json(&applied)["resource"], want);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn patch_usage_errors_exit_2() {
    assert_eq!(run(&["patch", "--profile", "lenient", "a.json"]).status.code(), Some(2));
    assert_eq!(run(&["patch", "no/such.json", "examples/patch/entra-user.json"]).status.code(), Some(2));
    assert_eq!(run(&["diff", "examples/patch/group.json"]).status.code(), Some(2));
}
