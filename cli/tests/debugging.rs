//! What the CLI says to someone debugging a real identity provider's payload: the wrong file
//! in the wrong place, a query that would answer everything, a filter for another type, a
//! limit a service sets, text from Windows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scimkit")).args(args).current_dir(repo()).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch file holding `bytes`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("scimkit-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const LIST: &str =
    r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0, "Resources": []}"#;
const GROUPS: &str = r#"[{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Ops", "members": [{"value": "u1"}]},
 {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g2", "displayName": "Dev", "members": [{"value": "u2"}]}]"#;

#[test]
fn a_query_that_would_answer_everything_is_refused_with_what_was_meant() {
    let users = "examples/payloads/user-full.json";
    let out = run(&["query", r#"userName eq "x""#, users]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("A filter goes as `filter=…`"), "{}", stderr(&out));
    let out = run(&["query", r#"fitler=userName eq "x""#, users]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Did you mean `filter`?"), "{}", stderr(&out));
    // A typo beside a real parameter is ignored, as a service would, with a suggestion.
    let out = run(&["query", "count=1&sortBi=userName", users]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("`sortBi` is not a list parameter") && stderr(&out).contains("did you mean `sortBy`?")
    );
}

#[test]
fn a_filter_entra_sends_or_one_for_groups_gets_a_hint() {
    let entra = r#"emails[type eq "work"].value eq "mrivera@example.org""#;
    let users = "examples/payloads/user-full.json";
    for args in [
        vec!["query", "filter=emails[type eq \"work\"].value eq \"mrivera@example.org\"", users],
        vec!["filter", entra, users],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("`filterSubAttribute`") && stderr(&out).contains("--profile entra"),
            "{}",
            stderr(&out)
        );
    }
    let out = run(&["filter", "--profile", "entra", entra, users]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mrivera@example.org"));
    let groups = Scratch::new("groups.json", GROUPS.as_bytes());
    for args in [
        vec!["filter", r#"members[value eq "u1"]"#, groups.path()],
        vec!["query", r#"filter=members[value eq "u1"]"#, groups.path()],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("fits `Group`: give --resource-type Group"), "{}", stderr(&out));
    }
    let out = run(&["filter", "--resource-type", "Group", r#"members[value eq "u1"]"#, groups.path()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_message_where_a_resource_goes_is_named() {
    let list = Scratch::new("list.json", LIST.as_bytes());
    let out = run(&["validate", list.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a ListResponse") && stderr(&out).contains("`scimkit query`"), "{}", stderr(&out));
    let out = run(&["patch", list.path(), "examples/patch/entra-user.json"]);
    assert_eq!(out.status.code(), Some(2));
    // The two arguments swapped.
    let out = run(&["patch", "examples/patch/entra-user.json", "examples/payloads/user-full.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a PatchOp request, not a stored resource"), "{}", stderr(&out));
    let out = run(&["diff", list.path(), "examples/payloads/user-full.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_stored_resource_broken_before_the_patch_is_noted() {
    let replace = Scratch::new("replace.json", br#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "displayName", "value": "Z"}]}"#);
    let out = run(&["patch", "examples/payloads/user-invalid.json", replace.path()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("the stored resource is itself not a valid User"), "{}", stderr(&out));
    let out = run(&["patch", "examples/payloads/user-full.json", replace.path()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("not a valid"), "{}", stderr(&out));
}

#[test]
fn a_schema_not_loaded_is_named_rather_than_checked_silently_as_a_user() {
    let out = run(&["validate", "examples/custom/device.json"]);
    assert!(stderr(&out).contains("a schema no loaded resource type has"), "{}", stderr(&out));
}

#[test]
fn limits_a_service_sets_can_be_set() {
    let members: Vec<String> = (0..12).map(|i| format!(r#"{{"value": "m{i}"}}"#)).collect();
    let group = format!(
        r#"{{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Big", "members": [{}]}}"#,
        members.join(",")
    );
    let group = Scratch::new("big.json", group.as_bytes());
    let out = run(&["validate", "--max-values-per-attribute", "10", group.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--max-values-per-attribute checks under another"), "{}", stderr(&out));
    assert_eq!(run(&["validate", group.path()]).status.code(), Some(0));
    assert_eq!(run(&["validate", "--max-depth", "2", "examples/payloads/user-full.json"]).status.code(), Some(1));
}

#[test]
fn windows_text_is_named_for_what_it_is() {
    let utf16 = Scratch::new("utf16.json", b"\xff\xfe{\x00}\x00");
    let out = run(&["validate", utf16.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("UTF-16 or UTF-32"), "{}", stderr(&out));
    // A carriage return shows in a message as `\r`, not as nothing.
    let out = run(&["query", "count=10\r", "examples/payloads/user-full.json"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(r"found `10\\r`"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_captured_list_answer_is_checked_resource_by_resource_in_response_mode() {
    let list = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 2,
      "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "a", "active": "false"},
                    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "2", "displayName": "G"},
                    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "3", "userName": "b", "password": "x"}]}"#;
    let list = Scratch::new("answer.json", list.as_bytes());
    let out = run(&["validate", "--mode", "response", list.path()]);
    assert_eq!(out.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let locations: Vec<&str> =
        body["errors"].as_array().unwrap().iter().map(|e| e["location"].as_str().unwrap()).collect();
    // The Group is checked as a Group (its `schemas`), and is fine.
    assert_eq!(locations, ["/Resources/0/active", "/Resources/2/password"]);
    let fine = Scratch::new("fine.json", LIST.as_bytes());
    assert_eq!(run(&["validate", "--mode", "response", fine.path()]).status.code(), Some(0));
}

#[test]
fn second_audit_fixes_hold() {
    let users = "examples/payloads/user-full.json";
    // A hint that would fail is not given: the misspelt attribute is the problem.
    let out = run(&["filter", r#"emailz[type eq "work"].value eq "x""#, users]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("filterSubAttribute"), "{}", stderr(&out));
    // A URL with no query lists everything; spaces around `=` are named.
    assert_eq!(run(&["query", "https://scim.example.com/scim/v2/Users", users]).status.code(), Some(0));
    let out = run(&["query", r#"filter = userName eq "x""#, users]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`filter` has spaces around it"), "{}", stderr(&out));
    // A resource where the PatchOp goes; a PatchOp where resources go.
    let out = run(&["patch", users, users]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a resource (its `schemas` name one), not a PATCH request"), "{}", stderr(&out));
    let out = run(&["query", "count=1", "examples/patch/entra-user.json"]);
    assert_eq!(out.status.code(), Some(2));
    // --max-depth reaches the files the command reads itself.
    let deep = format!(
        r#"{{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u", "userName": "a", "nickName": "n", "x": {}}}"#,
        "[".repeat(40) + &"]".repeat(40)
    );
    let deep = Scratch::new("deep.json", deep.as_bytes());
    let replace = Scratch::new("rename.json", br#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "remove", "path": "nickName"}]}"#);
    assert_eq!(run(&["patch", deep.path(), replace.path()]).status.code(), Some(1), "refused under the default depth");
    let out = run(&["patch", "--max-depth", "100", deep.path(), replace.path()]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    // An unloaded extension gets the way to load it.
    let body = br#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"], "userName": "a", "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": {"costCenter": "x"}}"#;
    let custom = Scratch::new("custom-ext.json", body);
    let out = run(&["validate", custom.path()]);
    assert!(stderr(&out).contains("load it with --schema FILE"), "{}", stderr(&out));
    // Not for a misspelt attribute inside a loaded extension: that one gets its suggestion.
    let typo = br#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"departmnt": "x"}}"#;
    let typo = Scratch::new("typo-ext.json", typo);
    let out = run(&["validate", typo.path()]);
    assert!(!stderr(&out).contains("load it with --schema"), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("did you mean"), "{}", String::from_utf8_lossy(&out.stdout));
}
