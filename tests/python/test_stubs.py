"""The stubs (`scimkit/__init__.pyi`) must describe every export.

Two checks: names (every public name of the package is defined in the stub, read with `ast`),
and mypy's stubtest (signatures, classes, attributes) when mypy is installed, as
bindings-python/build.sh does.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import scimkit


def stub_path() -> Path:
    return Path(scimkit.__file__).with_name("__init__.pyi")


def stub_names() -> set[str]:
    tree = ast.parse(stub_path().read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_py_typed_ships() -> None:
    assert Path(scimkit.__file__).with_name("py.typed").is_file()


def test_every_export_has_a_stub() -> None:
    public = {n for n in dir(scimkit) if not n.startswith("_")} | {"__version__"}
    missing = sorted(public - stub_names())
    assert not missing, f"exports without a stub in {stub_path()}: {missing}"
    assert set(scimkit.__all__) == {n for n in public if hasattr(scimkit, n)}


def test_every_native_export_is_reexported() -> None:
    native_module = importlib.import_module("scimkit._native")
    native = {n for n in dir(native_module) if not n.startswith("_")}
    assert native <= set(scimkit.__all__), f"not re-exported: {sorted(native - set(scimkit.__all__))}"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_stubtest(tmp_path: Path) -> None:
    # Run from an empty directory: the package comes from the environment, mypy's cache
    # stays out of the repository.
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "scimkit"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
