"""An export's lines read and its hash chains walked: what `verify_export.py` and
`merkle_export.py` both use. Standard library only."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.proofs import canonical
from core.proofs.canonical import GENESIS

HASHED = ("stream", "version", "type", "recorded_at", "payload")
FORMS = (1, 2)


@dataclass
class Result:
    """Events checked, the last hash, legacy versions taken as stored, the first problem."""

    count: int = 0
    last: str = GENESIS
    unchecked: list[int] = field(default_factory=list)
    problem: str | None = None


def chain_link(previous: str, record: dict[str, object]) -> str:
    """The hash of `record` (in its form) chained to `previous`."""
    doc = {key: record[key] for key in HASHED}
    if record.get("form", 1) != 1:
        doc["form"] = record["form"]
    return canonical.chain_link(previous, doc)


def check(lines: Iterable[str]) -> Result:
    """The result of walking the export line by line, stopping at the first problem."""
    result, version, stream, newest_form = Result(), 0, None, 1
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            expected = chain_link(result.last, record)
        except (ValueError, KeyError, TypeError) as exc:
            return _stop(result, f"line {number}: not a stored event ({exc!r})")
        stream = stream or record["stream"]
        at = f"line {number} (version {record['version']})"
        line_form = record.get("form", 1)
        if record["stream"] != stream:
            return _stop(result, f"line {number}: stream {record['stream']}, not {stream}")
        if record["version"] != version + 1:
            return _stop(result, f"line {number}: version {record['version']} follows "
                                 f"{version}; events are missing")
        if line_form not in FORMS or line_form < newest_form:
            return _stop(result, f"{at}: form {line_form} after form {newest_form}; altered")
        if line_form == 1 and record.get("redacted") is True and isinstance(record["chain"], str):
            result.unchecked.append(record["version"])
        elif record.get("chain") != expected:
            return _stop(result, f"{at}: hash mismatch, expected {expected}, "
                                 f"found {record.get('chain')}")
        result.last, version, newest_form = record["chain"], record["version"], line_form
        result.count += 1
    return result if result.count else _stop(result, "no events in the file")


def _stop(result: Result, problem: str) -> Result:
    result.problem = problem
    return result


def records(lines: Iterable[str]) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """(line number, event) pairs and the checkpoint lines' heads."""
    events, found = [], []
    for number, line in enumerate(lines, 1):
        if line.strip():
            doc = json.loads(line)
            if "checkpoint" in doc:
                found.append(doc["checkpoint"])
            else:
                events.append((number, doc))
    return events, found
