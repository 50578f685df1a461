"""Query routes: every GET, reading the read tables (waiting for `min_position` where asked),
the event store for audits and proofs, or live streams; none changes anything."""
