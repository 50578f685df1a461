"""The retention tick by hand: buyers past their organizers' retention (`workers/retention.py`),
then erased buyers' invoice details past the invoices' retention
(`workers/invoice_retention.py`).

    python -m ops.retention --dry-run   # who would be forgotten now, and why
    python -m ops.retention             # forget them now (the scheduler does it every hour)
"""

import argparse
import logging
import sys

from commands.ledger import Ledger
from workers import invoice_retention
from workers.retention import forget_due


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="list them, forget no one")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    ledger = Ledger()
    try:
        found = forget_due(ledger, dry_run=args.dry_run)
        invoices = invoice_retention.forget_due(ledger, dry_run=args.dry_run)
    finally:
        ledger.close()
    verb = "would be forgotten" if args.dry_run else "forgotten"
    for person in found:
        print(f"{person.person_id} {verb}: past retention on {len(person.events)} event(s): "
              + ", ".join(map(str, person.events)))
    print(f"{len(found)} buyer(s) {verb}")
    for erased in invoices:
        print(f"{erased.person_id} invoice details {verb}: {erased.why}")
    print(f"{len(invoices)} erased buyer(s)' invoice details {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
