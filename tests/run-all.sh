#!/usr/bin/env bash
# Runs every scimkit test: formatting, lints, unit and vector tests, CLI tests, doctests, docs.
# Installs what it needs first (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (clippy, warnings denied)"
cargo clippy --workspace --all-targets -- -D warnings

step "PostgreSQL for the SQL agreement test (installed if missing, loopback only)"
eval "$(bash tests/sql/start-postgres.sh)"
trap 'bash tests/sql/stop-postgres.sh >/dev/null 2>&1 || true' EXIT

step "tests: core units, shared vectors, SQL agreement on SQLite and PostgreSQL, laws, CLI, doctests"
cargo test --workspace

step "complexity contract: doubling the input at most doubles the time (release build)"
cargo test --release -p scimkit --test scaling -- --ignored --nocapture

step "docs (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p scimkit

step "python: build the package, run every vector and the Python tests, the wheel in a fresh venv"
bash bindings-python/build.sh

step "python reference server: in-process tests, then the scim2-tester conformance run on 127.0.0.1"
.venv/bin/python -m pytest tests/python-server -q -p no:cacheprovider
# The example is code users copy: typed against scimkit's stubs, strictly.
.venv/bin/python -m mypy --strict examples/python-server
bash tests/python-server/run-conformance.sh

step "javascript: build the npm package (native addon + WebAssembly), every vector in both, Chromium, workerd, npm pack"
bash bindings-js/test.sh

step "cloudflare worker example: scim2-tester under workerd with local D1, recorded IdP requests, console e2e in Chromium, dry-run bundle, bounded load"
bash tests/worker/run.sh

step "cross-runtime agreement: every vector's outcome is the same in Rust, Python, Node native and WebAssembly"
dumps="$(mktemp -d)"
SCIMKIT_VECTORS_DUMP="$dumps/1-rust.jsonl" cargo test -q -p scimkit --test vectors
SCIMKIT_VECTORS_DUMP="$dumps/2-python.jsonl" .venv/bin/python -m pytest tests/python/test_vectors.py -q -p no:cacheprovider
SCIMKIT_VECTORS_DUMP="$dumps/3-node-{build}.jsonl" node --test tests/node/vectors.test.mjs
python3 tests/agreement/compare.py "$dumps"/*.jsonl
rm -rf "$dumps"

step "fuzz: every target for ${SCIMKIT_FUZZ_SECONDS:-30}s (cargo-fuzz, nightly)"
bash fuzz/run.sh "${SCIMKIT_FUZZ_SECONDS:-30}"

echo
echo "all scimkit tests passed"
