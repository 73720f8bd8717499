"""`init`, `generate`, `check` and `schema`: the configuration and every generated file."""

from __future__ import annotations

from pathlib import Path

from uvmono.cli_commands.apps import DryRunOption, ForceOption, app, examples
from uvmono.console import handled, info, load_workspace, read_ci, say, state, warn


@app.command("init", epilog=examples("uvmono init && uvmono generate"))
@handled
def init_config() -> None:
    """Add a commented [tool.uvmono] table to the root pyproject.toml."""
    from uvmono import workspace
    from uvmono.commands import init as cmd

    root = state.root if state.root is not None else workspace.find_root(Path.cwd())
    kinds = ", ".join(f'"{kind}"' for kind in cmd.init(root))
    info(f"added [tool.uvmono] to {root / workspace.PYPROJECT} with generate = [{kinds}]")
    info("next: review it, then run `uvmono generate`")


@app.command(
    "generate", epilog=examples("uvmono generate --dry-run", "uvmono generate --force")
)
@handled
def generate_all(
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write every artifact [tool.uvmono] generate asks for, in one all-or-nothing pass."""
    from uvmono import images
    from uvmono.commands import generate as cmd

    workspace = load_workspace()
    for message in images.warnings(workspace):
        warn(message)
    ci = read_ci(workspace)
    write_plan = cmd.run(workspace, force=force, dry_run=dry_run, ci=ci)
    for message in [*write_plan.warnings, *cmd.unlisted(workspace, ci)]:
        warn(message)
    say(cmd.report(write_plan, dry_run=dry_run, workspace=workspace))


@app.command(
    "check", epilog=examples("uvmono check                 # in CI: fails on a stale file")
)
@handled
def check_all() -> None:
    """Exit 1 with a diff for each generated artifact that is stale or missing."""
    from uvmono.commands import generate as cmd
    from uvmono.errors import CheckFailed

    workspace = load_workspace()
    ci = read_ci(workspace)
    diffs, unlisted, fine = cmd.checked(workspace, ci)
    say("".join(diffs))
    problems = [f"{len(diffs)} generated file(s) out of date"] if diffs else []
    fixes = [cmd.fix_hint(workspace, ci)] if diffs else []
    if unlisted:
        problems.append(f"{len(unlisted)} generated file(s) that nothing asks for")
        fixes += unlisted
    if problems:
        raise CheckFailed("; ".join(problems), hint="\n      ".join(fixes))
    info(fine)  # stdout holds only diffs


@app.command(
    "schema",
    epilog=examples("uvmono schema > uvmono.schema.json   # for taplo or an editor's TOML plugin"),
)
@handled
def schema() -> None:
    """Print the JSON Schema of [tool.uvmono], for editor completion (taplo, schemastore)."""
    from uvmono import config_schema

    say(config_schema.schema_text())
