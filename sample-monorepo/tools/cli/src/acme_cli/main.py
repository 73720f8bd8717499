from typing import Annotated

import typer
from acme_core import Item, slugify
from pydantic import ValidationError

from acme_cli import __version__

app = typer.Typer(help="Developer tools for acme data.", no_args_is_help=False)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Print 'acme ok' and exit.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if check or version:
        typer.echo("acme ok" if check else f"acme {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@app.command()
def slug(text: str) -> None:
    """Print TEXT as a URL slug."""
    typer.echo(slugify(text))


@app.command()
def validate(name: str, quantity: Annotated[int, typer.Option(min=0)] = 0) -> None:
    """Validate an item and print it as JSON."""
    try:
        item = Item(name=name, quantity=quantity)
    except ValidationError as exc:
        typer.echo(f"error: {exc.errors()[0]['msg']}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(item.model_dump_json())


def main() -> None:
    app()
