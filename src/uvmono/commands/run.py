"""`uvmono run`: a task, or a command, over the selected members, each in its own environment.

The plan: one job per selected member that has the task. A job syncs the member's environment
(`uv sync --frozen --package M` and the flags of `environment_flags`, into a virtual
environment of its own under uvmono's cache directory, so parallel members never fight over
one `.venv`), then runs the command through `uv run --frozen --no-sync --package M` in the
member's directory. With a dependent task a job also waits for the selected members it needs.
`runner.py` executes the plan; `progress.py` shows it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from uvmono import ci_env, graph, pipeline, runner, selection, test_environment
from uvmono.errors import UvmonoError
from uvmono.plan import build_order, test_command
from uvmono.progress import PlainOutput, TerminalOutput, duration, is_terminal
from uvmono.records import record
from uvmono.render.text import printable, table
from uvmono.runner import Job, Output, Report, Result, Step
from uvmono.workspace import LOCKFILE, Workspace, lock_of

SHELL = "bash"  # task strings run as `bash -c TASK`, as the generated CI runs test-command


@record
class Work:
    """What runs in each member: a task from [tool.uvmono.tasks], or the command after `--`."""

    label: str  # the task's name, or the command line
    short: str  # what the status line and a failure call it: the task's name, or the program
    dependent: bool  # members wait for the members they need
    commands: Mapping[str, tuple[str, ...]]  # member -> argv, for the members that have it


# ------------------------------------------------------------------------------- selection


def select(
    workspace: Workspace,
    packages: Sequence[str],
    since: str | None,
    info: Callable[[str], None],
) -> list[str]:
    """The members to run in: those the filters select (`selection.py`, the grammar every
    command takes; default: every member), and with `since` only those a change since that
    ref affects, as `uvmono affected --since` computes them."""
    context = selection.Context(Path.cwd(), ci_env.read(workspace.root).variables)
    chosen = selection.select(workspace, packages, context)
    names = list(workspace.members) if chosen is None else chosen
    if since is None:
        return names
    _, result = pipeline.affected(workspace, pipeline.RunOptions(since=since, info=info))
    affected = set(result.affected)
    return [n for n in names if n in affected]


# ----------------------------------------------------------------------------------- tasks


def command_task(workspace: Workspace, argv: Sequence[str]) -> Work:
    """`uvmono run -- CMD ARGS`: the same argv in every member, not dependent."""
    if not argv:
        raise UvmonoError("no command after `--`", hint="write `uvmono run -- CMD [ARGS...]`")
    commands = {name: tuple(argv) for name in workspace.members}
    return Work(shlex.join(argv), Path(argv[0]).name, False, commands)


def named_task(workspace: Workspace, name: str) -> Work:
    """The task `name` from [tool.uvmono.tasks] (root and members); `test` defaults to each
    member's `test-command`, what the generated CI runs."""
    root = workspace.settings.task(name)
    commands: dict[str, tuple[str, ...]] = {}
    for member in workspace.members.values():
        own = member.settings.task(name)
        if own is not None:
            run = own.run
        elif root is not None:
            run = root.run
        else:
            run = test_command(member) if name == "test" else None
        if run is not None:
            commands[member.name] = (SHELL, "-c", run)
    if not commands:
        defined = sorted(
            {"test"}
            | {t.name for t in workspace.settings.tasks}
            | {t.name for m in workspace.members.values() for t in m.settings.tasks}
        )
        raise UvmonoError(
            f"no task `{name}` in [tool.uvmono.tasks] of {workspace.root / 'pyproject.toml'} "
            "or of any member",
            hint=f"tasks: {', '.join(defined)}; to run a command, put it after `--`: "
            f"`uvmono run -- {name} ...`",
        )
    return Work(name, name, root is not None and root.dependent, commands)


# ----------------------------------------------------------------------------- environment


def environment_flags(workspace: Workspace, member: str) -> tuple[str, ...]:
    """What `uv sync --package member` installs besides the member: exactly what its CI test
    job installs (`test_environment.py`: its extras and groups, the root groups it inherits).
    Where conflicting extras or groups split the CI job in several, the first side is used."""
    first = test_environment.environments(
        workspace, workspace.members[member], lock_of(workspace)
    )[0]
    args = list(first.sync_args())
    del args[:2]  # `--package member`: the sync step names it already
    return tuple(args)


def environment_dir(workspace: Workspace, member: str) -> Path:
    """The member's own virtual environment, outside the repository (where it would count as
    an untracked change): $XDG_CACHE_HOME/uvmono/environments/<root>-<hash>/<member>."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", ""))
    base = cache if cache.is_absolute() else Path.home() / ".cache"
    digest = hashlib.sha256(str(workspace.root).encode()).hexdigest()[:12]
    return base / "uvmono" / "environments" / f"{workspace.root.name}-{digest}" / member


# ------------------------------------------------------------------------------------ plan


def jobs(workspace: Workspace, names: Sequence[str], task: Work) -> list[Job]:
    """One job per selected member that has the task, dependencies first."""
    chosen = [n for n in build_order(workspace, names) if n in task.commands]
    needs = _needs(workspace, chosen) if task.dependent else {}
    out = []
    for name in chosen:
        member = workspace.members[name]
        sync = ("uv", "sync", "--frozen", "--quiet", "--package", name)
        run = ("uv", "run", "--frozen", "--no-sync", "--package", name, "--")
        out.append(
            Job(
                name=name,
                steps=(
                    Step("uv sync", (*sync, *environment_flags(workspace, name)), workspace.root),
                    Step(task.short, (*run, *task.commands[name]), workspace.root / member.path),
                ),
                needs=tuple(needs.get(name, ())),
                env={
                    "UVMONO_MEMBER": name,
                    "UV_PROJECT_ENVIRONMENT": str(environment_dir(workspace, name)),
                    "VIRTUAL_ENV": None,  # another project's activated venv: uv would warn
                },
            )
        )
    return out


def _needs(workspace: Workspace, chosen: Sequence[str]) -> dict[str, list[str]]:
    """For each chosen member, the nearest chosen members it depends on (through members that
    are not chosen too). Members of one dependency cycle do not wait for each other."""
    import networkx as nx

    condensed = nx.condensation(graph.build(workspace))
    component = condensed.graph["mapping"]
    wanted = set(chosen)
    out: dict[str, list[str]] = {}
    for name in chosen:
        found: set[str] = set()
        seen = {component[name]}
        stack = list(condensed.successors(component[name]))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            hits = wanted & set(condensed.nodes[node]["members"])
            if hits:
                found |= hits
            else:
                stack.extend(condensed.successors(node))
        out[name] = sorted(found)
    return out


def check_ready(workspace: Workspace) -> None:
    """What every member's `uv sync --frozen` needs, checked once rather than failing N times."""
    if shutil.which("uv") is None:
        raise UvmonoError(
            "`uv` is not on PATH: `uvmono run` syncs and runs each member with it",
            hint="install uv (https://docs.astral.sh/uv/) or add it to PATH",
        )
    if not (workspace.root / LOCKFILE).is_file():
        raise UvmonoError(
            f"no {LOCKFILE} in {workspace.root}: `uvmono run` syncs each member's environment "
            "from it (`uv sync --frozen`)",
            hint="run `uv lock`",
        )


# -------------------------------------------------------------------------------- showing


def describe_plan(workspace: Workspace, task: Work, planned: Sequence[Job], parallel: int) -> str:
    """`--dry-run`: the order, each member's environment and commands."""
    if not planned:
        return "nothing to run: no selected member has this task\n"
    order = "in dependency order" if task.dependent else "in any order"
    lines = [
        f"task `{printable(task.label)}` in {len(planned)} member(s), {order}, "
        f"up to {parallel} at a time"
    ]
    for i, job in enumerate(planned, 1):
        member = workspace.members[job.name]
        lines.append(f"{i}. {job.name} ({printable(member.path)})")
        lines.append(f"   after:       {', '.join(job.needs) or '-'}")
        lines.append(f"   environment: {printable(str(job.env['UV_PROJECT_ENVIRONMENT']))}")
        for step in job.steps:
            label = "sync:" if step is job.steps[0] else "run:"
            where = os.path.relpath(step.cwd, workspace.root)
            lines.append(f"   {label:<12} (in {where}) {printable(shlex.join(step.argv))}")
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """The table at the end: member, result, duration, detail; then the counts."""
    rows = [("MEMBER", "RESULT", "DURATION", "DETAIL")]
    for o in report.outcomes:
        took = duration(o.seconds) if o.seconds is not None else "-"
        rows.append((o.name, o.result.value, took, o.detail or "-"))
    results = [o.result for o in report.outcomes]
    total = ", ".join(f"{results.count(r)} {r.value}" for r in Result if r in results)
    return f"{table(rows)}{total} in {duration(report.seconds)}\n"


# ------------------------------------------------------------------------------------- run


def main(
    workspace: Workspace,
    arguments: Sequence[str],
    command: Sequence[str] | None,
    *,
    since: str | None,
    parallel: int | None,
    keep_going: bool,
    dry_run: bool,
    stream: bool,
    info: Callable[[str], None],
) -> int:
    """`uvmono run TASK [PACKAGE...]` or `uvmono run [PACKAGE...] -- CMD`: the exit code."""
    if command is not None:
        task, packages = command_task(workspace, command), list(arguments)
    elif arguments:
        task, packages = named_task(workspace, arguments[0]), list(arguments[1:])
    else:
        raise UvmonoError(
            "name a task or a command to run",
            hint="`uvmono run test` runs [tool.uvmono.tasks] test; `uvmono run -- CMD ARGS` "
            "runs a command in every member",
        )
    names = select(workspace, packages, since, info)
    without = [n for n in names if n not in task.commands]
    if without:
        info(f"uvmono: no task `{task.label}` in {', '.join(without)}")
    planned = jobs(workspace, names, task)
    parallel = parallel or os.cpu_count() or 1
    if dry_run:
        sys.stdout.write(describe_plan(workspace, task, planned, parallel))
        return 0
    if not planned:
        info("uvmono: nothing to run")
        return 0
    check_ready(workspace)
    sys.stdout.flush()
    out = sys.stdout.buffer
    output: Output
    if is_terminal(out, os.environ):
        output = TerminalOutput(out, stream=stream, encoding=sys.stdout.encoding)
    else:
        output = PlainOutput(out, stream=stream)
    report = runner.execute(planned, parallel=parallel, keep_going=keep_going, output=output)
    sys.stdout.write("\n" + summary(report))
    return report.exit_code
