"""An event's name and description per language, on the availability read model:
`events.translations` (JSON), null for an event named in one language.

Revision ID: 0032
Revises: 0031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `events.translations`."""
    op.add_column("events", sa.Column("translations", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop it."""
    op.drop_column("events", "translations")
