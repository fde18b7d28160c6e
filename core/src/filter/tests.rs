//! Print → parse round trips: over a list of hand-picked filters, and over filters generated
//! by a small deterministic generator (no external property-testing crate needed).

use super::*;
use crate::path::AttrPath;

const FILTERS: &[&str] = &[
    r#"userName eq "bjensen""#,
    r#"userName Eq "john""#,
    r#"Username eq "john""#,
    r#"name.familyName co "O'Malley""#,
    r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d""#,
    "title pr",
    r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
    r#"meta.created ge "2011-05-13T04:42:34.123+02:00""#,
    r#"title pr and userType eq "Employee""#,
    r#"title pr or userType eq "Intern""#,
    r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
    r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
    r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
    r#"a eq "tab\there \"quoted\" back\\slash \/ \b\f\n\r \u0001 \u00e9 \ud83d\ude00""#,
    "age gt -1.5E+10 and age lt 9007199254740993 and x eq 0 and y ne -0.0",
    "active eq true and locked eq false and manager eq null",
    "not (not (a pr))",
    "(a pr or b pr) and (c pr or d pr) and not (e pr and f pr)",
    r#"members[value eq "x" or (display sw "A" and not (type eq "Group"))]"#,
    r#"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:NAME.FAMILYNAME ew "son""#,
    "members.$ref pr",
];

#[test]
fn print_then_parse_gives_the_same_tree() {
    for text in FILTERS {
        let f = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.detail()));
        let printed = f.to_string();
        let again = Filter::parse(&printed).unwrap_or_else(|e| panic!("{printed}: {}", e.detail()));
        assert_eq!(again, f, "{text} → {printed}");
        assert_eq!(again.to_string(), printed, "printing is stable");
    }
}

#[test]
fn canonical_form_examples() {
    for (text, canonical) in [
        (r#"userName  EQ   "x""#, r#"userName eq "x""#),
        ("NOT(a PR)", "not (a pr)"),
        ("((a pr) or (b pr)) and c pr", "(a pr or b pr) and c pr"),
        ("(a pr and b pr) or c pr", "a pr and b pr or c pr"),
        (r#"a eq "\u0041\/""#, r#"a eq "A/""#),
        ("a eq 1.50E+3", "a eq 1.50E+3"),
        (r#"emails[ type eq "work" ]"#, r#"emails[type eq "work"]"#),
    ] {
        assert_eq!(Filter::parse(text).unwrap().to_string(), canonical);
    }
}

/// A tiny deterministic generator (`SplitMix64`).
pub(super) struct Gen(pub(super) u64);

impl Gen {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn path(&mut self, inside: bool) -> AttrPath {
        let name = self.pick(&["userName", "a", "Not", "OR", "x-y_z9", "emails", "$ref"]);
        if inside {
            return AttrPath::new(None, name, None);
        }
        let urn = match self.below(4) {
            0 => Some("urn:ietf:params:scim:schemas:core:2.0:User"),
            1 => Some("urn:x:Y.1:z"),
            _ => None,
        };
        let sub = [None, None, Some("value"), Some("$ref")][self.below(4)];
        AttrPath::new(urn, name, sub)
    }

    fn literal(&mut self) -> Literal {
        match self.below(6) {
            0 => Literal::Bool(self.below(2) == 0),
            1 => Literal::Null,
            2 => Literal::Number(
                Number::parse(self.pick(&["0", "-0", "1.5e-7", "9007199254740993", "-12.0E+3"])).unwrap(),
            ),
            _ => {
                let pieces =
                    ["", "a", "\"", "\\", "/", "\n", "\u{1}", "é", "😀", " and ", ")", "]", "\u{2028}", "\u{7f}"];
                let n = self.below(4);
                Literal::String((0..n).map(|_| self.pick(&pieces)).collect())
            }
        }
    }

    /// A normalized filter: `and`/`or` with 2+ items, never directly nested in themselves.
    pub(super) fn filter(&mut self, depth: usize, inside: bool) -> Filter {
        let leaf = depth == 0 || self.below(3) == 0;
        if leaf {
            return if self.below(4) == 0 {
                Filter::Present(self.path(inside))
            } else {
                let op = CompareOp::ALL[self.below(9)];
                Filter::Compare { path: self.path(inside), op, value: self.literal() }
            };
        }
        match self.below(if inside { 3 } else { 4 }) {
            0 => Filter::Not(Box::new(self.filter(depth - 1, inside))),
            3 => {
                let path = AttrPath::new(None, self.pick(&["emails", "members"]), None);
                Filter::ValuePath { path, filter: Box::new(self.filter(depth - 1, true)) }
            }
            kind => {
                let n = 2 + self.below(3);
                let items = (0..n)
                    .map(|_| {
                        loop {
                            let item = self.filter(depth - 1, inside);
                            let same = matches!((&item, kind), (Filter::And(_), 1) | (Filter::Or(_), 2));
                            if !same {
                                break item;
                            }
                        }
                    })
                    .collect();
                if kind == 1 { Filter::And(items) } else { Filter::Or(items) }
            }
        }
    }
}

#[test]
fn generated_filters_round_trip() {
    let mut generator = Gen(7);
    for _ in 0..3000 {
        let f = generator.filter(4, false);
        let printed = f.to_string();
        let parsed = Filter::parse(&printed).unwrap_or_else(|e| panic!("{printed}: {} at {:?}", e.detail(), e.span()));
        assert_eq!(parsed, f, "{printed}");
        let reparsed = Filter::parse(&parsed.to_string()).unwrap();
        assert_eq!(reparsed, parsed);
    }
}

#[test]
fn garbage_never_panics() {
    let mut generator = Gen(11);
    let pieces = [
        "a", " ", "(", ")", "[", "]", "\"", "\\", "eq", "pr", "not", "and", "or", "1", "-", ".", ":", "urn:", "é",
        "\\u",
    ];
    for _ in 0..20_000 {
        let n = generator.below(12);
        let text: String = (0..n).map(|_| generator.pick(&pieces)).collect();
        if let Ok(f) = Filter::parse(&text) {
            assert_eq!(Filter::parse(&f.to_string()).unwrap(), f, "{text}");
        } else {
            let e = Filter::parse(&text).unwrap_err();
            let span = e.span().unwrap();
            assert!(span.start <= span.end && span.end <= text.len(), "{text}: {span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{text}: {span:?}");
        }
        let _ = crate::path::PatchPath::parse(&text);
    }
}
