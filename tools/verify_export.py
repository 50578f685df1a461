#!/usr/bin/env python3
"""Check an export offline: hash chains, and with keys and heads the Merkle tree's proofs.

Usage: python tools/verify_export.py [FILE] [--key KEY]... [--heads HEADS]... [--proof PROOF]...
  FILE   `ledger export` or GET /api/audit/events/{id}/export: one event's stream (chain only);
         `ledger export --log`, GET /api/audit/export: the whole log and every signed head
         (each head's signature, root and consistency with the next are checked);
         `ledger export --proofs EVENT`, GET /api/audit/export?event_id=: a stream, each event
         with its inclusion proof in the latest signed head.
  KEY    a trusted public key: PEM, or GET /api/audit/public-key (all keys, their retirements)
  HEADS  signed heads shipped elsewhere (checkpoints.jsonl, GET /api/audit/checkpoints): each
         must verify and appear in the export (a head deleted from the database is reported)
  PROOF  a proof from the API, the SDK or the UI's download (inclusion or consistency)
Standard library plus `cryptography`; run from the repository (it uses core/proofs/merkle.py and
core/proofs/tree_heads.py). Exit 0 printing OK when everything checked holds; 1 listing what is
wrong;
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

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # core/, tools/ as packages

from core.proofs.canonical import GENESIS
from tools.chainfile import Result, chain_link, check, records

__all__ = ["GENESIS", "Result", "chain_link", "check", "main", "records"]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.file is None and not args.proof:
        print(__doc__, file=sys.stderr)
        return 2
    text = Path(args.file).read_text(encoding="utf-8") if args.file else ""
    proofed = _is_proofed(text)
    lines = text.split("\n")  # not splitlines: U+2028 and the like are in payloads as is
    del text
    if not proofed and not (args.key or args.heads or args.proof):
        return _chain_only(lines)
    from tools import merkle_export  # noqa: PLC0415 - the Merkle checks need cryptography

    return merkle_export.run(lines, args)


def _is_proofed(line: str) -> bool:
    return '"checkpoint"' in line or '"leaf_index"' in line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="verify_export.py", add_help=True)
    p.add_argument("file", nargs="?", help="an export (JSON lines)")
    p.add_argument("--key", action="append", default=[], help="trusted public key file")
    p.add_argument("--heads", action="append", default=[], help="signed heads file")
    p.add_argument("--proof", action="append", default=[], help="a proof (JSON)")
    return p


def _chain_only(lines: list[str]) -> int:
    r = check(lines)
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
