"""Build uv workspaces from a few lines of TOML, and run the real uvmono and uv on them."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from uvmono.install_source import InstallSource, resolve_source
from uvmono.workspace import Workspace, lock_of

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-monorepo"
BUILD_SYSTEM = '[build-system]\nrequires = ["uv_build>=0.8,<0.14"]\nbuild-backend = "uv_build"\n'


def toml_value(value: Any) -> str:
    return json.dumps(value)


def project(
    name: str,
    deps: Sequence[str] = (),
    *,
    extras: Mapping[str, Sequence[str]] | None = None,
    groups: Mapping[str, Sequence[Any]] | None = None,
    sources: Sequence[str] = (),
    packaged: bool = True,
    scripts: Mapping[str, str] | None = None,
    version: str = "0.1.0",
    tail: str = "",
) -> str:
    """A pyproject.toml; `sources` names members to mark `{ workspace = true }`."""
    lines = [
        "[project]",
        f"name = {toml_value(name)}",
        f'version = "{version}"',
        'requires-python = ">=3.11"',
        f"dependencies = {toml_value(list(deps))}",
    ]
    if extras:
        lines.append("[project.optional-dependencies]")
        lines += [f"{toml_value(k)} = {toml_value(list(v))}" for k, v in extras.items()]
    if scripts:
        lines.append("[project.scripts]")
        lines += [f"{toml_value(k)} = {toml_value(v)}" for k, v in scripts.items()]
    if groups:
        lines.append("[dependency-groups]")
        for k, v in groups.items():
            items = ", ".join(
                toml_value(i)
                if isinstance(i, str)
                else f'{{ include-group = "{i["include-group"]}" }}'
                for i in v
            )
            lines.append(f"{toml_value(k)} = [{items}]")
    if sources:
        lines.append("[tool.uv.sources]")
        lines += [f"{toml_value(s)} = {{ workspace = true }}" for s in sources]
    text = "\n".join(lines) + "\n"
    if packaged:
        text += BUILD_SYSTEM
    return text + tail


def virtual_root(
    members: Sequence[str], exclude: Sequence[str] = (), sources: Sequence[str] = (), tail: str = ""
) -> str:
    text = f"[tool.uv.workspace]\nmembers = {toml_value(list(members))}\n"
    if exclude:
        text += f"exclude = {toml_value(list(exclude))}\n"
    if sources:
        text += "[tool.uv.sources]\n" + "".join(
            f"{toml_value(s)} = {{ workspace = true }}\n" for s in sources
        )
    return text + tail


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if rel.endswith("pyproject.toml") and "[project]" in text and "uv_build" in text:
            module = _module_dir(path.parent, text)
            module.mkdir(parents=True, exist_ok=True)
            (module / "__init__.py").touch()
    return root


def _module_dir(member: Path, text: str) -> Path:
    import tomllib

    name: str = tomllib.loads(text)["project"]["name"]
    module = name.replace("-", "_").replace(".", "_").lower()
    return member / "src" / module


def uvmono(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    check: bool = False,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`uvmono ARGS` in `cwd` with `env` added to the environment: in this process (what
    `python -m uvmono` runs, `uvmono/__main__.py`, with stdout and stderr captured), or with
    `process=True` (or UVMONO_TESTS_PROCESS=1 for the whole suite) as a real `python -m uvmono`.
    A test that needs a real process (signals, process groups, file descriptors, the interpreter's
    own exit) passes `process=True` and says why."""
    if process or os.environ.get("UVMONO_TESTS_PROCESS") == "1":
        proc = _uvmono_process(args, cwd, env)
    else:
        proc = _uvmono_in_process(args, cwd, env)
    if check and proc.returncode != 0:
        raise AssertionError(f"uvmono {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def _uvmono_process(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uvmono", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _uvmono_in_process(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None
) -> subprocess.CompletedProcess[str]:
    """Run `uvmono/__main__.py` as `python -m uvmono` would, and put back what it changes: the
    working directory, os.environ (`ci_env.read` reads it), sys.argv, sys.stdout/sys.stderr,
    tempfile's directory (from TMPDIR) and uvmono's own process-wide state (`_reset`)."""
    import runpy
    import traceback

    out, err = _captured(), _captured()
    saved_environ = dict(os.environ)
    saved_cwd = Path.cwd()
    saved = sys.argv, sys.stdout, sys.stderr
    saved_tempdir = tempfile.tempdir  # read from TMPDIR once per process, then cached
    code: int
    try:
        os.environ.update(env or {})
        os.chdir(cwd)
        sys.argv = ["uvmono", *args]
        sys.stdout, sys.stderr = out, err
        tempfile.tempdir = None
        _reset()
        try:
            runpy.run_module("uvmono", run_name="__main__", alter_sys=False)
            code = 0
        except SystemExit as exc:  # what the interpreter does with it at exit
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                err.write(f"{exc.code}\n")
                code = 1
        except Exception:  # an uncaught exception: a traceback and exit code 1, as in a process
            err.write(traceback.format_exc())
            code = 1
        for stream in (out, err):
            stream.flush()
    finally:
        sys.argv, sys.stdout, sys.stderr = saved
        os.chdir(saved_cwd)
        for key in [k for k in os.environ if k not in saved_environ]:
            del os.environ[key]
        os.environ.update(saved_environ)
        tempfile.tempdir = saved_tempdir
        _reset()
    return subprocess.CompletedProcess(
        [sys.executable, "-m", "uvmono", *args], code, _text(out), _text(err)
    )


def _captured() -> io.TextIOWrapper:
    """A stream like a pipe's stdout: UTF-8, not a terminal (uvmono reconfigures its errors)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")


def _text(stream: io.TextIOWrapper) -> str:
    """What `subprocess.run(..., text=True)` makes of the bytes: strict UTF-8, universal
    newlines."""
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    data = buffer.getvalue()
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _reset() -> None:
    """uvmono's process-wide state, as a fresh process has it: the global options (`--color`,
    `-q`, `--root`, `--debug`) and the persistent `git cat-file` per repository."""
    from uvmono import console, git

    vars(console.state).clear()  # the class attributes are the defaults
    git._cat_file.cache_clear()


def uv_binary() -> str | None:
    found = shutil.which("uv")
    if found:
        return found
    candidate = Path(sys.executable).parent / "uv"
    return str(candidate) if candidate.exists() else None


def uv(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = uv_binary()
    assert binary is not None, "uv is not installed"
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [binary, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def install_source_of(ws: Workspace) -> InstallSource:
    """Where the CI files would install uvmono from, with the workspace's own uv.lock."""
    return resolve_source(ws, lock_of(ws))
