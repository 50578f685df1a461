"""The checker: the history against the store, the read tables, the feed and the streams.

Pure: it takes plain data (history operations; the store as each event's stream of facts;
the read tables' seats; the audit-feed follower's positions; each SSE subscriber's last
message; the verify report) and returns what held, what did not, and what is indeterminate.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from bench.chaos.history import Op
from commands.application.idempotency import idempotent_booking_id

Store = dict[str, list[dict[str, Any]]]  # event id -> its facts in version order
READS = frozenset({"list", "page", "get"})  # the readers' operations (`bench/chaos/load.py`)
REPLICA_BACK_SECONDS = 5.0  # a replica started again is checked back in within this
Seats = dict[str, dict[str, dict[str, int]]]  # event id -> category -> capacity, sold


@dataclass
class Result:
    """Violations (each kind and a message), indeterminate bookings, and counts."""

    violations: list[dict[str, str]] = field(default_factory=list)
    indeterminate: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def fail(self, kind: str, message: str) -> None:
        self.violations.append({"kind": kind, "message": message})

    def summary(self) -> dict[str, Any]:
        return {"ok": self.ok, "violations": self.violations, "counts": self.counts,
                "indeterminate": len(self.indeterminate)}


@dataclass
class Replay:
    """What the store says: each booking's stored facts, and each category's seats at the end."""

    booked: Counter[str] = field(default_factory=Counter)  # booking id -> SeatsBooked count
    cancelled: Counter[str] = field(default_factory=Counter)
    bookings: dict[str, dict[str, Any]] = field(default_factory=dict)
    seats: Seats = field(default_factory=dict)


def replay(store: Store, result: Result) -> Replay:
    """Fold every stream; an oversell is found at the fact that caused it."""
    out = Replay()
    for event_id, facts in store.items():
        seats: dict[str, dict[str, int]] = out.seats.setdefault(event_id, {})
        for fact in facts:
            kind = fact["type"]
            if kind == "Created":
                for c in fact["categories"]:
                    seats[c["name"]] = {"capacity": int(c["capacity"]), "sold": 0}
            elif kind in ("CategoryAdded", "CategoryChanged"):
                seats.setdefault(fact["name"], {"capacity": 0, "sold": 0})
                seats[fact["name"]]["capacity"] = int(fact["capacity"])
            elif kind == "SeatsBooked":
                bid = str(fact["booking_id"])
                out.booked[bid] += 1
                out.bookings[bid] = fact | {"event": event_id}
                seats[fact["category"]]["sold"] += int(fact["quantity"])
            elif kind == "BookingCancelled":
                out.cancelled[str(fact["booking_id"])] += 1
                seats[fact["category"]]["sold"] -= int(fact["quantity"])
            for name, s in seats.items():
                if s["sold"] > s["capacity"]:
                    result.fail("oversell", f"event {event_id} category {name!r}: {s['sold']} "
                                f"sold of {s['capacity']} at position {fact['position']}")
    return out


def check_bookings(ops: list[Op], rep: Replay, result: Result) -> None:
    """Every 2xx booking stored exactly once; no key booked twice; nothing stored unexplained."""
    answered: dict[str, str] = {}  # booking id -> key, for bookings some client saw a 2xx of
    doubtful: set[str] = set()
    ids_by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for op in ops:
        if op["kind"] != "book":
            continue
        bid = str(idempotent_booking_id(op["user"], op["key"]))
        if op["type"] == "ok":
            answered[bid] = op["key"]
            ids_by_key[(op["user"], op["key"])].add(str(op["answer"]["id"]))
        elif op["type"] == "info":
            doubtful.add(bid)
    for bid, key in answered.items():
        if rep.booked[bid] != 1:
            what = "lost" if rep.booked[bid] == 0 else "duplicate"
            result.fail(what, f"booking {bid} (Idempotency-Key {key}) answered 2xx is in the "
                        f"store {rep.booked[bid]} times, not once")
    for (user, key), ids in ids_by_key.items():
        if len(ids) > 1:
            result.fail("key-twice", f"Idempotency-Key {key} of user {user} answered with "
                        f"{len(ids)} different bookings: {sorted(ids)}")
    check_unanswered(rep, answered, doubtful, result)
    result.counts |= {"bookings answered 2xx": len(answered), "bookings stored": len(rep.booked),
                      "bookings indeterminate": len(result.indeterminate)}


def check_unanswered(rep: Replay, answered: dict[str, str], doubtful: set[str],
                     result: Result) -> None:
    """A stored booking no client saw a 2xx for is indeterminate if one was in doubt, else wrong."""
    for bid, times in rep.booked.items():
        if bid in answered:
            continue
        if times > 1:
            result.fail("key-twice", f"booking {bid} (one Idempotency-Key) is stored {times} times")
        if bid in doubtful:
            result.indeterminate.append(bid)
        else:
            result.fail("unexplained", f"booking {bid} is in the store but no client was "
                        "answered for it, nor did any request for it time out or fail")


def check_cancellations(ops: list[Op], rep: Replay, read: Seats, result: Result) -> None:
    """A cancellation answered 200 is stored, and its seats are back in the read tables."""
    done = {str(op["booking"]) for op in ops if op["kind"] == "cancel" and op["type"] == "ok"}
    for bid in sorted(done):
        if rep.cancelled[bid] != 1:
            result.fail("cancel-lost", f"cancellation of {bid} answered 200 is in the store "
                        f"{rep.cancelled[bid]} times, not once")
            continue
        booking = rep.bookings.get(bid)
        if booking is None:
            continue
        event, category = booking["event"], booking["category"]
        want = rep.seats[event][category]["sold"]
        got = read.get(event, {}).get(category, {}).get("sold")
        if got != want:
            result.fail("seats-not-back", f"cancellation of {bid} answered 200: event {event} "
                        f"{category!r} shows {got} sold in the read tables, the store {want}")
    result.counts["cancellations answered 200"] = len(done)


def check_read_tables(rep: Replay, read: Seats, verify: dict[str, Any], result: Result) -> None:
    """The read tables equal a fresh replay (ours of the seats, verify's of every table)."""
    for event, categories in rep.seats.items():
        for name, s in categories.items():
            row = read.get(event, {}).get(name)
            if row is None or (row["capacity"], row["sold"]) != (s["capacity"], s["sold"]):
                result.fail("read-tables", f"event {event} {name!r}: read tables {row}, "
                            f"replay {s}")
    for name, check in (verify.get("projections") or {}).items():
        if not check.get("ok"):
            result.fail("read-tables", f"projection {name} differs from a fresh replay: "
                        f"{check.get('difference_count')} differences, e.g. "
                        f"{str(check.get('differences'))[:300]}")


def check_feed(followed: list[int], log: list[int], result: Result) -> None:
    """The feed follower saw every stored position once, in order, up to the head."""
    seen: set[int] = set()
    last = 0
    for p in followed:
        if p in seen or p <= last:
            result.fail("feed", f"audit feed follower got position {p} again or out of order "
                        f"(after {last})")
        seen.add(p)
        last = max(last, p)
    missing = sorted(p for p in log if p not in seen)
    if missing:
        result.fail("feed", f"audit feed follower missed {len(missing)} positions, first "
                    f"{missing[:5]} (it reached {last}; the store's head is "
                    f"{max(log, default=0)})")
    result.counts["feed positions followed"] = len(followed)


def check_streams(streams: list[dict[str, Any]], read: Seats, result: Result) -> None:
    """Each SSE subscriber's last seats-left equals the projection's once all is quiet."""
    for s in streams:
        want = sum(c["capacity"] - c["sold"] for c in read.get(s["event"], {}).values())
        last = s.get("last")
        if last is None or int(last["available_seats"]) != want:
            seen = None if last is None else last["available_seats"]
            result.fail("sse", f"SSE subscriber {s['name']} on event {s['event']}: last "
                        f"seats left {seen}, the projection {want}")
    result.counts["sse subscribers"] = len(streams)


def check_answers(ops: list[Op], result: Result) -> None:
    """A server error is a 503 with a code, never a 500 nor a 5xx without one."""
    bad = Counter(f"{op['kind']} {op['status']} {op.get('code')}" for op in ops
                  if (op.get("status") or 0) >= 500
                  and (op["status"] != 503 or not op.get("code")))
    for what, times in bad.items():
        result.fail("server-error", f"{times} answers {what}: only 503 with a code may come")


def check_replica_stops(ops: list[Op], faults: list[dict[str, Any]], result: Result) -> None:
    """A stopped replica costs no read: a read in flight as it stopped, or made while it was
    down or until its next checks brought it back, is answered (on the primary, or read again
    there), never lost to it."""
    for fault in faults:
        if fault.get("kind") != "replica-stop":
            continue
        lost = [op for op in ops if op["kind"] in READS and op["type"] == "info"
                and op["t1"] >= fault["start"] and op["t0"] <= fault["end"] + REPLICA_BACK_SECONDS]
        if lost:
            codes = Counter(str(op.get("code") or op.get("error") or op.get("status"))
                            for op in lost)
            result.fail("replica-read", f"{len(lost)} reads failed as {fault.get('target')} "
                        f"stopped: {dict(codes)}")


def check_verify(verify: dict[str, Any], result: Result) -> None:
    if not verify.get("ok"):
        failed = sorted(k for k in ("chain", "snapshots") if not (verify.get(k) or {}).get("ok"))
        result.fail("verify", f"verify is not ok ({', '.join(failed) or 'rules or projections'})")


@dataclass
class Evidence:
    """What the run left besides the history: the store, the read tables, the clients' views."""

    store: Store  # each event's facts in version order
    read: Seats  # the read tables' seats per category
    log: list[int]  # every position in the store's log, of every stream
    feed: list[int]  # the positions the audit-feed follower received, in order
    streams: list[dict[str, Any]]  # each SSE subscriber: name, event, last message
    verify: dict[str, Any]  # a verify run's report (POST /api/audit/verify-runs)
    faults: list[dict[str, Any]] = field(default_factory=list)  # what was struck, and when


def check(ops: list[Op], evidence: Evidence) -> Result:
    """Every check over one run's evidence."""
    result = Result()
    rep = replay(evidence.store, result)
    check_bookings(ops, rep, result)
    check_cancellations(ops, rep, evidence.read, result)
    check_read_tables(rep, evidence.read, evidence.verify, result)
    check_feed(evidence.feed, evidence.log, result)
    check_streams(evidence.streams, evidence.read, result)
    check_answers(ops, result)
    check_verify(evidence.verify, result)
    check_replica_stops(ops, evidence.faults, result)
    result.counts["operations"] = len(ops)
    return result
