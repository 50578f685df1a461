#!/usr/bin/env python3
"""Check an event's export offline, with the standard library only.

Usage: python tools/verify_export.py FILE    (FILE from `ledger export` or the export route)
Exit 0 printing OK when every link was recomputed and holds; 1 naming the first broken line;
3 printing PARTIAL when the links it could check hold but some legacy ones could not be.

Each line is one stored event: {stream, version, type, recorded_at, position, form, payload,
chain}. chain(v) = sha256(chain(v - 1) + canonical JSON of the line's document), chain(0) = 64
zeros; canonical JSON has sorted keys, no spaces, UTF-8 text. The document depends on `form`:
- form 2: {form, stream, version, type, recorded_at, payload}. The payload shows each ticket
  code as "sha256:" + its hex digest, and that digest is what the hash covers.
- form 1 (events sealed before digests; lines without `form`): {stream, version, type,
  recorded_at, payload} over the raw codes. A form-1 line marked `redacted` shows digests
  instead, so its link cannot be recomputed here: it is taken as stored and the result is
  PARTIAL, never OK (`ledger verify` checks it in the store; `ledger export --legacy-codes`
  writes it checkable). A form-1 line after a form-2 one of its stream is refused: the
  ledger never writes one.
"""

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

GENESIS = "0" * 64
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
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous + text).encode()).hexdigest()


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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as export:
        r = check(export)
    if r.problem is not None:
        print(f"BROKEN: {r.problem} ({r.count} events before it are intact)")
        return 1
    summary = f"{r.count} events, versions 1..{r.count}"
    if r.unchecked:
        versions = ", ".join(map(str, r.unchecked))
        print(f"PARTIAL: {summary}; every link checked holds, but {len(r.unchecked)} legacy "
              f"links were taken as stored (versions {versions}: hashed over ticket codes this "
              f"export redacts; `ledger verify` checks them); last hash {r.last}")
        return 3
    print(f"OK: {summary}, chain intact; last hash {r.last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
