"""`ledger checkpoint`, `ledger export-proofs` and `ledger tree-rebuild`: the Merkle tree and
its signed heads from a terminal."""

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

from commands.audit import store
from commands.ledger import Ledger
from core.settings import get_settings
from projections.proofs import checkpoints, export, signing_keys, tree


def checkpoint(ledger: Ledger, _: argparse.Namespace) -> int:
    """Bring the tree up to the store's head, sign it, print the head that covers it (run
    where the signer's key is: a worker's host)."""
    tree.advance(ledger.eventlog)
    try:
        head = checkpoints.sign(get_settings(), force=True)
    except signing_keys.KeyMissing as exc:
        print(f"CHECKPOINT_KEY_MISSING: {exc}", file=sys.stderr)
        return 1
    if head is None:
        print("SIGNER_BUSY: another signer holds the lock; try again", file=sys.stderr)
        return 1
    print(json.dumps(head, indent=2))
    return 0


def export_proofs(ledger: Ledger, args: argparse.Namespace) -> int:
    """The whole log and every signed head, or one stream with its inclusion proofs."""
    if args.event_id is None:
        lines = export.log_lines(ledger.eventlog)
    else:
        store.require_event(ledger, args.event_id)
        lines = export.stream_lines(ledger, args.event_id)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        out.writelines(lines)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def tree_rebuild(ledger: Ledger, _: argparse.Namespace) -> int:
    """Drop the Merkle tree and grow it again from the store."""
    print(f"{tree.rebuild(ledger.eventlog)} leaves")
    return 0


def add_parsers(sub: Any) -> None:
    """The subcommands of this module on `ledger`'s subparsers."""
    sub.add_parser("checkpoint", help="sign a tree head over the whole log now; prints it")
    e = sub.add_parser("export-proofs", help="the log and its signed heads (or one event's "
                                             "stream with inclusion proofs), for "
                                             "tools/verify_export.py")
    e.add_argument("event_id", type=UUID, nargs="?", help="one event's stream (default: all)")
    e.add_argument("-o", "--output", help="file to write (default: stdout)")
    sub.add_parser("tree-rebuild", help="drop the Merkle tree and grow it again from the store")


COMMANDS: dict[str, Callable[[Ledger, argparse.Namespace], int]] = {
    "checkpoint": checkpoint, "export-proofs": export_proofs, "tree-rebuild": tree_rebuild,
}
