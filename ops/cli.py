"""`ledger`: verify, replay, export and rebuild from a terminal, with progress bars."""

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from commands.audit import reconciliation, store
from commands.audit.replay import replay_store
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from ops.cli_report import print_report
from projections import registry
from projections import repartition as partitions_change
from projections.proofs import cli
from projections.rebuild import rebuild_all
from projections.registry import PROJECTIONS
from projections.verify import verify_ledger

console = Console(stderr=True)


def bar() -> Progress:
    """A bar per task: done / total (positions, for the store), elapsed and left."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=console)


def verify(ledger: Ledger, args: argparse.Namespace) -> int:
    """Chains, rules and projections; exit 1 on any problem."""
    with bar() as progress:
        task = progress.add_task("verifying", total=store.head(ledger))
        report = verify_ledger(ledger, lambda done: progress.update(task, completed=done))
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_report(report, Console())
    return 0 if report["ok"] else 1


def replay(ledger: Ledger, _: argparse.Namespace) -> int:
    """Rebuild every aggregate from the store; exit 1 if a stream does not replay."""
    started = time.perf_counter()
    with bar() as progress:
        task = progress.add_task("replaying", total=store.head(ledger))
        result = replay_store(ledger, lambda done: progress.update(task, completed=done))
    seconds = time.perf_counter() - started
    console.print(f"replayed {result.events} events of {result.streams} streams in "
                  f"{seconds:.2f} s: {result.events / max(seconds, 1e-9):,.0f} events/s")
    for stream, reason in result.failed.items():
        console.print(f"[red]stream {stream} does not replay at {reason}")
    return 1 if result.failed else 0


def export(ledger: Ledger, args: argparse.Namespace) -> int:
    """One event's stream as JSON lines (to a file or stdout), ticket codes as digests."""
    store.require_event(ledger, args.event_id)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        out.writelines(store.export_lines(ledger, args.event_id, args.legacy_codes))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def rebuild(ledger: Ledger, args: argparse.Namespace) -> int:
    """Rebuild projections (all, or those named) from the store."""
    names = args.names or list(registry.REGISTRY)
    unknown = [n for n in names if n not in registry.REGISTRY]
    if unknown:
        console.print(f"[red]unknown projection(s): {', '.join(unknown)}")
        return 2
    with bar() as progress:
        tasks = {n: progress.add_task(f"rebuilding {n}", total=None) for n in names}

        def report(name: str, done: int, total: int) -> None:
            progress.update(tasks[name], completed=done, total=total)

        rebuild_all(ledger.eventlog, names=names, progress=report)
    return 0


def repartition(ledger: Ledger, args: argparse.Namespace) -> int:
    """Put the read models' catch-up in another count of partitions (no rebuild)."""
    count = args.partitions or ledger.settings.projection_partitions
    position = partitions_change.repartition(ledger.eventlog, count)
    console.print(f"{', '.join(PROJECTIONS)}: {count} partition(s) from position {position}")
    return 0


def reconcile(ledger: Ledger, args: argparse.Namespace) -> int:
    """The ledger's payments and refunds against the provider's, for a period; exit 1 on any
    disagreement."""
    gateway = ledger.payment_provider()
    if gateway is None:
        console.print("[red]no payment provider is set up (STRIPE_API_KEY)")
        return 2
    until = args.until or datetime.now(UTC)
    since = args.since or until - reconciliation.DEFAULT_PERIOD
    found = reconciliation.reconcile_period(ledger, gateway, since, until)
    ours, theirs, problems = found.ledger, found.provider, found.problems
    if args.json:
        print(json.dumps({"since": since.isoformat(), "until": until.isoformat(),
                          "ledger": {"payments": len(ours.taken), "refunds": len(ours.given_back)},
                          "provider": {"payments": len(theirs.taken),
                                       "refunds": len(theirs.given_back)},
                          "matched": found.matched, "problems": problems}, indent=2))
    else:
        console.print(f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC: "
                      f"{len(ours.taken)} payments and {len(ours.given_back)} refunds in the "
                      f"ledger, {len(theirs.taken)} and {len(theirs.given_back)} at the provider")
        for p in problems:
            console.print(f"[red]{p['kind']}[/red] {p['message']}")
        if not problems:
            console.print("[green]every payment and refund matches, one to one")
    return 1 if problems else 0


def _partition_count(text: str) -> int:
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count from 1 to 64")
    return count


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    """The subcommands and their arguments."""
    p = argparse.ArgumentParser(prog="ledger", description="Audit and operate the ledger.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="chains, booking rules and projections; exit 1 on problems")
    v.add_argument("--json", action="store_true", help="print the whole report as JSON")
    sub.add_parser("replay", help="replay the store through the aggregates; prints events/s")
    e = sub.add_parser("export", help="an event's stream as JSON lines")
    e.add_argument("event_id", type=UUID)
    e.add_argument("-o", "--output", help="file to write (default: stdout)")
    e.add_argument("--legacy-codes", action="store_true",
                   help="write the ticket codes of legacy (form 1) events, whose hashes cover "
                        "them, so the export verifies whole offline; the file then opens doors")
    c = sub.add_parser("reconcile", help="payments and refunds against the provider's records, "
                                         "one to one; exit 1 on problems")
    c.add_argument("--since", type=_moment, help="ISO time (default: 30 days before --until)")
    c.add_argument("--until", type=_moment, help="ISO time, not included (default: now)")
    c.add_argument("--json", action="store_true", help="print the problems as JSON")
    r = sub.add_parser("rebuild", help="rebuild projections from the store")
    r.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    t = sub.add_parser("repartition", help="catch the read models up in another count of "
                                           "partitions (no rebuild)")
    t.add_argument("--partitions", type=_partition_count, metavar="N",
                   help="the new count, 1 to 64 (default: PROJECTION_PARTITIONS)")
    cli.add_parsers(sub)
    return p


COMMANDS: dict[str, Callable[[Ledger, argparse.Namespace], int]] = {
    "verify": verify, "replay": replay, "export": export, "rebuild": rebuild,
    "reconcile": reconcile, "repartition": repartition,
    **cli.COMMANDS,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    ledger = Ledger()
    try:
        return COMMANDS[args.command](ledger, args)
    except DomainError as exc:
        console.print(f"[red]{exc.code}: {exc.message}")
        return 1
    finally:
        ledger.close()


if __name__ == "__main__":
    sys.exit(main())
