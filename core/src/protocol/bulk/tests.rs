use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;
use crate::error::ErrorKind;
use crate::urn;

fn request(ops: &Value) -> BulkRequest {
    BulkRequest::from_value(&json!({"schemas": [urn::BULK_REQUEST], "Operations": ops}), &BulkLimits::default())
        .unwrap()
}

fn created(id: &str, version: Option<&str>) -> OperationOutcome {
    OperationOutcome::Success { status: 201, id: Some(id.into()), location: None, version: version.map(Into::into) }
}

/// A cycle `a` ↔ `b` (the RFC 7644 §3.7.1 example) and an unrelated `x`.
fn two_group_cycle() -> BulkPlan {
    plan(request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"displayName": "A", "members": [{"value": "bulkId:b"}, {"value": "u1"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"displayName": "B", "members": [{"value": "bulkId:a"}]}},
        {"method": "POST", "path": "/Users", "bulkId": "x", "data": {}}
    ])))
}

#[test]
fn a_cycle_is_broken_at_its_first_post() {
    let p = two_group_cycle();
    let steps: Vec<(usize, bool, &str)> =
        p.operations.iter().map(|o| (o.index, o.completes, o.operation.path.as_str())).collect();
    // A without B, then B with A, then the PATCH adding B to A, as soon as B exists.
    assert_eq!(
        steps,
        [(0, false, "/Groups"), (1, false, "/Groups"), (0, true, "/Groups/bulkId:a"), (2, false, "/Users")]
    );
    assert!(p.operations.iter().all(|o| o.refused.is_none()));
    assert_eq!(p.operations[0].operation.data, Some(json!({"displayName": "A", "members": [{"value": "u1"}]})));
    assert!(p.operations[0].depends_on.is_empty());
    assert_eq!(p.operations[2].depends_on, ["a", "b"]);

    let mut runner = BulkRunner::new(p, Some("https://example.com/v2".into()));
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(0));
    assert!(!runner.completing());
    runner.record(created("A1", Some("v1"))).unwrap();
    let (_, b) = runner.next_operation().unwrap();
    assert_eq!(b.data, Some(json!({"displayName": "B", "members": [{"value": "A1"}]})));
    runner.record(created("B1", None)).unwrap();
    let (index, completion) = runner.next_operation().unwrap();
    assert!(runner.completing());
    assert_eq!((index, completion.method, completion.path.as_str()), (0, BulkMethod::Patch, "/Groups/A1"));
    assert_eq!(
        completion.data.unwrap()["Operations"],
        json!([{"op": "add", "path": "members", "value": [{"value": "B1"}]}])
    );
    runner
        .record(OperationOutcome::Success { status: 200, id: None, location: None, version: Some("v2".into()) })
        .unwrap();
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(2));
    runner.record(created("X1", None)).unwrap();
    assert!(runner.next_operation().is_none());
    // One result per operation of the request; A's version is the one its PATCH made.
    let response = runner.finish();
    let got: Vec<(usize, u16, Option<&str>)> =
        response.operations.iter().map(|r| (r.index, r.status, r.version.as_deref())).collect();
    assert_eq!(got, [(0, 201, Some("v2")), (1, 201, None), (2, 201, None)]);
}

#[test]
fn a_completion_that_fails_or_cannot_run_makes_its_post_a_conflict() {
    let incomplete = |response: &BulkResponse| {
        let a = response.operations.first().unwrap();
        assert_eq!(a.status, 409);
        // The resource exists: its location stays.
        assert_eq!(a.location.as_deref(), Some("https://example.com/v2/Groups/A1"));
        a.error.as_ref().unwrap().detail().to_owned()
    };
    // The PATCH fails.
    let mut runner = BulkRunner::new(two_group_cycle(), Some("https://example.com/v2".into()));
    runner.next_operation().unwrap();
    runner.record(created("A1", None)).unwrap();
    runner.next_operation().unwrap();
    runner.record(created("B1", None)).unwrap();
    runner.next_operation().unwrap();
    runner.record(OperationOutcome::Failure(crate::Error::new(ErrorKind::NotFound, "gone"))).unwrap();
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(2));
    runner.record(created("X1", None)).unwrap();
    let response = runner.finish();
    assert!(incomplete(&response).ends_with("adding them afterwards failed: gone"));
    assert_eq!(response.operations.len(), 3);

    // B fails: the PATCH cannot be resolved and is not handed out.
    let mut runner = BulkRunner::new(two_group_cycle(), Some("https://example.com/v2".into()));
    runner.next_operation().unwrap();
    runner.record(created("A1", None)).unwrap();
    runner.next_operation().unwrap();
    runner.record(OperationOutcome::Failure(crate::Error::new(crate::ScimType::Uniqueness, "taken"))).unwrap();
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(2));
    runner.record(created("X1", None)).unwrap();
    assert!(incomplete(&runner.finish()).contains("`bulkId:b` cannot be resolved"));

    // failOnErrors stops the run before the PATCH.
    let mut p = two_group_cycle();
    p.fail_on_errors = Some(1);
    let mut runner = BulkRunner::new(p, Some("https://example.com/v2".into()));
    runner.next_operation().unwrap();
    runner.record(created("A1", None)).unwrap();
    runner.next_operation().unwrap();
    runner.record(OperationOutcome::Failure(crate::Error::new(ErrorKind::Forbidden, "no"))).unwrap();
    assert!(runner.next_operation().is_none());
    assert!(incomplete(&runner.finish()).contains("the run stopped first"));

    // A fails: nothing to complete, and A's own failure is what is reported.
    let mut runner = BulkRunner::new(two_group_cycle(), None);
    runner.next_operation().unwrap();
    runner.record(OperationOutcome::Failure(crate::Error::new(crate::ScimType::InvalidValue, "bad"))).unwrap();
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(2), "B cannot resolve `a`");
    runner.record(created("X1", None)).unwrap();
    let statuses: Vec<(usize, u16)> = runner.finish().operations.iter().map(|r| (r.index, r.status)).collect();
    assert_eq!(statuses, [(0, 400), (1, 409), (2, 201)]);
}

#[test]
fn a_cycle_through_paths_only_is_refused_alone() {
    // No POST in it: nothing to create without the references.
    let r = request(&json!([
        {"method": "PUT", "path": "/Users/bulkId:b", "bulkId": "a", "data": {}},
        {"method": "PUT", "path": "/Users/bulkId:a", "bulkId": "b", "data": {}},
        {"method": "POST", "path": "/Users", "bulkId": "x", "data": {}}
    ]));
    let p = plan(r);
    let refused: Vec<Option<String>> =
        p.operations.iter().map(|o| o.refused.as_ref().map(|e| e.detail().to_owned())).collect();
    let cycle = Some("circular `bulkId` references: `a` → `b` → `a`".to_owned());
    assert_eq!(refused, [cycle.clone(), cycle, None]);
    assert!(p.operations.iter().filter_map(|o| o.refused.as_ref()).all(|e| e.kind() == ErrorKind::Conflict));
    // The runner hands the host only the operation outside the cycle.
    let mut runner = BulkRunner::new(p, None);
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(2));
    runner.record(created("1", None)).unwrap();
    assert!(runner.next_operation().is_none());
    let statuses: Vec<u16> = runner.finish().operations.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [409, 409, 201]);
}

#[test]
fn any_graph_of_posts_runs_whole_with_every_reference_resolved() {
    // Random Groups referring to each other (cycles of every length, self-references): each
    // POST is split at most once, every operation runs, nothing reaches the host unresolved,
    // and each Group ends up with exactly the members it was sent with.
    let mut seed: u64 = 7;
    let mut next = move |m: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    for _ in 0..40 {
        let n = 1 + usize::try_from(next(12)).unwrap();
        let members: Vec<Vec<usize>> =
            (0..n).map(|_| (0..next(4)).map(|_| usize::try_from(next(n as u64)).unwrap()).collect()).collect();
        let ops: Vec<Value> = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let values: Vec<Value> = m.iter().map(|j| json!({"value": format!("bulkId:g{j}")})).collect();
                json!({"method": "POST", "path": "/Groups", "bulkId": format!("g{i}"), "data": {"members": values}})
            })
            .collect();
        let p = plan(request(&Value::Array(ops)));
        assert!(p.operations.iter().all(|o| o.refused.is_none()));
        assert!(p.operations.iter().filter(|o| o.completes).count() <= n);
        let mut runner = BulkRunner::new(p, None);
        let mut stored: BTreeMap<String, Vec<String>> = BTreeMap::new();
        while let Some((i, op)) = runner.next_operation() {
            let text = serde_json::to_string(&op).unwrap();
            assert!(!text.contains("bulkId:"), "{text}");
            let data = op.data.unwrap();
            let (id, added) = if op.method == BulkMethod::Post {
                (format!("G{i}"), data["members"].clone())
            } else {
                let ops = data["Operations"].as_array().unwrap();
                assert_eq!(ops.len(), 1);
                (op.path.trim_start_matches("/Groups/").to_owned(), ops[0]["value"].clone())
            };
            let list = stored.entry(id.clone()).or_default();
            list.extend(added.as_array().into_iter().flatten().map(|m| m["value"].as_str().unwrap().to_owned()));
            let outcome = if op.method == BulkMethod::Post { created(&id, None) } else { created(&id, Some("v")) };
            runner.record(outcome).unwrap();
        }
        let response = runner.finish();
        assert_eq!(response.operations.len(), n);
        assert!(response.operations.iter().all(|r| r.status == 201));
        for (i, m) in members.iter().enumerate() {
            let mut want: Vec<String> = m.iter().map(|j| format!("G{j}")).collect();
            let mut got = stored.get(&format!("G{i}")).cloned().unwrap_or_default();
            want.sort();
            got.sort();
            assert_eq!(got, want, "group {i} of {members:?}");
        }
    }
}

#[test]
fn resolve_replaces_nested_references_and_path() {
    let r = request(&json!([
        {"method": "POST", "path": "/Users", "bulkId": "u", "data": {}},
        {"method": "PUT", "path": "/Groups/bulkId:u", "data": {"a": [{"b": ["bulkId:u", "see bulkId:u"]}]}}
    ]));
    let p = plan(r);
    let step = p.operations.get(1).unwrap();
    let ids = BTreeMap::from([("u".to_owned(), "42".to_owned())]);
    let op = resolve(step, &ids).unwrap();
    assert_eq!(op.path, "/Groups/42");
    assert_eq!(op.data.unwrap(), json!({"a": [{"b": ["42", "see bulkId:u"]}]}));
    assert_eq!(resolve(step, &BTreeMap::new()).unwrap_err().status(), 409);
}

#[test]
fn unknown_reference_refuses_its_operation_only() {
    let r = request(&json!([
        {"method": "POST", "path": "/Users", "bulkId": "u", "data": {"x": "bulkId:u!", "y": "bulkId:v!"}},
        {"method": "DELETE", "path": "/Users/1"}
    ]));
    let p = plan(r);
    let first = p.operations.first().and_then(|o| o.refused.clone()).unwrap();
    assert_eq!(first.scim_type(), Some(crate::ScimType::InvalidValue));
    assert_eq!(first.location().map(|l| l.as_str().to_owned()).as_deref(), Some("/Operations/0/data/x"));
    assert!(p.operations.get(1).unwrap().refused.is_none());
}

#[test]
fn runner_counts_an_unrecorded_operation_as_failed() {
    let r = request(&json!([
        {"method": "DELETE", "path": "/Users/1"},
        {"method": "DELETE", "path": "/Users/2"}
    ]));
    let mut runner = BulkRunner::new(plan(r), None);
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(0));
    assert_eq!(runner.next_operation().map(|(i, _)| i), Some(1));
    runner.record(OperationOutcome::Success { status: 204, id: None, location: None, version: None }).unwrap();
    assert!(runner.next_operation().is_none());
    let response = runner.finish();
    let statuses: Vec<u16> = response.operations.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 204]);
}

#[test]
fn endpoint_of_a_path() {
    let r = request(&json!([{"method": "DELETE", "path": "/Users/1"}]));
    assert_eq!(r.operations.first().unwrap().endpoint(), "/Users");
}

#[test]
fn response_puts_results_in_request_order_stably() {
    let result = |index: usize, status: u16| OperationResult {
        index,
        method: BulkMethod::Delete,
        bulk_id: None,
        location: None,
        version: None,
        status,
        error: None,
    };
    let response = BulkResponse::new(vec![result(2, 1), result(0, 2), result(2, 3), result(1, 4), result(0, 5)]);
    let order: Vec<(usize, u16)> = response.operations.iter().map(|r| (r.index, r.status)).collect();
    assert_eq!(order, [(0, 2), (0, 5), (1, 4), (2, 1), (2, 3)]);
}

#[test]
fn plan_runs_dependencies_first_else_in_request_order() {
    let r = request(&json!([
        {"method": "PUT", "path": "/Groups/bulkId:g", "data": {"members": [{"value": "bulkId:u"}]}},
        {"method": "DELETE", "path": "/Users/1"},
        {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {}},
        {"method": "POST", "path": "/Users", "bulkId": "u", "data": {}}
    ]));
    let p = plan(r);
    let order: Vec<usize> = p.operations.iter().map(|o| o.index).collect();
    // The PUT comes first as the client asked, right after the two POSTs it needs; the DELETE
    // the client put after it stays after it (RFC 7644 §3.7: the client's intent is kept).
    assert_eq!(order, [2, 3, 0, 1]);
}

#[test]
fn a_long_cycle_is_named_briefly() {
    // Every operation of a cycle carries its error: the text must not grow with the cycle.
    let n = 300;
    let ops: Vec<Value> = (0..n)
        .map(|i| {
            // References in paths only: a cycle no POST can break.
            let next = format!("/Groups/bulkId:{:040}", (i + 1) % n);
            json!({"method": "PUT", "path": next, "bulkId": format!("{i:040}"), "data": {}})
        })
        .collect();
    let p = plan(request(&Value::Array(ops)));
    let details: Vec<&str> = p.operations.iter().filter_map(|o| o.refused.as_ref()).map(crate::Error::detail).collect();
    assert_eq!(details.len(), n);
    assert!(details.iter().all(|d| d.len() < 400 && d.contains("300 operations in all")), "{}", details[0]);
}

#[test]
fn paths_are_uri_text_and_a_post_path_is_no_reference() {
    let limits = BulkLimits::default();
    for path in ["/Users/a b", "/Users/..", "/Users/%2e", "/Users/1?x=1", "/Users/a#b", "/Users/%zz", "/Users/a\u{a0}b"]
    {
        let r = BulkRequest::from_value(
            &json!({"schemas": [urn::BULK_REQUEST], "Operations": [{"method": "DELETE", "path": path}]}),
            &limits,
        );
        let e = r.err().unwrap_or_else(|| panic!("{path} must be refused"));
        assert_eq!(e.location().map(ToString::to_string).as_deref(), Some("/Operations/0/path"), "{path}");
    }
    assert!(request(&json!([{"method": "DELETE", "path": "/Users/a%20b%2Fc"}])).operations.len() == 1);
    assert!(request(&json!([{"method": "DELETE", "path": "/Users/élodie"}])).operations.len() == 1);
    // `/bulkId:u` on a POST is an endpoint's name, not a reference to `u`.
    let p = plan(request(&json!([
        {"method": "POST", "path": "/bulkId:u", "bulkId": "u", "data": {}},
        {"method": "POST", "path": "/Users", "bulkId": "v", "data": {}}
    ])));
    assert!(p.operations.iter().all(|o| o.refused.is_none() && o.depends_on.is_empty()));
}

#[test]
fn a_post_success_names_its_resource() {
    let p = plan(request(&json!([
        {"method": "POST", "path": "/Users", "bulkId": "u", "data": {}},
        {"method": "DELETE", "path": "/Users/bulkId:u"}
    ])));
    let mut runner = BulkRunner::new(p, Some("https://example.com/v2".into()));
    assert!(runner.next_operation().is_some());
    let unnamed = OperationOutcome::Success { status: 201, id: None, location: None, version: None };
    assert_eq!(runner.record(unnamed).unwrap_err().scim_type(), Some(crate::ScimType::InvalidValue));
    // Still waiting: recorded properly, the DELETE runs against the id.
    runner
        .record(OperationOutcome::Success { status: 201, id: Some("a b".into()), location: None, version: None })
        .unwrap();
    let (_, delete) = runner.next_operation().unwrap();
    assert_eq!(delete.path, "/Users/a%20b");
    assert!(outcome_from_value(&json!({"status": 201, "id": 42})).is_err());
    let response = serde_json::to_value(runner.finish()).unwrap();
    assert_eq!(response["Operations"][0]["location"], "https://example.com/v2/Users/a%20b");
}

#[test]
fn error_records_say_what_status_they_were_given() {
    for (record, says) in [
        (json!({"status": -1}), "status -1 is not"),
        (json!({"status": "abc"}), "status \"abc\" is not"),
        (json!({"status": 450.5}), "status 450.5 is not"),
        (json!({"status": 302}), "status 302 is not"),
        (json!({}), "needs a `status`"),
        (json!({"scimType": "invalidValue", "status": "abc"}), "status \"abc\" is not"),
    ] {
        let e = error_from_value(&record).unwrap_err();
        assert!(e.detail().contains(says), "{record}: {}", e.detail());
    }
    // A whole double is the number it is (Python's 404.0 is JS's 404).
    assert_eq!(error_from_value(&json!({"status": 404.0})).unwrap().status(), 404);
    assert_eq!(error_from_value(&json!({"scimType": "uniqueness", "status": 409.0})).unwrap().status(), 409);
    assert!(outcome_from_value(&json!({"status": 201.0, "id": "1"})).is_ok());
}

#[test]
fn a_bulk_id_any_text_is_referred_to_raw_or_encoded() {
    for path in ["/Users/bulkId:new user", "/Users/bulkId:new%20user"] {
        let p = plan(request(&json!([
            {"method": "POST", "path": "/Users", "bulkId": "new user", "data": {}},
            {"method": "DELETE", "path": path}
        ])));
        assert!(p.operations.iter().all(|o| o.refused.is_none()), "{path}");
        let mut runner = BulkRunner::new(p, None);
        assert!(runner.next_operation().is_some());
        runner
            .record(OperationOutcome::Success { status: 201, id: Some("u/1".into()), location: None, version: None })
            .unwrap();
        assert_eq!(runner.next_operation().map(|(_, op)| op.path).as_deref(), Some("/Users/u%2F1"), "{path}");
    }
}

#[test]
fn a_later_operation_on_a_split_resource_waits_for_its_completion() {
    // The client clears g1's members after creating it: the member held back to break the
    // cycle must be added before that, or g1 ends with a member the client removed.
    let p = plan(request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "g1", "data": {"members": [{"value": "bulkId:g2"}]}},
        {"method": "PATCH", "path": "/Groups/bulkId:g1", "data": {"schemas": [urn::PATCH_OP],
            "Operations": [{"op": "replace", "path": "members", "value": []}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "g2", "data": {"members": [{"value": "bulkId:g1"}]}}
    ])));
    let steps: Vec<(usize, bool)> = p.operations.iter().map(|o| (o.index, o.completes)).collect();
    assert_eq!(steps, [(0, false), (2, false), (0, true), (1, false)]);
}

#[test]
fn a_cycle_that_cannot_run_anyway_splits_nothing() {
    // `a` refers to no operation `nope`: it is refused, so `b` waits on nothing that can run,
    // and nothing is created empty only to fail its completion.
    let p = plan(request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"members": [{"value": "bulkId:b"}, {"value": "bulkId:nope"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"members": [{"value": "bulkId:a"}]}}
    ])));
    assert!(p.operations.iter().all(|o| !o.completes));
    let mut runner = BulkRunner::new(p, None);
    assert!(runner.next_operation().is_none(), "neither can run");
    let statuses: Vec<u16> = runner.finish().operations.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [400, 409]);

    // A cycle through paths behind a cycle of POSTs: one POST split, the path cycle refused,
    // and no second POST split to no purpose.
    let p = plan(request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"members": [{"value": "bulkId:b"}, {"value": "bulkId:x"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"members": [{"value": "bulkId:a"}]}},
        {"method": "PUT", "path": "/Groups/bulkId:y", "bulkId": "x", "data": {}},
        {"method": "PUT", "path": "/Groups/bulkId:x", "bulkId": "y", "data": {}}
    ])));
    assert_eq!(p.operations.iter().filter(|o| o.completes).count(), 1);
    let refused: Vec<usize> = p.operations.iter().filter(|o| o.refused.is_some()).map(|o| o.index).collect();
    assert_eq!(refused, [2, 3]);
}

#[test]
fn a_reference_in_schemas_is_not_held_back() {
    // `schemas` cannot be added back by a PATCH: the POST is not split, and the cycle is
    // refused.
    let p = plan(request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"schemas": ["bulkId:b"]}},
        {"method": "PUT", "path": "/Groups/bulkId:a", "bulkId": "b", "data": {}}
    ])));
    assert!(p.operations.iter().all(|o| !o.completes && o.refused.is_some()));
}
