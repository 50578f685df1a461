"""Where stored topics point: every stored event of a booking's stream names
`commands.booking_ref:BookingRef.<Name>` (`commands.domain.booking`), so a process that
decodes them before anything imported the domain finds the aggregate here."""

from commands.domain.booking import BookingRef

__all__ = ["BookingRef"]
