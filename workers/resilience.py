"""Keep a worker alive when Redis goes away while a task is unacknowledged.

kombu's Redis transport uses the channel of the lost connection twice: to put unacknowledged
messages back when the connection drops, and to acknowledge a task that finishes after it
dropped. Both raise AttributeError ('NoneType' object has no attribute 'hostname' / 'client'),
which Celery treats as unrecoverable: every worker exits at once and the projections stop
until someone restarts them. Our messages are only wake-ups (beat sends them again every few
seconds, and applying a projection twice changes nothing), so a message put back twice or not
at all is harmless: the worker logs it and carries on with its new connection.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

import redis
from kombu.transport import redis as kombu_redis

log = logging.getLogger(__name__)
STALE_CHANNEL = (AttributeError, OSError, redis.RedisError)


def _tolerant(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except STALE_CHANNEL as exc:
            log.warning("broker connection gone during %s (%s: %s); beat sends the wake-ups "
                        "again", name, type(exc).__name__, exc)
            if name == "restore_unacked":
                self._delivered.clear()
            return None

    call._ledger_tolerant = True  # type: ignore[attr-defined]  # marks the wrap
    return call


def tolerate_lost_broker() -> None:
    """Wrap kombu's QoS calls that touch the old connection (idempotent)."""
    qos: Any = kombu_redis.QoS
    for name in ("restore_unacked", "ack", "reject"):
        method = getattr(qos, name)
        if not getattr(method, "_ledger_tolerant", False):
            setattr(qos, name, _tolerant(name, method))
