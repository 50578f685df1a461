"""One attempt at a delivery: signed, sent to the address checked now, within one total deadline.

WEBHOOK_DEADLINE_SECONDS bounds the whole attempt: resolving the host, connecting, sending and
the answer's status line and headers together, however slowly the receiver sends them (httpx
bounds each read, not the whole; a cancel scope around the request bounds the whole). Past it
the attempt has failed: "no complete answer within N s". The answer's body is never read: the
outcome is the status and a short reason, never what the receiver said (an organizer could
otherwise read back pages of the machine's own network).

The request goes to the address the guard checked, not to a second resolution (the Host header
and TLS's server name stay the host's), follows no redirect and takes no proxy from the
environment (it would resolve the host again, past the guard). httpx is imported when a
delivery is first sent, not with the worker's tasks: a worker that never sends a webhook does
not carry its modules in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import threading
from collections.abc import Callable
from typing import NamedTuple, Protocol, TypeVar
from uuid import UUID

from core.settings import Settings
from workers.webhooks import address_guard, secret_box, signing

REASON_CHARS = 200  # of a failed attempt's reason kept in the delivery log
USER_AGENT = "booking-ledger-webhooks"
T = TypeVar("T")


class Delivery(Protocol):
    """What sending one delivery needs."""

    @property
    def id(self) -> UUID: ...
    @property
    def payload(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def secret(self) -> str: ...  # as stored: sealed (`secret_box`)


class Outcome(NamedTuple):
    """One attempt: the receiver's status (None: no answer) and what went wrong (None: 2xx)."""

    status_code: int | None
    error: str | None


def post(delivery: Delivery, settings: Settings) -> Outcome:
    """POST the delivery once, signed now, to the address its host resolves to now, all of
    it within WEBHOOK_DEADLINE_SECONDS."""
    return asyncio.run(_within_deadline(delivery, settings))


async def _within_deadline(delivery: Delivery, settings: Settings) -> Outcome:
    deadline = settings.webhook_deadline_seconds
    try:
        async with asyncio.timeout(deadline):
            return await _post(delivery, settings)
    except TimeoutError:
        return Outcome(None, f"no complete answer within {deadline:g} s")


async def _post(delivery: Delivery, settings: Settings) -> Outcome:
    import httpx  # noqa: PLC0415 - on first use (the module's docstring)

    try:
        target = await _in_own_thread(functools.partial(address_guard.check, delivery.url,
                                                        settings))
    except (address_guard.UrlInvalid, address_guard.AddressRefused) as exc:
        return Outcome(None, str(exc)[:REASON_CHARS])
    try:
        secret = secret_box.unseal(delivery.secret, settings)
    except secret_box.SecretUnreadable as exc:
        return Outcome(None, str(exc)[:REASON_CHARS])
    headers = signing.signed_headers(secret, delivery.id, delivery.payload)
    headers |= {"content-type": "application/json", "host": _host_header(target)}
    # To the address checked, not to the name again; TLS still checks the name's certificate.
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    # No redirects followed, no proxy from the environment (it would resolve the host again,
    # past the address guard); each phase bounded too, the whole by the caller's deadline.
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False, verify=_tls(),
                                 timeout=httpx.Timeout(settings.webhook_timeout_seconds),
                                 headers={"user-agent": USER_AGENT}) as client:
        try:
            async with client.stream("POST", _pinned_url(target),
                                     content=delivery.payload.encode(), headers=headers,
                                     extensions=extensions) as response:
                status = response.status_code  # the body is never read
        except httpx.HTTPError as exc:
            return Outcome(None, f"no answer: {type(exc).__name__}")
    if 200 <= status < 300:
        return Outcome(status, None)
    where = " (redirects are not followed)" if 300 <= status < 400 else ""
    return Outcome(status, f"HTTP {status}{where}")


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every attempt (loading the CA bundle is not free)."""
    import certifi  # noqa: PLC0415 - with httpx, on first use

    return ssl.create_default_context(cafile=certifi.where())


async def _in_own_thread(work: Callable[[], T]) -> T:
    """`work`'s result, run in a thread of its own that the deadline may abandon (a host name
    whose DNS answers slowly): the attempt fails at once, the thread ends when the resolver
    gives up, and no pool waits for it."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if done.done():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]  # set when error is None

    def run() -> None:
        try:
            result, error = work(), None
        except Exception as exc:  # handed to the attempt, which judges it
            result, error = None, exc
        # RuntimeError: the attempt is over and its loop closed; no one waits for this now.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="webhook-resolve", daemon=True).start()
    return await done


def _pinned_url(target: address_guard.Target) -> str:
    literal = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    parts = target.url._replace(netloc=f"{literal}:{target.port}")
    return parts.geturl()


def _host_header(target: address_guard.Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = address_guard.SCHEMES[target.url.scheme]
    return host if target.port == default else f"{host}:{target.port}"
