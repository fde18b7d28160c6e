//! A value filter on its own, for PATCH paths: `emails[type eq "work"]` selects values of
//! `emails`, so its condition is evaluated against one value at a time.

use serde_json::Value;

use super::ast::Filter;
use super::check::check_condition_in;
use super::compiled::Node;
use super::eval::eval;
use crate::error::{Error, ErrorKind};
use crate::path::AttrPath;
use crate::schema::{Attribute, AttributeType, ResourceTypeView};

/// The condition of `attr[condition]`, checked against `attr`'s sub-attributes and ready to
/// test single values.
#[derive(Debug, Clone)]
pub struct ElementFilter {
    inner: Node,
    /// The values are simple (`tags[value eq "red"]`): each is tested as `{"value": …}`.
    simple: bool,
}

impl ElementFilter {
    /// Checks `condition` as the filter of a value path on `attr` (a multi-valued complex
    /// attribute of `view`).
    ///
    /// # Errors
    /// `invalidFilter` as [`Filter::check`] gives it.
    pub fn compile(view: &ResourceTypeView<'_>, attr: &AttrPath, condition: &Filter) -> Result<Self, Error> {
        Self::compile_owned(view, attr.clone(), condition.clone()).map(|(compiled, _)| compiled)
    }

    /// [`ElementFilter::compile`] taking the path and condition by value (no copies), giving
    /// the condition back beside the compiled filter.
    pub(crate) fn compile_owned(
        view: &ResourceTypeView<'_>,
        attr: AttrPath,
        condition: Filter,
    ) -> Result<(Self, Filter), Error> {
        let whole = Filter::ValuePath { path: attr, filter: Box::new(condition) };
        let root = whole.check_root(view)?;
        match (root, whole) {
            (Node::ValuePath(vp), Filter::ValuePath { filter, .. }) => {
                Ok((Self { inner: vp.inner, simple: false }, *filter))
            }
            _ => Err(Error::new(ErrorKind::Internal, "a value path did not check as a value path")),
        }
    }

    /// The condition of `attr[condition]` for a simple multi-valued `attr` (`tags`): it may
    /// name only `value`, which stands for each value itself, compared as `attr` compares
    /// (RFC 7644 §3.5.2.2: a filter "comparing a value" selects the values to remove).
    pub(crate) fn compile_simple(
        view: &ResourceTypeView<'_>,
        attr: &Attribute,
        condition: Filter,
    ) -> Result<(Self, Filter), Error> {
        let mut value = attr.clone();
        "value".clone_into(&mut value.name);
        value.multi_valued = false;
        let mut parent = Attribute::new(attr.name(), AttributeType::Complex);
        parent.multi_valued = true;
        parent.sub_attributes = vec![value];
        let inner = check_condition_in(view, &parent, &condition)?;
        Ok((Self { inner, simple: true }, condition))
    }

    /// Whether the value `element` (an object; for a simple attribute, any value) satisfies
    /// the condition.
    pub fn matches(&self, element: &Value) -> bool {
        if self.simple {
            let mut wrapped = serde_json::Map::new();
            wrapped.insert("value".to_owned(), element.clone());
            let wrapped = Value::Object(wrapped);
            return eval(&self.inner, &wrapped, &wrapped);
        }
        element.is_object() && eval(&self.inner, element, element)
    }
}
