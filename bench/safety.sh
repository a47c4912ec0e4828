#!/usr/bin/env bash
# Migration safety side by side: squawk (a static linter, from PyPI, pinned
# in bench/requirements-squawk.txt) and schemagate (which observes each
# statement on a throwaway PostgreSQL), on bench/safety/migrations: one
# migration per case of each rule, and its safe counterpart.
#
#   bash bench/safety.sh
#
# Installs squawk into .cache/squawk-venv (ignored), builds schemagate, runs
# both, and writes bench/safety-results.md. Needs PostgreSQL server binaries
# for `--target local` (or set TARGET, e.g. docker or a postgres:// URL).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.cache/squawk-venv
TARGET=${TARGET:-local}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

if [ ! -x "$VENV/bin/squawk" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$ROOT/bench/requirements-squawk.txt"
fi
cargo build -q --manifest-path "$ROOT/Cargo.toml"
python3 "$ROOT/bench/safety_compare.py" \
    --squawk "$VENV/bin/squawk" \
    --schemagate "$CARGO_TARGET_DIR/debug/schemagate" \
    --target "$TARGET" \
    --out "$ROOT/bench/safety-results.md"
