"""Where stored topics point: every stored event of an event's stream names
`commands.aggregate:Event.<Name>` (`commands.domain.events`), so a process that decodes them
before anything imported the domain finds the aggregate here.

No module imports this one, yet it is not dead: delete or rename it and the stored events stop
decoding in such a process (`tests/commands/test_legacy_topics.py`). Its name stays; the code it
points to may move."""

from commands.domain.event import Event

__all__ = ["Event"]
