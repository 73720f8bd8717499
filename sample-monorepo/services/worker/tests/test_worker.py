import json
from pathlib import Path

from acme_core import Item
from acme_events import RecordingBus
from acme_storage import ItemRepository
from acme_worker import Worker
from acme_worker.main import cli
from click.testing import CliRunner


def test_worker_applies_events_and_alerts() -> None:
    bus = RecordingBus()
    repo = ItemRepository()
    item = repo.add(Item(name="widget", quantity=3))
    worker = Worker(repo, bus)

    bus.publish("item.restock", {"id": item.id, "amount": 4})
    bus.publish("item.sold", {"id": item.id, "amount": 6})

    assert repo.get(item.id or 0).quantity == 1
    assert worker.processed == 2
    assert [e.topic for e in bus.events][-1] == "item.low_stock"


def test_cli(tmp_path: Path) -> None:
    db = tmp_path / "items.db"
    ItemRepository(db).add(Item(name="bolt", quantity=5))
    events = "\n".join(json.dumps({"topic": "item.sold", "payload": {"id": 1}}) for _ in range(3))

    result = CliRunner().invoke(cli, ["--db", str(db)], input=events)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["low stock: bolt", "processed 3 event(s)"]

    check = CliRunner().invoke(cli, ["--check"])
    assert (check.exit_code, check.output) == (0, "acme-worker ok\n")
