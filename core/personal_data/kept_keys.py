"""The persons' unwrapped keys this process keeps, and the seals made with them: dropped at once
when any process destroys their person's key.

A key is kept for a while (`KEY_TTL_SECONDS`) so that a returning buyer's booking costs no
query. The process that destroys a key tells the others: on Redis pub/sub, channel
`<CELERY_NAMESPACE>:erasures`, after the erasure committed; each process that keeps keys follows
the channel in a thread of its own and drops that person's. Embedded, one process: nothing to
tell. A notice is a hint: lost (Redis down or restarting), a key still goes when it expires, and
every key is dropped when the thread subscribes again (it may have missed some meanwhile).

A key read from the store just before an erasure committed could be kept just after its notice
was heard, and then outlive it: a key read before a notice (`mark`) is not kept after it.
"""

import json
import logging
import threading
from collections.abc import Iterable

import redis
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from core.lru import Lru
from core.personal import Personal

log = logging.getLogger(__name__)

KEYS_KEPT = 20_000  # unwrapped keys per process: 64 bytes and a cipher object each
SEALS_KEPT = 20_000  # the last names sealed, so that a returning buyer's costs a look-up
KEY_TTL_SECONDS = 10.0
RESUBSCRIBE_SECONDS = 1.0  # between two attempts while Redis cannot be reached


class KeptKeys:
    """Unwrapped keys by (person, purpose), seals by (person, purpose, clear text)."""

    def __init__(self, notices_url: str | None = None, channel: str = "") -> None:
        self._keys: Lru[tuple[str, str], AESSIV] = Lru(KEYS_KEPT)
        self._seals: Lru[tuple[str, str, str], Personal] = Lru(SEALS_KEPT)
        # Held while a notice is counted and its keys dropped, and while a key is kept: a key
        # is never kept between the two.
        self._heard_lock = threading.Lock()
        self._heard = 0
        self._url, self._channel = notices_url, channel
        self._stopped = threading.Event()
        self._subscribed = threading.Event()
        self._follower: threading.Thread | None = None
        self._publisher: redis.Redis | None = None
        if notices_url:
            self._publisher = redis.Redis.from_url(notices_url, socket_connect_timeout=2,
                                                   socket_timeout=2)
            self._follower = threading.Thread(target=self._follow, name="erasure-notices",
                                              daemon=True)
            self._follower.start()

    # ----- keys and seals --------------------------------------------------------------------

    def key(self, person: str, purpose: str) -> AESSIV | None:
        return self._keys.get((person, purpose))

    def mark(self) -> int:
        """Taken before a key is read from the store: `keep` it with this mark."""
        return self._heard

    def keep(self, person: str, purpose: str, cipher: AESSIV, read_at: int) -> None:
        """Keep the key, unless a notice was heard since it was read (it may be erased)."""
        with self._heard_lock:
            if self._heard == read_at:
                self._keys.put((person, purpose), cipher, ttl=KEY_TTL_SECONDS)

    def seal(self, person: str, purpose: str, clear: str) -> Personal | None:
        return self._seals.get((person, purpose, clear))

    def keep_seal(self, person: str, purpose: str, clear: str, sealed: Personal) -> None:
        self._seals.put((person, purpose, clear), sealed, ttl=KEY_TTL_SECONDS)

    # ----- erasures --------------------------------------------------------------------------

    def erased(self, person: str, purposes: Iterable[str]) -> None:
        """The person's keys of these purposes were destroyed (committed): drop them here,
        and tell the other processes."""
        purposes = list(purposes)
        self._drop(person, purposes)
        if self._publisher is None:
            return
        try:
            self._publisher.publish(self._channel, json.dumps(
                {"person": person, "purposes": purposes}))
        except redis.RedisError:
            log.warning("could not tell the other processes that %s was erased; their copies "
                        "of the key expire within %s s", person, KEY_TTL_SECONDS, exc_info=True)

    def wait_subscribed(self, timeout: float) -> bool:
        """Whether this process follows the notices (at once when it has none to follow)."""
        return self._follower is None or self._subscribed.wait(timeout)

    def close(self) -> None:
        """Stop following (the thread ends at its next wait, within a second: not waited for,
        so that closing costs a test or a shutdown nothing)."""
        self._stopped.set()
        if self._publisher is not None:
            self._publisher.close()

    def _drop(self, person: str, purposes: Iterable[str]) -> None:
        with self._heard_lock:
            self._heard += 1
            for purpose in purposes:
                self._keys.pop((person, purpose))
            self._seals.clear()  # rare: simpler than finding the person's among them

    def _drop_all(self) -> None:
        with self._heard_lock:
            self._heard += 1
            self._keys.clear()
            self._seals.clear()

    def _follow(self) -> None:
        while not self._stopped.is_set():
            client = redis.Redis.from_url(self._url or "", socket_connect_timeout=2,
                                          socket_timeout=5)
            pubsub = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            try:
                pubsub.subscribe(self._channel)
                self._drop_all()  # (re)subscribed: a notice may have been missed meanwhile
                self._subscribed.set()
                while not self._stopped.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None:
                        notice = json.loads(message["data"])
                        self._drop(str(notice["person"]), [str(p) for p in notice["purposes"]])
            except (redis.RedisError, OSError, ValueError, KeyError, TypeError):
                self._subscribed.clear()
                log.warning("erasure notices: Redis pub/sub lost, retrying", exc_info=True)
                self._stopped.wait(RESUBSCRIBE_SECONDS)
            finally:
                pubsub.close()
                client.close()
