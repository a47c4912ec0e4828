#!/usr/bin/env bash
# Runs `schemagate check` for the GitHub Action (action.yml): annotations on
# stdout (the runner turns `::error` lines into annotations at the expected
# file's lines), the Markdown report appended to the job summary, and the
# exit status passed on (0 match, 1 mismatch, 2 error). Inputs come as
# environment variables, never spliced into the script.
set -uo pipefail

markdown="${RUNNER_TEMP:-/tmp}/schemagate-summary.md"
rm -f "$markdown"
args=(check
  --migrations "${INPUT_MIGRATIONS:-migrations}"
  --expected "${INPUT_EXPECTED:-expected_schema.yaml}"
  --target "${INPUT_TARGET:-auto}"
  --format github
  --output "markdown=$markdown")
if [ -n "${INPUT_JUNIT:-}" ]; then
  args+=(--output "junit=$INPUT_JUNIT")
fi
# Extra arguments split on whitespace, as a shell would, but not evaluated.
read -r -a extra <<< "${INPUT_ARGS:-}"
args+=("${extra[@]}")

schemagate "${args[@]}"
status=$?

if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$markdown" ]; then
    cat "$markdown" >> "$GITHUB_STEP_SUMMARY"
  else
    echo "### ⚠️ schemagate could not check the schema (exit status $status); see the log." >> "$GITHUB_STEP_SUMMARY"
  fi
fi
echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$status"
