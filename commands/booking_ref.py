"""Where stored topics point: every stored event of a booking's stream names
`commands.booking_ref:BookingRef.<Name>` (`commands.domain.booking`), so a process that
decodes them before anything imported the domain finds the aggregate here.

No module imports this one, yet it is not dead: delete or rename it and the stored events stop
decoding in such a process (`tests/commands/test_legacy_topics.py`). Its name stays; the code it
points to may move."""

from commands.domain.booking import Booking as BookingRef  # the name stored topics resolve

__all__ = ["BookingRef"]
