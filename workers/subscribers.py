"""Every subscriber of the global log, listed once, all through one batch loop
(`projections.batch_loop`: a tracking row each, the log read once per batch, the work and the
rows moved in one transaction).

- On each commit's wake-up (`workers.tasks`), for reads that wait on them: the read models
  (`projections.registry`) and the Merkle tree, the projections behind together.
- On the messages' and the webhooks' ticks (`workers.mail.jobs`, `workers.webhooks.jobs`),
  which may lag a tick: the buyers' messages (`workers.mail.subscriber`) and the webhooks'
  deliveries (`workers.webhooks.fanout`), together (`record_outbound`). Whichever tick comes
  first records both; the other finds them there.
- The waitlists' process manager (`workers.holds`), whose commands run outside any
  transaction (`projections.subscriber_row.follow_outside`), on its own tick.
"""

from core.event_store.global_log import EventLog
from projections import catch_up
from projections.batch_loop import run_batches
from workers.mail.subscriber import RECORDER
from workers.webhooks.fanout import FAN_OUT

ON_WAKE_UP = catch_up.ALL  # the read models and the Merkle tree
OUTBOUND = (RECORDER, FAN_OUT)  # what the ticks record for the outside world


def record_outbound(log: EventLog, batch_size: int | None = None,
                    max_batches: int = 20) -> dict[str, int]:
    """The messages and the webhooks' deliveries the log calls for, recorded together, one
    transaction per batch: how many entries each read."""
    return run_batches([], OUTBOUND, log, batch_size, max_batches)
