//! Filter parsing and evaluation.
//!
//! - `filter_parse_50`: parse 50 varied filters (one iteration parses all 50).
//! - `filter_eval_5x100k`: evaluate 5 typical filters, checked against the User type, over
//!   100,000 users generated deterministically in memory (one iteration = 500,000 evaluations).
//! - `set_filter_5x100k`: the same through a `ResourceSet` holding the users, its columns
//!   built (what every filter after the first one naming an attribute costs); `_cold`: on a
//!   fresh set, columns built during the pass.
#![allow(clippy::panic, reason = "bench setup: a broken bench filter must stop the run loudly")]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use scimkit::{Filter, Registry, ResourceSet};
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn filters_to_parse() -> Vec<String> {
    let mut out: Vec<String> = [
        r#"userName eq "bjensen""#,
        r#"name.familyName co "O'Malley""#,
        r#"userName sw "J""#,
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
        "title pr",
        r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
        r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
        r#"title pr and userType eq "Employee""#,
        r#"title pr or userType eq "Intern""#,
        r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
        r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
        r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
        r#"userType eq "Employee" and (emails.type eq "work")"#,
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
        r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        r#"externalId eq "00u1abcdEFGH2345""#,
        r#"displayName eq "Sales Reps""#,
        r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915""#,
        "active eq true",
        "active eq false and title pr",
        r#"name.givenName sw "Bar" and name.familyName ew "sen""#,
        r#"a eq "\u00e9\ud83d\ude00 \"quoted\"""#,
        "n gt 9007199254740993 and n lt 1.5e300",
        r#"not (emails[type eq "work"]) or not (phoneNumbers pr)"#,
        r"(a pr or b pr) and (c pr or d pr) and (e pr or f pr)",
        r#"userName Eq "john""#,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for i in 0..20 {
        out.push(format!(r#"userName eq "user{i}@example.com" or externalId eq "ext-{i}""#));
    }
    out
}

fn user(i: usize) -> Value {
    let kind = match i % 3 {
        0 => "Employee",
        1 => "Intern",
        _ => "Contractor",
    };
    let day = 1 + i % 28;
    let mut u = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("{i:08x}-7f76-453a-919d-413861904646"),
        "externalId": format!("ext-{i}"),
        "userName": format!("user{i}@example.com"),
        "name": {"givenName": format!("Given{i}"), "familyName": format!("Family{}", i % 1000)},
        "displayName": format!("User {i}"),
        "userType": kind,
        "active": i % 5 != 0,
        "emails": [
            {"value": format!("user{i}@example.com"), "type": "work", "primary": true},
            {"value": format!("u{i}@home.example.org"), "type": "home"}
        ],
        "meta": {
            "resourceType": "User",
            "created": format!("2011-05-{day:02}T04:42:34Z"),
            "lastModified": format!("2011-06-{day:02}T04:42:34.{:03}+02:00", i % 1000)
        }
    });
    if let Some(members) = u.as_object_mut().filter(|_| i % 2 == 0) {
        members.insert("title".into(), json!("Tour Guide"));
        members.insert(ENTERPRISE.into(), json!({"employeeNumber": i.to_string(), "department": "Tour Operations"}));
    }
    u
}

fn bench(c: &mut Criterion) {
    let texts = filters_to_parse();
    assert_eq!(texts.len(), 50);
    for t in &texts {
        assert!(Filter::parse(t).is_ok(), "{t}");
    }
    c.bench_function("filter_parse_50", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(Filter::parse(black_box(t)).ok());
            }
        });
    });

    let registry = Registry::builtin();
    let Some(view) = registry.resource_type("User") else { return };
    let checked: Vec<_> = [
        r#"userName eq "USER77777@EXAMPLE.COM""#,
        r#"emails[type eq "work" and value ew "@example.com"] and active eq true"#,
        r#"meta.lastModified gt "2011-06-15T00:00:00Z" and userType ne "Intern""#,
        "title pr and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw \"4\"",
        r#"name.familyName co "ily99" or externalId eq "ext-5""#,
    ]
    .iter()
    .map(|t| Filter::parse(t).and_then(|f| f.check(&view)))
    .collect::<Result<_, _>>()
    .unwrap_or_else(|e| panic!("bench filter: {}", e.detail()));
    let users: Vec<Value> = (0..100_000).map(user).collect();
    let counts: Vec<usize> = checked.iter().map(|f| users.iter().filter(|u| f.matches(u)).count()).collect();
    assert_eq!(counts.first(), Some(&1), "userName is caseExact false");
    assert!(counts.iter().all(|&n| n > 0), "every bench filter matches something: {counts:?}");

    let mut group = c.benchmark_group("eval");
    group.sample_size(10);
    group.bench_function("filter_eval_5x100k", |b| {
        b.iter(|| {
            let mut n = 0_usize;
            for f in &checked {
                n += users.iter().filter(|u| f.matches(u)).count();
            }
            black_box(n)
        });
    });
    let set = ResourceSet::new(users.clone());
    let set_counts: Vec<usize> = checked.iter().map(|f| set.matching(f).len()).collect();
    assert_eq!(set_counts, counts, "a set matches what the filters match one by one");
    group.bench_function("set_filter_5x100k", |b| {
        b.iter(|| checked.iter().map(|f| set.matching(f).len()).sum::<usize>());
    });
    group.bench_function("set_filter_5x100k_cold", |b| {
        b.iter_batched(
            || ResourceSet::new(users.clone()),
            |fresh| {
                black_box(checked.iter().map(|f| fresh.matching(f).len()).sum::<usize>());
                fresh
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
