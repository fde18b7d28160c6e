//! `remove` (RFC 7644 §3.5.2.2).

use std::collections::BTreeSet;

use serde_json::Value;

use super::apply::{At, ChangeValues, Engine, no_value_on_remove};
use super::elements::{ElementIndex, INDEX_FROM, SameElement};
use super::removal_run::{RemovalRun, Wanted};
use super::target::AttrTarget;
use crate::compat::Quirk;
use crate::error::{Error, Location, ScimType};
use crate::schema::{Attribute, AttributeType, Mutability};

impl<'r> Engine<'r, '_> {
    /// Refuses to remove what may not be removed: readOnly values, immutable values that are
    /// set, and required attributes the client manages.
    fn removable(name: &str, attr: &Attribute, present: bool, at: At<'_>) -> Result<(), Error> {
        if attr.mutability() == Mutability::ReadOnly {
            return Err(Error::new(ScimType::Mutability, format!("`{name}` is read-only")).at(at.path()));
        }
        if present && attr.mutability() == Mutability::Immutable {
            return Err(
                Error::new(ScimType::Mutability, format!("`{name}` is immutable; it cannot be removed")).at(at.path())
            );
        }
        if attr.required() {
            return Err(
                Error::new(ScimType::Mutability, format!("`{name}` is required; it cannot be removed")).at(at.path())
            );
        }
        Ok(())
    }

    pub(crate) fn remove(&mut self, t: &AttrTarget<'r>, value: Option<Value>, at: At<'_>) -> Result<(), Error> {
        self.keeping_immutable(t, at, |e| e.remove_parts(t, value, at))
    }

    fn remove_parts(&mut self, t: &AttrTarget<'r>, value: Option<Value>, at: At<'_>) -> Result<(), Error> {
        match (&t.filter, t.sub, value) {
            (None, None, Some(value)) => self.remove_by_value(t, value, at),
            (_, _, Some(_)) => Err(no_value_on_remove(at)),
            (None, None, None) => self.remove_attribute(t, at),
            (None, Some(sub), None) if !t.attr.multi_valued() => self.remove_member(t, sub, at),
            (None, Some(sub), None) => {
                let count = self.doc.get(t.container, t.attr.name()).and_then(Value::as_array).map_or(0, Vec::len);
                let indices: Vec<usize> = (0..count).collect();
                self.remove_sub_in(t, &[sub], &indices, &[], &|| at.path(), at)
            }
            (Some(_), sub, None) => {
                let (indices, run) = match (sub, t.filter.as_deref()) {
                    (None, Some((filter, written))) => {
                        let (indices, run) =
                            self.find_for_removal(t, &Wanted::Matching(filter, written), |e| e.selected(t));
                        (indices, Some(run))
                    }
                    _ => (self.selected(t), None),
                };
                if indices.is_empty() {
                    self.removing_from = run;
                    // Nothing to remove is still no licence to touch a read-only attribute.
                    if t.attr.mutability() == Mutability::ReadOnly {
                        return Err(
                            Error::new(ScimType::Mutability, format!("`{}` is read-only", t.display())).at(at.path())
                        );
                    }
                    if self.allows(Quirk::RemoveOnFilterMiss) {
                        let detail =
                            format!("the filter of `{}` matched no value, so nothing was removed", t.display());
                        self.quirk(Quirk::RemoveOnFilterMiss, at.op, detail);
                        return Ok(());
                    }
                    return Err(Error::new(
                        ScimType::NoTarget,
                        format!("the filter of `{}` matches no value", t.display()),
                    )
                    .at(at.path()));
                }
                match sub {
                    Some(sub) => self.remove_sub_in(t, &[sub], &indices, &[], &|| at.path(), at),
                    None => self.remove_elements_in_run(t, &indices, run, at),
                }
            }
        }
    }

    /// The positions of the values of `t` that `wanted` selects (ascending): looked up by the
    /// run of removals from `t`'s attribute when one goes on and can ([`RemovalRun::find`]),
    /// else found by `pass`; and the run, this removal now part of it.
    fn find_for_removal(
        &mut self,
        t: &AttrTarget<'r>,
        wanted: &Wanted<'_>,
        pass: impl FnOnce(&Self) -> Vec<usize>,
    ) -> (Vec<usize>, RemovalRun<'r>) {
        let (c, name) = (t.container, t.attr.name());
        let kept = self
            .removing_from
            .take()
            .filter(|run| run.goes_on(c, name, |since| self.doc.touched_since(since, c, name)));
        let in_a_run = kept.is_some();
        let mut run = kept.unwrap_or_else(|| RemovalRun::begun(c, name, self.doc.changes_made()));
        let stored = self.doc.get(c, name).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let found = if in_a_run { run.find(t.attr, stored, wanted) } else { None };
        (found.unwrap_or_else(|| pass(self)), run)
    }

    /// [`Self::remove_elements`] as part of `run` (kept for the next removal when it succeeds).
    fn remove_elements_in_run(
        &mut self,
        t: &AttrTarget<'r>,
        indices: &[usize],
        run: Option<RemovalRun<'r>>,
        at: At<'_>,
    ) -> Result<(), Error> {
        self.remove_elements(t, indices, at)?;
        if let Some(mut run) = run {
            run.removed(indices, self.doc.changes_made());
            self.removing_from = Some(run);
        }
        Ok(())
    }

    /// The whole attribute. Removing an attribute that has no value changes nothing.
    pub(crate) fn remove_attribute(&mut self, t: &AttrTarget<'r>, at: At<'_>) -> Result<(), Error> {
        let present = self.doc.get(t.container, t.attr.name()).is_some();
        Self::removable(&t.display(), t.attr, present, at)?;
        let reporting = self.reporting;
        if let Some(old) = self.doc.remove(t.container, t.attr.name()).filter(|_| reporting).cloned() {
            let change = match old {
                Value::Array(items) if t.attr.multi_valued() => {
                    ChangeValues { removed: items, ..ChangeValues::default() }
                }
                other => ChangeValues { old: Some(other), ..ChangeValues::default() },
            };
            self.record("remove", t, change);
        }
        Ok(())
    }

    /// `name.middleName`: a sub-attribute of a single-valued complex attribute. A complex value
    /// left empty is removed (RFC 7643 §2.5).
    pub(crate) fn remove_member(&mut self, t: &AttrTarget<'r>, sub: &'r Attribute, at: At<'_>) -> Result<(), Error> {
        let c = t.container;
        let present = self.doc.get(c, t.attr.name()).and_then(|v| super::elements::member(v, sub.name())).is_some();
        if t.attr.mutability() == Mutability::ReadOnly {
            return Err(Error::new(ScimType::Mutability, format!("`{}` is read-only", t.display())).at(at.path()));
        }
        Self::removable(&t.display(), sub, present, at)?;
        if !present {
            return Ok(());
        }
        let reporting = self.reporting;
        let old = self.doc.set_member(c, t.attr.name(), None, sub.name(), None).filter(|_| reporting).cloned();
        self.record("remove", t, ChangeValues { old, ..ChangeValues::default() });
        if sub.name() == "value" {
            // What described the referent goes with it: its `$ref` and the read-only parts the
            // service filled in (a manager's `displayName`), as a new `value` drops them.
            let describing: Vec<&'r Attribute> = t
                .attr
                .sub_attributes()
                .iter()
                .filter(|s| s.name() == "$ref" || s.mutability() == Mutability::ReadOnly)
                .filter(|s| self.doc.get(c, t.attr.name()).and_then(|v| super::elements::member(v, s.name())).is_some())
                .collect();
            for s in describing {
                let old = self.doc.set_member(c, t.attr.name(), None, s.name(), None).filter(|_| reporting).cloned();
                self.record("remove", &t.with_sub(s), ChangeValues { old, ..ChangeValues::default() });
            }
        }
        if self.doc.get(c, t.attr.name()).and_then(Value::as_object).is_some_and(serde_json::Map::is_empty) {
            // An empty complex value is no value (RFC 7643 §2.5): a required one may not go so.
            Self::left_unassigned(t, at)?;
            self.doc.remove(c, t.attr.name());
        }
        Ok(())
    }

    /// Refuses to leave required attribute `t` without a value by taking out its last
    /// sub-attribute or value: `mutability` at the operation's path, as removing it would be
    /// (RFC 7644 §3.5.2.2: "removed or becomes unassigned").
    fn left_unassigned(t: &AttrTarget<'r>, at: At<'_>) -> Result<(), Error> {
        if !t.attr.required() {
            return Ok(());
        }
        Err(Error::new(
            ScimType::Mutability,
            format!("`{}` is required; this would leave it without a value", t.attr_display()),
        )
        .at(at.path()))
    }

    /// Sub-attributes of the single complex value of `t` (a value left empty goes too).
    pub(crate) fn remove_members(
        &mut self,
        t: &AttrTarget<'r>,
        subs: &[&'r Attribute],
        at: At<'_>,
    ) -> Result<(), Error> {
        for &sub in subs {
            self.remove_member(&t.with_sub(sub), sub, at)?;
        }
        Ok(())
    }

    /// Sub-attributes of the values at `indices` (each value left empty goes too). A value this
    /// left equal to another, or one of `written` (values the operation also wrote), is kept
    /// once, noted at `note_at`.
    pub(crate) fn remove_sub_in(
        &mut self,
        t: &AttrTarget<'r>,
        subs: &[&'r Attribute],
        indices: &[usize],
        written: &[usize],
        note_at: &dyn Fn() -> Location,
        at: At<'_>,
    ) -> Result<(), Error> {
        let c = t.container;
        if t.attr.mutability() == Mutability::ReadOnly {
            return Err(Error::new(ScimType::Mutability, format!("`{}` is read-only", t.display())).at(at.path()));
        }
        let mut changed: BTreeSet<usize> = written.iter().copied().collect();
        for &sub in subs {
            let one = t.with_sub(sub);
            for &i in indices {
                let present = self.element_member(c, t.attr, i, sub.name()).is_some();
                Self::removable(&one.display(), sub, present, at)?;
                if present {
                    changed.insert(i);
                    let reporting = self.reporting;
                    let old =
                        self.doc.set_member(c, t.attr.name(), Some(i), sub.name(), None).filter(|_| reporting).cloned();
                    self.record("remove", &one, ChangeValues { old, ..ChangeValues::default() });
                }
            }
        }
        // Values left empty are no values at all.
        let empty: Vec<usize> = self
            .doc
            .get(c, t.attr.name())
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter(|(_, e)| e.as_object().is_some_and(serde_json::Map::is_empty))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        if !empty.is_empty() {
            let removed = self.doc.remove_elements(c, t.attr.name(), &empty, self.reporting);
            self.record_as("remove", t.attr_display(), ChangeValues { removed, ..ChangeValues::default() });
        }
        // The changed values that are left, numbered as they now stand.
        let changed: Vec<usize> = changed
            .into_iter()
            .filter(|i| empty.binary_search(i).is_err())
            .map(|i| i.saturating_sub(empty.partition_point(|&e| e < i)))
            .collect();
        self.drop_values_made_equal(t, &changed, note_at);
        // Emptied by this removal (not stored as `[]` already): a required attribute may not be.
        if !empty.is_empty() && self.doc.get(c, t.attr.name()).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            Self::left_unassigned(t, at)?;
        }
        self.drop_if_empty(t);
        Ok(())
    }

    /// The values at `indices` (ascending).
    pub(crate) fn remove_elements(&mut self, t: &AttrTarget<'r>, indices: &[usize], at: At<'_>) -> Result<(), Error> {
        if t.attr.mutability() == Mutability::ReadOnly {
            return Err(Error::new(ScimType::Mutability, format!("`{}` is read-only", t.display())).at(at.path()));
        }
        let removed = self.doc.remove_elements(t.container, t.attr.name(), indices, self.reporting);
        let left = self.doc.get(t.container, t.attr.name()).and_then(Value::as_array).map_or(0, Vec::len);
        if left == 0 && t.attr.required() {
            return Err(Error::new(
                ScimType::Mutability,
                format!("`{}` is required; its last value cannot be removed", t.display()),
            )
            .at(at.path()));
        }
        self.record("remove", t, ChangeValues { removed, ..ChangeValues::default() });
        self.drop_if_empty(t);
        Ok(())
    }

    /// A multi-valued attribute with no values left is unassigned.
    fn drop_if_empty(&mut self, t: &AttrTarget<'r>) {
        if self.doc.get(t.container, t.attr.name()).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            self.doc.remove(t.container, t.attr.name());
        }
    }

    /// `remove` with `path: "members"` and a `value`: refused by the RFC, accepted by the
    /// `removeByValue` rule as "remove these values" (Microsoft Entra ID).
    fn remove_by_value(&mut self, t: &AttrTarget<'r>, value: Value, at: At<'_>) -> Result<(), Error> {
        let attr = t.attr;
        if !(self.allows(Quirk::RemoveByValue) && attr.multi_valued() && attr.kind() == AttributeType::Complex) {
            return Err(no_value_on_remove(at));
        }
        let wanted = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        let (indices, run) = self.find_for_removal(t, &Wanted::SameAs(&wanted), |e| {
            let stored = e.doc.get(t.container, attr.name()).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            if wanted.len() >= 8 && wanted.len().saturating_mul(stored.len()) > INDEX_FROM {
                // Many against many: the values to remove grouped by key, each stored value
                // looked up (for a few, one pass of comparisons costs less than a key per stored
                // value).
                let index = ElementIndex::new(attr, &wanted);
                stored
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| index.position(&wanted, e).is_some())
                    .map(|(i, _)| i)
                    .collect()
            } else {
                let wanted: Vec<SameElement<'_>> = wanted.iter().map(|w| SameElement::new(attr, w)).collect();
                stored.iter().enumerate().filter(|(_, e)| wanted.iter().any(|w| w.is(e))).map(|(i, _)| i).collect()
            }
        });
        self.quirk(
            Quirk::RemoveByValue,
            at.value,
            format!("`remove` of `{}` with a value removed the {} matching values only", attr.name(), indices.len()),
        );
        if indices.is_empty() {
            self.removing_from = Some(run);
            return Ok(());
        }
        self.remove_elements_in_run(t, &indices, Some(run), at)
    }
}
