"""Garbage-collector settings for the long-running processes (API and Celery workers).

A full collection walks every tracked object (the imported modules, the app, the warm
aggregates) and pauses the process meanwhile; almost every object a request makes is freed by
reference counting anyway. So startup's objects are frozen and young collections are rarer
(bench/README.md, "Figures behind the code").
"""

import gc

YOUNG_THRESHOLD = 20_000  # allocations (net of frees) of tracked objects between collections


def tune_gc() -> None:
    """Freeze what startup made (never collected or walked again); collect less often."""
    gc.collect()  # startup's own garbage first, so it is not frozen with the rest
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)
