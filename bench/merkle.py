"""The Merkle tree: core.merkle against pymerkle on N leaves, the projection's rate, the offline
tool's rate. Prints its numbers; nothing is written outside a temporary directory.

    python -m bench.merkle [--leaves 1000000] [--events 5000] [--export 100000]

- build: N leaves appended one by one (ours: `Frontier`, as the projection grows the tree;
  pymerkle: `InmemoryTree.append_entry`), then the root;
- proofs: 1,000 inclusion proofs and 1,000 consistency proofs made and checked (ours from
  stored complete subtrees, as the API makes them; pymerkle from its tree), and their sizes;
- projection: `projections.merkle.advance` over a store of `--events` events (SQLite);
- offline: `tools/verify_export.py` over a synthetic log export of `--export` events.
"""

import argparse
import json
import random  # sampling leaves to prove, not secrets
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core import merkle
from core.settings import ROOT

SAMPLES = 1000
PICK = random.Random(20)  # noqa: S311 - which leaves to prove, the same each run


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = work()
    return time.perf_counter() - started, out


def ours(n: int) -> dict[str, Any]:
    """Grow the tree leaf by leaf keeping every complete node (as the projection stores them)."""
    stored: dict[tuple[int, int], bytes] = {}

    def build() -> bytes:
        tree = merkle.Frontier()
        for i in range(n):
            for level, index, h in tree.append(merkle.leaf_hash(i.to_bytes(8, "big"))):
                stored[(level, index)] = h
        return tree.root()

    seconds, top = timed(build)
    def nodes(level: int, index: int) -> bytes:
        return stored[(level, index)]

    picks = [PICK.randrange(n) for _ in range(SAMPLES)]
    made, paths = timed(lambda: [merkle.inclusion_path(nodes, i, n) for i in picks])
    checked, ok = timed(lambda: all(merkle.verify_inclusion(
        i, n, nodes(0, i), p, top) for i, p in zip(picks, paths, strict=True)))
    olds = [PICK.randrange(1, n) for _ in range(SAMPLES)]
    cmade, cpaths = timed(lambda: [merkle.consistency_path(nodes, m, n) for m in olds])
    cchecked, cok = timed(lambda: all(merkle.verify_consistency(
        m, n, merkle.root(nodes, m), top, p) for m, p in zip(olds, cpaths, strict=True)))
    if not (ok and cok):
        raise RuntimeError("a proof of ours did not verify")
    return {"root": top.hex(), "build_s": seconds, "inclusion_ms": made * 1000 / SAMPLES,
            "verify_inclusion_ms": checked * 1000 / SAMPLES,
            "consistency_ms": cmade * 1000 / SAMPLES,
            "verify_consistency_ms": cchecked * 1000 / SAMPLES,
            "inclusion_bytes": statistics.mean(
                len(json.dumps({"leaf_index": 0, "tree_size": n, "audit_path": [
                    h.hex() for h in p]})) for p in paths),
            "hashes": statistics.mean(len(p) for p in paths)}


def theirs(n: int) -> dict[str, Any]:
    """pymerkle's in-memory tree: the same leaves (it hashes each entry with 0x00 itself)."""
    from pymerkle import (  # type: ignore[import-untyped]  # noqa: PLC0415 - the bench extra
        InmemoryTree,
        verify_consistency,
        verify_inclusion,
    )

    tree = InmemoryTree(algorithm="sha256")

    def build() -> bytes:
        for i in range(n):
            tree.append_entry(i.to_bytes(8, "big"))
        root: bytes = tree.get_root(n)
        return root

    seconds, top = timed(build)
    picks = [PICK.randrange(n) + 1 for _ in range(SAMPLES)]  # 1-based
    made, proofs = timed(lambda: [tree.prove_inclusion(i, n) for i in picks])
    checked, _ = timed(lambda: [verify_inclusion(tree.get_leaf(i), top, p)
                                for i, p in zip(picks, proofs, strict=True)])
    olds = [PICK.randrange(1, n) for _ in range(SAMPLES)]
    cmade, cproofs = timed(lambda: [tree.prove_consistency(m, n) for m in olds])
    cchecked, _ = timed(lambda: [verify_consistency(tree.get_root(m), top, p)
                                 for m, p in zip(olds, cproofs, strict=True)])
    return {"root": top.hex(), "build_s": seconds, "inclusion_ms": made * 1000 / SAMPLES,
            "verify_inclusion_ms": checked * 1000 / SAMPLES,
            "consistency_ms": cmade * 1000 / SAMPLES,
            "verify_consistency_ms": cchecked * 1000 / SAMPLES,
            "inclusion_bytes": statistics.mean(len(json.dumps(p.serialize())) for p in proofs),
            "hashes": statistics.mean(len(p.serialize()["path"]) for p in proofs)}


def compare(n: int) -> None:
    print(f"== {n:,} leaves (SHA-256, RFC 9162)")
    mine = ours(n)
    other = theirs(n)
    print(f"same root: {mine['root'] == other['root']} ({mine['root'][:16]}...)")
    rows: list[tuple[str, str | None, str]] = [("build, leaf by leaf (s)", "build_s", "{:.2f}"),
            ("  leaves/s", None, ""),
            ("inclusion proof made (ms)", "inclusion_ms", "{:.3f}"),
            ("inclusion proof checked (ms)", "verify_inclusion_ms", "{:.3f}"),
            ("consistency proof made (ms)", "consistency_ms", "{:.3f}"),
            ("consistency proof checked (ms)", "verify_consistency_ms", "{:.3f}"),
            ("inclusion proof: hashes", "hashes", "{:.1f}"),
            ("inclusion proof: JSON bytes", "inclusion_bytes", "{:.0f}")]
    print(f"{'':34}{'core.merkle':>14}{'pymerkle 7.0':>14}")
    for label, key, fmt in rows:
        if key is None:
            print(f"{label:34}{n / mine['build_s']:>14,.0f}{n / other['build_s']:>14,.0f}")
        else:
            print(f"{label:34}{fmt.format(mine[key]):>14}{fmt.format(other[key]):>14}")


def projection(events: int) -> None:
    """The tree projection's rate over a real store (embedded SQLite)."""
    from tests.audit.scenario import scenario  # noqa: PLC0415 - a known history

    with tempfile.TemporaryDirectory() as tmp:
        import os  # noqa: PLC0415

        os.environ.update(ENVIRONMENT="test", DATABASE_URL=f"sqlite:///{tmp}/ledger.db")
        from commands.ledger import Ledger  # noqa: PLC0415
        from core.db import reset_singletons  # noqa: PLC0415
        from core.settings import get_settings  # noqa: PLC0415
        from ops.migrate import migrate  # noqa: PLC0415
        from projections import merkle as tree  # noqa: PLC0415
        from workers.celery_app import app  # noqa: PLC0415

        reset_singletons()
        migrate(get_settings())
        ledger = Ledger(get_settings())
        app.conf.task_always_eager = True
        while ledger.eventlog.last() < events:
            scenario(ledger)
        cpu = time.process_time()
        seconds, added = timed(lambda: tree.rebuild(ledger.eventlog))
        cpu = time.process_time() - cpu
        print(f"== projection: {added:,} events into the tree (SQLite, rebuilt from 0) in "
              f"{seconds:.2f} s: {added / seconds:,.0f} events/s; {cpu:.2f} s of CPU: "
              f"{added / cpu:,.0f} events per CPU second")
        export = Path(tmp) / "log.jsonl"
        from projections import merkle_export  # noqa: PLC0415

        export.write_text("".join(merkle_export.log_lines(ledger.eventlog)), encoding="utf-8")
        ledger.close()


def offline(count: int) -> None:
    """The offline tool on a synthetic log export: `count` events in chained streams of 50."""
    from tools.verify_export import chain_link  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.jsonl"
        with path.open("w", encoding="utf-8") as out:
            chains: dict[str, str] = {}
            for i in range(count):
                stream = f"00000000-0000-4000-8000-{i // 50:012d}"
                r: dict[str, Any] = {"stream": stream, "version": i % 50 + 1, "type": "SeatsBooked",
                     "recorded_at": "2026-11-25T12:00:00Z", "position": i + 1, "form": 2,
                     "payload": {"booking_id": f"b{i}", "quantity": 2, "unit_price": "25.00",
                                 "ticket_codes": ["sha256:" + "ab" * 32] * 2}}
                r["chain"] = chain_link(chains.get(stream, "0" * 64), r)
                chains[stream] = r["chain"]
                out.write(json.dumps(r | {"leaf_index": i}) + "\n")
        script = ROOT / "tools" / "verify_export.py"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, done = timed(lambda: subprocess.run(  # noqa: S603 - our tool
            [sys.executable, "-I", str(script), str(path)],
            capture_output=True, text=True, check=False))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"== offline tool: {count:,} events ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{seconds:.2f} s: {count / seconds:,.0f} events/s; {cpu:.2f} s of CPU: "
              f"{count / cpu:,.0f} events per CPU second (exit {done.returncode}: no key "
              "given, so no head; every chain and leaf computed)")


def proof_reads(n: int) -> None:
    """Inclusion proofs read from a tree of `n` leaves in PostgreSQL tables, as the API reads
    them (the nodes are synthetic: a proof's reads do not depend on the hashes)."""
    import psycopg  # noqa: PLC0415

    from tests.stack import pg_database  # noqa: PLC0415 - a throwaway database

    with pg_database("ledger_bench_merkle") as url:
        import os  # noqa: PLC0415

        os.environ.update(ENVIRONMENT="test", DATABASE_URL=url)
        from core.db import read_scope, reset_singletons  # noqa: PLC0415
        from core.settings import get_settings  # noqa: PLC0415
        from ops.migrate import migrate  # noqa: PLC0415
        from projections import checkpoints, merkle_proofs  # noqa: PLC0415

        reset_singletons()
        migrate(get_settings())
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        started = time.perf_counter()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("INSERT INTO merkle_leaves SELECT i, i + 1, gen_random_uuid(), 1, NULL "
                         "FROM generate_series(0, %s - 1) i", (n,))
            for level in range(n.bit_length()):
                conn.execute("INSERT INTO merkle_nodes SELECT %s, i, sha256(int8send(i)) "
                             "FROM generate_series(0, %s - 1) i", (level, n >> level))
            conn.execute("ANALYZE merkle_nodes; ANALYZE merkle_leaves")
        print(f"== proofs read from PostgreSQL, {n:,} leaves (filled in "
              f"{time.perf_counter() - started:.0f} s)")
        times = []
        for _ in range(SAMPLES):
            position = PICK.randrange(n) + 1
            t0 = time.perf_counter()
            with read_scope() as session:
                leaf = merkle_proofs.leaf_at(session, position)
                checkpoints.latest(session)
                assert leaf is not None  # noqa: S101 - filled above
                merkle_proofs.inclusion(session, int(leaf["leaf_index"]), n)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(f"leaf, head and inclusion proof: p50 {times[len(times) // 2]:.2f} ms, p99 "
              f"{times[int(len(times) * 0.99)]:.2f} ms ({SAMPLES} proofs, one session each)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--leaves", type=int, default=1_000_000)
    p.add_argument("--events", type=int, default=5_000)
    p.add_argument("--export", type=int, default=100_000)
    p.add_argument("--pg", action="store_true", help="also read proofs from PostgreSQL "
                   "(TEST_PG_ADMIN_URL), a tree of --leaves leaves")
    args = p.parse_args()
    compare(args.leaves)
    if args.events:
        projection(args.events)
    if args.export:
        offline(args.export)
    if args.pg:
        proof_reads(args.leaves)


if __name__ == "__main__":
    main()
