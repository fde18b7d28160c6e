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
    runner.record(OperationOutcome::Success { status: 201, id: Some("1".into()), location: None, version: None });
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
    runner.record(OperationOutcome::Success { status: 204, id: None, location: None, version: None });
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
    assert_eq!(order, [1, 2, 3, 0]);
}
