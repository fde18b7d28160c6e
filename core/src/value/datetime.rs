//! `xsd:dateTime` values as RFC 7643 §2.3.5 uses them: `YYYY-MM-DDThh:mm:ss[.fff…](Z|±hh:mm)`.
//! An offset is required, so every value names one instant.

use std::cmp::Ordering;

/// One instant: seconds since 1970-01-01T00:00:00Z and nanoseconds within the second.
/// Fractions finer than nanoseconds are compared by their digits too (see [`Instant::cmp`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instant {
    seconds: i64,
    /// Fraction digits with trailing zeros removed (`"5"` for `.500`).
    fraction: String,
}

impl Instant {
    /// Seconds since the Unix epoch (whole seconds, floor).
    pub const fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// The fraction of the second, its digits without trailing zeros (`"5"` for `.500`; empty
    /// for none).
    pub fn fraction_digits(&self) -> &str {
        &self.fraction
    }

    /// This instant in UTC, `YYYY-MM-DDThh:mm:ss`, then `.` and the fraction digits without
    /// trailing zeros when there is a fraction, then `zone` (`"Z"`, `"+00:00"`). `None` when the
    /// UTC date falls outside the years 0001–9999.
    pub fn to_utc_string(&self, zone: &str) -> Option<String> {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return None;
        }
        let (hour, minute, second) = (secs / 3_600, secs % 3_600 / 60, secs % 60);
        let fraction = if self.fraction.is_empty() { String::new() } else { format!(".{}", self.fraction) };
        Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}"))
    }
}

/// The civil date (proleptic Gregorian) `days` after 1970-01-01.
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Instant {
    /// Whole seconds first, then the fraction digit by digit (equal-length-padded, so `.5`
    /// equals `.500` and precedes `.51`).
    fn cmp(&self, other: &Self) -> Ordering {
        self.seconds.cmp(&other.seconds).then_with(|| {
            let (a, b) = (self.fraction.as_bytes(), other.fraction.as_bytes());
            let n = a.len().max(b.len());
            (0..n)
                .map(|i| (a.get(i).copied().unwrap_or(b'0'), b.get(i).copied().unwrap_or(b'0')))
                .map(|(x, y)| x.cmp(&y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    }
}

fn digits(bytes: &[u8], at: usize, count: usize) -> Option<i64> {
    let part = bytes.get(at..at + count)?;
    part.iter().try_fold(0_i64, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

const fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an `xsd:dateTime` with a required offset. Years have four digits (0001–9999);
/// seconds run 00–59; the offset is `Z` or `±hh:mm` within ±14:00.
pub fn parse_datetime(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    if year == 0 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut fraction = String::new();
    if sep(at, b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
        text.get(start..at)?.trim_end_matches('0').clone_into(&mut fraction);
    }
    let offset_minutes = match b.get(at)? {
        b'Z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && sep(at + 3, b':') => {
            let (h, m) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            if m > 59 || h * 60 + m > 14 * 60 {
                return None;
            }
            if *sign == b'-' { -(h * 60 + m) } else { h * 60 + m }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(Instant { seconds, fraction })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc_examples() {
        assert!(parse_datetime("2008-01-23T04:56:22Z").is_some());
        assert!(parse_datetime("2011-05-13T04:42:34.123-07:00").is_some());
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
        assert_eq!(parse_datetime("2000-03-01T00:00:00Z").unwrap().unix_seconds(), 951_868_800);
    }

    #[test]
    fn refuses_what_is_not_an_instant() {
        for bad in [
            "2008-01-23T04:56:22",
            "2008-01-23 04:56:22Z",
            "2008-02-30T00:00:00Z",
            "2007-02-29T00:00:00Z",
            "2008-01-23T24:00:00Z",
            "2008-01-23T04:56:60Z",
            "2008-01-23T04:56:22.Z",
            "2008-01-23T04:56:22+15:00",
            "2008-1-23T04:56:22Z",
            "0000-01-01T00:00:00Z",
            "2008-01-23T04:56:22Zjunk",
            "",
        ] {
            assert!(parse_datetime(bad).is_none(), "{bad}");
        }
        assert!(parse_datetime("2008-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn prints_in_utc() {
        let utc = |t: &str| parse_datetime(t).unwrap().to_utc_string("Z");
        assert_eq!(utc("2011-05-13T06:42:34.50+02:00").as_deref(), Some("2011-05-13T04:42:34.5Z"));
        assert_eq!(utc("2000-02-29T23:00:00-01:00").as_deref(), Some("2000-03-01T00:00:00Z"));
        assert_eq!(utc("1969-12-31T23:59:59Z").as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(utc("0001-01-01T00:00:00+01:00"), None);
        assert_eq!(utc("9999-12-31T23:00:00-01:00"), None);
        for day in -800_000..800_000_i64 {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn compares_as_instants() {
        let utc = parse_datetime("2011-05-13T04:42:34Z").unwrap();
        let pacific = parse_datetime("2011-05-12T21:42:34-07:00").unwrap();
        assert_eq!(utc, pacific);
        let half = parse_datetime("2011-05-13T04:42:34.5Z").unwrap();
        let half_padded = parse_datetime("2011-05-13T04:42:34.500Z").unwrap();
        let later = parse_datetime("2011-05-13T04:42:34.51Z").unwrap();
        assert_eq!(half, half_padded);
        assert!(utc < half && half < later);
    }
}
