"""The Merkle tree's tables (projection "merkle") and the signed heads with their keys."""

from uuid import UUID

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base


class MerkleLeaf(Base):
    """One leaf per stored event, in global-log order: which event it is."""

    __tablename__ = "merkle_leaves"
    __table_args__ = (
        Index("ix_merkle_leaves_position", "position", unique=True),
        Index("ix_merkle_leaves_booking_id", "booking_id"),
    )
    leaf_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger)
    stream: Mapped[UUID] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[UUID | None] = mapped_column()  # the booking a SeatsBooked event made


class MerkleNode(Base):
    """The hash of a complete subtree: leaves [index * 2**level, (index + 1) * 2**level)."""

    __tablename__ = "merkle_nodes"
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class TreeHead(Base):
    """A signed tree head (checkpoint); rows are only ever added."""

    __tablename__ = "tree_heads"
    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    timestamp: Mapped[str] = mapped_column(String(32), primary_key=True)  # exactly as signed
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class TreeKey(Base):
    """A public key that signed heads, from its first head (retired by the next key's first)."""

    __tablename__ = "tree_keys"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(Text)  # PEM
    first_used_at: Mapped[str] = mapped_column(String(32))
