"""A field of a domain event that names a person, as it is stored: sealed under that person's
key (`core.personal_data`), beside the person's id.

Standard library only: the domain holds these values and the offline tools hash them, neither
needing a key. The hash chain and the Merkle tree cover `plain()`, what is stored, so a proof
never needs the clear text and still holds once the key is destroyed.
"""

from dataclasses import dataclass
from typing import Any

ERASED = "erased"  # what is shown where a forgotten person's name was
# A person's keys, by what they seal: what names them in the ledger, and their details on
# invoices (kept for the invoices' legal retention after the person is forgotten).
PERSON, INVOICE = "person", "invoice"
PLAIN_KEYS = frozenset({"person", "sealed", "purpose"})


@dataclass(frozen=True, slots=True)
class Personal:
    """A person's data sealed with their key: `sealed` is base64 of the nonce and the AES-GCM
    ciphertext; `person` whose key opens it (a user account's id)."""

    person: str
    sealed: str
    purpose: str = PERSON  # which of the person's keys: INVOICE for an invoice's buyer

    def plain(self) -> dict[str, str]:
        """As stored, hashed and exported."""
        found = {"person": self.person, "sealed": self.sealed}
        return found if self.purpose == PERSON else found | {"purpose": self.purpose}

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> "Personal":
        return cls(person=str(data["person"]), sealed=str(data["sealed"]),
                   purpose=str(data.get("purpose", PERSON)))


def is_sealed(data: Any) -> bool:
    """Whether a JSON value is a `Personal` as `plain()` wrote it (an export, a read row)."""
    return isinstance(data, dict) and {"person", "sealed"} <= set(data) <= PLAIN_KEYS


# A person's name as the domain holds it: sealed, or in the clear as recorded before sealing.
Named = str | Personal
