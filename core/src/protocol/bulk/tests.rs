use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;
use crate::error::ErrorKind;
use crate::urn;

fn request(ops: &Value) -> BulkRequest {
    BulkRequest::from_value(&json!({"schemas": [urn::BULK_REQUEST], "Operations": ops}), &BulkLimits::default())
        .unwrap()
}

#[test]
fn cycle_is_named_in_order_and_refused_alone() {
    let r = request(&json!([
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"members": [{"value": "bulkId:b"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"members": [{"value": "bulkId:a"}]}},
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
    runner
        .record(OperationOutcome::Success { status: 201, id: Some("1".into()), location: None, version: None })
        .unwrap();
    assert!(runner.next_operation().is_none());
    let statuses: Vec<u16> = runner.finish().operations.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [409, 409, 201]);
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
            let next = format!("bulkId:{:040}", (i + 1) % n);
            json!({"method": "POST", "path": "/Groups", "bulkId": format!("{i:040}"), "data": {"members": [{"value": next}]}})
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
