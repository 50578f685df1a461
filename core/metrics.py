"""Prometheus metrics shared by the write side, the projections and the API."""

from prometheus_client import Counter, Gauge, Histogram

COMMANDS = Counter(
    "ledger_commands_total", "Commands handled, by type and outcome", ["command", "outcome"]
)
COMMAND_LATENCY = Histogram(
    "ledger_command_seconds",
    "Command latency, from load to committed save",
    ["command"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
RETRIES = Counter(
    "ledger_concurrency_retries_total", "Optimistic-concurrency retries (store conflicts)"
)
PROJECTION_EVENTS = Counter(
    "ledger_projection_events_total", "Domain events applied, by projection", ["projection"]
)
PROJECTION_LAG = Gauge(
    "ledger_projection_lag_events", "Events between the store's head and a projection",
    ["projection"], multiprocess_mode="max",
)
