//! One number, one spelling: a whole double written as the integer it is.

use serde_json::Number;

/// A whole double (not already an integer) within `±limit`, written as the integer it is
/// (`1.0` as `1`, `1e17` as its digits, `-0.0` as `0`); `None` for an integer, a fraction, or a
/// larger magnitude. `1.0` from Python and `1` from JS are one number.
pub(crate) fn whole_double_digits(n: &Number, limit: f64) -> Option<String> {
    let f = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64())?;
    if !f.is_finite() || f.fract() != 0.0 || f.abs() > limit {
        return None;
    }
    Some(if f == 0.0 { "0".to_owned() } else { format!("{f:.0}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str, limit: f64) -> Option<String> {
        whole_double_digits(&text.parse().unwrap_or_else(|_| Number::from(0)), limit)
    }

    #[test]
    fn whole_doubles_are_written_as_integers() {
        assert_eq!(digits("1.0", f64::MAX).as_deref(), Some("1"));
        assert_eq!(digits("-0.0", f64::MAX).as_deref(), Some("0"));
        assert_eq!(digits("1e17", f64::MAX).as_deref(), Some("100000000000000000"));
        assert_eq!(digits("1e17", 9_007_199_254_740_992.0), None);
        assert_eq!(digits("1", f64::MAX), None);
        assert_eq!(digits("1.5", f64::MAX), None);
    }
}
