#!/usr/bin/env bash
# Builds the Python package `scimkit` and runs its tests. Idempotent; needs only python3 (with
# venv and pip) and Rust. Everything else comes from PyPI (pinned) and crates.io.
#
#   bash bindings-python/build.sh            # venv + maturin develop + pytest + wheel smoke test
#   bash bindings-python/build.sh --no-wheel # skip the wheel smoke test
#
# Steps:
#   1. `.venv` at the repository root (created when missing) with maturin, pytest and mypy
#      (mypy for stubtest, which tests/python/test_stubs.py runs).
#   2. `maturin develop --release` installs the package into that venv (editable), as the
#      cp310-abi3 build when the venv's Python is 3.10 or newer.
#   3. `pytest tests/python -q`: every shared vector, the Python edge cases, the stub check.
#   4. tests/python/wheel_smoke.sh: `maturin build --release`, both abi3 wheels (cp39-abi3 and
#      cp310-abi3), the one pip picks installed in a fresh venv, imported and tested there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

wheel=1
for arg in "$@"; do
    case "$arg" in
        --no-wheel) wheel=0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check maturin==1.16.0 pytest==9.2.0 mypy==2.4.1

export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"

# The extension for this venv's Python: the cp310-abi3 build from 3.10 on (it reads strings in
# place), the cp39-abi3 one on 3.9 (see the features in bindings-python/Cargo.toml).
# Features given on the command line replace pyproject's, so `extension-module` is named again.
abi3=(--no-default-features --features pyo3/extension-module,abi3-py310)
"$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || abi3=()
echo "== maturin develop --release ${abi3[*]+${abi3[*]}}"
(cd "$root/bindings-python" && maturin develop --release ${abi3[@]+"${abi3[@]}"})

echo "== pytest tests/python"
python -m pytest "$root/tests/python" -q -p no:cacheprovider

if [ "$wheel" = 1 ]; then
    echo "== wheel smoke test"
    bash "$root/tests/python/wheel_smoke.sh"
fi
