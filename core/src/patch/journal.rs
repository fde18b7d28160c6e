//! The working resource of a PATCH and its undo journal. Every change goes through here, and
//! each records how to take it back, so a failed PATCH leaves the resource exactly as it was
//! without copying it first: what is replaced or removed is moved into the journal, not cloned.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Which object holds an attribute: the resource itself, or an extension's object in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container<'r> {
    /// The resource's top level.
    Top,
    /// The object under this extension URN (schema spelling).
    Ext(&'r str),
}

#[derive(Debug)]
enum Undo<'r> {
    /// Put `old` back under `key` (remove the key when `None`).
    Slot { container: Container<'r>, key: Cow<'r, str>, old: Option<Value> },
    /// Put removed elements back at their indices (ascending).
    Removed { container: Container<'r>, key: Cow<'r, str>, elements: Vec<(usize, Value)> },
    /// Cut the array back to `len`.
    Pushed { container: Container<'r>, key: Cow<'r, str>, len: usize },
    /// Put element `index` of an array back.
    Element { container: Container<'r>, key: Cow<'r, str>, index: usize, old: Value },
    /// Put a member of a complex value (`index` None) or of an array element back.
    Member {
        container: Container<'r>,
        key: Cow<'r, str>,
        index: Option<usize>,
        member: Cow<'r, str>,
        old: Option<Value>,
    },
}

/// The key under which `obj` holds `name`: the exact spelling, or else any case.
pub(crate) fn find_key<'m>(obj: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    match obj.get_key_value(name) {
        Some((k, _)) => Some(k),
        None => obj.keys().find(|k| same_name(k, name)).map(String::as_str),
    }
}

/// The value `obj` holds under `name` spelled in another case (for when the exact spelling
/// was looked up already).
fn other_case<'m>(obj: &'m Map<String, Value>, name: &str) -> Option<&'m Value> {
    obj.iter().find(|(k, _)| same_name(k, name)).map(|(_, v)| v)
}

/// The key `obj` holds `name` under, owned, when it is spelled otherwise than `name`.
fn other_spelling(obj: &Map<String, Value>, name: &str) -> Option<String> {
    if obj.contains_key(name) {
        return None;
    }
    obj.keys().find(|k| same_name(k, name)).cloned()
}

/// Whether two names are equal without regard to ASCII case (lengths compared inline first:
/// most keys differ in length).
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.eq_ignore_ascii_case(b)
}

/// A resource being patched.
pub(crate) struct Doc<'r> {
    pub(crate) res: Map<String, Value>,
    journal: Vec<Undo<'r>>,
}

impl<'r> Doc<'r> {
    /// How many changes the resource has had: a number that grows with every one, so a reader
    /// can tell what changed since it last looked ([`Doc::touched_since`]).
    pub(crate) fn changes_made(&self) -> usize {
        self.journal.len()
    }

    /// Whether a change made since `changes_made` touched attribute `name` of `c` (or, for an
    /// extension's attribute, the extension's whole object).
    pub(crate) fn touched_since(&self, changes_made: usize, c: Container<'_>, name: &str) -> bool {
        let since = self.journal.get(changes_made..).unwrap_or_default();
        since.iter().any(|step| {
            let (container, key) = match step {
                Undo::Slot { container, key, .. }
                | Undo::Removed { container, key, .. }
                | Undo::Pushed { container, key, .. }
                | Undo::Element { container, key, .. }
                | Undo::Member { container, key, .. } => (*container, key.as_ref()),
            };
            let this = container == c && same_name(key, name);
            let whole_extension =
                matches!((container, c), (Container::Top, Container::Ext(urn)) if same_name(key, urn));
            this || whole_extension
        })
    }

    pub(crate) fn new(res: Map<String, Value>) -> Self {
        Self { res, journal: Vec::new() }
    }

    /// Makes room in the journal for `n` more entries.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.journal.reserve(n);
    }

    fn container(&self, c: Container<'_>) -> Option<&Map<String, Value>> {
        match c {
            Container::Top => Some(&self.res),
            Container::Ext(urn) => self.res.get(urn).or_else(|| other_case(&self.res, urn)).and_then(Value::as_object),
        }
    }

    fn container_mut(&mut self, c: Container<'_>) -> Option<&mut Map<String, Value>> {
        match c {
            Container::Top => Some(&mut self.res),
            Container::Ext(urn) => match other_spelling(&self.res, urn) {
                Some(key) => self.res.get_mut(&key).and_then(Value::as_object_mut),
                None => self.res.get_mut(urn).and_then(Value::as_object_mut),
            },
        }
    }

    /// The value of attribute `name` in `c`, in any case; `null` counts as absent.
    pub(crate) fn get(&self, c: Container<'_>, name: &str) -> Option<&Value> {
        let obj = self.container(c)?;
        obj.get(name).or_else(|| other_case(obj, name)).filter(|v| !v.is_null())
    }

    /// Makes sure `c` exists (an extension object is created empty) and that attribute `name`
    /// is stored under its schema spelling, so later steps can address it by that key.
    pub(crate) fn prepare(&mut self, c: Container<'r>, name: &'r str) {
        if let Container::Ext(urn) = c
            && !self.res.get(urn).is_some_and(Value::is_object)
        {
            match find_key(&self.res, urn) {
                Some(k) if k != urn => {
                    let k = k.to_owned();
                    let old = self.res.remove(&k);
                    self.journal.push(Undo::Slot { container: Container::Top, key: Cow::Owned(k), old: old.clone() });
                    self.journal.push(Undo::Slot { container: Container::Top, key: Cow::Borrowed(urn), old: None });
                    if let Some(v) = old {
                        self.res.insert(urn.to_owned(), v);
                    }
                }
                Some(_) => {}
                None => {
                    self.journal.push(Undo::Slot { container: Container::Top, key: Cow::Borrowed(urn), old: None });
                    self.res.insert(urn.to_owned(), Value::Object(Map::new()));
                }
            }
            if !self.res.get(urn).is_some_and(Value::is_object) {
                let old = self.res.insert(urn.to_owned(), Value::Object(Map::new()));
                self.journal.push(Undo::Slot { container: Container::Top, key: Cow::Borrowed(urn), old });
            }
        }
        // The extension's object now sits under its URN as spelled, where `respell` finds it.
        self.respell(c, name);
    }

    /// Respells attribute `name` of container `c` as its schema spells it when it is stored
    /// in another case (`Members`), journaled so a failed PATCH takes it back: writes
    /// ([`Doc::prepare`]) and removals look the attribute up by that spelling, and a stored
    /// resource may spell it otherwise.
    fn respell(&mut self, c: Container<'r>, name: &'r str) {
        let Some(obj) = self.container_mut(c) else { return };
        let Some(k) = other_spelling(obj, name) else { return };
        let v = obj.remove(&k);
        let moved = v.clone();
        if let Some(v) = v {
            obj.insert(name.to_owned(), v);
        }
        self.journal.push(Undo::Slot { container: c, key: Cow::Owned(k), old: moved });
        self.journal.push(Undo::Slot { container: c, key: Cow::Borrowed(name), old: None });
    }

    /// The object of container `c` once [prepared](Doc::prepare): an extension's object is
    /// then under its URN's schema spelling, so one lookup finds it.
    fn prepared_mut(&mut self, c: Container<'_>) -> Option<&mut Map<String, Value>> {
        match c {
            Container::Top => Some(&mut self.res),
            Container::Ext(urn) => self.res.get_mut(urn).and_then(Value::as_object_mut),
        }
    }

    /// The value the newest journal entry keeps for undo: what the last change replaced or
    /// removed, for change records (read, not copied).
    fn last_old(&self) -> Option<&Value> {
        match self.journal.last()? {
            Undo::Slot { old, .. } | Undo::Member { old, .. } => old.as_ref(),
            Undo::Element { old, .. } => Some(old),
            Undo::Removed { .. } | Undo::Pushed { .. } => None,
        }
    }

    /// Sets attribute `name` (already [prepared](Doc::prepare)) to `value`; returns the old
    /// value, for the change record.
    pub(crate) fn set(&mut self, c: Container<'r>, name: &'r str, value: Value) -> Option<&Value> {
        let obj = self.prepared_mut(c)?;
        let old = match obj.get_mut(name) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => obj.insert(name.to_owned(), value),
        };
        self.journal.push(Undo::Slot { container: c, key: Cow::Borrowed(name), old });
        self.last_old()
    }

    /// Removes attribute `name`; returns the removed value (kept for undo).
    pub(crate) fn remove(&mut self, c: Container<'r>, name: &'r str) -> Option<&Value> {
        let obj = self.container_mut(c)?;
        let key = find_key(obj, name)?.to_owned();
        let old = obj.remove(&*key);
        let key = if key == name { Cow::Borrowed(name) } else { Cow::Owned(key) };
        self.journal.push(Undo::Slot { container: c, key, old });
        self.last_old()
    }

    /// Appends elements to the array attribute `name` (made when missing).
    pub(crate) fn push(&mut self, c: Container<'r>, name: &'r str, elements: Vec<Value>) {
        let Some(obj) = self.container_mut(c) else { return };
        let slot = obj.entry(name.to_owned()).or_insert(Value::Null);
        if !slot.is_array() {
            let old = std::mem::replace(slot, Value::Array(Vec::new()));
            let old = (!old.is_null()).then_some(old);
            self.journal.push(Undo::Slot { container: c, key: Cow::Borrowed(name), old });
        }
        if let Some(Value::Array(items)) = self.container_mut(c).and_then(|o| o.get_mut(name)) {
            let len = items.len();
            items.extend(elements);
            self.journal.push(Undo::Pushed { container: c, key: Cow::Borrowed(name), len });
        }
    }

    /// Removes the elements at `indices` (ascending) from array attribute `name`; returns
    /// copies of them when `copies` (for change records), else nothing.
    pub(crate) fn remove_elements(
        &mut self,
        c: Container<'r>,
        name: &'r str,
        indices: &[usize],
        copies: bool,
    ) -> Vec<Value> {
        self.respell(c, name);
        let Some(Value::Array(items)) = self.container_mut(c).and_then(|o| o.get_mut(name)) else {
            return Vec::new();
        };
        // Taken out where they are, then the array closed up in place: no second array, and for
        // one value (the usual removal) one move of the values after it.
        let mut removed: Vec<(usize, Value)> = Vec::with_capacity(indices.len());
        for &index in indices {
            if let Some(slot) = items.get_mut(index) {
                removed.push((index, std::mem::take(slot)));
            }
        }
        match removed.as_slice() {
            [] => {}
            [(only, _)] => {
                if *only < items.len() {
                    items.remove(*only);
                }
            }
            _ => {
                let (mut index, mut next) = (0_usize, 0_usize);
                items.retain(|_| {
                    let gone = removed.get(next).is_some_and(|(at, _)| *at == index);
                    next += usize::from(gone);
                    index += 1;
                    !gone
                });
            }
        }
        let copies = if copies { removed.iter().map(|(_, v)| v.clone()).collect() } else { Vec::new() };
        self.journal.push(Undo::Removed { container: c, key: Cow::Borrowed(name), elements: removed });
        copies
    }

    /// Replaces element `index` of array `name`; returns the old element.
    pub(crate) fn set_element(
        &mut self,
        c: Container<'r>,
        name: &'r str,
        index: usize,
        value: Value,
    ) -> Option<&Value> {
        let slot = self.container_mut(c).and_then(|o| o.get_mut(name)).and_then(Value::as_array_mut)?.get_mut(index)?;
        let old = std::mem::replace(slot, value);
        self.journal.push(Undo::Element { container: c, key: Cow::Borrowed(name), index, old });
        self.last_old()
    }

    /// Sets (or with `None` removes) `member` of the complex value `name` (`index` None) or of
    /// element `index` of the array `name`; returns the old member value.
    pub(crate) fn set_member(
        &mut self,
        c: Container<'r>,
        name: &'r str,
        index: Option<usize>,
        member: &'r str,
        value: Option<Value>,
    ) -> Option<&Value> {
        self.respell(c, name);
        let target = self.container_mut(c).and_then(|o| o.get_mut(name))?;
        let target = match index {
            Some(i) => target.as_array_mut().and_then(|a| a.get_mut(i))?,
            None => target,
        };
        let obj = target.as_object_mut()?;
        let key = find_key(obj, member).unwrap_or(member).to_owned();
        let old = match value {
            Some(v) if key == member => match obj.get_mut(member) {
                Some(slot) => Some(std::mem::replace(slot, v)),
                None => obj.insert(key.clone(), v),
            },
            Some(v) => {
                let old = obj.remove(&*key);
                obj.insert(member.to_owned(), v);
                if key != member {
                    self.journal.push(Undo::Member {
                        container: c,
                        key: Cow::Borrowed(name),
                        index,
                        member: Cow::Borrowed(member),
                        old: None,
                    });
                }
                old
            }
            None => obj.remove(&key),
        };
        let member = if key == member { Cow::Borrowed(member) } else { Cow::Owned(key) };
        self.journal.push(Undo::Member { container: c, key: Cow::Borrowed(name), index, member, old });
        self.last_old()
    }

    /// Takes back every change, newest first.
    pub(crate) fn undo(mut self) -> Map<String, Value> {
        while let Some(step) = self.journal.pop() {
            match step {
                Undo::Slot { container, key, old } => {
                    if let Some(obj) = self.container_mut(container) {
                        match old {
                            Some(v) => {
                                obj.insert(key.into_owned(), v);
                            }
                            None => {
                                obj.remove(&*key);
                            }
                        }
                    }
                }
                Undo::Removed { container, key, elements } => {
                    if let Some(Value::Array(items)) = self.container_mut(container).and_then(|o| o.get_mut(&*key)) {
                        for (i, v) in elements {
                            if i <= items.len() {
                                items.insert(i, v);
                            } else {
                                items.push(v);
                            }
                        }
                    }
                }
                Undo::Pushed { container, key, len } => {
                    if let Some(Value::Array(items)) = self.container_mut(container).and_then(|o| o.get_mut(&*key)) {
                        items.truncate(len);
                    }
                }
                Undo::Element { container, key, index, old } => {
                    let slot = self
                        .container_mut(container)
                        .and_then(|o| o.get_mut(&*key))
                        .and_then(Value::as_array_mut)
                        .and_then(|a| a.get_mut(index));
                    if let Some(slot) = slot {
                        *slot = old;
                    }
                }
                Undo::Member { container, key, index, member, old } => {
                    let Some(target) = self.container_mut(container).and_then(|o| o.get_mut(&*key)) else { continue };
                    let target = match index {
                        Some(i) => target.as_array_mut().and_then(|a| a.get_mut(i)),
                        None => Some(target),
                    };
                    if let Some(obj) = target.and_then(Value::as_object_mut) {
                        match old {
                            Some(v) => {
                                obj.insert(member.into_owned(), v);
                            }
                            None => {
                                obj.remove(&*member);
                            }
                        }
                    }
                }
            }
        }
        self.res
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: &Value) -> Doc<'static> {
        Doc::new(v.as_object().unwrap().clone())
    }

    #[test]
    fn undo_restores_every_kind_of_change() {
        let original = json!({
            "UserName": "a",
            "emails": [{"value": "1"}, {"value": "2"}, {"value": "3"}],
            "name": {"givenName": "g"},
            "urn:x:Ext": {"dept": "d"}
        });
        let mut d = doc(&original);
        d.prepare(Container::Top, "userName");
        d.set(Container::Top, "userName", json!("b"));
        assert_eq!(
            d.remove_elements(Container::Top, "emails", &[0, 2], true),
            vec![json!({"value": "1"}), json!({"value": "3"})]
        );
        d.push(Container::Top, "emails", vec![json!({"value": "4"})]);
        d.set_member(Container::Top, "emails", Some(0), "value", Some(json!("two")));
        d.set_member(Container::Top, "name", None, "givenName", None);
        d.prepare(Container::Ext("urn:x:Ext"), "dept");
        d.remove(Container::Ext("urn:x:Ext"), "dept");
        d.prepare(Container::Ext("urn:x:Other"), "a");
        d.set(Container::Ext("urn:x:Other"), "a", json!(1));
        d.push(Container::Top, "phoneNumbers", vec![json!({"value": "5"})]);
        assert_eq!(d.res["emails"], json!([{"value": "two"}, {"value": "4"}]));
        assert_eq!(Value::Object(d.undo()), original);
    }
}
