"""Messages to buyers: the routes (`routes.py`) and bodies (`schemas.py`) to send a booking's
confirmation again and to read an event's messages; the sending is in `workers/mail/`."""
