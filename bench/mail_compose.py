"""CPU to compose a buyer's confirmation as sent: the template's text, the tickets' PDF (a page
and a QR code per ticket) and the MIME message as bytes, in this process, no database.

    python -m bench.mail_compose --rounds 3 --messages 150 --tickets 1 2 4

To compare two trees, run it from the other tree's checkout (`cd OTHER && PYTHONPATH=OTHER
.venv/bin/python -m bench.mail_compose`): `-m` puts the current folder first on the path, ahead
of PYTHONPATH, so `workers.mail.compose` comes from the folder it is run in.
"""

import argparse
import json
import statistics
import time
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from core.settings import Settings
from workers.mail.compose import compose
from workers.mail.tables import CONFIRMATION


def confirmation(tickets: int) -> Any:
    """A `mail_messages` row of a confirmation of `tickets` tickets, as the subscriber
    records it."""
    data = {"recipient_name": "Ann Buyer", "holder_name": "Ann Buyer",
            "booking_id": str(uuid.uuid4()), "quantity": tickets, "total": f"{25 * tickets}.00",
            "event": {"name": "Jazz night", "venue": "Blue Hall", "currency": "EUR",
                      "starts_at": "2026-12-24T20:00:00+00:00", "timezone": "Europe/Paris",
                      "organizer_name": "Olga Promoter"},
            # Codes as the ledger makes them: 22 URL-safe characters.
            "tickets": [{"code": uuid.uuid4().hex[:22], "category": "General", "price": "25.00"}
                        for _ in range(tickets)]}
    return SimpleNamespace(data=json.dumps(data), kind=CONFIRMATION, recipient_name="Ann Buyer",
                           recipient_email="ann@example.com", created_at=datetime.now(UTC),
                           id=uuid.uuid4(), subject_id=data["booking_id"])


def cpu_ms_per_message(rows: list[Any], settings: Settings) -> float:
    began = time.process_time()
    for row in rows:
        compose(row, settings)
    return (time.process_time() - began) / len(rows) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=150, help="per round and size")
    parser.add_argument("--tickets", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    settings = Settings()
    compose(confirmation(1), settings)  # the PDF's makers loaded, not counted
    runs: dict[int, list[float]] = {n: [] for n in args.tickets}
    for _ in range(args.rounds):
        for n in args.tickets:
            runs[n].append(cpu_ms_per_message(
                [confirmation(n) for _ in range(args.messages)], settings))
    print("| tickets | CPU ms per message, median | rounds |")
    print("|---:|---:|---|")
    for n, spent in runs.items():
        print(f"| {n} | {statistics.median(spent):.2f} | "
              f"{', '.join(f'{ms:.2f}' for ms in spent)} |")


if __name__ == "__main__":
    main()
