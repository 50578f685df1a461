"""The Merkle tree over the global log, signed tree heads and their public keys.

Revision ID: 0006_i20
Revises: 0005_i17
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_i20"  # as databases' alembic_version rows name it: never renamed
down_revision: str | None = "0005_i17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `merkle_leaves`, `merkle_nodes`, `tree_heads`, `tree_keys`."""
    op.create_table(
        "merkle_leaves",
        sa.Column("leaf_index", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("stream", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_merkle_leaves_position", "merkle_leaves", ["position"], unique=True)
    op.create_index("ix_merkle_leaves_booking_id", "merkle_leaves", ["booking_id"])
    op.create_table(
        "merkle_nodes",
        sa.Column("level", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("index", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
    )
    op.create_table(
        "tree_heads",
        sa.Column("tree_size", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("timestamp", sa.String(32), primary_key=True),
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("root_hash", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )
    op.create_table(
        "tree_keys",
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("first_used_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    for table in ("tree_keys", "tree_heads", "merkle_nodes", "merkle_leaves"):
        op.drop_table(table)
