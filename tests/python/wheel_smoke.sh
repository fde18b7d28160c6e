#!/usr/bin/env bash
# Builds both abi3 wheels with `maturin build --release` — cp39-abi3 (default features) and
# cp310-abi3 (`--no-default-features --features abi3-py310`, which reads strings in place) —
# lets pip pick one for a fresh venv (nothing else from the repository on the path), checks it
# picked the newest floor the venv's Python allows, and runs the Python tests against it there.
# When a Python 3.9 is at hand (`python3.9` on the PATH, or one pyenv installed), the cp39-abi3
# wheel is also installed, imported and used there.
# Uses the repository's `.venv` for maturin, creating it when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
[ -x "$venv/bin/maturin" ] || "$venv/bin/python" -m pip install -q --disable-pip-version-check maturin==1.16.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

manifest="$root/bindings-python/Cargo.toml"
"$venv/bin/maturin" build --release --manifest-path "$manifest" --out "$work/wheels"
# Features given on the command line replace pyproject's, so `extension-module` is named again.
"$venv/bin/maturin" build --release --manifest-path "$manifest" --out "$work/wheels" \
    --no-default-features --features pyo3/extension-module,abi3-py310
shopt -s nullglob
for tag in cp39-abi3 cp310-abi3; do
    found=("$work"/wheels/scimkit-*-"$tag"-*.whl)
    if [ "${#found[@]}" -ne 1 ]; then
        echo "expected one $tag wheel, found: $(ls "$work/wheels")" >&2
        exit 1
    fi
    echo "built ${found[0]##*/}"
done

python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check --no-index --find-links "$work/wheels" scimkit
"$py" -m pip install -q --disable-pip-version-check pytest==9.2.0 mypy==2.4.1
want=$("$py" -c 'import sys; print("cp310-abi3" if sys.version_info >= (3, 10) else "cp39-abi3")')
# The installed wheel's `Tag:` lines (one per platform tag it carries), reduced to
# python-abi: all must be the one expected.
picked=$("$py" - <<'PY'
import importlib.metadata
wheel = importlib.metadata.distribution("scimkit").read_text("WHEEL") or ""
tags = {line.split(": ", 1)[1].rsplit("-", 1)[0] for line in wheel.splitlines() if line.startswith("Tag: ")}
print(" ".join(sorted(tags)))
PY
)
[ "$picked" = "$want" ] || { echo "pip installed the $picked wheel, expected $want" >&2; exit 1; }
echo "pip picked the $picked wheel"

py39=""
for candidate in python3.9 "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.9*/bin/python3.9; do
    # A usable one makes a venv with pip in it, and that pip installs the wheel.
    if "$candidate" -c 'import ensurepip, venv' >/dev/null 2>&1 \
        && "$candidate" -m venv "$work/venv39" >/dev/null 2>&1 \
        && "$work/venv39/bin/python" -m pip install -q --disable-pip-version-check --no-index \
            --find-links "$work/wheels" scimkit >/dev/null 2>&1; then
        py39=$candidate
        break
    fi
    rm -rf "$work/venv39"
done
if [ -n "$py39" ]; then
    (cd "$work" && "$work/venv39/bin/python" -c '
import scimkit
user = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen"}
assert scimkit.Registry().validate("User", user)["resource"]["userName"] == "bjensen"
print("python3.9: the cp39-abi3 wheel imports and validates")')
else
    echo "no usable Python 3.9 at hand: the cp39-abi3 wheel is built and tagged, not run"
fi

cd "$work"
"$py" - "$work/venv" <<'PY'
import sys
import scimkit
assert scimkit.__file__.startswith(sys.argv[1]), scimkit.__file__
out = scimkit.Registry().validate(
    "User", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen"}
)
assert out["resource"]["userName"] == "bjensen", out
print("imported", scimkit.__file__, scimkit.__version__)
PY
"$py" -m pytest "$root/tests/python" -q -p no:cacheprovider
