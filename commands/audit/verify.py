"""Verify the store: one pass over every stored event in global order recomputes each stream's
hash chain, checks the booking rules of each event and that each booking's own stream tells
what its event's does (`commands.audit.booking_streams`), the money (`commands.audit.payments`)
and the invoices (`commands.audit.invoices`); observers see the same pass. Then
every snapshot is compared with its stream replayed (`commands.audit.snapshots`)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from commands.audit.booking_streams import BookingStreams
from commands.audit.invariants import EventAudit
from commands.audit.invoices import InvoiceRecords
from commands.audit.payments import PaymentRecords
from commands.audit.snapshots import verify_snapshots
from commands.audit.store import notifications
from commands.domain.chain import document, stored_chain
from commands.ledger import Ledger
from core.proofs.canonical import GENESIS, chain_link

Observer = Callable[[Any, int], None]
Progress = Callable[[int], None]
UNKNOWN = ""  # the hash of an unreadable event: the next one is taken on trust


@dataclass
class Link:
    """The last stored version and hash seen of one stream."""

    version: int = 0
    chain: str = GENESIS


def verify_store(
    ledger: Ledger, observers: Sequence[Observer] = (), progress: Progress | None = None
) -> dict[str, Any]:
    """Chains intact, rules held at every position, snapshots faithful; `observers` get each
    decoded event."""
    links: dict[str, Link] = {}
    audits: dict[str, EventAudit] = {}
    bookings = BookingStreams()
    payments = PaymentRecords()
    invoices = InvoiceRecords()
    broken: list[dict[str, Any]] = []
    checked = 0
    for batch in notifications(ledger):
        for n in batch:
            checked += 1
            key = str(n.originator_id)
            last = links.setdefault(key, Link())
            try:
                e: Any = ledger.mapper.to_domain_event(n)
            except Exception as exc:  # any undecodable row is evidence, not a crash
                reason = f"unreadable: {exc}"
                broken.append(_break(key, n.originator_version, n.id, last, None, reason))
                last.version, last.chain = n.originator_version, UNKNOWN
                continue
            _check_link(e, n.id, last, broken)
            if type(e).__qualname__.startswith("Event."):  # an event's stream, even headless
                audits.setdefault(key, EventAudit(key)).apply(e, n.id)
            bookings.apply(e, n.id)
            payments.apply(e, n.id)
            invoices.apply(e, n.id)
            for observe in observers:
                observe(e, n.id)
        if progress is not None:
            progress(batch[-1].id)
    bookings.report(audits)
    payments.report(audits)
    report = _report(checked, links, audits, broken)
    report["invoices"] = invoices.report()
    report["snapshots"] = verify_snapshots(ledger)
    report["ok"] = report["ok"] and report["invoices"]["ok"] and report["snapshots"]["ok"]
    return report


def _check_link(e: Any, position: int, last: Link, broken: list[dict[str, Any]]) -> None:
    """Compare the stored hash with the one recomputed on the stream's previous stored hash."""
    version, found = e.originator_version, stored_chain(e)
    expected = chain_link(last.chain, document(e))
    reason = None
    if version <= last.version:
        reason = f"version {version} after version {last.version}: stored events were moved"
    elif version != last.version + 1:
        gap = range(last.version + 1, version)
        missing = f"{gap[0]}" if len(gap) == 1 else f"{gap[0]}..{gap[-1]}"
        reason = f"version {missing} missing: stored events were deleted"
    elif found is None:
        reason = "the event carries no hash"
    elif found != expected and last.chain != UNKNOWN:
        reason = "hash mismatch: the stored event was altered"
    if reason:
        stream = str(e.originator_id)
        broken.append(_break(stream, version, position, last, found, reason, expected))
    last.version, last.chain = version, found or expected


def _break(  # noqa: PLR0913 - one broken link's facts
    stream: str, version: int, position: int, last: Link, found: str | None, reason: str,
    expected: str | None = None,
) -> dict[str, Any]:
    return {"stream": stream, "version": version, "position": position, "reason": reason,
            "expected": expected, "found": found, "previous_version": last.version}


def _report(
    checked: int, links: dict[str, Link], audits: dict[str, EventAudit],
    broken: list[dict[str, Any]],
) -> dict[str, Any]:
    by_stream: dict[str, list[dict[str, Any]]] = {}
    for b in broken:
        by_stream.setdefault(b["stream"], []).append(
            {"version": b["version"], "position": b["position"], "rule": "chain",
             "message": b["reason"]})
    events = []
    for key, audit in audits.items():
        problems = audit.problems + by_stream.get(key, [])
        problems.sort(key=lambda p: (p["position"], p["rule"] != "chain"))
        events.append({"event_id": key, "ok": not problems, "events": audit.events,
                       "problems": problems, "organizer_id": audit.organizer,
                       "co_organizers": sorted(audit.co_organizers),
                       "ownership": [{"from_version": v, "organizer_id": o}
                                     for v, o in audit.ownership]})
    ok = not broken and all(e["ok"] for e in events)
    return {"ok": ok, "checked_events": checked, "checked_streams": len(links),
            "events": events, "chain": {"ok": not broken, "broken": broken}}
