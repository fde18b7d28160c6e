"""A SCIM 2.0 service (RFC 7643/7644) as a WSGI application: standard library plus scimkit.

Mount ``ScimApp`` in any WSGI host (wsgiref, gunicorn, a Flask/Django dispatcher); the SCIM
base URL is wherever it is mounted. Every SCIM rule is scimkit's: validation (``compat``
profile, so what Entra ID and Okta really send is accepted and each quirk is logged), PATCH,
filters as SQL (``store.py``), sorting, paging, ``attributes``/``excludedAttributes``, ListResponse,
``meta`` and ETags, preconditions, error bodies and the discovery documents. This module routes
requests, checks the bearer token, and decides what the *service* owns: ids, timestamps,
which attributes its data store keeps unique, which ids a Group's ``members`` may name, and
the Users' ``groups``.
"""

from __future__ import annotations

import datetime
import hmac
import http
import json
import logging
import re
import uuid
import wsgiref.util
from collections.abc import Callable, Iterable
from collections.abc import Mapping, Sequence
from typing import Any

import scimkit
from store import Store

log = logging.getLogger("scimkit.server")

JSON_TYPES = ("application/scim+json", "application/json")
MAX_BODY = 8 * 1024 * 1024  # scimkit's own default body limit
PROFILE = "compat"
# The profile reads Entra ID's `emails[type eq "work"].value eq "…"` (rule filterSubAttribute).
QUERY_OPTIONS: dict[str, Any] = {"max_count": 1000, "default_count": 100, "profile": PROFILE}
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
# The names the Encoding Standard gives UTF-8 that clients send as a `charset`.
UTF8_LABELS = ("utf-8", "utf8")
# A UTF-8 byte order mark: a body may start with one, which is no part of the JSON text.
UTF8_BOM = b"\xef\xbb\xbf"
# A parameter of a Content-Type (RFC 9110 §5.6.6): the name, then a token or a quoted string.
PARAMETER = re.compile(r';\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def scim_error(
    status: int, detail: str, scim_type: str | None = None, location: str | None = None
) -> scimkit.ScimError:
    value: dict[str, Any] = {"status": str(status), "detail": detail}
    if scim_type:
        value["scimType"] = scim_type
    if location:
        value["location"] = location
    return scimkit.error_from_value(value)


def excerpt(value: object) -> str:
    """User input cut to a short excerpt for a message."""
    text = str(value)
    return f"{text[:40]}…" if len(text) > 40 else text


def charsets_of(content_type: str) -> list[str]:
    """The `charset` parameters of a Content-Type (the name in any case, the value a token or a
    quoted string)."""
    found = []
    for name, raw in PARAMETER.findall(content_type):
        if name.lower() == "charset":
            found.append(re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw.strip())
    return found


class Refused(Exception):
    """A SCIM error that needs response headers too (405 `Allow`, 415 `Accept`)."""

    def __init__(self, error: scimkit.ScimError, headers: list[tuple[str, str]]) -> None:
        super().__init__(error.detail)
        self.error, self.headers = error, headers


class StatusOnly(Exception):
    """A response without a body: 304 Not Modified."""

    def __init__(self, status: int, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(status)
        self.status, self.headers = status, headers or []


class Request:
    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method = environ["REQUEST_METHOD"].upper()
        # HEAD is answered as GET without the body (RFC 9110 §9.3.2): same status and headers.
        self.head = self.method == "HEAD"
        self.path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        self.segments = [s for s in self.path.split("/") if s]
        self.query_string = environ.get("QUERY_STRING", "")
        # Where the app is mounted (scheme, Host, SCRIPT_NAME): the base of `meta.location`.
        self.base_url = wsgiref.util.application_uri(environ).rstrip("/")

    def header(self, name: str) -> str | None:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"))

    def body(self) -> bytes:
        """The raw JSON body; scimkit reads it strictly (duplicate keys refused). 415 for another
        content type or a `charset` other than UTF-8, 413 beyond the limit, 400 `invalidSyntax`
        for bytes that are not UTF-8. A UTF-8 byte order mark at the start is ignored (RFC 8259
        §8.1 allows it, and the Worker's TextDecoder does the same)."""
        data = self._read_body()
        data = data.removeprefix(UTF8_BOM)
        # JSON is UTF-8 (RFC 8259 §8.1): bytes that are not are the client's syntax error (RFC
        # 7644 §3.12), named as such, never read as something else.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise scim_error(400, "the body is not valid UTF-8", "invalidSyntax") from None
        return data

    def _read_body(self) -> bytes:
        full_type = self.environ.get("CONTENT_TYPE", "")
        content_type = full_type.split(";")[0].strip().lower()
        if content_type and content_type not in JSON_TYPES:
            raise Refused(
                scim_error(415, f"the body must be {' or '.join(JSON_TYPES)}"), [("Accept", ", ".join(JSON_TYPES))]
            )
        # A body declared in another charset is refused, never decoded as if it were UTF-8.
        other = next((c for c in charsets_of(full_type) if c.lower() not in UTF8_LABELS), None)
        if other is not None:
            raise Refused(
                scim_error(415, f"the body must be UTF-8, not `{excerpt(other)}`"), [("Accept", ", ".join(JSON_TYPES))]
            )
        stream = self.environ["wsgi.input"]
        declared = self.environ.get("CONTENT_LENGTH")
        if not declared:
            # A chunked body has no length. A server that decodes it marks its input as ending
            # there (`wsgi.input_terminated`: gunicorn, waitress); wsgiref does not, and the body
            # would read as empty: refused, never taken for an empty body.
            if self.environ.get("wsgi.input_terminated"):
                data: bytes = stream.read(MAX_BODY + 1)
                if len(data) > MAX_BODY:
                    raise scim_error(413, f"the body is larger than {MAX_BODY} bytes")
                return data
            if "chunked" in (self.header("Transfer-Encoding") or "").lower():
                raise scim_error(411, "a chunked body needs a server that decodes it; send Content-Length")
            return b""
        # Digits only (RFC 9110 §8.6): `int` would also take `+5`, `-1` or `1_0`.
        if not (declared.isascii() and declared.isdigit()):
            raise scim_error(400, f"Content-Length {declared!r} is not a number")
        length = int(declared)
        if length > MAX_BODY:
            raise scim_error(413, f"the body is larger than {MAX_BODY} bytes")
        return stream.read(length) if length > 0 else b""

    def selection(self) -> dict[str, Any]:
        """`attributes` / `excludedAttributes` of this request's query string (RFC 7644 §3.9)."""
        query = scimkit.list_query_from_query_string(self.query_string, **QUERY_OPTIONS)
        return {"attributes": query.attributes or None, "excluded_attributes": query.excluded_attributes or None}

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


Response = tuple[int, list[tuple[str, str]], Any]


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ScimApp:
    """The WSGI application: ``ScimApp(Store(path, registry), token)``."""

    def __init__(self, store: Store, token: str) -> None:
        self.store = store
        self.registry = store.registry
        self.token = token
        # What a User PATCH sees as the `password` of a User that has one: the stored value is a
        # hash and never leaves `passwords`, but scimkit reports a `remove` (or a change) of the
        # attribute only when the resource holds one. Random per process, so no client can send
        # it; `patch` takes it out of the result before anything is stored, answered or logged.
        self.stored_password = f"\x00stored-password-{uuid.uuid4()}"
        resource_types = self.registry.resource_types()["Resources"]
        self.endpoints: dict[str, str] = {rt["endpoint"].strip("/"): rt["name"] for rt in resource_types}
        # Attributes the data store keeps unique: the schema's `uniqueness` characteristic.
        self.unique: dict[str, list[str]] = {}
        for rt in resource_types:
            attributes = self.registry.schema_document(rt["schema"])["attributes"]
            self.unique[rt["name"]] = [
                a["name"] for a in attributes if a.get("uniqueness") in ("server", "global") and a["name"] != "id"
            ]

    # -- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            try:
                status, headers, body = self.handle(request)
            except Refused as refused:
                refused.error.refused_headers = refused.headers  # type: ignore[attr-defined]
                raise refused.error from None
        except scimkit.ScimError as error:
            at = f" at {error.location}" if error.location else ""
            log.log(
                logging.ERROR if error.status >= 500 else logging.INFO,
                "%s: %s %s%s",
                request,
                error.status,
                error.detail,
                at,
            )
            # The plain RFC 7644 §3.12 body: strict clients (scim2-client) refuse unknown members.
            status, headers, body = error.status, list(getattr(error, "refused_headers", [])), error.to_response()
            if status == 401:
                headers.append(("WWW-Authenticate", 'Bearer realm="scim"'))
        except StatusOnly as answer:
            status, headers, body = answer.status, answer.headers, None
        except Exception:
            log.exception("%s failed", request)
            status, headers, body = 500, [], scim_error(500, "internal error").to_response()
        payload = b"" if body is None else json.dumps(body).encode()
        if body is not None:
            headers.append(("Content-Type", "application/scim+json"))
        headers.append(("Content-Length", str(len(payload))))
        start_response(f"{status} {http.HTTPStatus(status).phrase}", headers)
        return [b"" if request.head else payload]

    def handle(self, req: Request) -> Response:
        self.authenticate(req)
        seg = req.segments
        if seg == ["ServiceProviderConfig"]:
            self.allow(req, "GET")
            self.refuse_filter(req)
            # Passwords can be set and changed (PUT, PATCH): stored as scrypt hashes only.
            config = scimkit.service_provider_config(
                req.base_url,
                filter={"supported": True, "maxResults": QUERY_OPTIONS["max_count"]},
                change_password=True,
            )
            return 200, [], config
        if seg[:1] == ["Schemas"] and len(seg) <= 2:
            self.allow(req, "GET")
            self.refuse_filter(req)
            if len(seg) == 1:
                return 200, [], self.registry.schemas(req.base_url)
            return 200, [], self.registry.schema_document(seg[1], req.base_url)
        if seg[:1] == ["ResourceTypes"] and len(seg) <= 2:
            self.allow(req, "GET")
            self.refuse_filter(req)
            if len(seg) == 1:
                return 200, [], self.registry.resource_types(req.base_url)
            return 200, [], self.registry.resource_type_document(seg[1], req.base_url)
        if not seg:
            # A query against the service root spans every resource type (RFC 7644 §3.4.2.1).
            self.allow(req, "GET")
            return 200, [], self.search_all(req, scimkit.list_query_from_query_string(req.query_string, **QUERY_OPTIONS))
        if seg == [".search"]:
            self.allow(req, "POST")
            return 200, [], self.search_all(req, scimkit.list_query_from_search_request(req.body(), **QUERY_OPTIONS))
        if seg in (["Bulk"], ["Me"]):
            raise scim_error(501, f"/{seg[0]} is not supported by this service")
        rtype = self.endpoints.get(seg[0]) if seg else None
        if rtype is None or len(seg) > 2:
            raise scim_error(404, f"no endpoint {req.path}")
        if len(seg) == 1:
            self.allow(req, "GET", "POST")
            if req.method == "POST":
                return self.create(req, rtype)
            query = scimkit.list_query_from_query_string(req.query_string, **QUERY_OPTIONS)
            return 200, [], self.list(req, rtype, query)
        if seg[1] == ".search":
            self.allow(req, "POST")
            query = scimkit.list_query_from_search_request(req.body(), **QUERY_OPTIONS)
            return 200, [], self.list(req, rtype, query)
        self.allow(req, "GET", "PUT", "PATCH", "DELETE")
        handler = {"GET": self.get, "HEAD": self.get, "PUT": self.replace, "PATCH": self.patch, "DELETE": self.delete}[
            req.method
        ]
        return handler(req, rtype, seg[1])

    def authenticate(self, req: Request) -> None:
        scheme, _, token = (req.header("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.token.encode()):
            raise scim_error(401, "a valid bearer token is required")

    @staticmethod
    def refuse_filter(req: Request) -> None:
        """Discovery takes no filter: 403 rather than an answer a client could take as filtered."""
        scimkit.refuse_filter_in_query(req.query_string)

    @staticmethod
    def allow(req: Request, *methods: str) -> None:
        """Refuses a method the endpoint does not take (405, with `Allow`); HEAD goes wherever GET
        does."""
        if "GET" in methods:
            methods = ("GET", "HEAD", *(m for m in methods if m != "GET"))
        if req.method not in methods:
            raise Refused(scim_error(405, f"{req.method} is not allowed here"), [("Allow", ", ".join(methods))])

    # -- resources ---------------------------------------------------------------------------

    def present(self, req: Request, rtype: str, resource: dict[str, Any]) -> dict[str, Any]:
        """The full representation: `meta.location` for this base URL, `meta.version`."""
        return self.registry.fill_meta(rtype, resource, base_url=req.base_url)

    def answer(
        self,
        req: Request,
        rtype: str,
        resource: dict[str, Any],
        status: int = 200,
        selection: dict[str, Any] | None = None,
    ) -> Response:
        """The response carrying `resource`, projected per `selection` (read from the query
        string when not given: a write reads it before changing anything, so a bad one is a 400
        that changed nothing)."""
        full = self.present(req, rtype, resource)
        headers = [("ETag", full["meta"]["version"])]
        if status == 201:
            headers.append(("Location", full["meta"]["location"]))
        return status, headers, self.registry.project(rtype, full, **(selection or req.selection()))

    def load(self, req: Request, rtype: str, key: str) -> dict[str, Any]:
        """The stored resource after the request's preconditions (If-Match, If-None-Match)."""
        resource = self.store.get(rtype, key)
        if resource is None:
            raise scim_error(404, f"no {rtype} with id {key!r}")
        outcome = scimkit.evaluate_preconditions(
            req.method, scimkit.etag(resource), req.header("If-Match"), req.header("If-None-Match")
        )
        if outcome == "preconditionFailed":
            raise scim_error(412, f"the {rtype} has changed (its version is {scimkit.etag(resource)})")
        if outcome == "notModified":
            raise StatusOnly(304, [("ETag", scimkit.etag(resource))])
        return resource

    def log_notes(self, req: Request, notes: Sequence[Mapping[str, Any]]) -> None:
        for note in notes:
            if note.get("quirk"):
                log.info("%s: accepted quirk %s at %s: %s", req, note["quirk"], note.get("location"), note["detail"])
            elif note["code"] != "omittedCleared":  # logged once the PUT is stored (log_cleared)
                log.debug("%s: %s at %s: %s", req, note["code"], note.get("location"), note["detail"])

    def log_cleared(self, req: Request, notes: Sequence[Mapping[str, Any]]) -> None:
        """Every stored attribute a PUT cleared, once the PUT is stored."""
        for note in notes:
            if note["code"] == "omittedCleared":
                log.info("%s: cleared %s: %s", req, note.get("location"), note["detail"])

    def check_unique(self, rtype: str, resource: dict[str, Any], key: str) -> None:
        """409 `uniqueness` when another resource holds a unique value. The values are compared
        as bound parameters (`Store.taken`), never made into a filter, so any length is checked."""
        taken = self.store.taken(rtype, dict(resource, id=key), self.unique[rtype])
        if taken is not None:
            detail = f"{taken} `{excerpt(resource[taken])}` is already taken"
            raise scim_error(409, detail, "uniqueness", f"/{taken}")

    def check_members(self, before: dict[str, Any] | None, after: dict[str, Any], body: bytes) -> None:
        """400 `invalidValue` when a Group gains a member that is no User or Group of this service
        (RFC 7643 §4.2: `members.value` is the member's id), located where the request `body` (a
        Group or a PatchOp) names it (scimkit's `value_location`). Only members the request adds
        are checked, so a Group can still be
        changed otherwise. Runs inside the request's transaction, which no other write can
        interleave with, so a member deleted concurrently is either seen as gone here or removed
        from this Group by its DELETE afterwards."""
        had = {m.get("value") for m in (before or {}).get("members", [])}
        added = dict.fromkeys(m.get("value") for m in after.get("members", []))
        for value in added:
            if not isinstance(value, str) or value in had:
                continue
            if self.store.get("User", value) is not None or self.store.get("Group", value) is not None:
                continue
            detail = f"`{excerpt(value)}` is the id of no User or Group"
            location = self.registry.value_location("Group", body, "members", value)
            raise scim_error(400, detail, "invalidValue", location)

    def create(self, req: Request, rtype: str) -> Response:
        selection = self.selection(req, rtype)
        body = req.body()
        out = self.registry.validate(rtype, body, mode="create", profile=PROFILE)
        self.log_notes(req, out["notes"])
        resource = dict(out["resource"], id=str(uuid.uuid4()))
        stamp = now()
        resource = self.registry.fill_meta(rtype, resource, created=stamp, last_modified=stamp)
        with self.store.transaction():
            self.check_unique(rtype, resource, resource["id"])
            if rtype == "Group":
                self.check_members(None, resource, body)
            resource = self.store.save(rtype, resource)
        # The answer returns what the body specified of `returned: request` (RFC 7643 §7).
        return self.answer(req, rtype, resource, 201, dict(selection, request=body.decode()))

    def selection(self, req: Request, rtype: str) -> dict[str, Any]:
        """The request's `attributes` / `excludedAttributes`, checked against the resource type
        as the answer's projection will check them (a malformed name is a 400) — read before a
        write changes anything, so a bad query string is a 400 that stored nothing."""
        selection = req.selection()
        self.registry.project(rtype, {}, **selection)
        return selection

    def get(self, req: Request, rtype: str, key: str) -> Response:
        return self.answer(req, rtype, self.load(req, rtype, key))

    def replace(self, req: Request, rtype: str, key: str) -> Response:
        selection = self.selection(req, rtype)
        body = req.body()
        with self.store.transaction():
            existing = self.load(req, rtype, key)
            out = self.registry.validate(rtype, body, mode="replace", existing=existing, profile=PROFILE)
            self.log_notes(req, out["notes"])
            resource = dict(out["resource"], id=key)
            created = existing.get("meta", {}).get("created")
            resource = self.registry.fill_meta(rtype, resource, created=created, last_modified=now())
            self.check_unique(rtype, resource, key)
            if rtype == "Group":
                self.check_members(existing, resource, body)
            resource = self.store.save(rtype, resource, previous=existing)
        self.log_cleared(req, out["notes"])
        return self.answer(req, rtype, resource, selection=dict(selection, request=body.decode()))

    def patch(self, req: Request, rtype: str, key: str) -> Response:
        selection = self.selection(req, rtype)
        body = req.body()
        with self.store.transaction():
            existing = self.load(req, rtype, key)
            # A User with a password holds a stand-in for it here, so that scimkit sees (and
            # reports) a `remove` of it, whatever the spelling of the op or the path.
            secret = rtype == "User" and self.store.has_password(key)
            stored = dict(existing, password=self.stored_password) if secret else existing
            out = self.registry.apply_patch(rtype, stored, body, profile=PROFILE)
            self.log_notes(req, out["quirks"] + out["notes"])
            resource = dict(out["resource"])
            cleared = secret and "password" not in resource
            if resource.get("password") == self.stored_password:
                del resource["password"]  # kept as it is
            if out["changes"]:
                resource = self.registry.fill_meta(rtype, resource, last_modified=now())
                self.check_unique(rtype, resource, key)
                if rtype == "Group":
                    self.check_members(existing, resource, body)
                if cleared:
                    self.store.clear_password(key)
                resource = self.store.save(rtype, resource, previous=existing)
        return self.answer(req, rtype, resource, selection=dict(selection, request=body.decode()))

    def delete(self, req: Request, rtype: str, key: str) -> Response:
        with self.store.transaction():
            existing = self.load(req, rtype, key)
            self.store.delete(rtype, key, existing)
            # A deleted User or Group leaves every Group it was in. The transaction holds off
            # every other write, so no Group can gain it meanwhile.
            remove = {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "remove", "path": f"members[value eq {json.dumps(key)}]"}],
            }
            for group in self.store.groups_with_member(key):
                if group["id"] != key:  # a Group listing itself is deleted above
                    done = self.registry.apply_patch("Group", group, remove)
                    changed = self.registry.fill_meta("Group", done["resource"], last_modified=now())
                    self.store.save("Group", changed, previous=group)
        return 204, [], None

    # -- lists -------------------------------------------------------------------------------

    def list(self, req: Request, rtype: str, query: scimkit.ListQuery) -> dict[str, Any]:
        self.log_notes(req, query.quirks)
        where = self.store.where(rtype, query.filter)
        if query.sort_by is None:
            # Unsorted: the page is cut in SQL, in the store's stable order.
            total = self.store.count(rtype, where)
            page = self.store.select(rtype, where, limit=query.count, offset=query.start_index - 1)
            projected = [self.project(req, rtype, r, query) for r in page]
            return scimkit.list_response_from_page(projected, total, query.start_index)
        # Sorted: scimkit sorts (schema-aware: caseExact, dateTimes, multi-valued), pages and
        # projects; it also re-checks the filter in memory, which agrees with its SQL.
        matches = [self.present(req, rtype, r) for r in self.store.select(rtype, where)]
        return self.registry.list_response(rtype, matches, query)

    def project(self, req: Request, rtype: str, resource: dict[str, Any], query: scimkit.ListQuery) -> Any:
        return self.registry.project(
            rtype,
            self.present(req, rtype, resource),
            attributes=query.attributes or None,
            excluded_attributes=query.excluded_attributes or None,
        )

    def search_all(self, req: Request, query: scimkit.ListQuery) -> dict[str, Any]:
        """POST /.search and GET on the root: every resource type; a filter applies to the types
        it names attributes of; `sortBy` sorts them all (see `sort_type`)."""
        self.log_notes(req, query.quirks)
        sorting = None if query.sort_by is None else self.sort_type(query.sort_by)
        if query.filter is not None:
            scimkit.Filter(query.filter)  # a syntax error is the client's, whatever the type
        found: list[tuple[str, dict[str, Any]]] = []
        errors: list[scimkit.ScimError] = []
        for rtype in self.endpoints.values():
            try:
                where = self.store.where(rtype, query.filter)
            except scimkit.ScimError as error:  # an attribute this type does not have
                errors.append(error)
                continue
            found += [(rtype, r) for r in self.store.select(rtype, where)]
        if len(errors) == len(self.endpoints):  # the filter fits no type at all
            raise errors[0]
        if sorting is not None and query.sort_by is not None:
            # Sorted by scimkit, under the schema of a type that has the attribute (`meta` filled
            # in first); the other types' resources lack it and sort as missing values do: last,
            # or first when descending (RFC 7644 §3.4.2.3). Ids are unique across types.
            type_of = {r["id"]: rtype for rtype, r in found}
            full = [self.present(req, rtype, r) for rtype, r in found]
            ordered = self.registry.sort(sorting, full, query.sort_by, query.sort_order)
            found = [(type_of[r["id"]], r) for r in ordered]
        start = query.start_index - 1
        page = [self.project(req, rtype, r, query) for rtype, r in found[start : start + query.count]]
        return scimkit.list_response_from_page(page, len(found), query.start_index)

    def sort_type(self, sort_by: str) -> str:
        """The resource type whose schema a search across types sorts by: the first that has the
        `sortBy` attribute (one that several types have — `id`, `externalId`, `meta.*`,
        `displayName` — is defined alike in each); scimkit's error when none has it."""
        first: scimkit.ScimError | None = None
        for rtype in self.endpoints.values():
            try:
                self.registry.sort(rtype, [], sort_by)
                return rtype
            except scimkit.ScimError as error:
                first = first or error
        assert first is not None
        raise first
