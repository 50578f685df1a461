# Common tasks; the README's two commands (./scripts/run.sh, ./scripts/test.sh) stay the entry points.
.PHONY: help setup run seed-run test test-quick lint sdk seed run-distributed compose-up compose-down bench

help:  ## list the tasks
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup:  ## .venv with pinned dependencies and the SDK (idempotent)
	./scripts/setup.sh

run:  ## the embedded system on http://127.0.0.1:8000 (SQLite, Celery eager)
	./scripts/run.sh

seed-run:  ## as run, with the sample data loaded through the commands
	SEED=1 ./scripts/run.sh

test:  ## ruff, mypy, the web UI and every test suite (PostgreSQL + Redis needed)
	./scripts/test.sh

test-quick:  ## ruff, mypy, the core, commands and API tests on the embedded system (no services)
	./scripts/test.sh --quick

lint:  ## ruff and mypy only
	./scripts/setup.sh && .venv/bin/ruff check . && .venv/bin/mypy .

sdk:  ## regenerate sdk/event_sdk from the app's OpenAPI document (needs Java)
	./scripts/regenerate_sdk.sh

seed:  ## regenerate seed/seed_data.sql and seed_data.sqlite.sql from a deterministic seed run
	./scripts/setup.sh && .venv/bin/python -m seed.export_sql

run-distributed:  ## API (3 processes), 2 workers and beat on local PostgreSQL + Redis
	./scripts/run_distributed.sh

compose-up:  ## the same topology in Docker (docker compose)
	docker compose up --build -d

compose-down:  ## stop it
	docker compose down

bench:  ## performance suite: ledger vs a SELECT ... FOR UPDATE baseline (PostgreSQL + Redis)
	./scripts/setup.sh && .venv/bin/python -m bench.suite
