//! Evaluating a checked filter against a resource held as a `serde_json::Value`.

use std::borrow::Borrow;

use serde_json::Value;

use super::ast::CompareOp;
use super::compare::{cmp_number, holds, text_holds};
use super::compiled::{CheckedFilter, Comparison, Node, Operand, Scope, Target};
use crate::value::{Instant, parse_datetime};

impl CheckedFilter {
    /// Whether `resource` matches.
    ///
    /// Semantics:
    /// - A multi-valued attribute matches when any of its values matches; `emails.value eq "x"`
    ///   without brackets looks at every email.
    /// - In a value path, all conditions hold for the same value: `emails[type eq "work" and
    ///   value ew "@x.com"]` does not match a work email beside another one ending in `@x.com`.
    /// - `ne` is `not eq`: `title ne "x"` matches a resource without a title, and
    ///   `emails.type ne "work"` matches when no email has type `work`.
    /// - `gt`, `ge`, `lt`, `le`, `co`, `sw`, `ew` on an absent attribute do not match.
    /// - `pr` is false for an absent attribute, `null`, `""`, `[]`, `{}`, and an array or object
    ///   holding only such values (RFC 7644 asks for a "non-empty" value).
    /// - A value of another JSON type than the attribute's (a number where a string belongs)
    ///   never matches; a dateTime string that does not parse never matches.
    /// - Member names are matched exactly first, then in any ASCII case; extension attributes
    ///   live under the member named by the extension URN.
    pub fn matches(&self, resource: &Value) -> bool {
        eval(&self.root, resource, resource)
    }
}

/// How deep `pr` looks into nested arrays and objects before calling a value present.
pub(crate) const PRESENCE_DEPTH: usize = 4;

pub(crate) fn eval(node: &Node, resource: &Value, element: &Value) -> bool {
    match node {
        Node::And(items) => items.iter().all(|n| eval(n, resource, element)),
        Node::Or(items) => items.iter().any(|n| eval(n, resource, element)),
        Node::Not(inner) => !eval(inner, resource, element),
        Node::Present(target) => present(target, resource, element),
        Node::Compare(c) => compare(c, resource, element),
        Node::ValuePath(vp) => attribute(&vp.target, resource, element)
            .is_some_and(|v| each(v, &mut |item| item.is_object() && eval(&vp.inner, resource, item))),
    }
}

fn compare(c: &Comparison, resource: &Value, element: &Value) -> bool {
    match (&c.operand, c.op) {
        (Operand::Null, CompareOp::Eq) => !present(&c.target, resource, element),
        (Operand::Null, _) => present(&c.target, resource, element),
        (operand, CompareOp::Ne) => {
            !values(&c.target, resource, element, &mut |v| scalar_holds(CompareOp::Eq, v, operand))
        }
        (operand, op) => values(&c.target, resource, element, &mut |v| scalar_holds(op, v, operand)),
    }
}

/// Whether one attribute value satisfies `op` against the literal.
pub(crate) fn scalar_holds(op: CompareOp, value: &Value, operand: &Operand) -> bool {
    match value {
        Value::String(s) => string_holds(op, s, || parse_datetime(s), operand),
        other => other_holds(op, other, operand),
    }
}

/// [`scalar_holds`] for a string value; `instant` gives the value read as a dateTime (asked
/// for only when the comparison needs it), so a caller holding it already passes it in.
#[inline]
pub(crate) fn string_holds<I: Borrow<Instant>>(
    op: CompareOp,
    s: &str,
    instant: impl FnOnce() -> Option<I>,
    operand: &Operand,
) -> bool {
    match operand {
        Operand::Text(t) => text_holds(op, s, t),
        Operand::DateTime(at) => instant().is_some_and(|mine| holds(op, mine.borrow().cmp(at))),
        Operand::Untyped { text, instant: theirs } => match theirs.as_ref().filter(|_| !op.is_substring()) {
            Some(theirs) => match instant() {
                Some(mine) => holds(op, mine.borrow().cmp(theirs)),
                None => text_holds(op, s, text),
            },
            None => text_holds(op, s, text),
        },
        Operand::Bool(_) | Operand::Number(_) | Operand::Null => false,
    }
}

/// [`scalar_holds`] for a value that is not a string.
#[inline]
pub(crate) fn other_holds(op: CompareOp, value: &Value, operand: &Operand) -> bool {
    match operand {
        Operand::Bool(b) => op == CompareOp::Eq && value.as_bool() == Some(*b),
        Operand::Number(d) => match value {
            Value::Number(n) => holds(op, cmp_number(n, d)),
            _ => false,
        },
        Operand::Text(_) | Operand::DateTime(_) | Operand::Untyped { .. } | Operand::Null => false,
    }
}

fn present(target: &Target, resource: &Value, element: &Value) -> bool {
    values(target, resource, element, &mut |v| is_present(v, PRESENCE_DEPTH))
}

/// Whether an attribute's value (an array: any of its items) is present, as `pr` sees it.
pub(crate) fn value_present(value: &Value) -> bool {
    each(value, &mut |v| is_present(v, PRESENCE_DEPTH))
}

/// Whether one value (an array counts as one value here) is present, as `pr` sees it.
pub(crate) fn item_present(value: &Value) -> bool {
    is_present(value, PRESENCE_DEPTH)
}

/// RFC 7644 §3.4.2.2 `pr`: a non-empty value.
pub(crate) fn is_present(value: &Value, depth: usize) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
        _ if depth == 0 => true,
        Value::Array(items) => items.iter().any(|v| is_present(v, depth - 1)),
        Value::Object(members) => members.values().any(|v| is_present(v, depth - 1)),
    }
}

/// The member `key` of `value`: the exact name if there is one, else the first in any ASCII
/// case. One pass that compares lengths (held beside each key) before touching key text: on a
/// resource far from the CPU cache this beats the map's own search, which reads the text of
/// every key it passes.
pub(crate) fn member<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let map = value.as_object()?;
    let mut folded = None;
    for (k, v) in map.iter().filter(|(k, _)| k.len() == key.len()) {
        if k == key {
            return Some(v);
        }
        if folded.is_none() && k.eq_ignore_ascii_case(key) {
            folded = Some(v);
        }
    }
    folded
}

/// The value of the target's attribute (not yet its sub-attribute).
pub(crate) fn attribute<'v>(target: &Target, resource: &'v Value, element: &'v Value) -> Option<&'v Value> {
    let holder = match &target.scope {
        Scope::Resource => resource,
        Scope::Element => element,
        Scope::Extension(urn) => member(resource, urn)?,
        Scope::ExtensionOrResource(urn) => member(resource, urn).filter(|v| v.is_object()).unwrap_or(resource),
    };
    member(holder, &target.name)
}

/// `f` over each item of an array, or over the value itself; whether any returned true.
fn each(value: &Value, f: &mut dyn FnMut(&Value) -> bool) -> bool {
    match value {
        Value::Array(items) => items.iter().any(&mut *f),
        other => f(other),
    }
}

/// `f` over every value the target names; whether any returned true.
pub(crate) fn values(target: &Target, resource: &Value, element: &Value, f: &mut dyn FnMut(&Value) -> bool) -> bool {
    let Some(value) = attribute(target, resource, element) else {
        return false;
    };
    match &target.sub {
        Some(sub) => each(value, &mut |item| member(item, sub).is_some_and(|v| each(v, f))),
        None if target.value_of_objects => each(value, &mut |item| match item {
            Value::Object(_) => member(item, "value").is_some_and(&mut *f),
            other => f(other),
        }),
        None => each(value, f),
    }
}

#[cfg(test)]
mod tests;
