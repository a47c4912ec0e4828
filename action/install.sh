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
  curl --fail --silent --show-error --location "$url" | tar -xz -C "$bin_dir" schemagate
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
