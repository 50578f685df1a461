"""The soak's memory verdict: growth from the 5-minute mark, a restarted process from its own
or up to its peers', a worker from after a rebuild, PostgreSQL's servers not held to it."""

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


def test_the_replica_is_postgresql_and_not_held_to_the_limit() -> None:
    data = samples({"replica": [(0, 31)], "postgres": [(0, 30)]})
    for sample in data[-5:]:
        sample["mb"] = {"replica": 180.0, "postgres": 300.0}  # their caches filled
    out = summary(data)
    assert out["replica"]["growth"] > 0.1 and out["replica"]["ok"] and out["postgres"]["ok"]


def test_a_process_started_again_and_reached_late_by_the_load_may_grow_to_its_peers() -> None:
    # api2 started again at minute 3, idle until keep-alive clients reached it at minute 20.
    data = samples({"api1": [(0, 11)], "api2": [(0, 12), (3, 13)]})
    for sample in data[3:]:
        minute = (sample["t"] - 1000.0) / 60
        sample["mb"]["api2"] = 100.0 if minute < 20 else 125.0
    out = summary(data)
    assert out["api2"]["growth"] == 0.25 and out["api2"]["peers_mb"] == 130.0
    assert out["api2"]["ok"]
    data[-1]["mb"]["api2"] = 145.0  # past its peers' size and the limit: a leak
    assert not summary(data)["api2"]["ok"]


def test_a_worker_is_judged_from_after_a_rebuild_it_ran() -> None:
    data = samples({"worker1": [(0, 21)], "worker2": [(0, 22)]})
    for sample in data[20:]:
        sample["mb"]["worker2"] = 145.0  # the step of its first rebuild, then flat
    rebuild = {"kind": "rebuild", "start": 1000.0 + 60 * 18, "end": 1000.0 + 60 * 20}
    assert not summary(data)["worker2"]["ok"]  # without the fault, the step looks like a leak
    out = summary(data, faults=[rebuild])
    assert out["worker2"]["judged_after"] == 1200.0 and out["worker2"]["growth"] == 0.0
    assert out["worker2"]["ok"] and out["worker1"]["ok"]
    data[-1]["mb"]["worker2"] = 149.0 * 1.1  # growing after it: judged, and over 150 MB too
    assert not summary(data, faults=[rebuild])["worker2"]["ok"]
