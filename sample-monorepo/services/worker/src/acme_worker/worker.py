from acme_core import Event
from acme_events import EventBus
from acme_storage import ItemRepository


class Worker:
    """Apply ``item.restock`` and ``item.sold`` events to the repository."""

    def __init__(self, repo: ItemRepository, bus: EventBus, low_stock: int = 2) -> None:
        self.repo = repo
        self.bus = bus
        self.low_stock = low_stock
        self.processed = 0
        bus.subscribe("item.restock", self._restock)
        bus.subscribe("item.sold", self._sold)

    def _restock(self, event: Event) -> None:
        self.repo.adjust(event.payload["id"], event.payload.get("amount", 1))
        self.processed += 1

    def _sold(self, event: Event) -> None:
        item = self.repo.adjust(event.payload["id"], -event.payload.get("amount", 1))
        self.processed += 1
        if item.quantity <= self.low_stock:
            self.bus.publish("item.low_stock", item.model_dump())
