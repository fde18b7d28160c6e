"""What only the Python edge can get wrong: exceptions, spans in code points, conversion of
Python objects (NaN, huge ints, non-str keys, lone surrogates, deep and cyclic data), raw
JSON as str/bytes, panics, and threads with the GIL released."""

from __future__ import annotations

import importlib
import json
import math
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import scimkit
from scimkit import InternalError, ScimError

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture(scope="module")
def registry() -> scimkit.Registry:
    return scimkit.Registry()


def user(**extra: Any) -> dict[str, Any]:
    return {"schemas": [USER], "userName": "bjensen", **extra}


# --- ScimError ---------------------------------------------------------------------------------


def test_scim_error_is_a_value_error_with_fields(registry: scimkit.Registry) -> None:
    with pytest.raises(ValueError) as info:
        registry.validate("User", {"schemas": [USER], "userName": 42, "active": "yes"})
    e = info.value
    assert isinstance(e, ScimError) and not isinstance(e, InternalError)
    assert e.scim_type == "invalidValue"
    assert e.status == 400
    assert e.location == "/active"
    assert e.span is None
    assert e.detail.startswith("2 errors; the first:")
    assert str(e).startswith(e.detail)
    assert sorted((x["scimType"], x["location"]) for x in e.errors) == [
        ("invalidValue", "/active"),
        ("invalidValue", "/userName"),
    ]
    assert all(set(x) >= {"scimType", "status", "location", "detail"} for x in e.errors)
    assert isinstance(e.notes, list)


def test_error_without_scim_type_has_status(registry: scimkit.Registry) -> None:
    with pytest.raises(ScimError) as info:
        registry.schema_document("urn:nope")
    assert info.value.status == 404
    assert info.value.scim_type is None
    assert info.value.to_response() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "detail": info.value.detail,
        "status": "404",
    }


def test_to_response_is_the_rfc_body(registry: scimkit.Registry) -> None:
    with pytest.raises(ScimError) as info:
        registry.validate("User", {"schemas": [USER], "userName": 42})
    body = info.value.to_response()
    assert body == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "scimType": "invalidValue",
        "detail": info.value.detail,
        "status": "400",
    }
    extended = scimkit.error_response(info.value)
    assert extended["status"] == "400"
    assert extended["urn:scimkit:api:messages:2.0:Errors"]["errors"][0]["location"] == "/userName"


def test_error_from_value_builds_an_error() -> None:
    e = scimkit.error_from_value({"status": 404, "detail": "no such user"})
    assert isinstance(e, ScimError) and e.status == 404 and e.detail == "no such user"
    several = scimkit.error_from_value(
        [{"scimType": "invalidValue", "detail": "a", "location": "/a"}, {"scimType": "mutability", "detail": "b"}]
    )
    assert several.location == "/a" and len(several.errors) == 2
    with pytest.raises(ScimError):
        scimkit.error_from_value({"status": 200})
    with pytest.raises(ScimError):
        scimkit.error_from_value([])
    with pytest.raises(TypeError):
        scimkit.error_response(ValueError("not ours"))  # type: ignore[arg-type]


def test_internal_error_is_a_500_scim_error_not_a_panic() -> None:
    native = importlib.import_module("scimkit._native")

    with pytest.raises(InternalError) as info:
        native._panic("boom")
    e = info.value
    assert isinstance(e, ScimError) and isinstance(e, Exception)
    assert e.status == 500 and e.scim_type is None
    assert "boom" in e.detail
    assert e.to_response()["status"] == "500"


# --- spans in code points -------------------------------------------------------------------------


def test_filter_span_counts_code_points() -> None:
    text = 'name.givenName eq "Ünïcödé😀" and'
    with pytest.raises(ScimError) as info:
        scimkit.Filter(text)
    e = info.value
    assert e.scim_type == "invalidFilter"
    assert e.span is not None
    # The error is at the end of the text: in code points that is len(text), not its UTF-8 size.
    assert e.span["end"] == len(text) != len(text.encode())
    assert e.errors[0]["span"] == e.span
    # The wire body keeps the core's byte offsets, the same in every runtime.
    wire = scimkit.error_response(e)["urn:scimkit:api:messages:2.0:Errors"]["errors"][0]["span"]
    assert wire["end"] == len(text.encode())


def test_check_span_points_at_the_attribute(registry: scimkit.Registry) -> None:
    text = 'displayName eq "Ærøskøbing" and nope eq 1'
    f = scimkit.Filter(text)
    with pytest.raises(ScimError) as info:
        f.check(registry, "User")
    span = info.value.span
    assert span is not None
    assert text[span["start"] : span["end"]] == "nope"


def test_path_span_counts_code_points() -> None:
    text = 'emails[value eq "é"].x.y'
    with pytest.raises(ScimError) as info:
        scimkit.parse_patch_path(text)
    span = info.value.span
    assert info.value.scim_type == "invalidPath" and span is not None
    assert text[span["start"] : span["end"]] == ".x.y"


def test_patch_path_span_inside_the_request(registry: scimkit.Registry) -> None:
    request: dict[str, Any] = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": 'emails[value eq "ü"] .value', "value": "x"}],
    }
    with pytest.raises(ScimError) as info:
        registry.apply_patch("User", user(id="1"), request)
    e = info.value
    assert e.scim_type == "invalidPath" and e.location == "/Operations/0/path"
    assert e.span is not None
    path = request["Operations"][0]["path"]
    assert path[e.span["start"] : e.span["end"]] == ".value"
    # The same request as raw JSON text: the span is found in the string at the location too.
    with pytest.raises(ScimError) as again:
        registry.apply_patch("User", user(id="1"), json.dumps(request).encode())
    assert again.value.span == e.span


# --- conversion of Python objects ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "location"),
    [
        (math.nan, "/nickName"),
        (math.inf, "/nickName"),
        (-math.inf, "/nickName"),
        (10**400, "/nickName"),
        ({1: "x"}, "/nickName"),
        ("\ud800", "/nickName"),
        ({"\udc00": "x"}, "/nickName"),
        ({"a": {1, 2}}, "/nickName/a"),
        ([b"bytes"], "/nickName/0"),
        (object(), "/nickName"),
    ],
    ids=["nan", "inf", "-inf", "10**400", "int-key", "lone-surrogate", "surrogate-key", "set", "bytes-inside", "object"],
)
def test_non_json_values_raise_scim_error(registry: scimkit.Registry, value: Any, location: str) -> None:
    with pytest.raises(ScimError) as info:
        registry.validate("User", user(nickName=value))
    assert info.value.scim_type == "invalidSyntax"
    assert info.value.status == 400
    assert info.value.location == location


@pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 10**25, -(10**300)])
def test_integers_beyond_64_bits_read_as_their_text_reads(number: int) -> None:
    # The double nearest the integer, as the core reads the same digits in JSON text.
    ext = "urn:example:params:scim:schemas:extension:2.0:Numbers"
    schema = {"id": ext, "name": "Numbers", "attributes": [{"name": "n", "type": "decimal"}]}
    kind = {"name": "User", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
            "schemaExtensions": [{"schema": ext}]}
    numbers = scimkit.Registry(schemas=[schema], resource_types=[kind])
    body = user(**{ext: {"n": number}})
    body["schemas"].append(ext)
    from_dict = numbers.validate("User", body)
    from_text = numbers.validate("User", json.dumps(body))
    assert from_dict == from_text
    assert from_dict["resource"][ext]["n"] == float(number)


def test_an_integer_past_a_doubles_range_is_refused_as_its_text_is() -> None:
    body = user(nickName=10**400)
    with pytest.raises(ScimError) as from_dict:
        scimkit.Registry().validate("User", body)
    with pytest.raises(ScimError) as from_text:
        scimkit.Registry().validate("User", json.dumps(body))
    assert from_dict.value.scim_type == from_text.value.scim_type == "invalidSyntax"


def test_decimals_and_aware_datetimes_read_as_their_json_forms() -> None:
    # What psycopg hands back for `numeric` and `timestamptz`: a row goes in as the driver gave it.
    import datetime
    import decimal

    mapping = scimkit.Mapping(
        scimkit.Registry(),
        "User",
        {"layout": "columns", "table": "users", "key": "id", "attributes": {
            "userName": {"column": "user_name"}, "meta.lastModified": {"column": "modified"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter": {"column": "cost"}}},
    )
    when = datetime.datetime(2011, 5, 13, 4, 42, 34, 500000, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    row = {"id": "1", "user_name": "bjensen", "modified": when, "cost": "4130"}
    resource = mapping.from_record({"row": row})
    assert resource["meta"]["lastModified"] == mapping.from_record({"row": {**row, "modified": when.isoformat()}})["meta"]["lastModified"]
    registry = scimkit.Registry()
    out = registry.validate("User", user(id="1", meta={"lastModified": when}), mode="response")
    assert out["resource"]["meta"]["lastModified"] == "2011-05-13T04:42:34.500000+02:00"
    number = scimkit.Filter("x eq 1.25").matches({"x": decimal.Decimal("1.25")})
    assert number
    assert scimkit.Filter("x eq 100").matches({"x": decimal.Decimal("1E+2")})
    for bad in (decimal.Decimal("NaN"), decimal.Decimal("-Infinity"), datetime.datetime(2011, 5, 13), datetime.date(2011, 5, 13)):
        with pytest.raises(ScimError) as info:
            registry.validate("User", user(nickName=bad))
        assert info.value.scim_type == "invalidSyntax"
        assert info.value.location == "/nickName"


def test_64_bit_integers_pass_exactly() -> None:
    assert scimkit.Filter("x eq 18446744073709551615").matches({"x": 2**64 - 1})
    assert scimkit.Filter("x eq -9223372036854775808").matches({"x": -(2**63)})
    assert not scimkit.Filter("x eq 9007199254740993").matches({"x": 9007199254740992})


def test_deep_nesting_raises_scim_error(registry: scimkit.Registry) -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ScimError) as info:
        registry.validate("User", user(nickName=deep))
    assert info.value.scim_type == "invalidSyntax"
    # Moderately deep: the core's own depth limit answers.
    with pytest.raises(ScimError) as info:
        registry.validate("User", user(nickName=json.loads("[" * 60 + "]" * 60)))
    assert info.value.scim_type == "invalidSyntax"


def test_cyclic_data_raises_scim_error(registry: scimkit.Registry) -> None:
    cyclic: dict[str, Any] = {"schemas": [USER], "userName": "x"}
    cyclic["self"] = cyclic
    with pytest.raises(ScimError):
        registry.validate("User", cyclic)
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ScimError):
        scimkit.etag(looped)


def test_lone_surrogate_in_string_arguments() -> None:
    with pytest.raises(ScimError):
        scimkit.Filter('userName eq "\ud800"')
    with pytest.raises(ScimError):
        scimkit.parse_patch_path("\udfff")
    with pytest.raises(ScimError):
        scimkit.Registry().validate("Us\ud800er", user())


def test_tuples_and_subclasses_are_json(registry: scimkit.Registry) -> None:
    class D(dict):  # type: ignore[type-arg]
        pass

    class S(str):
        pass

    out = registry.validate("User", D(schemas=(USER,), userName=S("bjensen")))
    assert out["resource"]["userName"] == "bjensen"
    assert type(out["resource"]["userName"]) is str
    assert out["resource"]["schemas"] == [USER]


def test_wrong_python_types_are_type_errors(registry: scimkit.Registry) -> None:
    with pytest.raises(TypeError):
        registry.validate(42, user())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scimkit.Filter(b"userName pr")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        registry.sort("User", 42, "userName")  # type: ignore[arg-type]
    # Text for a list is JSON text, read as such.
    with pytest.raises(ScimError):
        registry.sort("User", "not a list", "userName")


# --- raw JSON as str and bytes ---------------------------------------------------------------------


def test_str_bytes_and_dict_give_the_same_result(registry: scimkit.Registry) -> None:
    body = user(name={"givenName": "Barbara"}, displayName="Bäbs")
    text = json.dumps(body, ensure_ascii=False)
    a = registry.validate("User", body)
    b = registry.validate("User", text)
    c = registry.validate("User", text.encode())
    # A body some frameworks hand over as a bytearray or a memoryview is JSON text too.
    d = registry.validate("User", bytearray(text.encode()))
    e = registry.validate("User", memoryview(text.encode()))
    assert a == b == c == d == e
    with pytest.raises(ScimError) as bad:
        registry.validate("User", bytearray(b'{"userName": "a", "userName": "b"}'))
    assert bad.value.scim_type == "invalidSyntax"


def test_text_forms_answer_the_resource_as_the_core_wrote_it(registry: scimkit.Registry) -> None:
    body = {"schemas": [USER], "USERNAME": "bjensen", "emails": [{"value": "b@example.com"}]}
    plain, text = registry.validate("User", body), registry.validate_text("User", body)
    assert isinstance(text["resource"], str) and json.loads(text["resource"]) == plain["resource"]
    assert text["notes"] == plain["notes"] != []
    stored = '{"schemas":["%s"],"userName":"b","ratio":10.0,"big":9007199254740993}' % USER
    request = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "title", "value": "Boss"}]}
    done = registry.apply_patch_text("User", stored, request)
    # Numbers as they were written (beyond 2^53, 10.0), keys in the core's order.
    assert done["resource"] == (
        '{"big":9007199254740993,"ratio":10.0,"schemas":["%s"],"title":"Boss","userName":"b"}' % USER
    )
    assert done["changes"] == [{"op": "add", "attribute": "title", "new": "Boss"}]
    assert {k: v for k, v in done.items() if k != "resource"} == {
        k: v for k, v in registry.apply_patch("User", stored, request).items() if k != "resource"
    }
    with pytest.raises(ScimError) as failed:
        registry.apply_patch_text("User", stored, {"schemas": [], "Operations": []})
    assert failed.value.status == 400


def test_a_held_resource_is_patched_in_place_atomically_and_across_threads(registry: scimkit.Registry) -> None:
    patch_op = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    def replace(path: str, value: Any) -> dict[str, Any]:
        return {"schemas": [patch_op], "Operations": [{"op": "replace", "path": path, "value": value}]}

    held = registry.hold("User", '{"schemas":["%s"],"userName":"b","ratio":10.0,"big":9007199254740993}' % USER)
    assert held.resource_type == "User"
    assert held.apply_patch(replace("title", "Boss"))["changes"] == [{"op": "add", "attribute": "title", "new": "Boss"}]
    second = held.apply_patch(json.dumps(replace("title", "Chief")))
    assert second["changes"] == [{"op": "replace", "attribute": "title", "old": "Boss", "new": "Chief"}]
    assert held.resource_text() == (
        '{"big":9007199254740993,"ratio":10.0,"schemas":["%s"],"title":"Chief","userName":"b"}' % USER
    )
    assert held.resource() == json.loads(held.resource_text())
    # A request failing part way leaves everything as it was.
    before = held.resource_text()
    failing = {"schemas": [patch_op], "Operations": [{"op": "replace", "path": "title", "value": "X"},
                                                     {"op": "remove", "path": "id"}]}
    with pytest.raises(ScimError) as failed:
        held.apply_patch(failing)
    assert (failed.value.scim_type, failed.value.location) == ("mutability", "/Operations/1/path")
    assert held.resource_text() == before
    # Threads patching one held resource take turns: no PATCH is lost. Each request is JSON text
    # over 8 KiB, so the PATCH runs with the interpreter lock let go, and the threads really
    # meet at the resource's own lock.
    counter = registry.hold("User", {"schemas": [USER], "userName": "c"})

    def add_email(i: int) -> None:
        counter.apply_patch(json.dumps({"schemas": [patch_op], "Operations": [
            {"op": "add", "path": "emails", "value": [{"value": f"u{i}@example.com", "display": "d" * 9000}]}]}))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add_email, range(200)))
    assert len(counter.resource()["emails"]) == 200
    with pytest.raises(ScimError) as refused:
        registry.hold("Widget", {"schemas": [USER]})
    assert refused.value.scim_type == "invalidValue"
    with pytest.raises(ScimError):
        registry.hold("User", "[1]")
    with pytest.raises(TypeError):
        scimkit.HeldResource()  # type: ignore[call-arg]


def test_a_list_of_resources_may_be_one_json_text(registry: scimkit.Registry) -> None:
    users = [{"schemas": [USER], "id": str(i), "userName": name} for i, name in enumerate(["c", "a", "b"])]
    as_bytes = json.dumps(users).encode()
    for text in (json.dumps(users), as_bytes, bytearray(as_bytes), memoryview(as_bytes)):
        # Read as one JSON array, as in JS: never as a sequence of characters or bytes.
        assert [u["userName"] for u in registry.sort("User", text, "userName")] == ["a", "b", "c"]
        assert len(scimkit.ResourceSet(text)) == 3
        assert scimkit.Filter('userName eq "a"').matches_all(text, registry, "User") == [False, True, False]
        query = scimkit.list_query_from_query_string("count=2")
        assert registry.list_response("User", text, query)["totalResults"] == 3
        assert scimkit.list_response_from_page(text, 3, 1)["itemsPerPage"] == 3
    with pytest.raises(ScimError) as info:
        scimkit.ResourceSet(b'{"not": "an array"}')
    assert info.value.scim_type == "invalidSyntax"


def test_limits_take_any_whole_number_even_past_64_bits() -> None:
    # As in JS, where such a number arrives as a double: the core saturates it.
    request = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": []}
    assert scimkit.bulk_plan(request, max_operations=2**64, max_payload_size=10**30)["operations"] == []
    assert scimkit.list_query_from_query_string("count=5", max_count=2**70).count == 5
    registry = scimkit.Registry()
    assert registry.validate("User", {"schemas": [USER], "userName": "a"}, limits={"maxDepth": 2**80})["resource"]
    with pytest.raises(ScimError) as info:
        scimkit.bulk_plan(request, max_operations=-(2**64))
    assert info.value.scim_type == "invalidValue"


def test_page_numbers_are_judged_by_the_core_as_js_numbers_are() -> None:
    # Whole floats are numbers like any other; an int past a double's range is refused by the
    # core (as infinity), not by Python's OverflowError; a bool is not a number, as in JS.
    assert scimkit.list_response_from_page([], 5e12)["totalResults"] == 5_000_000_000_000
    assert scimkit.list_response_from_page([], 3, 0)["startIndex"] == 1
    for total, start, at in [(10**400, 1, "/totalResults"), (-(10**400), 1, "/totalResults"), (3, 2.5, "/startIndex")]:
        with pytest.raises(ScimError) as info:
            scimkit.list_response_from_page([], total, start)
        assert (info.value.scim_type, info.value.status, info.value.location) == ("invalidValue", 400, at)
    for total in (True, "3", None):
        with pytest.raises(TypeError):
            scimkit.list_response_from_page([], total)  # type: ignore[arg-type]

    class Index:  # as numpy's integers are
        def __index__(self) -> int:
            return 7

    assert scimkit.list_response_from_page([], Index())["totalResults"] == 7  # type: ignore[arg-type]


def test_a_dict_is_read_as_its_text_would_be_keys_again_in_another_case_and_depth(
    registry: scimkit.Registry,
) -> None:
    # A key given again in another case is refused at the key given later, as the reader
    # refuses it in text (and as JS, which writes objects out as text, answers).
    for body in ({"schemas": [USER], "userName": "a", "USERNAME": "b"}, {"schemas": [USER], "USERNAME": "b", "userName": "a"}):
        with pytest.raises(ScimError) as info:
            registry.validate("User", body)
        later = list(body)[-1]
        assert (info.value.scim_type, info.value.location) == ("invalidSyntax", f"/{later}")
        assert info.value.detail.startswith(f"key `{later}` appears more than once")
    # A stored resource so written is answered as its text would be: the server's own data.
    request = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "title", "value": "x"}]}
    stored = {"schemas": [USER], "userName": "a", "TITLE": "a", "title": "b"}
    for run in (lambda s: registry.apply_patch("User", s, request), lambda s: registry.hold("User", s)):
        with pytest.raises(ScimError) as info:
            run(stored)
        assert info.value.scim_type == "invalidValue"
        assert info.value.detail == str_error(lambda: run(json.dumps(stored))).detail
    # Nesting beyond the reader's limit is refused where the text would be, at the same place.
    deep: dict = {"v": 1}
    for _ in range(40):
        deep = {"a": deep}
    with pytest.raises(ScimError) as info:
        scimkit.Filter("a pr").matches(deep)
    assert info.value.scim_type == "invalidSyntax"
    assert info.value.location == str_error(lambda: scimkit.Filter("a pr").matches(json.dumps(deep))).location


def str_error(call: Any) -> ScimError:
    """The ScimError `call` raises."""
    with pytest.raises(ScimError) as info:
        call()
    return info.value


def test_a_dict_is_held_to_the_size_limit_its_text_would_be(registry: scimkit.Registry) -> None:
    body = {"schemas": [USER], "userName": "bjensen", "displayName": "Barbara Jensen é"}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    size = len(text.encode())
    limits = {"maxBodyBytes": size - 1}
    for given in (body, text):
        with pytest.raises(ScimError) as info:
            registry.validate("User", given, limits=limits)
        assert info.value.status == 413
        assert f"the body is {size} bytes" in info.value.detail
    assert registry.validate("User", body, limits={"maxBodyBytes": size})["resource"]["userName"] == "bjensen"
    request = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "path": "title", "value": "Boss"}]}
    for stored in (body, text):
        with pytest.raises(ScimError) as info:
            registry.apply_patch("User", stored, request, limits=limits)
        assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
        with pytest.raises(ScimError) as info:
            registry.hold("User", stored, limits=limits)
        assert (info.value.status, info.value.scim_type) == (400, "invalidValue")


def test_text_is_read_strictly(registry: scimkit.Registry) -> None:
    with pytest.raises(ScimError) as info:
        registry.validate("User", '{"schemas": ["%s"], "userName": "a", "USERNAME": "b"}' % USER)
    assert info.value.scim_type == "invalidSyntax"
    with pytest.raises(ScimError) as info:
        registry.validate("User", b'{"userName": "\xff"}')
    assert info.value.scim_type == "invalidSyntax"
    with pytest.raises(ScimError):
        registry.validate("User", "{")


def test_dict_keys_differing_in_case_are_duplicates(registry: scimkit.Registry) -> None:
    with pytest.raises(ScimError) as info:
        registry.validate("User", {"schemas": [USER], "userName": "a", "USERNAME": "b"})
    assert info.value.scim_type == "invalidSyntax"


def test_options_map_snake_case_and_core_reports_unknown(registry: scimkit.Registry) -> None:
    out = registry.validate("User", user(junk=1), unknown_attributes="ignore")
    assert "junk" not in out["resource"]
    with pytest.raises(ScimError) as info:
        registry.validate("User", user(), no_such_option=True)  # type: ignore[call-arg]
    assert info.value.scim_type == "invalidValue"
    # Named in the options' camelCase, as every runtime names it, at its place.
    assert "noSuchOption" in info.value.detail
    assert info.value.location == "/noSuchOption"
    # None means "not given": the core's default applies.
    assert registry.validate("User", user(), mode=None)["resource"]["userName"] == "bjensen"


# --- the rest of the surface, briefly ----------------------------------------------------------------


def test_filter_object(registry: scimkit.Registry) -> None:
    f = scimkit.Filter('userName Eq "BJENSEN"')
    assert str(f) == 'userName eq "BJENSEN"'
    assert f.text == 'userName Eq "BJENSEN"'
    assert f.ast == {"op": "eq", "path": "userName", "value": "BJENSEN"}
    assert f.matches(user(), registry, "User")
    checked = f.check(registry, "User")
    assert checked.matches_all([user(), user(userName="x")]) == [True, False]
    assert str(checked) == str(f)
    with pytest.raises(ScimError):
        scimkit.Filter("a pr and b pr", max_comparisons=1)
    # A registry without a resource type would go unused (`id` is caseExact in the schema).
    assert scimkit.Filter('id eq "U1"').matches({"id": "u1"}) is True
    assert scimkit.Filter('id eq "U1"').matches({"id": "u1"}, registry, "User") is False
    for call in (
        lambda: scimkit.Filter('id eq "U1"').matches({"id": "u1"}, registry),
        lambda: scimkit.Filter('id eq "U1"').matches_all([{"id": "u1"}], registry),
        lambda: scimkit.Filter('usrName eq "x"').check(registry),
    ):
        with pytest.raises(TypeError, match="without a resource type"):
            call()


def test_list_query_and_response(registry: scimkit.Registry) -> None:
    q = scimkit.list_query_from_query_string("filter=userName+sw+%22b%22&sortBy=userName&count=1", max_count=5)
    assert (q.filter, q.sort_by, q.count, q.start_index, q.sort_order) == ('userName sw "b"', "userName", 1, 1, "ascending")
    users = [user(id="2", userName="bob"), user(id="1", userName="ann"), user(id="3", userName="bea")]
    page = registry.list_response("User", users, q)
    assert page["totalResults"] == 2 and [r["id"] for r in page["Resources"]] == ["3"]
    search = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": 3}
    assert scimkit.list_query_from_search_request(search).count == 3


def test_any_iterable_of_resources_is_read_one_at_a_time(registry: scimkit.Registry) -> None:
    users = [user(id=str(i), userName=f"u{(i * 37) % 100:03}", title="ab"[i % 2]) for i in range(100)]
    seen: list[int] = []

    def rows() -> Any:
        for i, u in enumerate(users):
            seen.append(i)
            yield u

    for text in ("count=7", "filter=title+eq+%22b%22&sortBy=userName&sortOrder=descending&startIndex=4&count=3"):
        q = scimkit.list_query_from_query_string(text)
        seen.clear()
        # A generator (a database cursor, say) answers as the list does, read to its end.
        assert registry.list_response("User", rows(), q) == registry.list_response("User", users, q)
        assert seen == list(range(100))
        assert registry.list_response("User", iter(users), q) == registry.list_response("User", tuple(users), q)
    q = scimkit.list_query_from_query_string("count=2")
    # What the iterable raises comes through as it is; an item that is no resource is refused
    # at its place.

    def failing() -> Any:
        yield users[0]
        raise LookupError("the cursor went away")

    with pytest.raises(LookupError, match="the cursor went away"):
        registry.list_response("User", failing(), q)
    taken: list[int] = []

    def with_a_number() -> Any:
        for i, u in enumerate([users[0], 5, users[1]]):
            taken.append(i)
            yield u

    with pytest.raises(ScimError) as info:
        registry.list_response("User", with_a_number(), q)
    assert (info.value.scim_type, info.value.location) == ("invalidValue", "/1")
    assert taken == [0, 1], "the iterable is read no further than the item refused"
    # A mapping is no list of resources (iterating it would give its keys).
    with pytest.raises(TypeError):
        registry.list_response("User", {"a": users[0]}, q)  # type: ignore[arg-type]


def test_an_error_inside_a_listed_resource_is_located_as_in_the_lists_text(registry: scimkit.Registry) -> None:
    q = scimkit.list_query_from_query_string("count=5")
    # What JSON text cannot hold (the vectors cover nesting): located under the item's index
    # whether the list is a list, a tuple, an iterable or a host-cut page.
    for bad, location in ((float("nan"), "/1/x"), ({1: 2}, "/1/x"), ([{"ok": float("inf")}], "/1/x/0/ok")):
        items = [user(id="1"), {**user(id="2"), "x": bad}]
        for form in (items, tuple(items), iter(items)):
            with pytest.raises(ScimError) as info:
                registry.list_response("User", form, q)
            assert (info.value.scim_type, info.value.location) == ("invalidSyntax", location)
        with pytest.raises(ScimError) as info:
            scimkit.list_response_from_page(items, 2)
        assert info.value.location == location


def test_bulk_runner_iterates() -> None:
    request = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        "Operations": [{"method": "POST", "path": "/Users", "bulkId": "q1", "data": user()}],
    }
    runner = scimkit.BulkRunner(request, "https://example.com/v2")
    ops = []
    for op in runner:
        ops.append(op)
        runner.record({"status": 201, "id": "u1"})
    assert [op["method"] for op in ops] == ["POST"]
    response = runner.finish()
    assert response["Operations"][0]["status"] == "201"
    assert runner.next_operation() is None


# --- threads and the GIL ---------------------------------------------------------------------------


def test_validate_from_many_threads(registry: scimkit.Registry) -> None:
    big = user(
        emails=[{"value": f"user{i}@example.com", "type": "work"} for i in range(400)],
        displayName="é" * 2000,
    )
    small = user()
    expected_big = registry.validate("User", big)
    expected_small = registry.validate("User", small)
    assert len(json.dumps(big)) > 16_384  # large enough that the GIL is released

    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    def work(i: int) -> bool:
        body, expected = (big, expected_big) if i % 2 == 0 else (small, expected_small)
        return registry.validate("User", body) == expected

    counter = threading.Thread(target=count)
    counter.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(200)))
    finally:
        stop.set()
        counter.join()
    assert all(results)
    assert ticks > 0


def test_errors_from_many_threads(registry: scimkit.Registry) -> None:
    bad = user(userName=42, emails=[{"value": "x", "primary": "yes"}] * 300)

    def work(_: int) -> tuple[str | None, int]:
        try:
            registry.validate("User", bad)
        except ScimError as e:
            return e.scim_type, len(e.errors)
        return None, 0

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = set(pool.map(work, range(40)))
    assert len(results) == 1 and next(iter(results))[0] == "invalidValue"


def test_scim_error_pickles(registry: scimkit.Registry) -> None:
    import copy
    import pickle

    with pytest.raises(ScimError) as info:
        registry.validate("User", {"schemas": [USER], "userName": 42, "active": "yes"})
    e = info.value
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is ScimError
    assert (back.scim_type, back.status, back.location, back.span, back.detail, back.errors) == (
        e.scim_type,
        e.status,
        e.location,
        e.span,
        e.detail,
        e.errors,
    )
    assert back.to_response() == e.to_response()
    assert scimkit.error_response(back) == scimkit.error_response(e)
    assert copy.copy(e).to_response() == e.to_response()


def test_resource_set_holds_resources_and_filters_them_many_times() -> None:
    users = [{"userName": f"user{i}", "active": i % 2 == 0} for i in range(50)]
    users.append('{"userName": "BJensen", "active": true}')
    held = scimkit.ResourceSet(users)
    assert len(held) == 51
    active = scimkit.Filter("active eq true").check(scimkit.Registry(), "User")
    assert held.matching(active) == [i for i in range(50) if i % 2 == 0] + [50]
    # A second filter on the same attribute reads the kept column; schema-less works too.
    assert held.matching(scimkit.Filter('userName eq "bjensen"').check()) == [50]
    with pytest.raises(scimkit.ScimError):
        scimkit.ResourceSet(["{not json"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_import_reserves_little_address_space() -> None:
    # The extension allocates through mimalloc with its arena reservation cut to 64 MiB
    # (bindings-python/pyproject.toml): out of the box it reserves 1 GiB at import.
    probe = (
        "import re\n"
        "def size():\n"
        "    return int(re.search(r'VmSize:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
        "before = size()\n"
        "import scimkit\n"
        "scimkit.Registry().validate('User', '{\"schemas\": [\"" + USER + "\"], \"userName\": \"bjensen\"}')\n"
        "print(size() - before)\n"
    )
    grown_kib = int(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
    assert grown_kib < 256 * 1024, f"importing scimkit reserved {grown_kib // 1024} MiB of address space"


def test_dict_keys_read_by_content_whatever_their_type_claims() -> None:
    # Member names are cached by hash and compared as `str`; a subclass that claims to be a
    # cached name (same hash, equal to everything) is read as its own text. In a fresh process,
    # so the cache starts empty and `nickName` surely holds its slot.
    probe = (
        "import json, scimkit\n"
        f"USER = {USER!r}\n"
        "class Liar(str):\n"
        "    def __hash__(self): return hash('nickName')\n"
        "    def __eq__(self, other): return True\n"
        "registry = scimkit.Registry()\n"
        "registry.validate('User', {'schemas': [USER], 'userName': 'a', 'nickName': 'n'})\n"
        "out = registry.validate('User', {'schemas': [USER], 'userName': 'b', Liar('displayName'): 'Babs'})\n"
        "assert out['resource']['displayName'] == 'Babs' and 'nickName' not in out['resource'], out\n"
        "for i in range(3):\n"
        "    fresh = json.loads(json.dumps({'schemas': [USER], 'userName': f'u{i}', 'nickName': 'n'}))\n"
        "    assert registry.validate('User', fresh)['resource']['nickName'] == 'n'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_forked_workers_keep_working(registry: scimkit.Registry) -> None:
    # Pre-fork servers (gunicorn, uwsgi) fork after import, maybe while other threads are inside
    # scimkit with the GIL released (bodies of 8 KiB and more): the children's calls (allocator,
    # name caches) must neither hang nor crash.
    big = {"schemas": [USER], "userName": "bjensen", "displayName": "x" * 16384}
    small = {"schemas": [USER], "userName": "bjensen", "emails": [{"value": "b@example.com", "type": "work"}]}
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            registry.validate("User", big)

    threads = [threading.Thread(target=busy) for _ in range(2)]
    for t in threads:
        t.start()
    children = []
    try:
        for _ in range(4):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child reports through its exit status
                code = 0
                try:
                    for _ in range(100):
                        registry.validate("User", small)
                        registry.validate("User", big)
                    done = registry.apply_patch("User", small, {
                        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                        "Operations": [{"op": "replace", "path": "userName", "value": "babs"}],
                    })
                    code = 0 if done["resource"]["userName"] == "babs" else 3
                except BaseException:
                    code = 2
                os._exit(code)
            children.append(pid)
    finally:
        stop.set()
        for t in threads:
            t.join()
    # Wait with a deadline: a child that hangs is a failure, not a hung test run.
    deadline = time.monotonic() + 60
    statuses: dict[int, int] = {}
    while len(statuses) < len(children) and time.monotonic() < deadline:
        for pid in children:
            if pid not in statuses:
                done_pid, status = os.waitpid(pid, os.WNOHANG)
                if done_pid:
                    statuses[pid] = status
        time.sleep(0.01)
    hung = [pid for pid in children if pid not in statuses]
    for pid in hung:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert not hung, f"{len(hung)} forked children hung"
    assert sorted(statuses.values()) == [0, 0, 0, 0]
