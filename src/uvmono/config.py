"""`[tool.uvmono]`: the schema, the defaults, and validation with errors that name file and key.

The root pyproject.toml holds the workspace settings; a member's own `[tool.uvmono]` may override
the member-level keys (MEMBER_SCHEMA) for that member alone.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError

Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Key:
    check: Check
    expected: str
    default: Any
    doc: str


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_port_list(v: Any) -> bool:
    return isinstance(v, list) and all(_is_int(x) and 0 < x < 65536 for x in v)


def _choice(default: str, doc: str, *choices: str) -> Key:
    return Key(lambda v: v in choices, " or ".join(f'"{c}"' for c in choices), default, doc)


def _str(default: str | None, doc: str) -> Key:
    return Key(_is_str, "a string", default, doc)


def _strs(default: list[str], doc: str) -> Key:
    return Key(_is_str_list, "a list of strings", default, doc)


def _bool(default: bool | None, doc: str) -> Key:
    return Key(_is_bool, "true or false", default, doc)


def _int(default: int | None, doc: str) -> Key:
    return Key(_is_int, "a non-negative integer", default, doc)


def _is_template(v: Any) -> bool:
    """A `str.format` template of plain `{field}`s. A format spec or an attribute would expand
    to garbage or exhaust memory (`{name:>999999999}`, `{name.upper}`); which fields a key
    offers is checked where it is expanded."""
    if not isinstance(v, str):
        return False
    try:
        parsed = list(string.Formatter().parse(v))
    except ValueError:
        return False
    return all(
        field is None or (not spec and not conversion and not set(field) & set(".[]"))
        for _, field, spec, conversion in parsed
    )


_PLAIN = "plain placeholders (no `:spec`, `!conversion`, `.attribute` or `[index]`)"


def _template(default: str, doc: str) -> Key:
    return Key(_is_template, f"a string with {_PLAIN}", default, doc)


def _templates(doc: str) -> Key:
    return Key(
        lambda v: isinstance(v, list) and all(_is_template(x) for x in v),
        f"a list of strings with {_PLAIN}",
        [],
        doc,
    )


def _table(doc: str) -> Key:
    return Key(lambda v: isinstance(v, dict), "a table", {}, doc)


# Keys a member may set in its own [tool.uvmono] (and the root may set as the default for all).
MEMBER_DOCKER_SCHEMA: dict[str, Key] = {
    "image": _bool(None, "build an image for this member (default: when it has [project.scripts])"),
    "command": _strs([], "the image's ENTRYPOINT (default: the member's single console script)"),
    "ports": Key(_is_port_list, "a list of port numbers (1 to 65535)", [], "ports to EXPOSE"),
    "healthcheck": _str(None, "a HEALTHCHECK command, run with sh -c"),
    "system-packages": _strs([], "Debian packages installed in the runtime image"),
    "build-packages": _strs([], "Debian packages for the build stage (compilers, headers)"),
    "extra-files": _strs([], "more paths (relative to the workspace root) copied into the image"),
}

MEMBER_SCHEMA: dict[str, Key] = {
    "ignore": _strs([], "globs (relative to the member) of files whose change affects nothing"),
    "test-command": _str(None, "the command that tests the member in CI (default: pytest)"),
    "docker": _table("per-member image settings"),
}

DOCKER_SCHEMA: dict[str, Key] = {
    **MEMBER_DOCKER_SCHEMA,
    "base-image": _template("python:{python}-slim-bookworm", "builder and runtime base image"),
    "uv-image": _template("ghcr.io/astral-sh/uv:{uv_version}", "the image uv is copied from"),
    "uv-version": _str("0.13.9", "uv version pinned in the uv image tag"),
    "image-name": _template("{name}", "image name template: {name}, {path}, {version}"),
    "registry": _str("", "registry prefix for image tags, e.g. ghcr.io/acme"),
    "user-id": _int(10001, "numeric uid/gid the runtime image runs as"),
    "platforms": _strs([], "platforms for docker buildx bake, e.g. linux/amd64, linux/arm64"),
    "cache-from": _templates("bake cache-from entries; {name} is the member"),
    "cache-to": _templates("bake cache-to entries; {name} is the member"),
    "attestations": _bool(False, "bake: SBOM and provenance attestations"),
    "indexes": _strs([], "names of private uv indexes whose credentials come from secrets"),
    "syntax": _str(None, "a `# syntax=` frontend line (off by default: BuildKit would pull it)"),
    "source-url": _str(None, "repository URL for the org.opencontainers.image.source label"),
}

CI_SCHEMA: dict[str, Key] = {
    "github-workflow": _str(".github/workflows/uvmono.yml", "where `uvmono ci github` writes"),
    "gitlab-file": _str(".gitlab-ci.yml", "where `uvmono ci gitlab` writes the parent pipeline"),
    "gitlab-strategy": _choice(
        "depend", "trigger strategy of the child pipeline", "depend", "mirror"
    ),
    "gitlab-image-builder": _choice("dind", "how GitLab builds images", "dind", "buildah"),
    "runner": _str("ubuntu-24.04", "GitHub runner label"),
    "max-jobs": _int(256, "most matrix jobs per CI job (GitHub: 256, GitLab: 200)"),
    "uvmono-source": _str(
        None, "how CI installs uvmono: a uv pip install spec pinned to a commit or URL"
    ),
    "default-branch": _str("main", "the branch images are pushed from"),
}

ROOT_SCHEMA: dict[str, Key] = {
    "generate": Key(
        lambda v: _is_str_list(v) and set(v) <= {"docker", "bake", "github", "gitlab"},
        'a list of "docker", "bake", "github", "gitlab"',
        ["docker"],
        "what `uvmono generate` writes and `uvmono check` checks",
    ),
    "global-files": _strs(["pyproject.toml"], "globs whose change affects every member"),
    "ignore": _strs([], "globs of files whose change affects nothing"),
    "affected": _choice("environment", "what a change reaches", "environment", "graph"),
    "lockfile": _choice("granular", "how uv.lock changes count", "granular", "global"),
    "python": _str(None, "Python version when neither .python-version nor requires-python says"),
    "test-command": _str(None, "the command that tests a member in CI (default: pytest)"),
    "docker": _table("image settings"),
    "ci": _table("CI settings"),
}

_SECTIONS_ROOT = {"docker": DOCKER_SCHEMA, "ci": CI_SCHEMA}
_SECTIONS_MEMBER = {"docker": MEMBER_DOCKER_SCHEMA}


def _validate(
    table: Mapping[str, Any],
    schema: Mapping[str, Key],
    sections: Mapping[str, Mapping[str, Key]],
    file: Path,
    prefix: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}"
        if key not in schema:
            valid = ", ".join(sorted(schema))
            raise UvmonoError(f"unknown key `{dotted}` in {file}", hint=f"valid keys here: {valid}")
        spec = schema[key]
        if not spec.check(value):
            raise UvmonoError(
                f"`{dotted}` in {file} must be {spec.expected}, not {value!r}",
                hint=f"{dotted}: {spec.doc}",
            )
        if key not in _MULTILINE_KEYS and _has_control_character(value):
            raise UvmonoError(
                f"`{dotted}` in {file} holds a line break or another control character: "
                f"{value!r}",
                hint=f"{dotted} is written into single lines of generated files: "
                "remove the control character",
            )
        if key in sections:
            out[key] = _validate(value, sections[key], {}, file, dotted)
        else:
            out[key] = value
    return out


# A shell script may span lines; every other string lands on one line of a Dockerfile or a
# command, where a line break would start a new instruction.
_MULTILINE_KEYS = {"test-command"}


def _has_control_character(value: Any) -> bool:
    if isinstance(value, str):
        return any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)
    return isinstance(value, list) and any(_has_control_character(v) for v in value)


def _with_defaults(
    values: Mapping[str, Any],
    schema: Mapping[str, Key],
    sections: Mapping[str, Mapping[str, Key]],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in schema.items():
        if key in sections:
            out[key] = _with_defaults(values.get(key, {}), sections[key], {})
        else:
            out[key] = values.get(key, spec.default)
    return out


def _tool_table(pyproject: Mapping[str, Any], file: Path) -> Mapping[str, Any]:
    tool = pyproject.get("tool", {})
    table = tool.get("uvmono", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise UvmonoError(
            f"`tool.uvmono` in {file} must be a table", hint="write it as [tool.uvmono]"
        )
    return table


def load_root(pyproject: Mapping[str, Any], file: Path) -> dict[str, Any]:
    """The workspace settings with every default filled in."""
    values = _validate(
        _tool_table(pyproject, file), ROOT_SCHEMA, _SECTIONS_ROOT, file, "tool.uvmono"
    )
    return _with_defaults(values, ROOT_SCHEMA, _SECTIONS_ROOT)


def load_member(pyproject: Mapping[str, Any], file: Path) -> dict[str, Any]:
    """Only the keys the member sets; `effective` merges them over the root's."""
    return _validate(
        _tool_table(pyproject, file), MEMBER_SCHEMA, _SECTIONS_MEMBER, file, "tool.uvmono"
    )


def effective(root: Mapping[str, Any], member: Mapping[str, Any]) -> dict[str, Any]:
    """Member settings over root settings: `ignore` adds up, everything else overrides."""
    docker = {k: root["docker"][k] for k in MEMBER_DOCKER_SCHEMA}
    docker.update(member.get("docker", {}))
    return {
        "ignore": list(member.get("ignore", [])),
        "test-command": member.get("test-command", root["test-command"]),
        "docker": docker,
    }
