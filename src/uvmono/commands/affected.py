"""`uvmono affected`."""

from __future__ import annotations

from collections.abc import Sequence

from uvmono.affected import Affected
from uvmono.affected.reasons import describe_no_effect
from uvmono.render import jsondump
from uvmono.render.text import lines, printable, table
from uvmono.workspace import Workspace


def _required(workspace: Workspace, names: list[str]) -> list[str]:
    """The members the given ones need installed (their environments)."""
    from uvmono import environment

    graph = environment.build(workspace, workspace.edge_lock)
    # One walk from every start state: the union of the environments, each state seen once.
    states = graph.closure(s for name in names for s in graph.starts[name])
    out = set(names)
    out.update(p for p in environment.packages_of_states(states) if isinstance(p, str))
    return sorted(out)


def render(
    computed: tuple[Workspace, Affected],
    fmt: str,
    *,
    explain: bool,
    direct_only: bool,
    include_dependencies: bool,
    width: int | None = None,
) -> str:
    workspace, result = computed
    names = list(result.directly_changed if direct_only else result.affected)
    if include_dependencies:
        names = _required(workspace, names)
    if fmt == "json":
        data = result.as_json()
        if direct_only:
            data["affected"] = list(result.directly_changed)
        if include_dependencies:
            data["required"] = names
        return jsondump.dumps(data) + "\n"
    if explain:
        return explanation(workspace, result, names)
    if fmt == "paths":
        return lines([workspace.members[n].path for n in names], "member path")
    if fmt == "table":
        rows = [("NAME", "PATH", "WHY")]
        why = result.reason_lines()
        for n in names:
            rows.append((n, workspace.members[n].path, "; ".join(why.get(n, ["needed"]))))
        return table(rows, width)
    return "".join(f"{n}\n" for n in names)


def explanation(workspace: Workspace, result: Affected, names: list[str]) -> str:
    """Each member with its reasons; then the changed files that affected no member, and the
    members the change removed."""
    out = [] if names else ["nothing is affected"]
    reasons = result.reason_lines()
    for name in names:
        out.append(f"{name} ({printable(workspace.members[name].path)})")
        out += _tree(reasons.get(name, ["needed by an affected member"]))
    if result.no_effect:
        out += ["", "changed files that affect no member:"]
        out += _tree(describe_no_effect(result.no_effect, result.deleted_members))
    if result.deleted_members:
        out += ["", "no longer members (at the base, not at the head):"]
        out += _tree([f"{n} ({p})" for n, p in sorted(result.deleted_members.items())])
    return "\n".join(out) + "\n"


def _tree(items: Sequence[str]) -> list[str]:
    return [
        f"  {'└─' if i == len(items) - 1 else '├─'} {printable(line)}"
        for i, line in enumerate(items)
    ]
