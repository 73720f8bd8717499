"""Reading the members' pyproject.toml in a forked child (member_files.py) gives what reading
them in this process gives: the same members, the same documents, the same warnings, and the
same first error in glob order, wherever in the order it is and whichever process met it."""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.wsutil import project, virtual_root, write_tree
from uvmono import forking, member_files, workspace
from uvmono.discovery import Found, matches, member_dirs
from uvmono.errors import UvmonoError
from uvmono.pyproject import read_toml

MEMBERS = 40  # this process reads from the first (in glob order) on, the child from the last

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the forked reader runs on Linux only"
)


def _workspace(root: Path, members: int = MEMBERS) -> Path:
    files = {"pyproject.toml": virtual_root(["packages/*", "libs/*"], exclude=["packages/gone"])}
    for i in range(members):
        deps = [f"m{i - 1:02d}>=0.1"] if i else []
        files[f"packages/m{i:02d}/pyproject.toml"] = project(
            f"m{i:02d}", deps, sources=[f"m{i - 1:02d}"] if i else [], groups={"dev": ["pytest"]}
        )
    return write_tree(root, files)


def _read(root: Path, parallel: bool) -> tuple[list[Found], list[str]]:
    warnings: list[str] = []
    found = member_dirs(root, read_toml(root / "pyproject.toml"), warnings, parallel=parallel)
    return found, warnings


def _outcome(root: Path, parallel: bool) -> Any:
    try:
        found, warnings = _read(root, parallel)
    except UvmonoError as exc:
        return ("error", type(exc), exc.message, exc.hint)
    return ("ok", [(f.path, str(f.file), f.pyproject) for f in found], warnings)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids os.fork returned in this process (the real fork, counted)."""
    pids: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    yield pids


@linux_only
def test_both_readers_find_the_same_members(tmp_path: Path, forks: list[int]) -> None:
    root = _workspace(tmp_path)
    write_tree(root, {"libs/not-a-dir": "", "libs/.hidden/README": "x"})
    (root / "libs" / "empty").mkdir()
    sequential = _outcome(root, parallel=False)
    assert forks == []
    parallel = _outcome(root, parallel=True)
    assert len(forks) == 1
    assert parallel == sequential
    kind, members, warnings = sequential
    assert kind == "ok" and len(members) == MEMBERS
    assert warnings == ["ignoring libs/not-a-dir: it matches `libs/*` but is not a directory"]
    assert members[-1][2]["project"]["dependencies"] == ["m38>=0.1"]


def _fifo(file: Path) -> None:
    file.unlink()
    os.mkfifo(file)


# Ways to make a member's pyproject.toml unreadable, each with its own error.
BREAKERS: dict[str, Callable[[Path], Any]] = {
    "syntax": lambda file: file.write_text('[project]\nname = "x\n'),
    "type": lambda file: file.write_text('[project]\nname = "x"\ndependencies = "y"\n'),
    "utf8": lambda file: file.write_bytes(b'[project]\nname = "\xff"\n'),
    "nested": lambda file: file.write_text(
        '[project]\nname = "x"\n[tool.uv.workspace]\nmembers = []\n'
    ),
    "no-project": lambda file: file.write_text("[tool.uv]\npackage = true\n"),
    "missing": lambda file: file.unlink(),
    "fifo": _fifo,
    "bad-name": lambda file: file.write_text('[project]\nname = "-x-"\n'),
}
BREAKS = sorted(BREAKERS)


def _glob_order(root: Path) -> list[str]:
    """The members' directories in the order uv's globs match them (directory order)."""
    return [rel for _, rel in matches(root, ["packages/*", "libs/*"], [])]


def _broken(root: Path, *where: tuple[str, int]) -> Path:
    """The workspace with the member at each index (in glob order) broken one way."""
    _workspace(root)
    order = _glob_order(root)
    for kind, index in where:
        BREAKERS[kind](root / order[index] / "pyproject.toml")
    return root


@pytest.fixture(params=["parent slow", "child slow"])
def slow(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which process reads slowly (2 ms a member), so that the other reads most members."""
    parent = os.getpid()
    read_one = member_files.read_one

    def slowed(root_text: str, rel: str) -> member_files.Read | None:
        if (os.getpid() == parent) == (request.param == "parent slow"):
            time.sleep(0.002)
        return read_one(root_text, rel)

    monkeypatch.setattr(member_files, "read_one", slowed)
    return str(request.param)


@linux_only
@pytest.mark.parametrize("kind", BREAKS)
@pytest.mark.parametrize("index", [0, 19, 20, 39])  # in glob order
def test_one_broken_member_is_the_same_error(
    tmp_path: Path, kind: str, index: int, forks: list[int], slow: str
) -> None:
    root = _broken(tmp_path, (kind, index))
    sequential = _outcome(root, parallel=False)
    parallel = _outcome(root, parallel=True)
    assert len(forks) == 1
    assert sequential[0] == "error", sequential
    assert _glob_order(root)[index] in sequential[2], sequential
    assert parallel == sequential


@linux_only
@pytest.mark.parametrize(
    "first, second",
    [
        (("syntax", 5), ("type", 30)),
        (("missing", 5), ("syntax", 30)),  # met when the matches are replayed, then a read error
        (("fifo", 21), ("syntax", 30)),
        (("type", 2), ("nested", 3)),
        (("nested", 10), ("utf8", 25)),
        (("syntax", 38), ("type", 39)),  # both read by the child when this process is slow
    ],
)
def test_of_two_broken_members_the_first_in_order_wins(
    tmp_path: Path, first: tuple[str, int], second: tuple[str, int], forks: list[int], slow: str
) -> None:
    root = _broken(tmp_path, first, second)
    sequential = _outcome(root, parallel=False)
    assert sequential[0] == "error"
    assert _glob_order(root)[first[1]] in sequential[2]
    assert _outcome(root, parallel=True) == sequential
    assert len(forks) == 1


def _frame(first: int, items: list[Any]) -> bytes:
    data = pickle.dumps((first, items))
    return len(data).to_bytes(4, "big") + data


@linux_only
@pytest.mark.parametrize(
    "how", ["dies", "sends garbage", "sends a wrong frame", "dies half-way", "is slow"]
)
def test_a_child_in_trouble_means_reading_its_part_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, forks: list[int]
) -> None:
    root = _broken(tmp_path / "broken", ("type", 33))
    _workspace(tmp_path / "ok")

    def child(root_text: str, rels: list[str], write_end: int) -> None:
        if how == "sends garbage":
            os.write(write_end, (20).to_bytes(4, "big") + b"not a pickle at all!")
        elif how == "sends a wrong frame":
            os.write(write_end, _frame(3, [None]))  # not the last members
        elif how == "dies half-way":
            last = [member_files.read_one(root_text, rel) for rel in rels[-16:]]
            os.write(write_end, _frame(len(rels) - 16, last))
        elif how == "is slow":
            time.sleep(30)  # killed when this process is done
        os._exit(3 if how == "dies" else 0)

    expected = [_outcome(r, parallel=False) for r in (tmp_path / "ok", root)]
    monkeypatch.setattr(member_files, "_child", child)
    assert [_outcome(r, parallel=True) for r in (tmp_path / "ok", root)] == expected
    assert len(forks) == 2
    assert expected[0][0] == "ok" and expected[1][0] == "error"


@linux_only
def test_the_whole_workspace_is_equal_read_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    root = _workspace(tmp_path)
    monkeypatch.setattr(member_files, "PARALLEL_MIN", 10**9)
    sequential = workspace.load(root, cache=False)
    assert forks == []
    monkeypatch.setattr(member_files, "PARALLEL_MIN", 2)
    monkeypatch.setattr(member_files, "_can_fork", lambda: True)
    assert workspace.load(root, cache=False) == sequential
    assert len(forks) == 1
    assert sequential.members["m39"].dependencies[0].target == "m38"


def test_no_fork_with_another_thread_alive(tmp_path: Path, forks: list[int]) -> None:
    root = _workspace(tmp_path)
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not forking.can_fork()
        found = member_files.read_all(str(root), [f"packages/m{i:02d}" for i in range(40)])
    finally:
        release.set()
        thread.join()
    assert forks == []
    assert len(found) == MEMBERS
    assert all(isinstance(read, member_files.Read) for read in found.values())


def test_small_workspaces_are_read_here(tmp_path: Path, forks: list[int]) -> None:
    root = _workspace(tmp_path, members=5)
    found = member_files.read_all(str(root), [f"packages/m{i:02d}" for i in range(5)])
    assert forks == [] and len(found) == 5


# A requirement that is wrong is found as the file is read (maybe by the child), and raised
# where uv's order puts it: after every member's name is checked, member by member (members
# in path order).
@linux_only
@pytest.mark.parametrize("parallel", [False, True])
def test_requirement_errors_are_raised_in_their_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool, forks: list[int]
) -> None:
    monkeypatch.setattr(member_files, "PARALLEL_MIN", 2 if parallel else 10**9)
    monkeypatch.setattr(member_files, "_can_fork", lambda: True)
    root = _workspace(tmp_path)
    early, late = (root / f"packages/m{i:02d}/pyproject.toml" for i in (3, 36))
    early.write_text('[project]\nname = "e"\ndependencies = ["m01", "!!bad"]\n')
    late.write_text('[project]\nname = "l"\ndependencies = [3]\n')

    def load_error() -> str:
        with pytest.raises(UvmonoError) as raised:
            workspace.load(root, cache=False)
        return raised.value.message

    assert load_error() == f"invalid requirement '!!bad' in {early}"
    early.write_text('[project]\nname = "e"\ndependencies = ["m01"]\n')
    assert load_error() == f"a requirement in {late} is not a string: 3"
    # A member without a name is reported before any member's requirements.
    (root / "packages/m38/pyproject.toml").write_text("[project]\nversion = '1'\n")
    early.write_text('[project]\nname = "e"\ndependencies = ["!!bad"]\n')
    assert load_error().startswith("`project.name` is missing or not a string in ")
    assert (len(forks) > 0) == parallel
