"""Proof fixtures: a Ledger on PostgreSQL, and the API suite's callers."""

from tests.api.conftest import (  # noqa: F401 - fixtures, used by name
    admin,
    alice,
    auditor,
    backend,
    bob,
    book,
    cheap_hashing,
    client,
    make_event,
    signup,
)
from tests.distributed import distributed_stack  # noqa: F401 - a fixture
from tests.pg import pg_settings  # noqa: F401 - a fixture, used by name
