"""The verify report as terminal tables."""

from typing import Any

from rich.console import Console
from rich.table import Column, Table

SHOWN = 20  # rows per section; `ledger verify --json` prints everything


def print_report(report: dict[str, Any], console: Console) -> None:
    """A summary, then every problem found (the first SHOWN of each kind)."""
    summary = Table(title="ledger verify", show_header=False)
    summary.add_row("stored events", str(report["checked_events"]))
    summary.add_row("streams", str(report["checked_streams"]))
    bad_events = [e for e in report["events"] if not e["ok"]]
    checked = f"{len(report['events'])} checked, {len(bad_events)} with problems"
    summary.add_row("events (booking rules)", _flag(not bad_events, checked))
    broken = report["chain"]["broken"]
    summary.add_row("hash chains", _flag(not broken, f"{len(broken)} broken links"))
    invoices = report.get("invoices", {"ok": True, "books": 0, "invoices": 0, "problems": [],
                                       "waiting": []})
    summary.add_row("invoices", _flag(invoices["ok"], (
        f"{invoices['invoices']} in {invoices['books']} books, "
        f"{len(invoices['problems'])} problems, {len(invoices['waiting'])} waiting to be issued")))
    snaps = report["snapshots"]
    summary.add_row("snapshots", _flag(snaps["ok"], f"{snaps['checked']} checked "
                                       f"({snaps['unsealed']} unsealed), {len(snaps['bad'])} bad"))
    for name, p in report["projections"].items():
        summary.add_row(f"projection {name}",
                        _flag(p["ok"], f"at {p['position']}, {p['difference_count']} differences"))
    proofs = report["proofs"]
    summary.add_row("signed tree heads", _flag(proofs["ok"], f"{proofs['heads_checked']} checked, "
                                               f"{len(proofs['problems'])} problems"))
    summary.add_row("result", _flag(report["ok"], "OK" if report["ok"] else "PROBLEMS"))
    console.print(summary)
    if bad_events:
        console.print(_problems(bad_events))
    if broken:
        console.print(_broken(broken))
    for problem in invoices["problems"]:  # named by organizer and number
        console.print(f"[red]invoice {problem['number']} of organizer {problem['organizer_id']} "
                      f"(position {problem['position']}): {problem['message']}")
    if snaps["bad"]:
        console.print(_bad_snapshots(snaps["bad"]))
    for name, p in report["projections"].items():
        if p["differences"]:
            console.print(_differences(name, p["differences"]))
    for problem in proofs["problems"]:  # the store against the signed heads
        console.print(f"[red]tree {problem['kind']}: {problem['message']}")


def _flag(ok: bool, text: str) -> str:
    return f"[green]{text}" if ok else f"[red]{text}"


def _problems(events: list[dict[str, Any]]) -> Table:
    table = Table("event", "version", "position", "rule", "message", title="broken rules")
    rows = [(e["event_id"], p) for e in events for p in e["problems"]]
    for event_id, p in rows[:SHOWN]:
        table.add_row(str(event_id), str(p["version"]), str(p["position"]), p["rule"],
                      p["message"])
    return table


def _broken(broken: list[dict[str, Any]]) -> Table:
    table = Table("stream", "version", "position", "reason", "expected", "found",
                  title="broken hash links")
    for b in broken[:SHOWN]:
        table.add_row(str(b["stream"]), str(b["version"]), str(b["position"]), b["reason"],
                      (b["expected"] or "-")[:16], (b["found"] or "-")[:16])
    return table


def _bad_snapshots(bad: list[dict[str, Any]]) -> Table:
    table = Table(Column("event", no_wrap=True, min_width=36), "version", "problem",
                  title="snapshots refused")
    for b in bad[:SHOWN]:
        table.add_row(b["event_id"], str(b["version"]), b["problem"])
    return table


def _differences(name: str, differences: list[dict[str, Any]]) -> Table:
    table = Table("table", "key", "expected", "found", title=f"drift in projection {name}")
    for d in differences[:SHOWN]:
        table.add_row(d["table"], _cells(d["key"]), _cells(d["expected"]), _cells(d["found"]))
    return table


def _cells(values: dict[str, Any] | None) -> str:
    return "(no row)" if values is None else ", ".join(f"{k}={v}" for k, v in values.items())
