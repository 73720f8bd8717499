import json
from typing import TextIO

import click
from acme_events import EventBus
from acme_storage import ItemRepository

from acme_worker import __version__
from acme_worker.worker import Worker


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", default=":memory:", envvar="ACME_DB", show_default=True)
@click.option("--low-stock", default=2, show_default=True, help="Alert at or below this.")
@click.option("--check", is_flag=True, help="Check the installation, print 'acme-worker ok'.")
@click.argument("events", type=click.File("r"), default="-")
@click.version_option(__version__, prog_name="acme-worker")
def cli(db: str, low_stock: int, check: bool, events: TextIO) -> None:
    """Apply JSON-lines stock EVENTS (default: stdin) to the item database."""
    bus = EventBus()
    worker = Worker(ItemRepository(db), bus, low_stock=low_stock)
    if check:
        click.echo("acme-worker ok")
        return
    bus.subscribe("item.low_stock", lambda e: click.echo(f"low stock: {e.payload['name']}"))
    for line in events:
        if line.strip():
            message = json.loads(line)
            bus.publish(message["topic"], message.get("payload"))
    click.echo(f"processed {worker.processed} event(s)")


def main() -> None:
    cli()
