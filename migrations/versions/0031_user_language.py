"""The language an account chose (`users.language`): what its messages are written in; every
account made before reads English, the default.

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `users.language`, "en" where none was chosen."""
    op.add_column("users", sa.Column("language", sa.String(8), nullable=False,
                                     server_default="en"))


def downgrade() -> None:
    """Drop it."""
    op.drop_column("users", "language")
