#!/usr/bin/env bash
# Stops the server tests/sql/start-postgres.sh started: the process named by the PID file in
# its data directory (nothing else), then removes the throwaway cluster.
set -euo pipefail

DIR="${SCIMKIT_PG_DIR:-/tmp/scimkit-pg}"
PID_FILE="$DIR/data/postmaster.pid"

if [ ! -f "$PID_FILE" ]; then
  echo "stop-postgres: no server running from $DIR" >&2
  exit 0
fi
PID="$(head -n 1 "$PID_FILE")"
if kill -0 "$PID" 2>/dev/null; then
  # SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then exit.
  kill -INT "$PID"
  for _ in $(seq 1 100); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then
    echo "stop-postgres: server $PID did not stop within 10 s" >&2
    exit 1
  fi
fi
rm -rf "$DIR"
echo "stop-postgres: stopped" >&2
