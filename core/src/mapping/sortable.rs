//! Text forms of numbers and instants whose byte order is their value order, so a database
//! compares them exactly with a plain text comparison (SQLite's default `BINARY` collation,
//! PostgreSQL's `COLLATE "C"`), with no rounding through floating point and no time zone rules.

use crate::filter::compare::{NormalDecimal, normal_decimal};
use crate::value::Instant;

/// The zone written after a stored instant. `+00:00` rather than `Z`: `+` sorts before `.` and
/// before every digit, so `…:34+00:00` < `…:34.5+00:00` < `…:34.51+00:00`, which `Z` (after
/// the digits) would break. The text stays a valid RFC 3339 / `xsd:dateTime` value.
pub(crate) const STORED_ZONE: &str = "+00:00";

/// An instant as stored: UTC, fraction without trailing zeros, `+00:00`. `None` outside the
/// years 0001–9999 (in UTC).
pub(crate) fn instant_text(instant: &Instant) -> Option<String> {
    instant.to_utc_string(STORED_ZONE)
}

/// The sort key of a JSON number given as text (`None` when the text is not a number):
///
/// - zero is `2`;
/// - a positive `0.DIGITS × 10^p` is `3`, the exponent `p` as [`exponent`] writes it, then the
///   digits (no trailing zeros, so a longer key with the same start is the larger number);
/// - a negative one is `1`, the exponent of `-p`, the nines' complement of the digits, then `~`
///   (which sorts after every digit, so among equal starts the shorter is the larger number).
///
/// `1.5` is `3P1115`, `100` is `3P131`, `-1.5` is `1NW884~`.
pub(crate) fn decimal_key(text: &str) -> Option<String> {
    let NormalDecimal { negative, digits, point } = normal_decimal(text)?;
    if digits.is_empty() {
        return Some("2".to_owned());
    }
    Some(if negative {
        let complement: String = digits.bytes().map(|b| char::from(b'9' - (b - b'0'))).collect();
        format!("1{}{complement}~", exponent(point.saturating_neg()))
    } else {
        format!("3{}{digits}", exponent(point))
    })
}

/// The number (JSON number text) as a 64-bit integer, when it is a whole number in range
/// (`1e2` and `100.0` are `100`).
pub(crate) fn whole_i64(text: &str) -> Option<i64> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(i);
    }
    let NormalDecimal { negative, digits, point } = normal_decimal(text)?;
    if digits.is_empty() {
        return Some(0);
    }
    let zeros = usize::try_from(point).ok()?.checked_sub(digits.len())?;
    if point > 19 {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    format!("{sign}{digits}{}", "0".repeat(zeros)).parse().ok()
}

/// Where the number (JSON number text) falls against the 64-bit integers: `Greater` above
/// `i64::MAX`, `Less` below `i64::MIN`, `None` within their range (or not a number).
pub(crate) fn beyond_i64(text: &str) -> Option<std::cmp::Ordering> {
    let NormalDecimal { negative, digits, point } = normal_decimal(text)?;
    let side = if negative { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater };
    if digits.is_empty() || point <= 0 {
        return None;
    }
    if point > 19 {
        return Some(side);
    }
    let whole_digits = usize::try_from(point).ok()?;
    let int_part: String = digits.chars().chain(std::iter::repeat('0')).take(whole_digits).collect();
    let int_part: u64 = int_part.parse().ok()?;
    let fraction = digits.len() > whole_digits;
    // The magnitude of the integer beyond the range's end on this side.
    let end = if negative { i64::MIN.unsigned_abs() } else { i64::MAX.unsigned_abs() };
    (int_part > end || (int_part == end && fraction)).then_some(side)
}

/// An exponent as order-preserving text: `P`, one character for the digit count (`1`…`9`,
/// then `:`, `;`… in ASCII order), the digits; a negative one is `N`, a character that falls as
/// the digit count grows, and the nines' complement of the digits.
fn exponent(p: i64) -> String {
    let digits = p.unsigned_abs().to_string();
    let count = u8::try_from(digits.len()).unwrap_or(u8::MAX).min(40);
    if p >= 0 {
        format!("P{}{digits}", char::from(b'0' + count))
    } else {
        let complement: String = digits.bytes().map(|b| char::from(b'9' - (b - b'0'))).collect();
        format!("N{}{complement}", char::from(b'0' + 40 - count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_datetime;

    #[test]
    fn decimal_keys_sort_like_their_numbers() {
        let numbers = [
            "-1e300",
            "-12345",
            "-100",
            "-10.5",
            "-10",
            "-1.51",
            "-1.5",
            "-1",
            "-0.5",
            "-0.0012",
            "-1e-30",
            "0",
            "1e-30",
            "0.0012",
            "0.1",
            "0.1000000000000000055511151231257827",
            "0.11",
            "1",
            "1.5",
            "1.51",
            "9.99",
            "10",
            "10.5",
            "100",
            "12345",
            "9007199254740992",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "1e300",
        ];
        let keys: Vec<String> = numbers.iter().map(|n| decimal_key(n).unwrap()).collect();
        for (i, pair) in keys.windows(2).enumerate() {
            assert!(pair[0] < pair[1], "{} !< {}: {} !< {}", numbers[i], numbers[i + 1], pair[0], pair[1]);
        }
        assert_eq!(decimal_key("1.5").as_deref(), Some("3P1115"));
        assert_eq!(decimal_key("100"), decimal_key("1e2"));
        assert_eq!(decimal_key("10.0"), decimal_key("10"));
        assert_eq!(decimal_key("0.10"), decimal_key("0.1"));
        assert_eq!(decimal_key("-0"), decimal_key("0"));
        assert_eq!(decimal_key("-1.5").as_deref(), Some("1NW884~"));
        assert_eq!(decimal_key("5e99999999999999999999"), decimal_key("5e99999999999999999999"));
        assert!(decimal_key("5e-99999999999999999999") < decimal_key("1e-300"));
        assert!(decimal_key("5e99999999999999999999") > decimal_key("1e300"));
        assert_eq!(decimal_key("x"), None);
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole_i64("100.0"), Some(100));
        assert_eq!(whole_i64("1e2"), Some(100));
        assert_eq!(whole_i64("-0.0"), Some(0));
        assert_eq!(whole_i64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(whole_i64("9223372036854775808"), None);
        assert_eq!(whole_i64("1.5"), None);
        assert_eq!(beyond_i64("-9223372036854775809"), Some(std::cmp::Ordering::Less));
        assert_eq!(beyond_i64("-9223372036854775808.5"), Some(std::cmp::Ordering::Less));
        assert_eq!(beyond_i64("-9223372036854775808"), None);
        assert_eq!(beyond_i64("-9223372036854775807.5"), None);
        assert_eq!(beyond_i64("9223372036854775807.5"), Some(std::cmp::Ordering::Greater));
        assert_eq!(beyond_i64("9223372036854775807"), None);
        assert_eq!(beyond_i64("1e19"), Some(std::cmp::Ordering::Greater));
        assert_eq!(beyond_i64("-1e300"), Some(std::cmp::Ordering::Less));
        assert_eq!(beyond_i64("0.5"), None);
        assert_eq!(beyond_i64("0"), None);
        assert_eq!(whole_i64("1e30"), None);
    }

    #[test]
    fn instants_sort_like_their_times() {
        let texts = [
            "2011-05-13T04:42:33.999Z",
            "2011-05-13T06:42:34+02:00",
            "2011-05-13T04:42:34.000001Z",
            "2011-05-13T04:42:34.5Z",
            "2011-05-13T04:42:34.51Z",
            "2011-05-13T04:42:35Z",
        ];
        let stored: Vec<String> = texts.iter().map(|t| instant_text(&parse_datetime(t).unwrap()).unwrap()).collect();
        assert_eq!(stored[1], "2011-05-13T04:42:34+00:00");
        for pair in stored.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
    }
}
