"""The public placeholder secret signs tokens only for a throwaway database: SQLite in the
temporary folder, or in memory. ENVIRONMENT=test alone does not make a database throwaway."""

import tempfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from core import secretfile
from core.settings import DEV_SECRET, ROOT, Settings

PG_URL = "postgresql+psycopg://ledger@db.example.com:5432/ledger"
THROWAWAY = ["sqlite://", "sqlite:///:memory:"]


@pytest.mark.parametrize("database_url", [
    PG_URL, f"sqlite:///{ROOT / 'data' / 'ledger.db'}", "sqlite:///relative/ledger.db",
])
def test_the_placeholder_is_refused_in_test_outside_a_throwaway_database(
    database_url: str,
) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(environment="test", secret_key=DEV_SECRET, database_url=database_url)


@pytest.mark.parametrize("database_url", [PG_URL, f"sqlite:///{ROOT / 'data' / 'ledger.db'}"])
def test_no_secret_in_test_outside_a_throwaway_database_signs_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)  # the suite's own (tests/conftest.py)
    # As in production: workers and migrations run, the API refuses to start (test_defaults).
    settings = Settings(environment="test", database_url=database_url)
    assert settings.secret_key == "" and settings.secret_key_file is None


@pytest.mark.parametrize("throwaway", ["tmp_path", *THROWAWAY])
def test_the_placeholder_still_serves_throwaway_test_databases(
    throwaway: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    database_url = f"sqlite:///{tmp_path / 'ledger.db'}" if throwaway == "tmp_path" else throwaway
    assert tmp_path.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
    given = Settings(environment="test", secret_key=DEV_SECRET, database_url=database_url)
    unset = Settings(environment="test", database_url=database_url)
    assert given.secret_key == unset.secret_key == DEV_SECRET


def test_a_path_that_only_looks_temporary_is_not(tmp_path: Path) -> None:
    escape = Path(tempfile.gettempdir()) / ".." / str(ROOT).lstrip("/") / "data" / "ledger.db"
    with pytest.raises(ValueError, match="placeholder"):
        secretfile.resolve(DEV_SECRET, "test", f"sqlite:///{escape}")
    assert secretfile.resolve(DEV_SECRET, "test", f"sqlite:///{tmp_path / 'x.db'}")[0]
