//! Checking a filter against a resource type's schemas and preparing it for evaluation.

use std::sync::OnceLock;

use super::ast::{CompareOp, Filter, Literal};
use super::compare::{Decimal, Text};
use super::compiled::{CheckedFilter, Comparison, Node, Operand, Scope, Target, ValuePathNode};
use crate::error::{Error, ScimType, excerpt};
use crate::path::AttrPath;
use crate::schema::{Attribute, AttributeType, ResourceTypeView};
use crate::value::parse_datetime;

impl Filter {
    /// Checks this filter against a resource type and prepares it for evaluation: every path
    /// must name an attribute of the type's core schema, its extensions or the common
    /// attributes (inside `[…]`, a sub-attribute of the value path's attribute), and every
    /// operator and literal must fit that attribute's type.
    ///
    /// Decisions, each made so a mistake in a filter surfaces as an error rather than as a filter
    /// that quietly matches nothing:
    /// - **Unknown attributes are `invalidFilter`.** RFC 7644 §3.4.2.2 does not say what an
    ///   unknown attribute means; §3.12 gives `invalidFilter` for "the specified attribute and
    ///   filter comparison combination is not supported". A typo (`usrName`) is reported, and an
    ///   extension attribute written without its schema URN gets a message naming the URN.
    ///   `schemas` is known on every resource type (a multi-valued reference, case-insensitive).
    /// - **Complex attributes** may only be tested with `pr`, except the shorthand the RFC itself
    ///   uses (`emails co "example.com"`, RFC 7644 §3.4.2.2): a comparison on a multi-valued
    ///   complex attribute with a `value` sub-attribute compares that sub-attribute.
    /// - **Operators by type:** `eq`/`ne` on every type; `co`/`sw`/`ew` on string and reference
    ///   only (a substring of base64 text means nothing, and dateTime, numbers and booleans have
    ///   no substrings); `gt`/`ge`/`lt`/`le` on string, reference, dateTime, integer and decimal,
    ///   not on boolean or binary.
    /// - **Literals must fit the type:** a string for string, reference and binary; a dateTime
    ///   string with an offset for dateTime; a number for decimal, a whole number for integer;
    ///   `true`/`false` for boolean. `null` only with `eq` and `ne`, where `eq null` means the
    ///   attribute has no value (as `not (… pr)`) and `ne null` that it has one — a complex
    ///   attribute's own value too (`emails eq null`, `name ne null`).
    /// - **Secrets are compared for equality only.** An attribute that is never returned
    ///   (`returned: never` or `writeOnly`, such as `password`), or a sub-attribute of one, may
    ///   only be compared with `eq` or `ne` and a value: RFC 7643 §4.1.1 allows comparing a
    ///   password "i.e., filter for equality". `pr`, `null`, the ordering and the substring
    ///   operators would let a client read it back through which resources match, a character
    ///   or a range at a time.
    ///
    /// # Errors
    /// `invalidFilter`, with the span of the offending path when the filter was parsed.
    pub fn check(&self, view: &ResourceTypeView<'_>) -> Result<CheckedFilter, Error> {
        let root = self.check_root(view)?;
        Ok(CheckedFilter { filter: self.clone(), root })
    }

    /// [`Filter::check`] without keeping a copy of the filter: the checked tree alone.
    pub(crate) fn check_root(&self, view: &ResourceTypeView<'_>) -> Result<Node, Error> {
        Checker { view }.node(self, None)
    }
}

/// `condition`, the filter of a value path on `parent`, checked against `parent`'s
/// sub-attributes: for PATCH paths whose attribute has no definition of its own to resolve
/// (the values of a simple multi-valued attribute, seen as `{"value": …}`).
pub(crate) fn check_condition_in(
    view: &ResourceTypeView<'_>,
    parent: &Attribute,
    condition: &Filter,
) -> Result<Node, Error> {
    Checker { view }.node(condition, Some(parent))
}

struct Checker<'v, 'r> {
    view: &'v ResourceTypeView<'r>,
}

/// How a message names the path: its attribute and sub-attribute as written, without the URN
/// (the span shows where it is), cut to an excerpt.
fn label(path: &AttrPath) -> String {
    match &path.sub {
        Some(sub) => excerpt(&format!("{}.{sub}", path.name)),
        None => excerpt(&path.name),
    }
}

fn fail(path: &AttrPath, detail: String) -> Error {
    let e = Error::new(ScimType::InvalidFilter, detail);
    match path.span() {
        Some(span) => e.with_span(span),
        None => e,
    }
}

/// A filter on a secret refused: it may only be compared for equality, `not_how`.
fn secret_refused(path: &AttrPath, not_how: &str) -> Error {
    fail(
        path,
        format!(
            "`{}` is never returned, so a filter may only compare it for equality (`eq` or `ne` with a value), {not_how}",
            label(path)
        ),
    )
}

/// `schemas`, which RFC 7643 §3 gives every resource but no schema lists.
pub(crate) fn schemas_attribute() -> &'static Attribute {
    static SCHEMAS: OnceLock<Attribute> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let mut a = Attribute::new("schemas", AttributeType::Reference);
        a.multi_valued = true;
        a.description = "the schema URNs the resource uses".into();
        a
    })
}

/// The type of an attribute with its article, for messages.
const fn kind_phrase(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::String => "a string",
        AttributeType::Boolean => "a boolean",
        AttributeType::Decimal => "a decimal",
        AttributeType::Integer => "an integer",
        AttributeType::DateTime => "a dateTime",
        AttributeType::Reference => "a reference",
        AttributeType::Complex => "a complex",
        AttributeType::Binary => "a binary",
    }
}

fn literal_phrase(value: &Literal) -> String {
    match value {
        Literal::String(_) => format!("the string `{}`", excerpt(&value.to_string())),
        Literal::Number(n) => format!("the number `{}`", excerpt(n.as_str())),
        Literal::Bool(_) | Literal::Null => format!("`{value}`"),
    }
}

impl Checker<'_, '_> {
    /// `filter` checked; `parent` is the complex attribute of the value path it sits in.
    fn node(&self, filter: &Filter, parent: Option<&Attribute>) -> Result<Node, Error> {
        Ok(match filter {
            Filter::Compare { path, op, value } => {
                let (mut target, attribute, secret) = self.target(path, parent)?;
                // `null` asks whether the attribute itself has a value (`emails eq null` is
                // `not (emails pr)`), so the `value` shorthand does not apply to it.
                let null_on_complex = *value == Literal::Null && attribute.kind() == AttributeType::Complex;
                let shorthand = if null_on_complex { None } else { complex_shorthand(path, attribute, *op)? };
                let attribute = match shorthand {
                    Some(value_sub) => {
                        target.sub = Some(value_sub.name().into());
                        value_sub
                    }
                    None => attribute,
                };
                if (secret || attribute.is_secret())
                    && (!matches!(op, CompareOp::Eq | CompareOp::Ne) || *value == Literal::Null)
                {
                    let how = if *value == Literal::Null { "`null`".to_owned() } else { format!("`{op}`") };
                    return Err(secret_refused(path, &format!("not with {how}")));
                }
                let operand = operand(path, attribute, *op, value)?;
                Node::Compare(Box::new(Comparison { target, op: *op, operand }))
            }
            Filter::Present(path) => {
                let (target, _, secret) = self.target(path, parent)?;
                if secret {
                    return Err(secret_refused(path, "not test whether it is present"));
                }
                Node::Present(target)
            }
            Filter::And(items) => Node::And(items.iter().map(|f| self.node(f, parent)).collect::<Result<_, _>>()?),
            Filter::Or(items) => Node::Or(items.iter().map(|f| self.node(f, parent)).collect::<Result<_, _>>()?),
            Filter::Not(inner) => Node::Not(Box::new(self.node(inner, parent)?)),
            Filter::ValuePath { path, filter } => {
                if parent.is_some() {
                    return Err(fail(path, "a value filter cannot hold another value filter".to_owned()));
                }
                let (target, attribute, _) = self.target(path, None)?;
                if attribute.kind() != AttributeType::Complex || path.sub.is_some() {
                    return Err(fail(
                        path,
                        format!("`{}` is not a complex attribute, so it cannot have a value filter `[…]`", label(path)),
                    ));
                }
                let inner = self.node(filter, Some(attribute))?;
                Node::ValuePath(Box::new(ValuePathNode { target, inner }))
            }
        })
    }

    /// Where `path` is, the definition it ends at, and whether that is a secret or inside one.
    fn target<'a>(
        &'a self,
        path: &AttrPath,
        parent: Option<&'a Attribute>,
    ) -> Result<(Target, &'a Attribute, bool), Error> {
        if let Some(parent) = parent {
            if path.urn.is_some() || path.sub.is_some() {
                return Err(fail(
                    path,
                    format!("expected a sub-attribute name inside `{}[…]`, found `{}`", parent.name(), label(path)),
                ));
            }
            let sub = parent.sub_attribute(&path.name).ok_or_else(|| {
                fail(
                    path,
                    format!(
                        "`{}` has no sub-attribute `{}`{}",
                        parent.name(),
                        excerpt(&path.name),
                        sub_slip(parent, &path.name)
                    ),
                )
            })?;
            let target = Target { scope: Scope::Element, name: sub.name().into(), sub: None, value_of_objects: false };
            return Ok((target, sub, parent.is_secret() || sub.is_secret()));
        }
        let (scope, attribute) = self.resolve(path)?;
        let mut target = Target { scope, name: attribute.name().into(), sub: None, value_of_objects: false };
        let Some(sub_name) = &path.sub else {
            return Ok((target, attribute, attribute.is_secret()));
        };
        if attribute.kind() != AttributeType::Complex {
            return Err(fail(
                path,
                format!(
                    "`{}` is {} attribute and has no sub-attributes",
                    attribute.name(),
                    kind_phrase(attribute.kind())
                ),
            ));
        }
        let sub = attribute.sub_attribute(sub_name).ok_or_else(|| {
            fail(
                path,
                format!(
                    "`{}` has no sub-attribute `{}`{}",
                    attribute.name(),
                    excerpt(sub_name),
                    sub_slip(attribute, sub_name)
                ),
            )
        })?;
        target.sub = Some(sub.name().into());
        Ok((target, sub, attribute.is_secret() || sub.is_secret()))
    }

    /// The top-level attribute `path` names (ignoring its sub-attribute) and where it sits.
    fn resolve(&self, path: &AttrPath) -> Result<(Scope, &Attribute), Error> {
        let view = self.view;
        let type_name = view.definition().name();
        if let Some(urn) = path.urn.as_deref().filter(|u| !u.eq_ignore_ascii_case(view.core_schema().id())) {
            let Some((schema, _)) = view.extension(urn) else {
                return Err(fail(path, format!("`{}` is not a schema of resource type `{type_name}`", excerpt(urn))));
            };
            let attribute = schema.attribute(&path.name).ok_or_else(|| {
                fail(path, format!("schema `{}` has no attribute `{}`", excerpt(schema.id()), excerpt(&path.name)))
            })?;
            return Ok((Scope::Extension(schema.id().into()), attribute));
        }
        if path.name.eq_ignore_ascii_case("schemas") {
            return Ok((Scope::Resource, schemas_attribute()));
        }
        if let Some(found) = view.attribute(&path.name) {
            return Ok((Scope::Resource, found.attribute));
        }
        if path.urn.is_none() {
            if let Some((schema, _)) = view.extensions().find(|(s, _)| s.attribute(&path.name).is_some()) {
                return Err(fail(
                    path,
                    format!(
                        "`{}` belongs to the extension `{}`, so write it as `{}:{}`",
                        label(path),
                        schema.id(),
                        schema.id(),
                        label(path)
                    ),
                ));
            }
        }
        let slip = match &path.urn {
            Some(urn) => view.suggestion(&[urn.as_str(), ":", &path.name].concat()),
            None => view.suggestion(&path.name),
        };
        Err(fail(path, format!("unknown attribute `{}` for resource type `{type_name}`{slip}", excerpt(&path.name))))
    }
}

/// For a comparison on a complex attribute without a sub-attribute: its `value`
/// sub-attribute when the attribute is multi-valued and has one; otherwise an error.
/// `None` when the attribute is not complex.
fn complex_shorthand<'a>(
    path: &AttrPath,
    attribute: &'a Attribute,
    op: CompareOp,
) -> Result<Option<&'a Attribute>, Error> {
    if attribute.kind() != AttributeType::Complex {
        return Ok(None);
    }
    if attribute.multi_valued() {
        if let Some(value) = attribute.sub_attribute("value") {
            return Ok(Some(value));
        }
    }
    let example = attribute
        .sub_attributes()
        .first()
        .map_or_else(String::new, |s| format!(", such as `{}.{}`", label(path), s.name()));
    Err(fail(
        path,
        format!("`{}` is a complex attribute, so `{op}` needs one of its sub-attributes{example}", label(path)),
    ))
}

/// The literal of `path op value` prepared for `attribute`'s type, or why it does not fit.
fn operand(path: &AttrPath, attribute: &Attribute, op: CompareOp, value: &Literal) -> Result<Operand, Error> {
    let kind = attribute.kind();
    if *value == Literal::Null {
        if matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Ok(Operand::Null);
        }
        return Err(fail(path, format!("`null` can only be compared with `eq` or `ne`, not `{op}`")));
    }
    let op_fits = match kind {
        AttributeType::String | AttributeType::Reference => true,
        AttributeType::Integer | AttributeType::Decimal | AttributeType::DateTime => !op.is_substring(),
        AttributeType::Boolean | AttributeType::Binary | AttributeType::Complex => {
            matches!(op, CompareOp::Eq | CompareOp::Ne)
        }
    };
    if !op_fits {
        return Err(fail(path, format!("`{op}` does not apply to `{}`, {} attribute", label(path), kind_phrase(kind))));
    }
    let mismatch = || {
        fail(
            path,
            format!(
                "`{}` is {} attribute and cannot be compared with {}",
                label(path),
                kind_phrase(kind),
                literal_phrase(value)
            ),
        )
    };
    match (kind, value) {
        (AttributeType::String | AttributeType::Reference, Literal::String(s)) => {
            Ok(Operand::Text(Text::new(s, attribute.case_exact())))
        }
        (AttributeType::Binary, Literal::String(s)) => Ok(Operand::Text(Text::new(s, true))),
        (AttributeType::Boolean, Literal::Bool(b)) => Ok(Operand::Bool(*b)),
        (AttributeType::Decimal, Literal::Number(n)) => Ok(Operand::Number(Decimal::new(n.as_str()))),
        (AttributeType::Integer, Literal::Number(n)) => {
            let d = Decimal::new(n.as_str());
            if d.is_integral() {
                Ok(Operand::Number(d))
            } else {
                Err(fail(path, format!("`{}` is an integer attribute and `{}` is not a whole number", label(path), excerpt(n.as_str()))))
            }
        }
        (AttributeType::DateTime, Literal::String(s)) => parse_datetime(s).map(Operand::DateTime).ok_or_else(|| {
            fail(
                path,
                format!(
                    "`{}` is a dateTime attribute and {} is not a dateTime with an offset such as `2011-05-13T04:42:34Z`",
                    label(path),
                    literal_phrase(value)
                ),
            )
        }),
        _ => Err(mismatch()),
    }
}

/// "; did you mean `parent.sub`?" for a sub-attribute name a letter or two off one of
/// `parent`'s, or nothing.
fn sub_slip(parent: &crate::schema::Attribute, name: &str) -> String {
    crate::schema::closest_name(name, parent.sub_attributes().iter().map(crate::schema::Attribute::name))
        .map_or_else(String::new, |n| format!("; did you mean `{}.{n}`?", parent.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;

    fn check(text: &str) -> Result<CheckedFilter, Error> {
        let registry = Registry::builtin();
        let user = registry.resource_type("User").unwrap();
        Filter::parse(text)?.check(&user)
    }

    #[test]
    fn accepts_every_path_form() {
        for ok in [
            r#"userName eq "bjensen""#,
            r#"USERNAME Eq "bjensen""#,
            r#"name.familyName co "O'Malley""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "7""#,
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            r#"emails co "example.com""#,
            r#"emails[type eq "work" and value co "@example.com"]"#,
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"id eq "x" and externalId eq "y" and meta.resourceType eq "User""#,
            "active eq true and emails pr and name pr",
            "emails.primary eq true",
            "title eq null",
            r#"x509Certificates.value eq "AAAA""#,
        ] {
            assert!(check(ok).is_ok(), "{ok}: {:?}", check(ok).err());
        }
    }

    #[test]
    fn refuses_with_a_span_on_the_path() {
        for (bad, start) in [
            (r#"usrName eq "x""#, 0),
            (r#"title pr and employeeNumber eq "7""#, 13),
            (r#"active eq "true""#, 0),
            (r#"meta.created gt "not a date""#, 0),
            (r"active gt true", 0),
            (r#"name eq "x""#, 0),
            (r#"emails[nope eq "x"]"#, 7),
            (r"emails[type eq 1]", 7),
            (r#"userName.x eq "x""#, 0),
            (r#"name[givenName eq "x"] or userName[x pr]"#, 26),
            (r"title gt null", 0),
            (r#"meta.created co "2011""#, 0),
            (r#"x509Certificates.value sw "A""#, 0),
            (r#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x""#, 0),
            (r"name.familyName eq 5", 0),
        ] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.scim_type(), Some(ScimType::InvalidFilter), "{bad}");
            assert_eq!(e.span().map(|s| s.start), Some(start), "{bad}: {}", e.detail());
        }
        let e = check(r#"employeeNumber eq "7""#).unwrap_err();
        assert!(e.detail().contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"));
    }
}
