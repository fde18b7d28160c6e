//! The fixed tables of cache slots behind `keys` (names out) and `key_text` (names in).
//!
//! A table is taken with `try_lock` only: a build that finds it busy — another thread, or a
//! finalizer that runs Python code in the middle of a build and calls scimkit again — goes on
//! without it rather than wait while holding the GIL.

use std::sync::{Mutex, MutexGuard, TryLockError};

/// `table`, with its `slots` slots made on first use, or `None` when it is busy.
pub(crate) fn take<T>(
    table: &'static Mutex<Vec<Option<T>>>,
    slots: usize,
) -> Option<MutexGuard<'static, Vec<Option<T>>>> {
    let mut guard = match table.try_lock() {
        Ok(guard) => guard,
        // A panic while the table was held cannot leave a slot half-written.
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => return None,
    };
    if guard.is_empty() {
        guard.resize_with(slots, || None);
    }
    Some(guard)
}
