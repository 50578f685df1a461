"""The webhooks' worker: `python -m workers.webhooks.worker [celery worker options]`.

It consumes this deployment's outbound queue alone (`<CELERY_NAMESPACE>.outbound`: webhook
deliveries, the buyers' mail, refunds and reconciliation, all waiting on outside servers; the
namespace read from the settings, so a compose file or script need not spell it), in a prefork
pool: the one pool in which Celery enforces the deliveries' time limits (not on Windows, where
prefork does not run: threads there, each attempt still bounded by its deadline). The other
workers never consume that queue, and this one consumes nothing else.

It runs at a lower priority (OUTBOUND_NICENESS, `nice` 10 by default; its pool's children
inherit it): where it shares cores with the API and the projections' workers, an on-sale's
bookings take the CPU first and the confirmations catch up after the burst. Nothing is lost or
sent twice by waiting: the messages are queued rows, sent by whichever tick comes.
"""

import os
import sys

from core.settings import get_settings
from workers.celery_app import app, outbound_queue


def worker_argv(options: list[str]) -> list[str]:
    """The `celery worker` arguments: the outbound queue and the pool, then `options`."""
    pool = "threads" if os.name == "nt" else "prefork"
    return ["worker", "-Q", outbound_queue(get_settings().celery_namespace), "--pool", pool,
            *options]


def yield_to_buyers(niceness: int) -> int:
    """This process's priority lowered by `niceness` (where the OS has one): its new niceness."""
    if niceness <= 0 or not hasattr(os, "nice"):
        return os.nice(0) if hasattr(os, "nice") else 0
    return os.nice(niceness)


if __name__ == "__main__":
    yield_to_buyers(get_settings().outbound_niceness)
    app.worker_main(worker_argv(sys.argv[1:]))
