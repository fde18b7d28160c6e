//! Checking and normalizing attribute values against their definitions.

use serde_json::{Map, Value};

use super::loc::Loc;
use super::note::{Note, NoteCode};
use super::options::{CanonicalValues, Mode, UnknownAttributes, ValidateOptions};
use crate::compat::Quirk;
use crate::error::{Error, Location, ScimType, excerpt, push_excerpt};
use crate::schema::{Attribute, AttributeType, Mutability, ResourceTypeView, Returned};
use crate::urn;
use crate::value::{is_absolute_uri, is_base64, is_uri_reference, parse_datetime, points_into_endpoint};

/// The largest integer magnitude an `integer` attribute takes: 2^53 − 1, the most every
/// runtime (JavaScript included) holds exactly.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

pub(crate) use crate::value::kind_of;

/// An attribute's name for messages: `name` or `parent.name`.
#[derive(Clone, Copy)]
pub(crate) struct Named<'a> {
    pub parent: Option<&'a str>,
    pub attr: &'a Attribute,
}

impl Named<'_> {
    /// Appends the name as [`Display`](std::fmt::Display) writes it.
    fn push_to(&self, out: &mut String) {
        if let Some(p) = self.parent {
            out.push_str(p);
            out.push('.');
        }
        out.push_str(self.attr.name());
    }
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
    /// Members held at another place than the request's (where held, where sent).
    respellings: Vec<(Location, Location)>,
    /// Extensions a replace keeps from the stored resource (the body left them out, and they
    /// hold an immutable value): listed in `schemas` without the body having to.
    pub kept_extensions: Vec<&'r str>,
    /// Whether the complex value walked is merged into a stored one (PATCH `add`, or `replace`
    /// of a single complex value): its required sub-attributes may come from there, and the
    /// merged value is checked for them instead.
    pub merging: bool,
    /// Whether notes are kept (a PATCH with `report: none` keeps none).
    pub keeps_notes: bool,
    /// The attributes a replace body names, under any spelling and whatever their value (valid,
    /// `null`, empty): none of them is noted as left out.
    pub named: Vec<&'r Attribute>,
}

impl<'r, 'o> Walker<'r, 'o> {
    pub(crate) fn new(rt: ResourceTypeView<'r>, opts: &'o ValidateOptions) -> Self {
        Self {
            rt,
            opts,
            errors: Vec::new(),
            notes: Vec::new(),
            in_enterprise: false,
            used_extensions: Vec::new(),
            respellings: Vec::new(),
            kept_extensions: Vec::new(),
            merging: false,
            keeps_notes: true,
            named: Vec::new(),
        }
    }

    /// Records that a replace body names `attr` (see [`Walker::named`]).
    pub(crate) fn names(&mut self, attr: &'r Attribute) {
        if self.opts.mode == Mode::Replace {
            self.named.push(attr);
        }
    }

    pub(crate) fn error(&mut self, scim_type: ScimType, loc: &Loc<'_>, detail: String) {
        self.errors.push(Error::new(scim_type, detail).at(loc.pointer()));
    }

    /// An error found at `loc` in the resource as held — after members were respelled or
    /// moved under their extension — located where the request has the member.
    pub(crate) fn error_as_sent(&mut self, scim_type: ScimType, loc: &Loc<'_>, detail: String) {
        let error = Error::new(scim_type, detail).at(loc.pointer());
        let error = self.as_sent(error);
        self.errors.push(error);
    }

    pub(crate) fn note(&mut self, code: NoteCode, loc: &Loc<'_>, detail: String) {
        if !self.keeps_notes {
            return;
        }
        self.notes.push(Note { code, quirk: None, location: loc.pointer(), detail });
    }

    pub(crate) fn quirk(&mut self, quirk: Quirk, loc: &Loc<'_>, detail: String) {
        if !self.keeps_notes {
            return;
        }
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
        // A value sent for it under another spelling (`USERNAME`, `urn:…:User:userName`) that
        // was refused has said what is wrong already.
        let (parent, name) = pointer.as_str().rsplit_once('/').unwrap_or_default();
        let sent = |location: &Location| {
            let Some(tail) = location.as_str().strip_prefix(parent).and_then(|t| t.strip_prefix('/')) else {
                return false;
            };
            let key = tail.split('/').next().unwrap_or(tail);
            key.eq_ignore_ascii_case(name)
                || key.rsplit_once(':').is_some_and(|(_, last)| last.eq_ignore_ascii_case(name))
        };
        if !self.errors.iter().any(|e| e.location().is_some_and(sent)) {
            self.errors.push(Error::new(ScimType::InvalidValue, format!("`{shown}` is required")).at(pointer));
        }
    }

    /// An attribute no schema defines: an error, or dropped with a note.
    pub(crate) fn unknown(&mut self, loc: &Loc<'_>, shown: &str) {
        let rt = self.rt.definition().name();
        // A top-level name without its URN (`manager`) that an extension has: say so.
        let hint = if shown.contains([':', '.']) { String::new() } else { self.rt.unqualified_hint(shown) };
        // Else a slip of a letter or two (`nickNam`): the attribute it likely meant.
        let slip = if hint.is_empty() { self.rt.suggestion(shown) } else { String::new() };
        match self.opts.unknown_attributes {
            UnknownAttributes::Reject => {
                let detail = if shown.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
                    format!("`{}` is not a schema extension or attribute of resource type `{rt}`{slip}", excerpt(shown))
                } else {
                    format!("`{}` is not an attribute of resource type `{rt}`{hint}{slip}", excerpt(shown))
                };
                self.error(ScimType::InvalidSyntax, loc, detail);
            }
            UnknownAttributes::Ignore => {
                let why = if hint.is_empty() { "which no schema defines" } else { "which only an extension defines" };
                self.note(NoteCode::UnknownIgnored, loc, format!("dropped `{}`, {why}{hint}{slip}", excerpt(shown)));
            }
        }
    }

    /// Records a checked member named `key` that stands for `named`: refuses a second member
    /// for the same attribute (two keys that name it, say `userName` and `USERNAME`), and notes
    /// and schedules a respelling when `key` is not the schema's spelling. Returns whether the
    /// member is kept.
    pub(crate) fn claim<'a>(
        &mut self,
        seen: &mut Vec<&'a str>,
        renames: &mut Vec<(String, &'a str)>,
        named: Named<'a>,
        key: &str,
        loc: &Loc<'_>,
    ) -> bool {
        let name = named.attr.name();
        if seen.contains(&name) {
            self.error(ScimType::InvalidSyntax, loc, twice(named, key));
            return false;
        }
        seen.push(name);
        if key != name {
            // `displayName` read as `display` has its quirk note already.
            if !(name == "display" && key.eq_ignore_ascii_case("displayName")) {
                self.note(NoteCode::NameNormalized, loc, format!("`{}` is spelled `{named}`", excerpt(key)));
            }
            renames.push((key.to_owned(), name));
            let sent = loc.pointer();
            let parent = sent.as_str().rsplit_once('/').map_or("", |(p, _)| p);
            self.respelled(Location::from_pointer(parent).key(name), sent);
        }
        true
    }

    /// Records that the member at `sent` in the request is held at `held` in the resource
    /// (respelled, or moved under its extension), so an error found later at `held` — an
    /// immutable value changed, a second `primary` — is located where the request has it.
    pub(crate) fn respelled(&mut self, held: Location, sent: Location) {
        self.respellings.push((held, sent));
    }

    /// `error` located where the request has the member, when it was found where the
    /// resource holds a respelled or moved one (see [`Walker::respelled`]).
    fn as_sent(&self, error: Error) -> Error {
        let Some(at) = error.location().map(Location::as_str) else { return error };
        let found = self.respellings.iter().filter(|(held, _)| {
            let held = held.as_str();
            at.strip_prefix(held).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        let Some((held, sent)) = found.max_by_key(|(held, _)| held.as_str().len()) else { return error };
        let rest = at.get(held.as_str().len()..).unwrap_or_default();
        let relocated = Location::from_pointer(format!("{}{rest}", sent.as_str()));
        error.at(relocated)
    }

    /// In replace mode, the stored `id` when the body's top-level `id` is a string that differs.
    fn other_stored_id(&self, named: Named<'_>, value: &Value, loc: &Loc<'_>) -> Option<&str> {
        if self.opts.mode != Mode::Replace || named.parent.is_some() || named.attr.name() != "id" {
            return None;
        }
        // The common attribute itself, not an extension's attribute of that name.
        if !loc.pointer().as_str().eq_ignore_ascii_case("/id") {
            return None;
        }
        let stored = self.opts.existing.as_ref()?.get("id")?.as_str()?;
        value.as_str().filter(|sent| *sent != stored).map(|_| stored)
    }

    /// Checks one attribute's value in place (normalizing it) and says whether it is kept:
    /// `false` for null, empty, readOnly input, or a value in error.
    pub(crate) fn attribute(&mut self, named: Named<'_>, value: &mut Value, loc: &Loc<'_>) -> bool {
        let attr = named.attr;
        if value.is_null() {
            self.note(NoteCode::NullRemoved, loc, format!("`{named}` is null, which means unassigned"));
            return false;
        }
        let mode = self.opts.mode;
        if mode != Mode::Response && attr.mutability() == Mutability::ReadOnly {
            let detail = match self.other_stored_id(named, value, loc) {
                // A PUT naming another resource's id is usually a wrong URL or a stale copy.
                Some(stored) => format!(
                    "`id` is `{}`, not the stored resource's `{}`; it is read-only, so the value sent is ignored (the service keeps the stored id)",
                    excerpt(value.as_str().unwrap_or_default()),
                    excerpt(stored)
                ),
                None => format!("`{named}` is read-only; the value sent is ignored"),
            };
            self.note(NoteCode::ReadOnlyIgnored, loc, detail);
            return false;
        }
        if mode == Mode::Response && (attr.returned() == Returned::Never || attr.mutability() == Mutability::WriteOnly)
        {
            self.error(ScimType::InvalidValue, loc, format!("`{named}` must never be returned"));
            return false;
        }
        if !attr.multi_valued() {
            if value.is_array() {
                self.error(ScimType::InvalidValue, loc, format!("`{named}` is single-valued, found an array"));
                return false;
            }
            return self.single(named, value, loc);
        }
        let Value::Array(items) = value else {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` is multi-valued and must be an array, found {}", kind_of(value)),
            );
            return false;
        };
        if items.is_empty() {
            self.note(NoteCode::EmptyRemoved, loc, format!("`{named}` is an empty array, which means unassigned"));
            return false;
        }
        let limit = self.opts.limits.max_values_per_attribute;
        if items.len() > limit {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` has {} values, more than the limit of {limit}", items.len()),
            );
            return false;
        }
        let mut i = 0;
        // The indices (as sent) of the values dropped so far, for locating the ones kept:
        // usually none, so nothing is allocated.
        let mut dropped: Vec<usize> = Vec::new();
        items.retain_mut(|item| {
            let here = loc.index(i);
            let index = i;
            i += 1;
            let keep = if item.is_null() || item.is_array() {
                self.error(ScimType::InvalidValue, &here, format!("a value of `{named}` cannot be {}", kind_of(item)));
                false
            } else {
                self.single(named, item, &here)
            };
            if !keep {
                dropped.push(index);
            }
            keep
        });
        // Repeats go before `primary` is counted: a value sent twice as primary is one primary.
        self.drop_repeats(named, items, &mut dropped, loc);
        let mut primary: Option<usize> = None;
        for (item, index) in items.iter().zip(SentIndices::new(&dropped)) {
            if item.get("primary") != Some(&Value::Bool(true)) {
                continue;
            }
            match primary {
                Some(first) => {
                    let first_at = loc.index(first).pointer();
                    self.error_as_sent(
                        ScimType::InvalidValue,
                        &loc.index(index).key("primary"),
                        format!("only one value of `{named}` may be primary; `{first_at}` already is"),
                    );
                }
                None => primary = Some(index),
            }
        }
        !items.is_empty()
    }

    /// Drops a value given again, equal in every member (strings per `caseExact`), with a note
    /// at the repeat (RFC 7643 §2.4: a service "SHOULD NOT" return the same value twice). Values
    /// that share a `value` but differ otherwise are all kept: dropping one would lose what it
    /// says. `dropped` holds the indices (as sent, ascending) of the values already dropped, and
    /// gets the repeats'. A long list is grouped by a key that equal values share (every member,
    /// folded where case does not count), so each value is compared only with its equals.
    fn drop_repeats(&mut self, named: Named<'_>, items: &mut Vec<Value>, dropped: &mut Vec<usize>, loc: &Loc<'_>) {
        const PAIRWISE_UP_TO: usize = 8;
        let attr = named.attr;
        let same = |a: &Value, b: &Value| super::resource::same_value(attr, a, b);
        let mut repeats: Vec<usize> = Vec::new();
        if items.len() <= PAIRWISE_UP_TO {
            for (position, item) in items.iter().enumerate() {
                if items.get(..position).unwrap_or_default().iter().any(|earlier| same(earlier, item)) {
                    repeats.push(position);
                }
            }
        } else {
            let mut groups: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
            for (position, item) in items.iter().enumerate() {
                let group = groups.entry(equality_key(attr, item)).or_default();
                if group.iter().any(|&k| items.get(k).is_some_and(|kept| same(kept, item))) {
                    repeats.push(position);
                } else {
                    group.push(position);
                }
            }
        }
        if repeats.is_empty() {
            return;
        }
        let mut sent = Vec::with_capacity(repeats.len());
        let mut next = repeats.iter().peekable();
        for (position, index) in SentIndices::new(dropped).take(items.len()).enumerate() {
            if next.peek().is_some_and(|&&r| r == position) {
                next.next();
                sent.push(index);
            }
        }
        for &index in &sent {
            self.note(
                NoteCode::DuplicateValueRemoved,
                &loc.index(index),
                format!("a value of `{named}` was given twice; it is kept once"),
            );
        }
        let mut position = 0;
        let mut next = repeats.iter().peekable();
        items.retain(|_| {
            let repeat = next.peek().is_some_and(|&&r| r == position);
            if repeat {
                next.next();
            }
            position += 1;
            !repeat
        });
        dropped.extend(sent);
        dropped.sort_unstable();
    }

    /// Checks one element of a multi-valued attribute in place; says whether it is kept.
    pub(crate) fn element(&mut self, named: Named<'_>, value: &mut Value, loc: &Loc<'_>) -> bool {
        if value.is_null() || value.is_array() {
            self.error(ScimType::InvalidValue, loc, format!("a value of `{named}` cannot be {}", kind_of(value)));
            return false;
        }
        self.single(named, value, loc)
    }

    /// Checks one value in place (an element of a multi-valued attribute, or a single value).
    fn single(&mut self, named: Named<'_>, value: &mut Value, loc: &Loc<'_>) -> bool {
        let attr = named.attr;
        match (attr.kind(), &*value) {
            (AttributeType::Complex, _) => self.complex(named, value, loc),
            (AttributeType::String, Value::String(s)) if s.is_empty() && attr.required() => {
                // A required value must say something (RFC 7643 §4.1.1: "a non-empty
                // userName"); the empty string is not "unassigned" either (§2.5).
                self.error(ScimType::InvalidValue, loc, format!("`{named}` is required and must not be empty"));
                false
            }
            (AttributeType::String, Value::String(s)) => {
                self.canonical(named, s, loc);
                true
            }
            (AttributeType::Boolean, Value::Bool(_)) | (AttributeType::Decimal, Value::Number(_)) => true,
            (AttributeType::Boolean, Value::String(s)) if self.opts.profile.allows(Quirk::StringBooleans) => {
                match self.string_boolean(named, s, loc) {
                    Some(b) => {
                        *value = Value::Bool(b);
                        true
                    }
                    None => false,
                }
            }
            (AttributeType::Integer, Value::Number(n)) => self.integer(named, n, loc),
            (AttributeType::DateTime, Value::String(s)) => {
                self.string_form(named, s, loc, parse_datetime(s).is_some(), || {
                    "a dateTime like `2024-05-01T12:00:00Z` (with an offset)".to_owned()
                })
            }
            (AttributeType::Binary, Value::String(s)) => {
                self.string_form(named, s, loc, is_base64(s), || "base64 with padding (RFC 4648 §4)".to_owned())
            }
            (AttributeType::Reference, Value::String(s)) => {
                let ok = self.reference_fits(attr, s);
                if ok {
                    self.canonical(named, s, loc);
                }
                self.string_form(named, s, loc, ok, || {
                    let kinds: Vec<String> = attr
                        .reference_types()
                        .iter()
                        .map(|t| match t.as_str() {
                            "uri" => "an absolute URI".to_owned(),
                            "external" => "a URI reference".to_owned(),
                            resource => format!("the URI of a `{resource}`"),
                        })
                        .collect();
                    if kinds.is_empty() { "a URI reference".to_owned() } else { kinds.join(" or ") }
                })
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
                    format!("`{named}` must be {expected}, found {}", kind_of(other)),
                );
                false
            }
        }
    }

    /// A string value whose form was checked: kept when `ok`, else an error saying what was expected.
    fn string_form(
        &mut self,
        named: Named<'_>,
        s: &str,
        loc: &Loc<'_>,
        ok: bool,
        expected: impl FnOnce() -> String,
    ) -> bool {
        if !ok {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` must be {}, found `{}`", expected(), excerpt(s)),
            );
        }
        ok
    }

    /// The `stringBooleans` quirk: `"True"`/`"false"` in any case read as booleans.
    fn string_boolean(&mut self, named: Named<'_>, s: &str, loc: &Loc<'_>) -> Option<bool> {
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
        // Written piece by piece (Entra sends `"False"` on every deactivation), and only when
        // notes are kept.
        if self.keeps_notes {
            let mut detail = String::with_capacity(48 + s.len());
            detail.push('`');
            named.push_to(&mut detail);
            detail.push_str("` was the string `");
            push_excerpt(&mut detail, s);
            detail.push_str(if b { "`, read as true" } else { "`, read as false" });
            self.quirk(Quirk::StringBooleans, loc, detail);
        }
        Some(b)
    }

    /// An integer: a whole JSON number (no fraction or exponent) within ±(2^53−1).
    fn integer(&mut self, named: Named<'_>, n: &serde_json::Number, loc: &Loc<'_>) -> bool {
        let detail = match n.as_i64() {
            Some(i) if i.unsigned_abs() <= MAX_SAFE_INTEGER.unsigned_abs() => return true,
            Some(_) => format!("`{named}` is `{n}`, outside ±(2^53−1)"),
            None if n.is_u64() => format!("`{named}` is `{n}`, outside ±(2^53−1)"),
            // A whole number beyond 64 bits, read as a double: out of range, whatever its form.
            None if n
                .as_f64()
                .is_some_and(|f| f.is_finite() && f.fract() == 0.0 && f.abs() > 9_007_199_254_740_991.0) =>
            {
                format!("`{named}` is outside ±(2^53−1)")
            }
            None if crate::json::is_negative_zero(n) => {
                format!("`{named}` is `-0`{}", crate::json::NEGATIVE_ZERO_READ_AS)
            }
            // The number as read (`1e2` is 100.0 by then), so the text sent is not quoted.
            None => format!("`{named}` must be a whole number, written without a fraction or exponent"),
        };
        self.error(ScimType::InvalidValue, loc, detail);
        false
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

    fn complex(&mut self, named: Named<'_>, value: &mut Value, loc: &Loc<'_>) -> bool {
        let attr = named.attr;
        if let Value::String(s) = value {
            if self.in_enterprise
                && named.parent.is_none()
                && attr.name() == "manager"
                && self.opts.profile.allows(Quirk::ManagerString)
            {
                if s.is_empty() {
                    self.quirk(
                        Quirk::ManagerString,
                        loc,
                        "`manager` was the empty string, read as unassigned".to_owned(),
                    );
                    return false;
                }
                if self.keeps_notes {
                    let mut detail = String::with_capacity(64 + s.len());
                    detail.push_str("`manager` was the plain string `");
                    push_excerpt(&mut detail, s);
                    detail.push_str("`, read as its `value`");
                    self.quirk(Quirk::ManagerString, loc, detail);
                }
                let mut m = Map::new();
                m.insert("value".into(), Value::String(std::mem::take(s)));
                *value = Value::Object(m);
            }
        }
        let Value::Object(obj) = value else {
            self.error(
                ScimType::InvalidValue,
                loc,
                format!("`{named}` must be an object (complex), found {}", kind_of(value)),
            );
            return false;
        };
        if obj.is_empty() {
            self.note(NoteCode::EmptyRemoved, loc, format!("`{named}` is an empty object, which means unassigned"));
            return false;
        }
        let parent = named.parent.unwrap_or(attr.name());
        let mut seen = Vec::new();
        let mut renames = Vec::new();
        obj.retain(|key, v| {
            let here = loc.key(key);
            let Some(sub) = attr.sub_attribute(key).or_else(|| self.display_name_for_display(attr, key, &here)) else {
                self.unknown(&here, &format!("{parent}.{key}"));
                return false;
            };
            let sub_named = Named { parent: Some(parent), attr: sub };
            self.attribute(sub_named, v, &here) && self.claim(&mut seen, &mut renames, sub_named, key, &here)
        });
        apply_renames(obj, renames);
        for sub in attr.sub_attributes() {
            if sub.required() && !obj.contains_key(sub.name()) && self.enforces_required(sub) && !self.merging {
                let shown = Named { parent: Some(parent), attr: sub }.to_string();
                self.missing(&loc.key(sub.name()), &shown);
            }
        }
        !obj.is_empty()
    }

    /// Rule `displayNameForDisplay`: `key` is `displayName` in a value of multi-valued `attr`,
    /// which has `display` instead: that sub-attribute, noted.
    fn display_name_for_display<'a>(&mut self, attr: &'a Attribute, key: &str, loc: &Loc<'_>) -> Option<&'a Attribute> {
        if !key.eq_ignore_ascii_case("displayName")
            || !attr.multi_valued()
            || !self.opts.profile.allows(Quirk::DisplayNameForDisplay)
        {
            return None;
        }
        let display = attr.sub_attribute("display")?;
        self.quirk(Quirk::DisplayNameForDisplay, loc, format!("`{}.{key}` was read as `display`", attr.name()));
        Some(display)
    }

    /// Whether a missing required attribute is an error in this mode: readOnly attributes are
    /// the server's to set, so only responses must carry them; and a response never carries a
    /// writeOnly or `returned: never` attribute, nor a `returned: request` one it was not asked
    /// for, so a response is not asked for those.
    pub(crate) fn enforces_required(&self, attr: &Attribute) -> bool {
        if self.opts.mode == Mode::Response {
            attr.mutability() != Mutability::WriteOnly
                && matches!(attr.returned(), Returned::Always | Returned::Default)
        } else {
            attr.mutability() != Mutability::ReadOnly
        }
    }

    /// Whether a required extension missing from the body is an error in this mode: when this
    /// mode would ask for one of its attributes ([`Walker::enforces_required`]) — a client is
    /// never asked for an extension of readOnly attributes, a response never for one it cannot
    /// carry (writeOnly, `returned: never`/`request`).
    pub(crate) fn enforces_extension(&self, extension: &crate::schema::Schema) -> bool {
        extension.attributes().iter().any(|a| self.enforces_required(a))
    }

    /// Whether `id` names the EnterpriseUser extension.
    pub(crate) fn is_enterprise(id: &str) -> bool {
        id.eq_ignore_ascii_case(urn::ENTERPRISE_USER)
    }
}

/// Moves each member to its scheduled new key (the schema's spelling).
pub(crate) fn apply_renames(obj: &mut Map<String, Value>, renames: Vec<(String, &str)>) {
    for (old, new) in renames {
        if let Some(v) = obj.remove(&old) {
            obj.insert(new.to_owned(), v);
        }
    }
}

/// The indices, as sent, of the values left in a list from which the values sent at `dropped`
/// (ascending) were taken out: one pass for the whole list.
struct SentIndices<'a> {
    next: usize,
    dropped: std::iter::Peekable<std::slice::Iter<'a, usize>>,
}

impl<'a> SentIndices<'a> {
    fn new(dropped: &'a [usize]) -> Self {
        Self { next: 0, dropped: dropped.iter().peekable() }
    }
}

impl Iterator for SentIndices<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.dropped.next_if(|&&d| d == self.next).is_some() {
            self.next += 1;
        }
        let index = self.next;
        self.next += 1;
        Some(index)
    }
}

/// A key two values of `attr` share whenever they are equal as [`super::resource::same_value`]
/// compares them: each member's name in lower case and its value, folded where the
/// (sub-)attribute's case does not count. (Values with the same key are still compared.)
pub(crate) fn equality_key(attr: &Attribute, value: &Value) -> String {
    let mut key = String::new();
    push_equality_key(&mut key, attr, value);
    key
}

fn push_equality_key(key: &mut String, attr: &Attribute, value: &Value) {
    match value {
        Value::Object(members) => {
            let mut names: Vec<(String, &Value)> = members.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
            names.sort_by(|a, b| a.0.cmp(&b.0));
            key.push('{');
            for (name, v) in names {
                key.push_str(&name);
                key.push('\u{1}');
                // A sub-attribute is never complex, but may be multi-valued: its values are
                // simple (no recursion beyond that one level of arrays).
                // A member no schema defines compares by the attribute's own rules, as
                // `same_value` compares it.
                push_values_key(key, attr.sub_attribute(&name).unwrap_or(attr), v);
                key.push('\u{2}');
            }
            key.push('}');
        }
        other => push_values_key(key, attr, other),
    }
}

/// The key of a simple value, or of an array of simple values: its values' keys sorted, since
/// `same_value` compares the values of a multi-valued attribute in any order.
fn push_values_key(key: &mut String, attr: &Attribute, value: &Value) {
    let Value::Array(items) = value else {
        push_scalar_key(key, attr, value);
        return;
    };
    let mut keys: Vec<String> = items
        .iter()
        .map(|item| {
            let mut k = String::new();
            push_scalar_key(&mut k, attr, item);
            k
        })
        .collect();
    keys.sort_unstable();
    key.push('[');
    for k in keys {
        key.push_str(&k);
        key.push('\u{3}');
    }
    key.push(']');
}

fn push_scalar_key(key: &mut String, attr: &Attribute, value: &Value) {
    match value {
        // A dateTime by the instant it names, as `same_value` compares it.
        Value::String(s) if attr.kind() == AttributeType::DateTime => match crate::value::parse_datetime(s) {
            Some(instant) => {
                key.push_str(&instant.unix_seconds().to_string());
                key.push('.');
                key.push_str(instant.fraction_digits());
            }
            None => key.push_str(s),
        },
        Value::String(s) if !attr.case_exact() => key.push_str(&crate::value::fold_case(s)),
        Value::String(s) => key.push_str(s),
        // A number by its value, as `same_value` compares: a whole double meets the integer.
        Value::Number(n) => {
            key.push_str(&crate::value::whole_double_digits(n, f64::MAX).unwrap_or_else(|| n.to_string()));
        }
        other => key.push_str(&other.to_string()),
    }
}

/// The error detail for a second key naming `named` (`userName` beside `USERNAME` or
/// `urn:…:User:userName`): a parsed object keeps no order, so `key` is whichever of the two
/// was met second in key order.
pub(crate) fn twice(named: Named<'_>, key: &str) -> String {
    if key == named.attr.name() {
        format!("`{named}` is given twice: another key names it too (in another case, or URN-qualified)")
    } else {
        format!("`{named}` is given twice: `{}` names it too", excerpt(key))
    }
}
