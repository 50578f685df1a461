"""Exports `tools/verify_export.py` checks offline: the whole log, or one event's stream with
an inclusion proof per event, followed by the signed heads.

Event lines are the audit records (`commands.audit.store`), in log order. Then one line per
head, {"checkpoint": head}: every head for the log (the tool recomputes each root from the
leaves, so consecutive heads' consistency follows); for a stream, the latest head, against
which each event line carries {"leaf_index", "tree_size", "inclusion": [hex]}.
"""

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from commands.audit.store import export_lines, record
from commands.ledger import Ledger
from core.db import read_scope
from core.event_store.global_log import EventLog
from projections.proofs import checkpoints, paths


def _line(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False) + "\n"


def log_lines(log: EventLog, batch: int = 1000) -> Iterator[str]:
    """Every stored event in log order (to the safe head), each with its leaf index; then
    every signed head."""
    with read_scope() as session:
        heads = checkpoints.all_heads(session)  # read first: the store has all they cover
    index, after, upto = 0, 0, log.head()
    while found := log.read(after, batch, upto):
        for n in found:
            r = record(log.decode(n), n.id)
            r.pop("aggregate")
            yield _line(r | {"leaf_index": index})
            index += 1
        after = found[-1].id
    for head in heads:
        yield _line({"checkpoint": head})


def stream_lines(ledger: Ledger, event_id: UUID) -> Iterator[str]:
    """One event's stream, each event with its inclusion proof in the latest head; the head."""
    with read_scope() as session:
        head = checkpoints.latest(session)
    size = int(head["tree_size"]) if head else 0
    for line in export_lines(ledger, event_id):
        found = json.loads(line)
        with read_scope() as session:
            leaf = paths.leaf_at(session, int(found["position"]))
            if leaf is not None and int(leaf["leaf_index"]) < size:
                index = int(leaf["leaf_index"])
                path = paths.inclusion(session, index, size)
                found |= {"leaf_index": index, "tree_size": size,
                          "inclusion": [p.hex() for p in path]}
        yield _line(found)
    if head is not None:
        yield _line({"checkpoint": head})



