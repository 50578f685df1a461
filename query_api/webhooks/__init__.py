"""The webhooks' routes (`routes.py`) and bodies (`schemas.py`); the machinery is in
`workers/webhooks/`."""
