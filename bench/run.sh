#!/usr/bin/env bash
# schemagate benchmark: schemagate side by side with pg_dump and migra.
#
#   bash bench/run.sh
#
# One command, run from anywhere. It
#   - builds schemagate (cargo build --release; CARGO_TARGET_DIR is honoured);
#   - installs migra into bench/.venv with the pinned versions of
#     bench/requirements-migra.txt (PyPI); if that fails, it says so and
#     benchmarks the others;
#   - starts ONE throwaway PostgreSQL cluster (initdb in a temp dir, unix
#     socket only, fsync off, shared_buffers 1GB so that the catalogs of all
#     the bench databases stay cached for every tool alike; as root, runs it
#     as the `postgres` OS user via runuser) and stops and removes it at the
#     end, also on failure or Ctrl-C;
#   - runs bench/bench.py: synthetic schemas of 100, 1,000 and 5,000 tables
#     (bench/gen_schema.py), each in its own database; times schemagate diff
#     (against a snapshot of the same database), pg_dump --schema-only and
#     migra (between two identical databases), alternating, medians of 5
#     runs (3 for a tool slower than 10 s at a size); schemagate's peak RSS
#     at 5,000 tables (/usr/bin/time -v); and `schemagate check` (warm
#     template cache) against bench/baseline_check.sh on the bundled
#     SynapScale migrations;
#   - prints the table of medians and ratios and writes it to bench/results.md;
#   - then bench/fleet.py appends: a fleet of FLEET (1,000) databases holding
#     the SynapScale schema, 3 drifted: `diff --databases` with --jobs 1 and
#     the default against shell loops of `schemagate diff` and of `pg_dump
#     --schema-only`; and catalogs of 5,000 and 50,000 tables (schemas × 50
#     tables): snapshot, diff against pg_dump, peak RSS, growth, and the
#     share of diff's time spent loading the expected file.
#
# Environment: PGBIN (default /usr/lib/postgresql/15/bin), RUNS (5),
# SLOW_RUNS (3), SIZES ("100 1000 5000"), PARTS ("base fleet big"; without
# `base` the other parts go to bench/results-fleet.md), FLEET (1000),
# FLEET_RUNS (1), BIG_SIZES ("5000 50000"), BIG_RUNS (3). The base part takes
# about 3 minutes on 2 cores (plus the first release build); fleet and big
# add some 20 minutes, most of it creating the databases.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
SIZES=${SIZES:-"100 1000 5000"}
PARTS=${PARTS:-"base fleet big"}
FLEET=${FLEET:-1000}
FLEET_RUNS=${FLEET_RUNS:-1}
BIG_SIZES=${BIG_SIZES:-"5000 50000"}
BIG_RUNS=${BIG_RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

say() { echo "[bench] $*" >&2; }
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

[ -x "$PGBIN/initdb" ] || { say "no PostgreSQL server binaries in $PGBIN (set PGBIN)"; exit 2; }

say "building schemagate (release) ..."
(cd "$ROOT" && cargo build --release --quiet)
SG="$CARGO_TARGET_DIR/release/schemagate"

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing GNU time for peak RSS ..."
    apt-get install -y -qq time >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq time >/dev/null; } || true
fi

# migra (PyPI) in a private venv with versions known to work on Python 3.11.
MIGRA="" MIGRA_VERSION="" MIGRA_NOTE=""
VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/migra" ]; then
    say "installing migra into bench/.venv ..."
    if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q -r "$ROOT/bench/requirements-migra.txt"; } >&2; then
        MIGRA_NOTE="migra could not be installed (pip install -r bench/requirements-migra.txt failed): not benchmarked"
    fi
fi
if [ -x "$VENV/bin/migra" ] && "$VENV/bin/migra" --help >/dev/null 2>&1; then
    MIGRA="$VENV/bin/migra"
    MIGRA_VERSION="migra $("$VENV/bin/pip" show migra 2>/dev/null | sed -n 's/^Version: //p'), $("$VENV/bin/python" --version)"
elif [ -z "$MIGRA_NOTE" ]; then
    MIGRA_NOTE="migra does not run here: not benchmarked"
fi
[ -n "$MIGRA_NOTE" ] && say "$MIGRA_NOTE"

WORK=$(mktemp -d /tmp/schemagate-bench.XXXXXX)
STARTED=""
cleanup() {
    if [ -n "$STARTED" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -s stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

say "starting a throwaway PostgreSQL in $WORK ..."
as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -s -o "-k $WORK -p 5432 \
    -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_locks_per_transaction=1024 -c shared_buffers=1GB -c autovacuum=off" start

OUT="$ROOT/bench/results.md"
case " $PARTS " in
    *" base "*)
        python3 "$ROOT/bench/bench.py" --host "$WORK" --port 5432 --pgbin "$PGBIN" \
            --schemagate "$SG" --migra "$MIGRA" --migra-version "$MIGRA_VERSION" --migra-note "$MIGRA_NOTE" \
            --work "$WORK" --repo "$ROOT" --out "$OUT" \
            --sizes "$SIZES" --runs "$RUNS" --slow-runs "$SLOW_RUNS" ;;
    *)
        # Without the base part, the committed results stay as they are.
        OUT="$ROOT/bench/results-fleet.md"
        echo "# schemagate benchmark results: fleets and big catalogs" > "$OUT" ;;
esac
FLEET_PARTS=$(echo "$PARTS" | tr ' ' '\n' | grep -E '^(fleet|big)$' | tr '\n' ' ' || true)
if [ -n "$FLEET_PARTS" ]; then
    python3 "$ROOT/bench/fleet.py" --host "$WORK" --port 5432 --pgbin "$PGBIN" \
        --schemagate "$SG" --work "$WORK" --repo "$ROOT" --out "$OUT" --parts "$FLEET_PARTS" \
        --fleet "$FLEET" --fleet-runs "$FLEET_RUNS" --big-sizes "$BIG_SIZES" --big-runs "$BIG_RUNS"
fi
