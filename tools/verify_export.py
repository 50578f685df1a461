#!/usr/bin/env python3
"""Check an event's export offline, with the standard library only.

Usage: python tools/verify_export.py FILE    (FILE from `ledger export` or the export route)
Exit 0 printing OK and the counts when the chain holds; exit 1 naming the first broken line.

Each line is one stored event: {stream, version, type, recorded_at, position, payload, chain}.
chain(v) = sha256(chain(v - 1) + canonical JSON of {stream, version, type, recorded_at,
payload}), chain(0) = 64 zeros; canonical JSON has sorted keys, no spaces, UTF-8 text.
"""

import hashlib
import json
import sys
from collections.abc import Iterable

GENESIS = "0" * 64
HASHED = ("stream", "version", "type", "recorded_at", "payload")


def chain_link(previous: str, record: dict[str, object]) -> str:
    doc = {key: record[key] for key in HASHED}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous + text).encode()).hexdigest()


def check(lines: Iterable[str]) -> tuple[int, str, str | None]:
    """(events checked, last hash, None) when intact, else the first problem found."""
    previous, version, stream, count = GENESIS, 0, None, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            expected = chain_link(previous, record)
        except (ValueError, KeyError, TypeError) as exc:
            return count, previous, f"line {number}: not a stored event ({exc!r})"
        stream = stream or record["stream"]
        if record["stream"] != stream:
            return count, previous, f"line {number}: stream {record['stream']}, not {stream}"
        if record["version"] != version + 1:
            return count, previous, (f"line {number}: version {record['version']} follows "
                                     f"{version}; events are missing")
        if record.get("chain") != expected:
            return count, previous, (f"line {number} (version {record['version']}): hash "
                                     f"mismatch, expected {expected}, found {record.get('chain')}")
        previous, version, count = record["chain"], record["version"], count + 1
    if count == 0:
        return 0, previous, "no events in the file"
    return count, previous, None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as export:
        count, last, problem = check(export)
    if problem is not None:
        print(f"BROKEN: {problem} ({count} events before it are intact)")
        return 1
    print(f"OK: {count} events, versions 1..{count}, chain intact; last hash {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
