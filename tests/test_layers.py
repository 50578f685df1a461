"""Layers: the write side imports no read-side code; the read side reads the log alone."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_SIDE = ("projections", "query_api", "workers", "ops")


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_write_side_imports_no_read_side_module() -> None:
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "commands").rglob("*.py")
        for name in imported(path)
        if name.split(".")[0] in READ_SIDE
    }
    assert not wrong


def test_projections_read_the_log_without_the_write_sides_application_service() -> None:
    # Audit views (verify, exports) take the ledger they are given, for its snapshots; the
    # machinery that keeps read models current reads through core.event_store.global_log alone.
    audit = {"verify.py", "merkle_export.py"}
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in [*(ROOT / "projections").glob("*.py"), ROOT / "workers" / "tasks.py"]
        if path.name not in audit
        for name in imported(path)
        if name == "commands.ledger"
    }
    assert not wrong


# The one `core` module the domain may import: canonical JSON and the chain link, which the
# offline tools must hash with too. It is standard library only (checked below), so the domain
# still reaches no framework, database or settings through it.
KERNEL = "core.proofs.canonical"


def test_the_domain_imports_no_framework_nor_the_rest_of_the_write_side() -> None:
    """The Event aggregate, its events and its rules: the standard library, `eventsourcing`,
    the proof kernel and each other only (no FastAPI, no database, no ledger)."""
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "commands" / "domain").glob("*.py")
        for name in imported(path)
        if (name.split(".")[0] in ("fastapi", "starlette", "pydantic", "sqlalchemy", "core",
                                   *READ_SIDE) and name != KERNEL)
        or (name.startswith("commands.") and not name.startswith("commands.domain"))
    }
    assert not wrong


def test_the_proof_kernel_imports_the_standard_library_only() -> None:
    kernel = ROOT / (KERNEL.replace(".", "/") + ".py")
    assert {name.split(".")[0] for name in imported(kernel)} <= set(sys.stdlib_module_names)
