"""The example SCIM service (examples/python-server), exercised in-process through WSGI.

scim2-tester (run-conformance.sh) covers discovery, CRUD, attributes and PATCH per attribute
over HTTP. These tests cover what it does not: recorded Entra ID / Okta requests under the
compat profile (and that each quirk is logged), entity tags and preconditions, userName
uniqueness (values of any length), bearer authentication, content types and charsets, bodies
that are not UTF-8 or start with a byte order mark, PATCH removal of a password, passwords
holding U+0000, Group members that must exist (located at their `value`; also racing a
DELETE), Group membership reflected in Users' `groups`, lists (filter, sort, paging,
attributes) and searches on the service root (GET /, POST /.search, sortBy across types).

    .venv/bin/python -m pytest tests/python-server -q
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "python-server"))

import scimkit  # noqa: E402
from app import ScimApp  # noqa: E402
from store import Store  # noqa: E402

TOKEN = "test-token"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.raw = body
        self.json: Any = json.loads(body) if body else None

    def __repr__(self) -> str:
        return f"<{self.status} {self.raw[:300]!r}>"


class Client:
    def __init__(self, app: ScimApp) -> None:
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = TOKEN,
        content_type: str = "application/scim+json",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        path, _, query = path.partition("?")
        data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": "scim.test",
            "wsgi.input": io.BytesIO(data),
        }
        if data:
            environ["CONTENT_TYPE"] = content_type
            environ["CONTENT_LENGTH"] = str(len(data))
        if token is not None:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        setup_testing_defaults(environ)
        captured: list[Any] = []
        chunks = self.app(environ, lambda status, hdrs: captured.extend([status, hdrs]))
        return Answer(captured[0], captured[1], b"".join(chunks))

    def get(self, path: str, **kw: Any) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Answer:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Answer:
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, *operations: dict[str, Any], **kw: Any) -> Answer:
        return self.request("PATCH", path, {"schemas": [PATCH_OP], "Operations": list(operations)}, **kw)

    def delete(self, path: str, **kw: Any) -> Answer:
        return self.request("DELETE", path, **kw)

    def raw(self, environ: dict[str, Any]) -> Answer:
        """A request given as its WSGI environ (bearer token and defaults added)."""
        environ = {"HTTP_HOST": "scim.test", "HTTP_AUTHORIZATION": f"Bearer {TOKEN}", **environ}
        setup_testing_defaults(environ)
        captured: list[Any] = []
        chunks = self.app(environ, lambda status, hdrs: captured.extend([status, hdrs]))
        return Answer(captured[0], captured[1], b"".join(chunks))

    # helpers
    def user(self, user_name: str, **attributes: Any) -> dict[str, Any]:
        answer = self.post("/Users", {"schemas": [USER], "userName": user_name, **attributes})
        assert answer.status == 201, answer
        return answer.json

    def group(self, name: str, *members: str) -> dict[str, Any]:
        body = {"schemas": [GROUP], "displayName": name, "members": [{"value": m} for m in members]}
        answer = self.post("/Groups", body)
        assert answer.status == 201, answer
        return answer.json


@pytest.fixture
def store() -> Store:
    return Store(":memory:", scimkit.Registry())


@pytest.fixture
def client(store: Store) -> Client:
    return Client(ScimApp(store, TOKEN))


def example(path: str) -> Any:
    return json.loads((ROOT / "examples" / path).read_text(encoding="utf-8"))


def quirks_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage().split("accepted quirk ")[1].split()[0]
        for r in caplog.records
        if "accepted quirk" in r.getMessage()
    ]


def error_location(caplog: pytest.LogCaptureFixture) -> str | None:
    """The location of the last error the service answered, as its log line gives it (identity
    providers get the plain RFC 7644 §3.12 body, which has no location)."""
    for record in reversed(caplog.records):
        message = record.getMessage()
        if record.name == "scimkit.server" and ": 4" in message:
            return message.rsplit(" at ", 1)[1] if " at /" in message else None
    return None


def is_scim_error(answer: Answer, status: int, scim_type: str | None = None) -> bool:
    body = answer.json
    return (
        answer.status == status
        and answer.headers.get("content-type") == "application/scim+json"
        and ERROR in body["schemas"]
        and body["status"] == str(status)
        and body.get("scimType") == scim_type
    )


# -- authentication and content types ---------------------------------------------------------


def test_bearer_token_is_required(client: Client) -> None:
    for token in (None, "wrong", ""):
        answer = client.get("/Users", token=token)
        assert is_scim_error(answer, 401), answer
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/Users", headers={"Authorization": f"bearer {TOKEN}"}, token=None).status == 200
    assert client.get("/ServiceProviderConfig", token=None).status == 401
    assert client.get("/Users").status == 200


def test_scim_and_plain_json_are_accepted_other_types_refused(client: Client) -> None:
    body = {"schemas": [USER], "userName": "plain"}
    assert client.post("/Users", body, content_type="application/json").status == 201
    assert (
        client.post("/Users", dict(body, userName="s"), content_type="application/scim+json; charset=utf-8").status
        == 201
    )
    refused = client.post("/Users", dict(body, userName="t"), content_type="text/plain")
    assert refused.status == 415 and refused.headers["accept"] == "application/scim+json, application/json"


def test_errors_are_rfc_bodies(client: Client) -> None:
    assert is_scim_error(client.get("/Users?filter=userName%20eq"), 400, "invalidFilter")
    assert is_scim_error(client.get("/Users?filter=nosuch%20eq%20%22x%22"), 400, "invalidFilter")
    assert is_scim_error(client.get("/Users?count=ten"), 400, "invalidValue")
    assert is_scim_error(client.get("/Users/missing"), 404)
    assert is_scim_error(client.get("/Nowhere"), 404)
    assert is_scim_error(client.post("/Users", b'{"userName": "a", "userName": "b"}'), 400, "invalidSyntax")
    assert is_scim_error(client.post("/Bulk", {}), 501)
    bad = client.post("/Users", {"schemas": [USER], "userName": "x", "active": "yes", "emails": "no"})
    assert is_scim_error(bad, 400, "invalidValue")
    assert client.delete("/ServiceProviderConfig").status == 405
    assert client.request("DELETE", "/Users").headers["allow"] == "GET, HEAD, POST"


def test_head_answers_as_get_without_the_body(client: Client) -> None:
    user = client.user("bjensen")
    path = f"/Users/{user['id']}"
    got, head = client.get(path), client.request("HEAD", path)
    assert head.status == 200 and head.raw == b""
    assert head.headers == got.headers and int(head.headers["content-length"]) == len(got.raw)
    assert client.request("HEAD", path, headers={"If-None-Match": got.headers["etag"]}).status == 304
    assert client.request("HEAD", "/Users?filter=userName%20eq").status == 400
    assert client.request("HEAD", "/ServiceProviderConfig").status == 200
    refused = client.request("HEAD", "/.search")
    assert refused.status == 405 and refused.headers["allow"] == "POST" and refused.raw == b""


def test_a_body_without_a_length_is_read_or_refused_never_taken_as_empty(client: Client) -> None:
    body = json.dumps({"schemas": [USER], "userName": "chunked"}).encode()
    chunked = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/Users",
        "CONTENT_TYPE": "application/scim+json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
    }
    # wsgiref hands a chunked body over undecoded, without a length: 411, nothing created.
    assert is_scim_error(client.raw(dict(chunked)), 411)
    assert client.get("/Users").json["totalResults"] == 0
    # A server that decodes it (gunicorn, waitress) says the input ends where the body does.
    created = client.raw({**chunked, "wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True})
    assert created.status == 201 and created.json["userName"] == "chunked"
    too_big = {**chunked, "wsgi.input": io.BytesIO(b" " * (8 * 1024 * 1024 + 1)), "wsgi.input_terminated": True}
    assert is_scim_error(client.raw(too_big), 413)
    for declared in ("12abc", "-1", "+5", "1_0"):
        bad_length = {**chunked, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": declared}
        assert is_scim_error(client.raw(bad_length), 400)


# -- create, read, entity tags ----------------------------------------------------------------


def test_create_sets_id_meta_location_and_etag(client: Client) -> None:
    answer = client.post(
        "/Users", {"schemas": [USER], "userName": "bjensen", "id": "client-chosen", "password": "s3cret"}
    )
    user = answer.json
    assert answer.status == 201
    assert user["id"] != "client-chosen" and len(user["id"]) == 36
    assert answer.headers["location"] == user["meta"]["location"] == f"http://scim.test/Users/{user['id']}"
    assert answer.headers["etag"] == user["meta"]["version"]
    assert user["meta"]["resourceType"] == "User" and user["meta"]["created"] == user["meta"]["lastModified"]
    assert "password" not in user
    stored = client.app.store.db.execute("SELECT hash FROM passwords WHERE id = ?", [user["id"]]).fetchone()[0]
    assert "s3cret" not in stored
    again = client.get(f"/Users/{user['id']}")
    assert again.json == user and again.headers["etag"] == user["meta"]["version"]


def test_if_none_match_gives_304(client: Client) -> None:
    user = client.user("bjensen")
    etag = user["meta"]["version"]
    answer = client.get(f"/Users/{user['id']}", headers={"If-None-Match": etag})
    assert answer.status == 304 and answer.raw == b"" and answer.headers["etag"] == etag
    assert client.get(f"/Users/{user['id']}", headers={"If-None-Match": 'W/"other"'}).status == 200


def test_if_match_guards_put_patch_delete(client: Client) -> None:
    user = client.user("bjensen")
    path, etag = f"/Users/{user['id']}", user["meta"]["version"]
    stale = {"If-Match": 'W/"0000000000000000"'}
    body = {"schemas": [USER], "userName": "bjensen", "title": "Boss"}
    assert is_scim_error(client.put(path, body, headers=stale), 412)
    assert is_scim_error(client.patch(path, {"op": "replace", "path": "title", "value": "x"}, headers=stale), 412)
    assert is_scim_error(client.delete(path, headers=stale), 412)
    replaced = client.put(path, body, headers={"If-Match": etag})
    assert replaced.status == 200 and replaced.json["title"] == "Boss"
    new_etag = replaced.headers["etag"]
    assert new_etag != etag
    assert is_scim_error(
        client.patch(path, {"op": "replace", "path": "title", "value": "x"}, headers={"If-Match": etag}), 412
    )
    patched = client.patch(path, {"op": "replace", "path": "title", "value": "x"}, headers={"If-Match": new_etag})
    assert patched.status == 200 and patched.json["title"] == "x"
    assert client.delete(path, headers={"If-Match": "*"}).status == 204
    assert client.get(path).status == 404


def test_put_is_validated_against_the_stored_resource(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    user = client.user("bjensen", title="Engineer", nickName="Babs")
    path = f"/Users/{user['id']}"
    answer = client.put(path, {"schemas": [USER], "userName": "bjensen", "displayName": "Babs", "id": "other"})
    assert answer.status == 200
    assert answer.json["id"] == user["id"] and answer.json["displayName"] == "Babs"
    assert "title" not in answer.json  # replace: what is not sent is gone, and logged as cleared
    cleared = sorted(m.group(1) for r in caplog.records if (m := re.search(r": cleared (\S+): ", r.getMessage())))
    assert cleared == ["/nickName", "/title"]
    assert answer.json["meta"]["created"] == user["meta"]["created"]
    assert is_scim_error(client.put(path, {"schemas": [USER], "displayName": "no userName"}), 400, "invalidValue")


# -- uniqueness -------------------------------------------------------------------------------


def test_user_name_is_unique_case_insensitively(client: Client) -> None:
    first = client.user("bjensen")
    other = client.user("jsmith")
    assert is_scim_error(client.post("/Users", {"schemas": [USER], "userName": "BJensen"}), 409, "uniqueness")
    put = client.put(f"/Users/{other['id']}", {"schemas": [USER], "userName": "BJENSEN"})
    assert is_scim_error(put, 409, "uniqueness")
    patch = client.patch(f"/Users/{other['id']}", {"op": "replace", "path": "userName", "value": "bJensen"})
    assert is_scim_error(patch, 409, "uniqueness")
    # A user may keep (or re-case) its own name.
    assert client.put(f"/Users/{first['id']}", {"schemas": [USER], "userName": "BJensen"}).status == 200
    assert client.get(f"/Users/{other['id']}").json["userName"] == "jsmith"


def test_a_bad_query_string_on_a_write_changes_nothing(client: Client) -> None:
    # The projection parameters are read before the write: a 400 leaves nothing behind, so an
    # identity provider retrying gets the same answer rather than a 409.
    bad = "?attributes=userName&excludedAttributes=title"
    assert is_scim_error(client.post("/Users" + bad, {"schemas": [USER], "userName": "ghost"}), 400, "invalidValue")
    assert client.get('/Users?filter=userName eq "ghost"').json["totalResults"] == 0
    user = client.user("bjensen", title="Guide")
    patch = client.patch(f"/Users/{user['id']}" + bad, {"op": "replace", "path": "title", "value": "Boss"})
    assert is_scim_error(patch, 400, "invalidValue")
    put = client.put(f"/Users/{user['id']}?count=abc", {"schemas": [USER], "userName": "bjensen", "title": "Boss"})
    assert is_scim_error(put, 400, "invalidValue")
    assert client.get(f"/Users/{user['id']}").json["title"] == "Guide"
    # A malformed attribute name, which only the projection reads, is caught before the write too.
    malformed = "?attributes=x%5B"
    assert is_scim_error(client.post("/Users" + malformed, {"schemas": [USER], "userName": "ghost"}), 400, "invalidValue")
    assert client.get('/Users?filter=userName eq "ghost"').json["totalResults"] == 0
    patch = client.patch(f"/Users/{user['id']}" + malformed, {"op": "replace", "path": "title", "value": "Boss"})
    assert is_scim_error(patch, 400, "invalidValue")
    assert client.get(f"/Users/{user['id']}").json["title"] == "Guide"


def test_groups_lists_only_groups_naming_the_user_id_exactly(client: Client) -> None:
    # An id is case exact (RFC 7643 §3.1), and so is members.value, which holds one: the id in
    # capitals names no member at all, so it is refused and `groups` never goes stale.
    user = client.user("bjensen")
    shouting = {"schemas": [GROUP], "displayName": "Shouting", "members": [{"value": user["id"].upper()}]}
    assert is_scim_error(client.post("/Groups", shouting), 400, "invalidValue")
    assert "groups" not in client.get(f"/Users/{user['id']}").json
    ops = client.group("Ops", user["id"])
    assert [g["value"] for g in client.get(f"/Users/{user['id']}").json["groups"]] == [ops["id"]]
    assert client.delete(f"/Groups/{ops['id']}").status == 204
    assert "groups" not in client.get(f"/Users/{user['id']}").json


def test_group_display_name_is_not_unique(client: Client) -> None:
    client.group("Ops")
    assert client.post("/Groups", {"schemas": [GROUP], "displayName": "Ops"}).status == 201


# -- recorded identity-provider requests (compat profile) -------------------------------------


def test_entra_create_user_quirks_are_accepted_and_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    answer = client.post("/Users", example("payloads/user-entra.json"))
    assert answer.status == 201, answer
    user = answer.json
    assert user["active"] is True
    assert user[ENTERPRISE]["manager"] == {"value": "5e1f0a3b-8c7d-4e2f-9a6b-1d3c5e7f9a0b"}
    assert user["schemas"] == [USER, ENTERPRISE]
    assert sorted(quirks_logged(caplog)) == ["managerString", "missingSchemas", "stringBooleans"]


def test_entra_six_operation_user_patch(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    user = client.post("/Users", example("payloads/user-full.json")).json
    caplog.set_level(logging.INFO, logger="scimkit.server")
    answer = client.request("PATCH", f"/Users/{user['id']}", example("patch/entra-user.json"))
    assert answer.status == 200, answer
    done = answer.json
    assert done["active"] is False  # "False"
    assert [e["value"] for e in done["emails"] if e.get("type") == "work"] == ["marisol.rivera@example.org"]
    assert {"value": "+1 603 555 0177", "type": "fax"} in done["phoneNumbers"]
    assert done[ENTERPRISE]["manager"]["value"] == "0f8e2c1d-7a6b-4c3d-9e8f-1a2b3c4d5e6f"
    assert done[ENTERPRISE]["department"] == "Security"
    assert done["displayName"] == "Marisol A. Rivera"
    assert done["meta"]["lastModified"] >= user["meta"]["lastModified"]
    assert client.get(f"/Users/{user['id']}").json == done
    assert {"opCase", "stringBooleans", "managerString"} <= set(quirks_logged(caplog))


def test_entra_disable_with_string_false(client: Client) -> None:
    user = client.user("avery", active=True)
    answer = client.patch(f"/Users/{user['id']}", {"op": "Replace", "path": "active", "value": "False"})
    assert answer.status == 200 and answer.json["active"] is False


def test_okta_pathless_deactivate(client: Client) -> None:
    user = client.user("okta.user", active=True)
    answer = client.patch(f"/Users/{user['id']}", {"op": "replace", "value": {"active": False}})
    assert answer.status == 200 and answer.json["active"] is False
    assert client.get("/Users?filter=active%20eq%20false").json["totalResults"] == 1


def test_entra_member_removal_by_value_array(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    a, b = client.user("a"), client.user("b")
    group = client.group("Tour Guides", a["id"], b["id"])
    caplog.set_level(logging.INFO, logger="scimkit.server")
    op = {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": a["id"]}]}
    answer = client.patch(f"/Groups/{group['id']}", op)
    assert answer.status == 200, answer
    assert answer.json["members"] == [{"value": b["id"]}]
    assert "removeByValue" in quirks_logged(caplog)
    assert "groups" not in client.get(f"/Users/{a['id']}").json
    assert client.get(f"/Users/{b['id']}").json["groups"] == [
        {"value": group["id"], "display": "Tour Guides", "type": "direct"}
    ]


def test_okta_group_rename_with_id_in_value(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    member = client.user("member")
    group = client.group("Test SCIMv2", member["id"])
    caplog.set_level(logging.INFO, logger="scimkit.server")
    op = {"op": "replace", "value": {"id": group["id"], "displayName": "Test SCIMv2 renamed"}}
    answer = client.patch(f"/Groups/{group['id']}", op)
    assert answer.status == 200, answer
    assert answer.json["displayName"] == "Test SCIMv2 renamed" and answer.json["id"] == group["id"]
    assert "readOnlyInValue" in quirks_logged(caplog)
    assert client.get(f"/Users/{member['id']}").json["groups"][0]["display"] == "Test SCIMv2 renamed"


def test_entra_add_members_and_okta_remove_by_filter(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    a, b = client.user("a"), client.user("b")
    group = client.group("Ops")
    path = f"/Groups/{group['id']}"
    added = client.patch(path, {"op": "Add", "path": "members", "value": [{"value": a["id"]}, {"value": b["id"]}]})
    assert [m["value"] for m in added.json["members"]] == [a["id"], b["id"]]
    removed = client.patch(path, {"op": "remove", "path": f'members[value eq "{a["id"]}"]'})
    assert [m["value"] for m in removed.json["members"]] == [b["id"]]
    # Removing the member again through a filter that now matches nothing changes nothing
    # (compat removeOnFilterMiss; strict would answer noTarget, RFC 7644 §3.12)…
    absent = client.patch(path, {"op": "remove", "path": f'members[value eq "{a["id"]}"]'})
    assert absent.status == 200 and absent.json["meta"] == removed.json["meta"]
    assert "removeOnFilterMiss" in quirks_logged(caplog)
    # …and so does Entra's "remove these values" of an absent member: a PATCH that changes
    # nothing leaves meta (lastModified, version) as it was.
    same = client.patch(path, {"op": "Remove", "path": "members", "value": [{"value": a["id"]}]})
    assert same.status == 200 and same.json["meta"] == removed.json["meta"]


# -- Group membership and Users' groups -------------------------------------------------------


def test_users_groups_follow_membership(client: Client) -> None:
    a, b = client.user("a"), client.user("b")
    time.sleep(0.005)
    ops = client.group("Ops", a["id"])
    dev = client.group("Dev", a["id"], b["id"])
    joined = client.get(f"/Users/{a['id']}").json
    # Joining a group changes the User (its `groups`): a new version and lastModified.
    assert joined["meta"]["version"] != a["meta"]["version"]
    assert joined["meta"]["lastModified"] > a["meta"]["lastModified"] == a["meta"]["created"]
    groups = joined["groups"]
    assert {g["value"] for g in groups} == {ops["id"], dev["id"]}
    found = client.get(f"/Users?filter=groups.value%20eq%20%22{ops['id']}%22").json
    assert [u["id"] for u in found["Resources"]] == [a["id"]]
    # `groups` is read-only: a PUT cannot change it, and it survives the PUT.
    put = client.put(f"/Users/{b['id']}", {"schemas": [USER], "userName": "b", "groups": [{"value": ops["id"]}]})
    assert [g["value"] for g in put.json["groups"]] == [dev["id"]]
    assert is_scim_error(
        client.patch(f"/Users/{b['id']}", {"op": "add", "path": "groups", "value": [{"value": ops["id"]}]}),
        400,
        "mutability",
    )
    # Deleting a group takes it off its members; deleting a user takes it out of its groups.
    assert client.delete(f"/Groups/{ops['id']}").status == 204
    assert [g["value"] for g in client.get(f"/Users/{a['id']}").json["groups"]] == [dev["id"]]
    assert client.delete(f"/Users/{a['id']}").status == 204
    assert client.get(f"/Groups/{dev['id']}").json["members"] == [{"value": b["id"]}]


# -- lists and searches -----------------------------------------------------------------------


def test_entra_email_filter_with_a_sub_attribute_after_brackets(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    # Matching on email, Entra asks `emails[type eq "work"].value eq "…"` (rule filterSubAttribute).
    ava = client.user("ava", emails=[{"value": "ava@example.com", "type": "work"}])
    client.user("bo", emails=[{"value": "ava@example.com", "type": "home"}])
    with caplog.at_level(logging.INFO):
        found = client.get("/Users?filter=emails%5Btype%20eq%20%22work%22%5D.value%20eq%20%22AVA%40example.com%22")
    assert found.status == 200, found
    assert [r["id"] for r in found.json["Resources"]] == [ava["id"]]
    assert quirks_logged(caplog) == ["filterSubAttribute"]


def test_list_filter_sort_page_and_attributes(client: Client) -> None:
    for name, title in [("carol", "Dev"), ("alice", "Ops"), ("Bob", "Dev"), ("dave", "Dev")]:
        client.user(name, title=title, emails=[{"value": f"{name}@example.com", "type": "work"}])
    listed = client.get(
        "/Users?filter=title%20eq%20%22dev%22&sortBy=userName&sortOrder=descending"
        "&startIndex=2&count=1&attributes=userName"
    ).json
    assert listed["totalResults"] == 3 and listed["startIndex"] == 2 and listed["itemsPerPage"] == 1
    assert [set(r) for r in listed["Resources"]] == [{"id", "schemas", "userName"}]
    assert listed["Resources"][0]["userName"] == "carol"  # dave, carol, Bob
    unsorted = client.get("/Users?startIndex=3&count=5&excludedAttributes=emails,meta").json
    assert unsorted["totalResults"] == 4 and [r["userName"] for r in unsorted["Resources"]] == ["Bob", "dave"]
    assert all("emails" not in r and "meta" not in r for r in unsorted["Resources"])
    counted = client.get("/Users?count=0").json
    assert counted["totalResults"] == 4 and counted["Resources"] == []
    co = client.get("/Users?filter=emails%5Btype%20eq%20%22work%22%20and%20value%20co%20%22ALI%22%5D").json
    assert [r["userName"] for r in co["Resources"]] == ["alice"]


def test_post_search_on_a_resource_type(client: Client) -> None:
    client.user("alice")
    client.user("bob")
    body = {"schemas": [SEARCH], "filter": 'userName sw "A"', "attributes": ["userName"], "count": 10}
    answer = client.post("/Users/.search", body)
    assert answer.status == 200 and [r["userName"] for r in answer.json["Resources"]] == ["alice"]
    assert is_scim_error(client.post("/Users/.search", {"filter": "x"}), 400, "invalidValue")  # no schemas


def test_root_search_spans_resource_types(client: Client) -> None:
    user = client.user("ops.lead", displayName="Ops")
    group = client.group("Ops", user["id"])
    both = client.post("/.search", {"schemas": [SEARCH], "filter": 'displayName eq "ops"'}).json
    assert {r["id"] for r in both["Resources"]} == {user["id"], group["id"]}
    users = client.post("/.search", {"schemas": [SEARCH], "filter": "userName pr", "attributes": ["userName"]}).json
    assert [r["id"] for r in users["Resources"]] == [user["id"]]
    everything = client.post("/.search", {"schemas": [SEARCH], "startIndex": 2, "count": 1}).json
    assert everything["totalResults"] == 2 and [r["id"] for r in everything["Resources"]] == [group["id"]]
    assert is_scim_error(
        client.post("/.search", {"schemas": [SEARCH], "filter": 'nosuch eq "x"'}), 400, "invalidFilter"
    )


# -- discovery --------------------------------------------------------------------------------


def test_discovery_documents(client: Client) -> None:
    config = client.get("/ServiceProviderConfig").json
    assert config["patch"]["supported"] and config["etag"]["supported"] and config["sort"]["supported"]
    # Passwords can be changed (PUT, PATCH), so discovery says so (RFC 7643 §5).
    assert config["changePassword"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["meta"]["location"] == "http://scim.test/ServiceProviderConfig"
    types = client.get("/ResourceTypes").json
    assert {r["name"] for r in types["Resources"]} == {"User", "Group"}
    assert client.get("/ResourceTypes/User").json["endpoint"] == "/Users"
    assert client.get(f"/Schemas/{USER}").json["id"] == USER
    assert client.get("/Schemas").json["totalResults"] >= 3
    assert is_scim_error(client.get("/Schemas/urn:nope"), 404)


def test_discovery_refuses_a_filter(client: Client) -> None:
    # RFC 7644 §4: a filter on a discovery endpoint is answered 403, never silently ignored.
    name_is_user = urllib.parse.quote('name eq "User"')
    assert is_scim_error(client.get(f"/ResourceTypes?filter={name_is_user}"), 403)
    assert is_scim_error(client.get("/Schemas?filter="), 403)
    assert is_scim_error(client.get("/ServiceProviderConfig?filter=patch.supported%20eq%20true"), 403)
    assert is_scim_error(client.get("/Schemas?FILTER=x"), 403)  # parameter names in any case
    assert is_scim_error(client.get("/Schemas?%66ilter=x"), 403)  # and percent-encoded
    assert is_scim_error(client.get("/Schemas?%ZZ=x"), 400, "invalidValue")
    assert client.get("/ResourceTypes?attributes=name").status == 200
    # The method and the route are checked first.
    assert client.delete("/Schemas?filter=x").status == 405
    assert is_scim_error(client.get("/Schemas/a/b?filter=x"), 404)


def test_stored_version_matches_the_etag(client: Client) -> None:
    def with_version(etag: str) -> list[str]:
        literal = urllib.parse.quote(json.dumps(etag))  # a filter literal is JSON
        return [u["id"] for u in client.get(f"/Users?filter=meta.version%20eq%20{literal}").json["Resources"]]

    user = client.user("versioned", password="secret")  # the password is not part of the version
    assert with_version(user["meta"]["version"]) == [user["id"]]
    group = client.group("Team", user["id"])
    etag = client.get(f"/Users/{user['id']}").headers["etag"]
    assert etag != user["meta"]["version"]  # joining a group changed the representation
    assert with_version(etag) == [user["id"]]
    assert client.get(f"/Groups/{group['id']}").headers["etag"] == group["meta"]["version"]


# -- bodies, passwords, members, unique values, the root (as the Worker decides them) ---------


def latin1(document: Any) -> bytes:
    """A JSON document in Latin-1: one byte per character, not UTF-8."""
    return json.dumps(document, ensure_ascii=False).encode("latin-1")


def test_a_body_that_is_not_utf8_is_a_400_invalid_syntax(client: Client) -> None:
    # "josé" and "josè" in Latin-1 are refused as what they are, never read as something else.
    for name in ("jos\u00e9", "jos\u00e8"):
        answer = client.post("/Users", latin1({"schemas": [USER], "userName": name}))
        assert is_scim_error(answer, 400, "invalidSyntax"), answer
        assert "UTF-8" in answer.json["detail"]
    assert client.get("/Users").json["totalResults"] == 0
    user = client.user("jos\u00e9")
    assert user["userName"] == "jos\u00e9"
    # PATCH, PUT and search bodies are read the same way.
    ops = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "Se\u00f1or"}]}
    for method, path, body in [
        ("PATCH", f"/Users/{user['id']}", latin1(ops)),
        ("PUT", f"/Users/{user['id']}", latin1({"schemas": [USER], "userName": "jos\u00e9", "title": "\u00e9"})),
        ("POST", "/.search", latin1({"schemas": [SEARCH], "filter": 'userName eq "jos\u00e9"'})),
        ("POST", "/Users/.search", latin1({"schemas": [SEARCH], "filter": 'userName eq "jos\u00e9"'})),
    ]:
        answer = client.request(method, path, body)
        assert is_scim_error(answer, 400, "invalidSyntax"), (method, path, answer)
        assert "UTF-8" in answer.json["detail"]
    assert "title" not in client.get(f"/Users/{user['id']}").json


def test_a_charset_other_than_utf8_is_a_415_with_accept(client: Client) -> None:
    for i, content_type in enumerate(
        [
            "application/scim+json; charset=iso-8859-1",
            'application/json;Charset="latin1"',
            "application/scim+json; charset=utf-16",
        ]
    ):
        answer = client.post("/Users", {"schemas": [USER], "userName": f"cs{i}"}, content_type=content_type)
        assert is_scim_error(answer, 415), (content_type, answer)
        assert answer.headers["accept"] == "application/scim+json, application/json"
    assert client.get("/Users").json["totalResults"] == 0
    for i, content_type in enumerate(
        [
            "application/scim+json; charset=utf-8",
            'application/scim+json; CHARSET="UTF-8"',
            "application/json;charset=utf8",
        ]
    ):
        answer = client.post("/Users", {"schemas": [USER], "userName": f"cs{i}.\u00e9"}, content_type=content_type)
        assert answer.status == 201 and answer.json["userName"] == f"cs{i}.\u00e9", (content_type, answer)


def test_a_utf8_byte_order_mark_at_the_start_is_ignored(client: Client) -> None:
    # RFC 8259 §8.1: no one may add one, a reader may ignore it; the Worker's TextDecoder does.
    bom = b"\xef\xbb\xbf"
    created = client.post("/Users", bom + json.dumps({"schemas": [USER], "userName": "bom.\u00e9"}).encode())
    assert created.status == 201 and created.json["userName"] == "bom.\u00e9", created
    path = f"/Users/{created.json['id']}"
    ops = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "T"}]}
    assert client.request("PATCH", path, bom + json.dumps(ops).encode()).json["title"] == "T"
    replaced = client.put(path, bom + json.dumps({"schemas": [USER], "userName": "bom.\u00e9"}).encode())
    assert replaced.status == 200 and "title" not in replaced.json, replaced
    search = bom + json.dumps({"schemas": [SEARCH], "filter": 'userName eq "bom.\u00e9"'}).encode()
    assert client.post("/.search", search).json["totalResults"] == 1
    # Only one, and only at the start: anything else is no JSON text.
    for body in (bom + bom + b"{}", b" " + bom + b"{}", b"{" + bom + b"}"):
        answer = client.post("/Users", body)
        assert answer.status == 400, (body, answer)
    # A UTF-16 byte order mark is no UTF-8.
    answer = client.post("/Users", b"\xff\xfe" + json.dumps({"userName": "x"}).encode("utf-16-le"))
    assert is_scim_error(answer, 400, "invalidSyntax"), answer
    assert client.get("/Users").json["totalResults"] == 1


def test_patch_remove_of_password_clears_it_and_replace_sets_it(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    db = client.app.store.db
    user = client.user("pw", password="t1meToChange!")
    path = f"/Users/{user['id']}"

    def hashes() -> list[str]:
        return [r[0] for r in db.execute("SELECT hash FROM passwords WHERE id = ?", [user["id"]])]

    first = hashes()
    assert len(first) == 1
    # Another change keeps the password as it is.
    titled = client.patch(path, {"op": "replace", "path": "title", "value": "Keeper"})
    assert titled.status == 200 and "password" not in titled.json
    assert hashes() == first
    time.sleep(0.005)
    removed = client.patch(path, {"op": "Remove", "path": f"{USER}:password"})  # as Okta spells it
    assert removed.status == 200 and "password" not in removed.json, removed
    assert removed.json["meta"]["lastModified"] > titled.json["meta"]["lastModified"]
    assert hashes() == []
    # Removed already: no change, meta as it was.
    again = client.patch(path, {"op": "remove", "path": "password"})
    assert again.status == 200 and again.json["meta"] == removed.json["meta"]
    # Set again, by path and path-less (as Okta sends it).
    assert client.patch(path, {"op": "replace", "path": "password", "value": "n3wSecret!"}).status == 200
    second = hashes()
    assert len(second) == 1
    assert client.patch(path, {"op": "replace", "value": {"password": "an0ther!"}}).status == 200
    assert len(hashes()) == 1 and hashes() != second
    # The stand-in the PATCH works with is never answered, stored or logged.
    stand_in = client.app.stored_password
    assert "password" not in client.get(path).json
    rows = [r[0] + r[1] for r in db.execute('SELECT "data", "data_search" FROM users')]
    assert rows and not any("password" in row or "stored-password" in row for row in rows)
    assert not any(stand_in in h for h in hashes())
    assert "stored-password" not in caplog.text and stand_in not in caplog.text
    # A PATCH that fails does not quote it either.
    for op in ({"op": "replace", "path": "password", "value": 5}, {"op": "remove", "path": "password.value"}):
        failed = client.patch(path, op)
        assert failed.status == 400 and "stored-password" not in failed.raw.decode()
    assert "stored-password" not in caplog.text


def test_a_password_holding_u0000_is_hashed_never_refused(client: Client) -> None:
    # The password is only ever hashed: the uniqueness check reads the unique values alone, so
    # what the search column cannot hold (U+0000) is no reason to refuse it.
    db = client.app.store.db
    password = "Hunter2-secret\u0000x"

    def verifies(user_id: str, secret: str) -> bool:
        [(stored,)] = db.execute("SELECT hash FROM passwords WHERE id = ?", [user_id]).fetchall()
        salt, digest = stored.split(":")
        again = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
        return again.hex() == digest

    created = client.post("/Users", {"schemas": [USER], "userName": "nul", "password": password})
    assert created.status == 201 and "password" not in created.json, created
    user = created.json
    assert verifies(user["id"], password) and not verifies(user["id"], "Hunter2-secret")
    rows = [r[0] + r[1] for r in db.execute('SELECT "data", "data_search" FROM users')]
    assert not any("Hunter2" in row for row in rows)
    path = f"/Users/{user['id']}"
    assert client.patch(path, {"op": "replace", "path": "password", "value": "p\u0000atched"}).status == 200
    assert verifies(user["id"], "p\u0000atched")
    put = client.put(path, {"schemas": [USER], "userName": "nul", "password": "p\u0000ut"})
    assert put.status == 200, put
    assert verifies(user["id"], "p\u0000ut")
    # The unique values are still checked as before, and a stored value still may not hold it.
    clash = client.post("/Users", {"schemas": [USER], "userName": "NUL", "password": password})
    assert is_scim_error(clash, 409, "uniqueness"), clash
    assert client.post("/Users", {"schemas": [USER], "userName": "n\u0000l"}).status == 400


def test_the_uniqueness_check_runs_to_record_over_the_unique_values_only(store: Store) -> None:
    # Not over the password, nor over a Group's members: only what is stored runs it in full.
    seen: list[dict[str, Any]] = []

    class Spy:
        def __init__(self, mapping: scimkit.Mapping) -> None:
            self.mapping = mapping

        def to_record(self, resource: dict[str, Any]) -> Any:
            seen.append(resource)
            return self.mapping.to_record(resource)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.mapping, name)

    for rtype in list(store.mappings):
        store.mappings[rtype] = Spy(store.mappings[rtype])  # type: ignore[assignment]
    client = Client(ScimApp(store, TOKEN))
    user = client.user("spy", password="s3cret!", externalId="e1", title="T")
    assert not any("password" in r for r in seen)
    assert [r for r in seen if "meta" not in r] == [{"userName": "spy"}]  # the check's own
    seen.clear()
    members = [client.user(f"m{i}")["id"] for i in range(20)]
    seen.clear()
    client.group("Big", *members, user["id"])
    assert [len(r.get("members", [])) for r in seen if "members" in r] == [21]  # the one stored


def test_a_group_member_must_be_a_user_or_group_of_the_service(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    user = client.user("member")
    ghost = "ghost-0000"
    body = {"schemas": [GROUP], "displayName": "Real", "members": [{"value": user["id"]}, {"value": ghost}]}
    created = client.post("/Groups", body)
    assert is_scim_error(created, 400, "invalidValue"), created
    assert error_location(caplog) == "/members/1/value"
    assert "groups" not in client.get(f"/Users/{user['id']}").json  # nothing written
    assert client.get("/Groups").json["totalResults"] == 0
    group = client.group("Real", user["id"])
    nested = client.group("Parent", group["id"], user["id"])  # a Group may be a member
    assert [m["value"] for m in nested["members"]] == [group["id"], user["id"]]
    replaced = client.put(f"/Groups/{group['id']}", body)
    assert is_scim_error(replaced, 400, "invalidValue"), replaced
    assert error_location(caplog) == "/members/1/value"
    patched = client.patch(
        f"/Groups/{group['id']}",
        {"op": "replace", "path": "displayName", "value": "renamed"},
        {"op": "Add", "path": "members", "value": [{"value": user["id"]}, {"value": ghost}]},
    )
    assert is_scim_error(patched, 400, "invalidValue"), patched
    assert error_location(caplog) == "/Operations/1/value/1/value"
    pathless = client.patch(f"/Groups/{group['id']}", {"op": "add", "value": {"members": [{"value": ghost}]}})
    assert is_scim_error(pathless, 400, "invalidValue"), pathless
    assert error_location(caplog) == "/Operations/0/value/members/0/value"
    kept = client.get(f"/Groups/{group['id']}").json
    assert kept["displayName"] == "Real" and kept["members"] == [{"value": user["id"]}]
    # Members already stored are not checked again: the Group can still be changed otherwise.
    assert client.patch(f"/Groups/{group['id']}", {"op": "replace", "path": "displayName", "value": "R"}).status == 200


def test_a_missing_member_is_located_at_its_value_never_at_an_equal_string(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    ghost = "ghost"
    body = {"schemas": [GROUP], "displayName": "G", "members": [{"display": ghost, "value": ghost}]}
    created = client.post("/Groups", body)
    assert is_scim_error(created, 400, "invalidValue"), created
    assert error_location(caplog) == "/members/0/value"
    # The key in any case, or under the Group schema URN.
    body = {"schemas": [GROUP], "displayName": ghost, "Members": [{"display": ghost, "VALUE": ghost}]}
    assert is_scim_error(client.post("/Groups", body), 400, "invalidValue")
    assert error_location(caplog) == "/Members/0/VALUE"
    group = client.group("G")
    path = f"/Groups/{group['id']}"
    qualified = {"schemas": [GROUP], "displayName": ghost, f"{GROUP}:members": [{"display": ghost, "value": ghost}]}
    assert is_scim_error(client.put(path, qualified), 400, "invalidValue")
    assert error_location(caplog) == f"/{GROUP}:members/0/value"
    rename = {"op": "replace", "path": "displayName", "value": ghost}
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([rename, {"op": "add", "path": "members", "value": [{"value": ghost}]}], "/Operations/1/value/0/value"),
        (
            [rename, {"op": "add", "path": "MEMBERS", "value": [{"display": ghost}, {"value": ghost}]}],
            "/Operations/1/value/1/value",
        ),
        (
            [rename, {"op": "add", "path": f"{GROUP}:members", "value": [{"value": ghost}]}],
            "/Operations/1/value/0/value",
        ),
        (
            [{"op": "add", "value": {"displayName": ghost, "Members": [{"display": ghost, "value": ghost}]}}],
            "/Operations/0/value/Members/0/value",
        ),
        # A filtered path adds a member when the filter matches none: from the value or the filter.
        (
            [rename, {"op": "add", "path": 'members[value eq "x"]', "value": {"value": ghost}}],
            "/Operations/1/value/value",
        ),
        (
            [rename, {"op": "add", "path": f'members[value eq "{ghost}"]', "value": {"display": ghost}}],
            "/Operations/1/path",
        ),
        ([rename, {"op": "add", "path": 'members[display eq "d"].value', "value": ghost}], "/Operations/1/value"),
    ]
    for ops, location in cases:
        patched = client.patch(path, *ops)
        assert is_scim_error(patched, 400, "invalidValue"), (ops, patched)
        assert error_location(caplog) == location, ops
    assert client.get(path).json == group


def test_deleting_a_group_removes_it_from_every_group_it_was_in(client: Client) -> None:
    user = client.user("nest")
    child = client.group("Child", user["id"])
    parent = client.group("Parent", child["id"], user["id"])
    other = client.group("Other", child["id"])
    time.sleep(0.005)
    assert client.delete(f"/Groups/{child['id']}").status == 204
    after = client.get(f"/Groups/{parent['id']}").json
    assert after["members"] == [{"value": user["id"]}]
    assert after["meta"]["lastModified"] > parent["meta"]["lastModified"]
    assert "members" not in client.get(f"/Groups/{other['id']}").json
    found = client.get(f"/Groups?filter=members.value%20eq%20%22{child['id']}%22").json
    assert found["totalResults"] == 0
    assert [g["value"] for g in client.get(f"/Users/{user['id']}").json["groups"]] == [parent["id"]]
    # A Group that lists itself is simply deleted.
    selfish = client.group("Selfish")
    itself = {"op": "add", "path": "members", "value": [{"value": selfish["id"]}]}
    assert client.patch(f"/Groups/{selfish['id']}", itself).status == 200
    assert client.delete(f"/Groups/{selfish['id']}").status == 204


def test_a_member_deleted_while_a_patch_adds_it_is_never_left_listed(tmp_path: Path) -> None:
    # Two services on one SQLite file (as two processes would be): each request is one
    # BEGIN IMMEDIATE transaction, so the PATCH either sees the member gone (400) or runs first
    # and the DELETE takes the member out again.
    db = str(tmp_path / "scim.sqlite3")
    one, two = (Client(ScimApp(Store(db, scimkit.Registry()), TOKEN)) for _ in range(2))
    group, user = one.group("Race"), one.user("race")
    assert two.delete(f"/Users/{user['id']}").status == 204
    late = one.patch(f"/Groups/{group['id']}", {"op": "add", "path": "members", "value": [{"value": user["id"]}]})
    assert is_scim_error(late, 400, "invalidValue"), late
    assert "members" not in one.get(f"/Groups/{group['id']}").json

    def race(i: int) -> list[Any]:
        group, user, child = one.group(f"Race {i}"), one.user(f"race{i}"), one.group(f"Race child {i}")
        answers: list[Answer] = [None] * 4  # type: ignore[list-item]

        def add(slot: int, member: dict[str, Any]) -> None:
            op = {"op": "add", "path": "members", "value": [{"value": member["id"]}]}
            answers[slot] = one.patch(f"/Groups/{group['id']}", op)

        def delete(slot: int, path: str) -> None:
            answers[slot] = two.delete(path)

        threads = [
            threading.Thread(target=add, args=(0, user)),
            threading.Thread(target=delete, args=(1, f"/Users/{user['id']}")),
            threading.Thread(target=add, args=(2, child)),
            threading.Thread(target=delete, args=(3, f"/Groups/{child['id']}")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for slot, answer in enumerate(answers):
            if slot % 2:
                assert answer.status == 204, answer
            else:
                assert answer.status == 200 or is_scim_error(answer, 400, "invalidValue"), answer
        return one.get(f"/Groups/{group['id']}").json.get("members", [])

    assert [race(i) for i in range(8)] == [[]] * 8


def test_a_unique_value_of_any_length_is_compared_never_made_into_a_filter(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scimkit.server")
    long = "u" * 9000 + ".x"
    assert client.post("/Users", {"schemas": [USER], "userName": long}).status == 201
    taken = client.post("/Users", {"schemas": [USER], "userName": long.upper()})
    assert is_scim_error(taken, 409, "uniqueness"), taken
    assert error_location(caplog) == "/userName"
    assert len(taken.json["detail"]) < 200  # the message quotes an excerpt
    # Short, but past 8 KB once escaped in a filter string.
    quotes = '"\\' * 3000 + ".q"
    other = client.user(quotes)
    clash = client.post("/Users", {"schemas": [USER], "userName": quotes})
    assert is_scim_error(clash, 409, "uniqueness"), clash
    renamed = client.patch(f"/Users/{other['id']}", {"op": "replace", "path": "userName", "value": long + ".2"})
    assert renamed.status == 200, renamed
    put = client.put(f"/Users/{other['id']}", {"schemas": [USER], "userName": long.title()})
    assert is_scim_error(put, 409, "uniqueness"), put


def test_an_empty_external_id_is_no_unique_value(client: Client) -> None:
    for i in (1, 2):
        user = client.post("/Users", {"schemas": [USER], "userName": f"empty{i}", "externalId": ""})
        assert user.status == 201 and user.json["externalId"] == "", user
        group = client.post("/Groups", {"schemas": [GROUP], "displayName": f"Empty {i}", "externalId": ""})
        assert group.status == 201, group
    third = client.user("empty3", externalId="x")
    assert client.patch(f"/Users/{third['id']}", {"op": "replace", "path": "externalId", "value": ""}).status == 200


def test_the_service_root_searches_every_type_and_sorts_across_them(client: Client) -> None:
    user = client.user("root.user", displayName="B root")
    group = client.group("A root")
    client.user("elsewhere", displayName="Nobody")
    query = "filter=" + urllib.parse.quote('displayName ew "root"')
    listed = client.get(f"/?{query}&attributes=displayName")
    assert listed.status == 200, listed
    assert sorted(r["id"] for r in listed.json["Resources"]) == sorted([group["id"], user["id"]])
    assert all(set(r) == {"id", "schemas", "displayName"} for r in listed.json["Resources"])
    sorted_ = client.get(f"/?{query}&sortBy=displayName&sortOrder=descending")
    assert sorted_.status == 200, sorted_
    assert [r["id"] for r in sorted_.json["Resources"]] == [user["id"], group["id"]]
    assert sorted_.json["Resources"][1]["meta"]["resourceType"] == "Group"
    assert client.get("/").json["totalResults"] == 3  # no query: every resource
    assert client.request("HEAD", f"/?{query}").status == 200
    # An attribute only Users have: Groups sort as missing values, last when ascending.
    search = {"schemas": [SEARCH], "filter": 'displayName ew "root"'}
    by_name = client.post("/.search", dict(search, sortBy="userName"))
    assert by_name.status == 200, by_name
    assert [r["id"] for r in by_name.json["Resources"]] == [user["id"], group["id"]]
    paged = client.post("/.search", dict(search, sortBy="displayName", startIndex=2, count=1)).json
    assert paged["totalResults"] == 2 and [r["id"] for r in paged["Resources"]] == [user["id"]]
    assert is_scim_error(client.post("/.search", dict(search, sortBy="nosuch")), 400, "invalidValue")
    assert is_scim_error(client.get("/?sortBy=password"), 400, "invalidValue")
    assert is_scim_error(client.get("/?filter=nosuch%20eq%20%22x%22"), 400, "invalidFilter")
    refused = client.post("/", {"schemas": [USER], "userName": "root2"})
    assert is_scim_error(refused, 405) and refused.headers["allow"] == "GET, HEAD"


def test_the_standard_library_server_takes_a_body_without_a_content_type() -> None:
    # wsgiref itself (server.py's handler), on a loopback port: a missing Content-Type is no
    # `text/plain`, so a JSON body without one is read, as a body with `application/json` is.
    import http.client
    from wsgiref.simple_server import make_server

    from server import LoggingHandler, ThreadingWSGIServer

    app = ScimApp(Store(":memory:", scimkit.Registry()), TOKEN)
    with make_server("127.0.0.1", 0, app, server_class=ThreadingWSGIServer, handler_class=LoggingHandler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            statuses = []
            for content_type in (None, "application/json", "text/plain"):
                conn = http.client.HTTPConnection("127.0.0.1", httpd.server_port, timeout=10)
                headers = {"Authorization": f"Bearer {TOKEN}"}
                if content_type is not None:
                    headers["Content-Type"] = content_type
                body = json.dumps({"schemas": [USER], "userName": f"plain-{content_type}"})
                conn.request("POST", "/Users", body=body, headers=headers)
                statuses.append(conn.getresponse().status)
                conn.close()
            assert statuses == [201, 201, 415]
        finally:
            httpd.shutdown()
            thread.join()
