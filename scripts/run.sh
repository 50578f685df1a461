#!/usr/bin/env bash
# Run the whole system on the embedded default (SQLite file, Celery eager): one URL, no servers.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p data
if [ -z "${ADMIN_EMAIL:-}" ] || [ -z "${ADMIN_PASSWORD:-}" ]; then
  # A first admin for the embedded default, generated once and kept in data/ (git-ignored).
  if [ ! -f data/admin-credentials ]; then
    printf 'admin@example.com %s\n' "$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')" > data/admin-credentials
    chmod 600 data/admin-credentials
  fi
  read -r ADMIN_EMAIL ADMIN_PASSWORD < data/admin-credentials
  export ADMIN_EMAIL ADMIN_PASSWORD
fi

echo "==> migrating the database"
.venv/bin/python -m core.migrate
if [ "${SEED:-}" = "1" ]; then
  echo "==> loading the sample data (seed/data.json) through the commands"
  .venv/bin/python -m seed.load
fi
if [ -f frontend/package.json ]; then
  echo "==> starting the web UI (npm run dev in frontend/)"
  (cd frontend && npm run dev) &
  trap 'kill $! 2>/dev/null || true' EXIT
fi
echo
echo "  Booking ledger on http://$HOST:$PORT   (API docs: http://$HOST:$PORT/docs)"
echo "  admin login: $ADMIN_EMAIL / $ADMIN_PASSWORD"
echo
# Without a web UI to stop afterwards, uvicorn replaces this shell (signals go straight to it).
[ -f frontend/package.json ] || exec .venv/bin/uvicorn query_api.main:app --host "$HOST" --port "$PORT" --no-access-log "$@"
.venv/bin/uvicorn query_api.main:app --host "$HOST" --port "$PORT" --no-access-log "$@"
