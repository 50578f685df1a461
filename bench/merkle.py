"""The Merkle tree: core.proofs.merkle against pymerkle on N leaves, the projection's rate,
the offline tool's rate. Prints its numbers; nothing is written outside a temporary directory.

    python -m bench.merkle [--leaves 1000000] [--events 5000] [--export 100000]

- build: N leaves appended one by one (ours: `Frontier`, as the projection grows the tree;
  pymerkle: `InmemoryTree.append_entry`), then the root;
- proofs: 1,000 inclusion proofs and 1,000 consistency proofs made and checked (ours from
  stored complete subtrees, as the API makes them; pymerkle from its tree), and their sizes;
- projection: `projections.proofs.tree.rebuild` over a store of `--events` events (SQLite);
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

from core.proofs import merkle
from core.proofs.canonical import canonical
from core.settings import ROOT

SAMPLES = 1000
PICK = random.Random(20)  # noqa: S311 - which leaves to prove, the same each run



def rebuilt(ledger: Any) -> tuple[float, float, int]:
    """The tree rebuilt from 0: seconds, this process's CPU seconds, leaves."""
    from projections.proofs import tree  # noqa: PLC0415 - after the settings are set

    cpu = time.process_time()
    seconds, added = timed(lambda: tree.rebuild(ledger.eventlog))
    return seconds, time.process_time() - cpu, added

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
    print(f"{'':34}{'core.proofs.merkle':>14}{'pymerkle 7.0':>14}")
    for label, key, fmt in rows:
        if key is None:
            print(f"{label:34}{n / mine['build_s']:>14,.0f}{n / other['build_s']:>14,.0f}")
        else:
            print(f"{label:34}{fmt.format(mine[key]):>14}{fmt.format(other[key]):>14}")


def projection(events: int) -> None:
    """The tree projection's rate over a real store (embedded SQLite)."""
    from bench.scenario import scenario  # noqa: PLC0415 - a known history

    with tempfile.TemporaryDirectory() as tmp:
        import os  # noqa: PLC0415

        os.environ.update(ENVIRONMENT="test", DATABASE_URL=f"sqlite:///{tmp}/ledger.db")
        from commands.ledger import Ledger  # noqa: PLC0415
        from core.db import reset_singletons  # noqa: PLC0415
        from core.settings import get_settings  # noqa: PLC0415
        from ops.migrate import migrate  # noqa: PLC0415
        from workers.celery_app import app  # noqa: PLC0415

        reset_singletons()
        migrate(get_settings())
        ledger = Ledger(get_settings())
        app.conf.task_always_eager = True
        while ledger.eventlog.last() < events:
            scenario(ledger)
        seconds, cpu, added = rebuilt(ledger)
        print(f"== projection: {added:,} events into the tree (SQLite, rebuilt from 0) in "
              f"{seconds:.2f} s: {added / seconds:,.0f} events/s; {cpu:.2f} s of CPU: "
              f"{added / cpu:,.0f} events per CPU second")
        export = Path(tmp) / "log.jsonl"
        from projections.proofs import export as log_export  # noqa: PLC0415

        export.write_text("".join(log_export.log_lines(ledger.eventlog)), encoding="utf-8")
        ledger.close()


def write_log_export(path: Path, count: int, head_every: int) -> Path:
    """A log export as `ledger export-proofs` writes it (`projections.proofs.export`): `count`
    SeatsBooked-shaped events (chained in streams of 50), each with its
    leaf index, then a head signed every `head_every` events by a throwaway key. Leaves and
    links are computed with the reference code (`core.proofs.canonical`, `chain_link`), not
    the tool's. Returns the public key's file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )

    from core.proofs import tree_heads  # noqa: PLC0415
    from tools.chainfile import chain_link  # noqa: PLC0415
    from tools.proofcheck import LEAF_KEYS  # noqa: PLC0415

    private = Ed25519PrivateKey.generate()
    tree, signed = merkle.Frontier(), []
    chains: dict[str, str] = {}
    code = "sha256:" + "ab" * 32
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            stream = f"00000000-0000-4000-8000-{i // 50:012d}"
            at = f"2026-11-25T12:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}000Z"
            r: dict[str, Any] = {
                "stream": stream, "version": i % 50 + 1, "type": "SeatsBooked", "recorded_at": at,
                "position": i + 1 + i // 1000, "form": 2,  # a burnt position now and then
                "payload": {"booking_id": f"b7935070-5404-442b-ac34-{i:012d}",
                            "user_id": f"b37f3bc6-5426-4212-9a6b-{i % 977:012d}",
                            "user_name": "Ann Lee", "category": "General", "quantity": 2,
                            "unit_price": "25.00", "ticket_codes": [code, code],
                            "booked_at": at}}
            r["chain"] = chains[stream] = chain_link(chains.get(stream, "0" * 64), r)
            tree.append(merkle.leaf_hash(canonical({k: r[k] for k in LEAF_KEYS})))
            out.write(json.dumps(r | {"leaf_index": i}, ensure_ascii=False) + "\n")
            if (i + 1) % head_every == 0 or i + 1 == count:
                signed.append(tree_heads.sign(private, tree.size, tree.root().hex()))
        out.writelines(json.dumps({"checkpoint": h}, ensure_ascii=False) + "\n" for h in signed)
    key = path.with_name("key.pem")
    key.write_text(tree_heads.public_pem(private.public_key()), encoding="utf-8")
    return key


def offline(count: int, head_every: int = 10_000, profile: Path | None = None) -> None:
    """`tools/verify_export.py` on a log export of `count` events with a signed head every
    `head_every` events: every check it makes (chains, leaves, roots, signatures)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.jsonl"
        seconds, key = timed(lambda: write_log_export(path, count, head_every))
        print(f"== offline tool: export of {count:,} events and {-(-count // head_every)} heads "
              f"({path.stat().st_size / 1e6:.0f} MB) written in {seconds:.0f} s")
        script = ROOT / "tools" / "verify_export.py"
        command = [sys.executable, "-I", str(script), str(path), "--key", str(key)]
        if profile is not None:
            command[2:2] = ["-m", "cProfile", "-o", str(profile)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, done = timed(lambda: subprocess.run(  # noqa: S603 - our tool
            command, capture_output=True, text=True, check=False))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"checked in {seconds:.2f} s: {count / seconds:,.0f} events/s; {cpu:.2f} s of "
              f"CPU: {count / cpu:,.0f} events per CPU second; peak RSS "
              f"{after.ru_maxrss / 1024:.0f} MB; exit {done.returncode}: "
              f"{done.stdout.strip()[:300]}")
        if done.returncode != 0:
            raise RuntimeError(f"the tool refused a good export:\n{done.stdout}{done.stderr}")


def store_proofs(  # noqa: PLR0915 - one measured story, step by step
    events: int, url: str, tmp: Path, samples: int = SAMPLES,
) -> None:
    """A store of `events` events: the tree's catch-up over the whole backlog, then inclusion
    proofs over HTTP from a running API (uvicorn, one process) at random positions.

    The events are copies of a real history's stored rows (`bench.scenario`), each
    history under new stream ids, written straight into the store's table: through the API
    it would take hours. The read models' tracking rows are set to the head (the API would
    otherwise replay the million events at startup); the tree is grown by
    `projections.proofs.tree.rebuild`, the projection's own code, from position 0."""
    import os  # noqa: PLC0415
    import secrets  # noqa: PLC0415
    import uuid  # noqa: PLC0415

    import httpx  # noqa: PLC0415

    from bench import stack  # noqa: PLC0415
    from bench.measure import cpu_seconds  # noqa: PLC0415

    env = {"ENVIRONMENT": "development", "DATABASE_URL": url,
           "SECRET_KEY": secrets.token_urlsafe(32),
           "CHECKPOINT_KEY_FILE": str(tmp / "checkpoint-key.pem"),
           "CHECKPOINT_LOG_FILE": str(tmp / "checkpoints.jsonl"), "SQL_ECHO": "false"}
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)
    from bench.scenario import scenario  # noqa: PLC0415
    from commands.ledger import Ledger  # noqa: PLC0415
    from core.db import get_engine, reset_singletons, session_scope  # noqa: PLC0415
    from core.settings import get_settings  # noqa: PLC0415
    from ops.migrate import migrate  # noqa: PLC0415
    from projections import tracking  # noqa: PLC0415
    from projections.proofs import checkpoints, tree  # noqa: PLC0415
    from projections.registry import PROJECTIONS  # noqa: PLC0415
    from query_api.auth.credentials import create_access_token  # noqa: PLC0415
    from query_api.auth.user_accounts import create_user  # noqa: PLC0415
    from workers.celery_app import app  # noqa: PLC0415

    get_settings.cache_clear()
    reset_singletons()
    settings = get_settings()
    migrate(settings)
    ledger = Ledger(settings)
    app.conf.task_always_eager = True
    scenario(ledger)
    pg = settings.is_postgres
    table = str(getattr(ledger.recorder, "events_table_name", "stored_events"))
    raw = get_engine().raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT originator_id, originator_version, topic, state FROM {table} "  # noqa: S608 - the store's own table
                    f"ORDER BY {'notification_id' if pg else 'rowid'}")
        template = [tuple(r) for r in cur.fetchall()]
        streams = sorted({r[0] for r in template}, key=str)
        started = time.perf_counter()
        copies = -(-(events - len(template)) // len(template))
        rows_written = 0
        for _ in range(copies):
            fresh = {s: uuid.uuid4() for s in streams}
            batch = [(fresh[o] if pg else fresh[o].hex, v, t, bytes(st))
                     for o, v, t, st in template]
            batch = batch[:events - len(template) - rows_written]
            if pg:
                copying = (f"COPY {table} (originator_id, originator_version, topic, state) "
                           "FROM STDIN")
                with raw.driver_connection.cursor().copy(copying) as copy:  # type: ignore[union-attr]
                    for row in batch:
                        copy.write_row(row)
            else:
                cur.executemany(f"INSERT INTO {table} (originator_id, originator_version, topic, "  # noqa: S608
                                "state) VALUES (?, ?, ?, ?)", batch)
            rows_written += len(batch)
        raw.commit()
    finally:
        raw.close()
    head = ledger.eventlog.last()
    with session_scope() as session:
        names = [n for n in PROJECTIONS if n != tree.NAME]
        tracking.lock_all(session, names)
        tracking.set_tracking(session, *names, position=head, last_error=None)
    kind = "PostgreSQL" if pg else "SQLite"
    print(f"== {kind}: {head:,} events in the store ({rows_written:,} copied in "
          f"{time.perf_counter() - started:.0f} s)")
    seconds, cpu, added = rebuilt(ledger)
    print(f"tree caught up on a backlog of {added:,} events in {seconds:.1f} s: "
          f"{added / seconds:,.0f} events/s; {cpu:.1f} s of this process's CPU: "
          f"{added / cpu:,.0f} events per CPU second")
    head_signed = checkpoints.sign(settings, force=True)
    if head_signed is None:
        raise SystemExit("another signer held the signing lock: run the benchmark alone")
    with session_scope() as session:
        user = create_user(session, email="auditor@bench.example", password="bench-pass-1",  # noqa: S106
                           name="Auditor", phone=None, role="auditor")
        token = create_access_token(settings, user.id, user.role)
    ledger.close()
    api_env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    api_env["PYTHONPATH"] = str(ROOT)
    api, base = stack.serve("api", "query_api.main:app", api_env, tmp, 1)
    try:
        times = []
        bad = 0
        api_cpu = 0.0
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                          timeout=30) as client:
            for i in range(samples + 20):  # the first 20 warm the process up
                position = PICK.randrange(head) + 1
                if i == 20:
                    api_cpu = -sum(cpu_seconds(pid) for pid in api.pids())
                t0 = time.perf_counter()
                answer = client.get("/api/audit/proofs/inclusion", params={"position": position})
                spent = (time.perf_counter() - t0) * 1000
                if answer.status_code == 404:
                    continue  # a position no event took
                answer.raise_for_status()
                proof = answer.json()
                ok = merkle.verify_inclusion(
                    proof["leaf_index"], proof["tree_size"], bytes.fromhex(proof["leaf_hash"]),
                    [bytes.fromhex(h) for h in proof["audit_path"]],
                    bytes.fromhex(head_signed["root_hash"]))
                bad += not ok
                if i >= 20:
                    times.append(spent)
        api_cpu += sum(cpu_seconds(pid) for pid in api.pids())
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
            lags = {p["name"]: p["lag_events"] for p in c.get("/api/projections").json()}
        times.sort()
        print(f"GET /api/audit/proofs/inclusion over HTTP, tree of {head_signed['tree_size']:,}: "
              f"p50 {times[len(times) // 2]:.1f} ms, p99 {times[int(len(times) * 0.99)]:.1f} ms "
              f"({len(times)} proofs, one client, keep-alive; {bad} failed to verify); the API "
              f"spent {api_cpu * 1000 / len(times):.1f} ms of CPU per proof")
        print(f"GET /api/projections: lag_events {lags}")
    finally:
        api.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--leaves", type=int, default=1_000_000, help="0: no library comparison")
    p.add_argument("--events", type=int, default=5_000)
    p.add_argument("--export", type=int, default=1_000_000)
    p.add_argument("--head-every", type=int, default=10_000)
    p.add_argument("--store", type=int, default=0, help="a store of this many events: the "
                   "tree's catch-up, inclusion proofs over HTTP (SQLite)")
    p.add_argument("--pg", action="store_true", help="--store on PostgreSQL too")
    p.add_argument("--keep", type=Path, help="--store's SQLite database in this (new) folder, "
                   "kept afterwards")
    args = p.parse_args()
    if args.leaves:
        compare(args.leaves)
    if args.events:
        projection(args.events)
    if args.export:
        offline(args.export, args.head_every)
    if args.store and args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        store_proofs(args.store, f"sqlite:///{args.keep}/ledger.db", args.keep)
    elif args.store:
        with tempfile.TemporaryDirectory() as tmp:
            store_proofs(args.store, f"sqlite:///{tmp}/ledger.db", Path(tmp))
    if args.store and args.pg:
        from bench.db import bench_database  # noqa: PLC0415

        with tempfile.TemporaryDirectory() as tmp, bench_database("ledger_bench_merkle") as url:
            store_proofs(args.store, url, Path(tmp))


if __name__ == "__main__":
    main()
