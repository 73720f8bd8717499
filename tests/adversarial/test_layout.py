"""Odd layouts: globs that match files, directories without a pyproject.toml, symlinks and
symlink loops, members and path sources outside the root, deep nesting, 10,000 members."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.adversarial.harness import (
    clean_env,
    commit_everything,
    expect_error,
    fails,
    ok,
    run,
    unchanged,
)
from tests.gitutil import GitRepo
from tests.wsutil import uv, uv_binary, virtual_root, write_tree

needs_uv = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")


def minimal(name: str, deps: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "1"\ndependencies = [{deps}]\n'


def uv_member_paths(root: Path) -> list[str]:
    listed = uv("workspace", "list", "--paths", "--preview", cwd=root)
    assert listed.returncode == 0, listed.stderr
    return sorted(
        os.path.relpath(line.strip(), root).replace(os.sep, "/")
        for line in listed.stdout.splitlines()
        if line.strip()
    )


def member_paths(root: Path) -> list[str]:
    data = json.loads(ok("members", "--format", "json", cwd=root).stdout)
    return sorted(m["path"] for m in data["members"])


# --------------------------------------------------------------------------- glob matches


def test_a_glob_matching_a_file_ignores_it_with_a_warning(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": minimal("a"),
            "packages/notes.txt": "not a member\n",
        },
    )
    with unchanged(tmp_path):
        result = ok("members", "--format", "names", cwd=tmp_path)
    assert result.stdout == "a\n"
    assert "warning: ignoring packages/notes.txt" in result.stderr


def test_a_directory_without_pyproject_is_an_error_naming_it_and_the_glob(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": minimal("a"),
            "packages/docs/README.md": "docs\n",
        },
    )
    fails("members", cwd=tmp_path, fragments=("packages/docs", "pyproject.toml", "packages/*"))


def test_empty_and_hidden_directories_without_pyproject_are_skipped(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": minimal("a"),
            "packages/.cache/junk.txt": "x\n",
        },
    )
    (tmp_path / "packages/empty").mkdir()
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == "a\n"


def test_a_pyproject_that_is_a_directory_is_a_missing_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": virtual_root(["packages/*"])})
    (tmp_path / "packages/a/pyproject.toml").mkdir(parents=True)
    (tmp_path / "packages/a/pyproject.toml/x").write_text("x\n")
    fails("members", cwd=tmp_path, fragments=("packages/a", "pyproject.toml"))


RECURSIVE = {
    "pyproject.toml": virtual_root(["packages/**"]),
    "packages/README.md": "the packages\n",
    "packages/a/pyproject.toml": minimal("a"),
    "packages/group/b/pyproject.toml": minimal("b"),
    "packages/group/pyproject.toml": minimal("group"),
}


def test_trailing_double_star_does_not_match_its_own_prefix(tmp_path: Path) -> None:
    """`packages/**` does not make `packages` (which has no pyproject.toml) a member."""
    write_tree(tmp_path, RECURSIVE)
    assert member_paths(tmp_path) == ["packages/a", "packages/group", "packages/group/b"]


@needs_uv
def test_trailing_double_star_matches_uv(tmp_path: Path) -> None:
    write_tree(tmp_path, RECURSIVE)
    assert member_paths(tmp_path) == uv_member_paths(tmp_path)


# ------------------------------------------------------------------------------- symlinks


def symlinked(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    write_tree(
        tmp_path,
        {
            "ws/pyproject.toml": virtual_root(["packages/*"], sources=["shared"]),
            "ws/packages/app/pyproject.toml": minimal("app", '"shared"'),
            "elsewhere/shared/pyproject.toml": minimal("shared"),
        },
    )
    (root / "packages/shared").symlink_to(tmp_path / "elsewhere/shared")
    return root


def test_a_symlinked_member_directory_is_a_member_under_its_link_path(tmp_path: Path) -> None:
    root = symlinked(tmp_path)
    assert member_paths(root) == ["packages/app", "packages/shared"]
    edges = json.loads(ok("graph", "--format", "json", cwd=root).stdout)["edges"]
    assert [(e["from"], e["to"]) for e in edges] == [("app", "shared")]


@needs_uv
def test_a_symlinked_member_directory_matches_uv(tmp_path: Path) -> None:
    root = symlinked(tmp_path)
    assert member_paths(root) == uv_member_paths(root)


def test_a_symlink_to_the_root_is_an_error_not_a_loop(tmp_path: Path) -> None:
    """uv: `No project table found in: …/packages/loop/pyproject.toml`."""
    write_tree(
        tmp_path,
        {"pyproject.toml": virtual_root(["packages/*"]), "packages/a/pyproject.toml": minimal("a")},
    )
    (tmp_path / "packages/loop").symlink_to("..")
    fails("members", cwd=tmp_path, fragments=("packages/loop",))


@pytest.mark.parametrize("target", ["..", ".", "../.."])
def test_a_symlink_loop_under_double_star_is_an_error_not_a_hang(
    tmp_path: Path, target: str
) -> None:
    """uv itself never finishes here (`uv lock --offline` walks the loop forever)."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/**"]),
            "packages/a/pyproject.toml": minimal("a"),
        },
    )
    hidden = tmp_path / "packages/.cache"  # hidden: every directory below is skipped, not an error
    hidden.mkdir()
    (hidden / ".x").symlink_to(target)
    (hidden / ".y").symlink_to(target)
    with unchanged(tmp_path):  # a hang fails at the timeout
        result = run("members", cwd=tmp_path, timeout=30)
    error = expect_error(result, "symlink", "packages/**")
    assert "packages/.cache/.x" in error


def test_a_dangling_symlink_is_not_a_member(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": virtual_root(["packages/*"]), "packages/a/pyproject.toml": minimal("a")},
    )
    (tmp_path / "packages/gone").symlink_to(tmp_path / "nowhere")
    result = ok("members", "--format", "names", cwd=tmp_path)
    assert result.stdout == "a\n"


# ----------------------------------------------------------------------- outside the root


def outside(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "ws/pyproject.toml": virtual_root(
                ["packages/*", "../other"],
                tail='[tool.uv.sources]\nvendored = { path = "../vendored" }\n',
            ),
            "ws/packages/app/pyproject.toml": minimal("app", '"vendored"'),
            "ws/packages/lib/pyproject.toml": minimal("lib"),
            "other/pyproject.toml": minimal("other"),
            "vendored/pyproject.toml": minimal("vendored"),
            "docs/index.md": "docs\n",
        },
    )
    repo.commit("initial")
    return repo


def test_a_member_outside_the_root_is_listed_relative_to_it(tmp_path: Path) -> None:
    repo = outside(tmp_path)
    assert member_paths(repo.path / "ws") == ["../other", "packages/app", "packages/lib"]


@needs_uv
def test_a_member_outside_the_root_matches_uv(tmp_path: Path) -> None:
    root = outside(tmp_path).path / "ws"
    assert member_paths(root) == uv_member_paths(root)


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("other/src/x.py", ["other"]),  # a member outside the root owns its files
        ("vendored/x.py", ["app"]),  # a path dependency outside the root
        ("docs/index.md", []),  # outside the workspace: nothing
        ("ws/packages/lib/x.py", ["lib"]),
    ],
)
def test_changes_outside_the_root(tmp_path: Path, changed: str, expected: list[str]) -> None:
    repo = outside(tmp_path)
    repo.write(changed, "changed\n")
    with unchanged(repo.path):
        result = ok("affected", "--since", "HEAD", "--format", "json", cwd=repo.path / "ws")
    assert json.loads(result.stdout)["affected"] == expected


def test_an_absolute_member_glob_gives_relative_member_paths(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root([f"{tmp_path.resolve()}/packages/*"]),
            "packages/a/pyproject.toml": minimal("a"),
        },
    )
    assert member_paths(tmp_path) == ["packages/a"]


def test_the_virtual_root_listed_as_a_member_is_an_error(tmp_path: Path) -> None:
    """uv: `No project table found in: …/pyproject.toml`."""
    write_tree(
        tmp_path,
        {"pyproject.toml": virtual_root([".", "p/*"]), "p/a/pyproject.toml": minimal("a")},
    )
    fails("members", cwd=tmp_path, fragments=("no [project]", "pyproject.toml"))


# ------------------------------------------------------------------------------ deep nesting

DEPTH = 200


def deep(tmp_path: Path) -> GitRepo:
    """200 members, each inside the previous one, each depending on the next."""
    repo = GitRepo.init(tmp_path / "repo")
    files = {"pyproject.toml": virtual_root(["d", "d/**"])}
    for level in range(DEPTH):
        deps = f'"m{level + 1}"' if level + 1 < DEPTH else ""
        files["/".join(["d"] * (level + 1)) + "/pyproject.toml"] = minimal(f"m{level}", deps)
    write_tree(repo.path, files)
    repo.commit("initial")
    return repo


def test_two_hundred_levels_of_nesting(tmp_path: Path) -> None:
    repo = deep(tmp_path)
    assert len(ok("members", "--format", "names", cwd=repo.path).stdout.split()) == DEPTH
    data = json.loads(ok("graph", "--format", "json", "--layers", cwd=repo.path).stdout)
    assert len(data["edges"]) == DEPTH - 1 and len(data["layers"]) == DEPTH
    deepest = "/".join(["d"] * DEPTH)
    repo.write(f"{deepest}/x.py", "changed\n")
    with unchanged(repo.path):
        result = ok("affected", "--since", "HEAD", "--format", "json", cwd=repo.path)
    affected = json.loads(result.stdout)
    assert affected["directly_changed"] == [f"m{DEPTH - 1}"]  # the deepest member owns it
    assert len(affected["affected"]) == DEPTH  # and every member depends on it


# --------------------------------------------------------------------------- 10,000 members

MANY = 10_000


def measured(*args: str, cwd: Path) -> tuple[str, int]:
    """`uvmono ARGS`' stdout and its peak memory in MB (max RSS from wait4, which counts the
    process alone). Time is the benchmark's business (bench/run.py), not a test's: on a loaded
    machine a timed assertion fails for the wrong reason."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvmono", *args],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        assert proc.returncode == 0, args
        out.seek(0)
        return out.read().decode(), usage.ru_maxrss // 1024


@pytest.mark.slow
def test_ten_thousand_members(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = repo.path
    (root / "pyproject.toml").write_text(virtual_root(["packages/*"]))
    for i in range(MANY):
        member = root / "packages" / f"m{i}"
        member.mkdir(parents=True)
        deps = f'"m{i // 2}"' if i else ""
        (member / "pyproject.toml").write_text(minimal(f"m{i}", deps))
    commit_everything(root)
    repo.write("packages/m1/x.py", "changed\n")
    for args in (
        ("members", "--format", "names"),
        ("graph", "--format", "json"),
        ("affected", "--since", "HEAD", "--format", "json"),
    ):
        stdout, peak = measured(*args, cwd=root)
        assert stdout
        assert peak < 300, (args, peak)  # bench/run.py: about 100 MB at 5,000 members
    # m{i} depends on m{i // 2}, so every member but m0 reaches m1.
    assert set(json.loads(stdout)["affected"]) == {f"m{i}" for i in range(1, MANY)}


@pytest.mark.slow
def test_a_ten_thousand_member_chain_is_linear(tmp_path: Path) -> None:
    """m{i} depends on m{i-1} and m0 changed: every member is affected through a chain of up to
    10,000 links. Reasons used to hold every whole chain (951 MB of JSON, 5.7 GB of memory);
    now each names `via`, `changed`, `length` and the chain's first names only."""
    repo = GitRepo.init(tmp_path / "repo")
    root = repo.path
    (root / "pyproject.toml").write_text(virtual_root(["packages/*"]))
    for i in range(MANY):
        member = root / "packages" / f"m{i}"
        member.mkdir(parents=True)
        deps = f'"m{i - 1}"' if i else ""
        (member / "pyproject.toml").write_text(minimal(f"m{i}", deps))
    commit_everything(root)
    repo.write("packages/m0/x.py", "changed\n")
    stdout, peak = measured("affected", "--since", "HEAD", "--format", "json", cwd=root)
    data = json.loads(stdout)
    assert len(data["affected"]) == MANY
    top = data["reasons"][f"m{MANY - 1}"][0]
    assert (top["via"], top["changed"], top["length"]) == (f"m{MANY - 2}", "m0", MANY)
    assert len(stdout) < 400 * MANY  # linear: a few hundred bytes a member
    assert peak < 300, peak
    text, _ = measured("affected", "--since", "HEAD", "--explain", cwd=root)
    assert len(text) < 300 * MANY


# ------------------------------------------------------------------------------ --root


@pytest.mark.parametrize(
    ("root", "fragment"),
    [("missing", "--root"), ("file.txt", "--root"), ("empty", "no pyproject.toml")],
)
def test_a_bad_root(tmp_path: Path, root: str, fragment: str) -> None:
    (tmp_path / "file.txt").write_text("x\n")
    (tmp_path / "empty").mkdir()
    fails("--root", str(tmp_path / root), "members", cwd=tmp_path, fragments=(fragment,))


def test_no_workspace_anywhere_above(tmp_path: Path) -> None:
    fails("members", cwd=tmp_path, fragments=("no pyproject.toml found",))


# ---------------------------------------------------------------------------- odd globs

ODD_GLOBS = {
    "pyproject.toml": virtual_root(
        ["packages/[z-a]", "packages/[!]]", "packages/*"],
        exclude=["[z-a]", "packages/[!a]", "[^]"],
        tail='[tool.uvmono]\nignore = ["[z-a]", "**/[]]"]\nglobal-files = ["[!]]", "x[\\\\]"]\n',
    ),
    "packages/a/pyproject.toml": minimal("a"),
    "packages/b/pyproject.toml": minimal("b"),
}


def test_globs_with_backwards_ranges_match_nothing(tmp_path: Path) -> None:
    """`[z-a]` matches no character, in Rust's glob as here: legal, and never a crash."""
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, ODD_GLOBS)
    repo.commit("initial")
    assert member_paths(repo.path) == ["packages/a"]
    repo.write("packages/a/x.py", "x\n")
    with unchanged(repo.path):
        result = ok("affected", "--since", "HEAD", cwd=repo.path)
    assert result.stdout == "a\n"


@needs_uv
def test_globs_with_backwards_ranges_match_uv(tmp_path: Path) -> None:
    write_tree(tmp_path, ODD_GLOBS)
    assert member_paths(tmp_path) == uv_member_paths(tmp_path)


@pytest.mark.parametrize(
    ("members", "tail", "key"),
    [
        (["packages/[!]x"], "", "tool.uv.workspace.members"),
        (["packages/a**"], "", "tool.uv.workspace.members"),
        (["packages/***"], "", "tool.uv.workspace.members"),
        (["packages/["], "", "tool.uv.workspace.members"),
        (["packages/*"], 'exclude = ["packages/[]"]\n', "tool.uv.workspace.exclude"),
        (["packages/*"], '[tool.uvmono]\nignore = ["**/x**"]\n', "tool.uvmono.ignore"),
        (["packages/*"], '[tool.uvmono]\nglobal-files = ["[!"]\n', "tool.uvmono.global-files"),
    ],
)
def test_globs_uv_refuses_are_errors(
    tmp_path: Path, members: list[str], tail: str, key: str
) -> None:
    """uv: `Pattern syntax error near position N: invalid range pattern` and the like."""
    text = virtual_root(members) + tail  # an `exclude` line lands in [tool.uv.workspace]
    write_tree(tmp_path, {"pyproject.toml": text, "packages/a/pyproject.toml": minimal("a")})
    fails("members", cwd=tmp_path, fragments=("not a valid glob", key, "pyproject.toml"))


def test_a_member_ignore_glob_uv_would_refuse(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": minimal("a") + '[tool.uvmono]\nignore = ["[z"]\n',
        },
    )
    fails(
        "members",
        cwd=tmp_path,
        fragments=("not a valid glob", "tool.uvmono.ignore", "packages/a/pyproject.toml"),
    )
