//! Python `str` objects for member names, made once and shared by every dict built afterwards.
//!
//! A result is mostly the same few names over and over (`schemas`, `value`, `type`, `op`,
//! `detail`…). A cached name costs a lookup instead of a new `str`; and since a `str` keeps its
//! hash, each dict insertion skips hashing the name again. `str` objects are immutable, so
//! sharing one between results is invisible to callers.
//!
//! The cache is a fixed table of [`SLOTS`] slots, each holding the first name (of at most
//! [`MAX_NAME_BYTES`] bytes) that hashed to it: a lookup is one hash and at most one comparison,
//! whatever the names (no probing, so no input can make lookups slow), and a name whose slot is
//! taken is simply made fresh each time. The table is taken without waiting (`slot_table`).

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Slots in the table (a power of two).
const SLOTS: usize = 2048;

/// Longer names are not cached (SCIM's longest, an extension URN, is about 60 bytes).
const MAX_NAME_BYTES: usize = 128;

type Slot = Option<(Box<str>, Py<PyString>)>;

static TABLE: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

/// The cache while one result is built (or nothing, when it is busy).
pub(crate) struct Keys(Option<MutexGuard<'static, Vec<Slot>>>);

impl Keys {
    /// Takes the cache if it is free.
    pub(crate) fn take() -> Self {
        Self(crate::slot_table::take(&TABLE, SLOTS))
    }

    /// `name` as a Python `str`.
    pub(crate) fn get<'py>(&mut self, py: Python<'py>, name: &str) -> Bound<'py, PyString> {
        let Some(table) = self.0.as_mut().filter(|_| name.len() <= MAX_NAME_BYTES) else {
            return PyString::new(py, name);
        };
        let Some(slot) = table.get_mut(slot_of(name)) else {
            return PyString::new(py, name);
        };
        match slot {
            Some((cached, obj)) if **cached == *name => obj.bind(py).clone(),
            Some(_) => PyString::new(py, name),
            None => {
                let made = PyString::new(py, name);
                *slot = Some((name.into(), made.clone().unbind()));
                made
            }
        }
    }
}

/// The slot of `name`: a multiplicative hash of its bytes, eight at a time (speed matters more
/// than quality here: a collision only means one of the two names is not cached).
fn slot_of(name: &str) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let bytes = name.as_bytes();
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        hash = step(hash, <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes));
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        hash = step(hash, tail.iter().rev().fold(0, |w, b| (w << 8) | u64::from(*b)));
    }
    // The high bits are the best mixed.
    usize::try_from(hash >> (64 - SLOTS.trailing_zeros())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{SLOTS, slot_of};

    #[test]
    fn every_name_has_a_slot_in_the_table() {
        let long = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".repeat(3);
        for name in ["", "a", "value", "userName", "schemas", "urn:ietf:params:scim:schemas:core:2.0:User", &long] {
            assert!(slot_of(name) < SLOTS, "{name}");
            assert_eq!(slot_of(name), slot_of(name));
        }
    }

    #[test]
    fn the_names_seen_most_spread_over_the_table() {
        let names = [
            "schemas",
            "id",
            "externalId",
            "meta",
            "userName",
            "name",
            "displayName",
            "emails",
            "value",
            "type",
            "primary",
            "display",
            "$ref",
            "active",
            "op",
            "path",
            "Operations",
            "detail",
            "location",
            "code",
        ];
        let mut slots: Vec<usize> = names.iter().map(|n| slot_of(n)).collect();
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots.len(), names.len());
    }
}
