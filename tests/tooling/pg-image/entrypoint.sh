#!/bin/bash
# Entrypoint of the schemagate test PostgreSQL image (see build.sh / README.md).
# Follows the contract of the official `postgres` image:
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless
#   POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default $POSTGRES_USER),
#   PGDATA (default /var/lib/postgresql/data), POSTGRES_INITDB_ARGS,
#   POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#   /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz run once on first start.
# Arguments starting with '-' are passed to postgres (`IMAGE -c fsync=off`);
# `IMAGE postgres ...` is the same; anything else is exec'd as is.
#
# Initialisation uses a temporary server that listens only on the unix socket
# and logs to a file, so "database system is ready to accept connections" is
# printed exactly once, on stderr, by the final server (the one to wait for).
set -Eeuo pipefail

log() { printf 'entrypoint: %s\n' "$*"; }

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi
if [ "$1" != 'postgres' ]; then
	exec "$@"
fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = '0' ]; then
	# Prepare directories as root, then re-run this script as the postgres
	# user. setpriv exec's (no fork), so postgres ends up as PID 1.
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres /var/run/postgresql
	chmod 2775 /var/run/postgresql
	if [ "$(stat -c %U "$PGDATA")" != 'postgres' ]; then
		chown -R postgres:postgres "$PGDATA"
	fi
	chmod 0700 "$PGDATA"
	export HOME=/var/lib/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	POSTGRES_USER="${POSTGRES_USER:-postgres}"
	POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
	POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-}"
	POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	export POSTGRES_USER POSTGRES_DB POSTGRES_PASSWORD

	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
		cat >&2 <<-'EOF'
			Error: Database is uninitialized and superuser password is not specified.
			       Set POSTGRES_PASSWORD to a non-empty value for the superuser, or
			       set POSTGRES_HOST_AUTH_METHOD=trust to allow all connections
			       without a password (only for tests).
		EOF
		exit 1
	fi

	log "initializing database in $PGDATA"
	pwargs=()
	pwfile=''
	if [ -n "$POSTGRES_PASSWORD" ]; then
		pwfile="$(umask 077 && mktemp /tmp/pg-pw.XXXXXX)"
		printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
		pwargs=(--pwfile="$pwfile")
	fi
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is split on purpose
	initdb --username="$POSTGRES_USER" "${pwargs[@]}" \
		--auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" \
		${POSTGRES_INITDB_ARGS:-}
	[ -z "$pwfile" ] || rm -f "$pwfile"
	{
		echo
		echo "listen_addresses = '*'"
	} >>"$PGDATA/postgresql.conf"
	echo "host all all all $POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

	# Temporary server: unix socket only, log to a file (shown on failure).
	tmplog="$(mktemp /tmp/pg-init.XXXXXX.log)"
	on_init_error() {
		echo "entrypoint: initialization failed; temporary server log:" >&2
		cat "$tmplog" >&2 || true
	}
	trap on_init_error ERR
	pg_ctl -D "$PGDATA" -w -t 60 -l "$tmplog" \
		-o "-c listen_addresses='' -p 5432" start >/dev/null

	export PGUSER="${PGUSER:-$POSTGRES_USER}"
	export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
	psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password -q --username "$POSTGRES_USER")
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		"${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db";
		EOSQL
	fi

	for f in /docker-entrypoint-initdb.d/*; do
		[ -e "$f" ] || continue
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					log "running $f"; "$f"
				else
					log "sourcing $f"; # shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql) log "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz) log "running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" ;;
			*) log "ignoring $f" ;;
		esac
	done

	pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	trap - ERR
	rm -f "$tmplog"
	unset PGPASSWORD
	log "init complete; starting postgres"
fi

exec "$@"
