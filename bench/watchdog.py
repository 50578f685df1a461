"""Servers that die with the process that started them, even when it is killed outright.

A test or benchmark process that is killed (SIGKILL, a native crash) runs no cleanup, and the
servers it started would run on: a Celery worker, uvicorn and its worker processes, a private
PostgreSQL that `pg_ctl` detached. `PR_SET_PDEATHSIG` is not enough: it reaches only the direct
child (not uvicorn's workers nor a detached postmaster), is cleared when the child changes user
(`runuser`), and fires when the *thread* that started the child ends (the chaos runs restart
servers from a thread). So each server gets a watchdog instead: a small process whose stdin is
a pipe that only the starter holds open. The kernel closes it when the starter dies, however it
dies; the watchdog reads the end of the pipe and runs the server's cleanup command.
"""

import subprocess
import sys

# Waits for the end of stdin (its starter is gone), then becomes the cleanup command.
_WATCH = "import os, sys\nsys.stdin.buffer.read()\nos.execvp(sys.argv[1], sys.argv[1:])\n"


class Watchdog:
    """Runs `cleanup` once this process is gone, unless dismissed first."""

    def __init__(self, cleanup: list[str]) -> None:
        # Its own session: a Ctrl-C (SIGINT) that kills the starter's group spares it.
        self.proc = subprocess.Popen(  # noqa: S603 - this interpreter, our fixed script
            [sys.executable, "-I", "-S", "-c", _WATCH, *cleanup],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def dismiss(self) -> None:
        """The server was stopped as planned: end the watchdog without its cleanup."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()


def killing_group(pgid: int) -> Watchdog:
    """A watchdog that kills process group `pgid` (a server and every process it started)."""
    return Watchdog(["kill", "-KILL", "--", f"-{pgid}"])
