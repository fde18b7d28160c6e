#!/usr/bin/env bash
# Runs every benchmark in one go — the Rust core (criterion), Python beside scim2-models, Node
# native and WebAssembly beside scimmy, scim-patch and scim2-parse-filter — and prints the
# figures BENCHMARKS.md records. Run it on a quiet machine; each tool reports medians over
# repeated samples.
#
#   bash bench/run.sh            # everything (builds the packages when needed)
#   bash bench/run.sh rust       # only the criterion benches
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what="${1:-all}"

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
rustc --version; node --version; python3 --version

if [ "$what" = all ] || [ "$what" = rust ]; then
  echo "== Rust core (criterion: median of 100 samples)"
  for b in validate_user filter patch protocol; do
    cargo bench -q -p scimkit --bench "$b" -- --warm-up-time 2 --measurement-time 5 2>/dev/null | grep -E "^[a-z_/0-9]+ +time:|time:" || true
  done
fi

if [ "$what" = all ] || [ "$what" = python ]; then
  echo "== Python (scimkit vs scim2-models)"
  [ -x .venv/bin/python ] && .venv/bin/python -c "import scimkit" 2>/dev/null || bash bindings-python/build.sh --no-wheel
  .venv/bin/pip install -q scim2-models==0.12.3
  .venv/bin/python bindings-python/bench/bench.py
fi

if [ "$what" = all ] || [ "$what" = js ]; then
  echo "== Node native and WebAssembly (vs scimmy, scim-patch, scim2-parse-filter)"
  [ -d bindings-js/dist/native ] || bash bindings-js/build.sh
  node bindings-js/bench/bench.mjs
fi
