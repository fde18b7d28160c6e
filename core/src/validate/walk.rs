//! Checking and normalizing attribute values against their definitions.

use serde_json::{Map, Value};

use super::loc::Loc;
use super::note::{Note, NoteCode};
use super::options::{CanonicalValues, Mode, UnknownAttributes, ValidateOptions};
use crate::compat::Quirk;
use crate::error::{Error, ScimType, excerpt};
use crate::schema::{Attribute, AttributeType, Mutability, ResourceTypeView, Returned};
use crate::urn;
use crate::value::{is_absolute_uri, is_base64, is_uri_reference, parse_datetime, points_into_endpoint};

/// The largest integer magnitude an `integer` attribute takes: 2^53 − 1, the most every
/// runtime (JavaScript included) holds exactly.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// A short description of a JSON value's kind, for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An attribute's name for messages: `name` or `parent.name`.
#[derive(Clone, Copy)]
pub(crate) struct Named<'a> {
    pub parent: Option<&'a str>,
    pub attr: &'a Attribute,
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.parent {
            Some(p) => write!(f, "{p}.{}", self.attr.name()),
            None => f.write_str(self.attr.name()),
        }
    }
}

/// Collects errors and notes while it walks one resource.
pub(crate) struct Walker<'r, 'o> {
    pub rt: ResourceTypeView<'r>,
    pub opts: &'o ValidateOptions,
    pub errors: Vec<Error>,
    pub notes: Vec<Note>,
    /// Whether the attribute being walked belongs to the EnterpriseUser extension.
    pub in_enterprise: bool,
    /// The extensions the body gives attributes of (by URN), valid or not.
    pub used_extensions: Vec<&'r str>,
}

impl<'r, 'o> Walker<'r, 'o> {
    pub(crate) fn new(rt: ResourceTypeView<'r>, opts: &'o ValidateOptions) -> Self {
        Self { rt, opts, errors: Vec::new(), notes: Vec::new(), in_enterprise: false, used_extensions: Vec::new() }
    }

    pub(crate) fn error(&mut self, scim_type: ScimType, loc: &Loc<'_>, detail: String) {
        self.errors.push(Error::new(scim_type, detail).at(loc.pointer()));
    }

    pub(crate) fn note(&mut self, code: NoteCode, loc: &Loc<'_>, detail: String) {
        self.notes.push(Note { code, quirk: None, location: loc.pointer(), detail });
    }

    pub(crate) fn quirk(&mut self, quirk: Quirk, loc: &Loc<'_>, detail: String) {
        self.notes.push(Note { code: NoteCode::Quirk, quirk: Some(quirk), location: loc.pointer(), detail });
    }

    /// Records that the body gives attributes of extension `id`.
    pub(crate) fn uses_extension(&mut self, id: &'r str) {
        if !self.used_extensions.contains(&id) {
            self.used_extensions.push(id);
        }
    }

    /// A required attribute is missing, unless its value was already reported as wrong.
    pub(crate) fn missing(&mut self, loc: &Loc<'_>, shown: &str) {
        let pointer = loc.pointer();
        if !self.errors.iter().any(|e| e.location() == Some(&pointer)) {
            self.errors.push(Error::new(ScimType::InvalidValue, format!("`{shown}` is required")).at(pointer));
        }
    }

    /// An attribute no schema defines: an error, or dropped with a note.
    pub(crate) fn unknown(&mut self, loc: &Loc<'_>, shown: &str) {
        let rt = self.rt.definition().name();
        match self.opts.unknown_attributes {
            UnknownAttributes::Reject => {
                let detail = if shown.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
                    format!("`{}` is not a schema extension or attribute of resource type `{rt}`", excerpt(shown))
                } else {
                    format!("`{}` is not an attribute of resource type `{rt}`", excerpt(shown))
                };
                self.error(ScimType::InvalidSyntax, loc, detail);
            }
            UnknownAttributes::Ignore => {
                self.note(
                    NoteCode::UnknownIgnored,
                    loc,
                    format!("dropped `{}`, which no schema defines", excerpt(shown)),
                );
            }
        }
    }

    /// Puts a checked value under its schema spelling, refusing a second value for the same
    /// attribute (two keys that name it, say `userName` and a URN-qualified form).
    pub(crate) fn insert(
        &mut self,
        target: &mut Map<String, Value>,
        named: Named<'_>,
        key: &str,
        value: Value,
        loc: &Loc<'_>,
    ) {
        let name = named.attr.name();
        if target.contains_key(name) {
            self.error(ScimType::InvalidSyntax, loc, format!("`{named}` is given twice (again as `{}`)", excerpt(key)));
            return;
        }
        if key != name {
            self.note(NoteCode::NameNormalized, loc, format!("`{}` is spelled `{named}`", excerpt(key)));
        }
        target.insert(name.to_owned(), value);
    }

    /// Checks one attribute's value and returns it normalized, or `None` when it is to be left
    /// out (null, empty, readOnly input, or in error).
    pub(crate) fn attribute(&mut self, named: Named<'_>, value: Value, loc: &Loc<'_>) -> Option<Value> {
        let attr = named.attr;
        if value.is_null() {
            self.note(NoteCode::NullRemoved, loc, format!("`{named}` is null, which means unassigned"));
            return None;
        }
        let mode = self.opts.mode;
        if mode != Mode::Response && attr.mutability() == Mutability::ReadOnly {
            self.note(NoteCode::ReadOnlyIgnored, loc, format!("`{named}` is read-only; the value sent is ignored"));
            return None;
        }
        if mode == Mode::Response && (attr.returned() == Returned::Never || attr.mutability() == Mutability::WriteOnly)
        {
            self.error(ScimType::InvalidValue, loc, format!("`{named}` must never be returned"));
            return None;
        }
        if !attr.multi_valued() {
            if value.is_array() {
                self.error(ScimType::InvalidValue, loc, format!("`{named}` is single-valued, found an array"));
                return None;
            }
            return self.single(named, value, loc);
        }
        let Value::Array(items) = value else {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` is multi-valued and must be an array, found {}", kind_of(&value)),
            );
            return None;
        };
        if items.is_empty() {
            self.note(NoteCode::EmptyRemoved, loc, format!("`{named}` is an empty array, which means unassigned"));
            return None;
        }
        let limit = self.opts.limits.max_values_per_attribute;
        if items.len() > limit {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` has {} values, more than the limit of {limit}", items.len()),
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut primary: Option<usize> = None;
        for (i, item) in items.into_iter().enumerate() {
            let here = loc.index(i);
            if item.is_null() || item.is_array() {
                self.error(ScimType::InvalidValue, &here, format!("a value of `{named}` cannot be {}", kind_of(&item)));
                continue;
            }
            let Some(v) = self.single(named, item, &here) else {
                continue;
            };
            if v.get("primary") == Some(&Value::Bool(true)) {
                if let Some(first) = primary {
                    let first_at = loc.index(first).pointer();
                    self.error(
                        ScimType::InvalidValue,
                        &here.key("primary"),
                        format!("only one value of `{named}` may be primary; `{first_at}` already is"),
                    );
                } else {
                    primary = Some(i);
                }
            }
            out.push(v);
        }
        (!out.is_empty()).then_some(Value::Array(out))
    }

    /// Checks one value (an element of a multi-valued attribute, or a single value).
    fn single(&mut self, named: Named<'_>, value: Value, loc: &Loc<'_>) -> Option<Value> {
        let attr = named.attr;
        match (attr.kind(), value) {
            (AttributeType::Complex, value) => self.complex(named, value, loc),
            (AttributeType::String, Value::String(s)) => {
                self.canonical(named, &s, loc);
                Some(Value::String(s))
            }
            (AttributeType::Boolean, Value::Bool(b)) => Some(Value::Bool(b)),
            (AttributeType::Boolean, Value::String(s)) if self.opts.profile.allows(Quirk::StringBooleans) => {
                self.string_boolean(named, &s, loc)
            }
            (AttributeType::Integer, Value::Number(n)) => self.integer(named, n, loc),
            (AttributeType::Decimal, Value::Number(n)) => Some(Value::Number(n)),
            (AttributeType::DateTime, Value::String(s)) => {
                let ok = parse_datetime(&s).is_some();
                self.string_form(named, s, loc, ok, "a dateTime like `2024-05-01T12:00:00Z` (with an offset)")
            }
            (AttributeType::Binary, Value::String(s)) => {
                let ok = is_base64(&s);
                self.string_form(named, s, loc, ok, "base64 with padding (RFC 4648 §4)")
            }
            (AttributeType::Reference, Value::String(s)) => {
                let ok = self.reference_fits(attr, &s);
                let types = attr.reference_types().join(", ");
                let expected = format!("a reference to {}", if types.is_empty() { "a URI" } else { &types });
                self.string_form(named, s, loc, ok, &expected)
            }
            (kind, other) => {
                let expected = match kind {
                    AttributeType::String
                    | AttributeType::DateTime
                    | AttributeType::Binary
                    | AttributeType::Reference => "a string",
                    AttributeType::Boolean => "a boolean",
                    AttributeType::Integer => "a whole number",
                    AttributeType::Decimal => "a number",
                    AttributeType::Complex => "an object",
                };
                self.error(
                    ScimType::InvalidValue,
                    loc,
                    format!("`{named}` must be {expected}, found {}", kind_of(&other)),
                );
                None
            }
        }
    }

    /// A string value whose form was checked: kept when `ok`, else an error saying what was expected.
    fn string_form(&mut self, named: Named<'_>, s: String, loc: &Loc<'_>, ok: bool, expected: &str) -> Option<Value> {
        if ok {
            return Some(Value::String(s));
        }
        self.error(ScimType::InvalidValue, loc, format!("`{named}` must be {expected}, found `{}`", excerpt(&s)));
        None
    }

    /// The `stringBooleans` quirk: `"True"`/`"false"` in any case read as booleans.
    fn string_boolean(&mut self, named: Named<'_>, s: &str, loc: &Loc<'_>) -> Option<Value> {
        let b = if s.eq_ignore_ascii_case("true") {
            true
        } else if s.eq_ignore_ascii_case("false") {
            false
        } else {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` must be a boolean, found the string `{}`", excerpt(s)),
            );
            return None;
        };
        self.quirk(Quirk::StringBooleans, loc, format!("`{named}` was the string `{}`, read as {b}", excerpt(s)));
        Some(Value::Bool(b))
    }

    /// An integer: a whole JSON number (no fraction or exponent) within ±(2^53−1).
    fn integer(&mut self, named: Named<'_>, n: serde_json::Number, loc: &Loc<'_>) -> Option<Value> {
        let detail = match n.as_i64() {
            Some(i) if i.abs() <= MAX_SAFE_INTEGER => return Some(Value::Number(n)),
            Some(_) => format!("`{named}` is `{n}`, outside ±(2^53−1)"),
            None if n.is_u64() => format!("`{named}` is `{n}`, outside ±(2^53−1)"),
            None => format!("`{named}` must be a whole number without a fraction or exponent, found `{n}`"),
        };
        self.error(ScimType::InvalidValue, loc, detail);
        None
    }

    fn canonical(&mut self, named: Named<'_>, value: &str, loc: &Loc<'_>) {
        let attr = named.attr;
        if self.opts.canonical_values == CanonicalValues::Reject
            && !attr.canonical_values().is_empty()
            && !attr.is_canonical(value)
        {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` must be one of {}, found `{}`", attr.canonical_values().join(", "), excerpt(value)),
            );
        }
    }

    /// Whether a reference value fits the attribute's `referenceTypes`: `uri` takes an
    /// absolute URI, `external` any URI reference, a resource type name a URI whose path ends
    /// in that type's endpoint and an id.
    fn reference_fits(&self, attr: &Attribute, value: &str) -> bool {
        if !is_uri_reference(value) {
            return false;
        }
        let types = attr.reference_types();
        types.is_empty()
            || types.iter().any(|t| {
                if t.eq_ignore_ascii_case("uri") {
                    is_absolute_uri(value)
                } else if t.eq_ignore_ascii_case("external") {
                    true
                } else {
                    match self.rt.registry().resource_type(t) {
                        Some(target) => points_into_endpoint(value, target.definition().endpoint()),
                        None => true,
                    }
                }
            })
    }

    fn complex(&mut self, named: Named<'_>, value: Value, loc: &Loc<'_>) -> Option<Value> {
        let attr = named.attr;
        let obj = match value {
            Value::Object(m) => m,
            Value::String(s)
                if self.in_enterprise
                    && named.parent.is_none()
                    && attr.name() == "manager"
                    && self.opts.profile.allows(Quirk::ManagerString) =>
            {
                self.quirk(
                    Quirk::ManagerString,
                    loc,
                    format!("`manager` was the plain string `{}`, read as its `value`", excerpt(&s)),
                );
                let mut m = Map::new();
                m.insert("value".into(), Value::String(s));
                m
            }
            other => {
                self.error(
                    ScimType::InvalidValue,
                    loc,
                    format!("`{named}` must be an object (complex), found {}", kind_of(&other)),
                );
                return None;
            }
        };
        if obj.is_empty() {
            self.note(NoteCode::EmptyRemoved, loc, format!("`{named}` is an empty object, which means unassigned"));
            return None;
        }
        let parent = named.parent.unwrap_or(attr.name());
        let mut out = Map::new();
        for (key, v) in obj {
            let here = loc.key(&key);
            match attr.sub_attribute(&key) {
                Some(sub) => {
                    let sub_named = Named { parent: Some(parent), attr: sub };
                    if let Some(nv) = self.attribute(sub_named, v, &here) {
                        if key == sub.name() && !out.contains_key(&key) {
                            out.insert(key, nv);
                        } else {
                            self.insert(&mut out, sub_named, &key, nv, &here);
                        }
                    }
                }
                None => self.unknown(&here, &format!("{parent}.{key}")),
            }
        }
        for sub in attr.sub_attributes() {
            if sub.required() && !out.contains_key(sub.name()) && self.enforces_required(sub) {
                let shown = Named { parent: Some(parent), attr: sub }.to_string();
                self.missing(&loc.key(sub.name()), &shown);
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    /// Whether a missing required attribute is an error in this mode: readOnly attributes are
    /// the server's to set, so only responses must carry them.
    pub(crate) fn enforces_required(&self, attr: &Attribute) -> bool {
        self.opts.mode == Mode::Response || attr.mutability() != Mutability::ReadOnly
    }

    /// Whether `id` names the EnterpriseUser extension.
    pub(crate) fn is_enterprise(id: &str) -> bool {
        id.eq_ignore_ascii_case(urn::ENTERPRISE_USER)
    }
}
