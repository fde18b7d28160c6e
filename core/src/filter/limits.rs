//! Bounds on filter and path text, each checked before work proportional to the input: the
//! length before lexing, the nesting depth by a scan before parsing, and the number of
//! comparisons while parsing, before each new one is built.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ScimType, Span};

/// Bounds on a filter (or a PATCH path's value filter). Every limit has a fixed error naming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FilterLimits {
    /// Longest text, in bytes.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_length: usize,
    /// Deepest nesting of `(…)`, `not (…)` and `[…]`. Values above
    /// [`FilterLimits::DEPTH_CEILING`] are treated as the ceiling.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_depth: usize,
    /// Most comparisons (`eq`, `pr`, …) in one filter.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_comparisons: usize,
}

impl FilterLimits {
    /// The hard ceiling on `max_depth`, well inside the stack the parser, the evaluator and
    /// the drop of a filter tree need per level.
    pub const DEPTH_CEILING: usize = 256;

    /// `max_depth`, capped at [`FilterLimits::DEPTH_CEILING`].
    pub const fn depth(&self) -> usize {
        if self.max_depth > Self::DEPTH_CEILING { Self::DEPTH_CEILING } else { self.max_depth }
    }
}

impl Default for FilterLimits {
    fn default() -> Self {
        Self { max_length: 8192, max_depth: 32, max_comparisons: 256 }
    }
}

/// What is being read, for messages and the error type: a filter (`invalidFilter`) or a
/// PATCH path (`invalidPath`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A `filter` parameter.
    Filter,
    /// A PATCH `path` or an attribute path.
    Path,
}

impl Subject {
    /// The `scimType` of errors in this subject.
    pub(crate) const fn scim_type(self) -> ScimType {
        match self {
            Self::Filter => ScimType::InvalidFilter,
            Self::Path => ScimType::InvalidPath,
        }
    }

    /// The word for the text in messages.
    pub(crate) const fn noun(self) -> &'static str {
        match self {
            Self::Filter => "filter",
            Self::Path => "path",
        }
    }

    /// An error of this subject's type at `span`.
    pub(crate) fn error(self, span: Span, detail: impl Into<String>) -> Error {
        Error::new(self.scim_type(), detail).with_span(span)
    }
}

/// Refuses text longer than `max_length`.
pub(crate) fn check_length(text: &str, limits: &FilterLimits, subject: Subject) -> Result<(), Error> {
    if text.len() > limits.max_length {
        return Err(subject.error(
            Span::new(limits.max_length, text.len()),
            format!("the {} is longer than `maxLength` ({} bytes)", subject.noun(), limits.max_length),
        ));
    }
    Ok(())
}

/// Refuses text whose `(` and `[` nest deeper than `max_depth`, by one scan that skips string
/// literals. The parser checks again before each recursion; this scan makes the limit error
/// win over any syntax error later in the text.
pub(crate) fn check_depth(text: &str, limits: &FilterLimits, subject: Subject) -> Result<(), Error> {
    let max = limits.depth();
    let opening = |chunk: &[u8]| chunk.iter().fold(0_u32, |n, &b| n + u32::from(b == b'(' || b == b'['));
    if text.as_bytes().chunks(1 << 16).map(|c| opening(c) as usize).sum::<usize>() <= max {
        return Ok(());
    }
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for (at, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'(' | b'[' => {
                depth += 1;
                if depth > max {
                    return Err(too_deep(Span::new(at, at + 1), limits, subject));
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The error for nesting deeper than `max_depth`.
pub(crate) fn too_deep(span: Span, limits: &FilterLimits, subject: Subject) -> Error {
    subject.error(span, format!("the {} nests deeper than `maxDepth` ({})", subject.noun(), limits.depth()))
}

/// The error for more comparisons than `max_comparisons`.
pub(crate) fn too_many_comparisons(span: Span, limits: &FilterLimits, subject: Subject) -> Error {
    subject.error(
        span,
        format!("the {} has more comparisons than `maxComparisons` ({})", subject.noun(), limits.max_comparisons),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_camel_case_names() {
        let l: FilterLimits = serde_json::from_str(r#"{"maxDepth": 4}"#).unwrap();
        assert_eq!(l, FilterLimits { max_depth: 4, ..FilterLimits::default() });
        assert!(serde_json::from_str::<FilterLimits>(r#"{"depth": 4}"#).is_err());
        assert_eq!(FilterLimits { max_depth: 10_000, ..FilterLimits::default() }.depth(), 256);
    }

    #[test]
    fn depth_scan_skips_strings() {
        let l = FilterLimits { max_depth: 2, ..FilterLimits::default() };
        assert!(check_depth(r#"((a eq "((((\"((") )"#, &l, Subject::Filter).is_ok());
        let e = check_depth("(((a pr)))", &l, Subject::Filter).unwrap_err();
        assert_eq!(e.span(), Some(Span::new(2, 3)));
        assert_eq!(e.scim_type(), Some(ScimType::InvalidFilter));
        assert!(check_depth("a[b[c[d pr]]]", &l, Subject::Path).is_err());
    }

    #[test]
    fn length_is_checked_in_bytes() {
        let l = FilterLimits { max_length: 4, ..FilterLimits::default() };
        assert!(check_length("a pr", &l, Subject::Filter).is_ok());
        assert!(check_length("é pr", &l, Subject::Filter).is_err());
    }
}
