"""A token version per user: logout and password change revoke the tokens issued before.

Revision ID: 0004_h4
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_h4"  # as databases' alembic_version rows name it: never renamed
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `users.token_version` (0 for every existing account)."""
    op.add_column("users", sa.Column("token_version", sa.Integer(), nullable=False,
                                     server_default="0"))


def downgrade() -> None:
    """Drop `users.token_version`."""
    with op.batch_alter_table("users") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("token_version")
