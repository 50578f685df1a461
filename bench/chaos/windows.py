"""Per fault window: error rate, the codes seen, time to recover, p99 before, during, after."""

from collections import Counter
from typing import Any

from bench.chaos.history import Op

CUSTOMER = ("book", "cancel", "list", "page", "get")
AROUND_SECONDS = 30.0


def p99_ms(ops: list[Op]) -> float | None:
    took = sorted(float(op["t1"] - op["t0"]) for op in ops if op["type"] == "ok")
    if not took:
        return None
    return round(1000 * took[min(len(took) - 1, int(0.99 * len(took)))], 1)


def between(ops: list[Op], start: float, end: float) -> list[Op]:
    return [op for op in ops if start <= op["t0"] < end]


def error_name(op: Op) -> str:
    if op.get("status") is None:
        return str(op.get("error"))
    return f"{op['status']} {op.get('code') or ''}".strip()


def window(ops: list[Op], fault: dict[str, Any], until: float) -> dict[str, Any]:
    """One fault's figures; `until` is the next fault's start (or the end of the soak)."""
    start = fault["start"]
    inside = between(ops, start, until)
    # A fault's errors end between its start and 30 s after the service came back (a request
    # in flight when it struck is one of them; a later timeout under load is not).
    horizon = fault["end"] + AROUND_SECONDS
    errors = [op for op in ops if op["type"] == "info" and start <= op["t1"] < min(until, horizon)]
    last_error = max((op["t1"] for op in errors), default=start)
    # Recovered: the first booking answered 2xx that was sent after the last error.
    recovered = min((op["t1"] for op in inside if op["kind"] == "book" and op["type"] == "ok"
                     and op["t0"] >= last_error), default=until)
    during_end = max(fault["end"], recovered)
    during = [op for op in ops if start <= op["t1"] < during_end]  # as the errors: completed
    return {
        "fault": fault["kind"], "target": fault.get("target", ""),
        "at_s": round(fault["at"], 1), "lasted_s": round(fault["end"] - start, 1),
        "operations": len(during),
        "error_rate": round(sum(op["type"] == "info" for op in during) / max(1, len(during)), 4),
        "errors": dict(Counter(error_name(op) for op in errors).most_common()),
        "recovery_s": round(recovered - start, 1) if errors else 0.0,
        "p99_before_ms": p99_ms(between(ops, start - AROUND_SECONDS, start)),
        "p99_during_ms": p99_ms(during),
        "p99_after_ms": p99_ms(between(ops, during_end, during_end + AROUND_SECONDS)),
        "note": fault.get("note", ""),
    }


def windows(
    history: list[Op], faults: list[dict[str, Any]], soak_end: float
) -> list[dict[str, Any]]:
    """Every fault's window, over the customers' and readers' operations."""
    ops = [op for op in history if op["kind"] in CUSTOMER]
    out = []
    for i, fault in enumerate(faults):
        until = faults[i + 1]["start"] if i + 1 < len(faults) else soak_end
        out.append(window(ops, fault, until))
    return out


def overall(history: list[Op]) -> dict[str, Any]:
    """Counts of the whole run: operations by kind and type, and every error seen."""
    kinds = Counter(f"{op['kind']} {op['type']}" for op in history)
    codes = Counter(error_name(op) for op in history if op["type"] != "ok")
    return {"operations": len(history), "by_kind": dict(sorted(kinds.items())),
            "answers_not_ok": dict(codes.most_common(20)),
            "p99_ms": p99_ms([op for op in history if op["kind"] in CUSTOMER])}
