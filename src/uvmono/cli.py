"""The command line. Commands parse options, call the pipeline stages and print; no logic here.

Errors are `UvmonoError`s, printed the way uv prints its own (`error: …` then `hint: …`), exit
code 2 for bad input, 1 for a failed check, 3 for a bug in uvmono; a traceback only with
`--debug`.
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from uvmono import __version__
from uvmono.errors import UvmonoError

app = typer.Typer(
    name="uvmono",
    help="The build planner for uv workspaces: what a change affects, and how to build it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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

INTERNAL_ERROR = 3
BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `git log | head -1`


class _State:
    root: Path | None = None
    debug: bool = False


state = _State()

F = TypeVar("F", bound=Callable[..., Any])


def say(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def info(message: str) -> None:
    sys.stderr.write(f"{message}\n")


def fail(exc: UvmonoError) -> NoReturn:
    # One line, whatever a file name in it holds: scripts read the `error:` line.
    message = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode() for c in exc.message
    )
    sys.stderr.write(f"error: {message}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {exc.hint}\n")
    raise typer.Exit(exc.exit_code)


def handled(fn: F) -> F:
    """Turn uvmono's errors into `error:`/`hint:` lines and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe or a full disk fails here, not at exit
            return result
        except UvmonoError as exc:
            if state.debug:
                raise
            fail(exc)
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`uvmono affected | head -1`): stop quietly with the status of
            # a process killed by SIGPIPE, and keep Python from failing again at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(BROKEN_PIPE) from None
        except OSError as exc:  # the machine's, not uvmono's: a full disk, a permission
            if state.debug:
                raise
            where = f": {exc.filename}" if exc.filename else ""
            fail(
                UvmonoError(
                    f"{exc.strerror or exc}{where}",
                    hint="check the free space and the permissions where uvmono reads and writes",
                )
            )
        except Exception as exc:
            if state.debug:
                raise
            sys.stderr.write(f"error: internal error in uvmono: {type(exc).__name__}: {exc}\n")
            sys.stderr.write("hint: re-run with --debug for the traceback, and report it\n")
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


def show_check(diffs: list[str], what: str, command: str) -> None:
    """Print the diffs of stale files; a stale file fails the check (exit 1)."""
    from uvmono.errors import CheckFailed

    say("".join(diffs))
    if diffs:
        raise CheckFailed(f"{what} is out of date", hint=f"run `{command}`")


def show_writes(write_plan: Any) -> None:
    """Say what a write did: its warnings, then one line per file."""
    for message in write_plan.warnings:
        warn(message)
    for line in write_plan.describe():
        info(line)


def load_workspace() -> Any:
    from uvmono import workspace

    root = state.root if state.root is not None else workspace.find_root(Path.cwd())
    ws = workspace.load(root)
    for message in ws.warnings:
        warn(message)
    return ws


def read_ci(workspace: Any) -> Any:
    """The CI environment, read once here at the edge (`ci_env.read`)."""
    from uvmono import ci_env

    return ci_env.read(workspace.root)


def _version(value: bool) -> None:
    if value:
        say(f"uvmono {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            help="Workspace root (default: found from the current directory, as uv does)."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    if root is not None and not root.is_dir():
        fail(UvmonoError(f"--root {root} is not a directory", hint="pass the workspace root"))
    state.root = root
    state.debug = debug


# ----------------------------------------------------------------------------------- members


class MembersFormat(StrEnum):
    table = "table"
    json = "json"
    names = "names"
    paths = "paths"


@app.command()
@handled
def members(
    format: Annotated[MembersFormat, typer.Option("--format", "-f")] = MembersFormat.table,
) -> None:
    """List the workspace members, found exactly as uv finds them."""
    from uvmono.commands import members as cmd

    say(cmd.render(load_workspace(), format.value))


# ------------------------------------------------------------------------------------- graph


class GraphFormat(StrEnum):
    text = "text"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


@app.command()
@handled
def graph(
    packages: Annotated[
        list[str] | None, typer.Argument(help="Show only these members' closure.")
    ] = None,
    format: Annotated[GraphFormat, typer.Option("--format", "-f")] = GraphFormat.text,
    reverse: Annotated[
        bool, typer.Option(help="Follow dependents instead of dependencies.")
    ] = False,
    layers: Annotated[
        bool, typer.Option("--layers", help="Add the build order and the cycles.")
    ] = False,
) -> None:
    """The member dependency graph (or the closure of the named members)."""
    from uvmono.commands import graph as cmd

    say(cmd.render(load_workspace(), packages or [], format.value, reverse, layers))


# ---------------------------------------------------------------------------------- affected

ForceOption = Annotated[
    bool, typer.Option(help="Overwrite files edited by hand or not generated by uvmono.")
]
CheckOption = Annotated[bool, typer.Option(help="Exit 1 with a diff if a file is stale.")]

SinceOption = Annotated[
    str | None,
    typer.Option(
        help="Base: a git ref (compared at its merge-base with the head), or `auto` in CI."
    ),
]
UntilOption = Annotated[str | None, typer.Option(help="Head commit (default: the working tree).")]


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


@app.command()
@handled
def affected(
    since: SinceOption = None,
    until: UntilOption = None,
    direct_only: Annotated[
        bool, typer.Option(help="Only members whose own files changed.")
    ] = False,
    include_dependencies: Annotated[
        bool, typer.Option(help="Also list the members the affected ones need.")
    ] = False,
    format: Annotated[AffectedFormat, typer.Option("--format", "-f")] = AffectedFormat.names,
    explain: Annotated[bool, typer.Option(help="Print why each member is affected.")] = False,
    on_missing_base: OnMissingOption = OnMissingBase.error,
) -> None:
    """The members a git change affects, and why."""
    from uvmono.commands import affected as cmd

    workspace = load_workspace()
    result = cmd.compute(workspace, since, until, on_missing_base.value, info, read_ci(workspace))
    say(
        cmd.render(
            result,
            format.value,
            explain=explain,
            direct_only=direct_only,
            include_dependencies=include_dependencies,
        )
    )


# ------------------------------------------------------------------- init, generate, check


@app.command("init")
@handled
def init_config() -> None:
    """Add a commented [tool.uvmono] table to the root pyproject.toml."""
    from uvmono import workspace
    from uvmono.commands import init as cmd

    root = state.root if state.root is not None else workspace.find_root(Path.cwd())
    kinds = ", ".join(f'"{kind}"' for kind in cmd.init(root))
    info(f"added [tool.uvmono] to {root / workspace.PYPROJECT} with generate = [{kinds}]")
    info("next: review it, then run `uvmono generate`")


@app.command("generate")
@handled
def generate_all(
    force: ForceOption = False,
    dry_run: Annotated[bool, typer.Option(help="Only list what would be written.")] = False,
) -> None:
    """Write every artifact [tool.uvmono] generate asks for, in one all-or-nothing pass."""
    from uvmono.commands import generate as cmd

    workspace = load_workspace()
    write_plan = cmd.run(workspace, force=force, dry_run=dry_run, ci=read_ci(workspace))
    for message in write_plan.warnings:
        warn(message)
    say(cmd.report(write_plan, dry_run=dry_run))


@app.command("check")
@handled
def check_all() -> None:
    """Exit 1 with a diff for each generated artifact that is stale or missing."""
    from uvmono.commands import generate as cmd
    from uvmono.errors import CheckFailed

    workspace = load_workspace()
    diffs = cmd.stale(workspace, read_ci(workspace))
    say("".join(diffs))
    if diffs:
        raise CheckFailed(
            f"{len(diffs)} generated file(s) out of date", hint="run `uvmono generate`"
        )


@app.command("schema")
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


@app.command()
@handled
def matrix(
    since: SinceOption = None,
    until: UntilOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f")] = MatrixFormat.github,
    github_output: Annotated[
        bool,
        typer.Option(help="Also write the outputs to $GITHUB_OUTPUT and a summary to "
                     "$GITHUB_STEP_SUMMARY."),
    ] = False,
) -> None:
    """The affected members as a CI matrix."""
    from uvmono.commands import matrix as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    planned = cmd.compute(workspace, since, until, on_missing_base.value, info, ci)
    if github_output:
        cmd.write_github_output(planned, ci.variables)
    say(cmd.render(planned, format.value))


@ci_app.command("github")
@handled
def ci_github(
    stdout: Annotated[bool, typer.Option(help="Print the workflow instead of writing it.")] = False,
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


@ci_app.command("gitlab")
@handled
def ci_gitlab(
    child: Annotated[
        bool,
        typer.Option(help="Print the child pipeline for the affected members (the plan job "
                     "runs this) instead of writing the parent pipeline."),
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    on_missing_base: OnMissingOption = OnMissingBase.error,
    stdout: Annotated[bool, typer.Option(help="Print the parent instead of writing it.")] = False,
    force: ForceOption = False,
    check: CheckOption = False,
) -> None:
    """Write the GitLab parent pipeline (tool.uvmono.ci.gitlab-file), or print the child."""
    from uvmono.commands import ci_gitlab as cmd

    workspace = load_workspace()
    ci = read_ci(workspace)
    if child:
        say(cmd.child(workspace, since, until, on_missing_base.value, info, ci))
        return
    if since is not None or until is not None:
        raise UvmonoError("--since and --until go with --child", hint="add --child")
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
    typer.Argument(help="Members to handle (default: every member that gets an image)."),
]
AffectedOption = Annotated[
    bool, typer.Option("--affected", help="Only the members a git change affects (see --since).")
]
DockerSinceOption = Annotated[
    str | None,
    typer.Option(help="With --affected: the base ref (compared at its merge-base), or `auto`."),
]


def _docker_selection(packages: list[str] | None, affected: bool, since: str | None) -> Any:
    from uvmono.commands import docker as cmd

    workspace = load_workspace()
    names = cmd.select(
        workspace, packages or [], affected=affected, since=since, info=info, ci=read_ci(workspace)
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


@docker_app.command("generate")
@handled
def docker_generate(
    packages: PackagesArgument = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[bool, typer.Option(help="Print the files instead of writing them.")] = False,
    force: ForceOption = False,
    dry_run: Annotated[bool, typer.Option(help="Only list what would be written.")] = False,
) -> None:
    """Write <member>/Dockerfile and <member>/Dockerfile.dockerignore for each image."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(packages, affected, since)
    for message in cmd.warnings(workspace):
        warn(message)
    found = cmd.artifacts(workspace, names)
    _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


@docker_app.command("commands")
@handled
def docker_commands(
    packages: PackagesArgument = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Image tag; repeatable (default: latest).")
    ] = None,
    revision: Annotated[
        str | None,
        typer.Option(help="The REVISION label (default: the REVISION environment variable)."),
    ] = None,
) -> None:
    """Print the `docker build` command of each image, in dependency order."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(packages, affected, since)
    say(cmd.commands(workspace, names, cwd=Path.cwd(), tags=tag or [], revision=revision))


@docker_app.command("bake")
@handled
def docker_bake(
    packages: PackagesArgument = None,
    affected: AffectedOption = False,
    since: DockerSinceOption = None,
    stdout: Annotated[
        bool,
        typer.Option(help="Print the file instead of writing it (use it with PACKAGE or "
                     "--affected: the committed file lists every image)."),
    ] = False,
    force: ForceOption = False,
    dry_run: Annotated[bool, typer.Option(help="Only list what would be written.")] = False,
) -> None:
    """Write docker-bake.json: a target per image and a `default` group."""
    from uvmono.commands import docker as cmd

    workspace, names = _docker_selection(packages, affected, since)
    found = cmd.bake(workspace, names, affected=affected)
    if found:
        _docker_write(workspace, found, stdout=stdout, force=force, dry_run=dry_run)


def main() -> None:
    # A file name that is not UTF-8 arrives as surrogate escapes: print its own bytes rather
    # than fail on a strict stream (or escape it, where the stream is not UTF-8).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
    app()
