"""scimkit from Python against scim2-models, one run: per-operation medians and the ratios.

    .venv/bin/pip install scim2-models==0.12.3     # the comparison library (pure Python + pydantic)
    .venv/bin/python bindings-python/bench/bench.py [--quick] [--json FILE]

Workloads (the same inputs as the Rust benches in core/benches/, so the figures line up):

- W1  validate examples/payloads/user-full.json (1.8 KB, EnterpriseUser) as a create-User request.
      scimkit: Registry.validate(mode="create"); scim2-models:
      User[EnterpriseUser].model_validate(..., scim_ctx=Context.RESOURCE_CREATION_REQUEST)
      (model_validate_json for bytes).
- W2  parse the 50 varied filters of core/benches/filter.rs (one operation = all 50).
      scimkit: Filter(text); scim2-models: ScimFilter(text), its parser (Lark, LALR), with its
      parse cache cleared before every operation so each filter is really parsed.
- W4a apply the six-operation Entra ID PATCH examples/patch/entra-user.json to user-full.json.
      scimkit: Registry.apply_patch(profile="entra") on the request as Entra sends it.
      scim2-models: PatchOp[User[EnterpriseUser]].model_validate(...).patch(user) on a deep copy
      of a validated user — with `manager` rewritten as {"value": …}: scim2-models cannot apply
      Entra's plain-string manager (it raises), the other five operations it takes as sent.
- W5  the ListResponse of 1,000 generated users (core/benches/protocol.rs) with
      attributes=userName,emails, as a Python dict. scimkit: Registry.list_response over the
      users as dicts, or as JSON texts (rows out of a database). scim2-models: the same inputs
      through User[EnterpriseUser].model_validate / model_validate_json, then
      ListResponse[…](resources=…).model_dump(scim_ctx=SEARCH_RESPONSE, response_parameters=…).
      The row "models" is scim2-models' best case, the models already built (nothing parsed),
      against scimkit from dicts.

"dict" means Python objects in and out; "bytes" means the input as raw JSON bytes (what a
web framework hands over, what a database column holds). Each figure is the median of several
samples of many operations, with the garbage collector on, as in a server. The ratio is
scim2-models' median over scimkit's.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scimkit

ROOT = Path(__file__).resolve().parents[2]
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
TARGET = 20.0


def filters_to_parse() -> list[str]:
    """The 50 filters of core/benches/filter.rs."""
    out = [
        'userName eq "bjensen"',
        'name.familyName co "O\'Malley"',
        'userName sw "J"',
        'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
        "title pr",
        'meta.lastModified gt "2011-05-13T04:42:34Z"',
        'meta.lastModified ge "2011-05-13T04:42:34Z"',
        'meta.lastModified lt "2011-05-13T04:42:34Z"',
        'meta.lastModified le "2011-05-13T04:42:34Z"',
        'title pr and userType eq "Employee"',
        'title pr or userType eq "Intern"',
        'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        'userType eq "Employee" and (emails.type eq "work")',
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        'externalId eq "00u1abcdEFGH2345"',
        'displayName eq "Sales Reps"',
        'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"',
        "active eq true",
        "active eq false and title pr",
        'name.givenName sw "Bar" and name.familyName ew "sen"',
        r'a eq "\u00e9\ud83d\ude00 \"quoted\""',
        "n gt 9007199254740993 and n lt 1.5e300",
        'not (emails[type eq "work"]) or not (phoneNumbers pr)',
        "(a pr or b pr) and (c pr or d pr) and (e pr or f pr)",
        'userName Eq "john"',
    ]
    out += [f'userName eq "user{i}@example.com" or externalId eq "ext-{i}"' for i in range(20)]
    assert len(out) == 50
    return out


def generated_user(i: int) -> dict[str, Any]:
    """A full user as core/benches/protocol.rs makes it (~1.3 KB)."""
    family = ["Jensen", "Smith", "O'Malley", "Nguyen", "García", "Müller"][i % 6]
    return {
        "schemas": [USER_URN, ENTERPRISE],
        "id": f"2819c223-7f76-453a-919d-{i:012}",
        "externalId": f"ext-{i}",
        "userName": f"user{i}@example.com",
        "password": "t1meMa$heen",
        "name": {"formatted": f"Ms. Barbara {family} {i}", "familyName": family, "givenName": "Barbara"},
        "displayName": f"Babs {family} {i}",
        "title": "Tour Guide",
        "active": i % 7 != 0,
        "emails": [
            {"value": f"user{i}@example.com", "type": "work", "primary": True},
            {"value": f"babs{i}@home.example.org", "type": "home"},
        ],
        "phoneNumbers": [{"value": "555-555-8377", "type": "work"}],
        "addresses": [
            {
                "streetAddress": "100 Universal City Plaza",
                "locality": "Hollywood",
                "region": "CA",
                "postalCode": "91608",
                "country": "USA",
                "type": "work",
                "primary": True,
            }
        ],
        ENTERPRISE: {
            "employeeNumber": str(i),
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"},
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": 'W/"3694e05e9dff591"',
            "location": f"https://example.com/v2/Users/{i}",
        },
    }


def measure(fn: Callable[[], Any], sample_seconds: float, samples: int) -> float:
    """Median seconds per call over `samples` samples of about `sample_seconds` each."""
    fn()
    number, elapsed = 1, 0.0
    while True:  # calibrate: enough calls for one sample to last sample_seconds
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= sample_seconds / 4:
            break
        number *= 2
    number = max(1, int(number * sample_seconds / elapsed))
    times = []
    gc.collect()
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


class Fresh:
    """A call that changes its input in place (a held resource's PATCH): each call gets an input
    of its own, made untimed shortly before (`GROUP` at a time), as criterion's `iter_batched`
    does for the Rust core."""

    GROUP = 16

    def __init__(self, make: Callable[[], Any], call: Callable[[Any], Any]) -> None:
        self.make, self.call = make, call


def measure_fresh(fresh: Fresh, sample_seconds: float, samples: int) -> float:
    """Median seconds per call of `fresh.call` over inputs made outside the time."""

    def run(number: int) -> float:
        total = 0.0
        for done in range(0, number, Fresh.GROUP):
            inputs = [fresh.make() for _ in range(min(Fresh.GROUP, number - done))]
            start = time.perf_counter()
            for item in inputs:
                fresh.call(item)
            total += time.perf_counter() - start
        return total

    number = 1
    while (elapsed := run(number)) < sample_seconds / 4:
        number *= 2
    number = max(1, int(number * sample_seconds / elapsed))
    gc.collect()
    return statistics.median(run(number) / number for _ in range(samples))


def scimkit_cases() -> dict[tuple[str, str], Any]:
    registry = scimkit.Registry()
    user_bytes = (ROOT / "examples/payloads/user-full.json").read_bytes()
    user = json.loads(user_bytes)
    patch_bytes = (ROOT / "examples/patch/entra-user.json").read_bytes()
    patch = json.loads(patch_bytes)
    filters = filters_to_parse()
    users = [generated_user(i) for i in range(1000)]
    user_texts = [json.dumps(u).encode() for u in users]
    query = scimkit.list_query_from_query_string("attributes=userName,emails&count=1000")

    # The outputs are checked once, so the timed work is the real work.
    assert registry.validate("User", user, mode="create")["resource"]["userName"] == "mrivera@example.org"
    patched = registry.apply_patch("User", user_bytes, patch_bytes, profile="entra")["resource"]
    assert patched["active"] is False and patched[ENTERPRISE]["department"] == "Security"
    listed = registry.list_response("User", users, query)
    assert listed["totalResults"] == 1000 and set(listed["Resources"][0]) == {"emails", "id", "schemas", "userName"}
    assert registry.list_response("User", user_texts, query) == listed

    return {
        ("W1", "dict"): lambda: registry.validate("User", user, mode="create"),
        ("W1", "bytes"): lambda: registry.validate("User", user_bytes, mode="create"),
        ("W1", "text"): lambda: registry.validate_text("User", user_bytes, mode="create"),
        ("W2", "str"): lambda: [scimkit.Filter(f) for f in filters],
        ("W4a", "dict"): lambda: registry.apply_patch("User", user, patch, profile="entra"),
        ("W4a", "bytes"): lambda: registry.apply_patch("User", user_bytes, patch_bytes, profile="entra"),
        ("W4a", "text"): lambda: registry.apply_patch_text("User", user_bytes, patch_bytes, profile="entra"),
        ("W4a", "held"): Fresh(
            lambda: registry.hold("User", user_bytes), lambda held: held.apply_patch(patch, profile="entra")
        ),
        ("W4a", "held, report none"): Fresh(
            lambda: registry.hold("User", user_bytes),
            lambda held: held.apply_patch(patch_bytes, profile="entra", report="none"),
        ),
        ("W5", "dict"): lambda: registry.list_response("User", users, query),
        ("W5", "bytes"): lambda: registry.list_response("User", user_texts, query),
        ("W5", "models"): lambda: registry.list_response("User", users, query),
    }


def scim2_models_cases() -> dict[tuple[str, str], Callable[[], Any]]:
    from scim2_models import Context, EnterpriseUser, ListResponse, PatchOp, ResponseParameters, ScimFilter, User
    from scim2_models.path import grammar

    model = User[EnterpriseUser]
    user_bytes = (ROOT / "examples/payloads/user-full.json").read_bytes()
    user = json.loads(user_bytes)
    patch = json.loads((ROOT / "examples/patch/entra-user.json").read_bytes())
    patch["Operations"][3]["value"] = {"value": patch["Operations"][3]["value"]}  # manager: see above
    patch_bytes = json.dumps(patch).encode()
    filters = filters_to_parse()
    users = [generated_user(i) for i in range(1000)]
    user_texts = [json.dumps(u).encode() for u in users]
    models = [model.model_validate(u) for u in users]
    selection: Any = ResponseParameters.model_validate({"attributes": ["userName", "emails"]})
    validated = model.model_validate(user, scim_ctx=Context.RESOURCE_CREATION_REQUEST)

    def parse_filters() -> list[Any]:
        grammar._cached_filter.cache_clear()  # measure parsing, not its cache
        return [ScimFilter(f) for f in filters]

    def apply(request: Any, from_bytes: bool) -> Any:
        op_model = PatchOp[model]
        op = (
            op_model.model_validate_json(request, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
            if from_bytes
            else op_model.model_validate(request, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        )
        target = validated.model_copy(deep=True)
        op.patch(target)
        return target

    def list_dump(resources: list[Any]) -> dict[str, Any]:
        answer = ListResponse[model](total_results=len(resources), start_index=1, resources=resources)
        dumped: dict[str, Any] = answer.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=selection)
        return dumped

    parsed = parse_filters()
    assert len(parsed) == 50
    done = apply(patch, False)
    assert done.active is False and done[EnterpriseUser].department == "Security"
    dumped = list_dump(models)
    assert set(dumped["Resources"][0]) == {"emails", "id", "schemas", "userName"}, dumped["Resources"][0]

    return {
        ("W1", "dict"): lambda: model.model_validate(user, scim_ctx=Context.RESOURCE_CREATION_REQUEST),
        ("W1", "bytes"): lambda: model.model_validate_json(user_bytes, scim_ctx=Context.RESOURCE_CREATION_REQUEST),
        ("W2", "str"): parse_filters,
        ("W4a", "dict"): lambda: apply(patch, False),
        ("W4a", "bytes"): lambda: apply(patch_bytes, True),
        ("W5", "dict"): lambda: list_dump([model.model_validate(u) for u in users]),
        ("W5", "bytes"): lambda: list_dump([model.model_validate_json(t) for t in user_texts]),
        ("W5", "models"): lambda: list_dump(models),
    }


WHAT = {
    ("W1", "dict"): "validate user-full.json (create), from dict",
    ("W1", "bytes"): "validate user-full.json (create), from bytes",
    ("W1", "text"): "the same, the resource answered as JSON text (validate_text)",
    ("W2", "str"): "parse 50 filters",
    ("W4a", "dict"): "Entra 6-op PATCH on user-full, from dicts",
    ("W4a", "bytes"): "Entra 6-op PATCH on user-full, from bytes",
    ("W4a", "text"): "the same, the resource answered as JSON text (apply_patch_text)",
    ("W4a", "held"): "the same on a resource held on the Rust side (Registry.hold), patched in place",
    ("W4a", "held, report none"): "held, the request as bytes, report=\"none\": no change records or notes made",
    ("W5", "dict"): "ListResponse of 1,000 users, attributes=userName,emails, from dicts",
    ("W5", "bytes"): "the same from JSON texts",
    ("W5", "models"): "the same; scim2-models from built models (its best case), scimkit from dicts",
}


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:9.3f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:9.2f} µs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter samples (a smoke run)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    sample_seconds, samples = (0.05, 3) if args.quick else (0.25, 9)

    ours = scimkit_cases()
    try:
        theirs = scim2_models_cases()
        other = f"scim2-models {importlib.metadata.version('scim2-models')}"
    except ImportError:
        theirs, other = {}, "scim2-models (not installed: pip install scim2-models)"

    print(f"scimkit {scimkit.__version__} vs {other}; Python {platform.python_version()} on {platform.machine()}")
    print(f"median of {samples} samples of ~{sample_seconds}s each, gc on\n")
    header = f"{'workload':5} {'input':6} {'scimkit':>12} {'scim2-models':>13} {'ratio':>8}  what"
    print(header)
    print("-" * len(header))
    results = []
    below = []
    for key, fn in ours.items():
        mine = measure_fresh(fn, sample_seconds, samples) if isinstance(fn, Fresh) else measure(fn, sample_seconds, samples)
        other_time = measure(theirs[key], sample_seconds, samples) if key in theirs else None
        ratio = other_time / mine if other_time else None
        if ratio is not None and key[1] != "models" and ratio < TARGET:
            below.append(f"{key[0]} {key[1]} ({ratio:.1f}×)")
        shown_other = fmt(other_time) if other_time else "          —"
        shown_ratio = f"{ratio:7.1f}×" if ratio else "       —"
        print(f"{key[0]:5} {key[1]:6} {fmt(mine):>12} {shown_other:>13} {shown_ratio:>8}  {WHAT[key]}", flush=True)
        results.append(
            {"workload": key[0], "input": key[1], "scimkit_s": mine, "scim2_models_s": other_time, "ratio": ratio}
        )
    if theirs:
        verdict = "met on every like-for-like row" if not below else "NOT met for " + ", ".join(below)
        print(f"\ntarget ≥ {TARGET:.0f}× (same input for both; the 'models' row is shown, not counted): {verdict}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
