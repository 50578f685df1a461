"""What an API process allocated between the settled mark and the end of a chaos run.

`python -m bench.chaos.heapwatch.diff DIR [--by lineno|traceback|filename] [--top 25]`:
for each `<pid>-base.snap` with its `<pid>-last.snap` in DIR (see `sitecustomize` here),
the allocations that grew most, still alive at the end.
"""

import argparse
import tracemalloc
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("dir", type=Path)
    p.add_argument("--by", default="lineno")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__),
              tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
              tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>")]
    for base in sorted(args.dir.glob("*-base.snap")):
        last = base.with_name(base.name.replace("-base", "-last"))
        if not last.exists():
            continue
        a = tracemalloc.Snapshot.load(str(base)).filter_traces(ignore)
        b = tracemalloc.Snapshot.load(str(last)).filter_traces(ignore)
        total_a = sum(s.size for s in a.statistics("filename"))
        total_b = sum(s.size for s in b.statistics("filename"))
        print(f"== {base.name.split('-')[0]}: traced {total_a / 2**20:.1f} -> "
              f"{total_b / 2**20:.1f} MB")
        for stat in b.compare_to(a, args.by)[: args.top]:
            print(f"{stat.size_diff / 2**10:+9.0f} KiB {stat.count_diff:+8d} blocks "
                  f"(now {stat.size / 2**10:.0f} KiB)")
            for frame in (stat.traceback.format() if args.by == "traceback"
                          else [str(stat.traceback[0])]):
                print("      ", frame)


if __name__ == "__main__":
    main()
