"""The plan: for each member to handle, what CI does with it. Every CI output renders from it.

It also holds the per-member decisions shared by the Dockerfile and CI renderers: which members
get an image, under what name, on which Python, and how they are tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from uvmono.errors import UvmonoError
from uvmono.workspace import Member, Workspace

DEFAULT_PYTHON = "3.12"
DEFAULT_TEST_COMMAND = "pytest"
_LOWER_BOUND = re.compile(r"(?:>=|~=|==)\s*(\d+)\.(\d+)")
_MAJOR_MINOR = re.compile(r"(\d+)\.(\d+)")


def python_version(workspace: Workspace, member: Member) -> str:
    """`.python-version`, else the lower bound of requires-python, else config, else 3.12."""
    if workspace.python_version:
        match = _MAJOR_MINOR.match(workspace.python_version)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    if member.requires_python:
        match = _LOWER_BOUND.search(member.requires_python)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    configured = workspace.settings.get("python")
    return configured if isinstance(configured, str) else DEFAULT_PYTHON


def wants_image(member: Member) -> bool:
    """Deployable members get an image: those with console scripts, or configured to."""
    configured = member.settings["docker"]["image"]
    if configured is not None:
        return bool(configured)
    return bool(member.scripts)


def image_name(workspace: Workspace, member: Member) -> str:
    docker = workspace.settings["docker"]
    template: str = docker["image-name"]
    try:
        name = template.format(name=member.name, path=member.path, version=member.version or "")
    except (KeyError, IndexError, ValueError) as exc:
        raise UvmonoError(
            f"`tool.uvmono.docker.image-name` = {template!r} cannot be expanded: {exc}",
            hint="use only the placeholders {name}, {path} and {version}",
        ) from None
    registry: str = docker["registry"].rstrip("/")
    return f"{registry}/{name}" if registry else name


def dockerfile_path(member: Member) -> str:
    return "Dockerfile" if member.path == "." else f"{member.path}/Dockerfile"


def test_command(member: Member) -> str:
    command = member.settings["test-command"]
    return command if isinstance(command, str) else DEFAULT_TEST_COMMAND


@dataclass(frozen=True)
class PlanEntry:
    package: str
    path: str
    python: str
    image: bool
    image_name: str | None
    dockerfile: str | None
    test_command: str
    reasons: tuple[str, ...]  # one line each, for summaries


@dataclass(frozen=True)
class Plan:
    workspace_root: str
    base: str | None
    head: str | None
    entries: tuple[PlanEntry, ...]  # dependency order: a member after the members it needs

    @property
    def images(self) -> tuple[PlanEntry, ...]:
        return tuple(e for e in self.entries if e.image)


def build_order(workspace: Workspace, names: Iterable[str]) -> list[str]:
    """Members in dependency order (a cycle stays together, sorted by name)."""
    from uvmono import graph

    wanted = set(names)
    order = [n for layer in graph.layers(graph.build(workspace)) for n in layer]
    return [n for n in order if n in wanted]


def make_plan(
    workspace: Workspace,
    names: Sequence[str],
    reasons: Mapping[str, Sequence[str]] | None = None,
    *,
    base: str | None = None,
    head: str | None = None,
) -> Plan:
    entries = []
    for name in build_order(workspace, names):
        member = workspace.members[name]
        image = wants_image(member)
        entries.append(
            PlanEntry(
                package=name,
                path=member.path,
                python=python_version(workspace, member),
                image=image,
                image_name=image_name(workspace, member) if image else None,
                dockerfile=dockerfile_path(member) if image else None,
                test_command=test_command(member),
                reasons=tuple((reasons or {}).get(name, ())),
            )
        )
    return Plan(str(workspace.root), base, head, tuple(entries))


def batches(items: Sequence[str], max_jobs: int) -> list[list[str]]:
    """Split into at most `max_jobs` batches of near-equal size, keeping order; none dropped."""
    if not items:
        return []
    jobs = max(1, min(max_jobs, len(items)))
    size, extra = divmod(len(items), jobs)
    out, start = [], 0
    for i in range(jobs):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out
