"""In-process publish/subscribe messaging."""

from acme_events.bus import EventBus, Handler, RecordingBus

__all__ = ["EventBus", "Handler", "RecordingBus"]
