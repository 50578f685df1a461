"""Composite indexes for the event list: order by (starts_at, id), optionally after status.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace the one-column indexes by ones that also serve the order and the cursor."""
    op.create_index("ix_events_starts_at_id", "events", ["starts_at", "id"])
    op.create_index("ix_events_status_starts_at_id", "events", ["status", "starts_at", "id"])
    op.drop_index("ix_events_starts_at", "events")
    op.drop_index("ix_events_status", "events")


def downgrade() -> None:
    """Back to the one-column indexes."""
    op.create_index("ix_events_starts_at", "events", ["starts_at"])
    op.create_index("ix_events_status", "events", ["status"])
    op.drop_index("ix_events_status_starts_at_id", "events")
    op.drop_index("ix_events_starts_at_id", "events")
