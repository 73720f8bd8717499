"""`members`, `hash`, `graph` and `affected`: what the workspace holds and what a change affects."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from uvmono.cli_commands import bodies
from uvmono.cli_commands.apps import (
    FilterOption,
    OnMissingBase,
    OnMissingOption,
    SinceOption,
    UntilOption,
    all_filters,
    app,
    examples,
    selection_context,
)
from uvmono.cli_commands.bodies import AffectedFormat, MembersFormat
from uvmono.console import handled, info, load_workspace, read_ci, say, stdout_color

# ----------------------------------------------------------------------------------- members


@app.command(
    epilog=examples(
        "uvmono members",
        "uvmono members --format json | jq -r '.members[].path'",
        "uvmono members -F '...acme-core' --format names   # try a filter",
    )
)
def members(
    format: Annotated[
        MembersFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MembersFormat.table,
    filter: FilterOption = None,
) -> None:
    """List the workspace members, found exactly as uv finds them."""
    bodies.members(format.value, filter)


# -------------------------------------------------------------------------------------- hash


class HashFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(
    name="hash",
    epilog=examples(
        "uvmono hash",
        "uvmono hash acme-api --format json",
        "uvmono hash --format json > before.json; ...; uvmono hash --explain before.json -",
    ),
)
@handled
def hash_(
    packages: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILTER]...",
            help="Only these members (filters, as --filter).  [default: every member]",
        ),
    ] = None,
    filter: FilterOption = None,
    format: Annotated[
        HashFormat, typer.Option("--format", "-f", help="Output format (json: with the inputs).")
    ] = HashFormat.text,
    explain: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--explain",
            metavar="OLD NEW",
            show_default=False,
            help="Compare two `--format json` outputs (`-`: the work tree now): which "
            "fingerprints differ, and which of their inputs.",
        ),
    ] = None,
) -> None:
    """The fingerprint of each member's test task: what CI's pass markers are keyed by."""
    from uvmono import selection
    from uvmono.commands import hash as cmd

    workspace = load_workspace()
    if explain is not None:
        say(cmd.explain(workspace, *explain))
        return
    names = selection.select(
        workspace, all_filters(packages, filter), selection_context(read_ci(workspace))
    )
    say(cmd.render(cmd.compute(workspace, names), format.value))


# ------------------------------------------------------------------------------------- graph


class GraphFormat(StrEnum):
    text = "text"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"
    html = "html"


@app.command(
    epilog=examples(
        "uvmono graph --layers",
        "uvmono graph acme-api --format mermaid",
        "uvmono graph --reverse acme-events   # what depends on it",
        "uvmono graph './services/*'",
    )
)
@handled
def graph(
    packages: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILTER]...",
            help="Show only these members' closure (filters, as --filter).  "
            "[default: every member]",
        ),
    ] = None,
    filter: FilterOption = None,
    format: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="Output format.")
    ] = GraphFormat.text,
    reverse: Annotated[
        bool, typer.Option("--reverse", help="Follow dependents instead of dependencies.")
    ] = False,
    layers: Annotated[
        bool,
        typer.Option(
            "--layers", help="Add the build layers (each member in the earliest) and the cycles."
        ),
    ] = False,
    all_edges: Annotated[
        bool,
        typer.Option(
            "--all-edges",
            help="With members: every declared edge of their closure, not only what uv "
            "installs for them (their environments).",
        ),
    ] = False,
    depth: Annotated[
        int | None,
        typer.Option(
            min=0,
            metavar="N",
            help="With members: only those at most N edges away.  [default: no limit]",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Mark what this change affects (a git ref, or `auto`): text and json name "
            "the changed and affected members, html colours them.  "
            "[default: none: no git, nothing marked]"
        ),
    ] = None,
    open_page: Annotated[
        bool, typer.Option("--open", help="html: write the page to a temporary file, open it.")
    ] = False,
) -> None:
    """The member dependency graph (or the closure of the named members)."""
    from uvmono.commands import graph as cmd

    ws, fmt = load_workspace(), format.value
    filters, context = all_filters(packages, filter), selection_context(read_ci(ws))
    cmd.check_options(fmt, since, open_page)
    if fmt != "html":
        result = None
        if since is not None:
            ws, result = cmd.affected_since(ws, since, info)
        text = cmd.render(
            ws,
            filters,
            fmt,
            reverse,
            layers,
            context,
            all_edges=all_edges,
            depth=depth,
            result=result,
            color=stdout_color(),
        )
        say(text)
        return
    say(cmd.html_command(ws, filters, reverse, since, open_page, info=info, context=context))


# ---------------------------------------------------------------------------------- affected


@app.command(
    epilog=examples(
        "uvmono affected --since main --explain",
        "uvmono affected --since HEAD~1 --until HEAD --format json",
        "uvmono affected --since main -F './services/*'",
    )
)
def affected(
    since: SinceOption = None,
    until: UntilOption = None,
    filter: FilterOption = None,
    direct_only: Annotated[
        bool, typer.Option("--direct-only", help="Only members whose own files changed.")
    ] = False,
    include_dependencies: Annotated[
        bool,
        typer.Option(
            "--include-dependencies", help="Also list the members the affected ones need."
        ),
    ] = False,
    format: Annotated[
        AffectedFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AffectedFormat.names,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print why each member is affected.")
    ] = False,
    on_missing_base: OnMissingOption = OnMissingBase.error,
) -> None:
    """The members a git change affects, and why."""
    bodies.affected(
        since=since,
        until=until,
        filter=filter,
        direct_only=direct_only,
        include_dependencies=include_dependencies,
        format=format.value,
        explain=explain,
        on_missing_base=on_missing_base.value,
    )
