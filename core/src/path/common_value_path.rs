//! The value-path form identity providers send nearly always — `emails[type eq "work"]`,
//! optionally followed by `.value` — read without the filter parser.
//!
//! It gives the very [`PatchPath`] the parser gives (spans included), or `None` for anything
//! else: another operator or spacing, a name that is also a filter keyword, a string with an
//! escape, a quote or a character outside printable ASCII, limits the text does not fit. The
//! parser then reads the path and decides, so this file decides nothing.

use super::attr_path::{AttrPath, is_attr_name};
use super::patch_path::PatchPath;
use crate::error::Span;
use crate::filter::limits::FilterLimits;
use crate::filter::{CompareOp, Filter, Literal};

/// Words the filter grammar reads as operators or literals; never taken as names here.
const KEYWORDS: [&str; 16] =
    ["and", "or", "not", "pr", "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "true", "false", "null"];

/// `name[sub eq "text"]` or `name[sub eq "text"].subAttr`, as the parser reads it.
pub(super) fn read(text: &str, limits: &FilterLimits) -> Option<PatchPath> {
    if text.len() > limits.max_length || limits.depth() == 0 || limits.max_comparisons == 0 {
        return None;
    }
    // Cut at single ASCII bytes (so every cut is a character boundary).
    let (name, rest) = cut(text, b'[')?;
    let (sub_name, rest) = cut(rest, b' ')?;
    let rest = rest.strip_prefix("eq \"")?;
    let (literal, rest) = cut(rest, b'"')?;
    let rest = rest.strip_prefix(']')?;
    let after = match rest {
        "" => None,
        _ => Some(rest.strip_prefix('.')?),
    };
    if !plain_name(name) || !plain_name(sub_name) || after.is_some_and(|a| !plain_name(a)) {
        return None;
    }
    if !literal.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\') {
        return None;
    }
    let sub_start = name.len() + 1;
    let compared =
        AttrPath::new(None, sub_name, None).with_span(Some(Span::new(sub_start, sub_start + sub_name.len())));
    let filter = Filter::Compare { path: compared, op: CompareOp::Eq, value: Literal::String(literal.to_owned()) };
    let attr = AttrPath::new(None, name, after).with_span(Some(Span::new(0, name.len())));
    Some(PatchPath { attr, filter: Some(filter) })
}

/// The text before the first `byte` and the text after it.
fn cut(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// An attribute name of letters, digits, `-` and `_`, starting with a letter, that is no
/// filter keyword.
fn plain_name(name: &str) -> bool {
    // `is_attr_name` also takes `$ref`, which starts with no letter; that one is left to the parser.
    name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && is_attr_name(name)
        && (name.len() > 5 || !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast read and the parser's, spans included (`Debug` shows them).
    fn agree(text: &str, limits: &FilterLimits) -> bool {
        let parsed = super::super::patch_path::parse_general(text, limits);
        match read(text, limits) {
            Some(fast) => {
                assert_eq!(parsed.as_ref().map(|p| format!("{p:?}")), Ok(format!("{fast:?}")), "{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_the_common_form_as_the_parser_does() {
        let limits = FilterLimits::default();
        for text in [
            r#"emails[type eq "work"]"#,
            r#"emails[type eq "work"].value"#,
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
            r#"phoneNumbers[type eq ""].display"#,
            r#"addresses[type eq "a b [c] {d} (e) :f. g"].streetAddress"#,
            r#"x-y_z[a-b_c eq "1"]"#,
            r#"Emails[TYPE eq "Work"].Value"#,
        ] {
            assert!(agree(text, &limits), "not taken: {text}");
        }
    }

    #[test]
    fn leaves_every_other_form_to_the_parser() {
        let limits = FilterLimits::default();
        for text in [
            r#"emails[type EQ "work"]"#,
            r#"emails[type  eq "work"]"#,
            r#"emails[type eq "wo\"rk"]"#,
            r#"emails[type eq "wo\\rk"]"#,
            r#"emails[type eq "wörk"]"#,
            r#"emails[type eq "work"] "#,
            r#"emails[type eq "work"]."#,
            r#"emails[type eq "work"].value.x"#,
            r#"emails[type eq "work"]x"#,
            r#"emails[type eq "work" and primary eq true]"#,
            r#"emails[type ne "work"]"#,
            r#"emails[not eq "work"]"#,
            r#"emails[pr eq "work"]"#,
            r#"and[type eq "work"]"#,
            r#"emails[type.sub eq "work"]"#,
            r#"urn:x:emails[type eq "work"]"#,
            r#"name.x[type eq "work"]"#,
            r#"$ref[type eq "work"]"#,
            r#"emails[$ref eq "work"]"#,
            r#"emails[1type eq "work"]"#,
            "emails[type eq work]",
            r#"emails[type eq "work"]]"#,
            r#"[type eq "work"]"#,
            r#"emails[ eq "work"]"#,
            "emails",
            "",
        ] {
            assert!(!agree(text, &limits), "taken: {text}");
        }
        let tight = FilterLimits { max_length: 10, ..FilterLimits::default() };
        assert!(!agree(r#"emails[type eq "work"]"#, &tight));
        let no_depth = FilterLimits { max_depth: 0, ..FilterLimits::default() };
        assert!(!agree(r#"emails[type eq "work"]"#, &no_depth));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_parser_on_generated_paths(
            name in "[a-zA-Z$][a-zA-Z0-9_.:$-]{0,6}|and|not|pr",
            sub in "[a-zA-Z$1][a-zA-Z0-9_.$-]{0,5}|eq|or|NULL",
            op in " eq | EQ |  eq | ne | eq",
            literal in "[ -~é]{0,8}",
            after in "|\\.[a-zA-Z][a-z]{0,3}|\\.|\\]|x",
        ) {
            let text = format!("{name}[{sub}{op}\"{literal}\"]{after}");
            agree(&text, &FilterLimits::default());
        }
    }
}
