"""Read-model queries: plain dicts in the API's shapes, straight from the read tables."""
