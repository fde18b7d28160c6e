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

use crate::urn;

/// One page of a list, with the total it was cut from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListResponse<T> {
    /// How many resources matched in all.
    pub total_results: usize,
    /// The 1-based index of the first resource of the page.
    pub start_index: usize,
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
    pub fn from_page(resources: Vec<T>, total_results: usize, start_index: usize) -> Self {
        Self { total_results, start_index: start_index.max(1), resources }
    }

    /// A response from every matching resource: the page starting at 1-based `start_index`
    /// with at most `count` resources.
    pub fn from_all(all: Vec<T>, start_index: usize, count: usize) -> Self {
        let total = all.len();
        let (from, to) = page_bounds(total, start_index, count);
        let resources = all.into_iter().skip(from).take(to - from).collect();
        Self { total_results: total, start_index: start_index.max(1), resources }
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
    fn count_zero_gives_the_total_only() {
        let body = serde_json::to_value(ListResponse::from_all(vec!["a", "b"], 1, 0)).unwrap();
        assert_eq!(
            body,
            json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 2, "startIndex": 1, "itemsPerPage": 0, "Resources": []})
        );
    }
}
