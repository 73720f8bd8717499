"""Run the real CLI on hostile input and check how it answers or fails.

A failure must be exit code 2, exactly one `error:` line naming what and where, a `hint:` line
after it, no traceback and no answer on stdout; the repository must be left as it was.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.gitutil import git_env

# Variables that make `--since auto` read a CI system: tests set them only on purpose.
_CI_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "RUNNER_")


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return (
            f"uvmono {' '.join(self.args)} -> {self.returncode}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in git_env().items() if not k.startswith(_CI_PREFIXES)}
    env.pop("CI", None)
    env.update(extra or {})
    return env


def run(*args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 60) -> Result:
    """`uvmono ARGS` as a subprocess; output decoded the way Python decodes file names."""
    proc = subprocess.run(
        [sys.executable, "-m", "uvmono", *args],
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Result(
        args,
        proc.returncode,
        proc.stdout.decode("utf-8", "surrogateescape"),
        proc.stderr.decode("utf-8", "surrogateescape"),
    )


def ok(*args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 60) -> Result:
    result = run(*args, cwd=cwd, env=env, timeout=timeout)
    assert result.returncode == 0, str(result)
    assert "Traceback" not in result.stderr, str(result)
    return result


def expect_error(result: Result, *fragments: str, code: int = 2) -> str:
    """The `error:` line, after checking the whole shape of a clean failure."""
    assert "Traceback" not in result.stderr, str(result)
    assert "internal error" not in result.stderr, str(result)
    assert result.returncode == code, str(result)
    lines = result.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("error: ")]
    assert len(errors) == 1, str(result)
    error = lines[errors[0]]
    assert errors[0] + 1 < len(lines) and lines[errors[0] + 1].startswith("hint: "), str(result)
    assert len(lines[errors[0] + 1]) > len("hint: "), str(result)
    for fragment in fragments:
        assert fragment in error, f"{fragment!r} not in the error line\n{result}"
    assert result.stdout == "", str(result)
    return error


def fails(
    *args: str, cwd: Path, fragments: tuple[str, ...] = (), env: Mapping[str, str] | None = None
) -> str:
    """Run, expect a clean failure, and check that nothing under `cwd` changed."""
    with unchanged(cwd):
        return expect_error(run(*args, cwd=cwd, env=env), *fragments)


def snapshot(root: Path) -> dict[str, str]:
    """Every path under `root` with a hash of what it holds; `.git` only by its status."""
    out: dict[str, str] = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in [*files, *dirs]:
            path = Path(directory, name)
            rel = os.fsencode(path.relative_to(root)).decode("utf-8", "surrogateescape")
            if path.is_symlink():
                out[rel] = f"-> {path.readlink()}"
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    if (root / ".git").exists():
        status = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--ignored", "--untracked-files=all"],
            cwd=root,
            env=clean_env(),
            capture_output=True,
            check=False,
        )
        out[".git status"] = f"{status.returncode} {status.stdout!r}"
        head = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=root,
            env=clean_env(),
            capture_output=True,
            check=False,
        )
        out[".git HEAD"] = head.stdout.decode()
    return out


@contextmanager
def unchanged(root: Path) -> Iterator[None]:
    before = snapshot(root)
    yield
    after = snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"uvmono changed {changed} under {root}"


@functools.cache
def available(*command: str) -> bool:
    """Whether this checkout's CLI has `uvmono COMMAND...` (others add commands as they go)."""
    *group, name = command
    proc = subprocess.run(
        [sys.executable, "-m", "uvmono", *group, "--help"],
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode == 0 and any(
        line.split()[:1] == [name] for line in proc.stdout.splitlines()
    )


def commit_everything(root: Path, message: str = "initial") -> None:
    """Commit the whole working tree as the first commit of a new repository, in one pack.

    `git add` writes a loose object per file, which costs seconds for thousands of members;
    `git fast-import` writes one pack.
    """
    stream = [b"commit " + _git(root, "symbolic-ref", "HEAD").strip()]
    stream += [b"committer uvmono tests <tests@uvmono.invalid> 0 +0000"]
    stream += [b"data %d" % len(message.encode()), message.encode()]
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(directory, name)
            data = path.read_bytes()
            rel = os.fsencode(path.relative_to(root))
            stream += [b"M 100644 inline " + rel, b"data %d" % len(data), data]
    _git(root, "fast-import", "--quiet", stdin=b"\n".join(stream) + b"\n")
    _git(root, "reset", "--quiet")


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        ["git", *args], cwd=root, env=clean_env(), input=stdin, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout
