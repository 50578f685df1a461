"""Layers: the write side imports no read-side code; the read side reads the log alone."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READ_SIDE = ("projections", "query_api", "workers", "ops")


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(_module(node.module, alias.name) for alias in node.names)
    return names


def _module(package: str, name: str) -> str:
    """`package.name` when that is a module of this repository (`from core import
    error_codes`), else `package` (a name defined in it)."""
    found = ROOT.joinpath(*package.split("."), name)
    if found.with_suffix(".py").exists() or (found / "__init__.py").exists():
        return f"{package}.{name}"
    return package


def test_the_write_side_imports_no_read_side_module() -> None:
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "commands").rglob("*.py")
        for name in imported(path)
        if name.split(".")[0] in READ_SIDE
    }
    assert not wrong


def test_projections_read_the_log_without_the_write_sides_application_service() -> None:
    # Audit views (drift, exports) and the proofs' terminal commands take the ledger they are
    # given, for its snapshots; the machinery that keeps read models current reads through
    # core.event_store.global_log alone.
    audit = {"projections/verify.py", "projections/proofs/export.py", "projections/proofs/cli.py"}
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in [*(ROOT / "projections").rglob("*.py"), ROOT / "workers" / "tasks.py"]
        if str(path.relative_to(ROOT)) not in audit
        for name in imported(path)
        if name == "commands.ledger"
    }
    assert not wrong


# The `core` modules the domain may import: canonical JSON and the chain link, which the
# offline tools must hash with too, the error codes the domain refuses with, which the API
# answers and documents, and the known time zone names, which the settings check their default
# against too, and the currencies' minor units, in which a voucher's price is rounded as a
# payment provider counts it, the languages offered, which an event's translations are given in
# and the API checks an account's against, and the sealed value a personal field holds (its key
# is the application's to use). They are standard library only (checked below), so the domain
# still reaches no framework, database or settings through them.
SHARED_WITH_THE_DOMAIN = ("core.proofs.canonical", "core.error_codes", "core.timezones",
                          "core.money", "core.languages", "core.personal")


def test_the_domain_imports_no_framework_nor_the_rest_of_the_write_side() -> None:
    """The Event aggregate, its events and its rules: the standard library, `eventsourcing`,
    the proof kernel, the error codes and each other only (no FastAPI, no database, no
    ledger)."""
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "commands" / "domain").glob("*.py")
        for name in imported(path)
        if (name.split(".")[0] in ("fastapi", "starlette", "pydantic", "sqlalchemy", "core",
                                   *READ_SIDE) and name not in SHARED_WITH_THE_DOMAIN)
        or (name.startswith("commands.") and not name.startswith("commands.domain"))
    }
    assert not wrong


@pytest.mark.parametrize("module", SHARED_WITH_THE_DOMAIN)
def test_what_the_domain_shares_with_core_imports_the_standard_library_only(module: str) -> None:
    source = ROOT / (module.replace(".", "/") + ".py")
    assert {name.split(".")[0] for name in imported(source)} <= set(sys.stdlib_module_names)


def test_a_process_with_no_payment_provider_does_not_load_its_client() -> None:
    # Stripe's client library is a few tens of MB resident: the API and the workers of a
    # deployment without a provider (the embedded default, the chaos soak's workers and their
    # memory limit) must not pay for it.
    probe = ("import sys, query_api.main, workers.celery_app, ops.cli\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'stripe'))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    found = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,  # noqa: S603
                           capture_output=True, text=True).stdout.strip()
    assert found == "[]"


def test_the_payment_rules_speak_the_providers_port_not_stripe() -> None:
    """The use cases, the domain and the audit (reconciliation included) import nothing of
    Stripe: its client and its words stay in its adapter (`commands/payments/stripe/`), which
    only the registry names."""
    rules = [*(ROOT / "commands" / "application").glob("*.py"),
             *(ROOT / "commands" / "domain").glob("*.py"),
             *(ROOT / "commands" / "audit").glob("*.py"), ROOT / "commands" / "ledger.py"]
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in rules
        for name in imported(path)
        if name.split(".")[0] == "stripe" or name.startswith("commands.payments.stripe")
    }
    assert not wrong
    naming_the_adapter = {
        str(path.relative_to(ROOT))
        for top in ("commands", "query_api", "workers", "projections", "ops", "core")
        for path in (ROOT / top).rglob("*.py")
        if any(name.startswith("commands.payments.stripe") for name in imported(path))
    }
    assert naming_the_adapter == {"commands/payments/registry.py"}
