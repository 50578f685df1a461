"""The waitlist's words, the same in the tables as in the API and the aggregate: the seats a
category's waitlist waits for are `waitlisted` (the events read table's column), and the
waitlists' process manager's tracking row is `waitlist_offers`.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFERS_ROW = {"before": "line_offers", "after": "waitlist_offers"}


def upgrade() -> None:
    """Rename `event_categories.waiting` to `waitlisted`, and the process manager's row."""
    with op.batch_alter_table("event_categories") as batch:
        batch.alter_column("waiting", new_column_name="waitlisted")
    op.execute(sa.text("UPDATE projection_tracking SET name = :after WHERE name = :before")
               .bindparams(**OFFERS_ROW))


def downgrade() -> None:
    """Their old names back."""
    op.execute(sa.text("UPDATE projection_tracking SET name = :before WHERE name = :after")
               .bindparams(**OFFERS_ROW))
    with op.batch_alter_table("event_categories") as batch:
        batch.alter_column("waitlisted", new_column_name="waiting")
