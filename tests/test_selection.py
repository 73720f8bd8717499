"""Given this workspace and these filters, these members are selected: `--filter` and the
positional filters of `graph` and `docker`, through the real CLI on real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gitutil import GitRepo
from tests.wsutil import project, uvmono, virtual_root, write_tree

# core's extra `openai` pulls in plug-openai: app (which asks for core[openai]) has it in its
# environment, `other` (plain core) does not, though both depend on core.
FILES = {
    "pyproject.toml": virtual_root(
        ["plugins/*", "core", "services/*"],
        sources=["core", "plug-openai", "plug-anthropic"],
        tail='[tool.uvmono]\nglobal-files = ["shared.txt"]\n',
    ),
    "core/pyproject.toml": project(
        "core", extras={"openai": ["plug-openai"], "anthropic": ["plug-anthropic"]}
    ),
    "plugins/openai/pyproject.toml": project("plug-openai", ["core"]),
    "plugins/anthropic/pyproject.toml": project("plug-anthropic", ["core"]),
    "services/app/pyproject.toml": project(
        "app", ["core[openai]"], sources=["core"], scripts={"app": "app:main"}
    ),
    "services/other/pyproject.toml": project(
        "other", ["core"], sources=["core"], scripts={"other": "other:main"}
    ),
}
ALL = ["app", "core", "other", "plug-anthropic", "plug-openai"]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, FILES)
    repo.commit("initial")
    repo.checkout("feature", new=True)
    return repo


def selected(repo: GitRepo, *filters: str, cwd: Path | None = None) -> list[str]:
    args = [a for f in filters for a in ("-F", f)]
    proc = uvmono(
        "--root", str(repo.path), "members", "--format", "names", *args, cwd=cwd or repo.path
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["core"], ["core"]),
        (["Plug_OpenAI"], ["plug-openai"]),  # PEP 503, as uv compares names
        (["plug-*"], ["plug-anthropic", "plug-openai"]),
        (["?ore"], ["core"]),
        (["./services/*"], ["app", "other"]),
        (["./**"], ALL),
        (["app..."], ["app", "core", "plug-openai"]),  # what uv installs for app
        (["app^..."], ["core", "plug-openai"]),
        (["...plug-openai"], ["app", "core", "plug-openai"]),  # not `other`: see FILES
        (["...^plug-openai"], ["app", "core"]),
        (["plug-*", "app"], ["app", "plug-anthropic", "plug-openai"]),
        (["...core", "!plug-*"], ["app", "core", "other"]),
        (["!./services/*"], ["core", "plug-anthropic", "plug-openai"]),  # exclusions alone
        (["!core", "!app"], ["other", "plug-anthropic", "plug-openai"]),
    ],
)
def test_the_filter_grammar(repo: GitRepo, filters: list[str], expected: list[str]) -> None:
    assert selected(repo, *filters) == expected


def test_paths_are_relative_to_the_current_directory(repo: GitRepo) -> None:
    services = repo.path / "services"
    assert selected(repo, "./*", cwd=services) == ["app", "other"]
    assert selected(repo, ".", cwd=services / "app") == ["app"]
    assert selected(repo, "../core", cwd=services) == ["core"]


def test_a_ref_selects_what_affected_would(repo: GitRepo) -> None:
    repo.commit("touch the plugin", ("plugins/openai/src/plug_openai/x.py", "x = 1\n"))
    since_main = uvmono("affected", "--since", "main", cwd=repo.path, check=True).stdout.split()
    assert selected(repo, "[main]") == since_main == ["app", "core", "plug-openai"]
    assert selected(repo, "plug-*[main]") == ["plug-openai"]
    assert selected(repo, "[main]", "!core") == ["app", "plug-openai"]
    assert selected(repo, "[HEAD]") == []
    proc = uvmono("members", "-F", "[no-such-branch]", cwd=repo.path)
    assert proc.returncode == 2 and "no-such-branch" in proc.stderr


def test_affected_matrix_and_child_pipeline_take_filters(repo: GitRepo) -> None:
    repo.commit("global", ("shared.txt", "everything\n"))
    names = uvmono(
        "affected", "--since", "main", "-F", "./services/*", "-F", "!other", cwd=repo.path
    )
    assert names.returncode == 0, names.stderr
    assert names.stdout.split() == ["app"]
    matrix = uvmono(
        "matrix", "--since", "main", "--format", "json", "-F", "plug-*", cwd=repo.path, check=True
    )
    members = [m["package"] for m in json.loads(matrix.stdout)["members"]]
    assert members == ["plug-anthropic", "plug-openai"]
    child = uvmono("ci", "gitlab", "--child", "--since", "main", "-F", "core", cwd=repo.path)
    assert child.returncode == 0, child.stderr
    assert "core" in child.stdout and "plug-openai" not in child.stdout
    wrong = uvmono("ci", "gitlab", "-F", "core", cwd=repo.path)
    assert wrong.returncode == 2 and "go with --child" in wrong.stderr


def test_docker_takes_the_members_of_a_filter_that_get_an_image(repo: GitRepo) -> None:
    def built(*args: str) -> list[str]:
        proc = uvmono("docker", "commands", *args, cwd=repo.path)
        assert proc.returncode == 0, proc.stderr
        return [line.split()[5].split(":")[0] for line in proc.stdout.splitlines()]

    assert built() == ["app", "other"]
    assert built("...plug-openai") == ["app"]  # core and the plugin get no image
    assert built("-F", "!app") == ["other"]
    assert built("*", "-F", "!other") == ["app"]
    named = uvmono("docker", "commands", "core", cwd=repo.path)
    assert named.returncode == 2 and "core gets no image" in named.stderr
    none = uvmono("docker", "commands", "plug-*", cwd=repo.path)
    assert none.returncode == 0 and none.stdout == ""
    assert "no selected member gets an image" in none.stderr


def test_graph_takes_filters_positionally_or_with_dash_f(repo: GitRepo) -> None:
    def nodes(*args: str) -> list[str]:
        proc = uvmono("graph", "--format", "json", *args, cwd=repo.path, check=True)
        return list(json.loads(proc.stdout)["nodes"])

    assert nodes("plug-*") == nodes("-F", "plug-*") == nodes("-F", "plug-openai", "plug-anthr*")


@pytest.mark.parametrize(
    ("filters", "error", "hint"),
    [
        (
            ["plug-opnai"],
            "error: `plug-opnai` is not a member of the workspace at",
            "hint: did you mean plug-openai",
        ),
        (["nothing-like-it"], "is not a member", "hint: `uvmono members --format names` lists"),
        (["zz-*"], "error: the filter 'zz-*' matches no member", "hint: "),
        (["./service/*"], "matches no member directory", "hint: did you mean services/app"),
        (["core[main"], "error: the filter 'core[main' is not valid", "hint: a filter is NAME"),
        (["...core..."], "`...` on one side only", "hint: a filter is NAME"),
        (["..."], "is not valid", "hint: a filter is NAME"),
        (["[]"], "`[]` names no git ref", "hint: "),
    ],
)
def test_bad_filters_are_clear_errors(
    repo: GitRepo, filters: list[str], error: str, hint: str
) -> None:
    for command in (["members"], ["graph"], ["affected", "--since", "main"]):
        args = [a for f in filters for a in ("-F", f)]
        proc = uvmono(*command, *args, cwd=repo.path)
        assert proc.returncode == 2, (command, proc.stdout)
        lines = proc.stderr.splitlines()
        assert error in lines[0] and lines[1].startswith(hint), proc.stderr
        assert "Traceback" not in proc.stderr


def test_every_command_that_takes_members_documents_the_filter() -> None:
    for command in (
        ["members"],
        ["graph"],
        ["affected"],
        ["matrix"],
        ["ci", "gitlab"],
        ["docker", "generate"],
        ["docker", "commands"],
        ["docker", "bake"],
    ):
        proc = uvmono(*command, "--help", cwd=Path.cwd(), env={"COLUMNS": "200"}, check=True)
        assert "--filter" in proc.stdout and "-F" in proc.stdout, command
