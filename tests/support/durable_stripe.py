"""localstripe that outlives its process, for the tests that stop the provider and start it again
on the same port: `DurableStripe` starts it, stops it (shut down, or killed with SIGKILL) and
starts it again, and its payments and refunds are there as before, as Stripe's would be after
an outage.

Run as `python -m tests.support.durable_stripe --port N --state FILE`, it is `ops.local_stripe`
with two of the library's behaviours changed, in its own process only, through its store's
`dump_to_disk` hook (as `ops.local_stripe` does) and the aiohttp app's middlewares:
- its store is written to FILE after each request that writes, before the answer goes out,
  whole and in one rename, and read back at start: a kill loses only what was not yet
  answered, or an answer that was written and never sent;
- a POST with an `Idempotency-Key` seen before is answered as the first one was, as Stripe
  answers it: localstripe keeps no keys, and the Stripe client repeats a call whose answer was
  lost with the same key, so without this a kill at the wrong moment would refund twice where
  Stripe would not.
"""

import argparse
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def serve(port: int, state: Path) -> None:
    """localstripe on 127.0.0.1:`port`, its data kept in `state` (this process's only)."""
    # Imported here: the controller below runs in the test process, which needs none of them.
    from aiohttp import web  # noqa: PLC0415
    from localstripe.resources import store  # noqa: PLC0415
    from localstripe.server import app  # noqa: PLC0415

    answers: dict[str, tuple[int, bytes]] = {}
    if state.exists():
        saved, replies = pickle.loads(state.read_bytes())  # noqa: S301 - this process's own file
        dict.update(store, saved)
        answers.update(replies)

    written = [True]

    def write() -> None:
        unfinished = state.with_suffix(".writing")
        unfinished.write_bytes(pickle.dumps((dict(store), answers),
                                            protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(unfinished, state)
        written[0] = True

    # The library calls `dump_to_disk` on every item it sets, many times a request, and once
    # more after the request: here each only marks the store changed, and the store is written
    # once, when a request that changed it has been handled (`written_once`).
    store.dump_to_disk = lambda: written.__setitem__(0, False)

    @web.middleware
    async def written_once(request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        if not written[0]:
            write()
        return response  # type: ignore[no-any-return]

    @web.middleware
    async def replayed_by_key(request: web.Request, handler: Any) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key:
            return await handler(request)  # type: ignore[no-any-return]
        if key in answers:
            status, body = answers[key]
            return web.Response(status=status, body=body, content_type="application/json")
        response = await handler(request)
        if isinstance(response, web.Response) and isinstance(response.body, bytes):
            answers[key] = (response.status, response.body)
        return response  # type: ignore[no-any-return]

    # Outermost, the store written after all the rest (a key's answer with what it made).
    app.middlewares.insert(0, written_once)
    app.middlewares.append(replayed_by_key)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


class DurableStripe:
    """One localstripe on a port of its own, stopped and started again at will."""

    def __init__(self, logs: Path) -> None:
        from bench.stack import free_port  # noqa: PLC0415 - the test process's only

        self.logs = logs
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.state = logs / "localstripe.pickle"
        self.server: Any = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.server is not None

    def start(self) -> None:
        """Started (again), with the data it had; back once it answers."""
        from bench.stack import Process, local_stripe_answers  # noqa: PLC0415

        assert self.server is None, "localstripe is running already"
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        self.server = Process("localstripe", [
            sys.executable, "-m", "tests.support.durable_stripe", "--port", str(self.port),
            "--state", str(self.state)], env, self.logs)
        self.starts += 1
        local_stripe_answers(self.base, self.server)

    def stop(self, *, kill: bool = False) -> None:
        """Shut down (its requests answered first), or killed (`kill`: SIGKILL, mid-request
        perhaps: an answer may be lost after its refund was made)."""
        server, self.server = self.server, None
        if server is None:
            return
        if kill and server.proc.poll() is None:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=10)
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", type=Path, required=True)
    args = parser.parse_args()
    serve(args.port, args.state)
