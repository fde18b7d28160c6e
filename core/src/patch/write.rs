//! `add` and `replace` (RFC 7644 §3.5.2.1, §3.5.2.3).

use serde_json::{Map, Value};

use super::apply::{At, ChangeValues, Engine};
use super::elements::{ElementIndex, INDEX_FROM, KeptIndex, SameElement, element_from_filter};
use super::journal::Container;
use super::request::OpKind;
use super::target::AttrTarget;
use crate::compat::Quirk;
use crate::error::{Error, Location, ScimType};
use crate::schema::{Attribute, AttributeType, Mutability};
use crate::validate::resource::same_value;
use crate::validate::walk::Named;

impl<'r> Engine<'r, '_> {
    /// The `singleValueArrays` rule: `["x"]` for a single-valued target becomes `"x"`.
    fn unwrap_single(&mut self, attr: &Attribute, value: Value, at: At<'_>) -> Value {
        match value {
            Value::Array(mut items)
                if !attr.multi_valued() && items.len() == 1 && self.allows(Quirk::SingleValueArrays) =>
            {
                self.quirk(
                    Quirk::SingleValueArrays,
                    at.value,
                    format!("`{}` is single-valued; the one-element array was read as its element", attr.name()),
                );
                items.pop().unwrap_or(Value::Null)
            }
            other => other,
        }
    }

    /// `add` or `replace` on a resolved attribute target.
    pub(crate) fn write(&mut self, kind: OpKind, t: &AttrTarget<'r>, value: Value, at: At<'_>) -> Result<(), Error> {
        self.keeping_immutable(t, at, |e| match (&t.filter, t.sub) {
            (None, None) => e.write_attribute(kind, t, value, at),
            (None, Some(sub)) if !t.attr.multi_valued() => e.write_member(t, sub, value, at),
            (None, Some(sub)) => e.write_all_elements(t, sub, value, at),
            (Some(_), sub) => e.write_filtered(kind, t, sub, value, at),
        })
    }

    fn write_attribute(&mut self, kind: OpKind, t: &AttrTarget<'r>, value: Value, at: At<'_>) -> Result<(), Error> {
        let attr = t.attr;
        let c = t.container;
        let mut value = self.unwrap_single(attr, value, at);
        if attr.mutability() == Mutability::ReadOnly {
            return Self::read_only(attr.name(), self.doc.get(c, attr.name()), attr, &value, at);
        }
        let named = Named { parent: None, attr };
        // A complex value given in another form (the `managerString` rule) is a new value,
        // not sub-attributes to merge.
        let whole = attr.kind() == AttributeType::Complex && !value.is_object();
        // Sub-attributes given as `null` in a value merged into the stored one are unassigned.
        let merging =
            !attr.multi_valued() && value.is_object() && self.doc.get(c, attr.name()).is_some_and(Value::is_object);
        let nulled = if merging { nulled_subs(attr, &value) } else { Vec::new() };
        let values_given = gives_values(&value);
        let keep = self.check_merging(named, &mut value, at.value, false, t.enterprise, merging)?;
        if merging && (keep || !nulled.is_empty()) {
            // Merged into an immutable value, sub-attributes given as they are stored change
            // nothing and are accepted; what the merge leaves must be what was stored.
            return self.guard_immutable(t, at, |e| {
                if let Value::Object(new) = value {
                    e.doc.prepare(c, attr.name());
                    e.merge_complex(t, None, new, at)?;
                }
                e.remove_members(t, &nulled, at)?;
                e.require_subs(t, None, at)
            });
        }
        if !keep {
            // null, [] or {}: unassigned. Replacing with it removes the attribute. (A value
            // emptied by checking — read-only or ignored unknown members dropped — is no
            // request to remove anything.)
            if kind == OpKind::Replace && !values_given && self.doc.get(c, attr.name()).is_some() {
                return self.remove_attribute(t, at);
            }
            return Ok(());
        }
        let current = self.doc.get(c, attr.name());
        if current == Some(&value) {
            return Ok(());
        }
        if attr.mutability() == Mutability::Immutable {
            Self::immutable(attr.name(), attr, current, &value, at)?;
            if current.is_some() {
                // The same value by its comparison rules (another case where case does not
                // count): an immutable value keeps its stored spelling.
                return Ok(());
            }
        }
        // Preparing respells the key, never the value.
        let current_is_object = current.is_some_and(Value::is_object);
        self.doc.prepare(c, attr.name());
        if attr.multi_valued() {
            let Value::Array(items) = value else { return Ok(()) };
            if kind == OpKind::Replace {
                let items = self.distinct(t, items, at);
                let (items, added) = self.stored_and_recorded(items);
                let reporting = self.reporting;
                let old = self.doc.set(c, attr.name(), Value::Array(items)).filter(|_| reporting).cloned();
                let (op, removed) = match old {
                    Some(Value::Array(o)) => ("replace", o),
                    _ => ("add", Vec::new()),
                };
                let added = added.unwrap_or_default();
                self.record(op, t, ChangeValues { added, removed, ..ChangeValues::default() });
                return Ok(());
            }
            return self.add_elements(t, items, at);
        }
        if attr.kind() == AttributeType::Complex && !whole && current_is_object {
            if let Value::Object(new) = value {
                return self.merge_complex(t, None, new, at);
            }
            return Ok(());
        }
        let (value, new) = self.stored_and_recorded(value);
        let reporting = self.reporting;
        let old = self.doc.set(c, attr.name(), value).filter(|_| reporting).cloned();
        let op = if old.is_some() { "replace" } else { "add" };
        self.record(op, t, ChangeValues { old, new, ..ChangeValues::default() });
        Ok(())
    }

    /// Merges sub-attributes into the complex value of `t` (`index` None) or into value `index`
    /// of its multi-valued attribute (RFC 7644 §3.5.2.3: sub-attributes not given stay).
    /// Immutable sub-attributes that are set may not change (another spelling of the same value
    /// is kept as stored); and a new `value` means a new referent, so the old `$ref` and
    /// read-only sub-attributes (a manager's `displayName`) go unless given — a `value` only
    /// respelled where case does not count is the same referent, stored as given.
    pub(crate) fn merge_complex(
        &mut self,
        t: &AttrTarget<'r>,
        index: Option<usize>,
        new: Map<String, Value>,
        at: At<'_>,
    ) -> Result<(), Error> {
        self.merge_complex_into(t, index, new, false, at)
    }

    /// [`Self::merge_complex`] into the stored value an `add` found as the same value as one it
    /// brings ([`SameElement`]: the same `value` and `type` per `caseExact`): those two keep
    /// their stored spelling, since the value is already there (RFC 7644 §3.5.2.1: no change
    /// when the target already holds the value). Anywhere else — a path naming the
    /// sub-attribute, a filter selecting the value, a single-valued attribute — the client sets
    /// them, and a new spelling is stored.
    pub(crate) fn merge_complex_found(
        &mut self,
        t: &AttrTarget<'r>,
        index: usize,
        new: Map<String, Value>,
        at: At<'_>,
    ) -> Result<(), Error> {
        self.merge_complex_into(t, Some(index), new, true, at)
    }

    fn merge_complex_into(
        &mut self,
        t: &AttrTarget<'r>,
        index: Option<usize>,
        new: Map<String, Value>,
        found_as_same: bool,
        at: At<'_>,
    ) -> Result<(), Error> {
        let attr = t.attr;
        let c = t.container;
        // First decide everything against the stored value (read, not copied); then write.
        let reporting = self.reporting;
        // Each write: the sub-attribute, whether it had a value, that value (for the change
        // record, when the PATCH reports), the new value.
        let mut writes: Vec<(&'r Attribute, bool, Option<Value>, Value)> = Vec::with_capacity(new.len());
        let mut stale: Vec<&'r Attribute> = Vec::new();
        {
            let before = self.complex_value(c, attr, index);
            let stored = |name: &str| before.and_then(|b| super::elements::member(b, name));
            let new_referent = new.get("value").is_some_and(|v| {
                stored("value").is_none_or(|o| attr.sub_attribute("value").is_none_or(|va| !same_value(va, o, v)))
            });
            if new_referent {
                stale.extend(attr.sub_attributes().iter().filter(|s| {
                    (s.name() == "$ref" || s.mutability() == Mutability::ReadOnly)
                        && !new.keys().any(|k| k.eq_ignore_ascii_case(s.name()))
                        && stored(s.name()).is_some()
                }));
            }
            for (k, v) in new {
                let Some(sub) = attr.sub_attribute(&k) else { continue };
                let current = stored(sub.name());
                let identity = found_as_same && matches!(sub.name(), "value" | "type");
                match current {
                    Some(cur) if *cur == v => continue,
                    Some(cur) if identity && same_value(sub, cur, &v) => continue,
                    // An immutable sub-attribute keeps its stored spelling.
                    Some(cur) if sub.mutability() == Mutability::Immutable && same_value(sub, cur, &v) => continue,
                    Some(cur) if sub.mutability() == Mutability::Immutable && !same_value(sub, cur, &v) => {
                        return Err(Error::new(
                            ScimType::Mutability,
                            format!("`{}.{}` is immutable and already set; it cannot change", attr.name(), sub.name()),
                        )
                        .at(at.path()));
                    }
                    _ => {}
                }
                writes.push((sub, current.is_some(), current.filter(|_| reporting).cloned(), v));
            }
        }
        let mut records = Vec::with_capacity(if reporting { writes.len() + stale.len() } else { 0 });
        for (sub, had, current, v) in writes {
            let (v, new) = self.stored_and_recorded(v);
            self.doc.set_member(c, attr.name(), index, sub.name(), Some(v));
            if reporting {
                let op = if had { "replace" } else { "add" };
                records.push((op, sub, ChangeValues { old: current, new, ..ChangeValues::default() }));
            }
        }
        for sub in stale {
            let old = self.doc.set_member(c, attr.name(), index, sub.name(), None).filter(|_| reporting).cloned();
            if reporting {
                records.push(("remove", sub, ChangeValues { old, ..ChangeValues::default() }));
            }
        }
        for (op, sub, change) in records {
            // Through `record`, so a secret sub-attribute is recorded without its values.
            self.record(op, &t.with_sub(sub), change);
        }
        Ok(())
    }

    /// The complex value of `attr` (`index` None) or its value `index`.
    fn complex_value(&self, c: Container<'r>, attr: &Attribute, index: Option<usize>) -> Option<&Value> {
        let v = self.doc.get(c, attr.name())?;
        match index {
            Some(i) => v.as_array().and_then(|a| a.get(i)),
            None => Some(v),
        }
    }

    /// `items` without repeats (the same value twice, per [`SameElement`]); each repeat is noted.
    /// Many items are grouped by key first ([`ElementIndex`]), so the work stays near linear.
    fn distinct(&mut self, t: &AttrTarget<'r>, items: Vec<Value>, at: At<'_>) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        let mut index = (items.len() > 8).then(|| ElementIndex::new(t.attr, &[]));
        for (i, item) in items.into_iter().enumerate() {
            let repeat = match &index {
                Some(index) => index.position(&out, &item).is_some(),
                None => !out.is_empty() && { SameElement::new(t.attr, &item) }.is_in(&out),
            };
            if repeat {
                self.note(
                    crate::validate::NoteCode::DuplicateValueRemoved,
                    || at.value.index(i).pointer(),
                    || format!("a value of `{}` was given twice; it is kept once", t.attr.name()),
                );
            } else {
                if let Some(index) = &mut index {
                    index.insert(&item, out.len());
                }
                out.push(item);
            }
        }
        out
    }

    /// Adds values to a multi-valued attribute: a value already present (same `value` and
    /// `type`, or equal when there is no `value`) is updated with the sub-attributes given,
    /// not added twice; the rest are appended. A new primary value demotes the old one.
    fn add_elements(&mut self, t: &AttrTarget<'r>, items: Vec<Value>, at: At<'_>) -> Result<(), Error> {
        let attr = t.attr;
        let c = t.container;
        let items = self.distinct(t, items, at);
        let mut fresh = Vec::new();
        let mut primary_at: Option<usize> = None;
        let existing_len = self.doc.get(c, attr.name()).and_then(Value::as_array).map_or(0, Vec::len);
        // The stored values grouped by key, for many values against many: kept from the `add`
        // before when nothing touched the attribute since; else built when this `add` brings
        // many values, or continues a run of `add`s to the attribute (grouping costs more than
        // one pass, so a lone `add` of a few values, or one between changes to the attribute,
        // takes the pass). Merging into a stored value keeps its key (the same `value`, or an
        // equal whole), and new values are appended after the loop, so the index stays true.
        let kept = self.added_to.take().filter(|k| {
            k.container == c && k.name == attr.name() && !self.doc.touched_since(k.changes_made, c, attr.name())
        });
        let in_a_run = kept.is_some();
        let worth_it = items.len().saturating_mul(existing_len) > INDEX_FROM && (items.len() >= 8 || in_a_run);
        let mut index = kept.and_then(|k| k.index).or_else(|| {
            worth_it
                .then(|| self.doc.get(c, attr.name()).and_then(Value::as_array).map(|a| ElementIndex::new(attr, a)))
                .flatten()
        });
        for item in items {
            let stored = self.doc.get(c, attr.name()).and_then(Value::as_array);
            let found = match (&index, stored) {
                (Some(index), Some(a)) => index.position(a, &item),
                (None, Some(a)) => SameElement::new(attr, &item).position_in(a),
                (_, None) => None,
            };
            let primary = is_primary(&item);
            match (found, item) {
                (Some(i), Value::Object(members)) => {
                    self.merge_complex_found(t, i, members, at)?;
                    if primary {
                        primary_at = Some(i);
                    }
                }
                (Some(_), _) => {}
                (None, item) => {
                    if primary {
                        primary_at = Some(existing_len + fresh.len());
                    }
                    fresh.push(item);
                }
            }
        }
        let limit = self.opts.limits.max_values_per_attribute;
        if existing_len + fresh.len() > limit {
            return Err(Error::new(
                ScimType::InvalidValue,
                format!(
                    "`{}` would have {} values, more than the limit of {limit}",
                    t.display(),
                    existing_len + fresh.len()
                ),
            )
            .at(at.value.pointer()));
        }
        if !fresh.is_empty() {
            let (fresh, added) = self.stored_and_recorded(fresh);
            self.doc.push(c, attr.name(), fresh);
            let added = added.unwrap_or_default();
            self.record("add", &t.whole(), ChangeValues { added, ..ChangeValues::default() });
        }
        if let Some(keep) = primary_at {
            // Demoted values change their keys, and values made equal go: nothing is kept.
            let demoted = self.demote_primaries(t, keep);
            self.drop_values_made_equal(t, &demoted, &|| at.value.pointer());
        } else {
            if let (Some(kept), Some(stored)) = (&mut index, self.doc.get(c, attr.name()).and_then(Value::as_array)) {
                for (i, value) in stored.iter().enumerate().skip(existing_len) {
                    kept.insert(value, i);
                }
            }
            let changes_made = self.doc.changes_made();
            self.added_to = Some(KeptIndex { container: c, name: attr.name(), changes_made, index });
        }
        Ok(())
    }

    /// Sets `primary: false` on every value of the attribute but `keep`; the values it changed.
    pub(crate) fn demote_primaries(&mut self, t: &AttrTarget<'r>, keep: usize) -> Vec<usize> {
        let c = t.container;
        let others: Vec<usize> = self
            .doc
            .get(c, t.attr.name())
            .and_then(Value::as_array)
            .map(|a| a.iter().enumerate().filter(|(i, e)| *i != keep && is_primary(e)).map(|(i, _)| i).collect())
            .unwrap_or_default();
        for &i in &others {
            self.doc.set_member(c, t.attr.name(), Some(i), "primary", Some(Value::Bool(false)));
            if !self.reporting {
                continue;
            }
            let attribute = format!("{}.primary", t.attr_display());
            let change =
                ChangeValues { old: Some(Value::Bool(true)), new: Some(Value::Bool(false)), ..ChangeValues::default() };
            self.record_as("replace", attribute, change);
        }
        others
    }

    /// `name.givenName`: one sub-attribute of a single-valued complex attribute.
    fn write_member(&mut self, t: &AttrTarget<'r>, sub: &'r Attribute, value: Value, at: At<'_>) -> Result<(), Error> {
        let attr = t.attr;
        let c = t.container;
        let mut value = self.unwrap_single(sub, value, at);
        let current = self.doc.get(c, attr.name()).and_then(|v| super::elements::member(v, sub.name())).cloned();
        if attr.mutability() == Mutability::ReadOnly || sub.mutability() == Mutability::ReadOnly {
            return Self::read_only(&t.display(), current.as_ref(), sub, &value, at);
        }
        let named = Named { parent: Some(attr.name()), attr: sub };
        if !self.check(named, &mut value, at.value, false, t.enterprise)? {
            if current.is_some() {
                return self.remove_member(t, sub, at);
            }
            return Ok(());
        }
        self.doc.prepare(c, attr.name());
        if self.doc.get(c, attr.name()).is_some_and(Value::is_object) {
            let mut one = Map::new();
            one.insert(sub.name().to_owned(), value);
            return self.merge_complex(t, None, one, at);
        }
        let (value, new) = self.stored_and_recorded(value);
        let mut m = Map::new();
        m.insert(sub.name().to_owned(), value);
        self.doc.set(c, attr.name(), Value::Object(m));
        self.record("add", t, ChangeValues { new, ..ChangeValues::default() });
        // A complex value made from one sub-attribute must not lack a required one.
        self.require_subs(t, None, at)
    }

    /// `emails.type` without a filter: the sub-attribute of every value.
    fn write_all_elements(
        &mut self,
        t: &AttrTarget<'r>,
        sub: &'r Attribute,
        value: Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        let count = self.doc.get(t.container, t.attr.name()).and_then(Value::as_array).map_or(0, Vec::len);
        if count == 0 {
            return Err(Error::new(
                ScimType::NoTarget,
                format!("`{}` has no values to set `{}` on", t.attr.name(), sub.name()),
            )
            .at(at.path()));
        }
        let indices: Vec<usize> = (0..count).collect();
        self.write_sub_in(t, sub, &indices, value, at)
    }

    /// Sets `sub` in the values at `indices`.
    fn write_sub_in(
        &mut self,
        t: &AttrTarget<'r>,
        sub: &'r Attribute,
        indices: &[usize],
        value: Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        let attr = t.attr;
        let c = t.container;
        let mut value = self.unwrap_single(sub, value, at);
        if attr.mutability() == Mutability::ReadOnly || sub.mutability() == Mutability::ReadOnly {
            for &i in indices {
                let current = self.element_member(c, attr, i, sub.name());
                Self::read_only(&t.display(), current.as_ref(), sub, &value, at)?;
            }
            return Ok(());
        }
        let named = Named { parent: Some(attr.name()), attr: sub };
        if !self.check(named, &mut value, at.value, false, t.enterprise)? {
            return self.remove_sub_in(t, &[sub], indices, &[], &|| at.value.pointer(), at);
        }
        let primary = sub.name() == "primary" && value == Value::Bool(true);
        if primary && indices.len() > 1 {
            return Err(Error::new(
                ScimType::InvalidValue,
                format!("only one value of `{}` may be primary; the path selects {}", attr.name(), indices.len()),
            )
            .at(at.path()));
        }
        self.doc.prepare(c, attr.name());
        for &i in indices {
            let mut one = Map::new();
            one.insert(sub.name().to_owned(), value.clone());
            self.merge_complex(t, Some(i), one, at)?;
        }
        let mut changed = indices.to_vec();
        if primary {
            if let Some(&first) = indices.first() {
                changed.extend(self.demote_primaries(t, first));
            }
        }
        self.drop_values_made_equal(t, &changed, &|| at.value.pointer());
        Ok(())
    }

    /// Values at `changed` that an operation made equal in every member to another value of the
    /// attribute: each is kept once (RFC 7643 §2.4), the first in order, with a note at
    /// `note_at` (the operation's value, or its path for a `remove`) — as validation keeps a
    /// value sent twice once. A long list is grouped by the key equal values share
    /// (validation's), so the work stays linear in it.
    pub(crate) fn drop_values_made_equal(
        &mut self,
        t: &AttrTarget<'r>,
        changed: &[usize],
        note_at: &dyn Fn() -> Location,
    ) {
        const PAIRWISE_UP_TO: usize = 8;
        let attr = t.attr;
        let Some(items) = self.doc.get(t.container, attr.name()).and_then(Value::as_array) else { return };
        // Candidates for each changed value: every other value (a few changed values cost a
        // few passes), or, when many changed, those sharing its key (in a B-tree: no hash an
        // input could crowd, as with `ElementIndex`).
        let grouped = items.len() > PAIRWISE_UP_TO && changed.len() > PAIRWISE_UP_TO;
        let groups: Option<std::collections::BTreeMap<String, Vec<usize>>> = grouped.then(|| {
            let mut groups: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
            for (j, item) in items.iter().enumerate() {
                groups.entry(crate::validate::walk::equality_key(attr, item)).or_default().push(j);
            }
            groups
        });
        let mut repeats = std::collections::BTreeSet::new();
        for &i in changed {
            let Some(item) = items.get(i) else { continue };
            if repeats.contains(&i) {
                continue;
            }
            let is_twin = |&j: &usize| {
                j != i && !repeats.contains(&j) && items.get(j).is_some_and(|other| same_value(attr, item, other))
            };
            let twin = match &groups {
                Some(groups) => groups
                    .get(&crate::validate::walk::equality_key(attr, item))
                    .and_then(|g| g.iter().copied().find(is_twin)),
                None => (0..items.len()).find(is_twin),
            };
            if let Some(j) = twin {
                repeats.insert(i.max(j));
            }
        }
        if repeats.is_empty() {
            return;
        }
        let repeats: Vec<usize> = repeats.into_iter().collect();
        let removed = self.doc.remove_elements(t.container, attr.name(), &repeats, self.reporting);
        self.note(crate::validate::NoteCode::DuplicateValueRemoved, note_at, || {
            format!("the operation made a value of `{}` equal to another; it is kept once", attr.name())
        });
        let whole = AttrTarget { container: t.container, attr, sub: None, filter: None, enterprise: t.enterprise };
        self.record("remove", &whole, ChangeValues { removed, ..ChangeValues::default() });
    }

    pub(crate) fn element_member(&self, c: Container<'r>, attr: &Attribute, i: usize, name: &str) -> Option<Value> {
        self.doc
            .get(c, attr.name())
            .and_then(Value::as_array)
            .and_then(|a| a.get(i))
            .and_then(|e| super::elements::member(e, name))
            .filter(|v| !v.is_null())
            .cloned()
    }

    /// The values of the target's attribute its filter selects.
    pub(crate) fn selected(&self, t: &AttrTarget<'r>) -> Vec<usize> {
        let Some((filter, _)) = t.filter.as_deref() else { return Vec::new() };
        self.doc
            .get(t.container, t.attr.name())
            .and_then(Value::as_array)
            .map(|a| a.iter().enumerate().filter(|(_, e)| filter.matches(e)).map(|(i, _)| i).collect())
            .unwrap_or_default()
    }

    /// `emails[type eq "work"]` and `emails[type eq "work"].value`.
    fn write_filtered(
        &mut self,
        kind: OpKind,
        t: &AttrTarget<'r>,
        sub: Option<&'r Attribute>,
        value: Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        let indices = self.selected(t);
        if indices.is_empty() {
            return self.filter_miss(t, sub, value, at);
        }
        if let Some(sub) = sub {
            return self.write_sub_in(t, sub, &indices, value, at);
        }
        let attr = t.attr;
        let c = t.container;
        if attr.mutability() == Mutability::ReadOnly {
            return Err(
                crate::error::Error::new(ScimType::Mutability, format!("`{}` is read-only", attr.name())).at(at.path())
            );
        }
        if attr.kind() != AttributeType::Complex {
            return self.write_simple_values(kind, t, &indices, value, at);
        }
        let mut value = value;
        let named = Named { parent: None, attr };
        let nulled = if kind == OpKind::Add { nulled_subs(attr, &value) } else { Vec::new() };
        let values_given = gives_values(&value);
        let keep = self.check_merging(named, &mut value, at.value, true, t.enterprise, kind == OpKind::Add)?;
        if !keep {
            // Nothing left: `replace` puts "no value" in place of each selected value, which
            // removes it; `add` unassigns the sub-attributes it gave as `null`.
            return match kind {
                OpKind::Replace if !values_given => self.remove_elements(t, &indices, at),
                OpKind::Add if !nulled.is_empty() => {
                    self.remove_sub_in(t, &nulled, &indices, &[], &|| at.value.pointer(), at)
                }
                _ => Ok(()),
            };
        }
        let Value::Object(members) = &value else { return Ok(()) };
        if is_primary(&value) && indices.len() > 1 {
            return Err(Error::new(
                ScimType::InvalidValue,
                format!("only one value of `{}` may be primary; the path selects {}", attr.name(), indices.len()),
            )
            .at(at.path()));
        }
        self.doc.prepare(c, attr.name());
        for &i in &indices {
            if kind == OpKind::Replace {
                // A whole new value: its immutable sub-attributes must match the stored ones,
                // and keep their stored spelling.
                let mut value = value.clone();
                for sub in attr.sub_attributes().iter().filter(|s| s.mutability() == Mutability::Immutable) {
                    let current = self.element_member(c, attr, i, sub.name());
                    let given = super::elements::member(&value, sub.name()).cloned();
                    match (current, given) {
                        (Some(cur), Some(new)) => {
                            Self::immutable(&format!("{}.{}", attr.name(), sub.name()), sub, Some(&cur), &new, at)?;
                            if let Some(slot) = value.as_object_mut().and_then(|o| o.get_mut(sub.name())) {
                                *slot = cur;
                            }
                        }
                        (Some(_), None) => {
                            return Err(Error::new(
                                ScimType::Mutability,
                                format!(
                                    "`{}.{}` is immutable and already set; it cannot be removed",
                                    attr.name(),
                                    sub.name()
                                ),
                            )
                            .at(at.path()));
                        }
                        (None, _) => {}
                    }
                }
                let reporting = self.reporting;
                let (value, new) = self.stored_and_recorded(value);
                let old = self.doc.set_element(c, attr.name(), i, value).filter(|_| reporting).cloned();
                // Not reporting, both are `None`: nothing is recorded.
                if old != new {
                    self.record("replace", t, ChangeValues { old, new, ..ChangeValues::default() });
                }
            } else {
                self.merge_complex(t, Some(i), members.clone(), at)?;
            }
        }
        let mut changed = indices.clone();
        if is_primary(&value) {
            if let Some(&first) = indices.first() {
                changed.extend(self.demote_primaries(t, first));
            }
        }
        if kind == OpKind::Add {
            for &i in &indices {
                self.require_subs(t, Some(i), at)?;
            }
        }
        if nulled.is_empty() {
            self.drop_values_made_equal(t, &changed, &|| at.value.pointer());
            return Ok(());
        }
        self.remove_sub_in(t, &nulled, &indices, &changed, &|| at.value.pointer(), at)
    }

    /// `tags[value eq "red"]`: the selected values of a simple multi-valued attribute. `replace`
    /// puts the value in place of each (`null` removes them; values made equal become one);
    /// `add` has nothing to merge into.
    fn write_simple_values(
        &mut self,
        kind: OpKind,
        t: &AttrTarget<'r>,
        indices: &[usize],
        value: Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        let (attr, c) = (t.attr, t.container);
        if kind == OpKind::Add {
            return Err(Error::new(
                ScimType::InvalidPath,
                format!(
                    "`{0}` holds simple values, so `add` with a filter has nothing to merge into: add to `{0}` itself, or `replace` the values the filter selects",
                    attr.name()
                ),
            )
            .at(at.path()));
        }
        let mut value = self.unwrap_single(attr, value, at);
        let named = Named { parent: None, attr };
        if !self.check(named, &mut value, at.value, true, t.enterprise)? {
            return self.remove_elements(t, indices, at);
        }
        if attr.mutability() == Mutability::Immutable {
            let stored = self.doc.get(c, attr.name()).and_then(Value::as_array);
            // The same value in another spelling (case where case does not count, `2.0` for
            // `2`) changes nothing, and the stored spelling stays, as for any immutable value.
            let unchanged = |i: usize| stored.and_then(|a| a.get(i)).is_some_and(|v| same_value(attr, v, &value));
            if !indices.iter().all(|&i| unchanged(i)) {
                return Err(Error::new(
                    ScimType::Mutability,
                    format!("`{}` is immutable and already set; its values cannot change", attr.name()),
                )
                .at(at.path()));
            }
            return Ok(());
        }
        self.doc.prepare(c, attr.name());
        for &i in indices {
            let reporting = self.reporting;
            let old = self.doc.set_element(c, attr.name(), i, value.clone()).filter(|_| reporting).cloned();
            if reporting && old.as_ref() != Some(&value) {
                self.record("replace", t, ChangeValues { old, new: Some(value.clone()), ..ChangeValues::default() });
            }
        }
        let items = self.doc.get(c, attr.name()).and_then(Value::as_array).cloned().unwrap_or_default();
        let distinct = self.distinct(t, items.clone(), at);
        if distinct.len() != items.len() {
            self.doc.set(c, attr.name(), Value::Array(distinct));
        }
        Ok(())
    }

    /// After a merge: the complex value of `t` (`index` None) or its value `index` must still
    /// hold every required sub-attribute (the merged-in value need not have given them).
    fn require_subs(&self, t: &AttrTarget<'r>, index: Option<usize>, at: At<'_>) -> Result<(), Error> {
        let Some(value) = self.complex_value(t.container, t.attr, index) else { return Ok(()) };
        let required =
            t.attr.sub_attributes().iter().filter(|s| s.required() && s.mutability() != Mutability::ReadOnly);
        for sub in required {
            if super::elements::member(value, sub.name()).is_none() {
                return Err(Error::new(
                    ScimType::InvalidValue,
                    format!("`{}.{}` is required", t.attr.name(), sub.name()),
                )
                .at(at.value.key(sub.name()).pointer()));
            }
        }
        Ok(())
    }

    /// A filter that selects nothing: `noTarget` (RFC 7644 §3.5.2), or — with the
    /// `createOnFilterMiss` rule and an `eq`/`and` filter — a new value built from the filter.
    fn filter_miss(
        &mut self,
        t: &AttrTarget<'r>,
        sub: Option<&'r Attribute>,
        value: Value,
        at: At<'_>,
    ) -> Result<(), Error> {
        let no_target = || {
            Error::new(ScimType::NoTarget, format!("the filter of `{}` matches no value", t.display())).at(at.path())
        };
        // Nothing selected is still no licence to write to a read-only attribute (as for
        // `remove`), and no value may be made there from the filter either.
        if t.attr.mutability() == Mutability::ReadOnly || sub.is_some_and(|s| s.mutability() == Mutability::ReadOnly) {
            return Err(Error::new(ScimType::Mutability, format!("`{}` is read-only", t.display())).at(at.path()));
        }
        if !self.allows(Quirk::CreateOnFilterMiss) {
            return Err(no_target());
        }
        let Some((_, filter)) = t.filter.as_deref() else { return Err(no_target()) };
        let Some(mut element) = element_from_filter(filter) else { return Err(no_target()) };
        match (sub, value) {
            (Some(sub), v) => {
                let v = self.unwrap_single(sub, v, at);
                element.insert(sub.name().to_owned(), v);
            }
            (None, Value::Object(members)) => element.extend(members),
            (None, _) => return Err(no_target()),
        }
        self.quirk(
            Quirk::CreateOnFilterMiss,
            at.op,
            format!("the filter of `{}` matched no value, so one was created from it", t.display()),
        );
        let mut element = Value::Object(element);
        let named = Named { parent: None, attr: t.attr };
        if !self.check(named, &mut element, at.value, true, t.enterprise)? {
            return Ok(());
        }
        self.doc.prepare(t.container, t.attr.name());
        self.add_elements(t, vec![element], at)
    }

    /// The attributes of an extension given as one object (`path` = the extension URN, or a
    /// path-less value's extension member).
    pub(crate) fn extension_value(
        &mut self,
        kind: OpKind,
        ext: &'r crate::schema::Schema,
        value: Map<String, Value>,
        at: At<'_>,
    ) -> Result<(), Error> {
        // `{}` puts no value in place of the extension's attributes (RFC 7643 §2.5), as for any
        // complex target: the extension goes, path or path-less.
        if kind == OpKind::Replace && value.is_empty() {
            return self.remove_whole_extension(ext, at);
        }
        let enterprise = ext.id().eq_ignore_ascii_case(crate::urn::ENTERPRISE_USER);
        for (key, v) in value {
            let here = at.value.key(&key);
            let inner = At { op: at.op, value: &here, has_path: at.has_path, path_name: at.path_name };
            if key.eq_ignore_ascii_case("schemas") {
                // Some clients (scim2-models) put `schemas` in an extension's value; a list of
                // this type's schemas says nothing new, since `schemas` follows the attributes.
                self.schemas_in_value(&v, inner)?;
                continue;
            }
            let Some(attr) = ext.attribute(&key) else {
                self.unknown_in_extension(ext.id(), &key, &here)?;
                continue;
            };
            let t = AttrTarget { container: Container::Ext(ext.id()), attr, sub: None, filter: None, enterprise };
            self.write(kind, &t, v, inner)?;
        }
        Ok(())
    }
}

/// The sub-attributes a complex `value` for `attr` gives as `null`: unassigned (RFC 7643
/// §2.5), so merging the value removes them.
fn nulled_subs<'r>(attr: &'r Attribute, value: &Value) -> Vec<&'r Attribute> {
    let Value::Object(members) = value else { return Vec::new() };
    members
        .iter()
        .filter(|(_, v)| v.is_null())
        .filter_map(|(k, _)| attr.sub_attribute(k))
        // A read-only sub-attribute is the server's: a client's value for it, `null` too, is
        // ignored, as validation ignores it.
        .filter(|s| s.mutability() != Mutability::ReadOnly)
        .collect()
}

/// Whether `value` is an object giving some member a value. Such a value that checking leaves
/// empty (its members were read-only, or unknown and ignored) asks to remove nothing; any other
/// value left empty — `null`, `[]`, `{}`, `null` members only, Entra's `""` for a manager — is
/// "no value" (RFC 7643 §2.5).
fn gives_values(value: &Value) -> bool {
    matches!(value, Value::Object(members) if !members.values().all(Value::is_null))
}

pub(crate) fn is_primary(v: &Value) -> bool {
    v.get("primary") == Some(&Value::Bool(true))
}
