#!/usr/bin/env bash
# The whole test suite: lint, then every pytest suite (embedded, and PostgreSQL + Redis + Celery).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

echo "==> ruff"
.venv/bin/ruff check .
echo "==> mypy"
.venv/bin/mypy .
echo "==> pytest"
exec .venv/bin/pytest "$@"
