//! The complexity contract: reading, validating, filtering and patching grow linearly with the
//! input. Doubling the input may at most about double the time (allowed: 2.5×, for noise).
//! Each figure is the fastest of several runs, so a busy machine slows both sides alike; all
//! measurements run in one test, one after another.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::time::{Duration, Instant};

use scimkit::filter::Filter;
use scimkit::patch::{PatchOptions, apply_patch};
use scimkit::protocol::bulk::{BulkLimits, BulkPlan, BulkRequest, plan};
use scimkit::{Registry, ValidateOptions, validate_json};
use serde_json::{Value, json};

const RUNS: usize = 15;
const ALLOWED: f64 = 2.5;

fn user_with_emails(n: usize) -> Value {
    let emails: Vec<Value> = (0..n).map(|i| json!({"value": format!("u{i}@example.com"), "type": "work"})).collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a", "emails": emails})
}

fn group(n: usize) -> Value {
    let members: Vec<Value> = (0..n).map(|i| json!({"value": format!("m{i}")})).collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g", "displayName": "G", "members": members})
}

/// Times `small` and `large` alternately (so both see the same load) and passes when one of a
/// few attempts stays within the ratio: noise can make one attempt slow, a quadratic cost makes
/// every attempt slow.
/// A run of `request` on a fresh copy of `resource` (the copy untimed), which must succeed;
/// multi-valued attributes may hold a million values.
fn timed_patch<'r>(
    registry: &'r Registry,
    resource_type: &'r str,
    resource: Value,
    request: Value,
) -> impl FnMut() -> Duration + 'r {
    let options = PatchOptions {
        limits: scimkit::Limits { max_values_per_attribute: 1_000_000, ..Default::default() },
        ..Default::default()
    };
    move || {
        let copy = resource.clone();
        let t = Instant::now();
        let done = apply_patch(registry, resource_type, copy, &request, &options);
        let elapsed = t.elapsed();
        assert!(done.is_ok());
        elapsed
    }
}

/// Planning a BulkRequest of `ops` (read untimed, each run), which `holds` checks.
fn timed_plan<F: Fn(&BulkPlan)>(ops: &[Value], holds: F) -> impl FnMut() -> Duration + use<F> {
    let text = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops}).to_string();
    let limits = BulkLimits { max_operations: 1_000_000, max_payload_size: 1 << 30 };
    move || {
        let request = BulkRequest::from_json(&text, &limits).unwrap();
        let t = Instant::now();
        let planned = plan(request);
        let elapsed = t.elapsed();
        holds(&planned);
        elapsed
    }
}

fn check(what: &str, mut small: impl FnMut() -> Duration, mut large: impl FnMut() -> Duration) {
    let mut last = String::new();
    for _ in 0..5 {
        let (mut s, mut l) = (Duration::MAX, Duration::MAX);
        for _ in 0..RUNS {
            s = s.min(small());
            l = l.min(large());
        }
        let ratio = l.as_secs_f64() / s.as_secs_f64().max(1e-9);
        eprintln!("{what}: {s:?} → {l:?} (×{ratio:.2})");
        if ratio <= ALLOWED {
            return;
        }
        last = format!("{what}: doubling the input took ×{ratio:.2} ({s:?} → {l:?})");
    }
    panic!("{last}");
}

#[test]
#[ignore = "timing of optimized code: tests/run-all.sh runs it with `cargo test --release -- --ignored`"]
fn doubling_the_input_at_most_doubles_the_time() {
    let registry = Registry::builtin();
    let options = ValidateOptions {
        limits: scimkit::Limits { max_values_per_attribute: 1_000_000, ..Default::default() },
        ..Default::default()
    };

    let validate = |n: usize| {
        let text = user_with_emails(n).to_string();
        let (registry, options) = (&registry, &options);
        move || {
            let t = Instant::now();
            assert!(validate_json(registry, "User", &text, options).is_ok());
            t.elapsed()
        }
    };
    check("validate (emails)", validate(5_000), validate(10_000));

    // Repeats are looked for among equal values only: values with no `value` (addresses), or
    // sharing a `value` and differing in another member, are not compared pairwise.
    let similar = |n: usize| {
        let addresses: Vec<Value> = (0..n).map(|i| json!({"streetAddress": format!("{i} Main St")})).collect();
        let emails: Vec<Value> =
            (0..n).map(|i| json!({"value": "same@example.com", "display": format!("d{i}")})).collect();
        let text = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a",
                          "addresses": addresses, "emails": emails})
        .to_string();
        let (registry, options) = (&registry, &options);
        move || {
            let t = Instant::now();
            assert!(validate_json(registry, "User", &text, options).is_ok());
            t.elapsed()
        }
    };
    check("validate (similar values)", similar(5_000), similar(10_000));

    let users = registry.resource_type("User").unwrap();
    let filter = Filter::parse(r#"emails[type eq "home" and value ew "@nowhere"]"#).unwrap().check(&users).unwrap();
    let evaluate = |n: usize| {
        let user = user_with_emails(n);
        let filter = &filter;
        move || {
            let t = Instant::now();
            for _ in 0..10 {
                assert!(!filter.matches(std::hint::black_box(&user)));
            }
            t.elapsed()
        }
    };
    check("filter evaluate (emails)", evaluate(5_000), evaluate(10_000));

    let parse = |n: usize| {
        let text = (0..n).map(|i| format!("a{i} eq {i}")).collect::<Vec<_>>().join(" or ");
        let limits =
            scimkit::filter::FilterLimits { max_length: 1 << 20, max_comparisons: 100_000, ..Default::default() };
        move || {
            let t = Instant::now();
            for _ in 0..10 {
                assert!(Filter::parse_with(std::hint::black_box(&text), &limits).is_ok());
            }
            t.elapsed()
        }
    };
    check("filter parse (comparisons)", parse(2_000), parse(4_000));

    let patch = |n: usize| {
        let big = group(n);
        let request = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove", "path": format!("members[value eq \"m{}\"]", n - 1)},
                           {"op": "add", "path": "members", "value": [{"value": "new"}]}]});
        timed_patch(&registry, "Group", big, request)
    };
    // Both groups fit the caches: at 10,000 → 20,000 members the larger one does not, and the
    // ratio measures the memory hierarchy (×2.3–2.8) more than the algorithm. A quadratic cost
    // shows as ×4 at any size.
    check("patch remove + add member", patch(4_000), patch(8_000));
}

#[test]
#[ignore = "timing of optimized code: tests/run-all.sh runs it with `cargo test --release -- --ignored`"]
fn bulk_planning_grows_with_the_references_however_tangled() {
    // Each Group a member of 20 others spread over the request: one tangle of cycles, which
    // takes many POSTs split (RFC 7644 §3.7.1) — never a search of the whole request per split.
    let tangled = |n: usize| {
        let ops: Vec<Value> = (0..n)
            .map(|i| {
                let members: Vec<Value> =
                    (1..=20).map(|k| json!({"value": format!("bulkId:g{}", (i + k * 37) % n)})).collect();
                json!({"method": "POST", "path": "/Groups", "bulkId": format!("g{i}"), "data": {"members": members}})
            })
            .collect();
        timed_plan(&ops, |planned| {
            assert!(
                planned.operations.iter().any(|o| o.completes)
                    && planned.operations.iter().all(|o| o.refused.is_none())
            );
        })
    };
    check("bulk plan (tangled references)", tangled(2_000), tangled(4_000));

    // A chain of Groups, each a member of the next and holding 10 members each of which is
    // in a cycle through paths alone (refused): every cycle is found from where the last one
    // was, never by walking the chain again.
    let refused = |n: usize| {
        let mut ops: Vec<Value> = Vec::new();
        for i in 0..n {
            let mut members: Vec<Value> =
                (0..10).map(|k| json!({"value": format!("bulkId:x{}", (i * 10 + k) % n)})).collect();
            if i + 1 < n {
                members.push(json!({"value": format!("bulkId:g{}", i + 1)}));
            }
            ops.push(
                json!({"method": "POST", "path": "/Groups", "bulkId": format!("g{i}"), "data": {"members": members}}),
            );
        }
        for i in 0..n {
            ops.push(
                json!({"method": "PUT", "path": format!("/Groups/bulkId:y{i}"), "bulkId": format!("x{i}"), "data": {}}),
            );
            ops.push(
                json!({"method": "PUT", "path": format!("/Groups/bulkId:x{i}"), "bulkId": format!("y{i}"), "data": {}}),
            );
        }
        timed_plan(&ops, move |planned| {
            assert_eq!(planned.operations.iter().filter(|o| o.refused.is_some()).count(), 2 * n);
        })
    };
    check("bulk plan (cycles refused behind a chain)", refused(2_000), refused(4_000));
}

#[test]
#[ignore = "timing of optimized code: tests/run-all.sh runs it with `cargo test --release -- --ignored`"]
fn patching_every_value_and_refusing_many_names_stay_linear() {
    let registry = Registry::builtin();

    // A write to every value (`emails.type`) checks each for having become equal to another:
    // grouped by key, never value against value.
    let patch_all = |n: usize| {
        let user = user_with_emails(n);
        let request = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "emails.type", "value": "home"}]});
        timed_patch(&registry, "User", user, request)
    };
    check("patch every value (emails.type)", patch_all(2_000), patch_all(4_000));

    // An operation with many unknown members is refused after one pass over its names.
    let unknown = |n: usize| {
        let mut op = serde_json::Map::new();
        op.insert("op".into(), json!("add"));
        for i in 0..n {
            op.insert(format!("k{i}"), json!(1));
        }
        let request = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [op]});
        let user = user_with_emails(1);
        let registry = &registry;
        move || {
            let t = Instant::now();
            let done = apply_patch(registry, "User", user.clone(), &request, &PatchOptions::default());
            let elapsed = t.elapsed();
            assert!(done.is_err());
            elapsed
        }
    };
    check("patch operation with unknown members", unknown(20_000), unknown(40_000));
}
