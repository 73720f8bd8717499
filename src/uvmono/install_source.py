"""Where generated CI installs uvmono from: `[tool.uvmono.ci] uvmono-source`, checked.

The name `uvmono` on PyPI belongs to an unrelated project. A CI file that resolved a bare
`uvmono` from a package index would run a stranger's code with the job's token (dependency
confusion), so `[tool.uvmono.ci] uvmono-source` must name an immutable source, and anything
that would reach an index by name is refused:

- `group:NAME`: a dependency group of the workspace root that requires uvmono, with uv.lock
  pinning it to a git, URL or path source: `uv run --frozen --only-group NAME uvmono ...`.
  The default when `uvmono-source` is unset and a root group requires uvmono.
- `uvmono @ git+https://…@<commit SHA>`: a git URL pinned to a full commit.
- `uvmono @ https://…/uvmono-….whl`: a wheel URL (add `#sha256=…` to verify it).
- `uvmono @ file:///…`, or a path (`./tools/uvmono-0.1.0-py3-none-any.whl`): local files.
- `uvmono==X.Y.Z --default-index https://…`: an exact version from an internal index that
  replaces PyPI (an extra index next to PyPI would still let PyPI's `uvmono` in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from uvmono.config import Settings
from uvmono.errors import UvmonoError
from uvmono.lockfile import Lock
from uvmono.names import normalize, requirement_name
from uvmono.records import record
from uvmono.render.text import CONTROL, printable
from uvmono.workspace import PYPROJECT, Workspace

KEY = "`tool.uvmono.ci.uvmono-source`"

SOURCES_HINT = """\
set one in the root pyproject.toml (the name `uvmono` on PyPI is an unrelated project):
  1. a dependency group that uv.lock pins (recommended); then run `uv lock`:
       [dependency-groups]
       uvmono = ["uvmono"]
       [tool.uv.sources]
       uvmono = { git = "https://github.com/ORG/uvmono", rev = "<40-hex commit>" }
  2. [tool.uvmono.ci]
     uvmono-source = "uvmono @ git+https://github.com/ORG/uvmono@<40-hex commit>"
  3. [tool.uvmono.ci]
     uvmono-source = "uvmono @ https://example.com/uvmono-0.1.0-py3-none-any.whl#sha256=<hash>"
  4. [tool.uvmono.ci]
     uvmono-source = "uvmono==0.1.0 --default-index https://pypi.example.com/simple\""""

_CONFUSION = (
    "would install `uvmono` from a package index, where the name belongs to an unrelated "
    "project: CI would run that project's code with the job's token (dependency confusion)"
)
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_INDEX_FORM = re.compile(
    r"(?P<requirement>\S+)\s+--(?:default-index|index-url)(?:\s+|=)(?P<index>\S+)"
)
_EXACT_VERSION = re.compile(r"[A-Za-z0-9_.-]+\s*==\s*[0-9][0-9A-Za-z.+!-]*")


@record
class InstallSource:
    """A validated `uvmono-source`: a dependency group of the workspace root, a requirement
    that names its own immutable source, or an exact version from an index replacing PyPI."""

    kind: Literal["group", "requirement", "index"]
    value: str  # the group name, the requirement or path, or the exact requirement
    index: str | None = None  # kind "index": the URL of the index that replaces PyPI


def validate_source(spec: str) -> InstallSource:
    """Parse `spec`, refusing anything that would resolve `uvmono` by name from PyPI."""
    value = spec.strip()
    if not value or CONTROL.search(value):
        raise UvmonoError(
            f"{KEY} = {printable(spec)!r} is empty or holds control characters",
            hint=SOURCES_HINT,
        )
    if "${{" in value:
        raise UvmonoError(
            f"{KEY} = {spec!r} holds `${{{{`, which GitHub would evaluate as an expression in "
            "the generated workflow",
            hint="write the source itself: CI files are static, secrets do not belong in it",
        )
    if value.startswith("group:"):
        group = value.removeprefix("group:").strip()
        if not group or not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", group):
            raise UvmonoError(
                f"{KEY} = {spec!r} does not name a dependency group",
                hint="write group:NAME, e.g. group:uvmono",
            )
        return InstallSource("group", normalize(group))
    if value.startswith(("./", "../", "/")) and not re.search(r"\s", value):
        return InstallSource("requirement", value)
    index_form = _INDEX_FORM.fullmatch(value)
    if index_form:
        return _index_source(spec, index_form["requirement"], index_form["index"])
    return InstallSource("requirement", _pinned_requirement(spec, value))


def resolve_source(
    workspace: Workspace, lock: Lock | None, settings: Settings | None = None
) -> InstallSource:
    """The configured `uvmono-source`, else a root dependency group that requires uvmono."""
    configured = (settings or workspace.settings).ci.uvmono_source
    pyproject = workspace.root / PYPROJECT
    groups = workspace.root_groups
    if configured is None:
        requiring = sorted(g for g in groups if "uvmono" in groups[g])
        if not requiring:
            raise UvmonoError(
                f"{KEY} is not set in {pyproject} and no dependency group of the workspace root "
                "requires uvmono, so the generated CI cannot know where to install uvmono from",
                hint=SOURCES_HINT,
            )
        group = "uvmono" if "uvmono" in requiring else requiring[0]
        return _checked_group(workspace, lock, group, groups)
    source = validate_source(configured)
    if source.kind == "group":
        return _checked_group(workspace, lock, source.value, groups)
    return source


# ---------------------------------------------------------------------------------- helpers


def _pinned_requirement(spec: str, value: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(value)
    except InvalidRequirement as exc:
        raise UvmonoError(
            f"{KEY} = {spec!r} is not a requirement: {exc}", hint=SOURCES_HINT
        ) from None
    if normalize(requirement.name) != "uvmono":
        raise UvmonoError(
            f"{KEY} = {spec!r} installs {requirement.name!r}, not uvmono", hint=SOURCES_HINT
        )
    url = requirement.url
    if url is None:
        raise UvmonoError(f"{KEY} = {spec!r} {_CONFUSION}", hint=SOURCES_HINT)
    if requirement.marker is not None:
        raise UvmonoError(f"{KEY} = {spec!r}: drop the marker", hint=SOURCES_HINT)
    if url.startswith("git+"):
        if not url.startswith(("git+https://", "git+ssh://")):
            raise UvmonoError(
                f"{KEY} = {spec!r} fetches git over an unauthenticated transport",
                hint="use a git+https:// (or git+ssh://) URL",
            )
        revision = url.split("://", 1)[1].rpartition("@")[2].split("#", 1)[0]
        if not _COMMIT.fullmatch(revision):
            raise UvmonoError(
                f"{KEY} = {spec!r} is not pinned to a commit: a branch or tag can move, and "
                "CI would install whatever it points to then",
                hint="end the URL with @ and the full 40-character commit SHA you reviewed",
            )
    elif url.startswith("https://"):
        _check_wheel_url(spec, url)
    elif not url.startswith("file://"):
        raise UvmonoError(
            f"{KEY} = {spec!r} is neither a git URL pinned to a commit, an https:// wheel URL "
            "nor a file:// URL",
            hint=SOURCES_HINT,
        )
    return value


_SHA256 = re.compile(r"sha256=[0-9a-fA-F]{64}")


def _check_wheel_url(spec: str, url: str) -> None:
    """A pinned wheel URL: its path ends in `.whl`, and its fragment carries `sha256=<hash>`."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.path.endswith(".whl") or not any(
        _SHA256.fullmatch(field) for field in parts.fragment.split("&")
    ):
        raise UvmonoError(
            f"{KEY} = {spec!r} is not a pinned wheel URL: an https:// URL must name a wheel "
            "(its path ends in `.whl`) and carry the wheel's hash (`#sha256=<64 hex digits>`), "
            "or CI installs whatever the server hands out",
            hint="append #sha256= and the hash of the wheel you reviewed (`sha256sum FILE.whl`)",
        )


def _index_source(spec: str, requirement: str, index: str) -> InstallSource:
    if not _EXACT_VERSION.fullmatch(requirement) or requirement_name(requirement) != "uvmono":
        raise UvmonoError(
            f"{KEY} = {spec!r}: from an index, install exactly one version of uvmono",
            hint="write uvmono==X.Y.Z --default-index https://…",
        )
    if not index.startswith("https://"):
        raise UvmonoError(f"{KEY} = {spec!r}: the index must be an https:// URL", hint=SOURCES_HINT)
    if _is_pypi(index):
        raise UvmonoError(
            f"{KEY} = {spec!r}: {index} is PyPI itself, so it {_CONFUSION}",
            hint="name your own index (one that serves your build of uvmono), or use a "
            "dependency group or a pinned URL",
        )
    return InstallSource("index", requirement.replace(" ", ""), index)


# PyPI and the names it answers to; `--default-index` or `--index-url` pointing there is no
# different from no index at all.
_PYPI_HOSTS = frozenset(
    {"pypi.org", "www.pypi.org", "pypi.python.org", "files.pythonhosted.org", "pypi.io"}
)


def _is_pypi(index: str) -> bool:
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(index.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    return host in _PYPI_HOSTS


def _checked_group(
    workspace: Workspace, lock: Lock | None, group: str, groups: Mapping[str, Sequence[str]]
) -> InstallSource:
    """`group`, once the root declares it, it requires uvmono and uv.lock pins that off PyPI."""
    pyproject = workspace.root / PYPROJECT
    if group not in groups:
        raise UvmonoError(
            f"{KEY} names the dependency group {group!r}, which {pyproject} does not declare",
            hint=SOURCES_HINT,
        )
    if "uvmono" not in groups[group]:
        raise UvmonoError(
            f"the dependency group {group!r} in {pyproject} does not require uvmono",
            hint=f'add it: {group} = ["uvmono"], with a [tool.uv.sources] entry; then `uv lock`',
        )
    locked = [p for p in (lock.packages if lock else {}) if p.name == "uvmono"]
    if not locked:
        raise UvmonoError(
            f"uv.lock in {workspace.root} has no uvmono entry for the dependency group {group!r}",
            hint="run `uv lock`, then commit uv.lock",
        )
    if any(_from_registry(p.source) for p in locked):
        raise UvmonoError(
            f"uv.lock in {workspace.root} resolves uvmono from a package index: {_CONFUSION}",
            hint="pin it in the root pyproject.toml: [tool.uv.sources] uvmono = { git = "
            '"https://github.com/ORG/uvmono", rev = "<40-hex commit>" }; then `uv lock`',
        )
    return InstallSource("group", group)


def _from_registry(source: str) -> bool:
    """Whether a lock source (`PackageId.source`, "key=value; ...") is a package index."""
    return any(part.strip().startswith("registry=") for part in source.split(";"))
