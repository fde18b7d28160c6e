#!/usr/bin/env bash
# Runs the SCIM service and its admin console locally, offline, under workerd (wrangler dev) with
# a local D1 database under .wrangler/. Builds the scimkit package first when it is missing,
# installs the pinned tools, applies the D1 migration, and prints the console URL and the token.
#
#   bash examples/worker/dev.sh                 # http://127.0.0.1:8787, token scimkit-dev-token
#   PORT=9000 SCIM_TOKEN=s3cret bash examples/worker/dev.sh
#   bash examples/worker/dev.sh --reset         # start from an empty local database
#
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
here=$PWD
root=$(cd ../.. && pwd)
port=${PORT:-8787}
token=${SCIM_TOKEN:-scimkit-dev-token}
persist=${SCIMKIT_PERSIST_TO:-$here/.wrangler/state}
reset=
for arg in "$@"; do
  case $arg in
    --reset) reset=1 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

# Wrangler offline: no telemetry, no network lookups, no prompts.
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_ERROR_REPORTS=false CI=true
step() { printf '== %s\n' "$*" >&2; }

if ! [ -f "$root/bindings-js/dist/web/workerd.js" ] || ! [ -f "$root/bindings-js/dist/web/wasm/scimkit_wasm_bg.wasm" ]; then
  step "building the scimkit package (bindings-js/build.sh)"
  bash "$root/bindings-js/build.sh" >&2
fi
if ! [ -x node_modules/.bin/wrangler ] || ! [ -e node_modules/scimkit ] || [ package.json -nt node_modules/.package-lock.json ]; then
  step "npm dependencies (wrangler 4.86.0, scimkit from ../../bindings-js)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >&2; else npm install --no-audit --no-fund >&2; fi
fi
step "console assets (scimkit's WebAssembly build for the browser)"
node scripts/assets.mjs >&2
node scripts/migration.mjs --check >&2

if [ -n "$reset" ]; then
  step "resetting the local database"
  rm -rf "$persist/v3/d1"
fi
step "D1 migration (local)"
node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$persist" >&2

step "wrangler dev on 127.0.0.1:$port"
node_modules/.bin/wrangler dev --ip 127.0.0.1 --port "$port" --persist-to "$persist" \
  --var "SCIM_TOKEN:$token" --show-interactive-dev-session=false &
pid=$!
# Stopped by its PID with SIGINT (wrangler's Ctrl-C path also stops and reaps workerd).
stop() {
  kill -INT "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill "$pid"
  wait "$pid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# Ready when the SCIM API answers (401 without a token is an answer).
for _ in $(seq 300); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "wrangler dev exited" >&2; exit 1; fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/scim/v2/ServiceProviderConfig" || true)
  [ "$code" = 401 ] && break
  sleep 0.2
done

cat <<EOF

  scimkit SCIM service is running (local D1 in ${persist#"$here/"})

    Admin console   http://127.0.0.1:$port/#token=$token
    SCIM base URL   http://127.0.0.1:$port/scim/v2
    Bearer token    $token

    curl -H 'Authorization: Bearer $token' http://127.0.0.1:$port/scim/v2/Users

  Ctrl-C stops it.

EOF
wait "$pid"
