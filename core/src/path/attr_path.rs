//! Attribute paths (RFC 7644 §3.10): `name`, `name.sub`, and either form after a schema URN,
//! `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::{Error, Span, excerpt};
use crate::filter::limits::Subject;

/// An attribute path: an optional schema URN, an attribute name and an optional sub-attribute,
/// each as written (names are matched in any case when resolved).
///
/// A path read from text remembers where it was, so schema errors can point at it; equality
/// ignores that position.
#[derive(Debug, Clone, Eq)]
pub struct AttrPath {
    /// The schema URN before the attribute name, without the final `:`.
    pub urn: Option<String>,
    /// The attribute name.
    pub name: String,
    /// The sub-attribute name after the `.`.
    pub sub: Option<String>,
    /// Where the path was read from, as `[start, end]`; `NO_SPAN` when not read from text.
    /// (Two `u32`s rather than an `Option<Span>` keep filter trees small.)
    span: [u32; 2],
}

const NO_SPAN: [u32; 2] = [u32::MAX, u32::MAX];

impl PartialEq for AttrPath {
    fn eq(&self, other: &Self) -> bool {
        self.urn == other.urn && self.name == other.name && self.sub == other.sub
    }
}

impl AttrPath {
    /// A path from its parts.
    pub fn new(urn: Option<&str>, name: &str, sub: Option<&str>) -> Self {
        Self { urn: urn.map(str::to_owned), name: name.to_owned(), sub: sub.map(str::to_owned), span: NO_SPAN }
    }

    /// Reads an attribute path (RFC 7644 §3.10) from the whole of `text`.
    ///
    /// # Errors
    /// `invalidPath` with the span of the problem.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let subject = Subject::Path;
        if let Some(at) = text.find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"')) {
            let end = at + text.get(at..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8);
            return Err(
                subject.error(Span::new(at, end), format!("expected an attribute path, found `{}`", excerpt(text)))
            );
        }
        parse_word(text, 0, subject)
    }

    /// Where the path was in the text it was read from.
    pub fn span(&self) -> Option<Span> {
        (self.span != NO_SPAN).then(|| Span::new(self.span[0] as usize, self.span[1] as usize))
    }

    /// The same path with `span` (forgotten when it does not fit in `u32` offsets).
    #[must_use]
    pub(crate) fn with_span(mut self, span: Option<Span>) -> Self {
        self.span = span
            .and_then(|s| Some([u32::try_from(s.start).ok()?, u32::try_from(s.end).ok()?]))
            .filter(|s| *s != NO_SPAN)
            .unwrap_or(NO_SPAN);
        self
    }
}

impl FromStr for AttrPath {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            f.write_str(urn)?;
            f.write_str(":")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            f.write_str(".")?;
            f.write_str(sub)?;
        }
        Ok(())
    }
}

/// Serialized as its text, e.g. `"emails.value"`.
impl Serialize for AttrPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_"), or `$ref`: the rule of
/// [`is_valid_attribute_name`](crate::schema::is_valid_attribute_name), read byte by byte
/// (a test checks that the two agree).
pub(crate) fn is_attr_name(name: &str) -> bool {
    match name.as_bytes() {
        [first, rest @ ..] if first.is_ascii_alphabetic() => {
            rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        // Names are case-insensitive (RFC 7643 §2.1), this one too.
        _ => name.eq_ignore_ascii_case("$ref"),
    }
}

/// attrPath = [URI ":"] ATTRNAME *1subAttr ; subAttr = "." ATTRNAME
///
/// `word` starts at byte `start` of the text. A word starting with `urn:` (any case) carries a
/// schema URN: the attribute part is the text after the last `:` (URNs hold dots, as in
/// `2.0`, but no attribute name holds a colon).
pub(crate) fn parse_word(word: &str, start: usize, subject: Subject) -> Result<AttrPath, Error> {
    split_word(word, start, subject).map(PathParts::into_path)
}

/// The parts of an attribute path read from text, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathParts<'a> {
    pub(crate) urn: Option<&'a str>,
    pub(crate) name: &'a str,
    pub(crate) sub: Option<&'a str>,
    pub(crate) span: Span,
}

impl PathParts<'_> {
    /// The owned path.
    pub(crate) fn into_path(self) -> AttrPath {
        AttrPath::new(self.urn, self.name, self.sub).with_span(Some(self.span))
    }
}

/// [`parse_word`] without copying the parts out of the text.
pub(crate) fn split_word(word: &str, start: usize, subject: Subject) -> Result<PathParts<'_>, Error> {
    let span = Span::new(start, start + word.len());
    let fail = |detail: String| subject.error(span, detail);
    let is_urn = word.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
    let (urn, rest) = match is_urn.then(|| word.rfind(':')).flatten() {
        Some(colon) => (word.get(..colon), word.get(colon + 1..).unwrap_or_default()),
        None => (None, word),
    };
    if let Some(urn) = urn {
        // At least `urn:NID:NSS`, no empty segment.
        let colons = urn.bytes().filter(|&b| b == b':').count();
        if colons < 2 || urn.ends_with(':') || urn.contains("::") {
            return Err(fail(format!("`{}` is not a schema URN followed by an attribute name", excerpt(word))));
        }
    }
    let (name, sub) = match rest.bytes().position(|b| b == b'.') {
        Some(dot) => (rest.get(..dot).unwrap_or_default(), rest.get(dot + 1..)),
        None => (rest, None),
    };
    if sub.is_some_and(|s| s.contains('.')) {
        return Err(fail(format!("attribute path `{}` goes deeper than one sub-attribute", excerpt(word))));
    }
    if !is_attr_name(name) || sub.is_some_and(|s| !is_attr_name(s)) {
        return Err(fail(format!("expected an attribute path, found `{}`", excerpt(word))));
    }
    Ok(PathParts { urn, name, sub, span })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::is_valid_attribute_name;
    use crate::urn;

    #[test]
    fn reads_every_form() {
        let p = AttrPath::parse("userName").unwrap();
        assert_eq!(p, AttrPath::new(None, "userName", None));
        assert_eq!(AttrPath::parse("name.familyName").unwrap().sub.as_deref(), Some("familyName"));
        let q = format!("{}:manager.value", urn::ENTERPRISE_USER);
        let p = AttrPath::parse(&q).unwrap();
        assert_eq!(p.urn.as_deref(), Some(urn::ENTERPRISE_USER));
        assert_eq!((p.name.as_str(), p.sub.as_deref()), ("manager", Some("value")));
        assert_eq!(p.to_string(), q);
        assert_eq!(AttrPath::parse("members.$ref").unwrap().sub.as_deref(), Some("$ref"));
        let p = AttrPath::parse("URN:IETF:params:scim:schemas:core:2.0:User:userName").unwrap();
        assert_eq!(p.urn.as_deref(), Some("URN:IETF:params:scim:schemas:core:2.0:User"));
    }

    #[test]
    fn refuses_what_is_not_a_path() {
        for bad in ["", "1abc", "a.b.c", "a.", ".a", "a b", "urn:x", "urn::a:b", "urn:a:b:", "a-$", "emails[x]"] {
            let e = AttrPath::parse(bad).unwrap_err();
            assert_eq!(e.scim_type(), Some(crate::ScimType::InvalidPath), "{bad}");
            assert!(e.span().is_some());
        }
    }

    #[test]
    fn name_rule_agrees_with_the_schema_rule() {
        for name in [
            "userName",
            "x509-cert_2",
            "$ref",
            "$REF",
            "$Ref",
            "$refs",
            "2fa",
            "",
            "a.b",
            "é",
            "aé",
            "a b",
            "-a",
            "_a",
            "A",
            "z9",
        ] {
            assert_eq!(is_attr_name(name), is_valid_attribute_name(name), "{name}");
        }
    }

    #[test]
    fn equality_ignores_position() {
        let a = parse_word("title", 7, Subject::Filter).unwrap();
        assert_eq!(a.span(), Some(Span::new(7, 12)));
        assert_eq!(a, AttrPath::new(None, "title", None));
        assert_eq!(serde_json::to_value(&a).unwrap(), "title");
    }
}
