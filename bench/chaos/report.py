"""The soak's results as markdown: the checker's verdict, the fault windows, memory."""

from typing import Any


def _codes(errors: dict[str, int]) -> str:
    return ", ".join(f"{k} x{v}" for k, v in errors.items()) or "none"


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:g}"


def markdown(report: dict[str, Any]) -> str:
    check, load, run = report["check"], report["load"], report["overall"]
    lines = [
        f"## Chaos soak {report['when']}: {'PASSED' if report['ok'] else 'FAILED'}",
        "",
        f"{report['settings']['minutes']:g} min, seed {report['settings']['seed']}, "
        f"API x{report['settings']['api_processes']}, {report['settings']['workers']} workers + "
        f"beat, {report['settings']['events']} events; measured maximum "
        f"{load['maximum']:.0f} bookings/s, soak at {load['rate']:.0f}/s; "
        f"{run['operations']:,} operations, p99 {_ms(run['p99_ms'])} ms; "
        f"{check['indeterminate']} bookings indeterminate (in doubt, found stored); "
        f"verify ok: {report['verify']['ok']} ({report['verify']['checked_events']} "
        f"events replayed).",
        "",
        "| check | |", "|---|---|",
        *(f"| {k} | {v:,} |" for k, v in check["counts"].items()),
        "",
    ]
    if check["violations"]:
        lines += ["**Violations:**", "", *(f"- {v['kind']}: {v['message']}"
                                           for v in check["violations"][:30]), ""]
    lines += ["| fault | target | at s | lasted s | ops | error rate | errors seen | recovery s | "
              "p99 before ms | p99 during ms | p99 after ms |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {w['fault']} | {w['target']} | {w['at_s']} | {w['lasted_s']} | "
              f"{w['operations']:,} | {100 * w['error_rate']:.2f}% | {_codes(w['errors'])} | "
              f"{w['recovery_s']} | {_ms(w['p99_before_ms'])} | {_ms(w['p99_during_ms'])} | "
              f"{_ms(w['p99_after_ms'])} |" for w in report["windows"]]
    lines += ["", "| process | RSS settled MB | end MB | peak MB | growth | ok | judged |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {label} | {m['settled_mb']} | {m['end_mb']} | {m['peak_mb']} | "
              f"{100 * m['growth']:+.1f}% | {'yes' if m['ok'] else 'NO'} | {_judged(m)} |"
              for label, m in report["memory"].items()]
    lines += ["", "Answers other than 2xx over the run: " + _codes(run["answers_not_ok"]), ""]
    return "\n".join(lines)


def _judged(memory: dict[str, Any]) -> str:
    """How a process's growth was judged, when not from the run's settled point."""
    said = []
    if "restarted_at" in memory:
        said.append(f"started again at {memory['restarted_at']} s")
        if "peers_mb" in memory:
            said.append(f"or up to its peers' {memory['peers_mb']} MB +10%")
    if "judged_after" in memory:
        said.append(f"from after the rebuild ending at {memory['judged_after']} s")
    return "; ".join(said)
