#!/usr/bin/env bash
# Make the secrets docker-compose.yml needs, once: writes the missing ones into .env beside it
# (mode 0600) and keeps those already there, so running it again changes nothing. Then:
#   docker compose up --build -d
# and sign in at http://127.0.0.1:${API_PORT:-8000} as ADMIN_EMAIL with the ADMIN_PASSWORD this
# prints (the first admin, created at the API's first start). Needs openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
ENV_FILE=${ENV_FILE:-.env}
touch "$ENV_FILE"
chmod 600 "$ENV_FILE"

have() { grep -qE "^$1=." "$ENV_FILE"; }
put() { have "$1" || printf '%s=%s\n' "$1" "$2" >>"$ENV_FILE"; }
random() { openssl rand -hex 32; }

for name in SECRET_KEY SNAPSHOT_KEY POSTGRES_PASSWORD DB_OWNER_PASSWORD DB_API_PASSWORD \
            DB_WORKER_PASSWORD; do
  put "$name" "$(random)"
done
# The signer's Ed25519 key for tree heads: the private half goes to the workers alone, the
# public half to the API, which trusts proofs with it and nothing from the database.
if ! have CHECKPOINT_KEY; then
  der=$(mktemp)
  trap 'rm -f "$der"' EXIT
  openssl genpkey -algorithm ed25519 -outform DER -out "$der"
  # PKCS#8 and SubjectPublicKeyInfo of Ed25519 end with the 32 raw bytes of the key.
  private=$(tail -c 32 "$der" | base64)
  public=$(openssl pkey -inform DER -in "$der" -pubout -outform DER | tail -c 32 | base64)
  sed -i.bak '/^CHECKPOINT_PUBLIC_KEYS=/d' "$ENV_FILE" && rm -f "$ENV_FILE.bak"
  put CHECKPOINT_KEY "$private"
  put CHECKPOINT_PUBLIC_KEYS "[\"$public\"]"
fi
# The webhook secrets' sealing keys (API, workers, migration): a JSON list, the first seals.
put WEBHOOK_SECRET_KEYS "[\"$(random)\"]"
# The persons' data keys' wrapping key (API and workers): base64 of 32 random bytes.
put PERSONAL_DATA_KEY "$(openssl rand -base64 32)"
put ADMIN_EMAIL "admin@example.com"
if ! have ADMIN_PASSWORD; then
  put ADMIN_PASSWORD "$(openssl rand -base64 18 | tr -d '/+=')"
fi

echo "secrets in $ENV_FILE (mode 0600); the first admin:"
grep -E '^ADMIN_(EMAIL|PASSWORD)=' "$ENV_FILE" | sed 's/^/  /'
