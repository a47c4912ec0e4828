#!/usr/bin/env bash
# The shell baseline for `schemagate check`: the same work done by hand.
#
#   bash bench/baseline_check.sh MIGRATIONS_DIR [PGBIN]
#
# initdb into a fresh temp dir, start postgres on a unix socket (fsync off,
# as schemagate does), `psql -f` each *.up.sql in order, `pg_dump
# --schema-only` (to /dev/null: a person would then diff it by eye or with
# diff(1)), stop the server, remove the directory. As root, the server runs
# as the `postgres` OS user via runuser. Used by bench/run.sh for timing.
set -euo pipefail

MIGRATIONS=$(cd "${1:?usage: baseline_check.sh MIGRATIONS_DIR [PGBIN]}" && pwd)
PGBIN=${2:-/usr/lib/postgresql/15/bin}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

DIR=$(mktemp -d /tmp/sg-baseline.XXXXXX)
cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -s \
    -o "-k $DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start
for f in "$MIGRATIONS"/*.up.sql; do
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -U postgres -d postgres -f "$f" >/dev/null
done
"$PGBIN/pg_dump" --schema-only -h "$DIR" -U postgres -d postgres >/dev/null
