//! A list request answered over resources handed over one at a time (read from a JSON array
//! text), holding only what the answer needs: without `sortBy`, the resources of the page;
//! with it, the first `startIndex + count − 1` matches in sorted order so far. A list of
//! 100,000 users as text is answered without ever holding them all as values.
//!
//! The answer is exactly [`super::list_resources`]'s over the matches: the sort is stable, and
//! keeping the first `k` of a stable sort, then sorting them again with later resources (whose
//! positions all come after), gives the first `k` of the whole stable sort.

use serde_json::Value;

use super::{ListPlan, ListQuery, ListResponse, page_bounds};
use crate::error::Error;
use crate::schema::ResourceTypeView;

/// [`super::list_resources`] over the resources `read` hands to its callback, of which only
/// those `keep` accepts count (the filter).
///
/// # Errors
/// `invalidValue` for an unknown `sortBy` or a malformed attribute name (before anything is
/// read), and whatever `read` returns.
pub fn list_resources_streamed(
    view: ResourceTypeView<'_>,
    query: &ListQuery,
    keep: impl Fn(&Value) -> bool,
    read: impl FnOnce(&mut dyn FnMut(Value)) -> Result<(), Error>,
) -> Result<ListResponse<Value>, Error> {
    let ListPlan { projection, sorter } = ListPlan::compile(view, query)?;
    // The page's positions among all matches, were there no end to them.
    let (from, to) = page_bounds(usize::MAX, query.start_index, query.count);
    // Sorted, the first `to` matches are all the page can come from; they are cut back to that
    // each time twice as many are held, so holding them costs O(to) memory and O(n log to) time.
    let cut_at = to.saturating_mul(2).max(64);
    let mut total = 0_usize;
    let mut held: Vec<Value> = Vec::new();
    // The first item that is no resource (`require_resource`), by its place among all read.
    let (mut read_so_far, mut not_a_resource) = (0_usize, None);
    read(&mut |resource| {
        let at = read_so_far;
        read_so_far += 1;
        if not_a_resource.is_some() {
            return;
        }
        if let Err(e) = super::require_resource(&resource, || crate::error::Location::root().index(at)) {
            not_a_resource = Some(e);
            return;
        }
        if !keep(&resource) {
            return;
        }
        let position = total;
        total += 1;
        match &sorter {
            Some(sorter) => {
                if from == to {
                    return;
                }
                held.push(resource);
                if held.len() >= cut_at {
                    held = sorter.sort(std::mem::take(&mut held));
                    held.truncate(to);
                }
            }
            None if (from..to).contains(&position) => held.push(resource),
            None => {}
        }
    })?;
    if let Some(e) = not_a_resource {
        return Err(e);
    }
    let page = match &sorter {
        Some(sorter) => {
            let mut first = sorter.sort(held);
            first.truncate(to);
            first.into_iter().skip(from).collect()
        }
        None => held,
    };
    Ok(ListResponse::from_counted(page, total, query.start_index).map(|r| projection.apply_owned(r)))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::protocol::{ListQuery, QueryOptions};
    use crate::{Registry, api};

    /// Users whose sort keys repeat (so stability shows), some missing, some not strings.
    fn users(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| {
                let mut user = json!({"id": format!("u{i}"), "userName": format!("user{:03}", (i * 37) % 101)});
                if i % 7 != 0 {
                    user["title"] = json!(["Guide", "guide", "Ranger", "Zoo"][i % 4]);
                }
                if i % 11 == 3 {
                    user["title"] = json!(5);
                }
                user["active"] = json!(i % 3 != 0);
                user
            })
            .collect()
    }

    #[test]
    fn answers_as_the_list_of_values_does() {
        let registry = Registry::builtin();
        for n in [0, 1, 5, 63, 64, 65, 300] {
            let all = users(n);
            let text = serde_json::to_string(&all).unwrap();
            for filter in
                ["", "filter=active%20eq%20true&", "filter=title%20pr&", "filter=userName%20sw%20%22user0%22&"]
            {
                for sort in ["", "sortBy=title&", "sortBy=title&sortOrder=descending&", "sortBy=userName&"] {
                    for page in [
                        "",
                        "startIndex=1&count=0",
                        "count=1",
                        "startIndex=3&count=10",
                        "startIndex=40&count=25",
                        "startIndex=290&count=50",
                        "startIndex=0&count=500",
                    ] {
                        let q = format!("{filter}{sort}{page}&attributes=title");
                        let query = ListQuery::from_query_string(&q, &QueryOptions::default()).unwrap();
                        let whole = api::list_response(&registry, "User", all.clone(), &query).unwrap();
                        let streamed = api::list_response_text(&registry, "User", &text, &query).unwrap();
                        assert_eq!(streamed, whole, "{n} users, {q}");
                    }
                }
            }
        }
    }

    #[test]
    fn checks_the_query_before_reading() {
        let registry = Registry::builtin();
        let query = ListQuery::from_query_string("sortBy=nope", &QueryOptions::default()).unwrap();
        let e = api::list_response_text(&registry, "User", "not json", &query).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
        let query = ListQuery::from_query_string("", &QueryOptions::default()).unwrap();
        let e = api::list_response_text(&registry, "User", "{}", &query).unwrap_err();
        assert!(e.to_string().contains("must be a JSON array"), "{e}");
    }
}
