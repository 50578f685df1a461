"""Prometheus metrics shared by the write side, the projections and the API.

With several processes (uvicorn --workers, celery workers) set PROMETHEUS_MULTIPROC_DIR to
an empty directory, the same for all of them and emptied before they start: each process
then writes its samples there and `/metrics` adds them up (prometheus_client's
multiprocess mode). Without it, each process serves its own registry.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

COMMANDS = Counter(
    "ledger_commands_total", "Commands handled, by type and outcome", ["command", "outcome"]
)
COMMAND_LATENCY = Histogram(
    "ledger_command_seconds",
    "Command latency, from load to committed save",
    ["command"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
COMMIT_REQUESTS = Histogram(
    "ledger_commit_group_requests", "Requests for seats saved by one group commit",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
COMMIT_EVENTS = Histogram(
    "ledger_commit_group_events", "Events whose requests one group commit saved",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
RETRIES = Counter(
    "ledger_concurrency_retries_total", "Optimistic-concurrency retries (store conflicts)"
)
AGGREGATE_LOADS = Counter(
    "ledger_event_loads_total",
    "Events a command decided on: kept warm and brought forward, or loaded from the store",
    ["how"],
)
PROJECTION_EVENTS = Counter(
    "ledger_projection_events_total", "Domain events applied, by projection", ["projection"]
)
# Each batch pays a fixed part (locks, the log's read, a statement per table) whatever it
# brings: batches per booking say what an on-sale's wake-ups cost the workers.
PROJECTION_BATCHES = Counter(
    "ledger_projection_batches_total",
    "Transactions of the log's subscribers' batch loop: the read models' (with the tree) or "
    "the followers' alone, and whether they read any event",
    ["batch", "read"],
)
PROJECTION_LAG = Gauge(
    "ledger_projection_lag_events", "Events between the store's head and a projection",
    ["projection"], multiprocess_mode="mostrecent",  # the latest reading, whoever took it
)
SNAPSHOTS_REFUSED = Counter(
    "ledger_snapshots_refused_total",
    "Snapshots not used on load (not sealed with this key, or not the stored chain), by reason",
    ["reason"],
)
SSE_SUBSCRIBERS = Gauge(
    "ledger_sse_subscribers", "Open live-availability streams (server-sent events)",
    multiprocess_mode="livesum",
)
READS = Counter(
    "ledger_reads_total",
    "The API's reads of the read models, by the database that served them (primary, or a "
    "replica's name)", ["database"],
)
REPLICA_UP = Gauge(
    "ledger_read_replica_up", "1 while a read replica answers its checks, else 0", ["replica"],
    multiprocess_mode="mostrecent",
)
REPLICA_LAG = Gauge(
    "ledger_read_replica_lag_seconds", "How far a read replica's replay trails its primary",
    ["replica"], multiprocess_mode="mostrecent",
)
CONTENT_TYPE = CONTENT_TYPE_LATEST


def exposition() -> bytes:
    """Every metric in the text format: this process's, or all processes' in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated
        return generate_latest(registry)
    return generate_latest(REGISTRY)
