#!/usr/bin/env bash
# The docker-compose topology as local processes, on the local PostgreSQL and Redis:
# migrate once, the API in several processes, 2 Celery workers, a webhooks worker and Celery beat.
# Ctrl-C stops all.
# DATABASE_URL is the tables' owner's: only the migration uses it. The API and the workers connect
# as roles of their own with least privilege (ops/roles.py), which the migration sets up.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the run folder holds keys, secrets and logs: this user's alone
./scripts/setup.sh

export DATABASE_URL=${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/ledger}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
export CELERY_NAMESPACE=${CELERY_NAMESPACE:-ledger}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
API_PROCESSES=${API_PROCESSES:-3}
WORKERS=${WORKERS:-2}
RUN_DIR=${RUN_DIR:-data/distributed-$CELERY_NAMESPACE}
mkdir -p "$RUN_DIR"

echo "==> checking PostgreSQL and Redis"
if ! .venv/bin/python scripts/services_ready.py; then
  echo "error: start PostgreSQL and Redis first (or set DATABASE_URL / CELERY_BROKER_URL)" >&2
  exit 1
fi
if [ -d frontend ] && ! command -v node >/dev/null 2>&1; then
  echo "warning: frontend/ exists but Node.js is missing: the web UI will not be served" >&2
fi

# The API's token signing secret, the snapshots' seal and the webhook secrets' key (the last
# two for the API and the workers), unless given: each made once in $RUN_DIR (random, mode
# 0600) and kept, so tokens and sealed secrets outlive a restart.
secret() { .venv/bin/python -c 'import pathlib, sys; from core.secretfile import read_or_create
print(read_or_create(pathlib.Path(sys.argv[1])))' "$RUN_DIR/$1"; }
SECRET_KEY=${SECRET_KEY:-$(secret secret-key)}
SNAPSHOT_KEY=${SNAPSHOT_KEY:-$(secret snapshot-key)}
WEBHOOK_SECRET_KEYS=${WEBHOOK_SECRET_KEYS:-[\"$(secret webhook-secret-key)\"]}
export WEBHOOK_SECRET_KEYS  # the migration seals secrets stored before sealing with it too
# The persons' data keys' wrapping key: the API seals with it, the workers open with it.
personal_key() { .venv/bin/python -c 'import pathlib, sys; from core import secretfile
print(secretfile.read_or_create(pathlib.Path(sys.argv[1]), make=secretfile.new_personal_key,
                                min_length=44))' "$RUN_DIR/$1"; }
PERSONAL_DATA_KEY=${PERSONAL_DATA_KEY:-$(personal_key personal-data-key)}
export PERSONAL_DATA_KEY

echo "==> migrating (once, before any process starts); the roles of the API and the workers"
# Each start gives them a fresh password (the migration sets it), unless their URLs are given.
API_DATABASE_URL=${API_DATABASE_URL:-$(.venv/bin/python -m ops.roles api)}
WORKER_DATABASE_URL=${WORKER_DATABASE_URL:-$(.venv/bin/python -m ops.roles worker)}
API_DATABASE_URL=$API_DATABASE_URL WORKER_DATABASE_URL=$WORKER_DATABASE_URL \
  .venv/bin/python -m ops.migrate
# The signer's Ed25519 key (tree heads): made once in $RUN_DIR (mode 0600) and given to the
# workers alone; the API processes get its public half, the only key their proofs are trusted
# with, and the heads file the workers ship to, which verify reads.
if [ -z "${CHECKPOINT_KEY:-}" ]; then
  CHECKPOINT_KEY_FILE=${CHECKPOINT_KEY_FILE:-$RUN_DIR/checkpoint-key.pem}
  PUBLIC_KEY=$(.venv/bin/python -m ops.signing_key "$CHECKPOINT_KEY_FILE")
  CHECKPOINT_PUBLIC_KEYS=${CHECKPOINT_PUBLIC_KEYS:-[\"$PUBLIC_KEY\"]}
fi
export CHECKPOINT_LOG_FILE=${CHECKPOINT_LOG_FILE:-$RUN_DIR/checkpoints.jsonl}

pids=()
stop_all() {
  trap - EXIT INT TERM
  echo "==> stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop_all EXIT INT TERM

start() {  # start NAME api|worker|webhooks|beat COMMAND...: in the background, log and pid in $RUN_DIR
  local name=$1 kind=$2; shift 2
  # Its own role's URL and no other, the token secret for the API alone, the heads' private
  # key for the workers alone (the signer): in its environment, not on a command line.
  (if [ "$kind" = api ]; then
     export DATABASE_URL=$API_DATABASE_URL SECRET_KEY CHECKPOINT_PUBLIC_KEYS
     unset CHECKPOINT_KEY CHECKPOINT_KEY_FILE
   else
     export DATABASE_URL=$WORKER_DATABASE_URL; unset SECRET_KEY
     if [ "$kind" = worker ]; then export CHECKPOINT_KEY CHECKPOINT_KEY_FILE
     else unset CHECKPOINT_KEY CHECKPOINT_KEY_FILE; fi
   fi
   export SNAPSHOT_KEY; unset API_DATABASE_URL WORKER_DATABASE_URL
   exec "$@") >"$RUN_DIR/$name.log" 2>&1 &
  pids+=("$!")
  echo "$!" >"$RUN_DIR/$name.pid"
  echo "    $name: pid $! (log $RUN_DIR/$name.log)"
}

echo "==> starting $WORKERS workers, a webhooks worker, beat and $API_PROCESSES API processes"
for i in $(seq 1 "$WORKERS"); do
  start "worker$i" worker .venv/bin/celery -A workers.celery_app worker --pool threads --concurrency 4 \
    --loglevel INFO --without-gossip --without-mingle -n "worker$i-$CELERY_NAMESPACE@%h"
done
# Webhook deliveries wait on other people's servers: a queue and processes of their own, so no
# receiver holds up the holds' expiry, projections or signing; prefork, where Celery enforces
# the deliveries' time limits (workers/webhooks/worker.py). It signs nothing: no signing key.
start webhooks webhooks .venv/bin/python -m workers.webhooks.worker --concurrency 2 --loglevel INFO \
  --without-gossip --without-mingle -n "webhooks-$CELERY_NAMESPACE@%h"
start beat beat .venv/bin/celery -A workers.celery_app beat --loglevel INFO \
  --schedule "$RUN_DIR/celerybeat-schedule"
# uvloop: accepted connections keep TCP_NODELAY, so keep-alive requests do not stall ~40 ms.
# --no-proxy-headers: X-Forwarded-* are believed only from TRUSTED_PROXIES (the app's setting).
start api api .venv/bin/uvicorn query_api.main:app --host "$HOST" --port "$PORT" \
  --workers "$API_PROCESSES" --loop uvloop --no-access-log --no-proxy-headers

echo
echo "  Booking ledger (distributed) on http://$HOST:$PORT   (API docs: http://$HOST:$PORT/docs)"
  echo "  broker queues: $CELERY_NAMESPACE, $CELERY_NAMESPACE.outbound   logs and pids: $RUN_DIR/"
echo
wait "${pids[-1]}"  # the API; a dead worker is covered by the other one and by beat
