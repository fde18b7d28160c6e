//! Finding the bytes of string content that JSON treats specially — `"`, `\` and the
//! control characters — eight bytes at a time. The writer escapes them; the fast reader stops
//! at them.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

const fn byte_needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The high bit of every byte of `w` that may be special; the lowest one marks exactly the
/// first special byte (a borrow runs only upward, from a byte that is special).
const fn special_bits(w: u64) -> u64 {
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * b'"' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let s = w ^ (ONES * b'\\' as u64);
    let backslash = s.wrapping_sub(ONES) & !s;
    (control | quote | backslash) & HIGHS
}

/// The index of the first byte at or after `from` that is special in a JSON string, or the
/// length of `bytes`: eight bytes at a time while eight remain.
pub(crate) fn plain_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(word) = bytes.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let special = special_bits(u64::from_le_bytes(word));
        if special != 0 {
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| !byte_needs_escape(b)) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_special_byte_at_every_place() {
        let specials: Vec<u8> = (0..0x20).chain([b'"', b'\\']).collect();
        for len in 0..20 {
            for from in 0..=len {
                for at in from..len {
                    for &special in &specials {
                        for &filler in &[b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
                            let mut bytes = vec![filler; len];
                            bytes[at] = special;
                            // Specials after the first must not hide it.
                            for b in bytes.iter_mut().skip(at + 1).step_by(2) {
                                *b = b'"';
                            }
                            assert_eq!(plain_end(&bytes, from), at, "{bytes:?} from {from}");
                        }
                    }
                }
                assert_eq!(plain_end(&vec![b'x'; len], from), len);
            }
        }
    }
}
