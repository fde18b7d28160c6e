//! Parse + validate the RFC 7643 §8.2 full User with the EnterpriseUser extension (~1.5 KB).

use criterion::{Criterion, criterion_group, criterion_main};
use scimkit::{Registry, ValidateOptions, validate_json};

const USER: &str = include_str!("../../examples/payloads/user-full.json");

fn bench(c: &mut Criterion) {
    let registry = Registry::builtin();
    let options = ValidateOptions::default();
    assert!(validate_json(&registry, "User", USER, &options).is_ok(), "the bench payload must be valid");
    c.bench_function("validate_user", |b| {
        b.iter(|| validate_json(&registry, "User", std::hint::black_box(USER), &options));
    });
    // What the JS and Python text forms run: text in, the resource and the notes as text out.
    c.bench_function("validate_user/text_to_text", |b| {
        b.iter(|| {
            scimkit::api::validate_text(&registry, "User", std::hint::black_box(USER), "")
                .map(|v| scimkit::api::validated_to_json_parts(&v))
        });
    });
    // The breakdown: reading the text strictly, and serde_json's plain reader for reference.
    c.bench_function("validate_user/parse_strict", |b| {
        b.iter(|| scimkit::json::parse_strict(std::hint::black_box(USER), &options.limits));
    });
    c.bench_function("validate_user/serde_json_from_str", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(std::hint::black_box(USER)));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
