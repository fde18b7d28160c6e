use super::*;
use crate::{AttrPath, ScimType, urn};

fn parse(text: &str) -> Filter {
    parse_filter(text, &FilterLimits::default()).unwrap_or_else(|e| panic!("{text}: {}", e.detail()))
}

fn fails(text: &str) -> Error {
    let e = parse_filter(text, &FilterLimits::default()).expect_err(text);
    assert_eq!(e.scim_type(), Some(ScimType::InvalidFilter), "{text}");
    e
}

fn path(name: &str) -> AttrPath {
    AttrPath::new(None, name, None)
}

fn eq(name: &str, value: &str) -> Filter {
    Filter::Compare { path: path(name), op: CompareOp::Eq, value: Literal::String(value.into()) }
}

fn pr(name: &str) -> Filter {
    Filter::Present(path(name))
}

#[test]
fn every_rfc_example_parses() {
    for text in [
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
    ] {
        let f = parse(text);
        assert_eq!(parse(&f.to_string()), f, "{text}");
    }
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(parse("a pr or b pr and c pr"), Filter::Or(vec![pr("a"), Filter::And(vec![pr("b"), pr("c")])]));
    assert_eq!(parse("a pr and b pr or c pr"), Filter::Or(vec![Filter::And(vec![pr("a"), pr("b")]), pr("c")]));
    assert_eq!(parse("(a pr or b pr) and c pr"), Filter::And(vec![Filter::Or(vec![pr("a"), pr("b")]), pr("c")]));
}

#[test]
fn chains_stay_flat_and_redundant_parentheses_go() {
    assert_eq!(parse("a pr and b pr and c pr"), Filter::And(vec![pr("a"), pr("b"), pr("c")]));
    assert_eq!(parse("(a pr and b pr) and (c pr)"), Filter::And(vec![pr("a"), pr("b"), pr("c")]));
    assert_eq!(parse("a pr or (b pr or c pr)"), Filter::Or(vec![pr("a"), pr("b"), pr("c")]));
    assert_eq!(parse("((((a pr))))"), pr("a"));
    let long = vec!["a pr"; 200].join(" or ");
    assert!(matches!(parse(&long), Filter::Or(items) if items.len() == 200));
}

#[test]
fn keywords_and_operators_in_any_case() {
    assert_eq!(
        parse(r#"userName EQ "x" AND NOT (a PR) Or b pR"#).to_string(),
        r#"userName eq "x" and not (a pr) or b pr"#
    );
    assert_eq!(parse("not(a pr)"), Filter::Not(Box::new(pr("a"))));
    assert_eq!(parse("  a   pr  "), pr("a"));
}

#[test]
fn keyword_words_can_be_attribute_names() {
    assert_eq!(parse("not pr"), pr("not"));
    assert_eq!(parse("and pr and or pr"), Filter::And(vec![pr("and"), pr("or")]));
    assert_eq!(parse(r#"pr eq "x""#), eq("pr", "x"));
}

#[test]
fn literals() {
    let value = |text: &str| match parse(&format!("a eq {text}")) {
        Filter::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value("true"), Literal::Bool(true));
    assert_eq!(value("false"), Literal::Bool(false));
    assert_eq!(value("null"), Literal::Null);
    assert_eq!(value("-1.5e-3"), Literal::Number(Number::parse("-1.5e-3").unwrap()));
    assert_eq!(value(r#""\u00e9\ud83d\ude00\"""#), Literal::String("é😀\"".into()));
    for bad in ["True", "NULL", "01", "1.", "-", "bjensen", "'x'", ")", ""] {
        let e = fails(&format!("a eq {bad}"));
        assert!(e.detail().contains("after `eq`") || e.detail().starts_with("invalid number"), "{bad}: {}", e.detail());
    }
}

#[test]
fn urn_paths_split_at_the_last_colon() {
    let f = parse(&format!("{}:manager.value eq \"x\"", urn::ENTERPRISE_USER));
    let Filter::Compare { path, .. } = f else { panic!() };
    assert_eq!(path.urn.as_deref(), Some(urn::ENTERPRISE_USER));
    assert_eq!((path.name.as_str(), path.sub.as_deref()), ("manager", Some("value")));
    assert_eq!(path.span(), Some(Span::new(0, urn::ENTERPRISE_USER.len() + 14)));
}

#[test]
fn value_paths() {
    let f = parse(r#"emails[type eq "work" and value co "@x.com"]"#);
    let inner = Filter::And(vec![
        eq("type", "work"),
        Filter::Compare { path: path("value"), op: CompareOp::Co, value: Literal::String("@x.com".into()) },
    ]);
    assert_eq!(f, Filter::ValuePath { path: path("emails"), filter: Box::new(inner) });
    assert!(parse(r#"emails[not (type eq "work") or (primary eq true)]"#).to_string().starts_with("emails[not"));
}

#[test]
fn errors_say_what_was_expected_and_where() {
    for (text, span, detail) in [
        ("", (0, 0), "expected an attribute path, `(` or `not`, found the end of the filter"),
        ("userName foo", (9, 12), "expected an operator after `userName`, found `foo`"),
        ("userName", (8, 8), "expected an operator after `userName`, found the end of the filter"),
        (r#"userName "x""#, (9, 12), "expected an operator after `userName`, found `\"x\"`"),
        (r#"userName eq "x" foo"#, (16, 19), "expected `and`, `or` or the end of the filter, found `foo`"),
        ("(a pr", (5, 5), "expected `and`, `or` or `)`, found the end of the filter"),
        ("a pr)", (4, 5), "expected `and`, `or` or the end of the filter, found `)`"),
        ("emails[type pr", (14, 14), "expected `and`, `or` or `]`, found the end of the filter"),
        ("emails[type pr)", (14, 15), "expected `and`, `or` or `]`, found `)`"),
        ("a pr and", (8, 8), "expected an attribute path, `(` or `not`, found the end of the filter"),
        ("a pr or or b pr", (11, 12), "expected an operator after `or`, found `b`"),
        ("not a pr", (4, 5), "expected an operator after `not`, found `a`"),
        ("emails[type[value pr]]", (11, 12), "a value filter cannot hold another value filter"),
        ("emails[a.b pr]", (7, 10), "expected a sub-attribute name inside `[…]`, found `a.b`"),
        (r#"emails[type eq "w"].value eq "x""#, (19, 25), "a sub-attribute after `]`"),
        ("1abc pr", (0, 4), "expected an attribute path, found `1abc`"),
        ("a.b.c pr", (0, 5), "attribute path `a.b.c` goes deeper than one sub-attribute"),
        ("a eq 01", (5, 7), "invalid number `01`"),
        (r#"a eq "x"#, (5, 7), "string `\"x` has no closing quote"),
        (r#"a eq "\q""#, (6, 8), "invalid escape `\\q` in a string"),
        (r#"a eq "\ud800""#, (6, 12), "lone surrogate `\\ud800` in a string"),
        ("name.givenName[x pr]", (14, 15), "a value filter needs a complex attribute"),
        ("urn:a pr", (0, 5), "is not a schema URN followed by an attribute name"),
    ] {
        let e = fails(text);
        assert_eq!(e.span(), Some(Span::new(span.0, span.1)), "{text}: {}", e.detail());
        assert!(e.detail().contains(detail), "{text}: {}", e.detail());
    }
}

#[test]
fn limits_come_first_and_name_themselves() {
    let small = FilterLimits { max_length: 20, max_depth: 2, max_comparisons: 3 };
    let e = parse_filter("a pr and b pr and c pr", &small).unwrap_err();
    assert!(e.detail().contains("`maxLength`"), "{}", e.detail());
    let e = parse_filter("(((a pr))) and )", &FilterLimits { max_depth: 2, ..FilterLimits::default() }).unwrap_err();
    assert!(e.detail().contains("`maxDepth`"), "{}", e.detail());
    assert_eq!(e.span(), Some(Span::new(2, 3)));
    let e =
        parse_filter("a pr or b pr or c pr or d pr", &FilterLimits { max_comparisons: 3, ..FilterLimits::default() })
            .unwrap_err();
    assert!(e.detail().contains("`maxComparisons`"), "{}", e.detail());
    assert_eq!(e.span(), Some(Span::new(24, 25)));
    let deep = format!("{}a pr{}", "(".repeat(32), ")".repeat(32));
    assert!(parse_filter(&deep, &FilterLimits::default()).is_ok());
    let deeper = format!("{}a pr{}", "(".repeat(33), ")".repeat(33));
    assert!(parse_filter(&deeper, &FilterLimits::default()).is_err());
    let nots = format!("{}a pr{}", "not (".repeat(32), ")".repeat(32));
    assert!(parse_filter(&nots, &FilterLimits::default()).is_ok());
}

#[test]
fn the_deepest_allowed_tree_is_safe() {
    let limits = FilterLimits { max_depth: usize::MAX, max_length: usize::MAX, max_comparisons: usize::MAX };
    let n = FilterLimits::DEPTH_CEILING;
    let deep = format!("{}a pr{}", "not (b pr and (".repeat(n / 2), "))".repeat(n / 2));
    let f = parse_filter(&deep, &limits).unwrap();
    assert_eq!(parse_filter(&f.to_string(), &limits).unwrap(), f);
    let too_deep = format!("{}a pr{}", "(".repeat(n + 1), ")".repeat(n + 1));
    assert!(parse_filter(&too_deep, &limits).is_err());
}

#[test]
fn a_sub_attribute_after_brackets_reads_into_the_value_filter_only_when_asked() {
    let limits = FilterLimits::default();
    let read = |text: &str| parse_filter_with_sub_attributes(text, &limits).map(|(f, fired)| (f.to_string(), fired));
    assert_eq!(
        read(r#"emails[type eq "work"].value eq "a@b""#).unwrap(),
        (r#"emails[type eq "work" and value eq "a@b"]"#.to_owned(), true)
    );
    assert_eq!(
        read(r#"emails[type eq "work" and primary eq true].value sw "a" or userName pr"#).unwrap(),
        (r#"emails[type eq "work" and primary eq true and value sw "a"] or userName pr"#.to_owned(), true)
    );
    assert_eq!(read(r#"emails[type eq "work"]"#).unwrap(), (r#"emails[type eq "work"]"#.to_owned(), false));
    for bad in [
        r#"emails[type eq "work"].value"#,
        r#"emails[type eq "work"]. eq "x""#,
        r#"emails[type eq "work"].va.lue eq "x""#,
    ] {
        assert!(read(bad).is_err(), "{bad}");
    }
    // Without the rule the grammar's answer stands.
    assert!(parse_filter(r#"emails[type eq "work"].value eq "a@b""#, &limits).is_err());
}
