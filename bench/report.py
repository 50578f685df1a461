"""The suite's report: a markdown table (every figure also as a ratio to the HTTP ceiling)."""

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.paid import ratio_lines


def _num(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _times(ours: float, theirs: float) -> str:
    """`ours` as a multiple of `theirs`, or why there is none: a window short enough on a
    loaded machine can close before a cold service's first answer (a rate of 0)."""
    return f"**{ours / theirs:.2f}x**" if theirs else "not measured (no answer in its window)"


def markdown(report: dict[str, Any]) -> str:
    results: dict[str, dict[str, Any]] = report["results"]
    ceiling_name = next(n for n in results if n.startswith("ceiling"))
    ceiling = results[ceiling_name]["rate"]
    s = report["settings"]
    lines = [
        f"Benchmark {report['when']}: {s['api_processes']} API processes, {s['workers']} Celery "
        f"workers, {s['duration']:g} s per run, medians of {s['repeat']} runs.",
        "",
        "| scenario | req/s | x ceiling | p50 ms | p99 ms | retries/booking "
        "| lag p50 / p99 ms | statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        lag = (f"{_num(r['lag_p50_ms'], 1)} / {_num(r['lag_p99_ms'], 1)}"
               if "lag_p50_ms" in r else "")
        retries = _num(r.get("retries_per_booking"), 3) if "retries_per_booking" in r else ""
        statuses = ", ".join(f"{k}: {v}" for k, v in r["statuses"].items())
        lines.append(f"| {name} | {_num(r['rate'])} | {r['rate'] / ceiling:.2f} | "
                     f"{_num(r['p50_ms'], 1)} | {_num(r['p99_ms'], 1)} | {retries} | {lag} | "
                     f"{statuses} |")
    lines.append("")
    for clients in s["clients"]:
        ours = results.get(f"hot event, ledger, {clients} clients")
        theirs = results.get(f"hot event, CRUD baseline, {clients} clients")
        if ours and theirs:
            lines.append(f"- hot event at {clients} clients: ledger / CRUD baseline = "
                         f"{_times(ours['rate'], theirs['rate'])}")
    spread = {system: r for name, r in results.items() if name.startswith("spread over")
              for system in ("ledger", "CRUD") if f", {system}" in name}
    hot = results.get(f"hot event, ledger, {max(s['clients'])} clients")
    if "ledger" in spread and "CRUD" in spread:
        lines.append(f"- spread: ledger / CRUD baseline = "
                     f"{_times(spread['ledger']['rate'], spread['CRUD']['rate'])}")
    if "ledger" in spread and hot:
        lines.append(f"- spread / hot event, ledger, {max(s['clients'])} clients = "
                     f"{_times(spread['ledger']['rate'], hot['rate'])}")
    for name, r in results.items():
        if "batches_per_1000" in r:
            lines.append(f"- {name}: the read models' batches per 1,000 bookings "
                         f"{r['batches_per_1000']:.1f}, and {r['empty_batches_per_1000']:.1f} "
                         "that read nothing")
    lines += ratio_lines(results, s["clients"])
    for clients, ratios in report.get("priced_vs_plain", {}).items():
        lines.append(f"- checkout with a voucher and tax / plain checkout, CPU of our processes, "
                     f"run by run at {clients} clients: " + ", ".join(f"{r:.2f}x" for r in ratios))
    for clients, ratios in report.get("paid_vs_direct", {}).items():
        lines.append(f"- paid order / direct booking, CPU of our processes, run by run at "
                     f"{clients} clients: " + ", ".join(f"{r:.2f}x" for r in ratios))
    checks = report["store_checks"]
    bad = [c for c in checks if not c["ok"]]
    lines.append(f"- store checks: {len(checks) - len(bad)}/{len(checks)} events sold exactly "
                 f"what was answered 201, oversold seats: {sum(c['oversold'] for c in checks)}")
    mailed = [c["confirmations"] for c in checks if "confirmations" in c]
    if mailed:
        lines.append(f"- confirmations: {sum(m['sent'] for m in mailed)} sent for the ledger's "
                     f"{sum(c['sold'] for c in checks if 'confirmations' in c)} bookings; not "
                     f"sent {sum(m['unsent'] for m in mailed)}, a booking mailed twice "
                     f"{sum(m['repeated'] for m in mailed)}, sent again "
                     f"{sum(m['retried'] for m in mailed)}")
    sold_out = report["sold_out_check"]
    lines.append(f"- 64 clients on {300} seats: ledger {sold_out['ledger']}, "
                 f"CRUD {sold_out['crud']}")
    lines += ["", *cpu_table(results, ceiling_name)]
    rss = report["rss_mb"]
    lines.append("- RSS after the runs (MB): API " + ", ".join(_num(m) for m in rss["api"])
                 + "; CRUD " + ", ".join(_num(m) for m in rss["crud"])
                 + "; workers " + ", ".join(_num(m) for m in rss["workers"]))
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], table: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    paths = [out / f"suite-{stamp}.json", out / f"suite-{stamp}.md"]
    paths[0].write_text(json.dumps(report, indent=2, default=str))
    paths[1].write_text(table)
    return paths


def cpu_table(results: dict[str, dict[str, Any]], ceiling_name: str) -> list[str]:
    """CPU per answered request by process group: what each rate costs the shared cores."""
    if not all("cpu_ms" in r for r in results.values()):
        return []
    groups = list(next(iter(results.values()))["cpu_ms"])
    lines = ["CPU per answered request, ms (all processes share the machine's cores):", "",
             "| scenario | " + " | ".join(groups) + " | total |",
             "|---|" + "---:|" * (len(groups) + 1)]
    for name, r in results.items():
        cpu = r["cpu_ms"]
        lines.append(f"| {name} | " + " | ".join(f"{cpu[g]:.3f}" for g in groups)
                     + f" | {sum(cpu.values()):.3f} |")
    noop = results[ceiling_name]["cpu_ms"]
    ceiling = sum(noop.values())
    for name, r in results.items():
        if name.startswith("hot event, ledger"):
            cpu = r["cpu_ms"]
            floor = sum(v for g, v in cpu.items() if g != "API") + noop["API"]
            lines.append(f"- {name}: with the cores as busy as in the ceiling run, x ceiling "
                         f"is at most {ceiling / sum(cpu.values()):.2f} ({ceiling:.3f} / "
                         f"{sum(cpu.values()):.3f} ms); even if a booking cost the API no "
                         f"more than the no-op request, at most {ceiling / floor:.2f}")
    return lines
