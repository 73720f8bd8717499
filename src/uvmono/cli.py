"""The command line. Commands parse options, call the pipeline stages and print; no logic here.

Errors are `UvmonoError`s, printed the way uv prints its own (`error: …` then `hint: …`), exit
code 2 for bad input, 1 for a failed check, 3 for a bug in uvmono; a traceback only with
`--debug`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from uvmono import __version__
from uvmono.console import (
    BROKEN_PIPE,
    discard_stdout,
    fail,
    handled,
    info,
    load_workspace,
    print_error,
    read_ci,
    say,
    show_check,
    show_writes,
    state,
    wants_color,
    warn,
)
from uvmono.errors import UvmonoError

COMPLETE_VAR = "_UVMONO_COMPLETE"  # what the completion scripts set to ask for candidates
CONTEXT = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="uvmono",
    help="The build planner for uv workspaces: what a change affects, and how to build it.",
    epilog="Run `uvmono COMMAND -h` for a command's options and examples.",
    no_args_is_help=True,
    add_completion=False,  # `uvmono completion SHELL` instead: no extra options on every command
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=CONTEXT,
)
docker_app = typer.Typer(
    help="Per-member Dockerfiles, build commands and a bake file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
ci_app = typer.Typer(
    help="Generated CI: a GitHub Actions workflow or a GitLab pipeline.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(docker_app, name="docker")
app.add_typer(ci_app, name="ci")

USAGE_ERROR = 2


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def examples(*lines: str) -> str:
    """A command's epilog: its examples, kept as written (`\b` stops click re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _version(value: bool) -> None:
    if value:
        say(f"uvmono {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            help="Workspace root.  [default: the workspace of the current directory, found "
            "as uv finds it]"
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            help="Colour the error:, warning: and hint: prefixes. `auto`: on a terminal, "
            "unless NO_COLOR is set or FORCE_COLOR is."
        ),
    ] = Color.auto,
    quiet: Annotated[
        int,
        typer.Option(
            "--quiet",
            "-q",
            count=True,
            show_default=False,
            help="Hide status lines; -qq hides warnings too.",
        ),
    ] = 0,
    verbose_: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            show_default=False,
            help="Also say which workspace it read and how long the command took.",
        ),
    ] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    state.color = wants_color(color.value)
    state.verbosity = verbose_ - quiet
    if root is not None and not root.is_dir():
        fail(UvmonoError(f"--root {root} is not a directory", hint="pass the workspace root"))
    state.root = root
    state.debug = debug


# ------------------------------------------------------------------------------ selection

FilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        "-F",
        show_default=False,
        help="Only the members the filter selects: NAME, 'acme-*', './services/*', NAME... "
        "(with its dependencies), ...NAME (with its dependents), '[REF]' (affected since REF), "
        "'!FILTER' leaves out. Repeatable: the union, minus the `!` ones.",
    ),
]


def terminal_width() -> int | None:
    """What a table must fit: $COLUMNS, else the terminal's width; None (no limit) when the
    output goes to a file or a pipe."""
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _filters(*groups: list[str] | None) -> list[str]:
    return [f for group in groups for f in group or []]


def _context(ci: Any, until: str | None = None) -> Any:
    from uvmono.selection import Context

    return Context(Path.cwd(), ci.variables, until)


# ----------------------------------------------------------------------------------- members


class MembersFormat(StrEnum):
    table = "table"
    json = "json"
    names = "names"
    paths = "paths"


@app.command(
    epilog=examples(
        "uvmono members",
        "uvmono members --format json | jq -r '.members[].path'",
        "uvmono members -F '...acme-core' --format names   # try a filter",
    )
)
@handled
def members(
    format: Annotated[
        MembersFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MembersFormat.table,
    filter: FilterOption = None,
) -> None:
    """List the workspace members, found exactly as uv finds them."""
    from uvmono import selection
    from uvmono.commands import members as cmd

    workspace = load_workspace()
    names = selection.select(workspace, filter or [], _context(read_ci(workspace)))
    say(cmd.render(workspace, format.value, names, terminal_width()))


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
            min=0, help="With members: only those at most N edges away.  [default: no limit]"
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="html: colour what this change affects (a git ref, or `auto`).  "
            "[default: none: no git, nothing coloured]"
        ),
    ] = None,
    open_page: Annotated[
        bool, typer.Option("--open", help="html: write the page to a temporary file, open it.")
    ] = False,
) -> None:
    """The member dependency graph (or the closure of the named members)."""
    from uvmono.commands import graph as cmd

    ws, fmt = load_workspace(), format.value
    filters, context = _filters(packages, filter), _context(read_ci(ws))
    if since is not None or open_page:
        cmd.check_html_options(fmt, since)
    if fmt != "html":
        say(
            cmd.render(
                ws, filters, fmt, reverse, layers, context, all_edges=all_edges, depth=depth
            )
        )
        return
    say(cmd.html_command(ws, filters, reverse, since, open_page, info=info, context=context))


# ---------------------------------------------------------------------------------- affected

ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Overwrite files edited by hand or not generated by uvmono."),
]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Exit 1 with a diff if a file is stale.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Only list what would be written.")
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        help="Base: a git ref (compared at its merge-base with the head), or `auto`: the CI "
        "event's base, else origin/HEAD, main or master.  [default: auto]"
    ),
]
UntilOption = Annotated[
    str | None, typer.Option(help="Head commit.  [default: the working tree]")
]


class OnMissingBase(StrEnum):
    error = "error"
    all = "all"


OnMissingOption = Annotated[
    OnMissingBase,
    typer.Option(
        help="When the base commit cannot be found: fail, or treat everything as affected."
    ),
]


class AffectedFormat(StrEnum):
    names = "names"
    paths = "paths"
    json = "json"
    table = "table"


@app.command(
    epilog=examples(
        "uvmono affected --since main --explain",
        "uvmono affected --since HEAD~1 --until HEAD --format json",
        "uvmono affected --since main -F './services/*'",
    )
)
@handled
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
    from uvmono.commands import affected as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    result = cmd.compute(
        workspace, since, until, on_missing_base.value, info, ci, filter or [], Path.cwd()
    )
    say(
        cmd.render(
            result,
            format.value,
            explain=explain,
            direct_only=direct_only,
            include_dependencies=include_dependencies,
            width=terminal_width(),
        )
    )


# ------------------------------------------------------------------- init, generate, check


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
    say(cmd.report(write_plan, dry_run=dry_run))


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
    diffs, unlisted = cmd.check(workspace, ci)
    say("".join(diffs))
    problems = [f"{len(diffs)} generated file(s) out of date"] if diffs else []
    fixes = [cmd.fix_hint(workspace, ci)] if diffs else []
    if unlisted:
        problems.append(f"{len(unlisted)} generated file(s) that nothing asks for")
        fixes += unlisted
    if problems:
        raise CheckFailed("; ".join(problems), hint="\n      ".join(fixes))


@app.command(
    "schema",
    epilog=examples("uvmono schema > uvmono.schema.json   # for taplo or an editor's TOML plugin"),
)
@handled
def schema() -> None:
    """Print the JSON Schema of [tool.uvmono], for editor completion (taplo, schemastore)."""
    from uvmono import config_schema

    say(config_schema.schema_text())


# ------------------------------------------------------------------------ matrix, ci github


class MatrixFormat(StrEnum):
    github = "github"
    gitlab = "gitlab"
    json = "json"


@app.command(
    epilog=examples(
        "uvmono matrix --since main --format json",
        "uvmono matrix --github-output        # in a GitHub Actions step",
    )
)
@handled
def matrix(
    since: SinceOption = None,
    until: UntilOption = None,
    filter: FilterOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    format: Annotated[
        MatrixFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MatrixFormat.github,
    github_output: Annotated[
        bool,
        typer.Option(
            "--github-output",
            help="Also write the outputs to $GITHUB_OUTPUT and a summary to "
            "$GITHUB_STEP_SUMMARY.",
        ),
    ] = False,
) -> None:
    """The affected members as a CI matrix."""
    from uvmono import images
    from uvmono.commands import matrix as cmd

    workspace = load_workspace()
    for message in images.warnings(workspace):
        warn(message)
    ci = read_ci(workspace)
    planned = cmd.compute(
        workspace, since, until, on_missing_base.value, info, ci, filter or [], Path.cwd()
    )
    if github_output:
        cmd.write_github_output(planned, ci.variables)
    say(cmd.render(planned, format.value))


@ci_app.command(
    "github", epilog=examples("uvmono ci github", "uvmono ci github --check")
)
@handled
def ci_github(
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the workflow instead of writing it.")
    ] = False,
    force: ForceOption = False,
    check: CheckOption = False,
) -> None:
    """Write the GitHub Actions workflow (tool.uvmono.ci.github-workflow)."""
    from uvmono.commands import ci_github as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    for message in cmd.warnings(workspace, ci):
        warn(message)
    if stdout:
        say(cmd.text(workspace, ci))
    elif check:
        show_check(cmd.check(workspace, ci), "the GitHub workflow", "uvmono ci github")
    else:
        show_writes(cmd.write(workspace, force=force, ci=ci))


@ci_app.command(
    "gitlab",
    epilog=examples("uvmono ci gitlab", "uvmono ci gitlab --child --since auto > child.yml"),
)
@handled
def ci_gitlab(
    child: Annotated[
        bool,
        typer.Option(
            "--child",
            help="Print the child pipeline for the affected members (the plan job runs this) "
            "instead of writing the parent pipeline.",
        ),
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            "-F",
            show_default=False,
            help="With --child: only the affected members the filter selects (as in "
            "`uvmono affected --filter`); repeatable.",
        ),
    ] = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the parent instead of writing it.")
    ] = False,
    force: ForceOption = False,
    check: CheckOption = False,
) -> None:
    """Write the GitLab parent pipeline (tool.uvmono.ci.gitlab-file), or print the child."""
    from uvmono.commands import ci_gitlab as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    if child:
        pipeline_text = cmd.child(
            workspace, since, until, on_missing_base.value, info, ci, filter or [], Path.cwd()
        )
        say(pipeline_text)
        return
    if since is not None or until is not None or filter:
        raise UvmonoError("--since, --until and --filter go with --child", hint="add --child")
    for message in cmd.warnings(workspace):
        warn(message)
    if stdout:
        say(cmd.text(workspace, ci))
    elif check:
        show_check(cmd.check(workspace, ci), "the GitLab pipeline", "uvmono ci gitlab")
    else:
        show_writes(cmd.write(workspace, force=force, ci=ci))


# -------------------------------------------------------------------------------- docker

PackagesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[FILTER]...",
        help="Members to handle (filters, as --filter; of those selected, the ones that get "
        "an image).  [default: every member that gets an image]",
    ),
]
AffectedOption = Annotated[
    bool, typer.Option("--affected", help="Only the members a git change affects (see --since).")
]
DockerSinceOption = Annotated[
    str | None,
    typer.Option(
        help="With --affected: the base ref (compared at its merge-base), or `auto`.  "
        "[default: auto]"
    ),
]


def _docker_selection(
    filters: list[str], affected: bool, since: str | None
) -> Any:
    from uvmono.commands import docker as cmd

    workspace = load_workspace()
    for message in cmd.warnings(workspace):
        warn(message)
    names = cmd.select(
        workspace,
        filters,
        affected=affected,
        since=since,
        info=info,
        ci=read_ci(workspace),
        cwd=Path.cwd(),
    )
    return workspace, names


def _docker_write(
    workspace: Any, found: Any, *, stdout: bool, force: bool, dry_run: bool
) -> None:
    from uvmono.commands import docker as cmd
    from uvmono.commands import generate as generate_cmd

    if stdout:
        say(cmd.text(found))
        return
    write_plan = cmd.write(workspace, found, force=force, dry_run=dry_run)
    for message in write_plan.warnings:
        warn(message)
    say(generate_cmd.report(write_plan, dry_run=dry_run))


@docker_app.command(
    "generate",
    epilog=examples("uvmono docker generate", "uvmono docker generate acme-api --stdout"),
)
@handled
def docker_generate(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the files instead of writing them.")
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write <member>/Dockerfile and <member>/Dockerfile.dockerignore for each image."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(_filters(packages, filter), affected, since)
    found = cmd.artifacts(workspace, names)
    _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


@docker_app.command(
    "commands",
    epilog=examples(
        "uvmono docker commands --affected --since main",
        'uvmono docker commands --tag "$(git rev-parse --short HEAD)" acme-api',
    ),
)
@handled
def docker_commands(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Image tag; repeatable.  [default: latest]")
    ] = None,
    revision: Annotated[
        str | None,
        typer.Option(help="The REVISION label.  [default: $REVISION, else the commit checked out]"),
    ] = None,
) -> None:
    """Print the `docker build` command of each image, in dependency order."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(_filters(packages, filter), affected, since)
    if not names:  # `select` said why; no revision to look for
        return
    label = cmd.revision_of(workspace, revision, os.environ)
    say(cmd.commands(workspace, names, cwd=Path.cwd(), tags=tag or [], revision=label))


@docker_app.command(
    "bake",
    epilog=examples(
        "uvmono docker bake && docker buildx bake",
        "uvmono docker bake --affected --since main --stdout > bake.json",
    ),
)
@handled
def docker_bake(
    packages: PackagesArgument = None,
    filter: FilterOption = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[
        bool,
        typer.Option(
            "--stdout",
            help="Print the file instead of writing it (use it with PACKAGE or --affected: "
            "the committed file lists every image).",
        ),
    ] = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write docker-bake.json: a target per image and a `default` group."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(_filters(packages, filter), affected, since)
    found = cmd.bake(workspace, names)
    if found:
        _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


# ---------------------------------------------------------------------------- completion


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


@app.command(
    epilog=examples(
        """echo 'eval "$(uvmono completion bash)"' >> ~/.bashrc""",
        'uvmono completion zsh > "${fpath[1]}/_uvmono"',
        "uvmono completion fish > ~/.config/fish/completions/uvmono.fish",
    )
)
@handled
def completion(shell: Annotated[Shell, typer.Argument(help="The shell.")]) -> None:
    """Print the script that completes uvmono's commands and options in SHELL."""
    from typer._completion_shared import get_completion_script

    say(get_completion_script(prog_name="uvmono", complete_var=COMPLETE_VAR, shell=shell.value))


# --------------------------------------------------------------------------------------- run


class _CommandAfterDashes(typer.core.TyperCommand):
    """Keeps what follows `--` (the command to run) apart from the TASK and PACKAGE arguments."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["uvmono.command"] = args[at + 1 :]
            args = args[:at]
        return super().parse_args(ctx, args)


@app.command(
    "run",
    cls=_CommandAfterDashes,
    epilog=examples(
        "uvmono run test                       # [tool.uvmono.tasks] test in every member",
        "uvmono run test --since main -j 4     # only what the change affects",
        "uvmono run --dry-run lint acme-api    # print the plan, run nothing",
        "uvmono run acme-core -- python -c 'import acme_core'",
    ),
)
@handled
def run_task(
    ctx: typer.Context,
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TASK] [PACKAGE]... [-- CMD [ARGS]...]",
            help="A task from [tool.uvmono.tasks] and the members to run it in (default: all); "
            "or, with a command after `--`, only the members.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only the members a change since this ref affects (or `auto`).  "
            "[default: none: every selected member]"
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Members at a time (default: the CPU count)."),
    ] = None,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", help="After a failure, go on with the members that do not need it."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan: order, environments, commands.")
    ] = False,
    stream: Annotated[
        bool,
        typer.Option("--stream", help="Show output as it comes, each line prefixed with [member]."),
    ] = False,
) -> None:
    """Run a task or a command in each selected member, in its own environment."""
    from uvmono.commands import run as cmd

    raise typer.Exit(
        cmd.main(
            load_workspace(),
            arguments or [],
            ctx.meta.get("uvmono.command"),
            since=since,
            parallel=jobs,
            keep_going=keep_going,
            dry_run=dry_run,
            stream=stream,
            info=info,
        )
    )


def main() -> None:
    # A file name that is not UTF-8 arrives as surrogate escapes: print its own bytes rather
    # than fail on a strict stream (or escape it, where the stream is not UTF-8).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
    if COMPLETE_VAR in os.environ:
        from typer._completion_classes import completion_init

        completion_init()  # the scripts of `uvmono completion` speak typer's protocol
    sys.exit(_exit_code_after_flush(_run()))


def _run() -> int:
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    try:
        code = app(standalone_mode=False, prog_name="uvmono")
    except NoArgsIsHelpError as exc:
        exc.show()
        return USAGE_ERROR
    except UsageError as exc:
        if state.color is None:  # the options were not read: find --color in them
            state.color = wants_color(_color_argument(sys.argv[1:]))
        print_error(*usage_error(exc.format_message(), exc.ctx))
        return USAGE_ERROR
    except typer.Abort:
        return 1
    except BrokenPipeError:
        discard_stdout()
        return BROKEN_PIPE
    except OSError as exc:  # writing the help to a full disk
        discard_stdout()
        print_error(f"{exc.strerror or exc}: standard output", None)
        return USAGE_ERROR
    return code if isinstance(code, int) else 0


def usage_error(message: str, ctx: Any) -> tuple[str, str]:
    """Click's `No such option: -x (Possible options: …)` as uvmono's `error:` and `hint:`."""
    help_command = f"{ctx.command_path if ctx else _command_path(sys.argv[1:])} --help"
    message = " ".join(message.split())  # click lists choices on lines of their own
    suggestion = re.search(r"\s*(?:Did you mean (.+?)\?|\(Possible options: (.+)\))$", message)
    hint = f"see `{help_command}`"
    if suggestion:
        message = message[: suggestion.start()]
        hint = f"did you mean {suggestion.group(1) or suggestion.group(2)}? ({hint})"
    message = message.rstrip(".")
    return message[:1].lower() + message[1:], hint


def _color_argument(args: list[str]) -> str | None:
    for arg, value in zip(args, [*args[1:], None], strict=True):
        if arg == "--":
            break
        if arg.startswith("--color="):
            return arg.removeprefix("--color=")
        if arg == "--color":
            return value
    return None


def _command_path(args: list[str]) -> str:
    """`uvmono docker bake`: the commands named in `args` (for an error click gives no context)."""
    command: Any = typer.main.get_command(app)
    path = ["uvmono"]
    for arg in args:
        sub = getattr(command, "commands", {}).get(arg)
        if sub is not None:
            path.append(arg)
            command = sub
        elif not arg.startswith("-"):
            break
    return " ".join(path)


def _exit_code_after_flush(code: int) -> int:
    """Flush stdout before Python does it at exit, where a failure would replace the code."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
        return code or BROKEN_PIPE
    except OSError as exc:
        discard_stdout()
        print_error(
            f"{exc.strerror or exc}: standard output",
            "check the free space where the output goes",
        )
        return code or USAGE_ERROR
    return code
