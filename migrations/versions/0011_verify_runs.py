"""Verify as a job: its runs and the problems each found.

`verify_runs` holds at most one running run (a unique index on the running rows), so one run
at a time holds across every process.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    """Create `verify_runs` and `verify_problems`."""
    op.create_table(
        "verify_runs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.String(320), nullable=False),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("checked", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
    )
    op.create_index("uq_verify_runs_running", "verify_runs", ["status"], unique=True,
                    postgresql_where=RUNNING, sqlite_where=RUNNING)
    op.create_index("ix_verify_runs_started_at_id", "verify_runs", ["started_at", "id"])
    op.create_table(
        "verify_problems",
        sa.Column("run_id", sa.Uuid(), sa.ForeignKey("verify_runs.id"), primary_key=True),
        sa.Column("ordinal", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("stream", sa.String(64), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("verify_problems")
    op.drop_index("ix_verify_runs_started_at_id", "verify_runs")
    op.drop_index("uq_verify_runs_running", "verify_runs")
    op.drop_table("verify_runs")

