"""Each person's data keys, wrapped: `person_keys`, outside the event store's tables
(core/personal_data/keys_table.py).

Revision ID: 0033
Revises: 0032
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `person_keys`."""
    op.create_table(
        "person_keys",
        sa.Column("person_id", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(16), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("wrapped_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("erased_at", UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    """Drop it: every sealed field then reads as erased."""
    op.drop_table("person_keys")
