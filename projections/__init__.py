"""Read side: read tables and the projectors that keep them current from the event store."""
