"""`verify_export.py` with keys, heads or proofs: every check run, every problem reported."""

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from core.heads import same
from tools import proofcheck
from tools.chainfile import GENESIS, check, records
from tools.proofcheck import Findings


def run(lines: list[str], args: argparse.Namespace) -> int:
    out = Findings()
    events, exported = records(lines)
    keys = proofcheck.load_keys(Path(k).read_text(encoding="utf-8") for k in args.key)
    if not keys:
        out.problems.append("no trusted public key given (--key): no head can be trusted")
    shipped = [h for f in args.heads for h in proofcheck.load_heads(Path(f).read_text("utf-8"))]
    everyone = _distinct(exported + shipped)
    good = proofcheck.check_signatures(everyone, keys, out)
    proofcheck.check_forks(good, out)
    if events and exported and not any("inclusion" in e for _, e in events):
        for head in shipped:  # a log export carries every head the database has
            if not any(same(head, e) for e in exported):
                out.problems.append(f"shipped head of size {head.get('tree_size')} signed "
                                    f"{head.get('timestamp')} is not in the export: it was "
                                    "deleted from the database")
    if any("inclusion" in e for _, e in events):
        _stream(lines, events, good, out)
    elif events:
        _log(events, good, out)
    for proof in args.proof:
        proofcheck.check_proof(json.loads(Path(proof).read_text("utf-8")), keys, out)
    return _print(out, len(events))


def _distinct(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for head in found:
        if not any(same(head, k) and head.get("signature") == k.get("signature")
                   for k in kept):
            kept.append(head)
    return kept


def _stream(lines: list[str], events: list[tuple[int, dict[str, Any]]],
            good: list[dict[str, Any]], out: Findings) -> None:
    """One stream: its chain, and each event's inclusion proof in a signed head."""
    chain = check(line for line in lines if '"checkpoint"' not in line)
    if chain.problem:
        out.problems.append(chain.problem)
    by_size = {int(h["tree_size"]): h for h in good}
    proved = sum(proofcheck.check_inclusion(n, e, by_size, out)
                 for n, e in events if "inclusion" in e)
    later = sum(1 for _, e in events if "inclusion" not in e)
    out.held.append(f"{proved} of {len(events)} events proved in a signed head"
                    + (f"; {later} newer than the latest head" if later else ""))


def _log(events: list[tuple[int, dict[str, Any]]], good: list[dict[str, Any]],
         out: Findings) -> None:
    """The whole log: every stream's chain, positions in order, every head's root."""
    links: dict[str, tuple[int, str]] = {}
    leaves: list[bytes] = []
    positions: list[int] = []
    for index, (number, e) in enumerate(events):
        try:
            leaf, text = proofcheck.leaf_and_link(e)
            leaves.append(leaf)
            position, stream, version = int(e["position"]), str(e["stream"]), int(e["version"])
        except (KeyError, TypeError, ValueError) as exc:
            out.problems.append(f"line {number}: not a stored event ({exc!r})")
            continue
        at = f"line {number} (position {position}, stream {stream} version {version})"
        if positions and position <= positions[-1]:
            out.problems.append(f"{at}: position after {positions[-1]}: events reordered or "
                                "inserted with a forged position")
        if e.get("leaf_index", index) != index:
            out.problems.append(f"{at}: exported as leaf {e['leaf_index']}, found as {index}")
        positions.append(position)
        last_version, last_chain = links.get(stream, (0, GENESIS))
        if version != last_version + 1:
            out.problems.append(f"{at}: follows version {last_version} of its stream: events "
                                "are missing or moved")
        expected = hashlib.sha256((last_chain + text).encode()).hexdigest()
        if not e.get("redacted") and e.get("chain") != expected:
            out.problems.append(f"{at}: hash mismatch: the event was altered")
        links[stream] = (version, str(e.get("chain")))
    out.held.append(f"{len(events)} events of {len(links)} streams read")
    proofcheck.check_log(leaves, positions, good, out)


def _print(out: Findings, count: int) -> int:
    if out.problems:
        print(f"BROKEN: {len(out.problems)} problems ({count} events read)")
        for problem in out.problems:
            print(f"  - {problem}")
        for held in out.held:
            print(f"  ok: {held}")
        return 1
    print("OK: " + "; ".join(out.held or ["nothing to check"]))
    return 0
