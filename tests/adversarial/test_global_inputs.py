"""Files at the root that change what every member runs on: `.python-version`, `uv.toml`, and
the lock's `requires-python`. A change to any of them affects every member by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adversarial.harness import ok
from tests.gitutil import GitRepo
from tests.wsutil import project, uv, uv_binary, virtual_root, write_tree

needs_uv = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")


def workspace(tmp_path: Path, extra: dict[str, str] | None = None) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            **{f"packages/{n}/pyproject.toml": project(n) for n in ("a", "b")},
            **(extra or {}),
        },
    )
    return repo


def affected(repo: GitRepo) -> dict[str, list[str]]:
    result = ok(
        "affected", "--since", "HEAD~1", "--until", "HEAD", "--explain", "--format", "json",
        cwd=repo.path,
    )
    data = json.loads(result.stdout)
    return {name: [r["kind"] for r in reasons] for name, reasons in data["reasons"].items()}


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [(".python-version", "3.12\n", "3.13\n"), ("uv.toml", "", 'index-strategy = "first-index"\n')],
)
def test_a_root_file_that_sets_the_interpreter_or_uv_affects_every_member(
    tmp_path: Path, path: str, old: str, new: str
) -> None:
    repo = workspace(tmp_path, {path: old} if old else None)
    repo.commit("initial")
    repo.commit("change", (path, new))
    assert affected(repo) == {"a": ["global"], "b": ["global"]}


def test_the_same_files_inside_a_member_affect_only_it(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    repo.commit("initial")
    repo.commit("change", ("packages/a/.python-version", "3.13\n"))
    assert affected(repo) == {"a": ["file"]}


def test_global_files_can_leave_them_out(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    (repo.path / "pyproject.toml").write_text(
        virtual_root(["packages/*"], tail='[tool.uvmono]\nglobal-files = ["pyproject.toml"]\n')
    )
    repo.commit("initial")
    repo.commit("change", (".python-version", "3.13\n"))
    assert affected(repo) == {}


@needs_uv
def test_a_change_of_the_locks_requires_python_affects_every_member(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    for name in ("a", "b"):  # the interpreter running the tests must satisfy both bounds
        member = repo.path / f"packages/{name}/pyproject.toml"
        member.write_text(member.read_text().replace(">=3.11", ">=3.10"))
    locked = uv("lock", "--offline", cwd=repo.path)
    assert locked.returncode == 0, locked.stderr
    repo.commit("initial")
    member.write_text(member.read_text().replace(">=3.10", ">=3.11"))
    locked = uv("lock", "--offline", cwd=repo.path)
    assert locked.returncode == 0, locked.stderr
    assert 'requires-python = ">=3.11"' in (repo.path / "uv.lock").read_text()
    repo.commit("b needs 3.11, and so the whole workspace")

    result = ok("affected", "--since", "HEAD~1", "--until", "HEAD", "--explain", cwd=repo.path)

    assert "requires-python changed from >=3.10 to >=3.11" in result.stdout
    assert affected(repo) == {"a": ["lock"], "b": ["file", "lock"]}
