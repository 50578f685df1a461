"""`person_keys`: one data key per person and purpose, wrapped, outside the event store.

Destroying a person's key (its `wrapped_key` set to NULL, `erased_at` set) is what forgets them:
every field sealed with it reads as erased from then on, in the log, the snapshots and any copy
of them. Purposes: PERSON seals what names them in the ledger; INVOICE seals the buyer's
details on invoices, which the law keeps for years after the person may have been forgotten
(its key is destroyed when that retention ends).
"""

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base, UTCDateTime


class PersonKey(Base):
    __tablename__ = "person_keys"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    wrapped_by: Mapped[str] = mapped_column(String(32))  # the wrapping key's id (keyring)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
