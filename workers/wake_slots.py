"""One wake-up gap for every process that commits to the log, kept in Redis.

Each wake-up brings the projections' workers everything committed before they read, and costs
them a transaction's fixed part whatever it brings (bench/README.md). So the processes that
commit (the API's, the workers') share one gap: the first to ask in a gap takes its slot and
sends; the others wait for the gap's end and ask again, and whoever sends then brings their
commits too (`commands.store.wakeups`). Otherwise each process's wake-ups add up, and the
workers' batches shrink as processes are added.
"""

from collections.abc import Callable

import redis

from core.changes import redis_url
from core.settings import Settings

# Taken atomically: the slot if free, else how long it is still another's (milliseconds).
TAKE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
"""


class WakeSlots:
    """The gap's slots of one deployment (its namespace) on one Redis."""

    def __init__(self, client: redis.Redis, namespace: str, gap: float) -> None:
        self._take = client.register_script(TAKE)
        self._key = f"{namespace}:projections:wake-slot"
        self._gap_ms = max(1, round(gap * 1000))

    def take(self) -> float:
        """Seconds until this process may send (0: this gap's slot is now its own)."""
        return int(self._take(keys=[self._key], args=[self._gap_ms])) / 1000


def wake_slot(settings: Settings) -> Callable[[], float] | None:
    """The slot to ask before each wake-up, for a deployment of processes on a Redis broker
    (None: embedded, another broker, or no gap)."""
    url = redis_url(settings)
    if settings.is_eager or url is None or settings.projection_wake_gap_seconds <= 0:
        return None
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    return WakeSlots(client, settings.celery_namespace, settings.projection_wake_gap_seconds).take
