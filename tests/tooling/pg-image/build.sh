#!/usr/bin/env bash
# Build a local PostgreSQL Docker image offline (no container registry):
# debootstrap a minimal Debian from the machine's own apt mirror, add
# postgresql-MAJOR and entrypoint.sh, then `docker import` the rootfs.
#
# Usage: build.sh [--force] [--major N] [--suite SUITE] [IMAGE_TAG]
#   --major N      PostgreSQL major version (default 15)
#   --suite SUITE  Debian suite whose main component has postgresql-N
#                  (default: 13 -> bullseye, 15 -> bookworm, 17 -> trixie)
#   IMAGE_TAG      default schemagate-postgres:N
# Needs root (debootstrap) and a running docker daemon; non-interactive.
# Env overrides: PG_IMAGE_MIRROR (Debian mirror URL; default: read from
# /etc/apt sources), PG_IMAGE_SUITE (same as --suite), PG_IMAGE_WORKDIR
# (where the temporary rootfs goes; default /var/tmp).
# The image carries LABELs org.schemagate.pg-image=MAJOR-SUITE and
# org.schemagate.pg-version=<installed Debian version of postgresql-MAJOR>.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_MAJOR=15
SUITE="${PG_IMAGE_SUITE:-}"
TAG=''
FORCE=0
START=$SECONDS

log() { printf '[pg-image +%ss] %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
	arg="$1"
	shift
	case "$arg" in
		--force) FORCE=1 ;;
		--major | --suite)
			[ $# -gt 0 ] || die "$arg needs a value"
			if [ "$arg" = --major ]; then PG_MAJOR="$1"; else SUITE="$1"; fi
			shift
			;;
		--major=*) PG_MAJOR="${arg#*=}" ;;
		--suite=*) SUITE="${arg#*=}" ;;
		-h | --help) usage; exit 0 ;;
		-*) usage >&2; die "unknown option: $arg" ;;
		*) [ -z "$TAG" ] || die "only one IMAGE_TAG allowed"; TAG="$arg" ;;
	esac
done
[[ "$PG_MAJOR" =~ ^[0-9]+$ ]] || die "--major must be a number, got '$PG_MAJOR'"
if [ -z "$SUITE" ]; then
	# The Debian release whose own main component ships postgresql-N.
	case "$PG_MAJOR" in
		13) SUITE=bullseye ;;
		15) SUITE=bookworm ;;
		17) SUITE=trixie ;;
		*) die "no default Debian suite for PostgreSQL $PG_MAJOR; pass --suite" ;;
	esac
fi
TAG="${TAG:-schemagate-postgres:$PG_MAJOR}"

command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "docker daemon not reachable"

image_exists() { docker image inspect "$TAG" >/dev/null 2>&1; }

if [ "$FORCE" = 0 ] && image_exists; then
	log "image $TAG already exists (use --force to rebuild)"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap needs it)"

# Serialise concurrent builds (e.g. parallel test jobs); re-check afterwards.
exec 9>"/tmp/schemagate-pg-image.lock"
flock 9
if [ "$FORCE" = 0 ] && image_exists; then
	log "image $TAG was built meanwhile"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# --- debootstrap ------------------------------------------------------------
if ! command -v debootstrap >/dev/null && [ ! -x /usr/sbin/debootstrap ]; then
	log "installing debootstrap"
	pkgs=(debootstrap debian-archive-keyring)
	if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" </dev/null >/dev/null 2>&1; then
		log "apt-get update"
		apt-get update -q </dev/null >/dev/null
		apt-get install -y -q --no-install-recommends "${pkgs[@]}" </dev/null >/dev/null
	fi
fi
export PATH="$PATH:/usr/sbin:/sbin"

# --- mirror: from the machine's apt configuration, never hard-coded ----------
# Prints the first URI of an apt source whose suites include $1.
mirror_for_suite() {
	local want="$1" f
	shopt -s nullglob
	for f in /etc/apt/sources.list.d/*.sources; do
		# deb822: blank-line separated stanzas with "URIs:" and "Suites:".
		awk -v want="$want" '
			function flush() {
				if (!found && uris != "" && types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false)$/) {
					n = split(suites, s, " ")
					for (i = 1; i <= n; i++) if (s[i] == want) { split(uris, u, " "); print u[1]; found = 1; exit }
				}
				uris = ""; suites = ""; types = ""; enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "uris:"    { $1 = ""; uris = $0 }
			tolower($1) == "suites:"  { $1 = ""; suites = $0 }
			tolower($1) == "types:"   { $1 = ""; types = $0 }
			tolower($1) == "enabled:" { enabled = tolower($2) }
			END { flush() }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [options] URI SUITE COMPONENTS...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk -v want="$want" '$1 == "deb" && $3 == want { print $2 }'
	done
	shopt -u nullglob
}

MIRROR="${PG_IMAGE_MIRROR:-}"
if [ -z "$MIRROR" ]; then
	# shellcheck disable=SC1091
	host_codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")" || true
	for s in "$SUITE" "$host_codename" stable; do
		[ -n "$s" ] || continue
		MIRROR="$(mirror_for_suite "$s" | head -n1)"
		[ -z "$MIRROR" ] || break
	done
fi
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt sources; set PG_IMAGE_MIRROR"
log "building $TAG: Debian $SUITE + postgresql-$PG_MAJOR from $MIRROR"

# --- build rootfs -----------------------------------------------------------
WORK="$(mktemp -d "${PG_IMAGE_WORKDIR:-/var/tmp}/schemagate-pg-image.XXXXXX")"
ROOTFS="$WORK/rootfs"
cleanup() {
	# Unmount anything debootstrap may have left mounted (deepest first)
	# before deleting, so rm can never reach into the host's /proc or /dev.
	local m
	awk -v p="$WORK/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

keyring=()
[ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
	keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)

log "debootstrap (about a minute; its log is shown on failure)"
set +e
debootstrap --variant=minbase --components=main "${keyring[@]}" \
	--include="postgresql-$PG_MAJOR" \
	"$SUITE" "$ROOTFS" "$MIRROR" </dev/null 2>&1 |
	tee "$WORK/debootstrap.log" |
	grep --line-buffered -E '^(E:|W:|I: (Retrieving Release|Resolving|Checking component|Installing core|Unpacking the base|Configuring the base|Base system))' |
	sed -u 's/^/    /' >&2
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" != 0 ]; then
	log "debootstrap failed (exit $rc); last lines of its log:"
	tail -n 40 "$WORK/debootstrap.log" >&2
	[ ! -f "$ROOTFS/debootstrap/debootstrap.log" ] || tail -n 40 "$ROOTFS/debootstrap/debootstrap.log" >&2
	exit 1
fi

log "configuring rootfs"
in_root() { chroot "$ROOTFS" "$@"; }
# The package's postinst creates a 'main' cluster; the entrypoint uses $PGDATA.
rm -rf "$ROOTFS/var/lib/postgresql/$PG_MAJOR" "$ROOTFS/etc/postgresql/$PG_MAJOR"
install -m 0755 "$HERE/entrypoint.sh" "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$ROOTFS/docker-entrypoint-initdb.d" "$ROOTFS/var/lib/postgresql/data"
in_root chown postgres:postgres /var/lib/postgresql /var/lib/postgresql/data
in_root chmod 0700 /var/lib/postgresql/data
in_root sh -c "command -v setpriv" >/dev/null || die "setpriv missing from the rootfs"
PG_VERSION="$(in_root dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR")" ||
	die "postgresql-$PG_MAJOR is not installed in the rootfs"
log "postgresql-$PG_MAJOR $PG_VERSION"

# Drop the LLVM JIT (~160 MB with libLLVM and libz3, used by nothing else):
# without llvmjit.so, postgres silently runs with JIT unavailable.
rm -rf "$ROOTFS/usr/lib/postgresql/$PG_MAJOR/lib/llvmjit"* \
	"$ROOTFS/usr/lib/postgresql/$PG_MAJOR/lib/bitcode" \
	"$ROOTFS"/usr/lib/*-linux-gnu/libLLVM[-.]* "$ROOTFS"/usr/lib/*-linux-gnu/libz3.so*

log "cleaning caches"
in_root apt-get clean
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* \
	"$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old \
	"$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
	"$ROOTFS"/usr/share/locale/* \
	"$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
find "$ROOTFS/var/log" -type f -exec truncate -s 0 {} +
# Docker provides these at run time; don't ship the build machine's.
: >"$ROOTFS/etc/resolv.conf"
: >"$ROOTFS/etc/hostname"
log "rootfs size: $(du -sh --one-file-system "$ROOTFS" | cut -f1)"

# --- import -----------------------------------------------------------------
# `docker import --change` does not accept STOPSIGNAL, so that one is added by
# a one-line `docker build` on top of the imported image (no registry needed).
log "docker import"
PATH_IN_IMAGE="/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
old_id="$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)"
import_tag="schemagate-pg-image-import:$$"
tar --numeric-owner -C "$ROOTFS" \
	--exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
	docker import \
		--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
		--change 'CMD ["postgres"]' \
		--change "ENV PATH=$PATH_IN_IMAGE" \
		--change 'ENV PGDATA=/var/lib/postgresql/data' \
		--change 'ENV LANG=C.UTF-8' \
		--change "ENV PG_MAJOR=$PG_MAJOR" \
		--change 'EXPOSE 5432' \
		--change "LABEL org.schemagate.pg-image=$PG_MAJOR-$SUITE" \
		--change "LABEL org.schemagate.pg-version=$PG_VERSION" \
		--message "schemagate test PostgreSQL $PG_MAJOR ($SUITE, debootstrap)" \
		- "$import_tag" >/dev/null
log "docker build (STOPSIGNAL) -> $TAG"
buildkit=0 # the classic builder needs no buildx plugin; BuildKit if present
! docker buildx version >/dev/null 2>&1 || buildkit=1
if ! printf 'FROM %s\nSTOPSIGNAL SIGINT\n' "$import_tag" |
	DOCKER_BUILDKIT="$buildkit" docker build -q -t "$TAG" - >/dev/null 2>"$WORK/build.err"; then
	cat "$WORK/build.err" >&2
	docker rmi "$import_tag" >/dev/null 2>&1 || true
	die "docker build failed"
fi
docker rmi "$import_tag" >/dev/null # untags only: it is the new image's parent
new_id="$(docker image inspect -f '{{.Id}}' "$TAG")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
	docker rmi "$old_id" >/dev/null 2>&1 || log "note: old image $old_id still in use, not removed"
fi

log "done: $TAG, postgresql-$PG_MAJOR $PG_VERSION ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
