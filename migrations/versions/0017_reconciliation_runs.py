"""Reconciliation with the payment provider as a job: its runs and the problems each found.

`reconciliation_runs` holds at most one running run (a unique index on the running rows), so
one run at a time holds across every process.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")
COUNTS = ("ledger_payments", "ledger_refunds", "provider_payments", "provider_refunds",
          "matched", "problems")


def upgrade() -> None:
    """Create `reconciliation_runs` and `reconciliation_problems`."""
    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.String(320), nullable=False),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index("uq_reconciliation_runs_running", "reconciliation_runs", ["status"],
                    unique=True, postgresql_where=RUNNING, sqlite_where=RUNNING)
    op.create_index("ix_reconciliation_runs_started_at_id", "reconciliation_runs",
                    ["started_at", "id"])
    op.create_table(
        "reconciliation_problems",
        sa.Column("run_id", sa.Uuid(), sa.ForeignKey("reconciliation_runs.id"),
                  primary_key=True),
        sa.Column("ordinal", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("provider_id", sa.String(255), nullable=False),
        sa.Column("payment_id", sa.String(64), nullable=True),
        sa.Column("intent_id", sa.String(255), nullable=True),
        sa.Column("ledger_amount", sa.BigInteger(), nullable=True),
        sa.Column("provider_amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("reconciliation_problems")
    op.drop_index("ix_reconciliation_runs_started_at_id", "reconciliation_runs")
    op.drop_index("uq_reconciliation_runs_running", "reconciliation_runs")
    op.drop_table("reconciliation_runs")
