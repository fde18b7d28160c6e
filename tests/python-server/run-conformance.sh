#!/usr/bin/env bash
# SCIM conformance of the example Python service (examples/python-server) with scim2-tester,
# run through scim2-cli (`scim2 --url … test`, ~140 checks: discovery, CRUD, attributes,
# PATCH add/replace/remove per attribute).
#
#   bash tests/python-server/run-conformance.sh
#
# Needs the scimkit package in the repository's .venv (bindings-python/build.sh; built here
# when it does not import). Installs the pinned checkers into that venv, starts the service on
# 127.0.0.1 (a free port, a fresh temporary database, a random bearer token), waits until it
# answers, runs the checks, stops the service by its PID, and exits 0 only when EVERY check
# passed. The last line is "conformance: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
py="$root/.venv/bin/python"

if ! [ -x "$py" ] || ! "$py" -c 'import scimkit' 2>/dev/null; then
    bash "$root/bindings-python/build.sh" --no-wheel
fi
# Versions verified together; scim2-models and scim2-client decide what the checks expect.
"$py" -m pip install -q --disable-pip-version-check \
    'scim2-tester[httpx2]==0.5.2' scim2-cli==0.6.0 scim2-client==0.13.2 scim2-models==0.12.3

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

token=$("$py" -c 'import secrets; print(secrets.token_urlsafe(24))')
SCIMKIT_TOKEN="$token" "$py" "$root/examples/python-server/server.py" \
    --host 127.0.0.1 --port 0 --db "$work/scim.sqlite3" >"$work/stdout" 2>"$work/server.log" &
pid=$!

# The service prints "SCIM service at http://127.0.0.1:PORT (…)" once it listens.
url=
for _ in $(seq 100); do
    url=$(sed -n 's/^SCIM service at \(http:[^ ]*\) .*/\1/p' "$work/stdout")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "the service did not start" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "the service did not print its URL" >&2; exit 1; }
"$py" - "$url" "$token" <<'EOF'
import sys, time, urllib.request
url, token = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url + "/ServiceProviderConfig", headers={"Authorization": "Bearer " + token})
for _ in range(100):
    try:
        with urllib.request.urlopen(request, timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the service does not answer at " + url)
EOF

echo "== scim2 --url $url test"
status=0
# The token goes through the environment, not the command line (scim2 --help advises so).
SCIM_CLI_HEADERS="Authorization: Bearer $token" "$root/.venv/bin/scim2" --url "$url" test -v \
    >"$work/checks.txt" 2>&1 || status=$?
cat "$work/checks.txt"

passed=$(grep -c '^SUCCESS ' "$work/checks.txt" || true)
# Every other status (ERROR, SKIPPED, DEVIATION, …) is a failure, as scim2-cli counts it.
failed=$(grep -E '^[A-Z][A-Z_]+ ' "$work/checks.txt" | grep -c -v '^SUCCESS ' || true)
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then
    echo "== the service's log: errors it answered (the checker's clean-up 404s left out)"
    grep -v -e ' scimkit.server.access ' -e ': 404 no ' "$work/server.log" | tail -n 40 || true
fi
echo "conformance: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
