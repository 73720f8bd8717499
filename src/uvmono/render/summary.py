"""The Markdown a CI run shows on its summary page: what is affected, why, and against which base.

Member names are PEP 503 names, but paths and reasons quote file names, which may hold any
character: every such value is escaped so that it stays text in the table.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from uvmono.plan import Plan
from uvmono.render.text import printable

MAX_ROWS = 1000
# GitHub draws Mermaid in the page's width: past some 40 boxes the labels shrink unreadably.
MAX_GRAPH_MEMBERS = 40
# Mermaid refuses diagrams above 50,000 characters or 500 edges (its maxTextSize, maxEdges).
MERMAID_MAX_CHARS = 40_000
MERMAID_MAX_EDGES = 500

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_EDGE = re.compile(r" -\.?-> ")


def step_summary(
    plan: Plan,
    *,
    base_source: str,
    changed_files: int,
    directly_changed: Collection[str],
    workspace_members: int,
    test_jobs: int,
    image_jobs: int,
    mermaid: str | None,
    graph_left_out: int = 0,
) -> str:
    """The step summary of `uvmono matrix --github-output`. `mermaid` draws the affected
    members (at most MAX_GRAPH_MEMBERS of them, `graph_left_out` more left out)."""
    count = len(plan.entries)
    lines = [
        f"### uvmono: {_affected(count, workspace_members)}",
        "",
        f"{_base_line(plan, base_source)} · {_plural(changed_files, 'changed file')}",
        "",
    ]
    if not plan.entries:
        lines.append("Nothing to test or build: the test and image jobs are skipped.")
        return "\n".join(lines) + "\n"
    lines += [
        f"{_plural(test_jobs, 'test job')}, {_plural(image_jobs, 'image job')}. "
        "**Bold**: changed directly.",
        "",
        "| Member | Path | Image | Why |",
        "| --- | --- | --- | --- |",
    ]
    for entry in plan.entries[:MAX_ROWS]:
        name = f"**{entry.package}**" if entry.package in directly_changed else entry.package
        image = escape(entry.image_name or "") if entry.image else ""
        why = "<br>".join(escape(r) for r in entry.reasons) or "needed by an affected member"
        lines.append(f"| {name} | {escape(entry.path)} | {image} | {why} |")
    if count > MAX_ROWS:
        lines += ["", f"… and {count - MAX_ROWS} more members."]
    lines.append("")
    lines += _graph(mermaid, graph_left_out)
    return "\n".join(lines) + "\n"


def log_summary(
    count: int, shown: Sequence[tuple[str, Sequence[str]]], left_out: int
) -> str:
    """What GitLab shows instead of a step summary, the plan job's log: the affected members
    nearest the change (at most MAX_GRAPH_MEMBERS, `left_out` more), each with its reasons.
    Control characters in file names are spelled out, so no name can colour or rewrite it."""
    names = ", ".join(name for name, _ in shown) or "none"
    more = f" … and {left_out} more" if left_out else ""
    lines = [f"uvmono: {count} affected member(s): {names}{more}"]
    for name, reasons in shown:
        why = "; ".join(reasons) or "needed by an affected member"
        lines.append(f"  {name}: {_printable(why)}")
    if left_out:
        lines.append(
            f"  … and {left_out} more, further from the change: "
            "`uvmono graph --format html --since REF` draws them all"
        )
    return "\n".join(lines)


def _printable(text: str) -> str:
    return printable(text)


def escape(text: str) -> str:
    """`text` as literal Markdown table-cell text (no markup, no HTML, one line)."""
    text = _CONTROL.sub(" ", text)
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _graph(mermaid: str | None, left_out: int) -> list[str]:
    if mermaid is None:
        return []
    if len(mermaid) > MERMAID_MAX_CHARS or len(_EDGE.findall(mermaid)) > MERMAID_MAX_EDGES:
        return [
            "The graph of the affected members is too large to draw here; "
            "`uvmono graph --format mermaid` prints it."
        ]
    lines = ["```mermaid", mermaid.rstrip("\n"), "```"]
    if left_out:
        lines += [
            "",
            f"… and {left_out} more affected {'member' if left_out == 1 else 'members'}, "
            "further from the change: `uvmono graph --format html --since REF` draws them all.",
        ]
    return lines


def _affected(count: int, total: int) -> str:
    if count == 0:
        return "no member affected"
    return f"{count} of {_plural(total, 'member')} affected"


def _base_line(plan: Plan, base_source: str) -> str:
    base = f"`{plan.base[:12]}`" if plan.base else "none"
    head = f"`{plan.head[:12]}`" if plan.head else "the checked-out tree"
    return f"Base {base} ({escape(base_source)}), head {head}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
