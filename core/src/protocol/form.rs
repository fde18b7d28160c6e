//! Percent-decoding: `application/x-www-form-urlencoded` for URI query strings (WHATWG URL
//! §5.1: `+` is a space, `%XX` is a byte), and plain RFC 3986 for path segments (`+` is itself);
//! the decoded bytes must form UTF-8.

use crate::error::excerpt;

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space and `%XX` a byte; the
/// bytes must form UTF-8. The error is the detail message.
pub(super) fn percent_decode(text: &str) -> Result<String, String> {
    decode(text, true)
}

/// Decodes a URI path segment (RFC 3986 §2.1): `%XX` is a byte, `+` is a plus sign.
pub(crate) fn percent_decode_segment(text: &str) -> Result<String, String> {
    decode(text, false)
}

fn decode(text: &str, plus_is_space: bool) -> Result<String, String> {
    if !text.bytes().any(|b| b == b'%' || (plus_is_space && b == b'+')) {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
                let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) else {
                    let at = text.get(i..).unwrap_or_default();
                    return Err(format!("malformed percent-encoding at `{}`", excerpt(at)));
                };
                out.push(u8::try_from(high * 16 + low).unwrap_or_default());
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("percent-encoded bytes in `{}` are not UTF-8", excerpt(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_escapes_and_utf8() {
        assert_eq!(percent_decode("a+b%20c%C3%A9").unwrap(), "a b cé");
        assert_eq!(percent_decode("%2B").unwrap(), "+");
        assert_eq!(percent_decode("plain").unwrap(), "plain");
        assert_eq!(percent_decode("é%41").unwrap(), "éA");
    }

    #[test]
    fn refuses_malformed_escapes_and_bad_utf8() {
        for bad in ["%", "%4", "%zz", "%C3", "%FF", "%C3%28"] {
            assert!(percent_decode(bad).is_err(), "{bad}");
        }
    }
}
