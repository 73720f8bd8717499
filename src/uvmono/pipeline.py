"""The stages chained for one CI run: git → ChangeSet → Affected → Plan.

`uvmono affected`, `uvmono matrix`, `uvmono ci gitlab --child` and `docker … --affected` start
here; each then renders the part it prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono import affected as affected_stage
from uvmono import ci_env, records
from uvmono.affected import Affected
from uvmono.ci_env import CiEnvironment
from uvmono.records import record
from uvmono.workspace import Workspace, lock_of

if TYPE_CHECKING:  # `affected` does not plan: plan.py and what it imports load on demand
    from uvmono import plan
    from uvmono.early import EarlyChanges


@record(kw_only=True)
class RunOptions:
    """What a run compares and selects, as the command line gives it."""

    info: Callable[[str], None]  # where status lines go
    since: str | None = None  # the base ref, or `auto`; None: auto
    until: str | None = None  # the head commit; None: the working tree
    on_missing_base: str = "error"  # or "all": everything is affected
    ci: CiEnvironment | None = None  # None: read it from the environment
    filters: Sequence[str] = ()  # `selection.py` filters; () selects every member
    cwd: Path | None = None  # what the filters' paths are relative to; None: the root


def affected(
    workspace: Workspace, options: RunOptions, early: EarlyChanges | None = None
) -> tuple[Workspace, Affected]:
    """The affected members, with the workspace as it is at the head (`--until`); with
    `options.filters`, only those they select. `early`: git asked ahead (`early.start`, called
    before the workspace was read), used where it asked what this run asks."""
    ci = options.ci or ci_env.read(workspace.root)
    until = options.until
    workspace, result = affected_stage.resolve(
        workspace,
        options.since,
        until,
        on_missing_base=options.on_missing_base,
        environ=ci.variables,
        early=early,
    )
    if options.filters:  # `selection.select` is None without filters: not imported then
        from uvmono import selection

        context = selection.Context(options.cwd or workspace.root, ci.variables, until)
        chosen = selection.select(workspace, options.filters, context)
        if chosen is not None:
            result = selection.only(result, chosen)
    head = result.head[:12] if result.head else "the working tree"
    base = result.base[:12] if result.base else "-"
    options.info(f"uvmono: comparing {head} with base {base} ({result.base_source})")
    return workspace, result


@record
class Planned:
    workspace: Workspace
    affected: Affected
    plan: plan.Plan


def planned(
    workspace: Workspace, options: RunOptions, early: EarlyChanges | None = None
) -> Planned:
    """The plan of the run for the members affected between `options.since` and
    `options.until` (and selected by `options.filters`); `early` as for `affected`."""
    from uvmono import plan

    ci = options.ci or ci_env.read(workspace.root)
    workspace, result = affected(workspace, records.replace(options, ci=ci), early)
    run_plan = plan.build(workspace, lock_of(workspace), result, workspace.settings, ci)
    for warning in run_plan.warnings:
        options.info(f"warning: {warning}")
    return Planned(workspace, result, run_plan)
