"""Who cancelled a booking (customer, organizer or admin) and the reason they gave.

Two nullable columns of the "bookings" read model. Cancellations recorded before they carried
either keep NULL in both, as their fold (and so a rebuild) leaves them.

Revision ID: 0010
Revises: 0009_invitations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `bookings.cancelled_by` and `bookings.cancellation_reason`."""
    op.add_column("bookings", sa.Column("cancelled_by", sa.String(16), nullable=True))
    op.add_column("bookings", sa.Column("cancellation_reason", sa.String(500), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("cancellation_reason")
        batch.drop_column("cancelled_by")
