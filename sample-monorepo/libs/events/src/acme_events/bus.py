import sys
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from acme_core import Event

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

Handler = Callable[[Event], None]


class EventBus:
    """Deliver each published event to the handlers subscribed to its topic.

    A topic ending in ``.*`` subscribes to every topic with that prefix.
    """

    def __init__(self) -> None:
        self._handlers: defaultdict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers[topic].append(handler)

    def publish(self, topic: str, payload: dict[str, Any] | None = None) -> Event:
        event = Event(topic=topic, payload=payload or {})
        self._deliver(event)
        return event

    def _deliver(self, event: Event) -> None:
        for pattern, handlers in self._handlers.items():
            if pattern == event.topic or (
                pattern.endswith(".*") and event.topic.startswith(pattern[:-1])
            ):
                for handler in handlers:
                    handler(event)


class RecordingBus(EventBus):
    """An EventBus that also keeps every event it delivered (for tests and replay)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    @override
    def _deliver(self, event: Event) -> None:
        self.events.append(event)
        super()._deliver(event)
