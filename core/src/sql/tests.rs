use serde_json::json;

use super::*;
use crate::Registry;

fn mapping(spec: &serde_json::Value) -> Mapping {
    Mapping::load(&Registry::builtin(), "User", spec).unwrap()
}

fn sql(filter: &str, mapping: &Mapping, dialect: Dialect) -> SqlFilter {
    filter_to_sql(&Filter::parse(filter).unwrap(), mapping, dialect).unwrap()
}

#[test]
fn identifiers_are_quoted_and_values_bound() {
    let m = mapping(&json!({"layout": "columns", "table": "my \"users\"", "key": "id",
        "attributes": {"externalId": {"column": "ext'id"}}}));
    let s = sql(r#"externalId eq "x' OR 1=1 --""#, &m, Dialect::Sqlite);
    assert_eq!(s.sql, r#""my ""users"""."ext'id" IS NOT NULL AND "my ""users"""."ext'id" = ?"#);
    assert_eq!(s.params, [json!("x' OR 1=1 --")]);
}

#[test]
fn postgres_placeholders_are_numbered_in_text_order() {
    let m = mapping(&json!({"layout": "document", "table": "u", "column": "d"}));
    let s = sql(r#"(userName eq "a" or title ew "b") and active eq false"#, &m, Dialect::Postgres);
    let at = |needle: &str| s.sql.find(needle).unwrap();
    assert!(at("$1::text") < at("$2::text") && at("$2::text") < at("$3::text") && at("$3::text") < at("$4::boolean"));
    assert_eq!(s.params, [json!("a"), json!("b"), json!("b"), json!(false)]);
}

#[test]
fn numbers_bind_by_dialect() {
    let registry = crate::api::build_registry(
        &[r#"{"id": "urn:x:W", "name": "W", "attributes": [{"name": "n", "type": "integer"}, {"name": "d", "type": "decimal"}]}"#],
        &[r#"{"name": "W", "endpoint": "/W", "schema": "urn:x:W"}"#],
    )
    .unwrap();
    let m = Mapping::load(
        &registry,
        "W",
        &json!({"layout": "columns", "table": "w", "key": "id",
        "attributes": {"n": {"column": "n"}, "d": {"column": "d"}}}),
    )
    .unwrap();
    let f = Filter::parse("n eq 1e2 or d lt 18446744073709551616 or d gt 0.25").unwrap();
    let lite = filter_to_sql(&f, &m, Dialect::Sqlite).unwrap();
    assert_eq!(lite.params, [json!(100), json!(18_446_744_073_709_551_616.0_f64), json!(0.25)]);
    let pg = filter_to_sql(&f, &m, Dialect::Postgres).unwrap();
    assert_eq!(pg.params, [json!("100"), json!("18446744073709551616"), json!("0.25")]);
    // An integer column meets its literal (whole, within 64 bits: the filter's check and the
    // rule below see to that) as `bigint`, so an index on it serves; a decimal column as
    // `numeric`.
    assert!(pg.sql.contains(r#""w"."n" = $1::text::bigint"#), "{}", pg.sql);
    assert!(pg.sql.contains(r#""w"."d" < $2::text::numeric"#), "{}", pg.sql);

    // Beyond 64 bits an integer column's every value lies on one side of the literal: no
    // rounded float is bound (2^63 + 1 would round to 2^63 and miss i64::MIN).
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let below = Filter::parse("n gt -9223372036854775809 and n lt 18446744073709551616").unwrap();
        let sql = filter_to_sql(&below, &m, dialect).unwrap();
        assert!(sql.params.is_empty(), "{:?}", sql.params);
        assert_eq!(sql.sql, r#""w"."n" IS NOT NULL AND "w"."n" IS NOT NULL"#);
        let never = Filter::parse("n le -9223372036854775809 or n eq 9223372036854775808").unwrap();
        let sql = filter_to_sql(&never, &m, dialect).unwrap();
        assert_eq!((sql.sql.as_str(), sql.params.len()), ("1 = 0", 0));
    }
}

#[test]
fn unstored_attributes_name_themselves() {
    let m =
        mapping(&json!({"layout": "columns", "table": "u", "key": "id", "attributes": {"userName": {"column": "n"}}}));
    let e = filter_to_sql(&Filter::parse(r#"userName pr and name.givenName eq "x""#).unwrap(), &m, Dialect::Sqlite)
        .unwrap_err();
    assert_eq!(e.scim_type(), Some(crate::ScimType::InvalidFilter));
    assert!(e.detail().contains("`name.givenName`"), "{}", e.detail());
    assert_eq!(e.span().map(|s| (s.start, s.end)), Some((16, 30)));
}

#[test]
fn tables_for_each_dialect() {
    let m = mapping(&json!({"layout": "columns", "table": "users", "key": "id", "attributes": {
        "userName": {"column": "user_name"}, "active": {"column": "active"}, "meta.created": {"column": "created"},
        "emails": {"table": "user_emails", "foreignKey": "user_id", "attributes": {"value": {"column": "value"}}}}}));
    assert_eq!(
        create_tables(&m, Dialect::Postgres),
        [
            r#"CREATE TABLE IF NOT EXISTS "users" ("id" text PRIMARY KEY, "active" boolean, "created" timestamptz, "user_name" text, "user_name_fold" text)"#,
            r#"CREATE TABLE IF NOT EXISTS "user_emails" ("user_id" text NOT NULL REFERENCES "users"("id") ON DELETE CASCADE, "value" text, "value_fold" text)"#,
            r#"CREATE INDEX IF NOT EXISTS "user_emails_user_id" ON "user_emails" ("user_id")"#,
        ]
    );
    let doc = mapping(&json!({"layout": "document", "table": "users", "key": "id", "column": "data"}));
    assert_eq!(
        create_tables(&doc, Dialect::Sqlite),
        [
            r#"CREATE TABLE IF NOT EXISTS "users" ("id" TEXT PRIMARY KEY, "data" TEXT NOT NULL, "data_search" TEXT NOT NULL)"#
        ]
    );
}

#[test]
fn dialect_names() {
    assert_eq!("D1".parse::<Dialect>().unwrap(), Dialect::Sqlite);
    assert_eq!("PostgreSQL".parse::<Dialect>().unwrap(), Dialect::Postgres);
    assert_eq!("mysql".parse::<Dialect>().unwrap_err().scim_type(), Some(crate::ScimType::InvalidValue));
    assert_eq!(Dialect::Postgres.to_string(), "postgres");
}

#[test]
fn postgres_member_names_with_a_backslash_read_the_same_under_any_string_setting() {
    assert_eq!(super::dialect::pg_member("b", &["plain", "it's"]), "(b -> 'plain' -> 'it''s')");
    assert_eq!(super::dialect::pg_member("b", &["urn:x\\y'z"]), "(b -> E'urn:x\\\\y''z')");
}

#[test]
fn aliases_never_continue_a_table_name_with_digits() {
    use super::dialect::alias_prefix;
    assert_eq!(alias_prefix("c", &["users", "c_x", "cc1"]), "c");
    assert_eq!(alias_prefix("c", &["users", "C12"]), "c_");
    assert_eq!(alias_prefix("c", &["c1", "c_2", "c__"]), "c__");
}
