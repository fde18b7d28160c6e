"""scimkit: SCIM 2.0 (RFC 7643/7644) validation, filters, PATCH and protocol helpers.

Every function is the Rust core's, called through the ``scimkit._native`` extension: this
package only re-exports it. Documents may be given as dicts/lists or as raw JSON text
(``str`` or ``bytes``, read strictly by the core); results are plain dicts and lists.
Failures raise :class:`ScimError` (a ``ValueError``) with ``scim_type``, ``status``,
``location``, ``span`` (code points), ``detail``, ``errors``, ``notes`` and ``to_response()``.
"""

from ._native import (
    BulkRunner,
    CheckedFilter,
    Filter,
    HeldResource,
    InternalError,
    ListQuery,
    Mapping,
    Registry,
    ResourceSet,
    ScimError,
    __version__,
    bulk_plan,
    error_from_value,
    error_response,
    etag,
    evaluate_preconditions,
    list_query_from_query_string,
    list_query_from_search_request,
    list_response_from_page,
    parse_attr_path,
    parse_patch_path,
    refuse_filter,
    refuse_filter_in_query,
    service_provider_config,
)

__all__ = [
    "BulkRunner",
    "CheckedFilter",
    "Filter",
    "HeldResource",
    "InternalError",
    "ListQuery",
    "Mapping",
    "Registry",
    "ResourceSet",
    "ScimError",
    "__version__",
    "bulk_plan",
    "error_from_value",
    "error_response",
    "etag",
    "evaluate_preconditions",
    "list_query_from_query_string",
    "list_query_from_search_request",
    "list_response_from_page",
    "parse_attr_path",
    "parse_patch_path",
    "refuse_filter",
    "refuse_filter_in_query",
    "service_provider_config",
]
