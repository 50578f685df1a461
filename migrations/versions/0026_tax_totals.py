"""Per event, UTC day, tax rule and rate, what seats sold for and what was refunded, in the
"revenue" read model: `tax_totals`. Bookings projected before taxes were untaxed: each event's
revenue and refunds per day (`sales_daily`) become its rows of no rule (name "", rate "0"),
net and gross alike.

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import Money

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `tax_totals`, filled from `sales_daily`."""
    op.create_table(
        "tax_totals",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("tax_name", sa.String(40), primary_key=True),
        sa.Column("tax_rate", sa.String(12), primary_key=True),
        *(sa.Column(name, Money(), nullable=False) for name in (
            "net", "tax", "gross", "refunded_net", "refunded_tax", "refunded_gross")),
    )
    op.execute(
        "INSERT INTO tax_totals (event_id, day, tax_name, tax_rate, net, tax, gross, "
        "refunded_net, refunded_tax, refunded_gross) SELECT event_id, day, '', '0', revenue, 0, "
        "revenue, refunds, 0, refunds FROM sales_daily WHERE revenue <> 0 OR refunds <> 0")


def downgrade() -> None:
    """Drop it."""
    op.drop_table("tax_totals")
