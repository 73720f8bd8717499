"""Hostile git repositories: none at all, no commits, unknown refs, a detached HEAD, a shallow
clone without a remote, submodules, worktrees, file names no shell would like, 100,000 files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.adversarial.harness import clean_env, expect_error, fails, ok, run, unchanged
from tests.gitutil import GitRepo
from tests.wsutil import virtual_root, write_tree

WORKSPACE = {
    "pyproject.toml": virtual_root(["packages/*"], sources=["lib"]),
    "packages/app/pyproject.toml": (
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["lib"]\n'
    ),
    "packages/lib/pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n',
}


def repo_with_workspace(path: Path) -> GitRepo:
    repo = GitRepo.init(path)
    write_tree(repo.path, WORKSPACE)
    repo.commit("initial")
    return repo


def affected_json(repo: Path, *args: str) -> dict[str, object]:
    with unchanged(repo):
        result = ok("affected", "--format", "json", *args, cwd=repo)
    data: dict[str, object] = json.loads(result.stdout)
    return data


# -------------------------------------------------------------------------- no repository


def test_outside_a_repository_affected_says_so_and_members_still_work(tmp_path: Path) -> None:
    write_tree(tmp_path, WORKSPACE)
    fails("affected", "--since", "main", cwd=tmp_path, fragments=("not inside a git repository",))
    fails("affected", cwd=tmp_path, fragments=("not inside a git repository",))
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == "app\nlib\n"
    assert json.loads(ok("graph", "--format", "json", cwd=tmp_path).stdout)["edges"]


def test_a_broken_git_file_is_not_a_repository(tmp_path: Path) -> None:
    write_tree(tmp_path, {**WORKSPACE, ".git": "gitdir: /nonexistent/uvmono\n"})
    fails("affected", "--since", "main", cwd=tmp_path, fragments=("not inside a git repository",))


def test_a_repository_without_commits(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, WORKSPACE)
    for args in (("--since", "main"), ()):
        fails("affected", *args, cwd=repo.path, fragments=("no commits yet",))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--since", "nope"), "unknown git ref 'nope' (--since)"),
        (("--since", "main", "--until", "nope"), "unknown git ref 'nope' (--until)"),
        (("--since", "-x"), "unknown git ref '-x'"),
        (("--since", "--output=/tmp/uvmono-pwned"), "unknown git ref '--output=/tmp/uvmono-pwned'"),
        (("--since", "main..HEAD"), "unknown git ref 'main..HEAD'"),
        (("--since", ""), "unknown git ref ''"),
        (("--since", "main\nHEAD"), "unknown git ref 'main\\nHEAD'"),
        (("--since", "0" * 40), "0000000000"),
    ],
)
def test_unknown_and_option_like_refs(tmp_path: Path, args: tuple[str, ...], fragment: str) -> None:
    repo = repo_with_workspace(tmp_path / "repo")
    fails("affected", *args, cwd=repo.path, fragments=(fragment,))
    assert not Path("/tmp/uvmono-pwned").exists()


def test_a_detached_head(tmp_path: Path) -> None:
    repo = repo_with_workspace(tmp_path / "repo")
    repo.checkout("HEAD", detach=True)
    repo.commit("detached", ("packages/lib/x.py", "x = 1\n"))
    data = affected_json(repo.path, "--since", "main", "--until", "HEAD")
    assert data["affected"] == ["app", "lib"]


def test_a_shallow_clone_without_a_remote(tmp_path: Path) -> None:
    origin = repo_with_workspace(tmp_path / "origin")
    first = origin.sha()
    origin.commit("second", ("packages/lib/x.py", "1\n"))
    origin.commit("third", ("packages/app/x.py", "1\n"))
    clone = GitRepo.clone(origin, tmp_path / "clone", "--depth", "1")
    clone.run("remote", "remove", "origin")
    error = fails("affected", "--since", first, cwd=clone.path, fragments=(first[:12], "shallow"))
    assert "no remote" in error
    result = run("affected", "--since", first, cwd=clone.path)
    assert "fetch-depth: 0" in result.stderr and "--on-missing-base all" in result.stderr
    # A relative ref the clone cannot resolve: the hint says why it may be missing.
    result = run("affected", "--since", "HEAD~1", cwd=clone.path)
    expect_error(result, "HEAD~1")
    assert "shallow clone" in result.stderr
    everything = affected_json(clone.path, "--since", first, "--on-missing-base", "all")
    assert everything["affected"] == ["app", "lib"]
    assert "everything" in str(everything["base_source"])


VENDOR = "packages/lib/vendor"


def test_a_submodule_inside_a_member_is_a_changed_file_of_that_member(tmp_path: Path) -> None:
    sub = GitRepo.init(tmp_path / "sub")
    sub.commit("one", ("f.txt", "1\n"))
    repo = repo_with_workspace(tmp_path / "repo")
    repo.run("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.url, VENDOR)
    repo.commit("add submodule")
    repo.checkout("feature", new=True)
    inner = GitRepo(repo.path / "packages/lib/vendor")
    inner.configure()
    inner.commit("two", ("f.txt", "2\n"))
    repo.commit("bump submodule")
    data = affected_json(repo.path, "--since", "main", "--until", "HEAD")
    assert data["changed_files"] == ["packages/lib/vendor"]
    assert data["directly_changed"] == ["lib"] and data["affected"] == ["app", "lib"]
    # Uncommitted work inside the submodule counts too (the working tree is the head).
    inner.write("f.txt", "3\n")
    data = affected_json(repo.path, "--since", "HEAD")
    assert data["changed_files"] == ["packages/lib/vendor"]


def test_a_worktree(tmp_path: Path) -> None:
    repo = repo_with_workspace(tmp_path / "repo")
    worktree = tmp_path / "worktree"
    repo.run("worktree", "add", "-q", "-b", "feature", str(worktree))
    (worktree / "packages/app/x.py").write_text("x = 1\n")
    data = affected_json(worktree, "--since", "main")
    assert data["workspace_root"] == str(worktree.resolve())
    assert data["changed_files"] == ["packages/app/x.py"] and data["affected"] == ["app"]
    assert ok("members", "--format", "names", cwd=worktree / "packages/app").stdout == "app\nlib\n"


ODD_NAMES = [
    "with space.py",
    "new\nline.py",
    "-rf",
    "--output=x",
    'quote"s.py',
    "it's.py",
    "back\\slash.py",
    "tab\there.py",
    "$(touch pwned).py",
    "`touch pwned2`.py",
    "caf\udce9.py",  # not UTF-8: one byte 0xE9
    "é-utf8.py",
    " leading space.py",
]


def test_file_names_no_shell_would_like(tmp_path: Path) -> None:
    repo = repo_with_workspace(tmp_path / "repo")
    for name in ODD_NAMES:
        (repo.path / "packages/lib" / name).write_text("x\n")
    committed = repo.commit("odd names")
    (repo.path / "packages/app" / "untracked\nname.py").write_text("x\n")
    expected = sorted(f"packages/lib/{name}" for name in ODD_NAMES)
    data = affected_json(repo.path, "--since", "HEAD~1", "--until", "HEAD")
    assert data["changed_files"] == expected and data["head"] == committed
    assert data["affected"] == ["app", "lib"]
    working_tree = affected_json(repo.path, "--since", "HEAD~1")
    assert working_tree["changed_files"] == sorted([*expected, "packages/app/untracked\nname.py"])
    # People's formats keep one line per reason, and a strict stream does not choke on the
    # name that is not UTF-8.
    strict = {"PYTHONIOENCODING": "utf-8:strict"}
    for fmt, lines in ((("--explain",), 4), (("--format", "table"), 3)):
        with unchanged(repo.path):
            result = ok("affected", "--since", "HEAD~1", *fmt, cwd=repo.path, env=strict)
        assert len(result.stdout.splitlines()) == lines, result.stdout
    only_odd = ok("affected", "--since", "HEAD~1", "--explain", cwd=repo.path / "packages/app")
    assert "untracked\\nname.py" in only_odd.stdout
    assert ok("affected", "--since", "HEAD~1", cwd=repo.path).stdout == "app\nlib\n"
    assert not (repo.path / "pwned").exists() and not (repo.path / "pwned2").exists()


def test_a_member_directory_with_a_line_break_cannot_be_printed_one_per_line(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/two\nlines/pyproject.toml": '[project]\nname = "odd"\nversion = "1"\n',
        },
    )
    repo.commit("initial")
    repo.write("packages/two\nlines/x.py", "x\n")
    fails("members", "--format", "paths", cwd=repo.path, fragments=("line break", "two\\nlines"))
    fails("affected", "--since", "HEAD", "-f", "paths", cwd=repo.path, fragments=("line break",))
    table = ok("members", cwd=repo.path).stdout
    assert "packages/two\\nlines" in table and len(table.splitlines()) == 2
    data = affected_json(repo.path, "--since", "HEAD")
    assert data["affected"] == ["odd"]
    members = json.loads(ok("members", "--format", "json", cwd=repo.path).stdout)["members"]
    assert members[0]["path"] == "packages/two\nlines"


def test_closed_stdout_and_full_disk(tmp_path: Path) -> None:
    """`uvmono … | head -1` stops quietly; a full disk is an error, not a bug report."""
    write_tree(tmp_path, WORKSPACE)
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    reader.wait()
    proc = subprocess.run(
        [sys.executable, "-m", "uvmono", "members", "--format", "json"],
        cwd=tmp_path,
        env=clean_env(),
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert proc.returncode == 141 and proc.stderr == b"", proc.stderr
    if Path("/dev/full").exists():
        with Path("/dev/full").open("wb") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "uvmono", "members"],
                cwd=tmp_path,
                env=clean_env(),
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
            )
        stderr = proc.stderr.decode()
        assert proc.returncode == 2 and "Traceback" not in stderr, stderr
        assert stderr.startswith("error: No space left on device\nhint: "), stderr


# ------------------------------------------------------------------------ 100,000 files

MANY_FILES = 100_000


@pytest.mark.slow
def test_a_change_of_a_hundred_thousand_files(tmp_path: Path) -> None:
    repo = repo_with_workspace(tmp_path / "repo")
    many = repo.path / "packages/lib/generated"
    many.mkdir()
    for i in range(MANY_FILES):
        (many / f"f{i}").touch()
    repo.commit("many files")
    for args in (("--until", "HEAD"), ()):
        start = time.monotonic()
        result = run("affected", "--since", "HEAD~1", *args, "--format", "json", cwd=repo.path)
        elapsed = time.monotonic() - start
        assert result.returncode == 0, str(result)
        assert elapsed < 30, elapsed
        data = json.loads(result.stdout)
        assert len(data["changed_files"]) == MANY_FILES
        assert data["affected"] == ["app", "lib"]
    explained = ok("affected", "--since", "HEAD~1", "--explain", cwd=repo.path).stdout
    assert "and 99997 more" in explained
    assert repo.run("status", "--porcelain") == ""
