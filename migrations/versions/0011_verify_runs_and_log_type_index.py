"""Verify as a job: its runs and the problems each found; the store's events indexed by type.

`verify_runs` holds at most one running run (a unique index on the running rows), so one run
at a time holds across every process. The audit log filtered by type reads the store's events
through an index on their topic, not the whole log; a stream's are found by its primary key.

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

# The store's events table (the library's, named by the app): PostgreSQL's, then SQLite's.
STORE_TABLES = ("ledger_events", "stored_events")
TOPIC_INDEX = "ix_{table}_topic_position"
RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    """Create `verify_runs` and `verify_problems`; index the store's events by topic."""
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
    table = _store_table()
    if table is None:  # the store's tables come first (ops.migrate); none here: nothing to index
        return
    # PostgreSQL's positions are a column; SQLite's are the rowid, which every index holds.
    columns = ["topic", "notification_id"] if table == "ledger_events" else ["topic"]
    op.create_index(TOPIC_INDEX.format(table=table), table, columns)


def downgrade() -> None:
    """Drop them."""
    table = _store_table()
    if table is not None:
        op.drop_index(TOPIC_INDEX.format(table=table), table)
    op.drop_table("verify_problems")
    op.drop_index("ix_verify_runs_started_at_id", "verify_runs")
    op.drop_index("uq_verify_runs_running", "verify_runs")
    op.drop_table("verify_runs")


def _store_table() -> str | None:
    found = set(sa.inspect(op.get_bind()).get_table_names())
    return next((t for t in STORE_TABLES if t in found), None)
