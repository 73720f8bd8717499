"""SQLite-backed repositories for acme models."""

from typing import TYPE_CHECKING

from acme_storage.repository import ItemRepository, NotFoundError, Publisher

if TYPE_CHECKING:
    from acme_events import EventBus

__all__ = ["ItemRepository", "NotFoundError", "Publisher", "event_bus"]


def event_bus() -> "EventBus":
    """Return a new acme_events.EventBus; needs the ``events`` extra."""
    try:
        from acme_events import EventBus
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("event publishing needs 'acme-storage[events]'") from exc
    return EventBus()
