"""The mail sender's transactions (the last group's attempts recorded, the next group claimed)
on PostgreSQL, in groups of several sizes, alternated in one process on one database: CPU of
this process per message, and PostgreSQL's wall-clock time per message seen from here.

    python -m bench.mail_claims [--rounds 3] [--messages 400] [--groups 1 20]

A group of 1 is a transaction a message, as the sender ran before it claimed in groups (then
through psycopg's prepared statements, which saved about a fifth of this process's CPU); the
sender's group is `workers.mail.sender.PER_GROUP`.
"""

import argparse
import json
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.db import bench_database, migrated_ledger


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--messages", type=int, default=400)
    p.add_argument("--groups", type=int, nargs="+", default=[1, 20])
    args = p.parse_args()
    with bench_database("bench_mail_claims") as url, migrated_ledger(url):
        run(args.rounds, args.messages, args.groups)


def run(rounds: int, count: int, groups: list[int]) -> None:
    from sqlalchemy import insert  # noqa: PLC0415 - after the database is set

    from core.db import get_engine, session_scope  # noqa: PLC0415
    from workers.mail.claims import Claims  # noqa: PLC0415
    from workers.mail.tables import CONFIRMATION, QUEUED, SENT, messages  # noqa: PLC0415

    def queued(n: int) -> list[uuid.UUID]:
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = [
                {"id": uuid.uuid4(), "kind": CONFIRMATION, "subject_id": uuid.uuid4(),
                 "event_id": uuid.uuid4(), "booking_id": uuid.uuid4(),
                 "recipient_id": uuid.uuid4(), "recipient_email": "ann@example.com",
                 "recipient_name": "Ann", "resend": 0, "requested_by": None, "position": 1,
                 "data": json.dumps({"tickets": []}), "status": QUEUED, "attempts": 0,
                 "takeovers": 0, "next_attempt_at": now, "sending_since": None,
                 "last_error": None, "sent_at": None, "created_at": now} for _ in range(n)]
        with session_scope() as session:
            session.execute(insert(messages), rows)
        return [row["id"] for row in rows]

    def record_of(row: Any, now: datetime) -> dict[str, object]:
        return {"recorded": row.id, "attempts_then": row.attempts,
                "attempts_now": row.attempts, "new_status": SENT, "error": None, "sent": now,
                "next_at": None, "new_takeovers": 0}

    def in_groups_of(size: int) -> Callable[[list[uuid.UUID]], None]:
        def send(ids: list[uuid.UUID]) -> None:
            with get_engine().connect() as connection:
                claims, rows = Claims(connection), list[Any]()
                for first in [*range(0, len(ids), size), len(ids)]:
                    now = datetime.now(UTC)
                    rows = claims.record_then_claim([record_of(row, now) for row in rows],
                                                    ids[first:first + size], now)
        return send

    ways = {f"groups of {size}": in_groups_of(size) for size in groups}
    for send in ways.values():
        send(queued(50))  # warm: the pool, the statements' caches, the prepared statements
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    wall: dict[str, list[float]] = {name: [] for name in ways}
    for round_number in range(1, rounds + 1):
        for name, send in ways.items():
            ids = queued(count)
            started, began = time.process_time(), time.perf_counter()
            send(ids)
            cpu[name].append((time.process_time() - started) / count * 1000)
            wall[name].append((time.perf_counter() - began) / count * 1000)
        print(f"round {round_number}: " + ", ".join(
            f"{name} {cpu[name][-1]:.3f}" for name in ways) + " ms of CPU a message", flush=True)
    print("\n| way | CPU per message, ms (median) | wall per message, ms (median) | CPU, rounds |"
          "\n|---|---:|---:|---|")
    for name, values in cpu.items():
        print(f"| {name} | {statistics.median(values):.3f} | {statistics.median(wall[name]):.3f}"
              f" | " + ", ".join(f"{v:.3f}" for v in values) + " |")


if __name__ == "__main__":
    main()
