"""The stages chained for one CI run: git → ChangeSet → Affected → Plan.

`uvmono affected`, `uvmono matrix`, `uvmono ci gitlab --child` and `docker … --affected` start
here; each then renders the part it prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from uvmono import affected as affected_stage
from uvmono import ci_env, plan, selection
from uvmono.affected import Affected
from uvmono.ci_env import CiEnvironment
from uvmono.workspace import Workspace, lock_of


def affected(
    workspace: Workspace,
    since: str | None,
    until: str | None,
    on_missing_base: str,
    info: Callable[[str], None],
    ci: CiEnvironment | None = None,
    filters: Sequence[str] = (),
    cwd: Path | None = None,
) -> tuple[Workspace, Affected]:
    """The affected members, with the workspace as it is at the head (`--until`); with
    `filters` (`selection.py`, paths relative to `cwd`), only those they select."""
    ci = ci or ci_env.read(workspace.root)
    workspace, result = affected_stage.resolve(
        workspace, since, until, on_missing_base=on_missing_base, environ=ci.variables
    )
    context = selection.Context(cwd or workspace.root, ci.variables, until)
    chosen = selection.select(workspace, filters, context)
    if chosen is not None:
        result = selection.only(result, chosen)
    head = result.head[:12] if result.head else "the working tree"
    base = result.base[:12] if result.base else "-"
    info(f"uvmono: comparing {head} with base {base} ({result.base_source})")
    return workspace, result


@dataclass(frozen=True)
class Planned:
    workspace: Workspace
    affected: Affected
    plan: plan.Plan


def planned(
    workspace: Workspace,
    since: str | None,
    until: str | None,
    on_missing_base: str,
    info: Callable[[str], None],
    ci: CiEnvironment | None = None,
    filters: Sequence[str] = (),
    cwd: Path | None = None,
) -> Planned:
    """The plan of the run for the members affected between `since` and `until` (and
    selected by `filters`)."""
    ci = ci or ci_env.read(workspace.root)
    workspace, result = affected(workspace, since, until, on_missing_base, info, ci, filters, cwd)
    run_plan = plan.build(workspace, lock_of(workspace), result, workspace.settings, ci)
    for warning in run_plan.warnings:
        info(f"warning: {warning}")
    return Planned(workspace, result, run_plan)
