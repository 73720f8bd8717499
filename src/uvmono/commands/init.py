"""`uvmono init`: add a commented `[tool.uvmono]` table to the root pyproject.toml.

The table is appended as text after the last byte of the file, so every existing comment,
blank line and key stays exactly where it was; tomlkit writes the table itself and then
checks that the whole file still parses. The comments are generated from the schemas in
`config`, so they cannot drift from what uvmono accepts.
"""

from __future__ import annotations

import os
import textwrap
import tomllib
from collections.abc import Mapping
from pathlib import Path

import tomlkit
import tomlkit.exceptions
import tomlkit.items

from uvmono import config, files
from uvmono.config_fields import Key
from uvmono.errors import UvmonoError
from uvmono.regular import PYPROJECT_LIMIT, read_regular, repository_root
from uvmono.workspace import PYPROJECT, read_toml

_INTRO = (
    "uvmono's settings for this workspace. Every key is optional: a commented-out line shows "
    "its default, or <its type> when it has none. `uvmono check` (and its pre-commit hook) "
    "fails when a generated file is stale."
)
_WIDTH = 88


def init(root: Path) -> list[str]:
    """Append `[tool.uvmono]` to `root`'s pyproject.toml; returns the `generate` kinds set."""
    file = root / PYPROJECT
    if not file.is_file():
        raise UvmonoError(
            f"no pyproject.toml in {root}", hint="pass --root the directory of the workspace root"
        )
    tool = read_toml(file).get("tool")
    if isinstance(tool, dict) and "uvmono" in tool:
        raise UvmonoError(
            f"{file} already has a [tool.uvmono] table",
            hint="edit it by hand; `uvmono init` only adds the table where there is none",
        )
    kinds = detect_generate(root)
    target = _real_target(root, file)
    with files.lock(root):
        original = read_regular(
            target, what="pyproject.toml", limit=PYPROJECT_LIMIT, hint="make it a readable file"
        )
        if original is None:
            raise UvmonoError(f"{file} disappeared", hint="run `uvmono init` again")
        updated = original + _appendix(original, tool_table(kinds)).encode()
        _check_parses(file, updated)
        _replace_atomically(target, updated)
    return kinds


def _real_target(root: Path, file: Path) -> Path:
    """Where `file` really is: a symlinked pyproject.toml is edited where it points (the link
    stays a link), but only inside the repository and outside `.git`."""
    target = Path(os.path.realpath(file))
    if target == file.absolute():
        return file
    boundary = repository_root(root)
    try:
        inside = target.relative_to(boundary)
    except ValueError:
        inside = None
    if inside is None or ".git" in inside.parts:
        where = "outside the repository" if inside is None else "inside git's own directory"
        raise UvmonoError(
            f"{file} is a symlink to {target}, {where}: uvmono does not write there",
            hint=f"add [tool.uvmono] to {target} by hand, or replace the symlink with the file",
        )
    return target


def detect_generate(root: Path) -> list[str]:
    """docker always; a CI system when its files are in the workspace root or the git root."""
    from uvmono.git import find_repo_root

    places = [root]
    repo_root = find_repo_root(root)
    if repo_root is not None and repo_root != root:
        places.append(repo_root)
    kinds = ["docker"]
    if any((place / ".github").is_dir() for place in places):
        kinds.append("github")
    if any((place / ".gitlab-ci.yml").is_file() for place in places):
        kinds.append("gitlab")
    return kinds


def tool_table(kinds: list[str]) -> str:
    """The `[tool.uvmono]` table: `generate = kinds`, every other key commented out."""
    sections = {"docker": config.DOCKER_SCHEMA, "ci": config.CI_SCHEMA}
    uvmono = tomlkit.table()
    _add_comment(uvmono, f"{_INTRO} {_member_overrides()}")
    uvmono.add(tomlkit.nl())
    generate = config.ROOT_SCHEMA["generate"]
    _add_comment(uvmono, f"{_sentence(generate.doc)}: {generate.expected}.")
    uvmono.add("generate", kinds)
    uvmono.add(tomlkit.nl())
    top_level = {
        key: spec
        for key, spec in config.ROOT_SCHEMA.items()
        if key != "generate" and key not in sections
    }
    for line in _commented_defaults(top_level):
        uvmono.add(tomlkit.comment(line))
    for name, schema in sections.items():
        section = tomlkit.table()
        intro = f"{_sentence(config.ROOT_SCHEMA[name].doc)}."
        if name == "docker":
            member_keys = ", ".join(config.MEMBER_DOCKER_SCHEMA)
            intro += f" Here {member_keys} are the defaults for every member."
        _add_comment(section, intro)
        for line in _commented_defaults(schema):
            section.add(tomlkit.comment(line))
        uvmono.add(tomlkit.nl())
        uvmono.add(name, section)
    tool = tomlkit.table(is_super_table=True)
    tool.add("uvmono", uvmono)
    document = tomlkit.document()
    document.add("tool", tool)
    return tomlkit.dumps(document)


def _member_overrides() -> str:
    member_keys = [key for key in config.MEMBER_SCHEMA if key != "docker"]
    return (
        "A member can override some settings for itself, in the [tool.uvmono] table of its own "
        f"pyproject.toml: {', '.join(member_keys)}, and in its [tool.uvmono.docker]: "
        f"{', '.join(config.MEMBER_DOCKER_SCHEMA)}."
    )


def _add_comment(table: tomlkit.items.Table, text: str) -> None:
    for line in textwrap.wrap(text, _WIDTH - 2, break_on_hyphens=False):
        table.add(tomlkit.comment(line))


def _commented_defaults(schema: Mapping[str, Key]) -> list[str]:
    """`key = default  # doc` for each key; a key without a default shows its type instead."""
    assignments = {key: f"{key} = {_default(spec)}" for key, spec in schema.items()}
    width = max(len(assignment) for assignment in assignments.values())
    lines = []
    for key, spec in schema.items():
        # A key with fixed choices lists them; for the others the value shows the type.
        doc = spec.doc if not spec.expected.startswith('"') else f"{spec.doc}: {spec.expected}"
        lines.append(f"{assignments[key].ljust(width)}  # {doc}")
    return lines


def _default(spec: Key) -> str:
    if spec.default is None:
        return f"<{spec.expected}>"
    if spec.default == {}:
        return "{}"
    return str(tomlkit.item(spec.default).as_string())


def _sentence(doc: str) -> str:
    return doc[:1].upper() + doc[1:]


def _appendix(original: bytes, table: str) -> str:
    """`table` with the file's own line endings, set off from the file by one blank line."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    if not original.strip() or original.endswith(f"{newline}{newline}".encode()):
        separator = ""
    elif original.endswith(newline.encode()):
        separator = newline
    else:
        separator = newline * 2
    return separator + table.replace("\n", newline)


def _check_parses(file: Path, data: bytes) -> None:
    """Both readers must accept the result: tomllib is what uvmono reads with, tomlkit what
    Python tools edit pyproject.toml with, and the settings must validate."""
    try:
        text = data.decode().removeprefix("\ufeff")  # a byte order mark, as uv reads it
        tomlkit.parse(text)
        config.load_root(tomllib.loads(text), file)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise UvmonoError(
            f"cannot append a [tool.uvmono] table to {file}: {exc}",
            hint="add [tool.uvmono] by hand next to the other [tool] settings",
        ) from None


def _replace_atomically(target: Path, data: bytes) -> None:
    try:
        files.write_atomically(target, data)
    except OSError as exc:
        raise _write_error(target, exc) from exc


def _write_error(target: Path, exc: OSError) -> UvmonoError:
    return UvmonoError(
        f"could not write {target}: {exc.strerror or exc}",
        hint="make sure the file and its directory are writable, then run again",
    )
