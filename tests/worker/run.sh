#!/usr/bin/env bash
# Tests of the Cloudflare Workers example (examples/worker): the SCIM service under real workerd
# (wrangler dev on 127.0.0.1, local D1 in a fresh temporary directory, a random token).
#
#   bash tests/worker/run.sh
#
#   a. conformance: scim2-tester (`scim2 --url … test`) — every check must pass
#   b. recorded Entra ID / Okta requests, Bulk, ETags, uniqueness, concurrency (node:test)
#   c. the admin console end to end in headless Chromium (playwright-core); screenshots in
#      tests/worker/artifacts/
#   d. `wrangler deploy --dry-run` bundles offline; prints the bundle size
#   e. a short bounded load on loopback: p50/p99 of GET list with a filter and POST create
#
# Idempotent and safe on a fresh machine: builds the scimkit package when bindings-js/dist is
# missing, installs the pinned npm tools (npm ci), Chromium from Debian only when
# /usr/bin/chromium is missing, and the pinned scim2 checkers into tests/worker/.venv. Every
# step runs even when an earlier one failed; the exit code is 0 only when all passed. Every
# process started here is stopped by its PID. Only loopback traffic.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
app=$root/examples/worker
here=$root/tests/worker
artifacts=$here/artifacts
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_ERROR_REPORTS=false CI=true
step() { printf '\n== %s\n' "$*"; }

# -- setup ----------------------------------------------------------------------------------------
step "setup"
if ! [ -f "$root/bindings-js/dist/web/workerd.js" ] || ! [ -f "$root/bindings-js/dist/web/wasm/scimkit_wasm_bg.wasm" ]; then
  bash "$root/bindings-js/build.sh"
fi
if ! [ -x "$app/node_modules/.bin/wrangler" ] || ! [ -e "$app/node_modules/scimkit" ] \
  || [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; then
  (cd "$app" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$app" && node scripts/assets.mjs && node scripts/migration.mjs --check)
if ! [ -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y --no-install-recommends chromium
fi
py=$here/.venv/bin/python
[ -x "$py" ] || python3 -m venv "$here/.venv"
# Versions verified together (as tests/python-server/run-conformance.sh pins them).
"$py" -m pip install -q --disable-pip-version-check \
  'scim2-tester[httpx2]==0.5.2' scim2-cli==0.6.0 scim2-client==0.13.2 scim2-models==0.12.3
mkdir -p "$artifacts"

work=$(mktemp -d)
pid=
# Stops wrangler by its PID: SIGINT (its Ctrl-C path stops workerd and reaps it; SIGTERM leaves
# workerd zombies behind), SIGTERM after 10 s.
stop() {
  kill -INT "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && kill "$1"
  wait "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$pid" ]; then stop "$pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port)
inspector=$(free_port)
token=$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')
origin="http://127.0.0.1:$port"
log="$artifacts/wrangler.log"

# -- the service ----------------------------------------------------------------------------------
step "start: wrangler dev on 127.0.0.1:$port, local D1 in a temporary directory"
(cd "$app" && node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$work/state" >"$work/migrate.log" 2>&1) \
  || { cat "$work/migrate.log"; exit 1; }
(cd "$app" && exec node_modules/.bin/wrangler dev --ip 127.0.0.1 --port "$port" --inspector-port "$inspector" \
  --persist-to "$work/state" --var "SCIM_TOKEN:$token" --show-interactive-dev-session=false) >"$log" 2>&1 &
pid=$!
ready=
for _ in $(seq 300); do
  kill -0 "$pid" 2>/dev/null || break
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$origin/scim/v2/ServiceProviderConfig" || true)
  if [ "$code" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { cat "$log"; echo "the service did not start" >&2; exit 1; }
echo "ready: $origin (pid $pid)"
export SCIM_URL=$origin SCIM_TOKEN=$token WORKER_LOG=$log WORKER_STATE=$work/state

declare -A result
run() {
  local name=$1
  shift
  if "$@"; then result[$name]=passed; else result[$name]=FAILED; fi
}

# -- a. conformance -------------------------------------------------------------------------------
conformance() {
  local status=0
  # The token goes through the environment, not the command line.
  SCIM_CLI_HEADERS="Authorization: Bearer $token" "$here/.venv/bin/scim2" --url "$origin/scim/v2" test -v \
    >"$artifacts/conformance.txt" 2>&1 || status=$?
  local passed failed
  passed=$(grep -c '^SUCCESS ' "$artifacts/conformance.txt" || true)
  # Every other status (ERROR, SKIPPED, DEVIATION, …) is a failure, as scim2-cli counts it.
  failed=$(grep -E '^[A-Z][A-Z_]+ ' "$artifacts/conformance.txt" | grep -c -v '^SUCCESS ' || true)
  grep -E '^[A-Z][A-Z_]+ ' "$artifacts/conformance.txt" | grep -v '^SUCCESS ' || true
  echo "conformance: $passed passed, $failed failed (scim2 exit $status; details in tests/worker/artifacts/conformance.txt)"
  result["a. conformance"]="$passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
step "a. conformance: scim2 --url $origin/scim/v2 test"
conformance || result["a. conformance"]="${result["a. conformance"]:-no result} FAILED"

# -- b. recorded identity-provider requests -------------------------------------------------------
step "b. recorded Entra ID and Okta requests (node:test)"
run "b. idp replay" node --test --test-reporter=spec "$here/idp.test.mjs"

# -- c. the console in headless Chromium -------------------------------------------------------------
step "c. admin console end to end (headless Chromium, playwright-core)"
run "c. console e2e" node --test --test-reporter=spec "$here/console.test.mjs"

# -- d. bundle ------------------------------------------------------------------------------------
bundle() {
  rm -rf "$work/dist"
  (cd "$app" && node_modules/.bin/wrangler deploy --dry-run --outdir "$work/dist" >"$work/deploy.log" 2>&1) \
    || { cat "$work/deploy.log"; return 1; }
  local upload
  upload=$(grep -o 'Total Upload: .*' "$work/deploy.log" || true)
  echo "wrangler: ${upload:-no upload size reported}"
  # The modules that are uploaded: the bundled Worker and the WebAssembly module (not the
  # source map or the README wrangler writes beside them).
  (cd "$work/dist" && ls -l -- *.js *.wasm | awk '{print "  " $5 "\t" $9}')
  local assets
  assets=$(du -sb "$app/public" | cut -f1)
  echo "console assets (Workers Assets, uploaded separately): $assets bytes"
  result["d. bundle"]="${upload:-?}"
  [ -n "$upload" ]
}
step "d. wrangler deploy --dry-run (offline bundle)"
if bundle; then :; else result["d. bundle"]=FAILED; fi

# -- e. load --------------------------------------------------------------------------------------
step "e. bounded load on loopback (2,000 requests, concurrency 8)"
run "e. load" node "$here/load.mjs" --requests 2000 --concurrency 8

# -- the service's log ----------------------------------------------------------------------------
step "service log: errors (5xx) and accepted quirks"
grep -c '"event":"quirk_accepted"' "$log" | sed 's/^/accepted quirks logged: /'
if grep -q '"event":"internal_error"' "$log"; then
  grep '"event":"internal_error"' "$log" | head -5
  result["service log"]="internal errors logged"
fi

stop "$pid"
pid=

step "summary"
status=0
for name in "a. conformance" "b. idp replay" "c. console e2e" "d. bundle" "e. load" "service log"; do
  value=${result[$name]:-}
  [ -n "$value" ] || { [ "$name" = "service log" ] && value=clean; }
  printf '  %-16s %s\n' "$name" "$value"
  case $value in *FAILED* | *internal* | "") status=1 ;; esac
  if [ "$name" = "a. conformance" ] && ! [[ $value =~ ' 0 failed' ]]; then status=1; fi
done
exit "$status"
