#!/usr/bin/env bash
# The whole test suite: lint, types, the web UI (typecheck, build, Vitest), every pytest suite
# (embedded, and PostgreSQL + Redis + Celery), then the end-to-end tests in headless Chromium.
# Exits non-zero when any step fails. SKIP_FRONTEND=1 runs only the Python steps.
#
# --quick: ruff, mypy, and the tests of core/, commands/ (domain, store, audit) and query_api/
# (the API), the layers' imports, the architecture doc's folder lists and the README's examples'
# variables, on the embedded system alone (no PostgreSQL, Redis or worker, no test that runs
# alone, no web UI): the check to run before each commit.
# Any other argument goes to pytest, e.g. `./scripts/test.sh --quick -x -k booking`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiled modules kept in __pycache__ (ignored by git), whatever the machine says: without them
# every test process compiles the project again and pytest rewrites every test module's asserts
# again (about half of collecting the suite), and so does each process the tests start.
unset PYTHONDONTWRITEBYTECODE
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
if [ "$quick" = 1 ]; then ./scripts/setup.sh; else ./scripts/setup.sh --for-tests; fi

timed() {  # timed LABEL COMMAND...: run a step, print how long it took, return its status
  local label=$1 start=$SECONDS rc=0
  shift
  echo "==> $label"
  # `set -e` does not apply inside a function called from `cmd || …`: keep the status by hand,
  # or a failing pytest would end the script with status 0.
  "$@" || rc=$?
  echo "    $label: $((SECONDS - start)) s"
  return "$rc"
}
in_background() {  # in_background LOG LABEL COMMAND...: `timed` in the background, its output
  # held in LOG until `collect` prints it (two steps' lines never interleave); sets $!
  local log=$1
  shift
  timed "$@" >"$log" 2>&1 &
}
collect() {  # collect PID LOG: wait for a background step, print its output, return its status
  local rc=0
  wait "$1" || rc=$?
  cat "$2"
  rm -f "$2"
  return "$rc"
}
pytest_part() {  # pytest_part NAME ARGS...: pytest, where "no test selected" (status 5) is no failure
  local rc=0 name=$1
  shift
  # The slowest tests of each part are listed, and every test's time kept in a JUnit report:
  # where the command's time goes (`python scripts/test_times.py` sums them by file).
  mkdir -p artifacts/junit
  .venv/bin/pytest --durations=8 --durations-min=5 --junitxml="artifacts/junit/$name.xml" \
    -o junit_duration_report=total "$@" || rc=$?
  if [ "$rc" = 5 ]; then rc=0; fi
  return "$rc"
}
frontend=0
if [ "$quick" = 0 ] && [ -f frontend/package.json ] && [ "${SKIP_FRONTEND:-}" != "1" ]; then
  frontend=1
fi

timed ruff .venv/bin/ruff check .
if [ "$quick" = 1 ]; then
  # mypy beside the tests (they are the ones that run two at a time, on busy cores anyway).
  mypy_log=$(mktemp)
  in_background "$mypy_log" mypy .venv/bin/mypy .
  mypy=$!
  # The `postgres` marker: the backends' PostgreSQL parameters and the tests asking for a
  # PostgreSQL fixture (tests/conftest.py); `provider`, `redis`: the tests talking to localstripe
  # or to Redis alone (the quick tier starts no server); `serial`: the tests that run alone;
  # `scenario`: whole systems under load or faults.
  status=0
  timed "pytest, quick: core, commands and API tests, embedded" \
    .venv/bin/pytest -n 2 --dist worksteal \
    -m "not serial and not scenario and not postgres and not provider and not redis" \
    tests/test_layers.py tests/test_architecture_doc.py tests/test_readme_examples.py \
    tests/core tests/commands tests/query_api "$@" || status=1
  collect "$mypy" "$mypy_log" || status=1
  exit "$status"
fi
if [ "$frontend" = 1 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js (npm) is required to test the web UI (SKIP_FRONTEND=1 skips it)" >&2
    exit 1
  fi
  # The typecheck and build beside mypy (no test in them); Vitest alone after: beside mypy,
  # its timing-sensitive tests flaked on two busy cores.
  build_log=$(mktemp)
  in_background "$build_log" "web UI: typecheck and build" \
    bash -c 'cd frontend && npm run --silent build -- --logLevel warn'
  build=$!
  mypy_status=0
  # Two processes: a fresh clone's check has no cache, and the build leaves a core free.
  timed mypy .venv/bin/mypy --num-workers 2 . || mypy_status=$?
  collect "$build" "$build_log"
  if [ "$mypy_status" != 0 ]; then exit "$mypy_status"; fi
  timed "web UI: vitest" bash -c 'cd frontend && npx --no-install vitest run'
else
  timed mypy .venv/bin/mypy .
fi

status=0
# Two at a time (one file's tests stay together), then alone what times itself or loads the
# machine (the `serial` marker: `pytestmark = pytest.mark.serial` in those modules).
# A test process that dies (a crash in a C extension) ends its part as failed: xdist's replacement
# worker was once left waiting for work its scheduler never sent, a hang in CI.
timed "pytest, two at a time" pytest_part two-at-a-time -n 2 --max-worker-restart=0 --dist loadfile -m "not serial and not scenario" \
  "$@" || status=1
timed "pytest, alone" pytest_part alone -p no:xdist -m serial "$@" || status=1
# The scenarios (whole systems under load or faults: `pytest.mark.scenario`) two at a time among
# themselves, beside the end-to-end runs: each of them waits on its faults, servers and browser
# as much as it computes, and none times itself. In collection order, not files with more tests
# first (xdist's default): the chaos soak, the longest, starts at once rather than last.
scenarios_log=$(mktemp)
in_background "$scenarios_log" "pytest, scenarios two at a time" pytest_part scenarios -n 2 --max-worker-restart=0 --dist loadfile \
  --no-loadscope-reorder -m scenario "$@"
scenarios=$!
if [ "$frontend" = 1 ]; then
  # Each run has its own API on its own port: embedded (own SQLite file) and distributed (own
  # PostgreSQL database, Redis queue and celery worker), both at once: each waits on its browser
  # and its API more than it computes. Screenshots: artifacts/screenshots/.
  e2e_log=$(mktemp)
  in_background "$e2e_log" "web UI: end-to-end, PostgreSQL + Redis + worker" \
    bash -c 'cd frontend && E2E_BACKEND=distributed node e2e/run.mjs'
  e2e=$!
  # Then the payments' specs on an embedded API that takes payments through localstripe.
  timed "web UI: end-to-end, embedded (headless Chromium), then payments through localstripe" \
    bash -c 'cd frontend && node e2e/run.mjs && E2E_PAYMENTS=localstripe node e2e/run.mjs' || status=1
  collect "$e2e" "$e2e_log" || status=1
fi
collect "$scenarios" "$scenarios_log" || status=1
exit "$status"
