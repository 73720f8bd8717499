"""The plan: for each member to handle, what CI does with it. Every CI output renders from it.

It also holds the per-member decisions shared by the Dockerfile and CI renderers: which members
get an image, under what name, on which Python, and how they are tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from uvmono import images, test_environment
from uvmono.ci_env import CiEnvironment
from uvmono.config import Settings
from uvmono.errors import UvmonoError
from uvmono.install_source import InstallSource, resolve_source
from uvmono.lockfile import Lock
from uvmono.python import DEFAULT_PYTHON, plan_job_python, python_version
from uvmono.records import field, record, replace
from uvmono.test_environment import TestPlan
from uvmono.workspace import PYPROJECT, Member, Workspace, lock_of

if TYPE_CHECKING:
    from uvmono.affected import Affected

T = TypeVar("T")
DEFAULT_TEST_COMMAND = "pytest"


def wants_image(member: Member) -> bool:
    """Whether the member gets an image: `images.decide`, the one place that decides."""
    return images.gets_image(member)


_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
# An image name without tag or digest (distribution/reference grammar).
IMAGE_NAME = re.compile(rf"(?:{_HOST}(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*")


def image_name(workspace: Workspace, member: Member, settings: Settings | None = None) -> str:
    """The member's image name, expanded from `image-name` and `registry` and checked: the
    only place an image name is validated."""
    docker = (settings or workspace.settings).docker
    template = docker.image_name
    try:
        name = template.format(name=member.name, path=member.path, version=member.version or "")
    except (KeyError, IndexError, ValueError) as exc:
        raise UvmonoError(
            f"`tool.uvmono.docker.image-name` = {template!r} cannot be expanded: {exc}",
            hint="use only the placeholders {name}, {path} and {version}",
        ) from None
    registry = docker.registry.rstrip("/")
    image = f"{registry}/{name}" if registry else name
    if not IMAGE_NAME.fullmatch(image):
        raise UvmonoError(
            f"member {member.name!r} ({member.path!r}): {image!r} is not a valid image name: "
            "it is not a valid image reference",
            hint="image names are lowercase letters, digits, `.`, `_`, `-` and `/`, with no "
            "tag; check `tool.uvmono.docker.image-name` and `registry` in "
            f"{workspace.root / PYPROJECT}",
        )
    return image


def dockerfile_path(member: Member) -> str:
    return "Dockerfile" if member.path == "." else f"{member.path}/Dockerfile"


def test_command(member: Member) -> str:
    command = member.settings.test_command
    return command if command is not None else DEFAULT_TEST_COMMAND


@record
class PlanEntry:
    package: str
    path: str
    python: str
    image: bool
    image_name: str | None
    dockerfile: str | None
    test_command: str
    reasons: tuple[str, ...]  # one line each, for summaries
    test: TestPlan  # how CI tests it: on which Pythons, in which environments, where


@record
class Plan:
    """Everything the CI renderers need, and nothing they would have to look up."""

    workspace_root: str
    base: str | None
    head: str | None
    entries: tuple[PlanEntry, ...]  # dependency order: a member after the members it needs
    settings: Settings = field(default_factory=Settings)
    workspace_dir: str = "."  # the workspace root, relative to the repository's top
    uvmono: InstallSource | None = None  # where CI installs uvmono from (for the CI files)
    python: str = DEFAULT_PYTHON  # of the plan job
    image_members: tuple[str, ...] = ()  # every member that gets an image (for the CI files)
    # (package, conflict side, Python) -> its test task's fingerprint (`fingerprint.py`);
    # empty when `[tool.uvmono.ci] skip-passed` is off: no job skips anything.
    fingerprints: Mapping[tuple[str, str, str], str] = field(default_factory=dict)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for e in self.entries for w in e.test.warnings)

    @property
    def images(self) -> tuple[PlanEntry, ...]:
        return tuple(e for e in self.entries if e.image)


def build_order(workspace: Workspace, names: Iterable[str]) -> list[str]:
    """Members in dependency order (a cycle stays together, sorted by name)."""
    from uvmono import graph

    wanted = set(names)
    order = [n for layer in graph.layers(graph.build(workspace)) for n in layer]
    return [n for n in order if n in wanted]


def build(
    workspace: Workspace,
    lock: Lock | None,
    affected: Affected | None,
    settings: Settings,
    ci: CiEnvironment,
) -> Plan:
    """The planning stage. With `affected`, the plan of the CI run for the affected members
    (the matrix, the GitLab child pipeline). Without (None), the plan of the committed CI
    files (the GitHub workflow, the GitLab parent pipeline): no entries, but where CI installs
    uvmono from (`lock` confirms a dependency group's source) and which members get images."""
    if affected is not None:
        run_plan = make_plan(
            workspace,
            affected.affected,
            affected.reason_lines(),
            base=affected.base or None,
            head=affected.head,
            settings=settings,
            workspace_dir=ci.workspace_dir,
            lock=lock,
        )
        if not settings.ci.skip_passed or not run_plan.entries:
            return run_plan
        from uvmono import fingerprint, git

        # Fingerprints hash the work tree: a plan of another commit (`--until`) skips nothing.
        if affected.head is not None and affected.head != git.head_commit(workspace.root):
            return run_plan

        names = [e.package for e in run_plan.entries]
        found = fingerprint.compute(workspace, lock, settings, names)
        return replace(run_plan, fingerprints=fingerprint.by_key(found))
    return Plan(
        str(workspace.root),
        None,
        None,
        (),
        settings=settings,
        workspace_dir=ci.workspace_dir,
        uvmono=resolve_source(workspace, lock, settings),
        python=plan_job_python(workspace, settings, lock),
        image_members=tuple(n for n, m in workspace.members.items() if wants_image(m)),
    )


def make_plan(
    workspace: Workspace,
    names: Sequence[str],
    reasons: Mapping[str, Sequence[str]] | None = None,
    *,
    base: str | None = None,
    head: str | None = None,
    settings: Settings | None = None,
    workspace_dir: str = ".",
    uvmono: InstallSource | None = None,
    lock: Lock | None = None,
) -> Plan:
    """The plan for `names`, in dependency order (`build` is the stage's entry point).
    `lock` is the workspace's uv.lock (read when omitted): it decides Pythons and environments."""
    settings = settings or workspace.settings
    lock = lock if lock is not None else lock_of(workspace)
    entries = []
    for name in build_order(workspace, names):
        member = workspace.members[name]
        image = wants_image(member)
        entries.append(
            PlanEntry(
                package=name,
                path=member.path,
                python=python_version(workspace, member, settings, lock),
                image=image,
                image_name=image_name(workspace, member, settings) if image else None,
                dockerfile=dockerfile_path(member) if image else None,
                test_command=test_command(member),
                reasons=tuple((reasons or {}).get(name, ())),
                test=test_environment.plan(workspace, member, lock, settings),
            )
        )
    return Plan(
        str(workspace.root),
        base,
        head,
        tuple(entries),
        settings=settings,
        workspace_dir=workspace_dir,
        uvmono=uvmono,
        python=plan_job_python(workspace, settings, lock),
        image_members=tuple(e.package for e in entries if e.image),
    )


def batches(items: Sequence[T], max_jobs: int) -> list[list[T]]:
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
