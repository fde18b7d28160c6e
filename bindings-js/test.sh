#!/usr/bin/env bash
# Tests the npm package `scimkit`: builds it (build.sh, idempotent), lints the two binding
# crates, type-checks index.d.ts against a typed usage file, then runs with node:test
#   tests/node/vectors.test.mjs   every shared vector through the native addon and WebAssembly
#   tests/node/edges.test.mjs     ScimError, UTF-16 spans, surrogates, __proto__, big ints, traps
#   tests/node/types.test.mjs     every runtime export has a type in index.d.ts
#   tests/node/browser.test.mjs   the WebAssembly build in headless Chromium
#   tests/node/workerd.test.mjs   the WebAssembly build in workerd (Miniflare)
#   tests/node/pack.test.mjs      npm pack → install → import/require, bundlers, wrangler dry run
#
#   bash bindings-js/test.sh
#   SCIMKIT_SKIP_BUILD=1 bash bindings-js/test.sh    # dist/ already built
#   SCIMKIT_SKIP_LINT=1  bash bindings-js/test.sh    # no cargo clippy / fmt
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)

# Offline: wrangler and Miniflare must not phone home.
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_ERROR_REPORTS=false CI=true

if [ -z "${SCIMKIT_SKIP_BUILD:-}" ]; then
  bash build.sh
fi

if [ -z "${SCIMKIT_SKIP_LINT:-}" ]; then
  echo "== cargo clippy / fmt (scimkit-node, scimkit-wasm)"
  (cd "$ROOT" && cargo clippy -p scimkit-node -p scimkit-wasm --all-targets -- -D warnings)
  (cd "$ROOT" && cargo clippy -p scimkit-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings)
  (cd "$ROOT" && rustfmt --edition 2024 --check bindings-js/native/src/lib.rs bindings-js/wasm/src/lib.rs)
fi

echo "== tsc: index.d.ts against test/types-usage.ts (ESM) and test/types-usage.cts (CommonJS, node16)"
node_modules/.bin/tsc -p test/tsconfig.json
node_modules/.bin/tsc -p test/tsconfig.cjs.json

# The browser test drives Debian's Chromium (playwright-core never downloads a browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi

echo "== node --test"
cd "$ROOT"
node --test --test-concurrency=1 tests/node/*.test.mjs
