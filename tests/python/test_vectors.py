"""Runs every shared vector in tests/vectors/ through the Python package.

The same rules as the Rust runner (core/tests/vectors.rs and core/tests/protocol_ops/):
one dispatch entry per operation, an unknown operation fails, skips only through SKIP with a
reason, and outcomes compared exactly as `check` / `check_value` / `check_error` do there.

Where the Rust runner hands the core `value.to_string()`, this runner hands the package the
value itself (dicts and lists are JSON documents); a JSON *string* value is passed as its
JSON text, since a Python `str` document means raw JSON text. Raw `text` inputs stay `str`,
so the core reads them strictly (duplicate keys, malformed JSON).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Any, Callable, Mapping, Optional

import pytest

import scimkit
from conftest import load_vectors, vector_files

# Cases this runner skips, each with the reason. Empty: every case runs.
SKIP: dict[str, str] = {}

Json = Any


# --- helpers -------------------------------------------------------------------------------


def canon(value: Json) -> str:
    """A value as canonical JSON text: equal texts mean equal JSON (1, 1.0 and true differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)


def same(a: Json, b: Json) -> bool:
    return canon(a) == canon(b)


def doc(value: Json) -> Json:
    """A JSON value as the package takes documents: a JSON string value as its JSON text."""
    return json.dumps(value) if isinstance(value, str) else value


def snake(options: Optional[dict[str, Json]]) -> dict[str, Json]:
    """camelCase option names as keyword arguments (the package maps them back by its table)."""
    return {re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), k): v for k, v in (options or {}).items()}


def pointer(value: Json, ptr: str) -> Json:
    """RFC 6901: the part of `value` at `ptr` (KeyError/IndexError when absent)."""
    if ptr == "":
        return value
    for raw in ptr.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def pick(inp: dict[str, Json], value: Json) -> Json:
    ptr = inp.get("pointer")
    if isinstance(ptr, str):
        try:
            return pointer(value, ptr)
        except (KeyError, IndexError, ValueError, TypeError) as e:
            raise AssertionError(f"nothing at `{ptr}` in {canon(value)}") from e
    return value


def registry(inp: dict[str, Json]) -> scimkit.Registry:
    return scimkit.Registry(schemas=inp.get("schemas", []), resource_types=inp.get("resourceTypes", []))


def resource_type(inp: dict[str, Json]) -> str:
    rt = inp.get("resourceType")
    return rt if isinstance(rt, str) else "User"


def text_or(inp: dict[str, Json], key: str, what: str) -> Json:
    """`text` (raw JSON) when it is a string, else the document under `key`."""
    if isinstance(inp.get("text"), str):
        return inp["text"]
    if key in inp:
        return doc(inp[key])
    raise AssertionError(f"a {what} case needs `{key}` or `text`")


def string(inp: dict[str, Json], key: str) -> str:
    value = inp.get(key)
    assert isinstance(value, str), f"the input needs a string `{key}`"
    return value


def opt_string(inp: dict[str, Json], key: str) -> Optional[str]:
    value = inp.get(key)
    return value if isinstance(value, str) else None


# --- operations ------------------------------------------------------------------------------


def op_validate(inp: dict[str, Json], text_form: bool = False) -> Json:
    reg = registry(inp)
    body = text_or(inp, "body", "validate")
    run = reg.validate_text if text_form else reg.validate
    return run(resource_type(inp), body, **snake(inp.get("options")))


def op_patch_apply(inp: dict[str, Json], text_form: bool = False) -> Json:
    reg = registry(inp)
    request = text_or(inp, "request", "patch")
    run = reg.apply_patch_text if text_form else reg.apply_patch
    return run(resource_type(inp), doc(inp.get("resource")), request, **snake(inp.get("options")))


def op_patch_held(inp: dict[str, Json]) -> Json:
    """The same PATCH applied to the resource held on the Rust side (`Registry.hold`, read under
    the PATCH's limits), answered like `apply_patch_text`. A PATCH that fails must leave the held
    resource as it was."""
    reg = registry(inp)
    options = inp.get("options")
    limits = options.get("limits") if isinstance(options, dict) else None
    held = reg.hold(resource_type(inp), doc(inp.get("resource")), **snake({"limits": limits}))
    before = held.resource_text()
    try:
        report = held.apply_patch(text_or(inp, "request", "patch"), **snake(options))
    except scimkit.ScimError:
        after = held.resource_text()
        assert after == before, f"a failed PATCH changed the held resource:\n was {before}\n now {after}"
        raise
    return {"resource": held.resource_text(), **report}


# The operations with text forms (the resource answered as JSON text): each case of theirs runs
# every way, and each form must say exactly what the object form said.
TEXT_FORMS: dict[str, dict[str, Callable[[dict[str, Json]], Json]]] = {
    "validate": {"validate_text": lambda inp: op_validate(inp, text_form=True)},
    "patch.apply": {
        "apply_patch_text": lambda inp: op_patch_apply(inp, text_form=True),
        "HeldResource.apply_patch": op_patch_held,
    },
}


def check_text_forms(operation: str, inp: dict[str, Json], got: Json) -> Optional[str]:
    for name, form in TEXT_FORMS.get(operation, {}).items():
        why = check_text_form(operation, form, inp, got)
        if why is not None:
            return f"{name}: {why}"
    return None


def check_text_form(
    operation: str, form: Callable[[dict[str, Json]], Json], inp: dict[str, Json], got: Json
) -> Optional[str]:
    """`got` is the object form's result, or the ScimError it raised."""
    try:
        text = form(inp)
    except scimkit.ScimError as e:
        if not isinstance(got, scimkit.ScimError):
            return f"text form failed where the object form succeeded: {canon(error_record(e, operation, inp))}"
        a, b = error_record(got, operation, inp), error_record(e, operation, inp)
        return None if a == b else f"text form failed differently: {canon(b)}"
    if isinstance(got, scimkit.ScimError):
        return f"text form succeeded where the object form failed: {text!r}"
    resource = text.get("resource")
    if not isinstance(resource, str):
        return f"text form gave a resource of type {type(resource).__name__}"
    if resource != json.dumps(json.loads(resource), ensure_ascii=False, separators=(",", ":")):
        return f"text form resource is not compact JSON: {resource!r}"
    if not same(json.loads(resource), got["resource"]):
        return f"text form resource differs: {resource}"
    others = {k: v for k, v in text.items() if k != "resource"}
    expected = {k: v for k, v in got.items() if k != "resource"}
    return None if same(others, expected) else f"text form fields differ: {canon(others)}"


def op_patch_diff(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    rt = resource_type(inp)
    old, new = doc(inp.get("old")), doc(inp.get("new"))
    ops = reg.diff(rt, old, new)
    if isinstance(ops, dict) and ops.get("Operations") == []:
        # Nothing to send: the resources must be the same.
        assert same(inp.get("old"), inp.get("new")), "diff found no change between different resources"
        return ops
    # The law every diff keeps: applying it to `old` gives `new`.
    done = reg.apply_patch(rt, old, ops)
    assert same(done["resource"], inp.get("new")), f"diff broke apply(old, diff(old, new)) == new: {canon(ops)}"
    return ops


def op_filter_parse(inp: dict[str, Json]) -> Json:
    f = scimkit.Filter(string(inp, "filter"), **snake(inp.get("limits")))
    return {"canonical": str(f), "ast": f.ast}


def op_filter_check(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    rt = resource_type(inp)
    return str(scimkit.Filter(string(inp, "filter")).check(reg, rt))


def op_filter_evaluate(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    resources = inp["resources"]
    assert isinstance(resources, list), "`resources` must be an array"
    docs = [doc(r) for r in resources]
    rt = opt_string(inp, "resourceType")
    # Without a resource type the filter is schema-less, and takes no registry.
    reg_if_typed = reg if rt is not None else None
    flags = scimkit.Filter(string(inp, "filter")).matches_all(docs, reg_if_typed, rt)
    # The same answer from a ResourceSet (which reads the resources into columns).
    checked = scimkit.Filter(string(inp, "filter")).check(reg_if_typed, rt)
    positions = scimkit.ResourceSet(docs).matching(checked)
    assert positions == [i for i, m in enumerate(flags) if m], "a ResourceSet disagrees with matches_all"
    return flags


def op_path_parse(inp: dict[str, Json]) -> Json:
    return scimkit.parse_patch_path(string(inp, "path"))


def list_query(inp: dict[str, Json]) -> scimkit.ListQuery:
    opts = snake(inp.get("options"))
    if isinstance(inp.get("query"), str):
        return scimkit.list_query_from_query_string(inp["query"], **opts)
    if "searchRequest" in inp:
        return scimkit.list_query_from_search_request(doc(inp["searchRequest"]), **opts)
    if isinstance(inp.get("searchRequestText"), str):
        return scimkit.list_query_from_search_request(inp["searchRequestText"], **opts)
    return scimkit.list_query_from_query_string("", **opts)


def op_query(inp: dict[str, Json]) -> Json:
    return list_query(inp).to_dict()


def op_project(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    return reg.project(
        resource_type(inp),
        doc(inp.get("resource")),
        attributes=inp.get("attributes"),
        excluded_attributes=inp.get("excludedAttributes"),
        request=inp.get("request"),
    )


def op_sort(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    order = opt_string(inp, "sortOrder")
    ordered = reg.sort(resource_type(inp), [doc(r) for r in inp["resources"]], string(inp, "sortBy"), order)
    return [r.get("id") if isinstance(r, dict) else None for r in ordered]


def op_list_response(inp: dict[str, Json]) -> Json:
    if "totalResults" in inp:
        start = inp.get("startIndex")
        return scimkit.list_response_from_page([doc(r) for r in inp["resources"]], inp["totalResults"], start)
    reg = registry(inp)
    query = list_query(inp)
    resources = [doc(r) for r in inp["resources"]]
    # The same list as JSON text is read one resource at a time; it must answer alike.
    try:
        streamed: Json = reg.list_response(resource_type(inp), json.dumps(resources), query)
    except scimkit.ScimError as e:
        streamed = ("error", e.scim_type, e.location)
    try:
        whole: Json = reg.list_response(resource_type(inp), resources, query)
    except scimkit.ScimError as e:
        assert streamed == ("error", e.scim_type, e.location), streamed
        raise
    assert streamed == whole, "the list read as text answers otherwise"
    return whole


def failure_of(run: Callable[[], Any], what: str) -> scimkit.ScimError:
    try:
        run()
    except scimkit.ScimError as e:
        return e
    raise AssertionError(f"the {what} must fail")


def op_error_response(inp: dict[str, Json]) -> Json:
    if "errors" in inp:
        error = scimkit.error_from_value(inp["errors"])
        assert isinstance(error, scimkit.ScimError)
    elif "validate" in inp:
        error = failure_of(lambda: op_validate(inp["validate"]), "`validate` input")
    else:
        error = failure_of(lambda: list_query(inp), "query")
    return pick(inp, scimkit.error_response(error))


def op_discovery(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    base = opt_string(inp, "baseUrl")
    document = inp["document"]
    if "filter" in inp:
        scimkit.refuse_filter(opt_string(inp, "filter"))
    if "query" in inp:
        scimkit.refuse_filter_in_query(string(inp, "query"))
    if document == "serviceProviderConfig":
        out = scimkit.service_provider_config(base, **snake(inp.get("options")))
    elif document == "resourceTypes":
        out = reg.resource_types(base)
    elif document == "schemas":
        out = reg.schemas(base)
    elif document == "schema":
        out = reg.schema_document(string(inp, "id"), base)
    elif document == "resourceType":
        out = reg.resource_type_document(string(inp, "id"), base)
    else:
        raise AssertionError(f"unknown discovery document `{document}`")
    return pick(inp, out)


def op_etag(inp: dict[str, Json]) -> Json:
    return scimkit.etag(doc(inp.get("resource")))


def op_meta(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    return reg.fill_meta(resource_type(inp), doc(inp.get("resource")), **snake(inp.get("options")))


def op_value_location(inp: dict[str, Json]) -> Json:
    reg = registry(inp)
    return reg.value_location(resource_type(inp), doc(inp.get("request")), string(inp, "attribute"), string(inp, "value"))


def op_preconditions(inp: dict[str, Json]) -> Json:
    return scimkit.evaluate_preconditions(
        string(inp, "method"), opt_string(inp, "current"), opt_string(inp, "ifMatch"), opt_string(inp, "ifNoneMatch")
    )


def op_bulk_plan(inp: dict[str, Json]) -> Json:
    plan = scimkit.bulk_plan(text_or(inp, "request", "bulk"), **snake(inp.get("limits")))
    for op in plan["operations"]:
        op.pop("data", None)
    return plan


def op_bulk_response(inp: dict[str, Json]) -> Json:
    runner = scimkit.BulkRunner(
        text_or(inp, "request", "bulk"), opt_string(inp, "baseUrl"), **snake(inp.get("limits"))
    )
    outcomes = iter(inp["outcomes"])
    executed = []
    for op in runner:
        executed.append(op)
        outcome = next(outcomes, None)
        assert outcome is not None, f"no outcome for operation {canon(op)}"
        runner.record(doc(outcome))
    assert next(outcomes, None) is None, "more outcomes than operations run"
    return {"executed": executed, "response": runner.finish()}


def mapping_of(inp: dict[str, Json]) -> scimkit.Mapping:
    return scimkit.Mapping(registry(inp), resource_type(inp), doc(inp.get("mapping")))


def op_mapping_to_record(inp: dict[str, Json]) -> Json:
    mapping = mapping_of(inp)
    record = mapping.to_record(doc(inp.get("resource")))
    # The law every mapping keeps: storing what a record gives back stores the same record.
    again = mapping.to_record(mapping.from_record(record))
    assert same(again, record), f"to_record(from_record(record)) != record: {canon(again)}"
    return record


def op_mapping_from_record(inp: dict[str, Json]) -> Json:
    return mapping_of(inp).from_record(doc(inp.get("record")))


def op_sql_translate(inp: dict[str, Json]) -> Json:
    return mapping_of(inp).to_sql(string(inp, "filter"), string(inp, "dialect"))


# One line per operation, as OPERATIONS in core/tests/vectors.rs.
OPERATIONS: dict[str, Callable[[dict[str, Json]], Json]] = {
    "validate": op_validate,
    "patch.apply": op_patch_apply,
    "patch.diff": op_patch_diff,
    "filter.parse": op_filter_parse,
    "filter.check": op_filter_check,
    "filter.evaluate": op_filter_evaluate,
    "path.parse": op_path_parse,
    "protocol.query": op_query,
    "protocol.project": op_project,
    "protocol.sort": op_sort,
    "protocol.listResponse": op_list_response,
    "protocol.errorResponse": op_error_response,
    "protocol.discovery": op_discovery,
    "protocol.etag": op_etag,
    "protocol.meta": op_meta,
    "protocol.preconditions": op_preconditions,
    "protocol.valueLocation": op_value_location,
    "protocol.bulkPlan": op_bulk_plan,
    "protocol.bulkResponse": op_bulk_response,
    "mapping.toRecord": op_mapping_to_record,
    "mapping.fromRecord": op_mapping_from_record,
    "sql.translate": op_sql_translate,
}


# --- comparison (check / check_value / check_error of the Rust runner) -----------------------


def span_text(operation: str, inp: dict[str, Json], location: Optional[str]) -> Optional[str]:
    """The string a span points into: the string at the error's location in the request
    document when there is one, else the filter or path text of the case (for a list
    response, the filter of its query)."""
    for key in ("request", "searchRequest"):
        if location is not None and isinstance(inp.get(key), (dict, list)):
            try:
                found = pointer(inp[key], location)
            except (KeyError, IndexError, ValueError, TypeError):
                found = None
            if isinstance(found, str):
                return found
    for key in ("filter", "path", "sortBy"):
        if isinstance(inp.get(key), str):
            return inp[key]
    if operation == "protocol.listResponse":
        return list_query(inp).filter  # the filter of the query string or SearchRequest
    return None


def byte_offset(text: str, code_points: int) -> int:
    return len(text[:code_points].encode("utf-8", "surrogatepass"))


def span_bytes(span: Optional[Mapping[str, Any]], text: Optional[str]) -> Optional[dict[str, int]]:
    """A code-point span (as the package reports it) in bytes of the UTF-8 text (as vectors)."""
    if span is None:
        return None
    assert text is not None, f"a span {span} without a text to measure it in"
    return {"start": byte_offset(text, span["start"]), "end": byte_offset(text, span["end"])}


def error_record(e: scimkit.ScimError, operation: str, inp: dict[str, Json]) -> dict[str, Json]:
    return {
        "scimType": e.scim_type,
        "status": e.status,
        "location": e.location,
        "span": span_bytes(e.span, span_text(operation, inp, e.location)),
    }


def all_details(e: scimkit.ScimError) -> str:
    return "; ".join(f"{x['detail']} @ {x.get('location')!r}" for x in e.errors)


def note_record(n: Json) -> Json:
    n = n if isinstance(n, dict) else {}
    return {"code": n.get("code"), "quirk": n.get("quirk"), "location": n.get("location")}


def check_value(want: Json, got: Json) -> Optional[str]:
    if not (isinstance(want, dict) and ("resource" in want or "notes" in want)):
        return None if same(want, got) else f"value differs:\n want {canon(want)}\n got  {canon(got)}"
    got_map = got if isinstance(got, dict) else {}
    for key, expected in want.items():
        actual = got_map.get(key)
        if key in ("notes", "quirks"):

            def records(v: Json) -> Json:
                return [note_record(n) for n in v] if isinstance(v, list) else None

            expected, actual = records(expected), records(actual)
        if not same(expected, actual):
            return f"{key} differs:\n want {canon(expected)}\n got  {canon(actual)}"
    return None


def check_error(want: dict[str, Json], e: scimkit.ScimError, operation: str, inp: dict[str, Json]) -> Optional[str]:
    got = error_record(e, operation, inp)
    for key in ("scimType", "status", "location", "span"):
        if key in want and not same(want[key], got[key]):
            return f"error {key} differs: want {canon(want[key])}, got {canon(got[key])} ({all_details(e)})"
    if "notes" in want:
        want_notes = [note_record(n) for n in want["notes"]] if isinstance(want["notes"], list) else None
        got_notes = [note_record(n) for n in e.notes]
        if not same(want_notes, got_notes):
            return f"error notes differ:\n want {canon(want_notes)}\n got  {canon(got_notes)}"
    if "errors" in want:
        want_list = sorted(canon({"scimType": w.get("scimType"), "location": w.get("location")}) for w in want["errors"])
        got_list = sorted(canon({"scimType": x.get("scimType"), "location": x.get("location")}) for x in e.errors)
        if want_list != got_list:
            return f"errors differ:\n want {want_list}\n got  {got_list}\n details {all_details(e)}"
    return None


def dump(case_id: str, outcome: dict[str, Json]) -> None:
    """SCIMKIT_VECTORS_DUMP=FILE appends each case's outcome as one JSON line, in the form the
    Rust runner writes, for the cross-runtime agreement check (tests/agreement/compare.py)."""
    path = os.environ.get("SCIMKIT_VECTORS_DUMP")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"id": case_id, **outcome}, ensure_ascii=False) + "\n")


def check(expect: dict[str, Json], operation: str, inp: dict[str, Json], case_id: str = "") -> Optional[str]:
    run = OPERATIONS[operation]
    has_value, has_error = "value" in expect, "error" in expect
    if has_value == has_error:
        return "`expect` needs exactly one of `value` and `error`"
    try:
        got = run(inp)
        dump(case_id, {"value": got})
    except scimkit.ScimError as e:
        got = e
        record = error_record(e, operation, inp)
        dump(case_id, {
            "error": record,
            "errors": [{"scimType": x.get("scimType"), "location": x.get("location")} for x in e.errors],
            "notes": [note_record(n) for n in e.notes],
        })
    why = check_object_form(expect, operation, inp, got)
    if why is not None:
        return why
    return check_text_forms(operation, inp, got)


def check_object_form(expect: dict[str, Json], operation: str, inp: dict[str, Json], got: Json) -> Optional[str]:
    """What the case expects against what the object form gave (a result or a ScimError)."""
    if isinstance(got, scimkit.ScimError):
        if "error" in expect:
            return check_error(expect["error"], got, operation, inp)
        return f"expected success, got {canon(error_record(got, operation, inp))}: {all_details(got)}"
    if "value" in expect:
        return check_value(expect["value"], got)
    return f"expected an error, got {canon(got)}"


# --- the tests --------------------------------------------------------------------------------

CASES = list(load_vectors())


def test_vectors_found() -> None:
    assert vector_files(), "no vector files under tests/vectors"
    assert CASES, "no vector cases under tests/vectors"


def test_case_ids_are_unique() -> None:
    twice = [i for i, n in Counter(case["id"] for _, _, case in CASES).items() if n > 1]
    assert not twice, f"case ids used twice: {twice}"


def test_every_operation_is_known() -> None:
    unknown = sorted({f"{name}: `{d.get('operation')}`" for name, d, _ in CASES if d.get("operation") not in OPERATIONS})
    assert not unknown, f"unknown operations: {unknown}"


def test_skip_list_names_real_cases() -> None:
    ids = {case["id"] for _, _, case in CASES}
    assert set(SKIP) <= ids, f"SKIP names cases that do not exist: {sorted(set(SKIP) - ids)}"


@pytest.mark.parametrize(("name", "document", "case"), CASES, ids=[case["id"] for _, _, case in CASES])
def test_vector(name: str, document: dict[str, Json], case: dict[str, Json]) -> None:
    if case["id"] in SKIP:
        pytest.skip(SKIP[case["id"]])
    operation = document.get("operation")
    if operation not in OPERATIONS:
        pytest.fail(f"{name}: unknown operation `{operation}`")
    why = check(case["expect"], operation, case["input"], case["id"])
    if why is not None:
        pytest.fail(f"{name} [{case['id']}]: {why}", pytrace=False)
