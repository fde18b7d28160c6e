//! What a PATCH path names, resolved through the registry: an attribute (in the core schema,
//! the common attributes or an extension), optionally a sub-attribute, optionally a filter
//! selecting values of a multi-valued complex attribute — or a whole extension.

use super::journal::Container;
use crate::error::{Error, ScimType, excerpt};
use crate::filter::ElementFilter;
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

/// Resolves `path` (text as the request gives it) for resource type `rt`.
///
/// # Errors
/// `invalidPath` when the path is malformed or names no attribute of the type, or filters an
/// attribute that is not multi-valued and complex; `invalidFilter`-class problems of the value
/// filter are reported as `invalidPath` too, as RFC 7644 §3.5.2 asks.
pub(crate) fn resolve<'r>(rt: &ResourceTypeView<'r>, text: &str) -> Result<Target<'r>, Error> {
    if let Some(found) = quick(rt, text) {
        return Ok(found);
    }
    // Most paths have no value filter: read them as plain attribute paths, without the filter
    // parser's machinery.
    let path = if text.contains('[') {
        PatchPath::parse(text)?
    } else {
        PatchPath { attr: AttrPath::parse(text)?, filter: None }
    };
    if let Some(ext) = path.extension(rt) {
        return Ok(Target::Extension(ext));
    }
    resolve_parsed(rt, path, text)
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

pub(crate) fn resolve_parsed<'r>(rt: &ResourceTypeView<'r>, path: PatchPath, text: &str) -> Result<Target<'r>, Error> {
    let rt_name = rt.definition().name();
    let (container, attr, enterprise) = match &path.attr.urn {
        None => {
            let found = rt
                .attribute(&path.attr.name)
                .ok_or_else(|| invalid_path(format!("`{}` is not an attribute of `{rt_name}`", excerpt(text))))?;
            (Container::Top, found.attribute, false)
        }
        Some(urn) => {
            if urn.eq_ignore_ascii_case(rt.core_schema().id()) {
                let found = rt
                    .attribute(&path.attr.name)
                    .ok_or_else(|| invalid_path(format!("`{}` is not an attribute of `{rt_name}`", excerpt(text))))?;
                (Container::Top, found.attribute, false)
            } else if let Some((ext, _)) = rt.extension(urn) {
                let attr = ext.attribute(&path.attr.name).ok_or_else(|| {
                    invalid_path(format!("`{}` is not an attribute of `{}`", excerpt(text), ext.id()))
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
        Some(name) => Some(
            attr.sub_attribute(name)
                .ok_or_else(|| invalid_path(format!("`{}` has no sub-attribute `{}`", attr.name(), excerpt(name))))?,
        ),
    };
    let filter = match path.filter {
        None => None,
        Some(filter) => {
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
    Ok(Target::Attribute(AttrTarget { container, attr, sub, filter, enterprise }))
}
