import json

from acme_cli.main import app
from typer.testing import CliRunner

runner = CliRunner()


def test_slug() -> None:
    result = runner.invoke(app, ["slug", "Blue Widget, large"])
    assert (result.exit_code, result.output) == (0, "blue-widget-large\n")


def test_validate() -> None:
    result = runner.invoke(app, ["validate", "widget", "--quantity", "3"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"id": None, "name": "widget", "quantity": 3}
    assert runner.invoke(app, ["validate", ""]).exit_code == 2


def test_check() -> None:
    result = runner.invoke(app, ["--check"])
    assert (result.exit_code, result.output) == (0, "acme ok\n")
