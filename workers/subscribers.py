"""Every subscriber of the global log, listed once.

- The read models (`projections.registry`) and the followers that share their batches
  (`projections.batch_loop`): the Merkle tree, the buyers' messages (`workers.mail.subscriber`)
  and the webhooks' fan-out (`workers.webhooks.fanout`). A commit's wake-up advances those
  behind together, in one transaction per batch (`workers.tasks`); beat's catch-up and the
  messages' and webhooks' ticks bring up any a lost wake-up left behind.
- The waitlists' process manager (`workers.holds`), whose commands run outside any
  transaction (`projections.subscriber_row.follow_outside`), on its own tick.
"""

from collections.abc import Mapping

from projections import catch_up
from projections.batch_loop import Follower
from workers.mail.subscriber import RECORDER
from workers.webhooks.fanout import FAN_OUT

FOLLOWERS: Mapping[str, Follower] = {**catch_up.FOLLOWERS, RECORDER.name: RECORDER,
                                     FAN_OUT.name: FAN_OUT}
# Followers whose rows are in tables of their own, so a wake-up cannot tell cheaply whether
# they are behind: they go along whenever a projection is.
ALONG = tuple(name for name, follower in FOLLOWERS.items() if follower.row is not None)
ALL = (*catch_up.ALL, *ALONG)  # what a commit's wake-up brings up to date
