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
