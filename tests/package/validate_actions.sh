#!/usr/bin/env bash
# Usage: validate_actions.sh SOURCE_DIR
# Validates the composite GitHub Action (action.yml) and the example workflow
# (docs/examples/github-actions.yml) with action-validator, which checks each
# file against the published JSON schema of GitHub actions and workflows (and
# that path globs in `on:` filters match files); neither can run here.
set -euo pipefail
cd "$1"
command -v action-validator >/dev/null ||
  { echo "validate_actions: action-validator missing (scripts/bootstrap installs it from npm)" >&2; exit 1; }
status=0
for f in action.yml docs/examples/github-actions.yml; do
  if action-validator "$f"; then
    echo "validate_actions: $f valid"
  else
    echo "validate_actions: $f INVALID" >&2
    status=1
  fi
done
exit $status
