//! Applying a PATCH request to a resource, atomically: every operation succeeds, or the
//! resource comes back exactly as it was.

use serde::Serialize;
use serde_json::{Map, Value};

use super::journal::{Container, Doc};
use super::options::PatchOptions;
use super::request::{OpKind, Operation, PatchRequest, parse_request_owned};
use super::request_text::parse_request_text;
use super::target::{AttrTarget, Target, resolve_reading};
use crate::compat::Quirk;
use crate::error::{Error, Location, ScimType};
use crate::schema::{Attribute, Mutability, Registry, ResourceTypeView};
use crate::validate::loc::Loc;
use crate::validate::resource::same_value;
use crate::validate::walk::{Named, Walker};
use crate::validate::{Mode, Note, NoteCode, ValidateOptions};

/// One change a PATCH made, for audit logs and for stores that keep some attributes (group
/// members) in their own tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `add`, `remove` or `replace`: what happened to the attribute (not always the request's
    /// `op`: a `replace` of an absent attribute adds it).
    pub op: &'static str,
    /// The attribute in schema spelling: `emails`, `name.givenName`, `urn:…:User:manager`.
    pub attribute: String,
    /// Values added to a multi-valued attribute.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<Value>,
    /// Values removed from a multi-valued attribute.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Value>,
    /// The old value of a single-valued attribute (or of a changed element).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value of a single-valued attribute (or of a changed element).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// Whether the values were left out because the attribute is write-only or never returned
    /// (`password`): the change is recorded, its values are not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub redacted: bool,
}

/// A PATCH that succeeded.
#[derive(Debug, Clone, PartialEq)]
pub struct Patched {
    /// The new resource.
    pub resource: Value,
    /// What changed, in order.
    pub changes: Vec<Change>,
    /// The quirk rules that fired (notes with code `quirk`).
    pub quirks: Vec<Note>,
    /// Other notes: what normalization did to the values sent.
    pub notes: Vec<Note>,
}

impl Patched {
    /// Whether the PATCH reports nothing besides the resource: no change, quirk or other note
    /// (always so under `report: none`).
    #[must_use]
    pub fn reports_nothing(&self) -> bool {
        self.changes.is_empty() && self.quirks.is_empty() && self.notes.is_empty()
    }
}

/// A PATCH that failed: the error, and the resource exactly as it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchFailure {
    /// What went wrong, located in the request (`/Operations/2/value/emails/0`).
    pub error: Error,
    /// The resource, untouched.
    pub resource: Value,
}

impl From<PatchFailure> for Error {
    fn from(f: PatchFailure) -> Self {
        f.error
    }
}

/// A problem reading the stored resource (not JSON, too large, too deep) as the PATCH reports
/// it: the stored resource is the server's, so `invalidValue`, whatever the reader's own kind.
pub fn stored_resource_error(e: &Error) -> Error {
    Error::new(ScimType::InvalidValue, format!("the stored resource: {}", e.detail()))
}

/// Applies the PATCH request given as JSON text (read strictly: duplicate keys refused).
///
/// # Errors
/// As [`apply_patch`].
pub fn apply_patch_json(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: &str,
    options: &PatchOptions,
) -> Result<Patched, PatchFailure> {
    apply_patch_text(registry, resource_type, resource, request, options, true)
}

/// [`apply_patch_json`], with the stored resource's depth walk left out (`check_depth`
/// false) when the strict reader has just read it from text under `options.limits`.
pub(crate) fn apply_patch_text(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: &str,
    options: &PatchOptions,
    check_depth: bool,
) -> Result<Patched, PatchFailure> {
    let request = parse_request_text(request, options);
    apply_request(registry, resource_type, resource, request, options, check_depth)
}

/// Applies a PATCH request (RFC 7644 §3.5.2) to `resource`, a stored resource of
/// `resource_type`. The result is held to the rules a replace is: values are checked and
/// normalized as validation does, mutability is enforced, `primary` stays unique, and
/// `schemas` follows the extensions present.
///
/// # Errors
/// [`PatchFailure`] with the first error (`invalidSyntax`, `invalidPath`, `invalidValue`,
/// `noTarget`, `mutability`, `tooMany`) located in the request, and the resource untouched.
pub fn apply_patch(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: &Value,
    options: &PatchOptions,
) -> Result<Patched, PatchFailure> {
    apply_request(registry, resource_type, resource, parse_request_owned(request.clone(), options), options, true)
}

/// [`apply_patch`] taking the request by value, so its values are moved, not copied.
///
/// # Errors
/// As [`apply_patch`].
pub fn apply_patch_owned(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: Value,
    options: &PatchOptions,
) -> Result<Patched, PatchFailure> {
    apply_patch_value(registry, resource_type, resource, request, options, true)
}

/// [`apply_patch_owned`], with the stored resource's depth walk left out (`check_depth` false)
/// when it is known to nest within `options.limits`.
pub(crate) fn apply_patch_value(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: Value,
    options: &PatchOptions,
    check_depth: bool,
) -> Result<Patched, PatchFailure> {
    apply_request(registry, resource_type, resource, parse_request_owned(request, options), options, check_depth)
}

fn apply_request(
    registry: &Registry,
    resource_type: &str,
    resource: Value,
    request: Result<PatchRequest, Error>,
    options: &PatchOptions,
    check_depth: bool,
) -> Result<Patched, PatchFailure> {
    let prepared = registry.require_resource_type(resource_type).and_then(|rt| request.map(|r| (rt, r)));
    let (rt, request) = match prepared {
        Ok(p) => p,
        Err(error) => return Err(PatchFailure { error, resource }),
    };
    // A stored resource handed over as a value has not been through the reader's depth limit;
    // the comparisons below recurse into values, so hold it to the same limit first.
    let depth = options.limits.depth();
    if let Some(too_deep) = check_depth.then(|| crate::json::depth_error(&resource, depth)).flatten() {
        // As its text would be answered.
        let error = stored_resource_error(&too_deep);
        return Err(PatchFailure { error, resource });
    }
    let Value::Object(map) = resource else {
        let error = Error::new(ScimType::InvalidValue, "the stored resource must be a JSON object");
        return Err(PatchFailure { error, resource });
    };
    let mut engine = Engine::new(rt, options, map);
    match engine.run(request) {
        Ok(()) => Ok(Patched {
            resource: Value::Object(engine.doc.res),
            changes: engine.changes,
            quirks: engine.quirks,
            notes: engine.notes,
        }),
        Err(error) => {
            // How the request was read up to the error (Entra's `"Replace"` read as `replace`…)
            // goes with it.
            let noted = std::mem::take(&mut engine.quirks).into_iter().chain(std::mem::take(&mut engine.notes));
            let error = error.with_notes(noted);
            Err(PatchFailure { error, resource: Value::Object(engine.doc.undo()) })
        }
    }
}

/// The state of one PATCH.
pub(crate) struct Engine<'r, 'o> {
    pub(crate) rt: ResourceTypeView<'r>,
    pub(crate) opts: &'o PatchOptions,
    pub(crate) vopts: ValidateOptions,
    pub(crate) doc: Doc<'r>,
    pub(crate) changes: Vec<Change>,
    /// The quirk rules that fired (notes with code `quirk`), in order.
    pub(crate) quirks: Vec<Note>,
    /// Every other note, in order.
    pub(crate) notes: Vec<Note>,
    /// Whether change records and notes are made (`report: full`).
    pub(crate) reporting: bool,
    /// The last `add` of many values' index of the values it added to, kept while nothing else
    /// changes the resource: a run of `add` operations on one attribute (1,000 operations of 40
    /// members) groups its values once, not once per operation.
    pub(crate) added_to: Option<super::elements::KeptIndex<'r>>,
    /// The attribute the last `remove` of values took them out of, while nothing else changes
    /// it: a run of removals looks its values up (1,000 members out of 90,000, one operation
    /// each, the way Okta and Entra ID send them).
    pub(crate) removing_from: Option<super::removal_run::RemovalRun<'r>>,
}

/// Where the operation being applied is, for errors and notes.
#[derive(Clone, Copy)]
pub(crate) struct At<'l> {
    /// `/Operations/i`.
    pub op: &'l Loc<'l>,
    /// Where the value being written is (`/Operations/i/value` or deeper).
    pub value: &'l Loc<'l>,
    /// Whether the operation named its target with `path` (else a key of a path-less value did).
    pub has_path: bool,
    /// The operation's name for `path` (`path` unless the request spelled it otherwise).
    pub path_name: &'l str,
}

impl At<'_> {
    /// Where the target was named: `/Operations/i/path`, or the key of a path-less value.
    pub(crate) fn path(&self) -> Location {
        if self.has_path { self.op.key(self.path_name).pointer() } else { self.value.pointer() }
    }
}

impl<'r, 'o> Engine<'r, 'o> {
    fn new(rt: ResourceTypeView<'r>, opts: &'o PatchOptions, map: Map<String, Value>) -> Self {
        let vopts = ValidateOptions {
            mode: Mode::Create,
            existing: None,
            profile: opts.profile,
            unknown_attributes: opts.unknown_attributes,
            canonical_values: opts.canonical_values,
            limits: opts.limits,
        };
        Self {
            rt,
            opts,
            vopts,
            doc: Doc::new(map),
            changes: Vec::new(),
            quirks: Vec::new(),
            notes: Vec::new(),
            reporting: opts.report.is_full(),
            added_to: None,
            removing_from: None,
        }
    }

    fn run(&mut self, request: PatchRequest) -> Result<(), Error> {
        // Nearly every operation makes a change and a journal entry or more.
        if self.reporting {
            self.changes.reserve(request.operations.len());
        }
        self.doc.reserve(request.operations.len());
        // The request's own name for `Operations`, for an error about the whole result.
        let ops_name = request.operations.first().map_or_else(String::new, |o| o.operations_name().to_owned());
        // A stored resource already without a required attribute is named as such, not blamed
        // on the request.
        let missing_before = self.first_missing_required();
        for op in request.operations {
            self.operation(op)?;
        }
        self.finish_schemas();
        self.finish_required(&ops_name, missing_before.as_deref())
    }

    pub(crate) fn quirk(&mut self, quirk: Quirk, at: &Loc<'_>, detail: String) {
        self.quirk_at(quirk, at.pointer(), detail);
    }

    fn quirk_at(&mut self, quirk: Quirk, location: Location, detail: String) {
        if self.reporting {
            self.push_quirk(Note { code: NoteCode::Quirk, quirk: Some(quirk), location, detail });
        }
    }

    fn push_quirk(&mut self, note: Note) {
        // Where one rule fires, several usually do (Entra capitalizes every `op`).
        if self.quirks.capacity() == 0 {
            self.quirks.reserve(8);
        }
        self.quirks.push(note);
    }

    /// Records a note other than a quirk, when the PATCH reports: the location and the detail
    /// are made only then.
    pub(crate) fn note(
        &mut self,
        code: NoteCode,
        location: impl FnOnce() -> Location,
        detail: impl FnOnce() -> String,
    ) {
        if self.reporting {
            self.notes.push(Note { code, quirk: None, location: location(), detail: detail() });
        }
    }

    pub(crate) fn allows(&self, quirk: Quirk) -> bool {
        self.opts.profile.allows(quirk)
    }

    fn operation(&mut self, op: Operation) -> Result<(), Error> {
        let root = Loc::Root;
        let names = op.spelled.clone();
        let (ops_name, path_name, value_name) =
            names.as_deref().map_or(("Operations", "path", "value"), |s| (&s.operations, &s.path, &s.value));
        let ops = root.key(ops_name);
        let op_loc = ops.index(op.index);
        let value_loc = op_loc.key(value_name);
        let at = At { op: &op_loc, value: &value_loc, has_path: op.path.is_some(), path_name };
        if self.reporting {
            if let Some(note) = op.op_case_note() {
                self.push_quirk(note);
            }
        }
        let Some(path) = &op.path else {
            let Some(Value::Object(value)) = op.value else {
                return Err(Error::new(ScimType::InvalidValue, "a path-less operation needs an object value")
                    .at(value_loc.pointer()));
            };
            return self.pathless(op.op, value, at);
        };
        let (target, read) =
            resolve_reading(&self.rt, path, self.allows(Quirk::StringBooleans)).map_err(|e| e.at(at.path()))?;
        if let Some(detail) = read {
            self.quirk_at(Quirk::StringBooleans, at.path(), detail);
        }
        // `replace` with `null`: the target becomes unassigned (RFC 7643 §2.5), which is what
        // `remove` does — and a filter that selects nothing is `noTarget` for both.
        let (kind, value) = match op.value {
            Some(Value::Null) => (OpKind::Remove, None),
            other => (op.op, other),
        };
        match (kind, target) {
            (OpKind::Remove, Target::Extension(ext)) => {
                if value.is_some() {
                    return Err(no_value_on_remove(at));
                }
                self.remove_whole_extension(ext, at)
            }
            (kind, Target::Extension(ext)) => {
                let Some(Value::Object(value)) = value else {
                    return Err(Error::new(
                        ScimType::InvalidValue,
                        format!("a value for the extension `{}` must be an object of its attributes", ext.id()),
                    )
                    .at(value_loc.pointer()));
                };
                self.extension_value(kind, ext, value, at)
            }
            (OpKind::Remove, Target::Attribute(t)) => self.remove(&t, value, at),
            (kind, Target::Attribute(t)) => self.write(kind, &t, value.unwrap_or(Value::Null), at),
        }
    }

    /// Checks a value for `named` with the validation rules (in place); returns whether the
    /// value is kept, or the errors found.
    pub(crate) fn check(
        &mut self,
        named: Named<'_>,
        value: &mut Value,
        at: &Loc<'_>,
        element: bool,
        enterprise: bool,
    ) -> Result<bool, Error> {
        self.check_merging(named, value, at, element, enterprise, false)
    }

    /// [`Engine::check`]; with `merging`, for a complex value merged into a stored one, whose
    /// required sub-attributes may come from the stored value (the caller checks the merge).
    pub(crate) fn check_merging(
        &mut self,
        named: Named<'_>,
        value: &mut Value,
        at: &Loc<'_>,
        element: bool,
        enterprise: bool,
        merging: bool,
    ) -> Result<bool, Error> {
        let mut w = Walker::new(self.rt, &self.vopts);
        w.in_enterprise = enterprise;
        w.merging = merging;
        w.keeps_notes = self.reporting;
        let keep = if element { w.element(named, value, at) } else { w.attribute(named, value, at) };
        for note in w.notes.drain(..) {
            if note.code == NoteCode::Quirk { self.quirks.push(note) } else { self.notes.push(note) }
        }
        match Error::collect(w.errors) {
            Some(e) => Err(e),
            None => Ok(keep),
        }
    }

    /// A readOnly target: re-sending the stored value is accepted as a no-op (Okta does it);
    /// anything else is a `mutability` error.
    pub(crate) fn read_only(
        name: &str,
        current: Option<&Value>,
        attr: &Attribute,
        new: &Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        if current.is_some_and(|c| same_value(attr, c, new)) {
            return Ok(());
        }
        Err(Error::new(ScimType::Mutability, format!("`{name}` is read-only")).at(at.path()))
    }

    /// Runs an operation on target `t`. One on part of an immutable attribute that is set — a
    /// sub-attribute, the values a filter selects — may not change it either (RFC 7643 §2.2:
    /// "SHALL NOT be updated"), whatever the parts' own mutability: what the operation left is
    /// compared with what the attribute held.
    pub(crate) fn keeping_immutable(
        &mut self,
        t: &AttrTarget<'r>,
        at: At<'_>,
        op: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if t.sub.is_none() && t.filter.is_none() {
            return op(self);
        }
        self.guard_immutable(t, at, op)
    }

    /// Runs `op`, then refuses what it did to `t`'s attribute when that is immutable, was set,
    /// and no longer holds the same value (by its comparison rules).
    pub(crate) fn guard_immutable(
        &mut self,
        t: &AttrTarget<'r>,
        at: At<'_>,
        op: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let before = if t.attr.mutability() == Mutability::Immutable {
            self.doc.get(t.container, t.attr.name()).cloned()
        } else {
            None
        };
        op(self)?;
        let Some(before) = before else { return Ok(()) };
        let what = match self.doc.get(t.container, t.attr.name()) {
            Some(after) if same_value(t.attr, &before, after) => return Ok(()),
            Some(_) => "it cannot change",
            None => "it cannot be removed",
        };
        Err(Error::new(ScimType::Mutability, format!("`{}` is immutable and already set; {what}", t.attr_display()))
            .at(at.path()))
    }

    /// An immutable value that is set may not change.
    pub(crate) fn immutable(
        name: &str,
        attr: &Attribute,
        current: Option<&Value>,
        new: &Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        match current {
            Some(c) if attr.mutability() == Mutability::Immutable && !same_value(attr, c, new) => Err(Error::new(
                ScimType::Mutability,
                format!("`{name}` is immutable and already set; it cannot change"),
            )
            .at(at.path())),
            _ => Ok(()),
        }
    }

    pub(crate) fn record(&mut self, op: &'static str, t: &AttrTarget<'_>, change: ChangeValues) {
        if !self.reporting {
            return;
        }
        if t.attr.is_secret() || t.sub.is_some_and(Attribute::is_secret) {
            self.changes.push(Change {
                op,
                attribute: t.display(),
                added: Vec::new(),
                removed: Vec::new(),
                old: None,
                new: None,
                redacted: true,
            });
            return;
        }
        let mut change = change;
        let redacted = t.sub.is_none() && scrub_secrets(t.attr, &mut change);
        self.push_change(op, t.display(), change, redacted);
    }

    /// `value` to store, and a copy of it for the change record when the PATCH reports (none is
    /// made otherwise).
    pub(crate) fn stored_and_recorded<T: Clone>(&self, value: T) -> (T, Option<T>) {
        if self.reporting {
            let copy = value.clone();
            (value, Some(copy))
        } else {
            (value, None)
        }
    }

    /// A change record of values that hold no secret (`primary` flags, emptied values).
    pub(crate) fn record_as(&mut self, op: &'static str, attribute: String, change: ChangeValues) {
        self.push_change(op, attribute, change, false);
    }

    fn push_change(&mut self, op: &'static str, attribute: String, change: ChangeValues, redacted: bool) {
        if !self.reporting {
            return;
        }
        self.changes.push(Change {
            op,
            attribute,
            added: change.added,
            removed: change.removed,
            old: change.old,
            new: change.new,
            redacted,
        });
    }

    /// Keeps `schemas` in step with the extensions present: lists each extension that has an
    /// object, drops those that have none.
    fn finish_schemas(&mut self) {
        let rt = self.rt;
        for id in rt.extensions().map(|(s, _)| s.id()) {
            if self.doc.get(Container::Top, id).is_some_and(|v| v.as_object().is_some_and(Map::is_empty)) {
                self.doc.remove(Container::Top, id);
            }
        }
        let wanted = {
            let doc = &self.doc;
            let present = |id: &str| doc.get(Container::Top, id).is_some();
            let current: Vec<&str> = doc
                .get(Container::Top, "schemas")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut wanted: Vec<&str> =
                current.iter().copied().filter(|s| rt.extension(s).is_none_or(|(e, _)| present(e.id()))).collect();
            if !wanted.iter().any(|s| s.eq_ignore_ascii_case(rt.core_schema().id())) {
                wanted.insert(0, rt.core_schema().id());
            }
            for id in rt.extensions().map(|(s, _)| s.id()).filter(|id| present(id)) {
                if !wanted.iter().any(|s| s.eq_ignore_ascii_case(id)) {
                    wanted.push(id);
                }
            }
            (wanted != current).then(|| wanted.into_iter().map(|s| Value::String(s.to_owned())).collect::<Vec<_>>())
        };
        if let Some(wanted) = wanted {
            self.doc.prepare(Container::Top, "schemas");
            self.doc.set(Container::Top, "schemas", Value::Array(wanted));
        }
    }

    /// The result must hold what a replace must: every required attribute the client manages,
    /// in the core schema and in each extension present, and every required extension holding
    /// something a client can set. `missing_before`: what the stored resource lacked already.
    fn finish_required(&self, ops_name: &str, missing_before: Option<&str>) -> Result<(), Error> {
        let Some(name) = self.first_missing_required() else { return Ok(()) };
        let at = Location::root().key(if ops_name.is_empty() { "Operations" } else { ops_name });
        let detail = if missing_before == Some(name.as_str()) {
            format!("the stored resource has no `{name}`, which is required, and the PATCH does not set it")
        } else {
            format!("`{name}` is required, and the resource would be without it")
        };
        Err(Error::new(ScimType::InvalidValue, detail).at(at))
    }

    /// The first required attribute (or extension) the client manages that the resource is
    /// without, as it stands: `urn:…:attribute` for an extension's.
    fn first_missing_required(&self) -> Option<String> {
        let rt = self.rt;
        let client_managed = |attr: &Attribute| attr.required() && attr.mutability() != Mutability::ReadOnly;
        if let Some(attr) = rt
            .core_schema()
            .attributes()
            .iter()
            .chain(rt.common_attributes())
            .find(|a| client_managed(a) && self.doc.get(Container::Top, a.name()).is_none())
        {
            return Some(attr.name().to_owned());
        }
        for (ext, required) in rt.extensions() {
            let present = self.doc.get(Container::Top, ext.id()).is_some();
            if required && !present && ext.has_client_attributes() {
                return Some(ext.id().to_owned());
            }
            if !present {
                continue;
            }
            if let Some(attr) = ext
                .attributes()
                .iter()
                .find(|a| client_managed(a) && self.doc.get(Container::Ext(ext.id()), a.name()).is_none())
            {
                return Some(format!("{}:{}", ext.id(), attr.name()));
            }
        }
        None
    }

    /// Removes extension `ext` whole (`remove` of its URN, `replace` with `null` or `{}`):
    /// refused when the resource type requires it, or when it holds an immutable or read-only
    /// value, which would go with it (RFC 7643 §2.2).
    pub(crate) fn remove_whole_extension(&mut self, ext: &'r crate::schema::Schema, at: At<'_>) -> Result<(), Error> {
        if self.rt.extension(ext.id()).is_some_and(|(_, required)| required) {
            return Err(Error::new(
                ScimType::Mutability,
                format!(
                    "extension `{}` is required for `{}`; it cannot be removed",
                    ext.id(),
                    self.rt.definition().name()
                ),
            )
            .at(at.path()));
        }
        for attr in ext.attributes() {
            if self.doc.get(Container::Ext(ext.id()), attr.name()).is_none() {
                continue;
            }
            let why = match attr.mutability() {
                Mutability::Immutable => "is immutable and already set; it cannot be removed",
                Mutability::ReadOnly => "is read-only",
                _ => continue,
            };
            return Err(Error::new(ScimType::Mutability, format!("`{}:{}` {why}", ext.id(), attr.name())).at(at.path()));
        }
        self.remove_extension(ext.id());
        Ok(())
    }

    fn remove_extension(&mut self, id: &'r str) {
        let old = self.doc.remove(Container::Top, id).filter(|_| self.reporting).cloned();
        if let Some(old) = old {
            self.push_change(
                "remove",
                id.to_owned(),
                ChangeValues { old: Some(old), ..ChangeValues::default() },
                false,
            );
        }
    }
}

/// What a change record carries.
#[derive(Default)]
pub(crate) struct ChangeValues {
    pub added: Vec<Value>,
    pub removed: Vec<Value>,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Takes the values of `attr`'s secret sub-attributes (a `password`-like sub-attribute of a
/// custom complex attribute) out of the complex values `change` records; whether any was.
fn scrub_secrets(attr: &Attribute, change: &mut ChangeValues) -> bool {
    if !attr.sub_attributes().iter().any(Attribute::is_secret) {
        return false;
    }
    let mut scrubbed = false;
    let values = change
        .added
        .iter_mut()
        .chain(change.removed.iter_mut())
        .chain(change.old.iter_mut())
        .chain(change.new.iter_mut());
    for value in values {
        let Value::Object(members) = value else { continue };
        let before = members.len();
        members.retain(|k, _| attr.sub_attribute(k).is_none_or(|s| !s.is_secret()));
        scrubbed |= members.len() != before;
    }
    scrubbed
}

pub(crate) fn no_value_on_remove(at: At<'_>) -> Error {
    Error::new(
        ScimType::InvalidSyntax,
        "`remove` takes no `value`; select the values to remove with a filter in `path` (e.g. `members[value eq \"…\"]`)",
    )
    .at(at.value.pointer())
}
