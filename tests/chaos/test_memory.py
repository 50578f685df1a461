"""The soak's memory verdict: growth from the 5-minute mark, a restarted process from its own."""

from bench.chaos.memory import Sample, summary


def samples(series: dict[str, list[tuple[int, float]]], minutes: int = 30) -> list[Sample]:
    """A sample every minute; `series`: label -> [(from minute, pid)], MB = `mb_at`."""
    out = []
    for m in range(minutes + 1):
        pids = {label: next(pid for start, pid in reversed(runs) if m >= start)
                for label, runs in series.items()}
        out.append({"t": 1000.0 + 60 * m, "pid": pids,
                    "mb": {label: mb_at(label, m, series[label]) for label in series}})
    return out


def mb_at(label: str, minute: int, runs: list[tuple[int, float]]) -> float:
    start = max(s for s, _ in runs if minute >= s)
    age = minute - start
    return 100.0 + min(age, 5) * 6  # grows for its first 5 minutes, then flat


def test_growth_counts_from_the_five_minute_mark() -> None:
    out = summary(samples({"api1": [(0, 11)], "worker1": [(0, 21)]}))
    assert out["api1"]["settled_mb"] == 130.0 and out["api1"]["growth"] == 0.0
    assert out["api1"]["ok"] and "restarted_at" not in out["api1"]


def test_a_process_started_again_is_judged_from_its_own_five_minute_mark() -> None:
    out = summary(samples({"api1": [(0, 11)], "api2": [(0, 12), (3, 13)]}))
    api2 = out["api2"]
    assert api2["restarted_at"] == 180.0
    assert api2["settled_mb"] == 130.0 and api2["growth"] == 0.0 and api2["ok"]


def test_growth_after_the_mark_fails() -> None:
    data = samples({"api1": [(0, 11)]})
    data[-1]["mb"]["api1"] = 150.0
    assert not summary(data)["api1"]["ok"]
