"""The invoices read model's erased buyers whose invoice details are forgotten, their invoices
past the law's retention (`invoice_buyers_forgotten`, workers/invoice_retention.py).

Revision ID: 0035
Revises: 0034
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create it, empty: no store holds the fact it folds before this revision."""
    op.create_table(
        "invoice_buyers_forgotten",
        sa.Column("person_id", sa.Uuid(), primary_key=True),
        sa.Column("forgotten_at", UTCDateTime(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop it: the invoices' buyers it lists would be found due again, and refused."""
    op.drop_table("invoice_buyers_forgotten")
