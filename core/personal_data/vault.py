"""Sealing and opening personal data with each person's key, and destroying that key.

Each person has a data key per purpose (`core.personal.PERSON`, `INVOICE`): 64 random bytes,
made the first time something of theirs is sealed, kept wrapped in `person_keys`
(`core.personal_data.keyring`). A field is sealed with AES-SIV (RFC 5297, an AEAD that needs no
nonce) under it, the person's id as associated data, so a sealed value copied into another
person's field does not open. AES-SIV is deterministic: the same name of the same person seals
to the same bytes, which tells no more than the person's id beside it already does, and lets a
returning buyer's seal be kept (`kept_keys.SEALS_KEPT`) and the records of their bookings share
one value.
Unwrapped keys are kept per process, so a returning buyer's booking costs no query; a key
destroyed in another process is dropped here when its notice arrives
(`core.personal_data.kept_keys`). The read models show "erased" once they fold the fact
(`PersonErased`; `InvoiceDetailsForgotten` for an invoice key).
"""

import base64
import json
import os
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from sqlalchemy import Engine, bindparam, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import changes
from core.db import get_keys_engine, singleton
from core.personal import ERASED, PERSON, Personal
from core.personal_data.kept_keys import KeptKeys
from core.personal_data.keyring import Keyring
from core.personal_data.keys_table import PersonKey
from core.settings import get_settings

DATA_KEY_BYTES = 64  # AES-256-SIV
KEYED_CHUNK = 500  # persons asked of the keys' table per query: under any bound parameters' limit


_KEY_OF = select(PersonKey.wrapped_key, PersonKey.wrapped_by).where(
    PersonKey.person_id == bindparam("p"), PersonKey.purpose == bindparam("u"))


class Forgotten(Exception):
    """Something was to be sealed for a person whose key is destroyed."""


class PersonalData:
    """The one door to the persons' keys: seal, open, erase."""

    def __init__(self, keyring: Keyring, engine: Engine, kept: KeptKeys | None = None) -> None:
        self.keyring, self.engine = keyring, engine
        self.kept = kept or KeptKeys()

    def close(self) -> None:
        self.kept.close()

    # ----- sealing and opening ---------------------------------------------------------------

    def seal(self, person: str, clear: str, purpose: str = PERSON) -> Personal:
        """`clear` sealed with the person's key (made now if they have none yet)."""
        kept = self.kept.seal(person, purpose, clear)
        if kept is not None:
            return kept
        cipher = self._cipher(person, purpose, create=True)
        if cipher is None:
            raise Forgotten(f"person {person} is erased: nothing of theirs is recorded again")
        sealed = cipher.encrypt(clear.encode(), [person.encode()])
        made = Personal(person, base64.b64encode(sealed).decode(), purpose)
        self.kept.keep_seal(person, purpose, clear, made)
        return made

    def seal_json(self, person: str, clear: dict[str, Any], purpose: str = PERSON) -> Personal:
        return self.seal(person, json.dumps(clear, sort_keys=True, separators=(",", ":")),
                         purpose)

    def open(self, value: Personal | str | None) -> str | None:
        """The clear text (`ERASED` once its key is destroyed); a plain string, as recorded
        before sealing, as it is."""
        if not isinstance(value, Personal):
            return value
        found = self.opened(value)
        return ERASED if found is None else found

    def open_json(self, value: Personal | dict[str, Any]) -> dict[str, Any] | None:
        """A sealed JSON object in the clear (None once its key is destroyed)."""
        if not isinstance(value, Personal):
            return value
        found = self.opened(value)
        return None if found is None else dict(json.loads(found))

    def opened(self, value: Personal) -> str | None:
        """The clear text, None when the key is destroyed."""
        cipher = self._cipher(value.person, value.purpose, create=False)
        if cipher is None:
            return None
        try:
            return cipher.decrypt(base64.b64decode(value.sealed), [value.person.encode()]).decode()
        except InvalidTag:  # not sealed with this person's key: never shown as theirs
            return None

    # ----- keys ------------------------------------------------------------------------------

    def _cipher(self, person: str, purpose: str, *, create: bool) -> AESSIV | None:
        cached = self.kept.key(person, purpose)
        if cached is not None:
            return cached
        read_at = self.kept.mark()
        # One indexed row, without the ORM, read-only: on SQLite a fold opening names holds the
        # write lock on another connection of this process, and a write transaction here
        # would wait for it until the lock's timeout.
        with self.engine.connect().execution_options(read_only=True) as connection:
            row_found = connection.execute(_KEY_OF, {"p": person, "u": purpose}).first()
        found = None if row_found is None else (row_found[0], row_found[1])
        if found is None and create:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                row = self._create(session, person, purpose)
            found = (row.wrapped_key, row.wrapped_by)
        if found is None or found[0] is None:
            return None  # never had one, or erased: not cached, so a new key is found at once
        return self._keep(person, purpose, bytes(found[0]), found[1], read_at)

    def _keep(self, person: str, purpose: str, wrapped: bytes, wrapped_by: str,
              read_at: int) -> AESSIV:
        cipher = AESSIV(self.keyring.unwrap(wrapped, wrapped_by, _label(person, purpose)))
        self.kept.keep(person, purpose, cipher, read_at)
        return cipher

    def _create(self, session: Session, person: str, purpose: str) -> PersonKey:
        data_key = os.urandom(DATA_KEY_BYTES)
        row = PersonKey(person_id=person, purpose=purpose, created_at=datetime.now(UTC),
                        wrapped_key=self.keyring.wrap(data_key, _label(person, purpose)),
                        wrapped_by=self.keyring.newest_id)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # made meanwhile by another process: theirs is the one
            found = session.get(PersonKey, (person, purpose), populate_existing=True)
            if found is None:  # made and gone at once: only a test's truncation does that
                raise
            return found
        return row

    def make_key(self, session: Session, person: str, purpose: str = PERSON) -> None:
        """Make the person's key in `session`'s transaction (an account being created), so
        their first booking neither makes nor reads it: kept here once that transaction
        commits (never before: rolled back, it never existed)."""
        if session.get(PersonKey, (person, purpose)) is not None:
            return
        row = self._create(session, person, purpose)
        wrapped, wrapped_by = row.wrapped_key, row.wrapped_by
        read_at = self.kept.mark()

        @event.listens_for(session, "after_commit", once=True)
        def kept(_: Session) -> None:
            if wrapped is not None:
                self._keep(person, purpose, wrapped, wrapped_by, read_at)

    def has_key(self, person: str, purpose: str = PERSON) -> bool:
        """Whether the person has a key of that purpose that was never destroyed."""
        with Session(self.engine.execution_options(read_only=True)) as session:
            row = session.get(PersonKey, (person, purpose))
            return row is not None and row.wrapped_key is not None

    def keyed(self, persons: Collection[str], purpose: str) -> set[str]:
        """Those of `persons` who were ever given a key of that purpose, destroyed since or
        not."""
        wanted, found = sorted(persons), set[str]()
        with Session(self.engine.execution_options(read_only=True)) as session:
            for start in range(0, len(wanted), KEYED_CHUNK):
                found.update(session.scalars(select(PersonKey.person_id).where(
                    PersonKey.purpose == purpose,
                    PersonKey.person_id.in_(wanted[start:start + KEYED_CHUNK]))))
        return found

    def erase(self, person: str, at: datetime, purposes: tuple[str, ...] = (PERSON,)) -> int:
        """Destroy the person's keys of these purposes: how many were destroyed now."""
        with self.engine.begin() as connection:
            done = connection.execute(
                update(PersonKey)
                .where(PersonKey.person_id == person, PersonKey.purpose.in_(purposes),
                       PersonKey.wrapped_key.is_not(None))
                .values(wrapped_key=None, erased_at=at)).rowcount
        self.kept.erased(person, purposes)
        return int(done or 0)

    def rewrap(self) -> int:
        """Re-wrap every live key under the newest wrapping key: how many rows changed."""
        done = 0
        with Session(self.engine) as session, session.begin():
            rows = session.scalars(select(PersonKey).where(
                PersonKey.wrapped_key.is_not(None),
                PersonKey.wrapped_by != self.keyring.newest_id)).all()
            for row in rows:
                label = _label(row.person_id, row.purpose)
                data_key = self.keyring.unwrap(bytes(row.wrapped_key or b""), row.wrapped_by,
                                               label)
                row.wrapped_key = self.keyring.wrap(data_key, label)
                row.wrapped_by = self.keyring.newest_id
                done += 1
        return done


def _label(person: str, purpose: str) -> bytes:
    """What a wrapped key is bound to: its row."""
    return f"{person}\0{purpose}".encode()


@singleton
def personal_data() -> PersonalData:
    """The process's door to the persons' keys, on the configured database and keys."""
    settings = get_settings()
    kept = KeptKeys(changes.redis_url(settings), f"{settings.celery_namespace}:erasures")
    return PersonalData(Keyring.of(settings.personal_data_key, settings.personal_data_old_keys),
                        get_keys_engine(), kept)
