//! Runs of removals from a large Group (the removal index: `core/src/patch/removal_run.rs`)
//! answer as the same operations applied one request each, where each is a plain pass.
//!
//! The bytes choose the members — values from a small set, in any case, some with a `type`,
//! some repeated, now and then a `value` that is no string, the attribute now and then spelled
//! `Members` — and the operations: removals by `value eq`, by `value eq … and type eq …`, by
//! value (the `removeByValue` rule) with or without a `type`, and now and then an `add` or a
//! write to another attribute between them. When every operation succeeds alone, the one
//! request gives the same resource and change records; when one fails alone, the one request
//! fails with its `scimType` and leaves the resource untouched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::patch::{PatchOptions, apply_patch};
use scimkit::{Profile, Registry};
use serde_json::{Value, json};

const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A member value name from a byte: one of 40, in one of three spellings.
fn name(b: u8) -> String {
    let base = format!("m{}", b % 40);
    match b / 40 % 3 {
        0 => base,
        1 => base.to_uppercase(),
        _ => format!("M{}", b % 40),
    }
}

fn member(b: u8, c: u8) -> Value {
    match c % 16 {
        0 => json!({"value": name(b), "type": "User"}),
        1 => json!({"value": name(b), "type": "Group"}),
        2 if b % 7 == 0 => json!({"value": 7}),
        3 if b % 11 == 0 => json!({"value": [name(b)]}),
        4 => json!({"value": name(b), "display": "x"}),
        _ => json!({"value": name(b)}),
    }
}

fn operation(kind: u8, b: u8) -> Value {
    let n = name(b);
    match kind % 12 {
        0..=4 => json!({"op": "remove", "path": format!("members[value eq \"{n}\"]")}),
        5 => json!({"op": "remove", "path": format!("members[VALUE eq \"{n}\" and type eq \"User\"]")}),
        6 | 7 => json!({"op": "remove", "path": "members", "value": [{"value": n}]}),
        8 => {
            json!({"op": "Remove", "path": "members", "value": [{"value": n, "type": "Group"}, {"value": name(b ^ 1)}]})
        }
        9 => json!({"op": "add", "path": "members", "value": [{"value": n}]}),
        10 => json!({"op": "replace", "path": "displayName", "value": n}),
        _ => json!({"op": "remove", "path": format!("members[value sw \"{}\"]", n.get(..2).unwrap_or("m"))}),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else { return };
    let count = 65 + usize::from(size) % 120;
    let members: Vec<Value> = (0..count)
        .map(|i| member(rest.get(i % rest.len().max(1)).copied().unwrap_or(0), (i * 7 % 251) as u8 ^ size))
        .collect();
    let key = if size % 5 == 4 { "Members" } else { "members" };
    let group = json!({"schemas": [GROUP], "id": "g", "displayName": "Team", key: members});
    let operations: Vec<Value> = rest.chunks_exact(2).take(40).map(|p| operation(p[0], p[1])).collect();
    if operations.is_empty() {
        return;
    }
    let registry = Registry::builtin();
    let options = PatchOptions { profile: Profile::compat(), ..PatchOptions::default() };
    let request = |ops: &[Value]| json!({"schemas": [PATCH_OP], "Operations": ops});
    let whole = apply_patch(&registry, "Group", group.clone(), &request(&operations), &options);
    let mut one_by_one: Result<(Value, Vec<scimkit::patch::Change>), scimkit::patch::PatchFailure> =
        Ok((group.clone(), Vec::new()));
    for op in &operations {
        one_by_one = one_by_one.and_then(|(resource, mut changes)| {
            let done = apply_patch(&registry, "Group", resource, &request(std::slice::from_ref(op)), &options)?;
            changes.extend(done.changes);
            Ok((done.resource, changes))
        });
    }
    match (whole, one_by_one) {
        (Ok(whole), Ok((resource, changes))) => {
            assert_eq!(whole.resource, resource, "one request answered otherwise");
            assert_eq!(whole.changes, changes, "one request recorded otherwise");
        }
        (Err(whole), Err(alone)) => {
            assert_eq!(whole.error.scim_type(), alone.error.scim_type(), "one request failed otherwise");
            assert_eq!(whole.resource, group, "a failed PATCH changed the resource");
        }
        (whole, alone) => panic!("one request decided otherwise: {:?} / {:?}", whole.map(|_| ()), alone.map(|_| ())),
    }
});
