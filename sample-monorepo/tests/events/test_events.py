from acme_core import Event
from acme_events import EventBus, RecordingBus


def test_publish_reaches_exact_and_wildcard_subscribers() -> None:
    bus = EventBus()
    exact: list[Event] = []
    wildcard: list[Event] = []
    bus.subscribe("item.created", exact.append)
    bus.subscribe("item.*", wildcard.append)
    bus.subscribe("order.*", _unexpected)

    bus.publish("item.created", {"id": 1})
    bus.publish("item.deleted", {"id": 1})

    assert [e.topic for e in exact] == ["item.created"]
    assert [e.topic for e in wildcard] == ["item.created", "item.deleted"]


def test_recording_bus_keeps_history() -> None:
    bus = RecordingBus()
    event = bus.publish("item.restock", {"id": 7, "amount": 5})
    assert bus.events == [event]
    assert event.payload["amount"] == 5


def _unexpected(event: Event) -> None:
    raise AssertionError(f"unexpected delivery of {event.topic}")
