"""Where the test command's time went: the pytest parts' JUnit reports (scripts/test.sh writes
them to artifacts/junit/), their tests' times summed by file, the largest first.

    python scripts/test_times.py [--top N] [REPORT.xml ...]

Each test's time is its setup, call and teardown (`junit_duration_report=total`), in its own
process: a part run two at a time spends about half of the summed time in wall time.
"""

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1] / "artifacts" / "junit"


def by_file(reports: list[Path]) -> tuple[dict[str, float], Counter[str]]:
    """Seconds and tests per test file, over these reports."""
    seconds: dict[str, float] = defaultdict(float)
    tests: Counter[str] = Counter()
    for report in reports:
        for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own reports
            module = case.get("classname", "").split("::")[0]
            name = module.replace(".", "/") + ".py" if module else "?"
            seconds[name] += float(case.get("time") or 0)
            tests[name] += 1
    return seconds, tests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("reports", nargs="*", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    reports = args.reports or sorted(REPORTS.glob("*.xml"))
    if not reports:
        print(f"no reports: run scripts/test.sh first (it writes {REPORTS})", file=sys.stderr)
        return 1
    for report in reports:
        seconds, tests = by_file([report])
        print(f"{report.name}: {len(seconds)} files, {sum(tests.values())} tests, "
              f"{sum(seconds.values()):.0f} s of test time")
        for name, spent in sorted(seconds.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"  {spent:7.1f} s  {tests[name]:4d} tests  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
