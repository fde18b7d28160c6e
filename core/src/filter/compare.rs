//! Exact comparisons: numbers as decimals (no rounding through `f64`), strings per `caseExact`
//! with the crate's one case-insensitive rule, and the ordering operators.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::ast::CompareOp;
use crate::value::{cmp_ignore_case, eq_ignore_case, fold_case};

/// Whether `ordering` (attribute value against the literal) satisfies `op`. `co`, `sw` and
/// `ew` are not orderings and never hold here.
pub(crate) fn holds(op: CompareOp, ordering: Ordering) -> bool {
    match op {
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// A number literal, ready to compare: its text, and its value when it is a plain integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    text: Box<str>,
    small: Option<i64>,
}

impl Decimal {
    /// A decimal from JSON number text.
    pub(crate) fn new(text: &str) -> Self {
        Self { text: text.into(), small: text.parse().ok() }
    }

    /// The literal as written.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Whether the value is a whole number (`100`, `1e2`, `1.0`, `10e-1` are; `1.5` is not):
    /// its significant digits (trailing zeros left out) all stand before the point.
    pub(crate) fn is_integral(&self) -> bool {
        parts(self.text.as_bytes()).is_some_and(|p| {
            let n = p.normalize();
            let digits = match n.frac.iter().rposition(|&b| b != b'0') {
                Some(last) => n.int.len() + last + 1,
                None => n.int.iter().rposition(|&b| b != b'0').map_or(0, |last| last + 1),
            };
            n.zero || i64::try_from(digits).is_ok_and(|d| d <= n.point)
        })
    }
}

/// The JSON number `value` (as `serde_json` writes it) compared exactly with `literal`.
pub(crate) fn cmp_number(value: &serde_json::Number, literal: &Decimal) -> Ordering {
    if let Some(l) = literal.small {
        if let Some(v) = value.as_i64() {
            return v.cmp(&l);
        }
        if let Some(v) = value.as_u64() {
            return i128::from(v).cmp(&i128::from(l));
        }
    }
    let mut buf = StackText::default();
    let text: std::borrow::Cow<'_, [u8]> = if write!(buf, "{value}").is_ok() {
        std::borrow::Cow::Borrowed(buf.bytes())
    } else {
        std::borrow::Cow::Owned(value.to_string().into_bytes())
    };
    match (parts(&text), parts(literal.text.as_bytes())) {
        (Some(a), Some(b)) => cmp_parts(&a.normalize(), &b.normalize()),
        _ => Ordering::Less,
    }
}

/// A decimal in one normal form, for storage keys: `0.DIGITS × 10^point`, negated when
/// `negative`, with no leading or trailing zeros in `digits` (empty for zero, which is never
/// negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NormalDecimal {
    pub(crate) negative: bool,
    pub(crate) digits: String,
    pub(crate) point: i64,
}

/// `text` (JSON number grammar, any exponent) in the normal form of [`NormalDecimal`].
pub(crate) fn normal_decimal(text: &str) -> Option<NormalDecimal> {
    let parts = parts(text.as_bytes())?;
    let n = parts.normalize();
    if n.zero {
        return Some(NormalDecimal { negative: false, digits: String::new(), point: 0 });
    }
    let all: Vec<u8> = n.int.iter().chain(n.frac).copied().collect();
    let end = all.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1);
    let digits = String::from_utf8(all.get(..end)?.to_vec()).ok()?;
    Some(NormalDecimal { negative: n.negative, digits, point: n.point })
}

/// Up to 64 bytes of text on the stack: a number as `serde_json` writes it fits.
struct StackText {
    bytes: [u8; 64],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        Self { bytes: [0; 64], len: 0 }
    }
}

impl StackText {
    fn bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A decimal number split into sign, integer digits, fraction digits and exponent.
struct Parts<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    exp: i64,
}

/// A decimal as `0.DDDD × 10^point` with the leading zeros of the digits removed.
struct Normal<'a> {
    negative: bool,
    zero: bool,
    /// The significant digits: `int` then `frac`.
    int: &'a [u8],
    frac: &'a [u8],
    point: i64,
}

/// Exponents are clamped far beyond any digit count, so arithmetic on them cannot overflow.
const EXP_CLAMP: i64 = i64::MAX / 4;

/// Reads `-? digits (. digits)? ([eE] [+-]? digits)?`.
fn parts(text: &[u8]) -> Option<Parts<'_>> {
    let negative = text.first() == Some(&b'-');
    let rest = text.get(usize::from(negative)..)?;
    let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let int = rest.get(..int_len)?;
    let mut rest = rest.get(int_len..)?;
    let mut frac: &[u8] = &[];
    if rest.first() == Some(&b'.') {
        let frac_len = rest.iter().skip(1).take_while(|b| b.is_ascii_digit()).count();
        frac = rest.get(1..=frac_len)?;
        rest = rest.get(frac_len + 1..)?;
    }
    let mut exp = 0_i64;
    if matches!(rest.first(), Some(b'e' | b'E')) {
        let (sign, digits) = match rest.get(1) {
            Some(b'-') => (-1, rest.get(2..)?),
            Some(b'+') => (1, rest.get(2..)?),
            _ => (1, rest.get(1..)?),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        exp = digits
            .iter()
            .fold(0_i64, |acc, &b| acc.saturating_mul(10).saturating_add(i64::from(b - b'0')).min(EXP_CLAMP))
            * sign;
        rest = &[];
    }
    (rest.is_empty() && !int.is_empty()).then_some(Parts { negative, int, frac, exp })
}

impl<'a> Parts<'a> {
    fn normalize(&self) -> Normal<'a> {
        let len = |s: &[u8]| i64::try_from(s.len()).unwrap_or(EXP_CLAMP);
        let int_lead = self.int.iter().take_while(|&&b| b == b'0').count();
        let (int, frac, point) = match self.int.get(int_lead..) {
            Some(int) if !int.is_empty() => (int, self.frac, len(int).saturating_add(self.exp)),
            _ => {
                let frac_lead = self.frac.iter().take_while(|&&b| b == b'0').count();
                let frac = self.frac.get(frac_lead..).unwrap_or_default();
                (&[][..], frac, self.exp.saturating_sub(len(self.frac) - len(frac)))
            }
        };
        let zero = int.is_empty() && frac.iter().all(|&b| b == b'0');
        Normal { negative: self.negative, zero, int, frac, point }
    }
}

fn cmp_parts(left: &Normal<'_>, right: &Normal<'_>) -> Ordering {
    match (left.zero, right.zero) {
        (true, true) => return Ordering::Equal,
        (true, false) => return if right.negative { Ordering::Greater } else { Ordering::Less },
        (false, true) => return if left.negative { Ordering::Less } else { Ordering::Greater },
        (false, false) => {}
    }
    if left.negative != right.negative {
        return if left.negative { Ordering::Less } else { Ordering::Greater };
    }
    let magnitude = left.point.cmp(&right.point).then_with(|| {
        let mut left_digits = left.int.iter().chain(left.frac);
        let mut right_digits = right.int.iter().chain(right.frac);
        loop {
            match (left_digits.next(), right_digits.next()) {
                (None, None) => return Ordering::Equal,
                (l, r) => {
                    let o = l.unwrap_or(&b'0').cmp(r.unwrap_or(&b'0'));
                    if o.is_ne() {
                        return o;
                    }
                }
            }
        }
    });
    if left.negative { magnitude.reverse() } else { magnitude }
}

/// A string literal, ready to compare: as written and case-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    raw: Box<str>,
    folded: Box<str>,
    ascii: bool,
    case_exact: bool,
}

impl Text {
    /// A literal compared case-sensitively when `case_exact`.
    pub(crate) fn new(raw: &str, case_exact: bool) -> Self {
        Self { raw: raw.into(), folded: fold_case(raw).into(), ascii: raw.is_ascii(), case_exact }
    }

    /// The literal as written.
    pub(crate) fn raw(&self) -> &str {
        &self.raw
    }

    /// The literal case-folded.
    pub(crate) fn folded(&self) -> &str {
        &self.folded
    }

    /// Whether the comparison is case-sensitive.
    pub(crate) const fn case_exact(&self) -> bool {
        self.case_exact
    }
}

/// Whether the attribute value `value` satisfies `op` against `literal`.
pub(crate) fn text_holds(op: CompareOp, value: &str, literal: &Text) -> bool {
    let raw = &*literal.raw;
    if literal.case_exact {
        return match op {
            CompareOp::Co => value.contains(raw),
            CompareOp::Sw => value.starts_with(raw),
            CompareOp::Ew => value.ends_with(raw),
            _ => holds(op, value.cmp(raw)),
        };
    }
    if literal.ascii && value.is_ascii() {
        let (v, l) = (value.as_bytes(), raw.as_bytes());
        return match op {
            CompareOp::Eq => v.eq_ignore_ascii_case(l),
            CompareOp::Ne => !v.eq_ignore_ascii_case(l),
            CompareOp::Co => l.is_empty() || v.windows(l.len()).any(|w| w.eq_ignore_ascii_case(l)),
            CompareOp::Sw => v.get(..l.len()).is_some_and(|p| p.eq_ignore_ascii_case(l)),
            CompareOp::Ew => {
                v.len() >= l.len() && v.get(v.len() - l.len()..).is_some_and(|p| p.eq_ignore_ascii_case(l))
            }
            _ => holds(op, v.iter().map(u8::to_ascii_lowercase).cmp(l.iter().map(u8::to_ascii_lowercase))),
        };
    }
    match op {
        CompareOp::Eq => eq_ignore_case(value, raw),
        CompareOp::Ne => !eq_ignore_case(value, raw),
        CompareOp::Co => fold_case(value).contains(&*literal.folded),
        CompareOp::Sw => fold_case(value).starts_with(&*literal.folded),
        CompareOp::Ew => fold_case(value).ends_with(&*literal.folded),
        _ => holds(op, cmp_ignore_case(value, raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: &str, lit: &str) -> Ordering {
        cmp_number(&v.parse().unwrap(), &Decimal::new(lit))
    }

    #[test]
    fn numbers_compare_exactly() {
        assert_eq!(num("9007199254740993", "9007199254740992"), Ordering::Greater);
        assert_eq!(num("9007199254740993", "9007199254740993"), Ordering::Equal);
        assert_eq!(num("18446744073709551615", "18446744073709551614"), Ordering::Greater);
        assert_eq!(num("18446744073709551615", "18446744073709551616"), Ordering::Less);
        assert_eq!(num("-5", "18446744073709551616"), Ordering::Less);
        assert_eq!(num("100", "1e2"), Ordering::Equal);
        assert_eq!(num("100", "1.00E+2"), Ordering::Equal);
        assert_eq!(num("0.1", "0.10"), Ordering::Equal);
        assert_eq!(num("0.1", "0.1000000000000000055511151231257827"), Ordering::Less);
        assert_eq!(num("1.5", "1.25"), Ordering::Greater);
        assert_eq!(num("-1.5", "-1.25"), Ordering::Less);
        assert_eq!(num("0", "-0"), Ordering::Equal);
        assert_eq!(num("0.0", "0e10"), Ordering::Equal);
        assert_eq!(num("-0.001", "0"), Ordering::Less);
        assert_eq!(num("1e300", "1e299"), Ordering::Greater);
        assert_eq!(num("1e-300", "0"), Ordering::Greater);
        assert_eq!(num("5", "1e99999999999999999999999"), Ordering::Less);
        assert_eq!(num("5", "1e-99999999999999999999999"), Ordering::Greater);
        assert_eq!(num("12.5", "12.50"), Ordering::Equal);
        assert_eq!(num("0.0012", "1.2e-3"), Ordering::Equal);
        assert_eq!(num("1234.5", "1.2345e3"), Ordering::Equal);
    }

    #[test]
    fn normal_decimals() {
        let n = |t: &str| normal_decimal(t).map(|d| (d.negative, d.digits, d.point));
        assert_eq!(n("0"), Some((false, String::new(), 0)));
        assert_eq!(n("-0.000"), Some((false, String::new(), 0)));
        assert_eq!(n("100"), Some((false, "1".into(), 3)));
        assert_eq!(n("1e2"), Some((false, "1".into(), 3)));
        assert_eq!(n("10.50"), Some((false, "105".into(), 2)));
        assert_eq!(n("-0.0012"), Some((true, "12".into(), -2)));
        assert_eq!(n("x"), None);
    }

    #[test]
    fn integral_literals() {
        for yes in ["0", "-3", "1e2", "1.0", "12.500e1", "0.0", "1.5e1", "10e-1", "100e-2", "20E-1", "1000e-3"] {
            assert!(Decimal::new(yes).is_integral(), "{yes}");
        }
        for no in ["1.5", "1e-1", "0.001", "12.5e0", "10e-2", "15e-1", "1010e-2"] {
            assert!(!Decimal::new(no).is_integral(), "{no}");
        }
    }

    #[test]
    fn text_follows_case_exact() {
        let ci = Text::new("BJensen", false);
        let ce = Text::new("BJensen", true);
        assert!(text_holds(CompareOp::Eq, "bjensen", &ci));
        assert!(!text_holds(CompareOp::Eq, "bjensen", &ce));
        assert!(text_holds(CompareOp::Sw, "bjensen@x", &ci));
        assert!(text_holds(CompareOp::Ew, "x-BJENSEN", &ci));
        assert!(!text_holds(CompareOp::Ew, "sen", &ci));
        assert!(text_holds(CompareOp::Co, "a bjEnsen b", &ci));
        assert!(text_holds(CompareOp::Co, "anything", &Text::new("", false)));
        assert!(text_holds(CompareOp::Gt, "c", &Text::new("B", false)));
        assert!(!text_holds(CompareOp::Gt, "c", &Text::new("c", false)));
        assert!(text_holds(CompareOp::Lt, "B", &Text::new("a", true)));
        let e = Text::new("ÉLODIE", false);
        assert!(text_holds(CompareOp::Eq, "élodie", &e));
        assert!(text_holds(CompareOp::Sw, "élodie b", &Text::new("ÉL", false)));
        assert!(text_holds(CompareOp::Co, "x ÉLODIE", &Text::new("lod", false)));
        assert!(text_holds(CompareOp::Eq, "k", &Text::new("\u{212a}", false)));
    }
}
