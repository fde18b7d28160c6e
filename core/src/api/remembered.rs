//! Options read once per thread: a server passes the same options text with every call (the
//! PATCH profile of an IdP, say), so the text read last for each kind of options is kept with
//! what it read as, and the next call with that very text takes the copy.
//!
//! Only short texts are kept (a `replace`-mode validation carries the stored resource in its
//! options); a failed read keeps nothing, so a bad text is read, and refused, every time.

use std::cell::RefCell;
use std::thread::LocalKey;

use serde::de::DeserializeOwned;

use super::options_from_json;
use crate::error::Error;

/// The longest options text kept, in bytes.
const KEPT_LEN: usize = 256;

/// The text read last and what it read as.
type Last<T> = RefCell<Option<(Box<str>, T)>>;

/// A kind of options whose last text each thread keeps.
pub(crate) trait Remembered: DeserializeOwned + Default + Clone + 'static {
    /// This kind's slot.
    fn last() -> &'static LocalKey<Last<Self>>;
}

macro_rules! remembered {
    ($($kind:ty),*) => {$(
        impl Remembered for $kind {
            fn last() -> &'static LocalKey<Last<Self>> {
                thread_local! {
                    static LAST: Last<$kind> = const { RefCell::new(None) };
                }
                &LAST
            }
        }
    )*};
}

remembered!(crate::patch::PatchOptions, crate::validate::ValidateOptions);

/// Reads options from JSON text as [`options_from_json`] does, taking the copy kept when the
/// text is the one read last.
///
/// The slot is borrowed only to compare and to store, never while reading; a slot found
/// borrowed (which only an interrupted call can leave it: a WebAssembly trap does not unwind)
/// is passed by, and the text read as it comes.
///
/// # Errors
/// As [`options_from_json`].
pub(crate) fn read_options<T: Remembered>(text: &str) -> Result<T, Error> {
    if text.is_empty() {
        return Ok(T::default());
    }
    if text.len() > KEPT_LEN {
        return options_from_json(text);
    }
    let kept = T::last().try_with(|last| {
        let last = last.try_borrow().ok()?;
        last.as_ref().filter(|(kept, _)| **kept == *text).map(|(_, read)| read.clone())
    });
    if let Ok(Some(read)) = kept {
        return Ok(read);
    }
    let read: T = options_from_json(text)?;
    // Gone (the thread ending) or borrowed: nothing is kept this time.
    let _ = T::last().try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some((text.into(), read.clone()));
        }
    });
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;
    use crate::patch::{PatchOptions, Reporting};

    #[test]
    fn the_same_text_reads_the_same_and_another_replaces_it() {
        let entra = r#"{"profile":"entra","report":"none"}"#;
        for _ in 0..2 {
            let read: PatchOptions = read_options(entra).unwrap();
            assert_eq!(read.profile, Profile::entra());
            assert_eq!(read.report, Reporting::None);
        }
        let strict: PatchOptions = read_options(r#"{"report":"full"}"#).unwrap();
        assert_eq!(strict, PatchOptions::default());
        let again: PatchOptions = read_options(entra).unwrap();
        assert_eq!(again.profile, Profile::entra());
    }

    #[test]
    fn a_bad_text_is_refused_every_time_and_keeps_nothing() {
        let entra = r#"{"profile":"entra"}"#;
        let _: PatchOptions = read_options(entra).unwrap();
        for _ in 0..2 {
            assert!(read_options::<PatchOptions>(r#"{"profile":"nope"}"#).is_err());
        }
        assert_eq!(read_options::<PatchOptions>(entra).unwrap().profile, Profile::entra());
    }

    #[test]
    fn a_slot_left_borrowed_is_passed_by() {
        let entra = r#"{"profile":"entra"}"#;
        let _: PatchOptions = read_options(entra).unwrap();
        PatchOptions::last().with_borrow_mut(|_| {
            for text in [entra, r#"{"profile":"okta"}"#] {
                assert!(read_options::<PatchOptions>(text).is_ok());
            }
        });
        assert_eq!(read_options::<PatchOptions>(entra).unwrap().profile, Profile::entra());
    }

    #[test]
    fn long_texts_are_read_as_they_come() {
        let long = format!(r#"{{"profile":"okta"{}}}"#, " ".repeat(KEPT_LEN));
        assert_eq!(read_options::<PatchOptions>(&long).unwrap().profile, Profile::okta());
        assert!(PatchOptions::last().with_borrow(|last| last.as_ref().is_none_or(|(t, _)| t.len() <= KEPT_LEN)));
    }
}
