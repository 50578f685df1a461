"""The payment methods each event accepts on the `events` read table: `payment_methods`, the
names its organizers chose (JSON), null for every method the server has. Rows projected before
are of events that never chose: null.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `payment_methods` to `events`."""
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("payment_methods", sa.JSON(none_as_null=True),
                                   nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("events") as table:
        table.drop_column("payment_methods")
