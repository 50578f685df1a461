"""The messages to buyers and how far their subscriber has read the log.

A message is one e-mail of one kind about one subject (a booking, a place's offer, an event, an
invoice) to one recipient. Its unique key (kind, subject, recipient, resend) makes it exactly
once: the subscriber inserts a row that is already there as nothing, and a resend is a row of
its own.
Neither table is a read model: a rebuild of the projections never touches them.
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, Index, Integer, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from commands.domain import declared
from core.models import Base, UTCDateTime

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
BOUNCED = "bounced"  # taken by the server, then reported undeliverable (`bounces`)
STATUSES = (QUEUED, SENDING, SENT, FAILED, BOUNCED)
# The kinds of message, each with its template (`templates`), as the domain events that make
# them declare them (`commands.domain.declared`).
KINDS = declared.MESSAGE_KINDS
CONFIRMATION, CANCELLATION = declared.CONFIRMATION, declared.CANCELLATION
TICKETS_CANCELLED, OFFER = declared.TICKETS_CANCELLED, declared.OFFER
EVENT_CANCELLED = declared.EVENT_CANCELLED
INVOICE_ISSUED, INVOICE_CANCELLED = declared.INVOICE_ISSUED, declared.INVOICE_CANCELLED
SUBSCRIBER = "mail"  # the subscriber's row in `mail_tracking`


class MailMessage(Base):
    """One message to one recipient, what it says (`data`), and how sending it went."""

    __tablename__ = "mail_messages"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "recipient_id", "resend",
                         name="uq_mail_messages_kind_subject_recipient_resend"),
        Index("ix_mail_messages_event_id", "event_id", "created_at", "id"),
        # What the sender looks at: the messages not yet settled.
        Index("ix_mail_messages_open", "status", "next_attempt_at",
              postgresql_where=text("status IN ('queued', 'sending')"),
              sqlite_where=text("status IN ('queued', 'sending')")),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)  # also its Message-ID
    kind: Mapped[str] = mapped_column(String(32))
    # The booking, the hold offered to a place, the event, the invoice; a partial
    # cancellation's own id.
    subject_id: Mapped[UUID] = mapped_column()
    event_id: Mapped[UUID] = mapped_column()
    booking_id: Mapped[UUID | None] = mapped_column()
    recipient_id: Mapped[UUID] = mapped_column()
    # Read from the accounts when the message was recorded: what it was sent to.
    recipient_email: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str] = mapped_column(String(200))
    resend: Mapped[int] = mapped_column(Integer)  # 0: made from the log; n: the n-th resend
    requested_by: Mapped[UUID | None] = mapped_column()  # who asked for a resend
    position: Mapped[int | None] = mapped_column(BigInteger)  # the log's, for one made from it
    data: Mapped[str] = mapped_column(Text)  # JSON: what the template and the tickets need
    status: Mapped[str] = mapped_column(String(16))  # one of STATUSES
    # SMTP sessions begun for it; `takeovers`: sends a restart resumed after one was cut off.
    attempts: Mapped[int] = mapped_column(Integer)
    takeovers: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MailTracking(Base):
    """How far the subscriber has read the global log (moved with the rows it inserted)."""

    __tablename__ = "mail_tracking"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# A mapped class's __table__ is a Table; mypy sees a FromClause.
messages: Table = MailMessage.__table__  # type: ignore[assignment]
tracking: Table = MailTracking.__table__  # type: ignore[assignment]
