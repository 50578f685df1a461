"""The bookings read model's tickets cancelled one by one (`ticket_refunds`), what a booking's
cancellation gave back (`bookings.cancel_refund`; rows cancelled before stay null, their whole
total given back), the holds' payments as they stand (`payments`), and the money they took and
gave back, when (`money_moves`). Payments recorded before
appear once the bookings read model is rebuilt (`ledger rebuild bookings`).

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import Money, UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `ticket_refunds` and `payments`; add `bookings.cancel_refund`."""
    op.create_table(
        "ticket_refunds",
        sa.Column("position", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("refunded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_ticket_refunds_booking_id", "ticket_refunds", ["booking_id"])
    op.create_index("ix_ticket_refunds_event_refunded", "ticket_refunds",
                    ["event_id", "refunded_at"])
    with op.batch_alter_table("bookings") as table:
        table.add_column(sa.Column("cancel_refund", Money(), nullable=True))
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("hold_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("intent_id", sa.String(255), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("captured", sa.BigInteger(), nullable=False),
        sa.Column("refunded", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("message", sa.String(500), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_payments_event_id", "payments", ["event_id"])
    op.create_index("ix_payments_booking_id", "payments", ["booking_id"])
    op.create_table(
        "money_moves",
        sa.Column("position", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("taken", sa.BigInteger(), nullable=False),
        sa.Column("given_back", sa.BigInteger(), nullable=False),
        sa.Column("moved_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_money_moves_event_at", "money_moves", ["event_id", "moved_at"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_money_moves_event_at", "money_moves")
    op.drop_table("money_moves")
    op.drop_index("ix_payments_booking_id", "payments")
    op.drop_index("ix_payments_event_id", "payments")
    op.drop_table("payments")
    with op.batch_alter_table("bookings") as table:
        table.drop_column("cancel_refund")
    op.drop_index("ix_ticket_refunds_event_refunded", "ticket_refunds")
    op.drop_index("ix_ticket_refunds_booking_id", "ticket_refunds")
    op.drop_table("ticket_refunds")
