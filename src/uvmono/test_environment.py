"""What a member's CI test job installs and runs: the one definition `affected` and CI share.

A member's **test environment** is what `uv sync --frozen` installs with the flags of
`TestEnvironment.sync_args`: the member, the extras and dependency groups its settings select,
and the workspace root's groups it inherits. `environment.py` starts each member's closure from
exactly these, so a member is affected exactly when something its job installs changed.

Facts this relies on (uv 0.13.9, FACTS.md §8.15 and §9, checked by tests/test_conformance.py):
- With `--package M`, a group requested by name that M does not define is the workspace root's
  group of that name (the root member's, or a virtual root's `[dependency-groups]`); a group M
  defines shadows the root's. `--all-groups` is every such name. Default groups are not
  inherited, so the job passes `--no-default-groups` and names every group it wants.
- uv refuses to install two sides of a `[tool.uv] conflicts` set together (`--all-extras` fails
  on such a workspace): a member whose selection holds two sides gets one environment per side.

Defaults: every extra and every group of the member's own; the root's default groups
(`tool.uv.default-groups`, normally `dev`) only when the member has no groups of its own, the
way a member that relies on the root's `dev` for pytest expects.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy
from uvmono.records import record

if TYPE_CHECKING:
    from uvmono.config import Settings
    from uvmono.lockfile import Lock
    from uvmono.workspace import Member, Workspace

VIRTUAL_ROOT = ""  # the owner of a virtual root's dependency groups
ConflictItem = tuple[str, str, str]  # (package, "extra" | "group", name)

_LOCATION = lazy(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*")
_PYTEST = lazy(r"\s*(?:pytest|py\.test)(?:\s|$)")
_PYTHON_M = lazy(r"\s*python3?\s+-m\s+([A-Za-z_][A-Za-z0-9_.]*)(?:\s|$)")
_TEST_FILE = lazy(r"(?:test_.*|.*_test)\.py")
_SKIPPED_DIRS = {"node_modules", "__pycache__", "build", "dist", "site-packages"}


@record
class TestEnvironment:
    __test__ = False  # not a pytest test class

    package: str
    extras: tuple[str, ...]  # the member's own extras
    groups: tuple[str, ...]  # the member's own dependency groups
    root_groups: tuple[str, ...]  # the root's groups it inherits, requested by name
    root_owner: str  # the root member's name, or VIRTUAL_ROOT
    side: str = ""  # which conflict sides this environment takes ("" when not split)

    def sync_args(self) -> tuple[str, ...]:
        """The flags after `uv sync --frozen` (and `uv export --frozen`)."""
        args = ["--package", self.package, "--no-default-groups"]
        for extra in self.extras:
            args += ["--extra", extra]
        for group in sorted({*self.groups, *self.root_groups}):
            args += ["--group", group]
        return tuple(args)

    def describe(self) -> str:
        parts = [f"extras: {', '.join(self.extras) or 'none'}"]
        parts.append(f"groups: {', '.join(self.groups) or 'none'}")
        if self.root_groups:
            parts.append(f"root groups: {', '.join(self.root_groups)}")
        if self.side:
            parts.append(f"conflict side: {self.side}")
        return "; ".join(parts)


@record
class TestPlan:
    """How CI tests one member."""

    __test__ = False  # not a pytest test class

    pythons: tuple[str, ...]
    environments: tuple[TestEnvironment, ...]
    locations: tuple[str, ...] | None  # None: its own directory; (): it has no tests
    runner: str  # the module the test command needs in the environment ("": not checked)
    warnings: tuple[str, ...] = ()


def plan(workspace: Workspace, member: Member, lock: Lock | None, settings: Settings) -> TestPlan:
    """How CI tests `member`; `lock` is the workspace's uv.lock (None: there is none)."""
    from uvmono import python

    locations = test_locations(workspace, member)
    warnings = []
    if locations is None and not _has_own_tests(workspace, member):
        where = "the workspace root" if member.path == "." else f"{member.path}/"
        warnings.append(
            f"{member.name} has no tests in {where} (no test_*.py or *_test.py): its test job "
            "fails if the test command collects nothing; set `tests = [...]` in its "
            "[tool.uvmono] if its tests live elsewhere, or `tests = []` if it has none"
        )
    return TestPlan(
        pythons=python.choose(workspace, member, lock, settings).tests,
        environments=environments(workspace, member, lock),
        locations=locations,
        runner=runner(member.settings.test_command or "pytest"),
        warnings=tuple(warnings),
    )


def runner(command: str) -> str:
    """The Python module a test command runs, so the job can check that it is installed."""
    if _PYTEST.match(command):
        return "pytest"
    match = _PYTHON_M.match(command)
    return match.group(1) if match else ""


# ------------------------------------------------------------------------- the environment


def environments(
    workspace: Workspace, member: Member, lock: Lock | None
) -> tuple[TestEnvironment, ...]:
    """The member's test environments: one, or one per side of each conflict it selects."""
    own_extras, own_groups = _own(member, lock)

    def file() -> Path:  # for error messages only: a Path per member is slow to make
        return _file(workspace, member)

    extras = _select(member.settings.test_extras, own_extras, "test-extras", "extra", file)
    groups = _select(member.settings.test_groups, own_groups, "test-groups", "group", file)
    owner, root_groups = _root_groups(workspace, member, own_groups, lock, file)
    sets = conflict_sets(workspace, lock)
    if not sets:  # most workspaces: the one environment the loop below would make
        env = TestEnvironment(
            package=member.name,
            extras=tuple(sorted(extras)),
            groups=tuple(sorted(groups)),
            root_groups=tuple(sorted(root_groups)),
            root_owner=owner,
        )
        return (env,)
    requested: set[ConflictItem] = {(member.name, "extra", e) for e in extras}
    requested |= {(member.name, "group", g) for g in groups}
    if owner != VIRTUAL_ROOT:
        requested |= {(owner, "group", g) for g in root_groups}
    splits = [s & requested for s in sets if len(s & requested) > 1]
    out: dict[tuple[Any, ...], TestEnvironment] = {}
    for choice in itertools.product(*(sorted(s) for s in splits)):
        dropped = set().union(*(s - {c} for s, c in zip(splits, choice, strict=True)))
        if dropped & set(choice):
            continue  # two sets disagree about an item
        kept = requested - dropped
        env = TestEnvironment(
            package=member.name,
            extras=tuple(sorted(e for e in extras if (member.name, "extra", e) in kept)),
            groups=tuple(sorted(g for g in groups if (member.name, "group", g) in kept)),
            root_groups=tuple(
                sorted(
                    g for g in root_groups if owner == VIRTUAL_ROOT or (owner, "group", g) in kept
                )
            ),
            root_owner=owner,
            side=", ".join(f"{kind} {name}" for _, kind, name in sorted(set(choice))),
        )
        out.setdefault((env.extras, env.groups, env.root_groups), env)
    return tuple(out.values())


def conflict_sets(workspace: Workspace, lock: Lock | None) -> list[frozenset[ConflictItem]]:
    """`[tool.uv] conflicts` from every pyproject.toml and from uv.lock's header."""
    found = dict.fromkeys((*workspace.conflicts, *(lock.conflicts if lock else ())))
    return list(found)


def _own(member: Member, lock: Lock | None) -> tuple[list[str], list[str]]:
    """The member's extras and groups: pyproject's, and the lock's (dynamic metadata)."""
    extras, groups = set(member.extras), set(member.groups)
    if lock is not None and member.name in lock.members:
        package = lock.packages.get(lock.members[member.name])
        if package is not None:
            extras.update(package.optional)
            groups.update(package.groups)
    return sorted(extras), sorted(groups)


def _select(
    setting: Any, available: Sequence[str], key: str, what: str, file: Callable[[], Path]
) -> list[str]:
    if setting == "all":
        return list(available)
    from uvmono.names import normalize

    chosen = sorted({normalize(n) for n in setting})
    missing = [n for n in chosen if n not in available]
    if missing:
        raise UvmonoError(
            f"`tool.uvmono.{key}` in {file()} names {what}(s) the member does not have: "
            f"{', '.join(missing)}",
            hint=f"its {what}s: {', '.join(available) or 'none'}",
        )
    return chosen


def _root_groups(
    workspace: Workspace,
    member: Member,
    own_groups: Sequence[str],
    lock: Lock | None,
    file: Callable[[], Path],
) -> tuple[str, list[str]]:
    """(owner, names): the root's groups this member's job requests by name."""
    root = workspace.root_member
    if root is not None:
        if root.name == member.name:
            return root.name, []
        owner, names = root.name, set(_own(root, lock)[1])
    else:
        owner, names = VIRTUAL_ROOT, set(workspace.root_groups)
        if lock is not None:
            names.update(lock.root_groups)
    setting = member.settings.test_root_groups
    defaults = names if workspace.default_groups is None else names & set(workspace.default_groups)
    if setting is False or (setting == "auto" and own_groups):
        return owner, []
    if setting is True or setting == "auto":
        return owner, sorted(defaults - set(own_groups))
    from uvmono.names import normalize

    chosen = sorted({normalize(n) for n in setting})
    for name in chosen:
        if name not in names:
            raise UvmonoError(
                f"`tool.uvmono.test-root-groups` in {file()} names `{name}`, which the workspace "
                "root does not define",
                hint=f"the root's groups: {', '.join(sorted(names)) or 'none'}",
            )
        if name in own_groups:
            raise UvmonoError(
                f"`tool.uvmono.test-root-groups` in {file()} names `{name}`, but {member.name} "
                f"defines a group `{name}` itself, which uv installs instead of the root's",
                hint="rename one of the two groups, or drop it from test-root-groups",
            )
    return owner, chosen


def _file(workspace: Workspace, member: Member) -> Path:
    return workspace.root / member.path / "pyproject.toml"


# ---------------------------------------------------------------------------- test locations


def test_locations(workspace: Workspace, member: Member) -> tuple[str, ...] | None:
    """Where the member's tests live, relative to the workspace root (None: its directory).

    The root's `tests` is a pattern for every member: locations that do not exist are dropped
    (a member with none tests its own directory). A member's own `tests` must all exist.
    """
    setting = member.settings.tests
    if setting is None:
        return None
    inherited = setting == workspace.settings.tests
    file = workspace.root / "pyproject.toml" if inherited else _file(workspace, member)
    found = []
    for template in setting:
        location = _expand(template, member, file)
        exists = (workspace.root / location).exists()
        if not exists and not inherited:
            raise UvmonoError(
                f"`tool.uvmono.tests` in {file} names {location}, which does not exist",
                hint="list directories or files relative to the workspace root",
            )
        if exists:
            found.append(location)
    if inherited and not found:
        return None
    return tuple(found)


def location_owners(workspace: Workspace) -> dict[str, str]:
    """Configured test location -> the member that owns it (for `affected`)."""
    owners: dict[str, str] = {}
    if workspace.settings.tests is None and all(
        m.settings.tests is None for m in workspace.members.values()
    ):
        return owners
    for member in workspace.members.values():
        for location in test_locations(workspace, member) or ():
            owners.setdefault(location, member.name)
    return owners


def _expand(template: str, member: Member, file: Path) -> str:
    fields = {"name": member.name, "path": member.path, "dir": Path(member.path).name or "."}
    try:
        location = template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise UvmonoError(
            f"`tool.uvmono.tests` entry {template!r} in {file} cannot be expanded: {exc}",
            hint="use only the placeholders {name}, {path} and {dir}",
        ) from None
    location = location.strip("/")
    while location.startswith("./"):
        location = location[2:]
    if not _LOCATION.fullmatch(location) or ".." in location.split("/"):
        raise UvmonoError(
            f"`tool.uvmono.tests` entry {template!r} in {file} is not a plain relative path "
            f"inside the workspace: {location!r}",
            hint="use letters, digits, `.`, `_`, `-` and `/`, relative to the workspace root",
        )
    return location


def _has_own_tests(workspace: Workspace, member: Member) -> bool:
    """Whether the member's directory holds a pytest-style test file outside nested members."""
    top = workspace.root / member.path
    others = {
        os.path.normpath(workspace.root / m.path)
        for m in workspace.members.values()
        if m.name != member.name
    }
    for directory, dirs, files in os.walk(top):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and os.path.normpath(Path(directory, d)) not in others
        ]
        if any(_TEST_FILE.fullmatch(f) for f in files):
            return True
    return False

