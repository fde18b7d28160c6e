//! Errors as data: every failure scimkit reports is an [`Error`] with a kind (and so an HTTP
//! status and, for 400/409 errors, a SCIM `scimType`), a JSON-pointer location into the input,
//! an optional span into a string (filters, paths) and a short human detail.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::validate::Note;

/// The `scimType` values of RFC 7644 §3.12, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScimType {
    /// The filter syntax is invalid or the filter names an attribute it may not use.
    InvalidFilter,
    /// The filter yields (or the request asks for) more than the server will process.
    TooMany,
    /// One or more attribute values are already in use or reserved.
    Uniqueness,
    /// The attempted modification is not compatible with the attribute's mutability.
    Mutability,
    /// The request body is not well formed or does not follow the request schema.
    InvalidSyntax,
    /// The `path` attribute is invalid or malformed.
    InvalidPath,
    /// The path or filter matched no attribute or value to operate on.
    NoTarget,
    /// A required value is missing or a value does not fit the attribute.
    InvalidValue,
    /// The protocol version is not supported.
    InvalidVers,
    /// The request carries sensitive information where it may not (e.g. in a URI).
    Sensitive,
}

impl ScimType {
    /// Every value, in RFC order.
    pub const ALL: [Self; 10] = [
        Self::InvalidFilter,
        Self::TooMany,
        Self::Uniqueness,
        Self::Mutability,
        Self::InvalidSyntax,
        Self::InvalidPath,
        Self::NoTarget,
        Self::InvalidValue,
        Self::InvalidVers,
        Self::Sensitive,
    ];

    /// The wire spelling (`invalidFilter`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }

    /// The HTTP status RFC 7644 pairs with this type (§3.12; §3.3 for `uniqueness`, §7.5.2
    /// for `sensitive`).
    pub const fn status(self) -> u16 {
        match self {
            Self::Uniqueness => 409,
            Self::InvalidFilter
            | Self::TooMany
            | Self::Mutability
            | Self::InvalidSyntax
            | Self::InvalidPath
            | Self::NoTarget
            | Self::InvalidValue
            | Self::InvalidVers => 400,
            // §3.12 lists it among the 400s, but §7.5.2, the rule for the case it names
            // (personal data in a request URI), answers 403 — as erratum 6893 corrects the
            // example's body to.
            Self::Sensitive => 403,
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string is not one of a closed set of names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{found}`, expected one of {expected}")]
pub struct UnknownName {
    what: &'static str,
    found: String,
    expected: &'static str,
}

impl UnknownName {
    /// A new error for `found`, which is not a known `what`.
    pub fn new(what: &'static str, found: &str, expected: &'static str) -> Self {
        Self { what, found: excerpt(found), expected }
    }
}

impl From<UnknownName> for Error {
    fn from(e: UnknownName) -> Self {
        Error::new(ScimType::InvalidValue, e.to_string())
    }
}

impl FromStr for ScimType {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                UnknownName::new(
                    "scimType",
                    s,
                    "invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue, invalidVers, sensitive",
                )
            })
    }
}

/// What went wrong: a SCIM `scimType` (status 400 or 409), one of the HTTP statuses a SCIM
/// service answers without a `scimType` (those of RFC 7644 §3.12, plus 405 and 415, which
/// every HTTP service needs), or another error status a host reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A detail error with its `scimType`.
    Scim(ScimType),
    /// 401: authorization missing or wrong.
    Unauthorized,
    /// 403: the operation is not permitted.
    Forbidden,
    /// 404: the resource or endpoint does not exist.
    NotFound,
    /// 405: the endpoint does not take this HTTP method (e.g. `DELETE /Schemas`).
    MethodNotAllowed,
    /// 409: the resource changed or already exists (no `scimType`).
    Conflict,
    /// 412: an `If-Match` precondition failed.
    PreconditionFailed,
    /// 413: the request is larger than the server accepts.
    PayloadTooLarge,
    /// 415: the body is not `application/scim+json` or `application/json`.
    UnsupportedMediaType,
    /// 500: the server failed.
    Internal,
    /// 501: the operation is not supported.
    NotImplemented,
    /// Another error status (400–599) without a `scimType`, as a host reported it: a 400 it
    /// gives no `scimType`, a 429, a 503. Only [`crate::protocol::bulk::error_from_value`]
    /// makes one; scimkit's own errors always have one of the kinds above.
    Reported(u16),
}

impl ErrorKind {
    /// The HTTP status of this kind.
    pub const fn status(self) -> u16 {
        match self {
            Self::Scim(t) => t.status(),
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::Internal => 500,
            Self::NotImplemented => 501,
            Self::Reported(status) => status,
        }
    }

    /// The `scimType`, when the kind has one.
    pub const fn scim_type(self) -> Option<ScimType> {
        match self {
            Self::Scim(t) => Some(t),
            Self::Unauthorized
            | Self::Forbidden
            | Self::NotFound
            | Self::MethodNotAllowed
            | Self::Conflict
            | Self::PreconditionFailed
            | Self::PayloadTooLarge
            | Self::UnsupportedMediaType
            | Self::Internal
            | Self::NotImplemented
            | Self::Reported(_) => None,
        }
    }
}

impl From<ScimType> for ErrorKind {
    fn from(t: ScimType) -> Self {
        Self::Scim(t)
    }
}

/// A byte range `[start, end)` into a string the caller gave (a filter or a path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// An RFC 6901 JSON pointer into the request document, built segment by segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location(String);

impl Location {
    /// The whole document (`""`).
    pub const fn root() -> Self {
        Self(String::new())
    }

    /// The whole document, with room for a pointer of `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(String::with_capacity(capacity))
    }

    /// A location from a pointer that is already escaped.
    pub fn from_pointer(pointer: impl Into<String>) -> Self {
        Self(pointer.into())
    }

    /// This location with one more object key (escaped per RFC 6901).
    #[must_use]
    pub fn key(mut self, key: &str) -> Self {
        self.push_key(key);
        self
    }

    /// This location with one more array index.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.push_index(index);
        self
    }

    /// Appends an object key (escaped per RFC 6901).
    pub fn push_key(&mut self, key: &str) {
        self.0.push('/');
        if !key.bytes().any(|b| b == b'~' || b == b'/') {
            self.0.push_str(key);
            return;
        }
        for c in key.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
    }

    /// Appends an array index.
    pub fn push_index(&mut self, index: usize) {
        self.0.push('/');
        push_decimal(&mut self.0, index);
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends `n` in decimal.
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        }
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// A SCIM error: kind (so status and `scimType`), detail, location, span, for a failed
/// validation every individual error found, and for a failed PATCH what it noted before it
/// failed (the quirk rules that fired, so a person can see how the request was read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    /// The status a host reported beside a `scimType` whose own status differs (`uniqueness`
    /// with 400 rather than 409); `None`: the kind's.
    status: Option<u16>,
    detail: String,
    location: Option<Location>,
    span: Option<Span>,
    errors: Vec<Error>,
    notes: Vec<Note>,
}

impl Error {
    /// A new error of `kind` with a human `detail` (one lowercase sentence, no final period).
    pub fn new(kind: impl Into<ErrorKind>, detail: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind: kind.into(),
                status: None,
                detail: detail.into(),
                location: None,
                span: None,
                errors: Vec::new(),
                notes: Vec::new(),
            }),
        }
    }

    /// The same error at `location`.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.inner.location = Some(location);
        self
    }

    /// The same error as found in item `index` of an array of documents read one by one: its
    /// location, each collected error's and each note's, under `/index` (the item itself when
    /// it had none).
    /// The span, which points into the item alone, is dropped.
    #[must_use]
    pub fn in_item(mut self, index: usize) -> Self {
        let mut location = Location::root().index(index);
        if let Some(inner) = &self.inner.location {
            location.0.push_str(inner.as_str());
        }
        self.inner.location = Some(location);
        self.inner.span = None;
        self.inner.errors = std::mem::take(&mut self.inner.errors).into_iter().map(|e| e.in_item(index)).collect();
        for note in &mut self.inner.notes {
            let mut location = Location::root().index(index);
            location.0.push_str(note.location.as_str());
            note.location = location;
        }
        self
    }

    /// The same error covering `span` of the input string.
    #[must_use]
    pub fn with_span(mut self, span: Span) -> Self {
        self.inner.span = Some(span);
        self
    }

    /// One error standing for several: its kind and location are those of the first, its
    /// detail counts them, and [`Error::errors`] lists them all. `None` when `errors` is empty.
    pub fn collect(errors: Vec<Error>) -> Option<Self> {
        let first = errors.first()?;
        if errors.len() == 1 {
            return errors.into_iter().next();
        }
        let detail = match first.inner.detail.as_str() {
            // An error a host reported without a detail: nothing to quote.
            "" => format!("{} errors", errors.len()),
            first => format!("{} errors; the first: {first}", errors.len()),
        };
        let (kind, status) = (first.inner.kind, first.inner.status);
        let (location, span) = (first.inner.location.clone(), first.inner.span);
        Some(Self { inner: Box::new(Inner { kind, status, detail, location, span, errors, notes: Vec::new() }) })
    }

    /// What went wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The `scimType`, when the kind has one.
    pub const fn scim_type(&self) -> Option<ScimType> {
        self.inner.kind.scim_type()
    }

    /// The HTTP status.
    pub const fn status(&self) -> u16 {
        match self.inner.status {
            Some(status) => status,
            None => self.inner.kind.status(),
        }
    }

    /// The same error with the status a host reported beside its `scimType`, when that differs
    /// from the `scimType`'s own (`uniqueness` reported with 400 rather than 409).
    #[must_use]
    pub(crate) fn with_reported_status(mut self, status: u16) -> Self {
        if status != self.inner.kind.status() {
            self.inner.status = Some(status);
        }
        self
    }

    /// The human detail.
    pub fn detail(&self) -> &str {
        &self.inner.detail
    }

    /// Where in the request document, as a JSON pointer.
    pub fn location(&self) -> Option<&Location> {
        self.inner.location.as_ref()
    }

    /// Which bytes of the input string (filters and paths).
    pub const fn span(&self) -> Option<Span> {
        self.inner.span
    }

    /// The same error with `notes`: what the call that failed noted before it did (a PATCH's
    /// quirks and notes), after any it carried already.
    #[must_use]
    pub fn with_notes(mut self, notes: impl IntoIterator<Item = Note>) -> Self {
        self.inner.notes.extend(notes);
        self
    }

    /// What the call that failed noted before it did, in order (empty for most errors).
    pub fn notes(&self) -> &[Note] {
        &self.inner.notes
    }

    /// Every individual error (one entry, itself, when there was a single error).
    pub fn errors(&self) -> &[Error] {
        if self.inner.errors.is_empty() { std::slice::from_ref(self) } else { &self.inner.errors }
    }

    /// The RFC 7644 §3.12 error response body (`status` is a JSON string there; `detail`, which
    /// is optional, is left out when empty — an error a host reported without one).
    pub fn to_response(&self) -> serde_json::Value {
        let mut body = serde_json::Map::new();
        body.insert("schemas".into(), serde_json::Value::Array(vec![crate::urn::ERROR.into()]));
        if let Some(t) = self.scim_type() {
            body.insert("scimType".into(), t.as_str().into());
        }
        if !self.inner.detail.is_empty() {
            body.insert("detail".into(), self.inner.detail.clone().into());
        }
        body.insert("status".into(), self.status().to_string().into());
        serde_json::Value::Object(body)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.detail)?;
        if let Some(loc) = &self.inner.location {
            if !loc.as_str().is_empty() {
                write!(f, " (at `{loc}`)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The error record every runtime shows: `scimType`, `status`, `location`, `span`, `detail`.
/// Fields that are absent are left out.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(t) = self.scim_type() {
            map.serialize_entry("scimType", t.as_str())?;
        }
        map.serialize_entry("status", &self.status())?;
        if let Some(loc) = &self.inner.location {
            map.serialize_entry("location", loc.as_str())?;
        }
        if let Some(span) = &self.inner.span {
            map.serialize_entry("span", span)?;
        }
        map.serialize_entry("detail", &self.inner.detail)?;
        map.end()
    }
}

/// How many characters of user input an error message quotes at most: enough for any schema
/// URN with an attribute name (a typo at the end of one must show).
pub const EXCERPT_CHARS: usize = 100;

/// `input` cut to a short excerpt for an error message (never more than [`EXCERPT_CHARS`]
/// characters of the input, with `…` marking the cut), with control characters shown as JSON
/// escapes (`\r`, `\n`, `\t`, `\u0000`): a stray carriage return from a Windows file, which would
/// otherwise show as nothing, can be seen.
pub fn excerpt(input: &str) -> String {
    if is_short_printable_ascii(input) {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len().min(EXCERPT_CHARS * 4 + 3));
    let _ = write!(out, "{}", Excerpt(input));
    out
}

/// Appends [`excerpt`]`(input)` to `out`.
pub(crate) fn push_excerpt(out: &mut String, input: &str) {
    if is_short_printable_ascii(input) {
        out.push_str(input);
    } else {
        let _ = write!(out, "{}", Excerpt(input));
    }
}

/// [`excerpt`] as it is written into a message, without a string of its own.
struct Excerpt<'a>(&'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_short_printable_ascii(self.0) {
            return f.write_str(self.0);
        }
        for (n, c) in self.0.chars().enumerate() {
            if n == EXCERPT_CHARS {
                return f.write_char('…');
            }
            write_shown(f, c)?;
        }
        Ok(())
    }
}

/// `c` as an excerpt shows it: a control character as its JSON escape, anything else as is.
fn write_shown(out: &mut impl fmt::Write, c: char) -> fmt::Result {
    match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        c if c.is_control() => write!(out, "\\u{:04x}", u32::from(c)),
        c => out.write_char(c),
    }
}

/// Text an excerpt shows whole and unchanged, by a byte check (others take the character walk,
/// which gives the same answer for these).
fn is_short_printable_ascii(input: &str) -> bool {
    input.len() <= EXCERPT_CHARS && input.bytes().all(|b| (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_in_an_item_is_located_under_its_index() {
        let at = |e: &Error| e.location().map(|l| l.as_str().to_owned());
        let plain = Error::new(ScimType::InvalidSyntax, "bad").with_span(Span::new(1, 2));
        let e = plain.clone().in_item(3);
        assert_eq!((at(&e), e.span()), (Some("/3".to_owned()), None));
        let e = plain.at(Location::root().key("a/b").index(0)).in_item(12);
        assert_eq!(at(&e), Some("/12/a~1b/0".to_owned()));
        let many = Error::collect(vec![
            Error::new(ScimType::InvalidValue, "one").at(Location::root().key("x")),
            Error::new(ScimType::InvalidValue, "two").at(Location::root().key("y")),
        ])
        .unwrap()
        .in_item(0);
        assert_eq!(many.detail(), "2 errors; the first: one");
        let quiet =
            Error::collect(vec![Error::new(ScimType::InvalidValue, ""), Error::new(ScimType::InvalidValue, "x")]);
        assert_eq!(quiet.map(|e| e.detail().to_owned()).as_deref(), Some("2 errors"));
        let inner: Vec<_> = many.errors().iter().map(at).collect();
        assert_eq!(
            (at(&many), inner),
            (Some("/0/x".to_owned()), vec![Some("/0/x".to_owned()), Some("/0/y".to_owned())])
        );
    }

    #[test]
    fn excerpts_cut_at_forty_characters_and_escape_controls() {
        // The rule as first written: whole when short and free of controls, else a walk.
        fn reference(input: &str) -> String {
            if input.len() <= EXCERPT_CHARS && !input.contains(char::is_control) {
                return input.to_owned();
            }
            let mut out = String::new();
            for (n, c) in input.chars().enumerate() {
                if n == EXCERPT_CHARS {
                    out.push('…');
                    break;
                }
                match c {
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out
        }
        assert_eq!(excerpt("10\r"), "10\\r");
        assert_eq!(excerpt("a\u{0}b\u{85}"), "a\\u0000b\\u0085");
        let long = "x".repeat(EXCERPT_CHARS);
        let inputs = [
            String::new(),
            "False".to_owned(),
            long.clone(),
            format!("{long}y"),
            "a\tb\nc\u{7f}d\u{85}e\u{0}".to_owned(),
            "é".repeat(EXCERPT_CHARS),
            "é".repeat(EXCERPT_CHARS + 1),
            "😀".repeat(EXCERPT_CHARS / 2),
            format!("{}\n", "y".repeat(EXCERPT_CHARS - 1)),
            format!("{}\u{9f}", "z".repeat(EXCERPT_CHARS + 5)),
        ];
        for input in &inputs {
            assert_eq!(excerpt(input), reference(input), "{input:?}");
            assert_eq!(Excerpt(input).to_string(), reference(input), "{input:?}");
            let mut pushed = String::from("x");
            push_excerpt(&mut pushed, input);
            assert_eq!(pushed, format!("x{}", reference(input)), "{input:?}");
        }
        assert_eq!(excerpt(&format!("{long}y")), format!("{long}…"));
    }

    #[test]
    fn status_follows_type() {
        assert_eq!(ScimType::Uniqueness.status(), 409);
        assert_eq!(ScimType::InvalidValue.status(), 400);
        assert_eq!(ErrorKind::PayloadTooLarge.status(), 413);
        assert_eq!(ErrorKind::NotFound.scim_type(), None);
    }

    #[test]
    fn scim_type_round_trips_through_its_name() {
        for t in ScimType::ALL {
            assert_eq!(t.as_str().parse::<ScimType>(), Ok(t));
        }
        assert!("nope".parse::<ScimType>().is_err());
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let loc = Location::root().key("a/b").key("c~d").index(3);
        assert_eq!(loc.as_str(), "/a~1b/c~0d/3");
    }

    #[test]
    fn excerpt_cuts_long_input() {
        let long = "x".repeat(EXCERPT_CHARS * 2);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("a\nb"), "a\\nb");
        // A schema URN with a misspelt attribute name shows whole.
        let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manger";
        assert_eq!(excerpt(urn), urn);
    }

    #[test]
    fn response_body_has_status_as_string() {
        let e = Error::new(ScimType::Mutability, "`id` is read-only");
        let body = e.to_response();
        assert_eq!(body["status"], "400");
        assert_eq!(body["scimType"], "mutability");
    }

    #[test]
    fn collect_keeps_every_error() {
        let a = Error::new(ScimType::InvalidValue, "a").at(Location::root().key("x"));
        let b = Error::new(ScimType::Mutability, "b");
        let all = Error::collect(vec![a.clone(), b]).unwrap();
        assert_eq!(all.errors().len(), 2);
        assert_eq!(all.location(), a.location());
        assert!(Error::collect(Vec::new()).is_none());
        assert_eq!(a.errors(), std::slice::from_ref(&a));
    }
}
