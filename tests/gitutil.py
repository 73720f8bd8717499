"""Real git repositories for tests: `GitRepo.init(tmp_path / "repo")`, write files, commit.

Every git command runs with the user's global and system configuration switched off and
with a fixed identity, so tests behave the same on every machine and inside git hooks.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ZERO_SHA = "0" * 40


def git_env() -> dict[str, str]:
    """os.environ without GIT_* variables (a hook's GIT_DIR would redirect every command)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_AUTHOR_NAME="uvmono tests",
        GIT_AUTHOR_EMAIL="tests@uvmono.invalid",
        GIT_COMMITTER_NAME="uvmono tests",
        GIT_COMMITTER_EMAIL="tests@uvmono.invalid",
    )
    return env


def run_git(cwd: Path, *args: str, input: str | None = None) -> str:
    """stdout of `git ARGS` run in `cwd` with `input` on stdin, trailing newline removed.

    Raises AssertionError with git's message when git fails.
    """
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=git_env(),
        input=input,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout.removesuffix("\n")


@dataclass(frozen=True)
class GitRepo:
    """A git working tree in a temporary directory."""

    path: Path

    @classmethod
    def init(cls, path: Path, *, branch: str = "main") -> GitRepo:
        """An empty repository at `path` whose first branch is `branch`."""
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "-c", f"init.defaultBranch={branch}", "init", "--quiet")
        repo = cls(path)
        repo.configure()
        return repo

    @classmethod
    def clone(cls, source: GitRepo, path: Path, *args: str) -> GitRepo:
        """Clone `source` over file:// (so that `--depth 1` makes a real shallow clone)."""
        run_git(path.parent, "clone", "--quiet", *args, source.url, str(path))
        repo = cls(path)
        repo.configure()
        return repo

    def configure(self) -> None:
        """Identity and settings that make commits work the same on every machine."""
        for key, value in (
            ("user.name", "uvmono tests"),
            ("user.email", "tests@uvmono.invalid"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
            ("core.autocrlf", "false"),
        ):
            self.run("config", key, value)

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()

    def run(self, *args: str, input: str | None = None) -> str:
        """stdout of `git ARGS` in this repository."""
        return run_git(self.path, *args, input=input)

    def write(self, relpath: str, text: str = "") -> Path:
        """Write a file (creating its directories); the path is relative to the repository."""
        file = self.path / relpath
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        return file

    def remove(self, relpath: str) -> None:
        (self.path / relpath).unlink()

    def add(self, *paths: str) -> None:
        """Stage `paths`, or every change when none are given."""
        self.run("add", "--all", "--", *paths)

    def commit(self, message: str = "change", *files: tuple[str, str]) -> str:
        """Write `files` as (path, text) pairs, stage everything, commit; the new full SHA."""
        for relpath, text in files:
            self.write(relpath, text)
        self.add()
        self.run("commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)
        return self.sha("HEAD")

    def commits(self, count: int, prefix: str) -> str:
        """`count` commits that each add one file `{prefix}{n}.txt`; the last SHA."""
        for number in range(count):
            self.commit(f"{prefix} {number}", (f"{prefix}{number}.txt", f"{number}\n"))
        return self.sha("HEAD")

    def sha(self, rev: str = "HEAD") -> str:
        return self.run("rev-parse", "--verify", f"{rev}^{{commit}}")

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.run("branch", name, start)

    def checkout(self, rev: str, *, new: bool = False, detach: bool = False) -> None:
        """Switch to `rev`; `new` creates the branch, `detach` leaves HEAD detached."""
        flags = ["-b"] if new else ["--detach"] if detach else []
        self.run("checkout", "--quiet", *flags, rev)
