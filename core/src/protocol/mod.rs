//! The RFC 7644 protocol around resources: list parameters and SearchRequest, attribute
//! projection, sorting, paging and the ListResponse, error bodies, discovery documents,
//! `meta` and entity tags, and bulk planning.
//!
//! Each file has one job and states its rules and the decisions taken where the RFC is loose.
//! [`list_resources`] ties sorting, paging and projection together for one list request.

pub mod bulk;
mod discovery;
mod error_response;
mod etag;
mod form;
mod list_response;
mod list_streamed;
mod meta;
mod projection;
mod query;
mod resources;
mod sort;
mod specified;
mod value_location;

pub use discovery::{
    AuthenticationScheme, BulkSupport, FilterSupport, ServiceProviderOptions, attribute_to_json, refuse_filter,
    refuse_filter_in_query, resource_type_to_json, resource_types_list, schema_to_json, schemas_list,
    service_provider_config,
};
pub use error_response::{ERRORS_EXTENSION, error_response};
pub use etag::{Method, Precondition, content_hash, etag, evaluate_preconditions};
pub use list_response::{ListResponse, MAX_PAGE_NUMBER, page_bounds};
pub use list_streamed::list_resources_streamed;
pub use meta::{MetaOptions, encode_segment, fill_meta, resource_location};
pub use projection::{Projected, Projection};
pub(crate) use query::attribute_lists;
pub use query::{ListQuery, QueryOptions, SortOrder};
pub use resources::{require_list_item, require_resource, require_resources};
pub use sort::Sorter;
pub use value_location::value_location;

use serde_json::Value;

use crate::error::Error;
use crate::schema::ResourceTypeView;

/// Answers a list request over `resources` (already filtered by the host): sorts them by
/// `query.sort_by`, cuts the page at `query.start_index` / `query.count` and projects each
/// resource per `query.attributes` / `query.excluded_attributes`.
///
/// # Errors
/// `invalidValue` for an unknown `sortBy` or a malformed attribute name.
pub fn list_resources(
    view: ResourceTypeView<'_>,
    resources: Vec<Value>,
    query: &ListQuery,
) -> Result<ListResponse<Value>, Error> {
    Ok(ListPlan::compile(view, query)?.answer(resources, query))
}

/// What a list request's `attributes`, `excludedAttributes` and `sortBy` compile to, checked
/// once before any resource is read (the whole and the streamed list check alike).
pub(crate) struct ListPlan<'r> {
    pub(crate) projection: Projection<'r>,
    pub(crate) sorter: Option<Sorter<'r>>,
}

impl<'r> ListPlan<'r> {
    /// The projection, then the sort order: their errors in that order.
    pub(crate) fn compile(view: ResourceTypeView<'r>, query: &ListQuery) -> Result<Self, Error> {
        let projection = Projection::compile(view, &query.attributes, &query.excluded_attributes)?;
        let sorter = match &query.sort_by {
            Some(sort_by) => Some(Sorter::compile(view, sort_by, query.sort_order)?),
            None => None,
        };
        Ok(Self { projection, sorter })
    }

    /// The page of `resources` (every match) that `query` asks for, sorted and projected.
    pub(crate) fn answer(&self, resources: Vec<Value>, query: &ListQuery) -> ListResponse<Value> {
        let sorted = match &self.sorter {
            Some(sorter) => sorter.sort(resources),
            None => resources,
        };
        ListResponse::from_all(sorted, query.start_index, query.count).map(|r| self.projection.apply_owned(r))
    }
}
