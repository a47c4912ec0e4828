#!/usr/bin/env bash
# Installs schemagate for the GitHub Action (action.yml): the released binary
# for this runner when there is one, else a build of the action's source.
# Inputs come as environment variables, never spliced into the script.
set -euo pipefail

bin_dir="${RUNNER_TEMP:-/tmp}/schemagate-bin"
mkdir -p "$bin_dir"
echo "$bin_dir" >> "${GITHUB_PATH:-/dev/null}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) triple=x86_64-unknown-linux-gnu ;;
  Linux-aarch64) triple=aarch64-unknown-linux-gnu ;;
  Darwin-arm64) triple=aarch64-apple-darwin ;;
  Darwin-x86_64) triple=x86_64-apple-darwin ;;
  *) triple="" ;;
esac

download() {
  [ -n "$triple" ] && [ -n "${ACTION_REPOSITORY:-}" ] || return 1
  local base="https://github.com/$ACTION_REPOSITORY/releases"
  local url
  if [ "${INPUT_VERSION:-latest}" = latest ]; then
    url="$base/latest/download/schemagate-$triple.tar.gz"
  else
    url="$base/download/$INPUT_VERSION/schemagate-$triple.tar.gz"
  fi
  echo "downloading $url"
  local tmp
  tmp=$(mktemp -d)
  # The archive is checked against the release's .sha256 before unpacking:
  # a missing or wrong checksum means building from source instead.
  curl --fail --silent --show-error --location -o "$tmp/schemagate.tar.gz" "$url" &&
    curl --fail --silent --show-error --location -o "$tmp/schemagate.tar.gz.sha256" "$url.sha256" || {
      rm -rf "$tmp"
      return 1
    }
  local want got
  want=$(cut -d' ' -f1 < "$tmp/schemagate.tar.gz.sha256")
  if command -v sha256sum >/dev/null; then
    got=$(sha256sum "$tmp/schemagate.tar.gz" | cut -d' ' -f1)
  else
    got=$(shasum -a 256 "$tmp/schemagate.tar.gz" | cut -d' ' -f1)
  fi
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "checksum mismatch for $url (want $want, got $got); building from source" >&2
    rm -rf "$tmp"
    return 1
  fi
  tar -xzf "$tmp/schemagate.tar.gz" -C "$bin_dir" schemagate
  rm -rf "$tmp"
}

build() {
  echo "building schemagate from ${GITHUB_ACTION_PATH:-.}"
  cargo install --locked --root "${RUNNER_TEMP:-/tmp}/schemagate-cargo" --path "${GITHUB_ACTION_PATH:-.}"
  cp "${RUNNER_TEMP:-/tmp}/schemagate-cargo/bin/schemagate" "$bin_dir/"
}

if [ "${INPUT_BUILD:-false}" = true ] || ! download; then
  build
fi
"$bin_dir/schemagate" --version
