"""The checks of the Docker planning stage: every value that ends up in a Dockerfile, a
.dockerignore, a bake file or a command line, refused with the key and the file where it
cannot be written there safely."""

from __future__ import annotations

import re
from collections.abc import Sequence

from uvmono import plan
from uvmono.config import MemberDockerSettings
from uvmono.errors import UvmonoError
from uvmono.workspace import Member

VENV = "/app/.venv"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# One path component we write into COPY lines, `--mount` options and .dockerignore patterns
# unquoted: no spaces, quotes, `$`, `,`, `=`, glob characters or leading `-`; not `.` or `..`.
_COMPONENT = re.compile(r"(?!\.\.?$)[A-Za-z0-9._][A-Za-z0-9._-]*")
_SCRIPT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_DEBIAN_PACKAGE = re.compile(r"[a-z0-9][a-z0-9+.-]+(?:=[A-Za-z0-9.+~:-]+)?")
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = rf"(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
# An image reference (distribution/reference grammar): repository, optional tag and digest.
_IMAGE_REF = re.compile(
    rf"{_REPOSITORY}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?(?:@sha256:[0-9a-f]{{64}})?"
)


def entrypoint(member: Member, docker: MemberDockerSettings, file: str) -> tuple[str, ...]:
    command = docker.command
    if command:
        for part in command:
            if _CONTROL.search(part):
                raise UvmonoError(
                    f"`tool.uvmono.docker.command` in {file} holds a control character: {part!r}",
                    hint="write each argument on one line, without tabs or newlines",
                )
        return tuple(command)
    scripts = sorted(member.scripts)
    if len(scripts) == 1:
        script = scripts[0]
        if not _SCRIPT.fullmatch(script):
            raise UvmonoError(
                f"the console script {script!r} of {member.name} ({file}) cannot be an "
                "entry point written safely into a Dockerfile",
                hint='set [tool.uvmono.docker] command = ["…"] in that file',
            )
        return (f"{VENV}/bin/{script}",)
    if not scripts:
        raise UvmonoError(
            f"{member.name} gets an image but has no console script to run ({file})",
            hint='set [tool.uvmono.docker] command = ["python", "-m", "your_module"] in that file',
        )
    listed = ", ".join(scripts)
    raise UvmonoError(
        f"{member.name} has {len(scripts)} console scripts ({listed}), so its image does not "
        f"know which one to run ({file})",
        hint=f'pick one in that file: [tool.uvmono.docker] command = ["{scripts[0]}"]',
    )


def extras(member: Member, file: str) -> tuple[str, ...]:
    """`tool.uvmono.docker.extras`, normalized, each one the member defines."""
    from uvmono.names import normalize

    chosen = tuple(dict.fromkeys(normalize(e) for e in member.settings.docker.extras))
    for extra in chosen:
        if extra not in member.extras:
            defined = ", ".join(member.extras) or "none"
            raise UvmonoError(
                f"`tool.uvmono.docker.extras` in {file} names {extra!r}, which "
                f"{member.name} does not define (its extras: {defined})",
                hint=f"add it to [project.optional-dependencies] of {member.name}, or drop it",
            )
    return chosen


def test_command(member: Member, file: str) -> str:
    """A shell script (the Dockerfile runs it with sh -c from a JSON array, so any text is safe)."""
    command = plan.test_command(member).strip()
    if not command or "\x00" in command:
        raise UvmonoError(
            f"`tool.uvmono.test-command` in {file} is empty or holds a NUL character",
            hint='give a shell command, e.g. "pytest -x"',
        )
    return command


def optional_line(value: str | None, key: str, file: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if _CONTROL.search(text):
        raise UvmonoError(
            f"`{key}` in {file} holds a newline or another control character: {value!r}",
            hint="write it on one line",
        )
    return text


def debian_packages(names: Sequence[str], key: str, file: str) -> tuple[str, ...]:
    for name in names:
        if not _DEBIAN_PACKAGE.fullmatch(name):
            raise UvmonoError(
                f"`tool.uvmono.docker.{key}` in {file} has {name!r}, which is not a Debian "
                "package name",
                hint='write names like "libpq5", optionally pinned: "libpq5=15.8-0+deb12u1"',
            )
    return tuple(sorted(set(names)))


# -------------------------------------------------------------------------------- checks


def safe_path(path: str, what: str, file: object) -> str:
    """A relative POSIX path of safe components, or "." (the workspace root)."""
    if path == ".":
        return path
    parts = path.split("/")
    if path.startswith("/") or not all(_COMPONENT.fullmatch(p) for p in parts):
        raise UvmonoError(
            f"{what}, {path!r} ({file}), cannot be written into a Dockerfile safely",
            hint="uvmono writes paths relative to the workspace root whose names use only "
            "letters, digits, '.', '_' and '-' (not first): rename it",
        )
    return path


def printable(value: str, key: str, file: object) -> str:
    if _CONTROL.search(value):
        raise UvmonoError(
            f"`{key}` in {file} holds a newline or another control character: {value!r}",
            hint="write it on one line",
        )
    return value


def image_ref(value: str, key: str, file: object) -> str:
    if not _IMAGE_REF.fullmatch(value):
        raise UvmonoError(
            f"`{key}` in {file} is {value!r}, which is not an image reference",
            hint='write it like "python:3.12-slim-trixie", "ghcr.io/org/image:tag" or '
            '"python:3.12-slim-trixie@sha256:<64 hex>"',
        )
    return value


def expand(template: str, key: str, file: object, **values: str) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        placeholders = ", ".join(f"{{{k}}}" for k in values)
        raise UvmonoError(
            f"`tool.uvmono.docker.{key}` = {template!r} in {file} cannot be expanded: {exc}",
            hint=f"use only the placeholder {placeholders}",
        ) from None


def check_tag(tag: str) -> str:
    if not _TAG.fullmatch(tag):
        raise UvmonoError(
            f"{tag!r} is not an image tag",
            hint="a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' "
            "or '-'",
        )
    return tag
