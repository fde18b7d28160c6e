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
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Loc::Root => break,
                Loc::Key(parent, _) | Loc::Index(parent, _) => {
                    steps.push(*at);
                    at = parent;
                }
            }
        }
        let mut location = Location::with_capacity(64);
        for step in steps.iter().rev() {
            match step {
                Loc::Key(_, k) => location.push_key(k),
                Loc::Index(_, i) => location.push_index(*i),
                Loc::Root => {}
            }
        }
        location
    }
}
