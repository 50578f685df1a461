#!/usr/bin/env bash
# Run the whole system on the embedded default (SQLite file, Celery eager): one URL, no servers.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# data/ holds password hashes, ticket codes, personal data and the signing keys: from here on
# (this script, and the server it becomes) every file and folder is made for its owner alone,
# from its first byte. A data/ left readable by an earlier run is closed too.
umask 077
mkdir -p data
chmod -R go-rwx data
if [ -z "${ADMIN_EMAIL:-}" ] || [ -z "${ADMIN_PASSWORD:-}" ]; then
  # A first admin for the embedded default, generated once and kept in data/ (git-ignored).
  if [ ! -f data/admin-credentials ]; then
    printf 'admin@ledger.example.com %s\n' "$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')" > data/admin-credentials
  fi
  read -r ADMIN_EMAIL ADMIN_PASSWORD < data/admin-credentials
  export ADMIN_EMAIL ADMIN_PASSWORD
fi
# The token signing secret, unless SECRET_KEY is set: made once in data/secret-key (mode 0600)
# by the code the API reads it with, never the public placeholder.
.venv/bin/python -m ops.secret

echo "==> migrating the database"
# Alembic names each migration it runs: kept in data/migrate.log, shown only when it fails.
if ! .venv/bin/python -m ops.migrate > data/migrate.log 2>&1; then
  cat data/migrate.log >&2
  exit 1
fi
if [ "${SEED:-}" = "1" ]; then
  echo "==> loading the sample data (seed/data.json) through the commands"
  .venv/bin/python -m seed.load
fi
if [ -f frontend/package.json ] && command -v npm >/dev/null 2>&1; then
  # The API serves the built UI at / (frontend/dist); `npm run dev` in frontend/ is for UI work.
  echo "==> building the web UI (frontend/dist)"
  (cd frontend && umask 022 && npx --no-install vite build --logLevel warn)  # public files
elif [ ! -f frontend/dist/index.html ]; then
  echo "note: without Node.js the web UI is not built; the API and /docs still run" >&2
fi
echo
echo "  Booking ledger on http://$HOST:$PORT   (API docs: http://$HOST:$PORT/docs)"
echo "  admin login: $ADMIN_EMAIL / $ADMIN_PASSWORD"
echo "  Ctrl-C stops it; the data stays in data/ for the next start."
echo
# uvicorn replaces this shell, so Ctrl-C and signals go straight to it. --no-proxy-headers:
# X-Forwarded-* are believed only from TRUSTED_PROXIES (the app's setting), not from localhost.
exec .venv/bin/uvicorn query_api.main:app --host "$HOST" --port "$PORT" --no-access-log \
  --no-proxy-headers "$@"
