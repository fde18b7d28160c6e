//! Bulk requests whose references are tangled in every way (the cycle breaking:
//! `core/src/protocol/bulk/cycle_break.rs`), run to the end with a simulated host.
//!
//! The bytes choose the operations — POSTs of Groups whose members refer to other POSTs
//! (themselves too), now and then a singular reference (`owner`), a PUT or DELETE whose path
//! refers to a POST — and each outcome (success, or now and then a failure). What must hold:
//! - the plan holds each operation of the request once, and each completion after its POST;
//! - nothing reaches the host with a reference left in it (`bulkId:` in a path, or a string
//!   of `data` that is exactly a reference), and nothing before what it refers to succeeded;
//! - the response has one result per operation;
//! - when every outcome is a success, every POST succeeds and each Group ends up with exactly
//!   the members and owner it was sent with, whatever was held back and added later.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use libfuzzer_sys::fuzz_target;
use scimkit::protocol::bulk::{BulkLimits, BulkMethod, BulkRequest, BulkRunner, OperationOutcome, plan};
use scimkit::{Error, ErrorKind};
use serde_json::{Value, json};

/// A reference to one of the POSTs.
fn reference(b: u8, posts: &[usize]) -> String {
    format!("bulkId:g{}", posts.get(usize::from(b) % posts.len().max(1)).copied().unwrap_or_default())
}

/// Whether `value` holds a string that is exactly a reference.
fn unresolved(value: &Value) -> bool {
    match value {
        Value::String(s) => s.starts_with("bulkId:"),
        Value::Array(items) => items.iter().any(unresolved),
        Value::Object(map) => map.values().any(unresolved),
        _ => false,
    }
}

/// The member ids and the owner (`owner:<id>`) of a Group body, or of a PatchOp adding them.
fn values(data: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut take = |attribute: &str, value: &Value| {
        let items = value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
        for item in items {
            if let Some(id) = item.get("value").and_then(Value::as_str) {
                found.push(if attribute == "owner" { format!("owner:{id}") } else { id.to_owned() });
            }
        }
    };
    for attribute in ["members", "owner"] {
        if let Some(value) = data.get(attribute) {
            take(attribute, value);
        }
    }
    for op in data.get("Operations").and_then(Value::as_array).into_iter().flatten() {
        if let (Some(path), Some(value)) = (op.get("path").and_then(Value::as_str), op.get("value")) {
            take(path, value);
        }
    }
    found
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let n = 1 + usize::from(first) % 10;
    let mut bytes = rest.iter().copied();
    let mut next = move || bytes.next().unwrap_or(0);
    let kinds: Vec<u8> = (0..n).map(|_| next() % 8).collect();
    let posts: Vec<usize> = (0..n).filter(|&i| kinds[i] < 6).collect();
    if posts.is_empty() {
        return;
    }
    let mut ops = Vec::new();
    let mut sent: Vec<Vec<String>> = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        let mut refs: Vec<String> = (0..next() % 4).map(|_| reference(next(), &posts)).collect();
        let op = match kind {
            // A PUT or DELETE names no bulkId: every reference is to a POST.
            6 => json!({"method": "PUT", "path": format!("/Groups/{}", reference(next(), &posts)),
                        "data": {"displayName": format!("g{i}")}}),
            7 => json!({"method": "DELETE", "path": format!("/Groups/{}", reference(next(), &posts))}),
            _ => {
                let members: Vec<Value> = refs.iter().map(|r| json!({"value": r})).collect();
                let mut data = json!({"displayName": format!("g{i}"), "members": members});
                if kind == 5 {
                    let owner = reference(next(), &posts);
                    data["owner"] = json!({"value": owner});
                    refs.push(format!("owner:{owner}"));
                }
                json!({"method": "POST", "path": "/Groups", "bulkId": format!("g{i}"), "data": data})
            }
        };
        sent.push(if kind < 6 { refs } else { Vec::new() });
        ops.push(op);
    }
    let failures = next();
    let request = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops});
    let Ok(request) = BulkRequest::from_value(&request, &BulkLimits::default()) else { return };
    let planned = plan(request);

    let mut seen = BTreeSet::new();
    for step in &planned.operations {
        if step.completes {
            assert!(seen.contains(&step.index), "a completion before its POST: {planned:?}");
        } else {
            assert!(seen.insert(step.index), "operation {} twice", step.index);
        }
    }
    assert_eq!(seen.len(), n);

    let mut runner = BulkRunner::new(planned, Some("https://example.com/v2".into()));
    let mut ids: BTreeMap<usize, String> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut count = 0u32;
    while let Some((index, op)) = runner.next_operation() {
        count += 1;
        assert!(!op.path.contains("bulkId:"), "{op:?}");
        assert!(!op.data.as_ref().is_some_and(unresolved), "{op:?}");
        let fail = failures != 0 && count % u32::from(failures) == 0;
        let outcome = if fail {
            OperationOutcome::Failure(Error::new(ErrorKind::Conflict, "host failure"))
        } else {
            let id = match op.method {
                BulkMethod::Post => format!("G{index}"),
                _ => op.path.rsplit('/').next().unwrap_or_default().to_owned(),
            };
            if op.method == BulkMethod::Post {
                ids.insert(index, id.clone());
            }
            if matches!(op.method, BulkMethod::Post | BulkMethod::Patch) {
                members.entry(id.clone()).or_default().extend(op.data.as_ref().map(values).unwrap_or_default());
            }
            OperationOutcome::Success { status: 201, id: Some(id), location: None, version: None }
        };
        runner.record(outcome).unwrap();
    }
    let response = runner.finish();
    let indexes: Vec<usize> = response.operations.iter().map(|r| r.index).collect();
    assert_eq!(indexes, (0..n).collect::<Vec<_>>());
    if failures != 0 {
        return;
    }
    for (i, result) in response.operations.iter().enumerate() {
        if result.method != BulkMethod::Post {
            continue;
        }
        assert_eq!(result.status, 201, "{result:?}");
        let mut want: Vec<String> = sent[i].iter().map(|r| r.replace("bulkId:g", "G")).collect();
        let mut got = members.get(&format!("G{i}")).cloned().unwrap_or_default();
        want.sort();
        got.sort();
        assert_eq!(got, want, "Group {i}");
    }
});
