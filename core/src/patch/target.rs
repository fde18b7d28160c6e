//! What a PATCH path names, resolved through the registry: an attribute (in the core schema,
//! the common attributes or an extension), optionally a sub-attribute, optionally a filter
//! selecting values of a multi-valued complex attribute — or a whole extension.

use super::journal::Container;
use crate::error::{Error, ScimType, excerpt};
use crate::filter::{CompareOp, ElementFilter, Filter, FilterLimits, Literal};
use crate::path::{AttrPath, PatchPath};
use crate::schema::{Attribute, AttributeType, ResourceTypeView, Schema};

/// A resolved PATCH target.
pub(crate) enum Target<'r> {
    /// A whole extension (`urn:…:enterprise:2.0:User`).
    Extension(&'r Schema),
    /// An attribute, maybe narrowed.
    Attribute(AttrTarget<'r>),
}

/// An attribute target.
pub(crate) struct AttrTarget<'r> {
    /// Where the attribute sits.
    pub container: Container<'r>,
    /// The top-level attribute.
    pub attr: &'r Attribute,
    /// The sub-attribute (`name.givenName`, `emails[…].value`).
    pub sub: Option<&'r Attribute>,
    /// The value filter (`emails[type eq "work"]`) and its source.
    pub filter: Option<Box<(ElementFilter, crate::filter::Filter)>>,
    /// Whether the attribute belongs to the `EnterpriseUser` extension.
    pub enterprise: bool,
}

impl<'r> AttrTarget<'r> {
    /// The same attribute's sub-attribute `sub`, without a filter: for change records of
    /// sub-attributes a whole-value write removes.
    pub fn with_sub(&self, sub: &'r Attribute) -> Self {
        Self { container: self.container, attr: self.attr, sub: Some(sub), filter: None, enterprise: self.enterprise }
    }

    /// The whole attribute (no sub-attribute, no filter), for change records of whole values.
    pub fn whole(&self) -> Self {
        Self { container: self.container, attr: self.attr, sub: None, filter: None, enterprise: self.enterprise }
    }

    /// The attribute without its sub-attribute, for change records about whole values.
    pub fn attr_display(&self) -> String {
        match self.container {
            Container::Ext(urn) => [urn, ":", self.attr.name()].concat(),
            Container::Top => self.attr.name().to_owned(),
        }
    }

    /// The path in canonical spelling, for change records: `emails`, `name.givenName`,
    /// `urn:…:User:manager.value`.
    pub fn display(&self) -> String {
        let urn_len = match self.container {
            Container::Ext(urn) => urn.len() + 1,
            Container::Top => 0,
        };
        let sub_len = self.sub.map_or(0, |s| s.name().len() + 1);
        let mut out = String::with_capacity(urn_len + self.attr.name().len() + sub_len);
        if let Container::Ext(urn) = self.container {
            out.push_str(urn);
            out.push(':');
        }
        out.push_str(self.attr.name());
        if let Some(sub) = self.sub {
            out.push('.');
            out.push_str(sub.name());
        }
        out
    }
}

fn invalid_path(detail: String) -> Error {
    Error::new(ScimType::InvalidPath, detail)
}

/// Resolves `path` (text as the request gives it) for resource type `rt`, reading the strings
/// `"True"`/`"False"` (any case) compared with a boolean sub-attribute in the value filter as
/// booleans when `string_booleans` is on (the rule of that name: Entra ID's app role paths are
/// `roles[primary eq "True"].value`). Gives the target and, when the rule fired, what it read.
///
/// # Errors
/// `invalidPath` when the path is malformed or names no attribute of the type, or filters an
/// attribute that is not multi-valued and complex; `invalidFilter`-class problems of the value
/// filter are reported as `invalidPath` too, as RFC 7644 §3.5.2 asks.
pub(crate) fn resolve_reading<'r>(
    rt: &ResourceTypeView<'r>,
    text: &str,
    string_booleans: bool,
) -> Result<(Target<'r>, Option<String>), Error> {
    if let Some(found) = quick(rt, text) {
        return Ok((found, None));
    }
    // Most paths have no value filter: read them as plain attribute paths, without the filter
    // parser's machinery.
    let path = if text.contains('[') {
        PatchPath::parse(text)?
    } else {
        PatchPath { attr: AttrPath::parse(text)?, filter: None }
    };
    if let Some(ext) = path.extension(rt) {
        return Ok((Target::Extension(ext), None));
    }
    resolve_parsed(rt, path, text, string_booleans)
}

/// Rewrites, in the value filter of multi-valued `attribute`, each `sub eq "True"` (or `ne`,
/// any case of `true`/`false`) whose `sub` is a boolean sub-attribute (for a simple boolean
/// attribute, `value`) into the boolean; what it read, for the quirk note. `depth` bounds the
/// walk (a filter's depth is already bounded by the parser's limits).
fn booleans_in(filter: &mut Filter, attribute: &Attribute, depth: usize) -> Option<String> {
    if depth > FilterLimits::DEPTH_CEILING {
        return None;
    }
    match filter {
        Filter::Compare { path, op: CompareOp::Eq | CompareOp::Ne, value } => {
            let Literal::String(text) = value else { return None };
            let boolean = if text.eq_ignore_ascii_case("true") {
                true
            } else if text.eq_ignore_ascii_case("false") {
                false
            } else {
                return None;
            };
            let target = if attribute.kind() == AttributeType::Complex {
                attribute.sub_attribute(&path.name)
            } else {
                Some(attribute).filter(|_| path.name.eq_ignore_ascii_case("value"))
            };
            if !target.is_some_and(|t| t.kind() == AttributeType::Boolean) || path.sub.is_some() {
                return None;
            }
            let detail = format!("`{}` was compared with the string `{}`, read as {boolean}", path.name, excerpt(text));
            *value = Literal::Bool(boolean);
            Some(detail)
        }
        Filter::And(parts) | Filter::Or(parts) => {
            let mut read = None;
            for part in parts {
                read = booleans_in(part, attribute, depth + 1).or(read);
            }
            read
        }
        Filter::Not(inner) => booleans_in(inner, attribute, depth + 1),
        Filter::Compare { .. } | Filter::Present(_) | Filter::ValuePath { .. } => None,
    }
}

/// The common case without the parser: a plain `name`, `name.sub` or URN-qualified path (or a
/// whole extension URN) that names a known attribute. Anything else — filters, unknown names,
/// malformed text — goes through the parser, which also gives the precise error.
fn quick<'r>(rt: &ResourceTypeView<'r>, text: &str) -> Option<Target<'r>> {
    if text.is_empty()
        || text.bytes().any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'-' | b'_' | b'$')))
    {
        return None;
    }
    let is_urn = text.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
    if is_urn {
        if let Some((ext, _)) = rt.extension(text) {
            return Some(Target::Extension(ext));
        }
    }
    let (container, rest, enterprise, schema) = if is_urn {
        let (schema, rest) = rt.split_urn(text)?;
        if std::ptr::eq(schema, rt.core_schema()) {
            (Container::Top, rest, false, None)
        } else {
            let enterprise = schema.id().eq_ignore_ascii_case(crate::urn::ENTERPRISE_USER);
            (Container::Ext(schema.id()), rest, enterprise, Some(schema))
        }
    } else {
        (Container::Top, text, false, None)
    };
    let (name, sub) = match rest.split_once('.') {
        Some((n, s)) => (n, Some(s)),
        None => (rest, None),
    };
    let attr = match schema {
        Some(s) => s.attribute(name)?,
        None => rt.attribute(name)?.attribute,
    };
    let sub = match sub {
        Some(s) => Some(attr.sub_attribute(s)?),
        None => None,
    };
    Some(Target::Attribute(AttrTarget { container, attr, sub, filter: None, enterprise }))
}

/// [`resolve_reading`] after the path is parsed and is no whole extension.
fn resolve_parsed<'r>(
    rt: &ResourceTypeView<'r>,
    path: PatchPath,
    text: &str,
    string_booleans: bool,
) -> Result<(Target<'r>, Option<String>), Error> {
    let rt_name = rt.definition().name();
    let (container, attr, enterprise) = match &path.attr.urn {
        None => {
            let found = rt.attribute(&path.attr.name).ok_or_else(|| {
                let hint = rt.unqualified_hint(&path.attr.name);
                let slip = if hint.is_empty() { rt.suggestion(&path.attr.name) } else { String::new() };
                invalid_path(format!("`{}` is not an attribute of `{rt_name}`{hint}{slip}", excerpt(text)))
            })?;
            (Container::Top, found.attribute, false)
        }
        Some(urn) => {
            if urn.eq_ignore_ascii_case(rt.core_schema().id()) {
                let found = rt.attribute(&path.attr.name).ok_or_else(|| {
                    let slip = rt.suggestion(&[urn, ":", &path.attr.name].concat());
                    invalid_path(format!("`{}` is not an attribute of `{rt_name}`{slip}", excerpt(text)))
                })?;
                (Container::Top, found.attribute, false)
            } else if let Some((ext, _)) = rt.extension(urn) {
                let attr = ext.attribute(&path.attr.name).ok_or_else(|| {
                    let slip = rt.suggestion(&[urn, ":", &path.attr.name].concat());
                    invalid_path(format!("`{}` is not an attribute of `{}`{slip}", excerpt(text), ext.id()))
                })?;
                let enterprise = ext.id().eq_ignore_ascii_case(crate::urn::ENTERPRISE_USER);
                (Container::Ext(ext.id()), attr, enterprise)
            } else {
                return Err(invalid_path(format!(
                    "`{}` is not the schema or an extension of `{rt_name}`",
                    excerpt(urn)
                )));
            }
        }
    };
    let sub = match &path.attr.sub {
        None => None,
        Some(name) => Some(attr.sub_attribute(name).ok_or_else(|| {
            let slip = crate::schema::closest_name(name, attr.sub_attributes().iter().map(Attribute::name))
                .map_or_else(String::new, |n| format!("; did you mean `{}.{n}`?", attr.name()));
            invalid_path(format!("`{}` has no sub-attribute `{}`{slip}", attr.name(), excerpt(name)))
        })?),
    };
    let mut read = None;
    let filter = match path.filter {
        None => None,
        Some(mut filter) => {
            if string_booleans {
                // The attribute the filter selects values of is found just above: the rule
                // reads its boolean sub-attributes' literals before the filter is checked.
                read = booleans_in(&mut filter, attr, 0);
            }
            if !attr.multi_valued() {
                return Err(invalid_path(format!(
                    "`{}` is not a multi-valued attribute, so it takes no `[…]` filter",
                    attr.name()
                )));
            }
            let compiled = if attr.kind() == AttributeType::Complex {
                let base = AttrPath::new(path.attr.urn.as_deref(), &path.attr.name, None);
                ElementFilter::compile_owned(rt, base, filter)
            } else {
                ElementFilter::compile_simple(rt, attr, filter)
            };
            Some(Box::new(compiled.map_err(|e| Error::new(ScimType::InvalidPath, e.detail().to_owned()))?))
        }
    };
    Ok((Target::Attribute(AttrTarget { container, attr, sub, filter, enterprise }), read))
}
