#!/usr/bin/env bash
# Builds the npm package `scimkit` into dist/: the native addon (napi-rs) for Node and the
# WebAssembly build (wasm-bindgen + wasm-opt) for browsers, Workers, Deno and `scimkit/wasm`.
# Idempotent and safe on a fresh machine: it installs what is missing and rebuilds what changed.
#
#   bash bindings-js/build.sh            # everything
#   SCIMKIT_SKIP_NPM=1 bash build.sh     # skip `npm ci` (node_modules already in place)
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd .. && pwd)
WASM_BINDGEN_VERSION=0.2.130
step() { printf '\n== %s\n' "$*"; }

step "toolchain"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# The CLI must match the `wasm-bindgen = "=0.2.130"` pin; installed without --locked (with it,
# a pinned dependency is missing from the registry).
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ -z "${SCIMKIT_SKIP_NPM:-}" ]; then
  step "npm dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

step "WebAssembly: cargo build"
# The workspace release profile is shared with the other crates, so the wasm settings live in
# a profile of their own, given on the command line: "s", fat LTO, one codegen unit,
# panic = abort; never `strip` (it drops the target-features section wasm-bindgen needs),
# wasm-opt shrinks instead. (The LTO takes effect because the crate is a cdylib only: see
# wasm/Cargo.toml.) "z" would be 12% smaller gzipped (243 KB against 275 KB) but makes validate
# and PATCH calls 1.6-1.9x slower; "3" is 37% larger and ~15% faster.
cargo build -p scimkit-wasm --target wasm32-unknown-unknown --profile wasm-release \
  --config 'profile.wasm-release.inherits="release"' \
  --config 'profile.wasm-release.opt-level="s"' \
  --config 'profile.wasm-release.lto=true' \
  --config 'profile.wasm-release.codegen-units=1' \
  --config 'profile.wasm-release.panic="abort"' \
  --config 'profile.wasm-release.debug=false'
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
WASM_IN="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/scimkit_wasm.wasm"

step "WebAssembly: wasm-bindgen + wasm-opt"
rm -rf dist/web/wasm dist/node/wasm
# web: browsers, Workers (`initSync({ module })`), Deno; nodejs: `scimkit/wasm` on Node (CommonJS).
wasm-bindgen "$WASM_IN" --out-dir dist/web/wasm --target web --out-name scimkit_wasm --no-typescript
wasm-bindgen "$WASM_IN" --out-dir dist/node/wasm --target nodejs --out-name scimkit_wasm --no-typescript
# One TextEncoder.encodeInto per string argument instead of the glue's per-character loop
# from 48 characters on (tools/string-pass.mjs; fails if the glue changed).
node tools/string-pass.mjs dist/web/wasm/scimkit_wasm.js dist/node/wasm/scimkit_wasm.js
# A reset the JS layer calls after a trap: a new instance, and finalizers that free only objects
# of the current one (tools/instance-reset.mjs; fails if the glue changed).
node tools/instance-reset.mjs web dist/web/wasm/scimkit_wasm.js
node tools/instance-reset.mjs nodejs dist/node/wasm/scimkit_wasm.js
# npm's binaryen (never Debian's 108: its output traps in Node). --converge repeats -Oz until
# nothing changes: 3 KB (0.6 KB gzipped) smaller for ~20 s more.
node_modules/.bin/wasm-opt -Oz --converge dist/web/wasm/scimkit_wasm_bg.wasm -o dist/web/wasm/scimkit_wasm_bg.wasm
cp dist/web/wasm/scimkit_wasm_bg.wasm dist/node/wasm/scimkit_wasm_bg.wasm
# The nodejs glue is CommonJS inside a "type": "module" package.
echo '{ "type": "commonjs" }' > dist/node/wasm/package.json

step "native addon: napi build"
# A profile of its own (like the wasm one, so the shared release profile stays as it is): fat
# LTO and one codegen unit let the core, serde_json and the addon inline into each other, 6-8%
# off validate and PATCH calls. Defined through cargo's environment: `napi build` passes no
# `--config`.
CARGO_PROFILE_NAPI_INHERITS=release CARGO_PROFILE_NAPI_LTO=fat CARGO_PROFILE_NAPI_CODEGEN_UNITS=1 \
node_modules/.bin/napi build --platform --profile napi --manifest-path native/Cargo.toml \
  --package-json-path package.json --output-dir dist/native --no-js --dts ../.napi-types.d.ts
rm -f .napi-types.d.ts dist/.napi-types.d.ts

step "JS layer"
mkdir -p dist/node dist/web
# What an earlier build copied and src/ no longer has must not be packed.
find dist/node dist/web -maxdepth 1 -type f \( -name '*.js' -o -name '*.cjs' -o -name '*.mjs' \) -delete
# One shared layer (src/api.js, an ES module) for both builds; Node loads it as CommonJS so that
# `import` and `require` share one instance (one `ScimError` class).
cp src/api.js dist/web/api.js
grep -qx 'export { createApi };' src/api.js
sed 's/^export { createApi };$/module.exports = { createApi };/' src/api.js > dist/node/api.cjs
cp src/node/*.cjs src/node/*.mjs dist/node/
cp src/web/*.js dist/web/
# The one hand-written index.d.ts, as CommonJS declarations for `require` (TypeScript reads a
# .d.ts beside "type": "module" as an ES module, which `import x = require()` refuses).
cp index.d.ts dist/index.d.cts

step "sizes"
ls -l dist/web/wasm/scimkit_wasm_bg.wasm dist/native/*.node | awk '{print $5, $9}'
printf 'gzip -9: %s bytes\n' "$(gzip -9 -c dist/web/wasm/scimkit_wasm_bg.wasm | wc -c)"
