"""The API fixtures (both backends), for the operations tests."""

from tests.api.conftest import (  # noqa: F401 - fixtures, used by name
    admin,
    alice,
    auditor,
    backend,
    book,
    cheap_hashing,
    client,
    make_event,
    signup,
)
from tests.distributed import distributed_stack  # noqa: F401 - a fixture, used by name
