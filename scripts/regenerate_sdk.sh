#!/usr/bin/env bash
# Regenerate the Python SDK (sdk/event_sdk) from the app's OpenAPI document; no server needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v java >/dev/null 2>&1; then
  echo "error: Java 11+ is required to regenerate the SDK (e.g. apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
./scripts/setup.sh
.venv/bin/python sdk/generate.py "$@"
