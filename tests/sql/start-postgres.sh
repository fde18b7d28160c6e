#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the SQL agreement test (core/tests/sql_agreement.rs)
# and prints the line to export its URL:
#
#   eval "$(bash tests/sql/start-postgres.sh)"   # sets SCIMKIT_PG_URL
#   cargo test -p scimkit --test sql_agreement
#   bash tests/sql/stop-postgres.sh
#
# Idempotent: installs Debian's postgresql package only when initdb/pg_ctl are missing, reuses
# a cluster this script already started, listens on 127.0.0.1:54329 only (no other address),
# and runs the server as the unprivileged `postgres` system user (the package creates it).
# Everything lives under SCIMKIT_PG_DIR (default /tmp/scimkit-pg); stop-postgres.sh stops the
# server by the PID file there. Only messages go to standard error; standard output carries the
# export line alone.
set -euo pipefail

PORT="${SCIMKIT_PG_PORT:-54329}"
DIR="${SCIMKIT_PG_DIR:-/tmp/scimkit-pg}"
DATA="$DIR/data"
DB=scimkit
URL="postgresql://postgres@127.0.0.1:${PORT}/${DB}"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
  local name="$1" found
  found="$(command -v "$name" 2>/dev/null || true)"
  if [ -z "$found" ]; then
    found="$(ls -1d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
  echo "$found"
}

INITDB="$(find_bin initdb)"
PG_CTL="$(find_bin pg_ctl)"
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  log "installing postgresql (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  # Only the binaries are wanted: no system-wide cluster on port 5432 beside ours.
  if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  INITDB="$(find_bin initdb)"
  PG_CTL="$(find_bin pg_ctl)"
fi
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  log "initdb or pg_ctl still missing after installing postgresql"
  exit 1
fi
BIN="$(dirname "$(readlink -f "$PG_CTL")")"

# The server refuses to run as root: use the package's `postgres` user (or make one).
RUN_AS=postgres
if ! id "$RUN_AS" >/dev/null 2>&1; then
  log "creating the system user $RUN_AS"
  useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin "$RUN_AS"
fi
as_user() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$RUN_AS" -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$DIR"
if [ "$(id -u)" = "0" ]; then
  chown "$RUN_AS" "$DIR"
fi
chmod 700 "$DIR"
# The server user may not be able to read the caller's directory; work from its own.
cd "$DIR"

if [ -f "$DATA/postmaster.pid" ] && as_user "$PG_CTL" -D "$DATA" status >/dev/null 2>&1; then
  log "already running (data in $DATA)"
else
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initdb in $DATA"
    as_user "$INITDB" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  log "starting on 127.0.0.1:$PORT"
  as_user "$PG_CTL" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off" start >/dev/null
fi

if ! as_user "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
fi

echo "export SCIMKIT_PG_URL=$URL"
