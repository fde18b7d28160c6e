"""Cross-runtime agreement: every vector's outcome must be the same, byte for byte after
canonical JSON, in every runtime that ran it (Rust, Python, Node native, WebAssembly).

Each runner writes one JSON line per case when SCIMKIT_VECTORS_DUMP names a file:
{"id", "value"} or {"id", "error": {scimType, status, location, span}, "errors": [{scimType, location}],
"notes": [{code, quirk, location}]}.

    python3 tests/agreement/compare.py rust.jsonl python.jsonl [node-native.jsonl node-wasm.jsonl]

Exits 1 naming every case whose outcomes differ or that a runtime did not run.
"""

import json
import sys

# Cases whose outcome cannot be the same in JavaScript, each with the reason. They still run in
# every runtime and pass their own expectations there; only the byte comparison is waived.
JS_NUMBERS = {
    "filter.parse.literal.exponent-kept-as-written":
        "the AST holds the number 100.0; JavaScript numbers have no separate float form, so JSON.parse gives 100",
    "filter.parse.literal.big-integer-exact":
        "the AST holds 9007199254740993, beyond 2^53: the JS package refuses to round it and raises instead",
    "sql.translate.sqlite.columns.numbers":
        "the SQL parameters hold 2^53, beyond the integers JavaScript holds exactly: the JS package raises instead",
}


def canonical(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != "id"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                out[record["id"]] = canonical(record)
    return out


def main(paths: list[str]) -> int:
    if len(paths) < 2:
        print(__doc__)
        return 2
    runs = {p: load(p) for p in paths}
    reference_path = paths[0]
    reference = runs[reference_path]
    problems = []
    for path, outcomes in runs.items():
        missing = sorted(set(reference) - set(outcomes))
        extra = sorted(set(outcomes) - set(reference))
        if missing:
            problems.append(f"{path}: {len(missing)} cases not run, e.g. {missing[:5]}")
        if extra:
            problems.append(f"{path}: {len(extra)} cases not in {reference_path}, e.g. {extra[:5]}")
        for case_id, text in outcomes.items():
            waived = "node" in path and case_id in JS_NUMBERS
            if case_id in reference and text != reference[case_id] and not waived:
                problems.append(f"{case_id}: {path} differs from {reference_path}\n  {reference[case_id][:300]}\n  {text[:300]}")
    for p in problems:
        print(p)
    print(f"agreement: {len(reference)} cases across {len(paths)} runtimes, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
