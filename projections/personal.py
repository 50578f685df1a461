"""Personal fields as the read models hold them: opened when folded, "erased" once the person's
key is destroyed (`core.personal_data`).

The read tables are the system's to change: they hold names in the clear for their reads (a
search by name, an attendee list, an invoice's PDF), and a person's erasure overwrites them
there (`projections.erasure`). A rebuild after it finds the key gone and writes "erased".
"""

from typing import Any

from core.personal import ERASED, INVOICE, Named, Personal, is_sealed
from core.personal_data.vault import personal_data

# An invoice's buyer whose invoice key is destroyed (its retention over): no field of theirs.
ERASED_BUYER: dict[str, Any] = {"name": ERASED, "company": None, "address": "", "country": "",
                                "vat_id": None, "email": None}


def name_of(value: Named | None) -> str:
    """A name in the clear, "erased" once forgotten; one recorded before sealing as it is."""
    opened = personal_data().open(value)
    return opened if opened is not None else ""


def buyer_of(value: dict[str, Any] | Personal) -> dict[str, Any]:
    """An invoice's buyer in the clear (`ERASED_BUYER` once their invoice key is destroyed)."""
    found = personal_data().open_json(value)
    return dict(ERASED_BUYER) if found is None else found


def opened(value: Any) -> Any:
    """A stored payload (JSON) with each sealed value opened, for a reader entitled to it (an
    auditor's log and history): a name ("erased" once forgotten), an invoice's buyer. The chain
    and the exports keep the sealed form, which is what the proofs hash."""
    if is_sealed(value):
        sealed = Personal.from_plain(value)
        return buyer_of(sealed) if sealed.purpose == INVOICE else name_of(sealed)
    if isinstance(value, dict):
        return {key: opened(item) for key, item in value.items()}
    if isinstance(value, list):
        return [opened(item) for item in value]
    return value
