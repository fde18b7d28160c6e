# Type stubs for scimkit (the names re-exported from scimkit._native).
# tests/python/test_stubs.py checks that every export has a stub here (mypy's stubtest).

from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Literal, NotRequired, Sequence, TypedDict, Union, final
from typing import Mapping as _Map

# A JSON document: plain Python data, or raw JSON text as `str`, `bytes`, `bytearray` or
# `memoryview` (read strictly).
_Json = Any
_Document = Union[_Map[str, Any], Sequence[Any], str, bytes, bytearray, memoryview, int, float, bool, None]
_Object = dict[str, Any]
# A list of resources: a sequence of documents, or one JSON array as text (`str`, `bytes`,
# `bytearray` or `memoryview`).
_Resources = Union[Sequence[_Document], str, bytes, bytearray, memoryview]

# Option values as the core spells them, for reading and completion; any `str` is taken too (a
# value read from configuration, or kept in a variable mypy types as `str`): the core reads
# them in any case and refuses others with `invalidValue` at the option.
_Mode = Union[Literal["create", "replace", "response"], str]
# A profile name, or the object form.
_Profile = Union[Literal["strict", "compat", "entra", "okta"], str, _Map[str, Any]]
_UnknownAttributes = Union[Literal["reject", "ignore"], str]
_CanonicalValues = Union[Literal["allow", "reject"], str]
_Report = Union[Literal["full", "none"], str]
_SortOrder = Union[Literal["ascending", "descending"], str]
# As the core answers it.
_SortOrderRead = Literal["ascending", "descending"]

class _Span(TypedDict):
    start: int
    end: int

class _Note(TypedDict):
    """What validation or a PATCH changed, or a quirk rule that fired (`code` "quirk")."""

    code: str
    quirk: NotRequired[str]
    location: str
    detail: str

class _Change(TypedDict):
    """One change a PATCH made, as it took effect (a `replace` of an absent value is an `add`)."""

    op: str
    attribute: str
    added: NotRequired[Any]
    removed: NotRequired[Any]
    old: NotRequired[Any]
    new: NotRequired[Any]
    redacted: NotRequired[bool]

class _Validated(TypedDict):
    resource: _Object
    notes: list[_Note]

class _Patched(TypedDict):
    resource: _Object
    changes: list[_Change]
    quirks: list[_Note]
    notes: list[_Note]

class _PatchReport(TypedDict):
    changes: list[_Change]
    quirks: list[_Note]
    notes: list[_Note]

class _ValidatedText(TypedDict):
    resource: str
    notes: list[_Note]

class _PatchedText(TypedDict):
    resource: str
    changes: list[_Change]
    quirks: list[_Note]
    notes: list[_Note]

__version__: str

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

class ScimError(ValueError):
    """A SCIM error. `span` is in code points of the string it points into."""

    scim_type: str | None
    status: int
    location: str | None
    span: _Span | None
    detail: str
    errors: list[_Object]
    # What the failed call noted before failing: a validation's notes, a PATCH's quirks (how the
    # request was read up to the error) and then its other notes.
    notes: list[_Note]
    # The RFC 7644 §3.12 error body (`status` is a string there): set on each instance that
    # scimkit raises or returns (`error_from_value`), so it is typed as a callable attribute.
    to_response: Callable[[], _Object]

class InternalError(ScimError):
    """A failure inside scimkit itself (status 500), never bad input."""

@final
class Registry:
    """Schemas and resource types (the RFC 7643 built-ins plus custom ones), checked."""

    def __new__(
        cls,
        schemas: Sequence[_Document] | None = None,
        resource_types: Sequence[_Document] | None = None,
    ) -> Registry: ...
    def validate(
        self,
        resource_type: str,
        body: _Document,
        *,
        mode: _Mode | None = None,
        existing: _Map[str, Any] | None = None,
        profile: _Profile | None = None,
        unknown_attributes: _UnknownAttributes | None = None,
        canonical_values: _CanonicalValues | None = None,
        limits: _Map[str, int] | None = None,
    ) -> _Validated: ...
    def validate_text(
        self,
        resource_type: str,
        body: _Document,
        *,
        mode: _Mode | None = None,
        existing: _Map[str, Any] | None = None,
        profile: _Profile | None = None,
        unknown_attributes: _UnknownAttributes | None = None,
        canonical_values: _CanonicalValues | None = None,
        limits: _Map[str, int] | None = None,
    ) -> _ValidatedText: ...
    def apply_patch(
        self,
        resource_type: str,
        resource: _Document,
        request: _Document,
        *,
        profile: _Profile | None = None,
        max_operations: int | None = None,
        unknown_attributes: _UnknownAttributes | None = None,
        canonical_values: _CanonicalValues | None = None,
        limits: _Map[str, int] | None = None,
        report: _Report | None = None,
    ) -> _Patched: ...
    def apply_patch_text(
        self,
        resource_type: str,
        resource: _Document,
        request: _Document,
        *,
        profile: _Profile | None = None,
        max_operations: int | None = None,
        unknown_attributes: _UnknownAttributes | None = None,
        canonical_values: _CanonicalValues | None = None,
        limits: _Map[str, int] | None = None,
        report: _Report | None = None,
    ) -> _PatchedText: ...
    def hold(
        self,
        resource_type: str,
        resource: _Document,
        *,
        limits: _Map[str, int] | None = None,
    ) -> HeldResource: ...
    def diff(self, resource_type: str, old: _Document, new: _Document) -> _Object: ...
    def project(
        self,
        resource_type: str,
        resource: _Document,
        *,
        attributes: Sequence[str] | str | None = None,
        excluded_attributes: Sequence[str] | str | None = None,
        request: _Map[str, Any] | str | None = None,
    ) -> _Object: ...
    def sort(
        self,
        resource_type: str,
        resources: _Resources,
        sort_by: str,
        sort_order: _SortOrder | None = None,
    ) -> list[_Object]: ...
    def list_response(
        self, resource_type: str, resources: _Resources | Iterable[_Map[str, Any]], query: ListQuery
    ) -> _Object:
        """The ListResponse for `query` over `resources`: a list, JSON text, or any iterable (a
        generator, a database cursor), which is read one resource at a time, holding only what
        the answer needs."""
    def fill_meta(
        self,
        resource_type: str,
        resource: _Document,
        *,
        base_url: str | None = None,
        created: str | datetime | None = None,
        last_modified: str | datetime | None = None,
    ) -> _Object: ...
    def value_location(self, resource_type: str, request: _Document, attribute: str, value: str) -> str:
        """Where a request (a resource body, or a PatchOp: one with `Operations`) names `value` as
        the `value` of `attribute` (`members`, `urn:…:manager`): a JSON pointer for the error."""
    def resource_types(self, base_url: str | None = None) -> _Object: ...
    def schemas(self, base_url: str | None = None) -> _Object: ...
    def schema_document(self, urn: str, base_url: str | None = None) -> _Object: ...
    def resource_type_document(self, id: str, base_url: str | None = None) -> _Object: ...

@final
class Filter:
    """A parsed SCIM filter; `str()` gives the canonical text."""

    def __new__(
        cls,
        text: str,
        *,
        max_length: int | None = None,
        max_depth: int | None = None,
        max_comparisons: int | None = None,
    ) -> Filter: ...
    @property
    def text(self) -> str: ...
    @property
    def ast(self) -> _Object: ...
    def check(self, registry: Registry | None = None, resource_type: str | None = None) -> CheckedFilter: ...
    def matches(
        self, resource: _Document, registry: Registry | None = None, resource_type: str | None = None
    ) -> bool: ...
    def matches_all(
        self, resources: _Resources, registry: Registry | None = None, resource_type: str | None = None
    ) -> list[bool]: ...

@final
class CheckedFilter:
    """A filter checked against a resource type; `str()` gives the canonical text."""

    def matches(self, resource: _Document) -> bool: ...
    def matches_all(self, resources: _Resources) -> list[bool]: ...

@final
class ResourceSet:
    """Resources held once and filtered many times; keeps a column of each attribute a filter names."""

    def __new__(cls, resources: _Resources) -> ResourceSet: ...
    def __len__(self) -> int: ...
    def matching(self, filter: CheckedFilter) -> list[int]: ...

@final
class HeldResource:
    """A stored resource held on the Rust side and patched in place (`Registry.hold`)."""

    @property
    def resource_type(self) -> str: ...
    def apply_patch(
        self,
        request: _Document,
        *,
        profile: _Profile | None = None,
        max_operations: int | None = None,
        unknown_attributes: _UnknownAttributes | None = None,
        canonical_values: _CanonicalValues | None = None,
        limits: _Map[str, int] | None = None,
        report: _Report | None = None,
    ) -> _PatchReport: ...
    def resource(self) -> _Object: ...
    def resource_text(self) -> str: ...

@final
class Mapping:
    """How a resource type is stored in an application's tables (the core's mapping format)."""

    def __new__(cls, registry: Registry, resource_type: str, mapping: _Document) -> Mapping: ...
    def to_record(self, resource: _Document) -> dict[str, Any]: ...
    def from_record(self, record: _Document) -> dict[str, Any]: ...
    def to_sql(self, filter: str, dialect: str) -> dict[str, Any]: ...
    def create_tables(self, dialect: str) -> list[str]: ...

@final
class ListQuery:
    """List parameters after the core's defaults and limits."""

    @property
    def attributes(self) -> list[str]: ...
    @property
    def excluded_attributes(self) -> list[str]: ...
    @property
    def count(self) -> int: ...
    @property
    def filter(self) -> str | None: ...
    @property
    def quirks(self) -> list[_Note]: ...
    @property
    def sort_by(self) -> str | None: ...
    @property
    def sort_order(self) -> _SortOrderRead: ...
    @property
    def start_index(self) -> int: ...
    def to_dict(self) -> _Object: ...

@final
class BulkRunner:
    """Runs a bulk request while the caller executes each operation."""

    def __new__(
        cls,
        request: _Document,
        base_url: str | None = None,
        *,
        max_operations: int | None = None,
        max_payload_size: int | None = None,
    ) -> BulkRunner: ...
    def next_operation(self) -> _Object | None: ...
    def record(self, outcome: _Document) -> None: ...
    def finish(self) -> _Object: ...
    def __iter__(self) -> Iterator[_Object]: ...
    def __next__(self) -> _Object: ...

def parse_patch_path(path: str) -> _Object: ...
def parse_attr_path(path: str) -> str: ...
def list_query_from_query_string(
    query: str,
    *,
    max_count: int | None = None,
    default_count: int | None = None,
    profile: _Profile | None = None,
) -> ListQuery: ...
def list_query_from_search_request(
    body: _Document,
    *,
    max_count: int | None = None,
    default_count: int | None = None,
    profile: _Profile | None = None,
) -> ListQuery: ...
def list_response_from_page(resources: _Resources, total_results: int, start_index: int | None = None) -> _Object: ...
def error_from_value(value: _Document) -> ScimError: ...
def error_response(error: ScimError) -> _Object: ...
def service_provider_config(
    base_url: str | None = None,
    *,
    documentation_uri: str | None = None,
    patch: bool | None = None,
    bulk: _Map[str, Any] | None = None,
    filter: _Map[str, Any] | None = None,
    change_password: bool | None = None,
    sort: bool | None = None,
    etag: bool | None = None,
    authentication_schemes: Sequence[_Map[str, Any]] | None = None,
) -> _Object: ...
def etag(resource: _Document) -> str: ...
def refuse_filter(filter: str | None = None) -> None: ...
def refuse_filter_in_query(query: str) -> None: ...
def evaluate_preconditions(
    method: str,
    current_version: str | None = None,
    if_match: str | None = None,
    if_none_match: str | None = None,
) -> Literal["proceed", "notModified", "preconditionFailed"]: ...
def bulk_plan(
    request: _Document, *, max_operations: int | None = None, max_payload_size: int | None = None
) -> _Object: ...
