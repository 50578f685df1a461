"""Query routes: every GET but the proofs' (`query_api.proofs`), reading the read tables
(waiting for `min_position` where asked), the event store for audits, or live streams; none
changes anything."""
