//! A stored resource held on the Rust side and patched in place (the core's
//! [`HeldResource`]), with the one thing JS needs beyond it: taking back a PATCH whose report
//! the JS layer must refuse.
//!
//! The JS layer refuses a report holding an integer `JSON.parse` would round (as it refuses any
//! result), but a held resource has already changed by then. Such an integer can only have come
//! from the request or the stored resource, so when either holds an integer beyond ±(2^53−1)
//! (read off the text: a run of 16 digits outside a string, see [`may_hold_long_integer`]) the
//! resource is copied before the PATCH; [`Held::restore`] puts the copy back, and the copy is let
//! go as soon as the report is known to be readable. Otherwise nothing is copied.

use scimkit::patch::HeldResource;
use scimkit::{Registry, api};

use super::error::{Out, fail};
use super::text::{has_run, marked, report_text};

/// The largest integer a JS number holds exactly, and every smaller one: 2^53 − 1.
const MAX_SAFE: &[u8] = b"9007199254740991";

/// A held resource, and the copy a PATCH that may need taking back was applied to.
pub struct Held {
    inner: HeldResource,
    /// The registry it was held against (shared, not copied): a PATCH needs no registry handed
    /// over from JS, which costs a class check per call.
    registry: Registry,
    /// Whether the resource may hold an integer beyond ±(2^53−1) (read, or put there by a
    /// request).
    long_integers: bool,
    /// The resource as it was before the last PATCH, while that one may still need taking back.
    before: Option<HeldResource>,
}

/// JSON text as the core's document argument.
fn text(text: &str) -> api::Document<'_> {
    api::Document::Text(std::borrow::Cow::Borrowed(text))
}

/// Reads a stored resource (JSON text) to hold; options `{"limits"}`.
pub fn hold(registry: &Registry, resource_type: &str, resource: &str, options: &str) -> Out<Held> {
    let inner = api::hold_document(registry, resource_type, text(resource), options).map_err(fail)?;
    Ok(Held { inner, registry: registry.clone(), long_integers: may_hold_long_integer(resource), before: None })
}

impl Held {
    /// Applies a PATCH request: `{"changes", "quirks", "notes"}`, or the empty text when all
    /// three are empty (as under `report: "none"`: nothing written, nothing for JS to read); on
    /// failure the resource is as it was.
    pub fn apply_patch(&mut self, request: &str, options: &str) -> Out {
        let long_integers = self.long_integers || may_hold_long_integer(request);
        self.before = long_integers.then(|| self.inner.clone());
        let report = api::held_patch_document(&self.registry, &mut self.inner, text(request), options).map_err(fail);
        let report = match report {
            Ok(report) => report_text(report.is_empty(), || api::to_json(&report)),
            Err(error) => {
                self.before = None;
                return Err(error);
            }
        };
        self.long_integers = long_integers;
        if !has_run(report.as_bytes()) {
            // No 16 digits in a row: the JS layer reads this report as it is.
            self.before = None;
        }
        Ok(report)
    }

    /// Takes back the last PATCH, when the JS layer refused its report; whether it could.
    pub fn restore(&mut self) -> bool {
        self.before.take().map(|before| self.inner = before).is_some()
    }

    /// Lets go of the copy kept for [`Held::restore`]: the JS layer read the report.
    pub fn settle(&mut self) {
        self.before = None;
    }

    /// The resource as it stands, as JSON text.
    pub fn resource(&self) -> Out {
        self.inner.resource().map(|r| marked(api::to_json(r))).map_err(fail)
    }
}

/// Whether JSON `text` may hold an integer beyond ±(2^53−1): a number (outside strings) whose
/// integer part has 16 digits above 2^53 − 1, or more. Most texts hold no run of 16 digits at
/// all ([`has_run`] reads one byte in 16); only those are scanned.
fn may_hold_long_integer(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !has_run(bytes) {
        return false;
    }
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'"' {
            at += 1;
            while let Some(&c) = bytes.get(at) {
                at += if c == b'\\' { 2 } else { 1 };
                if c == b'"' {
                    break;
                }
            }
        } else if b.is_ascii_digit() {
            let digits = bytes.get(at..).map_or(0, |s| s.iter().take_while(|d| d.is_ascii_digit()).count());
            let run = bytes.get(at..at + digits).unwrap_or_default();
            if digits > MAX_SAFE.len() || (digits == MAX_SAFE.len() && run > MAX_SAFE) {
                return true;
            }
            at += digits.max(1);
        } else {
            at += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::may_hold_long_integer;

    #[test]
    fn only_long_integers_outside_strings_count() {
        assert!(!may_hold_long_integer(r#"{"id":"12345678901234567890","n":9007199254740991}"#));
        assert!(!may_hold_long_integer(r#"{"s":"a\"12345678901234567890"}"#));
        assert!(may_hold_long_integer(r#"{"n":9007199254740992}"#));
        assert!(may_hold_long_integer(r#"{"n":-123456789012345678}"#));
        assert!(may_hold_long_integer(r#"{"s":"x\\","n":[12345678901234567]}"#));
    }
}
