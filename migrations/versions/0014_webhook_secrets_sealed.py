"""Webhook endpoint secrets kept sealed: the column holds a Fernet token now, longer than the
secret itself (`workers/webhooks/secret_box.py`; `ops.migrate` seals those stored before).

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Widen `webhook_endpoints.secret` to hold a sealed secret."""
    with op.batch_alter_table("webhook_endpoints") as table:
        table.alter_column("secret", type_=sa.String(400), existing_type=sa.String(100),
                           existing_nullable=False)


def downgrade() -> None:
    """Narrow it again (sealed secrets do not fit: open them first)."""
    with op.batch_alter_table("webhook_endpoints") as table:
        table.alter_column("secret", type_=sa.String(100), existing_type=sa.String(400),
                           existing_nullable=False)
