//! PATCH: the Entra-style six-operation user PATCH (request text parsed in the loop), and
//! removing one member by filter from a 10,000-member group. The stored resource is cloned in
//! criterion's setup, outside the measured time: a server patches the resource it just loaded.
//! The user is cloned right before each PATCH (`PerIteration`), as a server's freshly read
//! resource is; batches of clones made ahead (`SmallInput`) put each PATCH on cold memory and
//! measured ~0.6 µs more.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use scimkit::patch::{PatchOptions, apply_patch_json};
use scimkit::{Profile, Registry};
use serde_json::{Value, json};

const USER: &str = include_str!("../../examples/payloads/user-full.json");
const ENTRA_PATCH: &str = include_str!("../../examples/patch/entra-user.json");

fn group(members: usize) -> Value {
    let members: Vec<Value> = (0..members)
        .map(|i| json!({"value": format!("7c1e{i:08}-3b2a-4d5f-9e8d-000000000000"), "display": format!("Member {i}")}))
        .collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Everyone", "members": members})
}

fn bench(c: &mut Criterion) {
    let registry = Registry::builtin();
    let entra = PatchOptions { profile: Profile::entra(), ..PatchOptions::default() };
    let user: Value = serde_json::from_str(USER).unwrap_or(Value::Null);
    assert!(apply_patch_json(&registry, "User", user.clone(), ENTRA_PATCH, &entra).is_ok());
    c.bench_function("patch_entra_user_6ops", |b| {
        b.iter_batched(
            || user.clone(),
            |u| apply_patch_json(&registry, "User", u, std::hint::black_box(ENTRA_PATCH), &entra),
            BatchSize::PerIteration,
        );
    });

    // The same PATCH with `report: none`: applied and checked alike, no change records or notes.
    let quiet = PatchOptions { report: scimkit::patch::Reporting::None, ..entra.clone() };
    c.bench_function("patch_entra_user_6ops/unreported", |b| {
        b.iter_batched(
            || user.clone(),
            |u| apply_patch_json(&registry, "User", u, std::hint::black_box(ENTRA_PATCH), &quiet),
            BatchSize::PerIteration,
        );
    });

    // What the JS and Python text forms run: the stored resource and the request as text in,
    // the new resource and the report as text out.
    c.bench_function("patch_entra_user_6ops/text_to_text", |b| {
        b.iter(|| {
            let done = scimkit::api::patch_text(
                &registry,
                "User",
                std::hint::black_box(USER),
                ENTRA_PATCH,
                r#"{"profile":"entra"}"#,
            );
            done.map(|p| scimkit::api::patched_to_json_parts(&p))
        });
    });

    // What the bindings' held resources run (`Registry#hold` in JS, `Registry.hold` in Python):
    // the resource read from text and held right before, untimed; the request text and the
    // options text in, the report out as JSON text.
    let fresh_held = || scimkit::api::hold_document(&registry, "User", scimkit::api::Document::Text(USER.into()), "");
    assert!(fresh_held().is_ok());
    // `held_unreported`: the same with `report: none`, what a server that only stores the
    // result runs.
    for (name, options) in [
        ("patch_entra_user_6ops/held", r#"{"profile":"entra"}"#),
        ("patch_entra_user_6ops/held_unreported", r#"{"profile":"entra","report":"none"}"#),
    ] {
        c.bench_function(name, |b| {
            b.iter_batched(
                fresh_held,
                |made| {
                    let mut held = made.ok()?;
                    let request = scimkit::api::Document::Text(std::hint::black_box(ENTRA_PATCH).into());
                    let report = scimkit::api::held_patch_document(&registry, &mut held, request, options);
                    Some((report.map(|r| scimkit::api::to_json(&r)), held))
                },
                BatchSize::PerIteration,
            );
        });
    }

    let big = group(10_000);
    let remove = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"remove","path":"members[value eq \"7c1e00005000-3b2a-4d5f-9e8d-000000000000\"]"}]}"#;
    let strict = PatchOptions::default();
    let done = apply_patch_json(&registry, "Group", big.clone(), remove, &strict);
    assert!(done.is_ok_and(|d| d.resource.get("members").and_then(serde_json::Value::as_array).map(Vec::len) == Some(9_999)));
    c.bench_function("patch_remove_member_of_10k", |b| {
        b.iter_batched(
            || big.clone(),
            |g| apply_patch_json(&registry, "Group", g, std::hint::black_box(remove), &strict),
            BatchSize::LargeInput,
        );
    });
    let add = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"add","path":"members","value":[{"value":"new-member"}]}]}"#;
    c.bench_function("patch_add_member_to_10k", |b| {
        b.iter_batched(
            || big.clone(),
            |g| apply_patch_json(&registry, "Group", g, std::hint::black_box(add), &strict),
            BatchSize::LargeInput,
        );
    });

    // Many values against many: one `add` of 10,000 members to a Group of 10,000, and 1,000
    // `add`s of one member each (a run the kept index serves). Comparing every pair took
    // seconds; grouped by key, it stays near linear.
    let member = |i: usize| format!(r#"{{"value":"m-{i:06}"}}"#);
    let many: Vec<String> = (0..10_000).map(member).collect();
    let add_many = format!(
        r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{"op":"add","path":"members","value":[{}]}}]}}"#,
        many.join(",")
    );
    let singles: Vec<String> =
        (0..1_000).map(|i| format!(r#"{{"op":"add","path":"members","value":[{}]}}"#, member(i))).collect();
    let add_singles = format!(
        r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{}]}}"#,
        singles.join(",")
    );
    for (name, request) in [("patch_add_10k_members_to_10k", &add_many), ("patch_1000_adds_to_10k", &add_singles)] {
        assert!(apply_patch_json(&registry, "Group", big.clone(), request, &strict).is_ok());
        c.bench_function(name, |b| {
            b.iter_batched(
                || big.clone(),
                |g| apply_patch_json(&registry, "Group", g, std::hint::black_box(request), &strict),
                BatchSize::LargeInput,
            );
        });
    }
}

/// 1,000 removals of one member each from a Group of 10,000, as Okta (`members[value eq "…"]`)
/// and Entra ID (`members` with the value, under the `removeByValue` rule) send them: a run the
/// removal index serves.
fn removal_runs(c: &mut Criterion) {
    let registry = Registry::builtin();
    let member = |i: usize| format!(r#"{{"value":"m-{i:06}"}}"#);
    let removes = |one: &dyn Fn(usize) -> String| {
        let list: Vec<String> = (0..1_000).map(|i| one((i * 7_919) % 10_000)).collect();
        format!(r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{}]}}"#, list.join(","))
    };
    let remove_by_filter = removes(&|i| format!(r#"{{"op":"remove","path":"members[value eq \"m-{i:06}\"]"}}"#));
    let remove_by_value = removes(&|i| format!(r#"{{"op":"Remove","path":"members","value":[{}]}}"#, member(i)));
    let compat = PatchOptions { profile: Profile::compat(), ..PatchOptions::default() };
    let listed: Vec<Value> = (0..10_000).map(|i| json!({"value": format!("m-{i:06}")})).collect();
    let group_of = |_: usize| json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g", "displayName": "G", "members": listed.clone()});
    for (name, request) in [
        ("patch_1000_removes_by_filter_of_10k", &remove_by_filter),
        ("patch_1000_removes_by_value_of_10k", &remove_by_value),
    ] {
        let done = apply_patch_json(&registry, "Group", group_of(10_000), request, &compat);
        assert!(done.is_ok_and(
            |d| d.resource.get("members").and_then(serde_json::Value::as_array).map(Vec::len) == Some(9_000)
        ));
        c.bench_function(name, |b| {
            b.iter_batched(
                || group_of(10_000),
                |g| apply_patch_json(&registry, "Group", g, std::hint::black_box(request), &compat),
                BatchSize::LargeInput,
            );
        });
    }
}

criterion_group!(benches, bench, removal_runs);
criterion_main!(benches);
