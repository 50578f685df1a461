"""The load generator: N keep-alive clients (aiohttp on uvloop) in a process of its own.

Its clients share one URL (`url`), or are dealt round robin over several (`urls`: one per
served process, as a balancer deals connections).

A "hold_confirm" load books as a checkout does: a hold (`book_path`), then its confirmation
(`confirm_path`), one answer per booking made. A "hold_pay" load is a paid checkout: a hold,
then its payment (`pay_path`) with a card's PaymentMethod id from `cards` (made beforehand, as
the browser makes them; each order its own while they last), one answer per order; the holds
whose payment answered `succeeded` are listed (`paid_holds`).

`python -m bench.load SPEC.json` reads what to send and prints one JSON result: requests
counted after the warm-up, statuses, latency percentiles, and for bookings the store position
each 201 answered with and when it arrived (for the projection-lag measurement).
"""

import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from collections import Counter
from typing import Any

import aiohttp
import uvloop


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def request_for(spec: dict[str, Any], n: int) -> tuple[str, str, dict[str, str], bytes | None]:
    """Method, path, headers and body of the n-th request of this client."""
    kind = spec["kind"]
    headers = {"Authorization": f"Bearer {spec['tokens'][n % len(spec['tokens'])]}"}
    if kind in ("book", "hold_confirm", "hold_pay"):
        event = random.choice(spec["events"])  # noqa: S311 - load, not secrets
        headers |= {"Content-Type": "application/json"}
        if spec.get("idempotency", True):
            headers["Idempotency-Key"] = uuid.uuid4().hex
        body = spec.get("book_body", '{"quantity":1}').encode()
        return "POST", spec["book_path"].format(event=event), headers, body
    # `{user}`: the id of the user whose token this request carries (`users`, beside `tokens`).
    user = (spec.get("users") or [""])[n % len(spec["tokens"]) % len(spec.get("users") or [""])]
    path = spec["path"].format(event=random.choice(spec.get("events") or [""]),  # noqa: S311
                               user=user)
    return "GET", path, headers if spec.get("users") else {}, None


async def client(
    session: aiohttp.ClientSession, spec: dict[str, Any], seed: int, stop: float,
    out: dict[str, Any],
) -> None:
    n = seed
    rate, clients = spec.get("rate"), int(spec["concurrency"])
    sent = 0
    while True:
        if rate:  # an open schedule: this client's k-th slot of the total rate
            due = out["begin"] + (sent * clients + seed % clients) / float(rate)
            if due > time.perf_counter():
                await asyncio.sleep(due - time.perf_counter())
            sent += 1
        # A checkout's buyer is one customer, holding one hold at a time (a token per request
        # would pile more holds on some customers than the domain allows one at once).
        method, path, headers, body = request_for(
            spec, seed if spec["kind"] in ("hold_confirm", "hold_pay") else n)
        n += 1
        started = time.perf_counter()
        if started >= stop:
            return
        try:
            async with session.request(method, path, headers=headers, data=body) as response:
                answer = await response.read()
                status = response.status
                position = response.headers.get("X-Position")
            if spec["kind"] == "hold_confirm" and status == 201:  # the checkout's second step
                confirm = spec["confirm_path"].format(hold=json.loads(answer)["id"])
                async with session.request("POST", confirm, headers=headers) as response:
                    await response.read()
                    status = response.status
                    position = response.headers.get("X-Position")
            elif spec["kind"] == "hold_pay" and status == 201:
                status, position = await pay(session, spec, headers, json.loads(answer)["id"],
                                             out)
        except aiohttp.ClientError as exc:
            out["errors"][type(exc).__name__] += 1
            await asyncio.sleep(0.01)
            continue
        done = time.perf_counter()
        out["answered"] += 1
        if status == 201:
            out["created"] += 1
        if 200 <= status < 300:
            out["succeeded"] += 1
        if started >= out["counting_from"]:
            out["statuses"][status] += 1
            if 200 <= status < 300:
                out["latencies"].append(done - started)
            if position is not None and spec.get("record_positions"):
                out["positions"].append((time.time(), int(position)))


async def pay(session: aiohttp.ClientSession, spec: dict[str, Any], headers: dict[str, str],
              hold: str, out: dict[str, Any]) -> tuple[int, str | None]:
    """A held order's payment with the next card (reused once all were used): its status and
    position; a payment that succeeded lists its hold."""
    cards = spec["cards"]
    card = cards[out["cards_used"] % len(cards)]
    out["cards_used"] += 1
    body = json.dumps({"payment_method": card}).encode()
    async with session.request("POST", spec["pay_path"].format(hold=hold), data=body,
                               headers=headers | {"Content-Type": "application/json"}) as response:
        answer = await response.read()
        status = response.status
        position = response.headers.get("X-Position")
    if status == 201 and json.loads(answer).get("status") == "succeeded":
        out["paid_holds"].append(hold)
    return status, position


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    concurrency = int(spec["concurrency"])
    timeout = aiohttp.ClientTimeout(total=60)
    out: dict[str, Any] = {"statuses": Counter(), "errors": Counter(), "latencies": [],
                           "positions": [], "created": 0, "answered": 0, "succeeded": 0,
                           "cards_used": 0, "paid_holds": []}
    async with contextlib.AsyncExitStack() as sessions:
        # One session per served process on a port of its own, its clients dealt round robin
        # as a balancer deals connections; else one URL, whose processes share its port.
        urls = spec.get("urls") or [spec["url"]]
        opened = [await sessions.enter_async_context(aiohttp.ClientSession(
            url, connector=aiohttp.TCPConnector(limit=concurrency, ttl_dns_cache=300),
            timeout=timeout)) for url in urls]
        begin = out["begin"] = time.perf_counter()
        out["counting_from"] = begin + float(spec.get("warmup", 1.0))
        stop = out["counting_from"] + float(spec["duration"])
        await asyncio.gather(*(client(opened[i % len(opened)], spec, i, stop, out)
                               for i in range(concurrency)))
        elapsed = time.perf_counter() - out["counting_from"]
    ok = len(out["latencies"])
    return {
        "requests": sum(out["statuses"].values()),
        "ok": ok,
        "seconds": elapsed,
        "rate": ok / elapsed,
        "p50_ms": 1000 * percentile(out["latencies"], 0.50),
        "p99_ms": 1000 * percentile(out["latencies"], 0.99),
        "statuses": {str(k): v for k, v in sorted(out["statuses"].items())},
        "errors": dict(out["errors"]),
        "created": out["created"],  # every 201, warm-up included (for the oversell check)
        "answered": out["answered"],  # every answer, warm-up included (CPU per request)
        "succeeded": out["succeeded"],  # every 2xx, warm-up included
        "positions": out["positions"],
        **({"paid_holds": out["paid_holds"], "cards_used": out["cards_used"]}
           if spec["kind"] == "hold_pay" else {}),
    }


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    result = uvloop.run(run(spec))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
