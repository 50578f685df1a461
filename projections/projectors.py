"""TRANSITIONAL (removed once the Merkle work imports `projections.model`)."""

from projections.model import table_of

__all__ = ["table_of"]
