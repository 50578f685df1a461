#!/usr/bin/env bash
# Create .venv and install the project with its pinned dependencies, and theirs (constraints.txt),
# and the web UI's (npm); idempotent and quiet when up to date. `--for-tests` also installs what
# only the tests need: Chromium for the end-to-end tests, and poppler-utils (pdftoppm) to draw a
# PDF they download (scripts/test.sh asks for it).
set -euo pipefail
cd "$(dirname "$0")/.."
for_tests=0
case "${1:-}" in
  --for-tests) for_tests=1 ;;
  "") ;;
  *) echo "usage: $0 [--for-tests]" >&2; exit 2 ;;
esac

is_modern() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    # `command -v` is not enough: version-manager shims exist for versions not installed.
    if is_modern "$candidate"; then PYTHON=$candidate; break; fi
  done
fi
if [ -z "$PYTHON" ] || ! is_modern "$PYTHON"; then
  echo "error: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi

# A changed pin, direct or indirect, installs again.
stamp=.venv/.installed-$(cat pyproject.toml sdk/pyproject.toml constraints.txt | sha256sum | cut -c1-16)
# The three installs touch nothing of each other's (.venv, frontend/node_modules, the system's
# packages) and each waits on downloads and disks more than on a core: side by side, a fresh
# clone waits for the longest, not their sum. Each step's output goes to its own log, shown only
# when it fails.
steps=()  # "pid|log|label" of each install started
run_step() {  # run_step LABEL LOG COMMAND...: in the background, its output in LOG
  local label=$1 log=$2
  shift 2
  echo "==> $label"
  "$@" >"$log" 2>&1 &
  steps+=("$!|$log|$label")
}
install_python() {
  # The editable installs' build prints pages of setuptools notices: kept in the log.
  .venv/bin/python -m pip install --quiet --upgrade -c constraints.txt pip
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev,sdk,bench]'
  # The generated SDK (event_sdk), editable; its dependencies are pinned in the `sdk` extra.
  .venv/bin/python -m pip install --quiet --no-deps -e ./sdk
  # A pin removed since this venv was made leaves its package behind: removed, so that the venv
  # holds what a fresh clone installs.
  .venv/bin/python scripts/unpinned.py | xargs -r .venv/bin/python -m pip uninstall --quiet -y
  rm -f .venv/.installed-*
  touch "$stamp"
}
install_frontend() {
  cd frontend
  if [ -f package-lock.json ]; then npm ci --silent; else npm install --silent; fi
  touch node_modules
}
install_chromium() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium poppler-utils
}

if [ ! -f "$stamp" ]; then
  run_step "installing Python dependencies (pinned in pyproject.toml and constraints.txt; a few minutes the first time)" \
    .venv/setup.log install_python
fi

if [ -d frontend ] && [ -f frontend/package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    # The API runs without it (no web UI at /); the tests need it, so CI fails here.
    echo "warning: Node.js 20+ (npm) is needed to build and test the web UI in frontend/ (https://nodejs.org)" >&2
    case "${CI:-}" in 1|true|yes) exit 1 ;; esac
  elif [ ! -d frontend/node_modules ] || [ frontend/package.json -nt frontend/node_modules ]; then
    run_step "installing frontend dependencies (npm)" .venv/setup-npm.log install_frontend
  fi
fi

# The browser tests drive Debian's Chromium through playwright-core (no browser download), and
# draw an invoice they download with poppler's pdftoppm: the tests' need alone, so running the
# system does not install them.
chromium_step=0
if [ "$for_tests" = 1 ] && [ -f frontend/package.json ] && command -v apt-get >/dev/null 2>&1 \
    && { { [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; } || ! command -v pdftoppm >/dev/null 2>&1; }; then
  run_step "installing chromium and poppler-utils for the end-to-end tests (apt-get)" .venv/setup-apt.log install_chromium
  chromium_step=${#steps[@]}
fi

failed=0
for i in "${!steps[@]}"; do
  IFS="|" read -r pid log label <<<"${steps[$i]}"
  if wait "$pid"; then continue; fi
  if [ "$((i + 1))" = "$chromium_step" ]; then
    echo "warning: could not install chromium and poppler-utils (needs root or password-less sudo): run" \
         "'apt-get install chromium poppler-utils', or set CHROMIUM_PATH; the end-to-end tests fail in CI and" \
         "are skipped elsewhere without chromium" >&2
    tail -n 20 "$log" >&2
    continue
  fi
  echo "error: failed: $label" >&2
  echo "---- its output ($log) ----" >&2
  tail -n 80 "$log" >&2
  failed=1
done
exit "$failed"
