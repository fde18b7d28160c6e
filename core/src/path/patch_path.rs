//! PATCH paths (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`.

use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::attr_path::AttrPath;
use crate::error::{Error, excerpt};
use crate::filter::Filter;
use crate::filter::lexer::TokenKind;
use crate::filter::limits::{FilterLimits, Subject};
use crate::filter::parser::Parser;
use crate::schema::{ResourceTypeView, Schema};

/// A PATCH operation's `path`: an attribute, a sub-attribute, or the values of a multi-valued
/// complex attribute selected by a filter, optionally narrowed to one sub-attribute.
///
/// `emails[type eq "work"].value` is `attr` = `emails.value` with `filter` = `type eq "work"`:
/// the sub-attribute after `]` is kept as `attr.sub`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchPath {
    /// The attribute (with its URN, and the sub-attribute written after `]` or after `.`).
    pub attr: AttrPath,
    /// The value filter of `attr[…]`.
    pub filter: Option<Filter>,
}

/// `{"urn"?, "name", "sub"?, "filter"?}`, absent parts left out.
impl Serialize for PatchPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(urn) = &self.attr.urn {
            map.serialize_entry("urn", urn)?;
        }
        map.serialize_entry("name", &self.attr.name)?;
        if let Some(sub) = &self.attr.sub {
            map.serialize_entry("sub", sub)?;
        }
        if let Some(filter) = &self.filter {
            map.serialize_entry("filter", filter)?;
        }
        map.end()
    }
}

impl PatchPath {
    /// Parses a PATCH path with the default [`FilterLimits`] for its value filter.
    ///
    /// # Errors
    /// `invalidPath` with the span of the problem, also for a malformed value filter.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::parse_with(text, &FilterLimits::default())
    }

    /// Parses a PATCH path within `limits`.
    ///
    /// # Errors
    /// `invalidPath` with the span of the problem.
    pub fn parse_with(text: &str, limits: &FilterLimits) -> Result<Self, Error> {
        parse(text, limits)
    }

    /// The whole path as a schema URN, when it could be one: a URN-qualified attribute without
    /// sub-attribute or filter, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`
    /// (which reads as attribute `User` after URN `…:2.0` until a schema says otherwise).
    pub fn schema_urn(&self) -> Option<String> {
        match (&self.attr.urn, &self.attr.sub, &self.filter) {
            (Some(urn), None, None) => Some(format!("{urn}:{}", self.attr.name)),
            _ => None,
        }
    }

    /// The extension schema of `view` this path names as a whole, if it does.
    pub fn extension<'r>(&self, view: &ResourceTypeView<'r>) -> Option<&'r Schema> {
        self.schema_urn().and_then(|urn| view.extension(&urn)).map(|(schema, _)| schema)
    }
}

impl FromStr for PatchPath {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The canonical form: the path as written, its filter in canonical form.
impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(filter) = &self.filter else {
            return self.attr.fmt(f);
        };
        if let Some(urn) = &self.attr.urn {
            write!(f, "{urn}:")?;
        }
        write!(f, "{}[{filter}]", self.attr.name)?;
        if let Some(sub) = &self.attr.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

fn parse(text: &str, limits: &FilterLimits) -> Result<PatchPath, Error> {
    match super::common_value_path::read(text, limits) {
        Some(path) => Ok(path),
        None => parse_general(text, limits),
    }
}

// PATH = attrPath / valuePath [subAttr]
pub(super) fn parse_general(text: &str, limits: &FilterLimits) -> Result<PatchPath, Error> {
    let mut parser = Parser::new(text, limits, Subject::Path)?;
    let token = parser.peek();
    if token.kind != TokenKind::Word {
        let found = parser.describe(&token);
        return Err(parser.error(token.span, format!("expected an attribute path, found {found}")));
    }
    let word = parser.text(&token);
    let parts = parser.path(word, token.span)?;
    parser.bump()?;
    let next = parser.peek();
    match next.kind {
        TokenKind::End => return Ok(PatchPath { attr: parts.into_path(), filter: None }),
        TokenKind::OpenBracket => parser.bump()?,
        _ => {
            let found = parser.describe(&next);
            return Err(parser.error(
                next.span,
                format!("expected `[` or the end of the path after `{}`, found {found}", excerpt(word)),
            ));
        }
    }
    let close = parser.value_filter(word, parts.sub.is_some(), next.span)?;
    let mut attr = parts.into_path();
    let filter = parser.pop()?;
    let after = parser.peek();
    match after.kind {
        TokenKind::End => {}
        TokenKind::Word if after.span.start == close.end && parser.text(&after).starts_with('.') => {
            let w = parser.text(&after);
            let sub = w.get(1..).unwrap_or_default();
            if !super::attr_path::is_attr_name(sub) {
                return Err(parser
                    .error(after.span, format!("expected a sub-attribute name after `].`, found `{}`", excerpt(w))));
            }
            attr.sub = Some(sub.to_owned());
            parser.bump()?;
            let end = parser.peek();
            if end.kind != TokenKind::End {
                let found = parser.describe(&end);
                return Err(parser.error(end.span, format!("expected the end of the path, found {found}")));
            }
        }
        _ => {
            let found = parser.describe(&after);
            return Err(parser.error(
                after.span,
                format!("expected a sub-attribute such as `.value` or the end of the path after `]`, found {found}"),
            ));
        }
    }
    Ok(PatchPath { attr, filter: Some(filter) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Registry, ScimType, Span, urn};
    use serde_json::json;

    #[test]
    fn reads_every_form() {
        let p = PatchPath::parse("name.givenName").unwrap();
        assert_eq!(p.attr, AttrPath::new(None, "name", Some("givenName")));
        assert!(p.filter.is_none());
        let p = PatchPath::parse(r#"emails[type eq "work"].value"#).unwrap();
        assert_eq!(p.attr, AttrPath::new(None, "emails", Some("value")));
        assert_eq!(p.filter.as_ref().unwrap().to_string(), r#"type eq "work""#);
        assert_eq!(p.to_string(), r#"emails[type eq "work"].value"#);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"name": "emails", "sub": "value", "filter": {"op": "eq", "path": "type", "value": "work"}})
        );
        let p = PatchPath::parse(r#"members[value eq "2819c223"]"#).unwrap();
        assert_eq!(p.to_string(), r#"members[value eq "2819c223"]"#);
    }

    #[test]
    fn an_extension_urn_alone_names_the_extension() {
        let p = PatchPath::parse(urn::ENTERPRISE_USER).unwrap();
        assert_eq!(p.schema_urn().as_deref(), Some(urn::ENTERPRISE_USER));
        assert_eq!(p.to_string(), urn::ENTERPRISE_USER);
        let registry = Registry::builtin();
        let user = registry.resource_type("User").unwrap();
        assert_eq!(p.extension(&user).map(Schema::id), Some(urn::ENTERPRISE_USER));
        let q = PatchPath::parse(&format!("{}:manager.value", urn::ENTERPRISE_USER)).unwrap();
        assert!(q.schema_urn().is_none());
    }

    #[test]
    fn refuses_with_invalid_path_and_span() {
        for (bad, span) in [
            ("", Span::new(0, 0)),
            ("emails[", Span::new(7, 7)),
            (r#"emails[type eq "work"]value"#, Span::new(22, 27)),
            (r#"emails[type eq "work"] .value"#, Span::new(23, 29)),
            (r#"emails[type eq "work"].1x"#, Span::new(22, 25)),
            (r#"emails[type eq "work"].value.x"#, Span::new(22, 30)),
            (r#"emails[type eq "work"].value[x pr]"#, Span::new(28, 29)),
            (r"emails[type eq]", Span::new(14, 15)),
            (r#"userName eq "x""#, Span::new(9, 11)),
            (r"emails.value[type pr]", Span::new(12, 13)),
            (r"emails[type[x pr]]", Span::new(11, 12)),
            ("a.b.c", Span::new(0, 5)),
            ("(a)", Span::new(0, 1)),
        ] {
            let e = PatchPath::parse(bad).unwrap_err();
            assert_eq!(e.scim_type(), Some(ScimType::InvalidPath), "{bad}");
            assert_eq!(e.span(), Some(span), "{bad}: {}", e.detail());
        }
    }
}
