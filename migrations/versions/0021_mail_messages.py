"""Messages to buyers (`workers/mail/`): the messages and their subscriber's position in the log.

The subscriber's row starts at the log's head as it is now: a deployment that already holds
bookings does not mail their buyers again; a new database starts at 0.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('queued', 'sending')")
# The event store's table, made before the migrations run, and its positions' column: on
# PostgreSQL, and on SQLite (whose positions are the row ids).
STORES = {"ledger_events": "notification_id", "stored_events": "rowid"}


def upgrade() -> None:
    """Create `mail_messages` and `mail_tracking`, the latter's row at the log's head."""
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_email", sa.String(320), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("resend", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("takeovers", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sending_since", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("kind", "subject_id", "recipient_id", "resend",
                            name="uq_mail_messages_kind_subject_recipient_resend"),
    )
    op.create_index("ix_mail_messages_event_id", "mail_messages",
                    ["event_id", "created_at", "id"])
    op.create_index("ix_mail_messages_open", "mail_messages", ["status", "next_attempt_at"],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    tracking = op.create_table(
        "mail_tracking",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
    )
    connection = op.get_bind()
    head = 0
    for store, position in STORES.items():
        if sa.inspect(connection).has_table(store):
            head = int(connection.scalar(sa.text(
                f"SELECT coalesce(max({position}), 0) FROM {store}")) or 0)  # noqa: S608
            break
    op.bulk_insert(tracking, [{"name": "mail", "position": head, "updated_at": None}])


def downgrade() -> None:
    """Drop them."""
    op.drop_table("mail_tracking")
    op.drop_index("ix_mail_messages_open", "mail_messages")
    op.drop_index("ix_mail_messages_event_id", "mail_messages")
    op.drop_table("mail_messages")
