//! The ListResponse message (RFC 7644 §3.4.2): `totalResults`, `startIndex`, `itemsPerPage`
//! and one page of `Resources`.
//!
//! - `startIndex` is 1-based; a page starting past the end is empty.
//! - `startIndex` and `itemsPerPage` are always present (the RFC requires them for paged
//!   results, and clients read them either way); `itemsPerPage` is the size of this page.
//! - `Resources` is always present, `[]` when the page is empty (`count=0`, or no match), which
//!   is what Microsoft Entra ID expects; an empty array still returns no resource.
//! - Members come out in sorted key order, as every scimkit JSON object does.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::{Error, Location, ScimType};
use crate::urn;

/// The largest page number a host may give: 2^53 − 1, the largest integer every runtime's
/// numbers hold exactly (a JS number, a Python float), so that the response reads back as given.
pub const MAX_PAGE_NUMBER: u64 = (1 << 53) - 1;

/// One page of a list, with the total it was cut from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListResponse<T> {
    /// How many resources matched in all.
    pub total_results: u64,
    /// The 1-based index of the first resource of the page.
    pub start_index: u64,
    /// The page.
    pub resources: Vec<T>,
}

/// The positions `[from, to)` of the page starting at 1-based `start_index` with at most
/// `count` items, in a list of `total`.
pub fn page_bounds(total: usize, start_index: usize, count: usize) -> (usize, usize) {
    let from = start_index.max(1).saturating_sub(1).min(total);
    let to = from.saturating_add(count).min(total);
    (from, to)
}

impl<T> ListResponse<T> {
    /// A response from a page the host already cut, and the total it was cut from.
    pub fn from_page(resources: Vec<T>, total_results: u64, start_index: u64) -> Self {
        Self { total_results, start_index: start_index.max(1), resources }
    }

    /// [`from_page`](Self::from_page) with the numbers as a host language gives them (a JS
    /// number, a Python `int` or `float`, as a double): each must be a whole number up to
    /// [`MAX_PAGE_NUMBER`], `totalResults` at least 0; a `startIndex` below 1, or none, means
    /// 1, as in a query (RFC 7644 §3.4.2.4). Every runtime answers alike: nothing is truncated,
    /// clamped to its own word size or wrapped.
    ///
    /// # Errors
    /// `invalidValue` at `/totalResults` or `/startIndex` for a number that is not such.
    pub fn from_host_page(resources: Vec<T>, total_results: f64, start_index: Option<f64>) -> Result<Self, Error> {
        let total = page_number("totalResults", total_results, 0.0)?;
        let start = page_number("startIndex", start_index.unwrap_or(1.0), f64::MIN)?;
        Ok(Self::from_page(resources, total, start))
    }

    /// A response from every matching resource: the page starting at 1-based `start_index`
    /// with at most `count` resources.
    pub fn from_all(all: Vec<T>, start_index: usize, count: usize) -> Self {
        let total = all.len();
        let (from, to) = page_bounds(total, start_index, count);
        let resources = all.into_iter().skip(from).take(to - from).collect();
        Self { total_results: wide(total), start_index: wide(start_index.max(1)), resources }
    }

    /// A response from the page of a list the caller cut and counted itself (as
    /// [`from_all`](Self::from_all) would have: `total` matches, the page at 1-based
    /// `start_index`).
    pub(crate) fn from_counted(page: Vec<T>, total: usize, start_index: usize) -> Self {
        Self { total_results: wide(total), start_index: wide(start_index.max(1)), resources: page }
    }

    /// The number of resources in this page.
    pub fn items_per_page(&self) -> usize {
        self.resources.len()
    }

    /// The same page with each resource transformed.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> ListResponse<U> {
        ListResponse {
            total_results: self.total_results,
            start_index: self.start_index,
            resources: self.resources.into_iter().map(f).collect(),
        }
    }
}

/// A `usize` as 64 bits (it always fits: no target has a wider `usize`).
fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A page number given as a double: whole, from `least` (numbers below 1 then mean 1) to
/// [`MAX_PAGE_NUMBER`].
fn page_number(name: &str, n: f64, least: f64) -> Result<u64, Error> {
    #[expect(clippy::cast_precision_loss, reason = "2^53 − 1 is exact as a double")]
    let most = MAX_PAGE_NUMBER as f64;
    if n.fract() == 0.0 && n >= least && n <= most {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "whole and within 0..=2^53 − 1 once raised to 1: the conversion is exact"
        )]
        return Ok(n.max(if least < 0.0 { 1.0 } else { 0.0 }) as u64);
    }
    let lower = if least < 0.0 { "whole number" } else { "whole number from 0" };
    Err(Error::new(
        ScimType::InvalidValue,
        format!("`{name}` must be a {lower} up to {MAX_PAGE_NUMBER}; it is {}", shown(n)),
    )
    .at(Location::root().key(name)))
}

/// A double as a person reads it: whole ones as integers, the rest as JSON writes them (the
/// number writer the build already holds: `f64`'s own formatting would add its code to the
/// WebAssembly build).
fn shown(n: f64) -> String {
    if n.is_nan() {
        "not a number".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "infinite" } else { "negative infinite" }.to_owned()
    } else if n.fract() == 0.0 && n.abs() < 9e18 {
        #[expect(clippy::cast_possible_truncation, reason = "whole and well within an i64")]
        let whole = n as i64;
        whole.to_string()
    } else {
        serde_json::Number::from_f64(n).map_or_else(String::new, |x| x.to_string())
    }
}

impl<T: Serialize> Serialize for ListResponse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("Resources", &self.resources)?;
        map.serialize_entry("itemsPerPage", &self.items_per_page())?;
        map.serialize_entry("schemas", &[urn::LIST_RESPONSE])?;
        map.serialize_entry("startIndex", &self.start_index)?;
        map.serialize_entry("totalResults", &self.total_results)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_are_cut_one_based() {
        let r = ListResponse::from_all(vec![1, 2, 3, 4, 5], 2, 2);
        assert_eq!(r.resources, [2, 3]);
        assert_eq!(ListResponse::from_all(vec![1, 2], 9, 5).resources, Vec::<i32>::new());
        assert_eq!(ListResponse::from_all(vec![1, 2], 0, usize::MAX).resources, [1, 2]);
        assert_eq!(page_bounds(3, usize::MAX, usize::MAX), (3, 3));
    }

    #[test]
    fn host_numbers_are_whole_and_exact() {
        let page = |total, start| ListResponse::<i32>::from_host_page(Vec::new(), total, Some(start));
        let r = page(5e12, 0.0).unwrap();
        assert_eq!((r.total_results, r.start_index), (5_000_000_000_000, 1));
        assert_eq!(page(9_007_199_254_740_991.0, -3.0).unwrap().total_results, MAX_PAGE_NUMBER);
        assert_eq!(ListResponse::<i32>::from_host_page(Vec::new(), 0.0, None).unwrap().start_index, 1);
        for (total, start, at) in [
            (-1.0, 1.0, "/totalResults"),
            (2.5, 1.0, "/totalResults"),
            (f64::NAN, 1.0, "/totalResults"),
            (9_007_199_254_740_992.0, 1.0, "/totalResults"),
            (1.0, 1.5, "/startIndex"),
            (1.0, f64::INFINITY, "/startIndex"),
        ] {
            let e = page(total, start).unwrap_err();
            assert_eq!(
                (e.scim_type(), e.location().map(ToString::to_string).as_deref()),
                (Some(ScimType::InvalidValue), Some(at))
            );
        }
        let detail = page(1e300, 1.0).unwrap_err().detail().to_owned();
        assert!(detail.ends_with("it is 1e+300"), "{detail}");
        assert!(page(f64::NEG_INFINITY, 1.0).unwrap_err().detail().ends_with("it is negative infinite"));
    }

    #[test]
    fn count_zero_gives_the_total_only() {
        let body = serde_json::to_value(ListResponse::from_all(vec!["a", "b"], 1, 0)).unwrap();
        assert_eq!(
            body,
            json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 2, "startIndex": 1, "itemsPerPage": 0, "Resources": []})
        );
    }
}
