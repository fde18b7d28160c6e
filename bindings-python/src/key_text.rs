//! The text of dict keys read from Python, remembered by content.
//!
//! Documents repeat the same few member names (`value`, `type`, `schemas`…), in every request.
//! Under the stable ABI for Python 3.9, reading a `str` as UTF-8 makes a `bytes` object each
//! time (`PyUnicode_AsUTF8String`), which was most of the cost of reading a dict. A dict key
//! already carries its hash, so a name read once is found again by that hash and confirmed by
//! comparing the two `str` objects (an identity check, else a `memcmp` in CPython), with no new
//! object and no encoding.
//!
//! The cache is a fixed table of [`SLOTS`] slots, each holding the first name (of at most
//! [`MAX_NAME_CHARS`] characters) whose hash chose it: one lookup and at most one comparison,
//! whatever the input (no probing, so no input can make lookups slow); a name whose slot is
//! taken is read as usual. Only exact `str` objects are cached — a subclass could redefine
//! `__eq__` or `__hash__` — and only after they read as UTF-8 without error. The table holds a
//! reference to each cached `str`, and is taken without waiting (`slot_table`).

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Slots in the table (a power of two).
const SLOTS: usize = 1024;

/// Longer names are not cached (SCIM's longest, an extension URN, is about 60 characters).
const MAX_NAME_CHARS: usize = 128;

type Slot = Option<(Py<PyString>, Box<str>)>;

static TABLE: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

/// The cache while one document is read (or nothing, when it is busy).
pub(crate) struct KeyText(Option<MutexGuard<'static, Vec<Slot>>>);

impl KeyText {
    /// Takes the cache if it is free.
    pub(crate) fn take() -> Self {
        Self(crate::slot_table::take(&TABLE, SLOTS))
    }

    /// The text of the key `key`, or `None` when it holds a lone surrogate.
    pub(crate) fn text(&mut self, key: &Bound<'_, PyString>) -> Option<String> {
        let Some(table) = self.0.as_mut() else {
            return read(key);
        };
        if !key.is_exact_instance_of::<PyString>() || key.len().map_or(true, |n| n > MAX_NAME_CHARS) {
            return read(key);
        }
        let Ok(hash) = key.hash() else {
            return read(key);
        };
        let Some(slot) = table.get_mut(slot_of(hash)) else {
            return read(key);
        };
        if let Some((cached, text)) = slot.as_ref() {
            let cached = cached.bind(key.py());
            if cached.is(key) || PyAnyMethods::eq(cached.as_any(), key).unwrap_or(false) {
                return Some(String::from(&**text));
            }
            return read(key);
        }
        let text = read(key)?;
        *slot = Some((key.clone().unbind(), text.as_str().into()));
        Some(text)
    }
}

fn read(key: &Bound<'_, PyString>) -> Option<String> {
    key.to_cow().ok().map(std::borrow::Cow::into_owned)
}

/// The slot for a Python hash: its bits mixed (string hashes are already well spread, but the
/// low bits alone are what a dict uses too) and the top ones kept.
fn slot_of(hash: isize) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    #[expect(clippy::cast_sign_loss, reason = "only the hash's bits are used")]
    let mixed = (hash as u64).wrapping_mul(K);
    usize::try_from(mixed >> (64 - SLOTS.trailing_zeros())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{SLOTS, slot_of};

    #[test]
    fn every_hash_has_a_slot_in_the_table() {
        for hash in [0, 1, -1, isize::MAX, isize::MIN, 0x5f3a_9c11] {
            assert!(slot_of(hash) < SLOTS, "{hash}");
        }
    }

    #[test]
    fn nearby_hashes_spread_over_the_table() {
        let mut slots: Vec<usize> = (0..64).map(slot_of).collect();
        slots.sort_unstable();
        slots.dedup();
        assert!(slots.len() > 48, "{} distinct slots", slots.len());
    }
}
