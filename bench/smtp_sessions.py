"""Handing confirmations to an SMTP server: a session per message against the tick's one
session (`workers.mail.sender.SmtpSessions`), alternated, this process's CPU per message.

    python -m bench.smtp_sessions [--rounds 3] [--count 300]

The server is aiosmtpd in a process of its own on 127.0.0.1 (its `Sink` handler: it takes every
message and keeps none), plain SMTP: no TLS, no login, so what a session per message cost is
the connection, the greeting and the QUIT alone. A server with TLS and a login costs a session
more: a handshake each. The message is one confirmation as sent, a PDF of two tickets attached;
composed once, before the clock starts.
"""

import argparse
import smtplib
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from uuid import uuid4

from bench.mail_compose import confirmation
from core.settings import Settings
from workers.mail.compose import Letter, compose
from workers.mail.sender import SmtpSessions, connect, handed_over


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def a_session_each(settings: Settings, message: Letter, count: int) -> None:
    for _ in range(count):
        session = connect(settings)
        handed_over(session, message, "bounces@ledger.test", uuid4())
        session.quit()


def one_session(settings: Settings, message: Letter, count: int) -> None:
    with SmtpSessions(settings) as sessions:
        for _ in range(count):
            handed_over(sessions.next(), message, "bounces@ledger.test", uuid4())


def per_message(run: Callable[[Settings, Letter, int], None], settings: Settings,
                message: Letter, count: int) -> tuple[float, float]:
    """This process's CPU and the wall clock per message, ms."""
    cpu, wall = time.process_time(), time.perf_counter()
    run(settings, message, count)
    return ((time.process_time() - cpu) * 1000 / count,
            (time.perf_counter() - wall) * 1000 / count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c",  # noqa: S603
                               "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"])
    try:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
        for _ in range(100):  # until it listens
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
                break
            except OSError:
                time.sleep(0.05)
        message = compose(confirmation(2), settings)
        one_session(settings, message, 20)  # warm-up
        runs: dict[str, list[tuple[float, float]]] = {"a session each": [], "one session": []}
        for round_ in range(args.rounds):
            order = [("a session each", a_session_each), ("one session", one_session)]
            for name, run in order if round_ % 2 == 0 else reversed(order):
                runs[name].append(per_message(run, settings, message, args.count))
        print(f"{args.count} messages a run, {args.rounds} rounds alternated; medians")
        print("| how | CPU per message, ms | wall per message, ms |")
        print("|---|---:|---:|")
        for name, results in runs.items():
            print(f"| {name} | {statistics.median(r[0] for r in results):.3f} "
                  f"| {statistics.median(r[1] for r in results):.3f} |")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
