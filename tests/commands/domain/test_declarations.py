"""Each domain event declares once what the rest of the system needs to know of it
(`commands.domain.declared`), and every list kept elsewhere is derived from those declarations:
an event without one, or a web UI that names a type the server does not know, fails here."""

import json
import re
from pathlib import Path
from typing import get_args

import pytest
from eventsourcing.utils import get_topic

from commands.audit import store
from commands.domain import catalogue
from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.declared import MESSAGE_KINDS, Declared
from commands.domain.event import Event
from query_api.mail.schemas import MessageKind
from workers.holds import TRIGGERS
from workers.mail.subscriber import MAKERS, TOPICS
from workers.webhooks.event_types import TYPES_BY_CLASS

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "frontend" / "src"


def test_every_domain_event_declares_itself() -> None:
    for stream, aggregate in catalogue.STREAMS.items():
        nested = [v for v in vars(aggregate).values()
                  if isinstance(v, type) and issubclass(v, ChainedEvent | ChainedCreated)]
        assert nested, stream
        for kind in nested:
            assert isinstance(getattr(kind, "declared", None), Declared), kind.__qualname__
    assert len({k.topic for k in catalogue.kinds()}) == len(catalogue.kinds())


def test_an_event_that_declares_nothing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Undeclared(ChainedEvent):
        TOPIC = "tests:Undeclared"

    monkeypatch.setattr(Event, "Undeclared", Undeclared, raising=False)
    catalogue.kinds.cache_clear()
    try:
        with pytest.raises(TypeError, match="event Undeclared declares nothing"):
            catalogue.kinds()
    finally:
        monkeypatch.undo()
        catalogue.kinds.cache_clear()


def test_the_lists_kept_elsewhere_are_the_declarations() -> None:
    declared = {k.name: k.declared for k in catalogue.of_stream("event")}
    assert {k.name: k.declared.public for k in catalogue.kinds()
                              if k.declared.public} == TYPES_BY_CLASS
    assert TYPES_BY_CLASS["SeatsBooked"] == "booking.created"
    # The buyers' messages come from any stream's events (an invoice book's too).
    assert {get_topic(getattr(catalogue.STREAMS[k.stream], k.name)) for k in catalogue.kinds()
            if k.declared.mail} == TOPICS
    # Each event that may make a message has the code that makes it, and no other has.
    assert set(MAKERS) == catalogue.mail_makers()
    assert {kind for k in catalogue.kinds() for kind in k.declared.mail} == set(MESSAGE_KINDS)
    # The messages' log answers each kind under the type its schema documents.
    assert set(get_args(MessageKind)) == set(MESSAGE_KINDS)
    freeing = {n for n, d in declared.items() if d.seats and d.seats != "takes"}
    assert {t.rsplit(".", 1)[1] for t in TRIGGERS} == freeing == {
        "BookingCancelled", "TicketsCancelled", "HoldReleased", "HoldExpired",
        "CategoryChanged", "WaitlistJoined", "WaitlistLeft"}
    assert set(store.event_types()) == {k.name for k in catalogue.kinds()}


def test_personal_fields_are_fields_of_their_event() -> None:
    for kind in catalogue.kinds():
        cls = getattr(catalogue.STREAMS[kind.stream], kind.name)
        fields = set(getattr(cls, "__annotations__", {}))
        for base in cls.__mro__[1:]:
            fields |= set(getattr(base, "__annotations__", {}))
        assert set(kind.declared.personal) <= fields, (kind.name, kind.declared.personal)


def test_each_kind_has_its_label_in_every_language_of_the_web_ui() -> None:
    """The log's labels (`audit.json`'s `kinds`): English's is the declared one."""
    declared = {k.name: k.declared.label for k in catalogue.kinds()}
    for catalogue_file in sorted((UI / "locales").glob("*/audit.json")):
        labels = json.loads(catalogue_file.read_text(encoding="utf-8"))["kinds"]
        assert set(labels) == set(declared), catalogue_file.parent.name
        if catalogue_file.parent.name == "en":
            assert labels == declared


# Where the web UI's code names a domain event's type: `e.type === 'SeatsBooked'`.
COMPARED = re.compile(r"""\.type\s*[!=]==\s*['"](\w+)['"]""")
QUOTED = re.compile(r"""['"]([A-Z][a-z]+(?:[A-Z][a-z]+)+)['"]""")


def test_the_web_ui_keeps_no_list_of_event_types_and_names_none_the_server_does_not_know() -> (
        None):
    known = {k.name for k in catalogue.kinds()}
    sources = [p for p in UI.rglob("*.ts*") if ".test." not in p.name
               and "testing" not in p.parts and p.name != "openapi.ts"]
    unknown, lists = {}, {}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if "features/audit" in path.as_posix() and (named := set(COMPARED.findall(text)) - known):
            unknown[str(path.relative_to(ROOT))] = named
        # Naming a type to describe it is fine; a list of them is what the server serves.
        if len(listed := set(QUOTED.findall(text)) & known) > 3:
            lists[str(path.relative_to(ROOT))] = listed
    assert unknown == {}
    assert lists == {}
