#!/usr/bin/env bash
# Builds the abi3 wheel with `maturin build --release`, installs it into a fresh venv (nothing
# else from the repository on the path) and runs the Python tests against it there.
# Uses the repository's `.venv` for maturin, creating it when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
[ -x "$venv/bin/maturin" ] || "$venv/bin/python" -m pip install -q --disable-pip-version-check maturin==1.16.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$venv/bin/maturin" build --release --manifest-path "$root/bindings-python/Cargo.toml" --out "$work/wheels"
shopt -s nullglob
wheels=("$work"/wheels/scimkit-*-cp39-abi3-*.whl)
if [ "${#wheels[@]}" -ne 1 ]; then
    echo "expected one abi3 (cp39-abi3) wheel, found: $(ls "$work/wheels")" >&2
    exit 1
fi
echo "built ${wheels[0]##*/}"

python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check --no-index "${wheels[0]}"
"$py" -m pip install -q --disable-pip-version-check pytest==9.2.0 mypy==2.4.1

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
