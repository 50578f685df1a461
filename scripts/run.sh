#!/usr/bin/env bash
# Run the whole system on the embedded default (SQLite file, Celery eager): one URL, no servers.
# PAYMENTS=localstripe also takes card payments, through localstripe on 127.0.0.1 (docs/payments.md).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${PAYMENTS:-}" in
  "" | localstripe) ;;
  *) echo "error: PAYMENTS=$PAYMENTS is not known: leave it unset (no local provider; Stripe's own" \
          "with STRIPE_API_KEY...) or set PAYMENTS=localstripe (a local test Stripe)" >&2
     exit 2 ;;
esac
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
stripe=""
if [ "${PAYMENTS:-}" = localstripe ]; then
  # After the seed (it books paid seats directly, which a provider would refuse): localstripe on
  # LOCALSTRIPE_PORT, else 8420 when free, else any free port; its webhooks signed with a fresh
  # secret and sent to this server; the app's STRIPE_* pointed at it (over any in .env).
  command -v curl >/dev/null 2>&1 || { echo "error: PAYMENTS=localstripe needs curl" >&2; exit 1; }
  stripe_port=$(.venv/bin/python -c '
import socket, sys
asked = sys.argv[1]
if asked and not asked.isdigit():
    sys.exit(f"error: LOCALSTRIPE_PORT={asked} is not a port number")
for port in [int(asked)] if asked else [8420, 0]:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(probe.getsockname()[1])
        sys.exit()
sys.exit(f"error: LOCALSTRIPE_PORT={asked} is in use: stop what holds it, or pick another")
' "${LOCALSTRIPE_PORT:-}")
  stripe=http://127.0.0.1:$stripe_port
  .venv/bin/python -m ops.local_stripe --port "$stripe_port" > data/localstripe.log 2>&1 &
  stripe_pid=$!
  # uvicorn takes over this shell's process (exec below): localstripe ends when it does, however.
  (while kill -0 $$ 2>/dev/null; do sleep 1; done; kill "$stripe_pid" 2>/dev/null) \
    > /dev/null 2>&1 &
  tries=0
  until kill -0 "$stripe_pid" 2>/dev/null \
      && curl -sf -o /dev/null --max-time 2 "$stripe/js.stripe.com/v3/"; do
    tries=$((tries + 1))
    if ! kill -0 "$stripe_pid" 2>/dev/null || [ "$tries" -ge 150 ]; then
      cat data/localstripe.log >&2
      echo "error: localstripe did not start on $stripe (its log above: data/localstripe.log)" >&2
      exit 1
    fi
    sleep 0.2
  done
  case "$HOST" in  # where localstripe reaches this server
    0.0.0.0 | "::") app_host=127.0.0.1 ;;
    *:*) app_host="[$HOST]" ;;
    *) app_host=$HOST ;;
  esac
  STRIPE_WEBHOOK_SECRET=whsec_$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(24))')
  # The secret goes on curl's stdin, not its command line (which any local user can read).
  printf '{"url": "http://%s:%s/api/payments/stripe/webhook", "secret": "%s", "events": %s}' \
      "$app_host" "$PORT" "$STRIPE_WEBHOOK_SECRET" \
      '["payment_intent.succeeded", "payment_intent.payment_failed"]' \
    | curl -sf -o /dev/null --max-time 5 -X POST "$stripe/_config/webhooks/ledger" \
        -H 'Content-Type: application/json' --data-binary @- \
    || { echo "error: localstripe refused the webhook's registration ($stripe)" >&2; exit 1; }
  export STRIPE_API_KEY=sk_test_local STRIPE_PUBLISHABLE_KEY=pk_test_local STRIPE_API_BASE=$stripe
  export STRIPE_WEBHOOK_SECRET
fi
echo
echo "  Booking ledger on http://$HOST:$PORT   (API docs: http://$HOST:$PORT/docs)"
echo "  admin login: $ADMIN_EMAIL / $ADMIN_PASSWORD"
if [ -n "$stripe" ]; then
  echo "  payments go to localstripe on $stripe (test cards only; its log: data/localstripe.log)"
fi
echo "  Ctrl-C stops it; the data stays in data/ for the next start."
echo
# uvicorn replaces this shell, so Ctrl-C and signals go straight to it. --no-proxy-headers:
# X-Forwarded-* are believed only from TRUSTED_PROXIES (the app's setting), not from localhost.
exec .venv/bin/uvicorn query_api.main:app --host "$HOST" --port "$PORT" --no-access-log \
  --no-proxy-headers "$@"
