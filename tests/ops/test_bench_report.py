"""The benchmark's report: a run that counted no answer (a cold service in a short window on a
loaded machine) is reported as not measured, never a crash that loses the whole report."""

from typing import Any

from bench.report import markdown


def result(rate: float) -> dict[str, Any]:
    return {"rate": rate, "p50_ms": float("nan") if not rate else 5.0, "p99_ms": 9.0,
            "statuses": {"201": int(rate)} if rate else {}}


def test_a_baseline_with_no_answer_counted_is_reported_as_not_measured() -> None:
    report = {
        "when": "now",
        "settings": {"api_processes": 1, "workers": 1, "duration": 0.5, "repeat": 1,
                     "clients": [4]},
        "results": {"ceiling (GET /api/health?checks=false)": result(2000.0),
                    "hot event, ledger, 4 clients": result(150.0),
                    "hot event, CRUD baseline, 4 clients": result(0.0),
                    "spread over 10 events, ledger, 4 clients": result(200.0),
                    "spread over 10 events, CRUD baseline, 4 clients": result(0.0)},
        "store_checks": [], "sold_out_check": {"ledger": {}, "crud": {}},
        "rss_mb": {"api": [], "crud": [], "workers": []},
    }

    table = markdown(report)

    assert ("- hot event at 4 clients: ledger / CRUD baseline = not measured (no answer in "
            "its window)") in table
    assert "- spread: ledger / CRUD baseline = not measured" in table
    assert "- spread / hot event, ledger, 4 clients = **1.33x**" in table
