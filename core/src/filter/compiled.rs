//! A filter ready to evaluate: every path resolved to where its values sit in a resource, and
//! every literal in the form its comparison needs (folded string, instant, decimal), computed
//! once. [`Filter::check`] builds one against a resource type; [`Filter::without_schema`]
//! builds one with the schema-less defaults.

use std::fmt;

use super::ast::{CompareOp, Filter, Literal};
use super::compare::{Decimal, Text};
use crate::value::{Instant, parse_datetime};

/// A filter whose paths are resolved and whose literals are prepared, ready to match resources
/// with [`CheckedFilter::matches`]. It owns everything it needs (no borrow of a registry), so
/// it can be kept, cloned and shared between threads.
#[derive(Debug, Clone)]
pub struct CheckedFilter {
    pub(crate) filter: Filter,
    pub(crate) root: Node,
}

impl CheckedFilter {
    /// The filter as parsed.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
}

/// The canonical form of the filter.
impl fmt::Display for CheckedFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.filter.fmt(f)
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Compare(Box<Comparison>),
    Present(Target),
    ValuePath(Box<ValuePathNode>),
}

#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub(crate) target: Target,
    pub(crate) op: CompareOp,
    pub(crate) operand: Operand,
}

#[derive(Debug, Clone)]
pub(crate) struct ValuePathNode {
    /// The complex attribute whose values are tried one by one.
    pub(crate) target: Target,
    /// The condition, with [`Scope::Element`] targets.
    pub(crate) inner: Node,
}

/// Where an attribute's values are in a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub(crate) scope: Scope,
    /// The attribute's member name (matched exactly first, then in any ASCII case).
    pub(crate) name: Box<str>,
    /// The sub-attribute's member name, in each value of the attribute.
    pub(crate) sub: Option<Box<str>>,
    /// Without a schema: compare the `value` member of object values (`emails eq "x"`).
    pub(crate) value_of_objects: bool,
}

/// Which object holds the attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// The resource itself (core and common attributes).
    Resource,
    /// The extension object under this URN member of the resource.
    Extension(Box<str>),
    /// Without a schema: the object under this URN member when there is one, else the resource.
    ExtensionOrResource(Box<str>),
    /// The value of a complex attribute a value path is trying.
    Element,
}

/// A literal in the form its comparison needs.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    /// `eq null` / `ne null`: compared with presence.
    Null,
    Bool(bool),
    Number(Decimal),
    /// A string for a string, reference or binary attribute.
    Text(Text),
    DateTime(Instant),
    /// Without a schema: a string, and its instant when it is a dateTime.
    Untyped {
        text: Text,
        instant: Option<Instant>,
    },
}

impl Filter {
    /// This filter ready to evaluate without a schema, with these documented defaults:
    /// strings compare case-insensitively (RFC 7643 §2.2, `caseExact` defaults to false);
    /// numbers compare exactly; two strings that both read as dateTime compare as instants,
    /// other strings as strings; `true`/`false` match only with `eq` and `ne`; a value of
    /// another JSON type than the literal never matches; a comparison on an attribute whose
    /// values are objects compares their `value` member (`emails eq "x"`); a URN-qualified path looks under the resource's member for that URN
    /// when it is an object, else at the top level (so core URNs work).
    pub fn without_schema(&self) -> CheckedFilter {
        CheckedFilter { filter: self.clone(), root: untyped(self, false) }
    }
}

fn untyped_target(path: &crate::path::AttrPath, in_value_path: bool, value_of_objects: bool) -> Target {
    let scope = match (&path.urn, in_value_path) {
        (_, true) => Scope::Element,
        (Some(urn), false) => Scope::ExtensionOrResource(urn.as_str().into()),
        (None, false) => Scope::Resource,
    };
    Target { scope, name: path.name.as_str().into(), sub: path.sub.as_deref().map(Into::into), value_of_objects }
}

fn untyped(filter: &Filter, in_value_path: bool) -> Node {
    match filter {
        Filter::Compare { path, op, value } => {
            let operand = match value {
                Literal::String(s) => Operand::Untyped { text: Text::new(s, false), instant: parse_datetime(s) },
                Literal::Number(n) => Operand::Number(Decimal::new(n.as_str())),
                Literal::Bool(b) => Operand::Bool(*b),
                Literal::Null => Operand::Null,
            };
            let target = untyped_target(path, in_value_path, path.sub.is_none());
            Node::Compare(Box::new(Comparison { target, op: *op, operand }))
        }
        Filter::Present(path) => Node::Present(untyped_target(path, in_value_path, false)),
        Filter::And(items) => Node::And(items.iter().map(|f| untyped(f, in_value_path)).collect()),
        Filter::Or(items) => Node::Or(items.iter().map(|f| untyped(f, in_value_path)).collect()),
        Filter::Not(inner) => Node::Not(Box::new(untyped(inner, in_value_path))),
        Filter::ValuePath { path, filter } => Node::ValuePath(Box::new(ValuePathNode {
            target: untyped_target(path, in_value_path, false),
            inner: untyped(filter, true),
        })),
    }
}
