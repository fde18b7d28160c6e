//! Checks of the string forms RFC 7643 types use: base64 (binary) and URIs (reference).

/// Whether `text` is base64 in the RFC 4648 §4 alphabet with padding, and no white space.
pub fn is_base64(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() % 4 != 0 {
        return false;
    }
    let padding = b.iter().rev().take_while(|&&c| c == b'=').count();
    if padding > 2 {
        return false;
    }
    let body = b.len() - padding;
    b.iter().take(body).all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Whether `c` may appear in a URI reference (RFC 3986 unreserved, reserved, and `%`).
const fn is_uri_char(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'['
                | b']'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
        )
}

/// The scheme of `text` if it starts with one (`ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") ":"`).
fn scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme)
}

/// Whether `text` is a URI reference (absolute or relative): non-empty, only URI characters
/// (non-ASCII letters allowed as in IRIs), well-formed `%XX` escapes.
pub fn is_uri_reference(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(is_uri_char(c) || c >= 0x80) {
            return false;
        }
        i += 1;
    }
    // A colon in the first segment of a relative reference would make it look like a scheme.
    let first_segment = text.split(['/', '?', '#']).next().unwrap_or_default();
    !first_segment.contains(':') || scheme(text).is_some()
}

/// Whether `text` is an absolute URI: a URI reference that starts with a scheme.
pub fn is_absolute_uri(text: &str) -> bool {
    is_uri_reference(text) && scheme(text).is_some_and(|s| text.len() > s.len() + 1)
}

/// Whether the path of `uri` ends with `<endpoint>/<id>`, i.e. it points at a resource served
/// at `endpoint` (`/Users`). Query and fragment are ignored; the id must not be empty.
pub fn points_into_endpoint(uri: &str, endpoint: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.rsplit('/');
    let id = segments.next().unwrap_or_default();
    let collection = segments.next().unwrap_or_default();
    !id.is_empty() && endpoint.strip_prefix('/').is_some_and(|e| e.eq_ignore_ascii_case(collection))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert!(is_base64("TWFu"));
        assert!(is_base64("TWE="));
        assert!(is_base64("TQ=="));
        assert!(is_base64(""));
        assert!(!is_base64("TQ="));
        assert!(!is_base64("TW u"));
        assert!(!is_base64("T==="));
        assert!(!is_base64("TW-_"));
    }

    #[test]
    fn uris() {
        assert!(is_absolute_uri("https://example.com/v2/Users/2819c223"));
        assert!(is_absolute_uri("urn:ietf:params:scim:schemas:core:2.0:User"));
        assert!(!is_absolute_uri("../Users/26118915"));
        assert!(is_uri_reference("../Users/26118915"));
        assert!(!is_uri_reference("has space"));
        assert!(!is_uri_reference("bad%zzescape"));
        assert!(!is_uri_reference(""));
        assert!(!is_uri_reference("1ab:c"));
    }

    #[test]
    fn endpoints() {
        assert!(points_into_endpoint("https://x/v2/Users/2819c223", "/Users"));
        assert!(points_into_endpoint("../users/abc?x=1", "/Users"));
        assert!(!points_into_endpoint("https://x/v2/Groups/1", "/Users"));
        assert!(!points_into_endpoint("https://x/v2/Users/", "/Users"));
    }
}
