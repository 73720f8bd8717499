import sqlite3
from pathlib import Path
from typing import Any, Protocol

from acme_core import Item

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0)
)
"""


class Publisher(Protocol):
    def publish(self, topic: str, payload: dict[str, Any] | None = None) -> Any: ...


class NotFoundError(LookupError):
    pass


class ItemRepository:
    """Items stored in one SQLite database (``:memory:`` by default)."""

    def __init__(self, path: str | Path = ":memory:", bus: Publisher | None = None) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute(SCHEMA)
        self._bus = bus

    def add(self, item: Item) -> Item:
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO items (name, quantity) VALUES (?, ?)", (item.name, item.quantity)
            )
        stored = item.model_copy(update={"id": cursor.lastrowid})
        self._emit("item.created", stored)
        return stored

    def get(self, item_id: int) -> Item:
        row = self._db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no item with id {item_id}")
        return Item(**dict(row))

    def list(self) -> list[Item]:
        rows = self._db.execute("SELECT * FROM items ORDER BY id").fetchall()
        return [Item(**dict(row)) for row in rows]

    def adjust(self, item_id: int, delta: int) -> Item:
        item = self.get(item_id)
        updated = item.model_copy(update={"quantity": max(0, item.quantity + delta)})
        with self._db:
            self._db.execute(
                "UPDATE items SET quantity = ? WHERE id = ?", (updated.quantity, item_id)
            )
        self._emit("item.updated", updated)
        return updated

    def close(self) -> None:
        self._db.close()

    def _emit(self, topic: str, item: Item) -> None:
        if self._bus is not None:
            self._bus.publish(topic, item.model_dump())
