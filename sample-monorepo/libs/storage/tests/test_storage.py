from pathlib import Path

import pytest
from acme_core import Item
from acme_storage import ItemRepository, NotFoundError


def test_add_get_list(tmp_path: Path) -> None:
    repo = ItemRepository(tmp_path / "items.db")
    widget = repo.add(Item(name="widget", quantity=2))
    repo.add(Item(name="bolt"))
    assert widget.id == 1
    assert repo.get(1) == widget
    assert [item.name for item in repo.list()] == ["widget", "bolt"]
    with pytest.raises(NotFoundError):
        repo.get(99)
    repo.close()


def test_adjust_never_goes_negative_and_publishes() -> None:
    published: list[tuple[str, dict[str, object]]] = []

    class Bus:
        def publish(self, topic: str, payload: dict[str, object] | None = None) -> None:
            published.append((topic, payload or {}))

    repo = ItemRepository(bus=Bus())
    item = repo.add(Item(name="nut", quantity=3))
    assert repo.adjust(item.id or 0, -10).quantity == 0
    assert [topic for topic, _ in published] == ["item.created", "item.updated"]
