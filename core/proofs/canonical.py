"""The bytes every proof covers: canonical JSON and the hash chain's link, written once.

Canonical JSON has sorted keys, no spaces and UTF-8 text. chain(v) = sha256(chain(v - 1) +
canonical JSON of event v's document), chain(0) = GENESIS. Standard library only, and no
import of the rest of `core`: the domain, `core`, the projections and the offline tools
(`tools/verify_export.py`, run with the standard library alone) all hash through it.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

GENESIS = "0" * 64
SEPARATORS = (",", ":")
# Made once for hot loops: `json.dumps` makes a new encoder on every call given options.
canonical_text: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=SEPARATORS, sort_keys=True).encode


def canonical(doc: Any, *, escape: bool = False,
              default: Callable[[Any], Any] | None = None) -> bytes:
    """Sorted keys, no spaces, UTF-8; `escape` writes non-ASCII text as JSON \\u escapes.

    `escape` and `default` are for request fingerprints, first written that way and compared
    with stored ones; proofs never pass them.
    """
    if not escape and default is None:
        return canonical_text(doc).encode()
    return json.dumps(doc, sort_keys=True, separators=SEPARATORS, ensure_ascii=escape,
                      default=default).encode()


def chain_link(previous: str, doc: Any) -> str:
    """The hash of `doc` chained to the hash before it, as hex."""
    return hashlib.sha256(previous.encode() + canonical(doc)).hexdigest()
