"""Change notices: a projection tells live readers (SSE) that its tables moved.

Distributed: published on Redis pub/sub, channel `<CELERY_NAMESPACE>:availability`, after the
projection's transaction committed. Embedded (no broker, Celery eager): in-process listeners.
A notice is only a hint ("read again"); losing one delays a live update, never corrupts data.
"""

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import redis

from core.db import singleton
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)
Listener = Callable[[dict[str, Any]], None]
_listeners: set[Listener] = set()
_lock = threading.Lock()


def redis_url(settings: Settings) -> str | None:
    """The broker's URL when it is Redis: where notices between processes go (None otherwise)."""
    url = settings.celery_broker_url or ""
    return url if url.startswith(("redis://", "rediss://")) else None


def channel(settings: Settings) -> str:
    return f"{settings.celery_namespace}:availability"


def listen_locally(listener: Listener) -> None:
    with _lock:
        _listeners.add(listener)


def stop_listening(listener: Listener) -> None:
    with _lock:
        _listeners.discard(listener)


@singleton
def _redis() -> redis.Redis:
    url = get_settings().celery_broker_url or ""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def publish(position: int) -> None:
    """Announce that the availability projection reached `position`; never raises."""
    settings = get_settings()
    notice = {"projection": "availability", "position": position}
    if settings.is_eager:
        with _lock:
            listeners = list(_listeners)
        for listener in listeners:
            listener(notice)
        return
    if redis_url(settings) is None:
        return  # other brokers: the API's hub falls back to polling
    try:
        _redis().publish(channel(settings), json.dumps(notice))
    except redis.RedisError:
        log.warning("could not publish the availability notice at %s", position, exc_info=True)
