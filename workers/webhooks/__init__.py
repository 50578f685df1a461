"""Signed webhooks: the global log's events sent to the endpoints organizers and admins register.

`tables.py` (endpoints, deliveries, the fan-out's position), `event_types.py` (which domain
events are sent, under which type, with what payload), `fanout.py` (the log's subscriber: one
delivery row per endpoint and matching position, exactly once), `sender.py` (each endpoint's
deliveries in log order, retried with backoff), `signing.py` (Standard Webhooks signatures),
`address_guard.py` (no private addresses), `endpoints.py` (registering, listing, replaying),
`jobs.py` (beat's task and the embedded default's tick).
"""
