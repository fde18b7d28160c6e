//! A value filter on its own, for PATCH paths: `emails[type eq "work"]` selects values of
//! `emails`, so its condition is evaluated against one value at a time.

use serde_json::Value;

use super::ast::Filter;
use super::compiled::Node;
use super::eval::eval;
use crate::error::{Error, ErrorKind};
use crate::path::AttrPath;
use crate::schema::ResourceTypeView;

/// The condition of `attr[condition]`, checked against `attr`'s sub-attributes and ready to
/// test single values.
#[derive(Debug, Clone)]
pub struct ElementFilter {
    inner: Node,
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
            (Node::ValuePath(vp), Filter::ValuePath { filter, .. }) => Ok((Self { inner: vp.inner }, *filter)),
            _ => Err(Error::new(ErrorKind::Internal, "a value path did not check as a value path")),
        }
    }

    /// Whether the value `element` (an object) satisfies the condition.
    pub fn matches(&self, element: &Value) -> bool {
        element.is_object() && eval(&self.inner, element, element)
    }
}
