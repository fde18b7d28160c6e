//! SCIM filters (RFC 7644 §3.4.2.2): parse, print, check against a schema, evaluate.
//!
//! ```
//! use scimkit::{Filter, Registry};
//! use serde_json::json;
//!
//! let filter = Filter::parse(r#"userName Eq "BJENSEN" and emails[type eq "work"]"#)?;
//! assert_eq!(filter.to_string(), r#"userName eq "BJENSEN" and emails[type eq "work"]"#);
//!
//! let registry = Registry::builtin();
//! let checked = filter.check(&registry.require_resource_type("User")?)?;
//! let user = json!({"userName": "bjensen", "emails": [{"type": "work", "value": "b@x.com"}]});
//! assert!(checked.matches(&user));
//! # Ok::<(), scimkit::Error>(())
//! ```
//!
//! Parsing checks the [`FilterLimits`] first, then reads the grammar; a parsed [`Filter`] is
//! always well formed and at most `maxDepth` deep, so no input can overflow the stack when it
//! is parsed, printed, checked, evaluated or dropped. [`Filter::check`] resolves every path
//! against a resource type (see its rules there); [`Filter::without_schema`] evaluates with
//! documented defaults when there is no schema. A [`ResourceSet`] holds resources to filter many
//! times: it keeps the values of each attribute a filter names, read out once, and matches
//! exactly what [`CheckedFilter::matches`] matches.

mod ast;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod compiled;
mod element;
pub(crate) mod eval;
pub(crate) mod lexer;
pub(crate) mod limits;
pub(crate) mod parser;
mod set;

use std::str::FromStr;

use serde_json::Value;

pub use ast::{CompareOp, Filter, Literal, Number};
pub use compiled::CheckedFilter;
pub use element::ElementFilter;
pub use limits::FilterLimits;
pub use set::ResourceSet;

use crate::error::Error;

impl Filter {
    /// Parses a filter with the default [`FilterLimits`].
    ///
    /// # Errors
    /// `invalidFilter` with the span of the problem and a message saying what was expected.
    pub fn parse(text: &str) -> Result<Self, Error> {
        parser::parse_filter(text, &FilterLimits::default())
    }

    /// Parses a filter within `limits`.
    ///
    /// # Errors
    /// `invalidFilter` with the span of the problem; a limit exceeded has a fixed message
    /// naming the limit.
    pub fn parse_with(text: &str, limits: &FilterLimits) -> Result<Self, Error> {
        parser::parse_filter(text, limits)
    }

    /// [`Filter::parse_with`], also reading a sub-attribute after `]` —
    /// `emails[type eq "work"].value eq "x"`, which the grammar allows only in PATCH paths —
    /// as `emails[type eq "work" and value eq "x"]` (the rule `filterSubAttribute`). Gives the
    /// filter and whether that form was read.
    ///
    /// # Errors
    /// As [`Filter::parse_with`].
    pub fn parse_with_sub_attributes(text: &str, limits: &FilterLimits) -> Result<(Self, bool), Error> {
        parser::parse_filter_with_sub_attributes(text, limits)
    }

    /// Whether `resource` matches, without a schema (see [`Filter::without_schema`] for the
    /// defaults). To match many resources, prepare the filter once with
    /// [`Filter::without_schema`] or [`Filter::check`].
    pub fn matches(&self, resource: &Value) -> bool {
        self.without_schema().matches(resource)
    }
}

impl FromStr for Filter {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests;
