"""Whether a category is hidden (on sale only with a voucher naming it), on the
`event_categories` read table: `hidden`, false for every row projected before.

Revision ID: 0029
Revises: 0028
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `hidden` to `event_categories`."""
    with op.batch_alter_table("event_categories") as table:
        table.add_column(sa.Column("hidden", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("event_categories") as table:
        table.drop_column("hidden")
