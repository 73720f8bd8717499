"""Broken pyproject.toml and uv.lock files: a clear error naming the file (and the line or key),
never a traceback and never an answer computed from a misread file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adversarial.harness import expect_error, fails, ok, run, unchanged
from tests.gitutil import GitRepo
from tests.wsutil import project, uv, uv_binary, virtual_root, write_tree

needs_uv = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")

ROOT = virtual_root(["packages/*"])
MEMBER = "packages/a/pyproject.toml"


def member(body: str) -> dict[str, str]:
    return {"pyproject.toml": ROOT, MEMBER: body}


A = '[project]\nname = "a"\nversion = "1"\n'

# (workspace files, what the error line must name)
BROKEN: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "member syntax": (member('[project]\nname = "a"\nversion = \n'), (MEMBER, "line 3")),
    "root syntax": ({"pyproject.toml": '[tool.uv.workspace\nmembers = ["p/*"]\n'}, ("line 1",)),
    "unclosed string": (member('[project]\nname = "a\n'), (MEMBER, "line 2")),
    "duplicate key": (member(A + 'name = "b"\n'), (MEMBER, "line 4")),
    "invalid UTF-8": (member('[project]\nname = "a\udcff"\n'), (MEMBER, "UTF-8", "line 2")),
    "nested too deeply": (member("x = " + "[" * 5000 + "]" * 5000 + "\n" + A), (MEMBER,)),
    "no [project]": (member("[tool.ruff]\nline-length = 100\n"), (MEMBER, "no [project]")),
    "members is a string": (
        {"pyproject.toml": '[tool.uv.workspace]\nmembers = "packages/*"\n'},
        ("tool.uv.workspace.members", "pyproject.toml", "an array"),
    ),
    "a member glob is a number": (
        {"pyproject.toml": "[tool.uv.workspace]\nmembers = [1]\n"},
        ("tool.uv.workspace.members",),
    ),
    "exclude is a string": (
        {"pyproject.toml": '[tool.uv.workspace]\nmembers = []\nexclude = "x"\n'},
        ("tool.uv.workspace.exclude",),
    ),
    "workspace is a number": (
        {"pyproject.toml": "[tool.uv]\nworkspace = 3\n"},
        ("tool.uv.workspace",),
    ),
    "dependencies is a string": (member(A + 'dependencies = "x"\n'), ("project.dependencies",)),
    "a dependency is a number": (member(A + "dependencies = [3]\n"), (MEMBER, "3")),
    "name is a number": (member('[project]\nname = 3\nversion = "1"\n'), ("project.name",)),
    "name is missing": (member('[project]\nversion = "1"\n'), ("project.name", MEMBER)),
    "name with a shell substitution": (
        member('[project]\nname = "$(touch pwned)"\n'),
        ("project.name", "not a valid package name"),
    ),
    "name is empty": (member('[project]\nname = ""\n'), ("project.name",)),
    "project is a number": (member("project = 3\n"), ("`project`", MEMBER)),
    "version is a number": (member('[project]\nname = "a"\nversion = 3\n'), ("project.version",)),
    "version is not a version": (
        member('[project]\nname = "a"\nversion = "not a version"\n'),
        ("project.version",),
    ),
    "requires-python is a number": (member(A + "requires-python = 3\n"), ("requires-python",)),
    "dynamic is a string": (member(A + 'dynamic = "version"\n'), ("project.dynamic",)),
    "scripts is a number": (member(A + "scripts = 1\n"), ("project.scripts",)),
    "a script target is a number": (
        member(A + "[project.scripts]\ncli = 1\n"),
        ("project.scripts.cli",),
    ),
    "optional-dependencies is a number": (
        member(A + "optional-dependencies = 1\n"),
        ("project.optional-dependencies",),
    ),
    "an extra is a string": (
        member(A + '[project.optional-dependencies]\nx = "b"\n'),
        ("project.optional-dependencies.x",),
    ),
    "an extra name that injects": (
        member(A + '[project.optional-dependencies]\n"$(x)" = []\n'),
        ("project.optional-dependencies", "'$(x)'"),
    ),
    "dependency-groups entries that are numbers": (
        member(A + "[dependency-groups]\ndev = [1, 2]\n"),
        ("dependency-groups.dev", MEMBER),
    ),
    "a dependency group is a number": (
        member(A + "[dependency-groups]\ndev = 1\n"),
        ("dependency-groups.dev",),
    ),
    "dependency-groups is an array": (
        member('dependency-groups = ["x"]\n' + A),
        ("dependency-groups",),
    ),
    "include-group of a missing group": (
        member(A + '[dependency-groups]\ndev = [{ include-group = "nope" }]\n'),
        ("nope", MEMBER),
    ),
    "include-group cycle": (
        member(
            A + '[dependency-groups]\na = [{ include-group = "b" }]\n'
            'b = [{ include-group = "a" }]\n'
        ),
        ("cycle",),
    ),
    "a source is a number": (
        member(A + "[tool.uv.sources]\nb = 3\n"),
        ("tool.uv.sources.b", MEMBER),
    ),
    "a source is a string": (
        member(A + '[tool.uv.sources]\nb = "../b"\n'),
        ("tool.uv.sources.b",),
    ),
    "a source list holds a number": (
        member(A + "[tool.uv.sources]\nb = [1]\n"),
        ("tool.uv.sources.b",),
    ),
    "sources is a number": (member(A + "[tool.uv]\nsources = 3\n"), ("tool.uv.sources",)),
    "a root source is a number": (
        {"pyproject.toml": ROOT + "[tool.uv.sources]\nb = true\n", MEMBER: A},
        ("tool.uv.sources.b", "pyproject.toml"),
    ),
    "a source named with a space": (
        member(A + '[tool.uv.sources]\n"b c" = { workspace = true }\n'),
        ("tool.uv.sources", "'b c'"),
    ),
    "tool.uv is a number": (member(A + "[tool]\nuv = 3\n"), ("tool.uv",)),
    "tool is a string": (member('tool = "x"\n' + A), ("`tool`",)),
    "package is a string": (member(A + '[tool.uv]\npackage = "yes"\n'), ("tool.uv.package",)),
    "managed is a string": (member(A + '[tool.uv]\nmanaged = "no"\n'), ("tool.uv.managed",)),
    "dev-dependencies is a number": (
        member(A + "[tool.uv]\ndev-dependencies = 3\n"),
        ("tool.uv.dev-dependencies",),
    ),
    "build-system is a number": (member("build-system = 3\n" + A), ("build-system",)),
    "build requires is a string": (
        member(A + '[build-system]\nrequires = "uv_build"\n'),
        ("build-system.requires",),
    ),
    "a member requirement that is not PEP 508": (
        {
            "pyproject.toml": virtual_root(["packages/*"], sources=["b"]),
            MEMBER: A + 'dependencies = ["b =="]\n',
            "packages/b/pyproject.toml": project("b"),
        },
        ("invalid requirement", MEMBER),
    ),
    "duplicate names after normalisation": (
        {
            "pyproject.toml": ROOT,
            MEMBER: project("Foo_Bar"),
            "packages/b/pyproject.toml": project("foo.bar"),
        },
        ("both named `foo-bar`",),
    ),
    "a nested workspace": (
        member(A + '[tool.uv.workspace]\nmembers = ["x/*"]\n'),
        ("nested workspaces", MEMBER),
    ),
    "tool.uvmono is a string": (
        {"pyproject.toml": ROOT + '[tool]\nuvmono = "x"\n'},
        ("tool.uvmono",),
    ),
    "unknown tool.uvmono key": (
        {"pyproject.toml": ROOT + "[tool.uvmono]\naffect = 1\n"},
        ("tool.uvmono.affect", "pyproject.toml"),
    ),
    "tool.uvmono value of the wrong type": (
        {"pyproject.toml": ROOT + "[tool.uvmono]\nglobal-files = 1\n"},
        ("tool.uvmono.global-files",),
    ),
    "tool.uvmono value with a newline": (
        {"pyproject.toml": ROOT + '[tool.uvmono.docker]\nbase-image = "python\\nRUN id"\n'},
        ("tool.uvmono.docker.base-image", "control character"),
    ),
    "a member's tool.uvmono with a newline": (
        member(A + '[tool.uvmono.docker]\ncommand = ["a", "b\\nc"]\n'),
        ("tool.uvmono.docker.command", MEMBER),
    ),
    "an image name with a huge format spec": (
        {"pyproject.toml": ROOT + '[tool.uvmono.docker]\nimage-name = "{name:>999999999}"\n'},
        ("tool.uvmono.docker.image-name", "plain placeholders"),
    ),
    "an image name reading an attribute": (
        {"pyproject.toml": ROOT + '[tool.uvmono.docker]\nimage-name = "{name.upper}"\n'},
        ("tool.uvmono.docker.image-name",),
    ),
    "a cache-from with a conversion": (
        {"pyproject.toml": ROOT + '[tool.uvmono.docker]\ncache-from = ["x{name!r}"]\n'},
        ("tool.uvmono.docker.cache-from",),
    ),
    "a port out of range": (
        member(A + "[tool.uvmono.docker]\nports = [70000]\n"),
        ("tool.uvmono.docker.ports",),
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_pyproject_is_a_clear_error(tmp_path: Path, case: str) -> None:
    files, fragments = BROKEN[case]
    _write(tmp_path, files)
    fails("members", cwd=tmp_path, fragments=fragments)


@pytest.mark.parametrize("command", [("graph", "-f", "json"), ("members", "-f", "json")])
def test_every_command_reading_the_workspace_fails_the_same_way(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    _write(tmp_path, member('[project]\nname = "a"\nversion = \n'))
    fails(*command, cwd=tmp_path, fragments=(MEMBER, "line 3"))


# ------------------------------------------------------------------------------------ uv.lock

LOCK_HEAD = 'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["a"]\n'
LOCK_A = '\n[[package]]\nname = "a"\nversion = "1"\nsource = { editable = "packages/a" }\n'
CONFLICTED = (
    LOCK_HEAD
    + "<<<<<<< HEAD\n"
    + LOCK_A
    + "=======\n"
    + LOCK_A.replace('"1"', '"2"')
    + ">>>>>>> feature\n"
)

BROKEN_LOCKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "syntax": (LOCK_HEAD + "[[package]\n", ("uv.lock", "not valid TOML", "line 7")),
    "merge-conflict markers": (CONFLICTED, ("uv.lock", "not valid TOML")),
    "unknown version": ("version = 2\n" + LOCK_A, ("uv.lock", "version 2")),
    "version is a boolean": ("version = true\n" + LOCK_A, ("uv.lock", "version True")),
    "version is a float": ("version = 1.0\n" + LOCK_A, ("uv.lock", "version 1.0")),
    "no version": (LOCK_A, ("uv.lock", "version None")),
    "package is a table": ("version = 1\n[package]\nname = 'a'\n", ("uv.lock", "`package`")),
    "a package without a name": ("version = 1\n[[package]]\nversion = '1'\n", ("uv.lock",)),
    "a dependency on nothing": (
        LOCK_HEAD + LOCK_A + 'dependencies = [{ name = "ghost" }]\n',
        ("uv.lock", "ghost"),
    ),
    "extra is a string": (
        LOCK_HEAD + LOCK_A + 'dependencies = [{ name = "a", extra = "fast" }]\n',
        ("uv.lock", "extra"),
    ),
    "extra holds a number": (
        LOCK_HEAD + LOCK_A + 'dependencies = [{ name = "a", extra = [1] }]\n',
        ("uv.lock", "extra"),
    ),
    "invalid UTF-8": (LOCK_HEAD + LOCK_A + "# caf\udce9\n", ("uv.lock", "UTF-8", "line 12")),
    "nested too deeply": (LOCK_HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n", ("uv.lock",)),
}

DYNAMIC = {
    "pyproject.toml": ROOT,
    MEMBER: '[project]\nname = "a"\nversion = "1"\ndynamic = ["dependencies"]\n',
}


@pytest.mark.parametrize("case", sorted(BROKEN_LOCKS))
def test_broken_lock_is_a_clear_error_where_the_lock_is_needed(tmp_path: Path, case: str) -> None:
    """A member with dynamic dependencies has its edges only in uv.lock."""
    text, fragments = BROKEN_LOCKS[case]
    _write(tmp_path, {**DYNAMIC, "uv.lock": text})
    fails("graph", "--format", "json", cwd=tmp_path, fragments=fragments)


def test_conflict_markers_hint_at_uv_lock(tmp_path: Path) -> None:
    _write(tmp_path, {**DYNAMIC, "uv.lock": CONFLICTED})
    result = run("graph", cwd=tmp_path)
    expect_error(result, "uv.lock")
    assert "merge-conflict markers" in result.stderr and "uv lock" in result.stderr


def test_broken_head_lock_fails_affected_and_writes_nothing(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    _write(repo.path, {"pyproject.toml": ROOT, MEMBER: A, "uv.lock": LOCK_HEAD + LOCK_A})
    repo.commit("initial")
    (repo.path / "uv.lock").write_text(CONFLICTED, encoding="utf-8")
    error = fails("affected", "--since", "HEAD", cwd=repo.path, fragments=("uv.lock",))
    assert "not valid TOML" in error


def test_unreadable_base_lock_affects_everything_and_says_so(tmp_path: Path) -> None:
    """The base lock is history, not input to fix: everything is affected, with the reason."""
    repo = GitRepo.init(tmp_path / "repo")
    _write(repo.path, {"pyproject.toml": ROOT, MEMBER: A, "uv.lock": CONFLICTED})
    repo.commit("initial")
    (repo.path / "uv.lock").write_text(LOCK_HEAD + LOCK_A, encoding="utf-8")
    with unchanged(repo.path):
        result = ok("affected", "--since", "HEAD", "--format", "json", cwd=repo.path)
    data = json.loads(result.stdout)
    assert data["affected"] == ["a"]
    assert data["reasons"]["a"][0]["kind"] == "lock"
    assert "not valid TOML" in data["reasons"]["a"][0]["why"]


# ---------------------------------------------------------------------------- empty workspace


def test_empty_workspace_has_zero_members(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.uv.workspace]\nmembers = []\n"})
    assert json.loads(ok("members", "--format", "json", cwd=tmp_path).stdout)["members"] == []
    assert json.loads(ok("graph", "--format", "json", cwd=tmp_path).stdout) == {
        "nodes": [],
        "edges": [],
    }
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == ""


@needs_uv
def test_empty_workspace_matches_uv(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.uv.workspace]\nmembers = []\n"})
    locked = uv("lock", "--offline", cwd=tmp_path)
    assert locked.returncode == 0, locked.stderr
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == ""


def test_affected_on_an_empty_workspace(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, {"pyproject.toml": "[tool.uv.workspace]\nmembers = []\n"})
    repo.commit("initial")
    repo.write("README.md", "hello\n")
    with unchanged(repo.path):
        result = ok("affected", "--since", "HEAD", "--format", "json", cwd=repo.path)
    data = json.loads(result.stdout)
    assert data["affected"] == [] and data["changed_files"] == ["README.md"]


# ------------------------------------------------------- byte order marks, duplicate groups


def test_a_pyproject_with_a_byte_order_mark_is_read_as_uv_reads_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {MEMBER: project("a")})
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf" + ROOT.encode())
    with (tmp_path / MEMBER).open("r+b") as file:
        text = file.read()
        file.seek(0)
        file.write(b"\xef\xbb\xbf" + text)
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == "a\n"


@needs_uv
def test_uv_reads_a_pyproject_with_a_byte_order_mark(tmp_path: Path) -> None:
    """The premise of the test above."""
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf" + project("a").encode())
    result = uv("lock", "--offline", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_init_appends_to_a_pyproject_with_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf" + project("a").encode())
    ok("init", cwd=tmp_path)
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf[project]")
    assert b"[tool.uvmono]" in data
    assert ok("members", "--format", "names", cwd=tmp_path).stdout == "a\n"


GROUPS_ALIKE = '[dependency-groups]\nmy_group = ["b"]\n"My.Group" = ["c"]\n'


def test_dependency_groups_whose_names_normalize_alike_are_refused(tmp_path: Path) -> None:
    write_tree(tmp_path, member(project("a") + GROUPS_ALIKE))
    error = fails("graph", cwd=tmp_path, fragments=("duplicate dependency group", MEMBER))
    assert "my_group" in error and "My.Group" in error


@needs_uv
def test_uv_refuses_dependency_groups_whose_names_normalize_alike(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": project("a") + GROUPS_ALIKE})
    result = uv("lock", "--offline", cwd=tmp_path)
    assert result.returncode != 0
    assert "duplicate dependency group" in result.stderr
