"""The requirement lists of a member's image, cut from uv.lock with `uv export --frozen`.

One definition for both places they are made: the `lock` stage of the generated Dockerfile
(rendered from `EXPORTS` and `LOCAL_GREP`), and `uvmono docker requirements`, which runs the
same exports on the host and writes them where `docker build --build-context lock=DIR` finds
them (`DIR/uvmono/requirements/*.txt`, the paths the stage writes). BuildKit lets a named
context replace the stage of that name, so a build given the directory reads no uv.lock at
all: a uv.lock change outside the image's environment writes the very same files, and every
step of the build stays cached. A plain `docker build` still runs the stage.

The files are the stage's byte for byte only when the same uv writes them, so the host's uv
must be the version the images pin (`tool.uvmono.docker.uv-version`), and it runs as the stage
does: from the workspace root, with no `UV_*` variable and no user or system uv.toml (the
stage has neither); the project's own settings (pyproject.toml, uv.toml) it reads in both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from uvmono import docker_checks
from uvmono.errors import UvmonoError
from uvmono.workspace import PYPROJECT, Workspace

REQUIREMENTS = "/uvmono/requirements"  # where the lock stage writes them
FLAGS = ("--quiet", "--no-header", "--no-annotate")
# (file, what it holds): third-party packages alone; with the members; with its groups.
EXPORTS = (
    ("deps.txt", ("--no-dev", "--no-emit-local")),
    ("app.txt", ("--no-dev", "--no-editable")),
    ("test.txt", ("--all-groups", "--no-editable")),
)
# The local packages of app.txt (`./path`, `.`), with their markers: the build stage installs
# these alone, without their dependencies (deps.txt has them).
LOCAL_GREP = "grep -E '^[.](/|$|[[:space:]])'"
_LOCAL = re.compile(r"[.](/|$|[ \t\n\v\f\r])")
_VERSION = re.compile(r"uv ([0-9][^ ]*)")


def export_argv(
    name: str, flags: Sequence[str], output: str, extras: Sequence[str] = ()
) -> list[str]:
    """The words of one export after `uv`: the same in the stage and on the host; `extras`
    are the member's own (`tool.uvmono.docker.extras`)."""
    chosen = [word for extra in extras for word in ("--extra", extra)]
    return [
        "export", "--frozen", "--package", name, *FLAGS, *chosen, *flags, "--output-file", output
    ]  # fmt: skip


def extras_of(workspace: Workspace, name: str) -> tuple[str, ...]:
    """The extras member `name`'s image installs, checked, normalized."""
    member = workspace.members[name]
    return docker_checks.extras(member, str(workspace.root / member.path / PYPROJECT))


def local_lines(app: str) -> str:
    """What `LOCAL_GREP` keeps of app.txt: its lines that name a local path, each ended."""
    lines = app.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(f"{line}\n" for line in lines if _LOCAL.match(line))


def write(workspace: Workspace, names: Sequence[str], output: Path) -> list[Path]:
    """Write `output/<member>/uvmono/requirements/*.txt` for each member; return the member
    directories. Every member's lists are made before any is moved into place."""
    uv = _pinned_uv(workspace)
    output.mkdir(parents=True, exist_ok=True)
    env = _clean_environment()
    written = []
    with tempfile.TemporaryDirectory(dir=output, prefix=".uvmono-") as scratch:
        for name in names:
            target = Path(scratch, name, REQUIREMENTS.lstrip("/"))
            target.mkdir(parents=True)
            _run_all(
                uv,
                [
                    export_argv(name, flags, str(target / file), extras_of(workspace, name))
                    for file, flags in EXPORTS
                ],
                workspace.root, env,
            )  # fmt: skip
            app = (target / "app.txt").read_text(encoding="utf-8")
            (target / "local.txt").write_text(local_lines(app), encoding="utf-8")
            for path in target.iterdir():  # BuildKit's content key includes the mode
                path.chmod(0o644)
        for name in names:
            final = output / name
            if final.is_dir() and not final.is_symlink():
                shutil.rmtree(final)
            elif final.exists() or final.is_symlink():
                final.unlink()
            Path(scratch, name).replace(final)
            written.append(final)
    return written


def _pinned_uv(workspace: Workspace) -> str:
    pinned = workspace.settings.docker.uv_version
    root_file = workspace.root / PYPROJECT
    found = shutil.which("uv")
    hint = (
        f"install uv {pinned} (e.g. `pip install uv=={pinned}`), or build without "
        "`--build-context lock=…`: the Dockerfile's lock stage exports them itself"
    )
    if found is None:
        raise UvmonoError("`uv` is not on PATH: it exports the image's requirement lists",
                          hint=hint)
    version = subprocess.run(
        [found, "--version"], capture_output=True, text=True, check=False, env=_clean_environment()
    ).stdout
    match = _VERSION.match(version)
    if match is None or match.group(1) != pinned:
        have = match.group(1) if match else repr(version.strip())
        raise UvmonoError(
            f"{found} is uv {have}, but the images export their requirement lists with uv "
            f"{pinned} (`tool.uvmono.docker.uv-version` in {root_file}): another uv could "
            "write other files than the Dockerfile's lock stage",
            hint=hint,
        )
    return found


def _clean_environment() -> dict[str, str]:
    """The environment without uv's variables, and with no user or system uv.toml in sight."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    nowhere = str(Path(tempfile.gettempdir(), "uvmono-no-uv-config"))
    env.update(XDG_CONFIG_HOME=nowhere, XDG_CONFIG_DIRS=nowhere)
    return env


def _run_all(uv: str, argvs: Sequence[list[str]], cwd: Path, env: dict[str, str]) -> None:
    """The exports at once (each reads uv.lock alone); the first failure is the error."""
    procs = [
        (argv, subprocess.Popen(
            [uv, *argv], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        ))
        for argv in argvs
    ]  # fmt: skip
    failed = []
    for argv, proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            failed.append((argv, proc.returncode, (err or out).strip().splitlines()))
    if failed:
        argv, code, message = failed[0]
        raise UvmonoError(
            f"`uv {' '.join(argv[:4])} …` failed in {cwd} (exit {code})"
            + (f": {message[-1]}" if message else ""),
            hint="run `uv lock` (is uv.lock current?), then try again",
        )
