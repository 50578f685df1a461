"""READ_DATABASE_URLS: PostgreSQL replicas of a PostgreSQL primary, refused otherwise at start,
naming the setting and never echoing a URL (it may hold a password)."""

import pytest
from pydantic import ValidationError

from core.settings import Settings

SECRET = "replica-settings-secret-of-32-chars-or-more"
PRIMARY = "postgresql://ledger_api@primary:5432/ledger"
REPLICA = "postgresql://ledger_api:s3cret@replica-1:5432/ledger"


def test_replicas_of_a_postgresql_primary_are_taken() -> None:
    settings = Settings(secret_key=SECRET, database_url=PRIMARY, read_database_urls=[REPLICA])
    assert settings.read_database_urls == [REPLICA]
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(("primary", "replicas", "says"), [
    ("sqlite://", [REPLICA], "needs a PostgreSQL DATABASE_URL"),
    (PRIMARY, ["sqlite:///replica.db"], "URL 1 is not a PostgreSQL URL"),
    (PRIMARY, [REPLICA, "not a url at all s3cret"], "URL 2 is not a PostgreSQL URL"),
])
def test_anything_else_stops_the_process_at_start(primary: str, replicas: list[str],
                                                  says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(secret_key=SECRET, database_url=primary, read_database_urls=replicas)
    assert says in str(refused.value)
    assert "s3cret" not in str(refused.value)
