"""Delivery reports as Postfix, Exim and Gmail write them, about a message of ours whose id is
`SAMPLE_ID`, and mail that is not one: `report` reads one, naming another message if asked."""

from pathlib import Path
from uuid import UUID

SAMPLE_ID = UUID("0b7f3c52-8d1e-4a6b-9f20-3c5d7e8a9b10")


def report(name: str, about: UUID | str | None = None) -> bytes:
    """The sample `name`.eml, about message `about` instead of the sample's."""
    raw = (Path(__file__).parent / f"{name}.eml").read_bytes()
    return raw if about is None else raw.replace(str(SAMPLE_ID).encode(), str(about).encode())
