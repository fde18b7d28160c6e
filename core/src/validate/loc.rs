//! A location in the input kept as a chain on the stack, turned into a JSON pointer only when
//! an error or note needs one.

use crate::error::Location;

/// One step of the path from the document root.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc<'a> {
    Root,
    Key(&'a Loc<'a>, &'a str),
    Index(&'a Loc<'a>, usize),
}

impl<'a> Loc<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Self {
        Loc::Key(self, key)
    }

    pub(crate) fn index(&'a self, index: usize) -> Self {
        Loc::Index(self, index)
    }

    /// The JSON pointer of this place.
    pub(crate) fn pointer(&self) -> Location {
        // Two walks up the chain: the first measures the pointer, the second writes each step
        // into its place from the end backwards; the one allocation is the pointer's own.
        let mut len = 0;
        let mut at = self;
        loop {
            match at {
                Loc::Root => break,
                Loc::Key(parent, k) => {
                    if k.bytes().any(|b| b == b'~' || b == b'/') {
                        return self.pointer_escaped();
                    }
                    len += 1 + k.len();
                    at = parent;
                }
                Loc::Index(parent, i) => {
                    len += 1 + decimal_len(*i);
                    at = parent;
                }
            }
        }
        let mut bytes = vec![b'/'; len];
        let mut end = len;
        let mut at = self;
        loop {
            match at {
                Loc::Root => break,
                Loc::Key(parent, k) => {
                    let start = end.saturating_sub(k.len());
                    if let Some(slot) = bytes.get_mut(start..end) {
                        slot.copy_from_slice(k.as_bytes());
                    }
                    end = start.saturating_sub(1);
                    at = parent;
                }
                Loc::Index(parent, i) => {
                    let mut rest = *i;
                    loop {
                        end = end.saturating_sub(1);
                        if let Some(d) = bytes.get_mut(end) {
                            *d = b'0' + u8::try_from(rest % 10).unwrap_or(0);
                        }
                        rest /= 10;
                        if rest == 0 {
                            break;
                        }
                    }
                    end = end.saturating_sub(1);
                    at = parent;
                }
            }
        }
        // Whole strings and ASCII bytes between them: always UTF-8.
        String::from_utf8(bytes).map_or_else(|_| self.pointer_escaped(), Location::from_pointer)
    }

    /// [`Loc::pointer`] for keys that need RFC 6901 escapes.
    fn pointer_escaped(&self) -> Location {
        // The steps from here up to the root, innermost first: the first few on the stack,
        // any deeper ones (rare) in a vector.
        let mut near: [Option<&Loc<'_>>; NEAR_STEPS] = [None; NEAR_STEPS];
        let mut far = Vec::new();
        let mut count = 0;
        let mut at = self;
        while let Loc::Key(parent, _) | Loc::Index(parent, _) = at {
            match near.get_mut(count) {
                Some(slot) => *slot = Some(at),
                None => far.push(at),
            }
            count += 1;
            at = parent;
        }
        let mut location = Location::with_capacity(64);
        for step in far.iter().rev().copied().chain(near.iter().rev().flatten().copied()) {
            match step {
                Loc::Key(_, k) => location.push_key(k),
                Loc::Index(_, i) => location.push_index(*i),
                Loc::Root => {}
            }
        }
        location
    }
}

/// How many steps of a location are gathered without allocating.
const NEAR_STEPS: usize = 12;

/// How many decimal digits `n` has.
const fn decimal_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_built_as_rfc_6901_spells_them() {
        let root = Loc::Root;
        assert_eq!(root.pointer().as_str(), "");
        let ops = root.key("Operations");
        let keys = ["op", "", "émail", "a~b", "a/b", "~", "urn:ietf:params:scim:schemas:core:2.0:User"];
        for index in [0, 7, 9, 10, 99, 100, 12_345, usize::MAX] {
            let op = ops.index(index);
            for key in keys {
                let leaf = op.key(key);
                let inner = leaf.index(index % 1000);
                let escaped = key.replace('~', "~0").replace('/', "~1");
                assert_eq!(leaf.pointer().as_str(), format!("/Operations/{index}/{escaped}"));
                assert_eq!(inner.pointer().as_str(), format!("/Operations/{index}/{escaped}/{}", index % 1000));
                assert_eq!(inner.pointer(), inner.pointer_escaped());
            }
        }
        // Chains longer than the steps kept on the stack by the escaping walk.
        let mut steps = Vec::new();
        let mut expected = String::new();
        for i in 0..30 {
            steps.push(if i % 2 == 0 { Loc::Key(&Loc::Root, "k") } else { Loc::Index(&Loc::Root, i) });
            expected.push('/');
            expected.push_str(&if i % 2 == 0 { "k".to_owned() } else { i.to_string() });
        }
        link(&steps, &Loc::Root, 0, &expected);
    }

    /// Checks the pointer of the chain `parent` + `steps[at..]`, built on the stack.
    fn link<'a>(steps: &[Loc<'a>], parent: &Loc<'a>, at: usize, expected: &str) {
        let Some(step) = steps.get(at) else {
            assert_eq!(parent.pointer().as_str(), expected);
            assert_eq!(parent.pointer(), parent.pointer_escaped());
            return;
        };
        let here = match step {
            Loc::Key(_, k) => parent.key(k),
            Loc::Index(_, i) => parent.index(*i),
            Loc::Root => Loc::Root,
        };
        link(steps, &here, at + 1, expected);
    }
}
