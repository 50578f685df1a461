"""Messages to buyers, from the global log: booking confirmations with their tickets as a PDF,
cancellation and refund notices, waitlist offers, event cancellations, invoices and their
cancellations with their Factur-X PDF.

`tables.py` (the messages, the subscriber's position), `subscriber.py` (the log's subscriber:
one message per kind, subject and recipient, exactly once), `lookups.py` (recipients from the
accounts, events' details from the events read table), `zones.py` (an event's time zone, times
shown in it), `templates.py` (what each kind says, one dict per language), `pdf_tickets.py`
(the tickets' PDF with their QR codes, laid out once and drawn by `standard_font_pdf.py` or
`embedded_font_pdf.py`), `compose.py` (a message row as an e-mail), `plain_wire.py` (a plain
message's bytes written directly), `sender.py` (SMTP or the
outbox, each message's status), `resends.py` (a confirmation sent again, bounded),
`message_log.py` (an event's messages, paged), `jobs.py` (beat's task and the embedded tick).
"""
