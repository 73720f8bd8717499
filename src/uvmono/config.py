"""`[tool.uvmono]` as frozen dataclasses: the one model of the settings, checked once.

The root pyproject.toml holds the workspace settings (`Settings`); a member's own `[tool.uvmono]`
may override the member-level keys (`MemberSettings`) for that member alone. Every key is a
dataclass field declared with `setting(...)`: its TOML name (the field name with `-` for `_`),
its check, its default (here and nowhere else), its doc and its JSON Schema all come from that
one declaration. To add a setting, add a field; `json_schema()` and `uvmono init` pick it up.
The helpers that declare, read back and check fields are in `config_fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from uvmono import records
from uvmono.config_fields import (
    MINOR_PATTERN,
    Key,
    Task,
    all_or_names,
    build,
    choice,
    flag,
    integer,
    is_minor,
    is_port_list,
    is_str_list,
    keys,
    python_axis,
    root_groups,
    section,
    setting,
    strings,
    tasks,
    template,
    templates,
    test_locations,
    text,
    validate,
)
from uvmono.errors import UvmonoError
from uvmono.records import record

PythonAxis = str | tuple[str, ...]  # an axis name, a version, or versions
AllOrNames = Literal["all"] | tuple[str, ...]
RootGroups = Literal["auto"] | bool | tuple[str, ...]
# The member-level keys `effective` takes from the member, else from the root.
TEST_FIELDS = ("python", "tests", "test_extras", "test_groups", "test_root_groups")


# ------------------------------------------------------------------------------ the model


@record
class MemberDockerSettings:
    """`[tool.uvmono.docker]` keys a member may set for itself (the root's are the defaults)."""

    image: bool | None = flag(
        None,
        "build an image for this member (default: when it has one console script, or several "
        "and a `command`)",
    )
    command: tuple[str, ...] = strings(
        [], "the image's ENTRYPOINT (default: the member's single console script)"
    )
    ports: tuple[int, ...] = setting(
        Key(
            is_port_list,
            "a list of port numbers (1 to 65535)",
            [],
            "ports to EXPOSE",
            {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 65535},
                "default": [],
            },
        )
    )
    healthcheck: str | None = text(None, "a HEALTHCHECK command, run with sh -c")
    system_packages: tuple[str, ...] = strings([], "Debian packages installed in the runtime image")
    build_packages: tuple[str, ...] = strings(
        [], "Debian packages for the build stage (compilers, headers)"
    )
    extra_files: tuple[str, ...] = strings(
        [], "more paths (relative to the workspace root) copied into the image"
    )
    extras: tuple[str, ...] = strings(
        [],
        "the member's extras installed in its image, e.g. the one its console script needs "
        "(the member's own: the root's table sets the root member's)",
    )
    runtime: Literal["slim", "distroless"] = choice(
        "slim",
        "the runtime image: slim (the base image, its shell and apt) or distroless (an empty "
        "image with the base image's interpreter and the venv only: no shell, no apt)",
        "slim",
        "distroless",
    )
    build_env: Literal["shared", "isolated"] = choice(
        "shared",
        "how the image's members are built: shared (those of a known backend against one "
        "byte-compiled environment of their [build-system] requires, kept in a cached layer) "
        "or isolated (each in a fresh environment, as uv does)",
        "shared",
        "isolated",
    )
    compose: bool = flag(
        True, "a service for this member in compose.yaml (`uvmono docker compose`)"
    )
    depends_on: tuple[str, ...] = strings(
        [], "members whose compose services this member's service starts after"
    )


@record
class DockerSettings(MemberDockerSettings):
    """`[tool.uvmono.docker]` of the root: the member keys' defaults, and the workspace's."""

    base_image: str = template(
        "python:{python}-slim-trixie",
        "builder and runtime base image (or -slim-bookworm; `@sha256:…` pins a digest)",
    )
    uv_image: str = template("ghcr.io/astral-sh/uv:{uv_version}", "the image uv is copied from")
    uv_version: str = text("0.13.9", "uv version pinned in the uv image tag")
    image_name: str = template("{name}", "image name template: {name}, {path}, {version}")
    registry: str = text("", "registry prefix for image tags, e.g. ghcr.io/acme")
    user_id: int = integer(10001, "numeric uid/gid the runtime image runs as")
    platforms: tuple[str, ...] = strings(
        [], "platforms for docker buildx bake, e.g. linux/amd64, linux/arm64"
    )
    cache_from: tuple[str, ...] = templates("bake cache-from entries; {name} is the member")
    cache_to: tuple[str, ...] = templates("bake cache-to entries; {name} is the member")
    attestations: bool = flag(False, "bake: SBOM and provenance attestations")
    indexes: tuple[str, ...] = strings(
        [], "names of private uv indexes whose credentials come from secrets"
    )
    syntax: str | None = text(
        None, "a `# syntax=` frontend line (off by default: BuildKit would pull it)"
    )
    source_url: str | None = text(
        None, "repository URL for the org.opencontainers.image.source label"
    )

    @property
    def member_defaults(self) -> MemberDockerSettings:
        names = [f.name for f in records.fields(MemberDockerSettings)]
        return MemberDockerSettings(**{name: getattr(self, name) for name in names})


GITHUB_MAX_JOBS = 256  # "A job matrix can generate a maximum of 256 jobs per workflow run"
GITLAB_MAX_JOBS = 200  # "The number of permutations cannot exceed 200"


def _leaves_no_job(value: int) -> tuple[str, str] | None:
    if value >= 1:
        return None
    return (
        "leaves no job to run",
        f"set it to 1 or more, or remove it (default: {GITHUB_MAX_JOBS}); GitHub runs at most "
        f"{GITHUB_MAX_JOBS} jobs per matrix, GitLab {GITLAB_MAX_JOBS} per parallel job",
    )


Strategy = Literal["depend", "mirror"]
ImageBuilder = Literal["dind", "buildah"]


@record
class CiSettings:
    """`[tool.uvmono.ci]`."""

    github_workflow: str = text(".github/workflows/uvmono.yml", "where `uvmono ci github` writes")
    gitlab_file: str = text(".gitlab-ci.yml", "where `uvmono ci gitlab` writes the parent pipeline")
    gitlab_strategy: Strategy = choice(
        "depend", "trigger strategy of the child pipeline", "depend", "mirror"
    )
    gitlab_image_builder: ImageBuilder = choice(
        "dind", "how GitLab builds images", "dind", "buildah"
    )
    runner: str = text("ubuntu-24.04", "GitHub runner label")
    max_jobs: int = integer(
        GITHUB_MAX_JOBS,
        "most matrix jobs per CI job (GitHub: 256, GitLab: 200)",
        minimum=1,
        refuse=_leaves_no_job,
    )
    uvmono_source: str | None = text(
        None, "how CI installs uvmono: a uv pip install spec pinned to a commit or URL"
    )
    default_branch: str = text("main", "the branch images are pushed from")
    skip_passed: bool = flag(
        True, "test jobs skip a member whose fingerprint passed before (`uvmono hash`)"
    )

    def jobs(self, limit: int) -> int:
        """`max-jobs`, capped at a provider's `limit`."""
        return min(self.max_jobs, limit)


GENERATE_KINDS = ("docker", "bake", "compose", "github", "gitlab")
TEST_COMMAND_DOC = "the command that tests a member in CI (default: pytest)"


def _compose_without_docker(kinds: list[str]) -> tuple[str, str] | None:
    if "compose" not in kinds or "docker" in kinds:
        return None
    return (
        'lists "compose" without "docker": compose.yaml builds the generated Dockerfiles',
        'add "docker": generate = ["docker", "compose", …]',
    )


@record
class Settings:
    """The root's `[tool.uvmono]`, every default filled in."""

    generate: tuple[str, ...] = setting(
        Key(
            lambda v: is_str_list(v) and set(v) <= set(GENERATE_KINDS),
            'a list of "docker", "bake", "compose", "github", "gitlab"',
            ["docker"],
            "what `uvmono generate` writes and `uvmono check` checks",
            {"type": "array", "items": {"enum": list(GENERATE_KINDS)}, "default": ["docker"]},
            refuse=_compose_without_docker,
        )
    )
    global_files: tuple[str, ...] = strings(
        ["pyproject.toml", ".python-version", "uv.toml"], "globs whose change affects every member"
    )
    ignore: tuple[str, ...] = strings([], "globs of files whose change affects nothing")
    affected: Literal["environment", "graph"] = choice(
        "environment", "what a change reaches", "environment", "graph"
    )
    lockfile: Literal["granular", "global"] = choice(
        "granular", "how uv.lock changes count", "granular", "global"
    )
    test_command: str | None = text(None, TEST_COMMAND_DOC, multiline=True)
    python: PythonAxis = python_axis()
    tests: tuple[str, ...] | None = test_locations()
    test_extras: AllOrNames = all_or_names("the member's extras its test job installs")
    test_groups: AllOrNames = all_or_names("the member's dependency groups its test job installs")
    test_root_groups: RootGroups = root_groups()
    python_versions: tuple[str, ...] = setting(
        Key(
            lambda v: isinstance(v, list) and bool(v) and all(is_minor(x) for x in v),
            'a list of versions such as ["3.12", "3.13"]',
            ["3.10", "3.11", "3.12", "3.13", "3.14"],
            "the Pythons CI runners can use (setup-uv and the uv images fetch 3.10 to 3.14)",
            {
                "type": "array",
                "items": {"type": "string", "pattern": MINOR_PATTERN},
                "minItems": 1,
                "default": ["3.10", "3.11", "3.12", "3.13", "3.14"],
            },
        )
    )
    docker: DockerSettings = section(DockerSettings, "image settings")
    ci: CiSettings = section(CiSettings, "CI settings")
    tasks: tuple[Task, ...] = tasks(
        'tasks for `uvmono run NAME`: NAME = "command" or { run = "command", dependent = true }',
        member=False,
    )

    def task(self, name: str) -> Task | None:
        return next((t for t in self.tasks if t.name == name), None)


@record
class MemberSettings:
    """A member's effective settings: its own `[tool.uvmono]` over the root's."""

    ignore: tuple[str, ...] = strings(
        [], "globs (relative to the member) of files whose change affects nothing"
    )
    test_command: str | None = text(
        None, "the command that tests the member in CI (default: pytest)", multiline=True
    )
    python: PythonAxis = python_axis()
    tests: tuple[str, ...] | None = test_locations()
    test_extras: AllOrNames = all_or_names("the member's extras its test job installs")
    test_groups: AllOrNames = all_or_names("the member's dependency groups its test job installs")
    test_root_groups: RootGroups = root_groups()
    docker: MemberDockerSettings = section(MemberDockerSettings, "per-member image settings")
    tasks: tuple[Task, ...] = tasks(
        "this member's own commands for `uvmono run NAME` (over the root's), or false for none",
        member=True,
    )

    def task(self, name: str) -> Task | None:
        return next((t for t in self.tasks if t.name == name), None)


ROOT_SCHEMA = keys(Settings)
DOCKER_SCHEMA = keys(DockerSettings)
CI_SCHEMA = keys(CiSettings)
MEMBER_SCHEMA = keys(MemberSettings)
MEMBER_DOCKER_SCHEMA = keys(MemberDockerSettings)


def _tool_table(pyproject: Mapping[str, Any], file: Path | str) -> Mapping[str, Any]:
    tool = pyproject.get("tool", {})
    table = tool.get("uvmono", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise UvmonoError(
            f"`tool.uvmono` in {file} must be a table", hint="write it as [tool.uvmono]"
        )
    return table


def load_root(pyproject: Mapping[str, Any], file: Path) -> Settings:
    """The workspace settings with every default filled in."""
    values = validate(_tool_table(pyproject, file), Settings, file, "tool.uvmono")
    settings: Settings = build(Settings, values)
    return settings


MemberOverrides = Mapping[str, Any]
"""The keys a member's own `[tool.uvmono]` sets, checked, by field name."""


def load_member(pyproject: Mapping[str, Any], file: Path | str) -> MemberOverrides:
    """Only the keys the member sets; `effective` merges them over the root's."""
    return validate(_tool_table(pyproject, file), MemberSettings, file, "tool.uvmono")


def of_root_member(root: Settings) -> MemberOverrides:
    """The root member's own keys: those of the root's table that no other member inherits."""
    return {"docker": {"extras": root.docker.extras}} if root.docker.extras else {}


def effective(root: Settings, member: MemberOverrides) -> MemberSettings:
    """Member settings over root settings: `ignore` is the member's own (the root's applies
    to the whole workspace), and so are `tasks` (`uvmono run` looks at the root's after it)
    and `docker.extras` (extras are a package's own: the root's are the root member's);
    everything else overrides."""
    docker = records.replace(
        root.docker.member_defaults, **{"extras": (), **member.get("docker", {})}
    )
    return MemberSettings(
        ignore=member.get("ignore", ()),
        test_command=member.get("test_command", root.test_command),
        **{name: member.get(name, getattr(root, name)) for name in TEST_FIELDS},
        docker=docker,
        tasks=member.get("tasks", ()),
    )
