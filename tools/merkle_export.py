"""`verify_export.py` with keys, heads or proofs: every check run, every problem reported."""

import argparse
import json
from pathlib import Path
from typing import Any

from tools import logscan, proofcheck
from tools.chainfile import check, records
from tools.invoice_export import invoice_problems
from tools.money_export import money_problems
from tools.proofcheck import Findings


def run(lines: list[str], args: argparse.Namespace) -> int:
    out = Findings()
    log = logscan.scan(lines)  # None: a stream's export, its events with inclusion proofs
    if log is None:
        events, exported = records(lines)
    else:
        events, exported = [], log.heads
    count = len(events) if log is None else log.count
    keys = proofcheck.load_keys(Path(k).read_text(encoding="utf-8") for k in args.key)
    if not keys:
        out.problems.append("no trusted public key given (--key): no head can be trusted")
    shipped = [h for f in args.heads for h in proofcheck.load_heads(Path(f).read_text("utf-8"))]
    everyone = _distinct(exported + shipped)
    good = proofcheck.check_signatures(everyone, keys, out)
    proofcheck.check_forks(good, out)
    if log is not None and count and exported:
        there = {_said(e) for e in exported}
        for head in shipped:  # a log export carries every head the database has
            if _said(head) not in there:
                out.problems.append(f"shipped head of size {head.get('tree_size')} signed "
                                    f"{head.get('timestamp')} is not in the export: it was "
                                    "deleted from the database")
    if log is None:
        _stream(lines, events, good, out)
    elif count:  # the whole log: every stream's chain, positions in order, every head's root
        out.problems.extend(log.problems)
        out.held.append(f"{count} events of {log.streams} streams read")
        money, payments = money_problems(lines)
        out.problems.extend(money)
        if payments and not money:
            out.held.append(f"{payments} payments' refunds match their cancelled tickets")
        wrong, invoices = invoice_problems(lines)
        out.problems.extend(wrong)
        if invoices and not wrong:
            out.held.append(f"{invoices} invoices numbered without gaps, each matching its "
                            "booking")
        proofcheck.check_log(log.leaves, log.positions, good, out)
    for proof in args.proof:
        proofcheck.check_proof(json.loads(Path(proof).read_text("utf-8")), keys, out)
    return _print(out, count)


def _said(head: dict[str, Any]) -> tuple[str, ...]:
    """What `core.proofs.tree_heads.same` compares."""
    return tuple(str(head.get(k)) for k in ("tree_size", "root_hash", "timestamp", "key_id"))


def _distinct(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept: dict[tuple[str, ...], dict[str, Any]] = {}
    for head in found:
        kept.setdefault((*_said(head), str(head.get("signature"))), head)
    return list(kept.values())


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
