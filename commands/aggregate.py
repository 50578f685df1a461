"""Where stored topics point: every stored event of an event's stream names
`commands.aggregate:Event.<Name>` (`commands.domain.events`), so a process that decodes them
before anything imported the domain finds the aggregate here."""

from commands.domain.event import Event

__all__ = ["Event"]
