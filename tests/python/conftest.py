"""Shared helpers for the Python tests: where the vectors are, and how they are read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"


def vector_files() -> list[Path]:
    """Every vector file, sorted, as the Rust runner reads them (all `*.json` but the schema)."""
    return sorted(p for p in VECTORS.rglob("*.json") if p.name != "vector.schema.json")


def load_vectors() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(file name relative to tests/vectors, file document, case) for every case."""
    for path in vector_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(VECTORS).as_posix()
        for case in doc.get("cases", []):
            yield name, doc, case
