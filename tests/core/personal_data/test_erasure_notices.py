"""A person's key destroyed in one process is dropped at once by every other process that kept
it (a notice on Redis), not when its copy expires."""

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from core.personal import ERASED
from core.personal_data.kept_keys import KEY_TTL_SECONDS, KeptKeys
from core.personal_data.vault import PersonalData, personal_data
from core.settings import Settings

HEARD_WITHIN = 2.0  # seconds: a notice crosses a local Redis in milliseconds


@pytest.fixture
def processes(redis_url: str) -> Iterator[Callable[[], KeptKeys]]:
    """Each call: another process's kept keys, following this test's own channel."""
    channel, made = f"test-erasures-{uuid.uuid4().hex}", list[KeptKeys]()

    def process() -> KeptKeys:
        kept = KeptKeys(redis_url, channel)
        made.append(kept)
        assert kept.wait_subscribed(5), "never subscribed to the notices"
        return kept

    yield process
    for kept in made:
        kept.close()


def eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + HEARD_WITHIN
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_another_process_forgets_an_erased_person_s_name_at_once(
        sqlite_settings: Settings, processes: Callable[[], KeptKeys]) -> None:
    keyring, engine = personal_data().keyring, personal_data().engine
    eraser = PersonalData(keyring, engine, processes())
    reader = PersonalData(keyring, engine, processes())
    name, other = eraser.seal("p-erased", "Eve Erased"), eraser.seal("p-kept", "Kim Kept")
    assert (reader.open(name), reader.open(other)) == ("Eve Erased", "Kim Kept")  # keys kept

    eraser.erase("p-erased", datetime.now(UTC))

    assert eventually(lambda: reader.open(name) == ERASED), "the reader still opens the name"
    assert reader.open(other) == "Kim Kept"
    assert HEARD_WITHIN < KEY_TTL_SECONDS  # not merely expired


def test_a_key_read_before_a_notice_is_not_kept_after_it(
        processes: Callable[[], KeptKeys]) -> None:
    eraser, reader = processes(), processes()
    cipher = object()
    read_at = reader.mark()  # the key's row read from the store...
    eraser.erased("p-raced", ["person"])  # ...then erased there, and the notice heard here
    assert eventually(lambda: reader.mark() != read_at)

    reader.keep("p-raced", "person", cipher, read_at)  # type: ignore[arg-type]
    assert reader.key("p-raced", "person") is None
    reader.keep("p-raced", "person", cipher, reader.mark())  # type: ignore[arg-type]
    assert reader.key("p-raced", "person") is cipher


def test_a_notice_drops_only_that_person_s_keys_of_those_purposes(
        processes: Callable[[], KeptKeys]) -> None:
    eraser, reader = processes(), processes()
    for person, purpose in (("p-a", "person"), ("p-a", "invoice"), ("p-b", "person")):
        reader.keep(person, purpose, object(), reader.mark())  # type: ignore[arg-type]

    eraser.erased("p-a", ["invoice"])

    assert eventually(lambda: reader.key("p-a", "invoice") is None)
    assert reader.key("p-a", "person") is not None
    assert reader.key("p-b", "person") is not None
