"""The history: every client operation as one JSON line, Jepsen style.

An operation has its client, kind (book, cancel, list, page, get, feed), what was sent (the
event, category, quantity, Idempotency-Key, booking), its invocation and completion times
(`t0`, `t1`, wall-clock seconds), and its outcome: `status`, the error body's `code`, the
answer's essentials, or the client-side `error`. Its `type` is Jepsen's: `ok` (2xx), `fail`
(a definite refusal: 4xx) or `info` (a 5xx, a timeout or a broken connection: it may or may
not have happened).
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

Op = dict[str, Any]


def outcome_type(status: int | None) -> str:
    """ok, fail or info for an answer's status (None: no answer)."""
    if status is None or status >= 500:
        return "info"
    if 200 <= status < 300:
        return "ok"
    return "fail"


class History:
    """Appends operations to a JSON-lines file as they complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out: IO[str] = path.open("a")
        self.count = 0

    def record(self, op: Op) -> Op:
        op["type"] = outcome_type(op.get("status"))
        op["n"] = self.count
        self.count += 1
        self._out.write(json.dumps(op, separators=(",", ":")) + "\n")
        return op

    def close(self) -> None:
        self._out.close()


def read(path: Path) -> Iterator[Op]:
    with path.open() as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
