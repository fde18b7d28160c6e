//! Protocol helpers over a list of 1,000 generated full users (with the EnterpriseUser
//! extension, ~1.3 KB each).
//!
//! - `protocol/project_list_1000`: the target case — compile `attributes=userName,emails`,
//!   project every user through the borrowing view and serialize the ListResponse to a JSON
//!   string (budget: 3 ms per iteration).
//! - `protocol/default_list_1000`: the same with the default projection (every attribute but
//!   `password`), for the cost of serializing full users.
//! - `protocol/sort_1000`: sort the 1,000 users by `name.familyName` (keys extracted once).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "bench setup: a failure should stop the run loudly"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use scimkit::Registry;
use scimkit::protocol::{ListResponse, Projection, SortOrder, Sorter};
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user(i: usize) -> Value {
    let family = ["Jensen", "Smith", "O'Malley", "Nguyen", "García", "Müller"][i % 6];
    json!({
        "schemas": [USER, ENTERPRISE],
        "id": format!("2819c223-7f76-453a-919d-{i:012}"),
        "externalId": format!("ext-{i}"),
        "userName": format!("user{i}@example.com"),
        "password": "t1meMa$heen",
        "name": {"formatted": format!("Ms. Barbara {family} {i}"), "familyName": family, "givenName": "Barbara"},
        "displayName": format!("Babs {family} {i}"),
        "title": "Tour Guide",
        "active": i % 7 != 0,
        "emails": [
            {"value": format!("user{i}@example.com"), "type": "work", "primary": true},
            {"value": format!("babs{i}@home.example.org"), "type": "home"}
        ],
        "phoneNumbers": [{"value": "555-555-8377", "type": "work"}],
        "addresses": [{"streetAddress": "100 Universal City Plaza", "locality": "Hollywood", "region": "CA",
                       "postalCode": "91608", "country": "USA", "type": "work", "primary": true}],
        ENTERPRISE: {"employeeNumber": i.to_string(), "department": "Tour Operations",
                     "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}},
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z",
                 "version": "W/\"3694e05e9dff591\"", "location": format!("https://example.com/v2/Users/{i}")}
    })
}

fn bench(c: &mut Criterion) {
    let registry = Registry::builtin();
    let view = registry.resource_type("User").unwrap();
    let users: Vec<Value> = (0..1000).map(user).collect();
    let attributes = ["userName", "emails"];
    let none: [&str; 0] = [];

    let check = {
        let p = Projection::compile(view, &attributes, &none).unwrap();
        serde_json::to_string(&ListResponse::from_page(users.iter().map(|u| p.view(u)).collect(), 1000, 1)).unwrap()
    };
    assert!(check.contains("\"userName\"") && !check.contains("password") && !check.contains("addresses"));

    c.bench_function("protocol/project_list_1000", |b| {
        b.iter(|| {
            let p = Projection::compile(view, black_box(&attributes), &none).unwrap();
            let page: Vec<_> = users.iter().map(|u| p.view(u)).collect();
            serde_json::to_string(&ListResponse::from_page(page, u64::try_from(users.len()).unwrap(), 1)).unwrap()
        });
    });
    c.bench_function("protocol/default_list_1000", |b| {
        b.iter(|| {
            let p = Projection::compile(view, &none, &none).unwrap();
            let page: Vec<_> = users.iter().map(|u| p.view(u)).collect();
            serde_json::to_string(&ListResponse::from_page(page, u64::try_from(users.len()).unwrap(), 1)).unwrap()
        });
    });
    c.bench_function("protocol/sort_1000", |b| {
        let sorter = Sorter::compile(view, "name.familyName", SortOrder::Ascending).unwrap();
        b.iter(|| sorter.order_of(black_box(&users), |u| u));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
