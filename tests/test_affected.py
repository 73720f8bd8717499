"""Given this workspace and this change, these members are affected, for these reasons.

Every test builds a real git repository holding a real uv workspace (locked by real uv where
the lock matters) and runs the real `uvmono affected` command.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uv, uv_binary, uvmono, virtual_root, write_tree

needs_uv = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")


def repo_with(
    tmp_path: Path, files: Mapping[str, str], *, lock: bool = False, subdir: str = ""
) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path / subdir if subdir else repo.path, files)
    if lock:
        locked = uv("lock", "--offline", cwd=repo.path / subdir if subdir else repo.path)
        assert locked.returncode == 0, locked.stderr
    repo.commit("initial")
    repo.checkout("feature", new=True)
    return repo


def affected(repo: GitRepo, *args: str, root: str = "") -> dict[str, Any]:
    proc = uvmono(
        "--root",
        str(repo.path / root),
        "affected",
        "--since",
        "main",
        "--format",
        "json",
        *args,
        cwd=repo.path,
        check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def kinds(data: Mapping[str, Any], member: str) -> set[str]:
    return {r["kind"] for r in data["reasons"][member]}


# ---------------------------------------------------------------------------------- shapes

PLUGINS = {
    "pyproject.toml": virtual_root(
        ["plugins/*", "core"], sources=["core", "plug-openai", "plug-anthropic"]
    ),
    "core/pyproject.toml": project(
        "core", extras={"openai": ["plug-openai"], "anthropic": ["plug-anthropic"]}
    ),
    "plugins/openai/pyproject.toml": project("plug-openai", ["core"]),
    "plugins/anthropic/pyproject.toml": project("plug-anthropic", ["core"]),
    "plugins/app/pyproject.toml": project("app", ["core[openai]"]),
    "plugins/other/pyproject.toml": project("other", ["core"]),
}


@pytest.fixture
def sample_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    shutil.copytree(SAMPLE, repo.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv"))
    repo.commit("sample")
    repo.checkout("feature", new=True)
    return repo


def test_library_change_reaches_its_dependents_only(sample_repo: GitRepo) -> None:
    sample_repo.commit("edit", ("libs/events/src/acme_events/bus.py", "X = 1\n"))
    data = affected(sample_repo)
    assert data["directly_changed"] == ["acme-events"]
    assert data["affected"] == ["acme-api", "acme-events", "acme-storage", "acme-worker"]
    assert data["reasons"]["acme-events"] == [
        {"kind": "file", "files": ["libs/events/src/acme_events/bus.py"]}
    ]
    assert data["reasons"]["acme-api"][0]["chain"] == ["acme-api", "acme-storage", "acme-events"]
    assert data["head"] is None and len(data["base"]) == 40


def test_working_tree_staged_and_untracked_count(sample_repo: GitRepo) -> None:
    sample_repo.write("tools/cli/src/acme_cli/new_module.py", "untracked = True\n")
    data = affected(sample_repo)
    assert data["affected"] == ["acme-cli"]


def test_until_compares_commits_not_the_working_tree(sample_repo: GitRepo) -> None:
    head = sample_repo.commit("edit", ("tools/cli/src/acme_cli/extra.py", "X = 1\n"))
    sample_repo.write("libs/core/src/acme_core/utils.py", "# uncommitted\n")
    data = affected(sample_repo, "--until", "HEAD")
    assert data["head"] == head
    assert data["affected"] == ["acme-cli"]


def test_cycle_through_extras_does_not_reach_every_plugin(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, PLUGINS)
    repo.commit("edit", ("plugins/openai/src/plug_openai/x.py", "x = 1\n"))
    data = affected(repo)
    # core's own extra [openai] installs plug-openai; app asks for core[openai].
    assert data["affected"] == ["app", "core", "plug-openai"]
    assert data["reasons"]["app"][0]["chain"][:2] == ["app", "core"]


def test_graph_mode_follows_every_edge(tmp_path: Path) -> None:
    files = dict(PLUGINS)
    files["pyproject.toml"] += '[tool.uvmono]\naffected = "graph"\n'
    repo = repo_with(tmp_path, files)
    repo.commit("edit", ("plugins/openai/src/plug_openai/x.py", "x = 1\n"))
    data = affected(repo)
    assert data["affected"] == ["app", "core", "other", "plug-anthropic", "plug-openai"]


def test_core_change_reaches_all_plugins(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, PLUGINS)
    repo.commit("edit", ("core/src/core/x.py", "x = 1\n"))
    assert affected(repo)["affected"] == ["app", "core", "other", "plug-anthropic", "plug-openai"]


NESTED = {
    "pyproject.toml": project(
        "root-app",
        ["examples"],
        sources=["examples", "srv-a"],
        tail='[tool.uv.workspace]\nmembers = ["examples", "examples/servers/*"]\n',
    ),
    "examples/pyproject.toml": project("examples", ["srv-a"]),
    "examples/servers/a/pyproject.toml": project("srv-a"),
    "examples/servers/b/pyproject.toml": project("srv-b"),
}


def test_files_belong_to_the_deepest_member(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, NESTED)
    repo.commit("edit", ("examples/servers/b/src/srv_b/x.py", "x = 1\n"))
    data = affected(repo)
    assert data["affected"] == ["srv-b"]


def test_root_member_owns_files_no_other_member_owns(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, NESTED)
    repo.commit("edit", ("docs/guide.md", "hello\n"))
    data = affected(repo)
    assert data["directly_changed"] == ["root-app"]
    assert data["affected"] == ["root-app"]


def test_virtual_root_files_and_files_outside_the_workspace_affect_nothing(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(["packages/*"], sources=["b"]),
        "packages/a/pyproject.toml": project("a", ["b"]),
        "packages/b/pyproject.toml": project("b"),
    }
    repo = repo_with(tmp_path, files, subdir="python")
    repo.commit("edit", ("python/tests/test_all.py", "x = 1\n"), ("README.md", "top\n"))
    data = affected(repo, root="python")
    assert data["affected"] == []
    assert data["changed_files"] == ["../README.md", "tests/test_all.py"]
    repo.commit("edit", ("python/packages/b/src/b/x.py", "x = 1\n"))
    assert affected(repo, root="python")["affected"] == ["a", "b"]


def test_renames_count_on_both_sides_and_deletions_count(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/b/pyproject.toml": project("b"),
        "packages/c/pyproject.toml": project("c"),
        "packages/a/src/a/moved.py": "payload = 'a fairly long file so git sees a rename'\n" * 5,
        "packages/c/src/c/gone.py": "x = 1\n",
    }
    repo = repo_with(tmp_path, files)
    repo.run("mv", "packages/a/src/a/moved.py", "packages/b/src/b/moved.py")
    repo.run("rm", "-q", "packages/c/src/c/gone.py")
    repo.commit("move and delete")
    assert affected(repo)["affected"] == ["a", "b", "c"]


def test_global_files_affect_everything(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(
            ["packages/*"], tail='[tool.uvmono]\nglobal-files = ["pyproject.toml", ".github/**"]\n'
        ),
        "packages/a/pyproject.toml": project("a"),
        "packages/b/pyproject.toml": project("b"),
    }
    repo = repo_with(tmp_path, files)
    repo.commit("ci", (".github/workflows/ci.yml", "on: push\n"))
    data = affected(repo)
    assert data["affected"] == ["a", "b"]
    assert data["reasons"]["a"] == [{"kind": "global", "files": [".github/workflows/ci.yml"]}]


def test_ignore_globs(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(
            ["packages/*"], tail='[tool.uvmono]\nignore = ["**/*.md"]\n'
        ),
        "packages/a/pyproject.toml": project("a", tail='[tool.uvmono]\nignore = ["docs/**"]\n'),
    }
    repo = repo_with(tmp_path, files)
    repo.commit("docs", ("packages/a/README.md", "x\n"), ("packages/a/docs/x.txt", "y\n"))
    assert affected(repo)["affected"] == []
    repo.commit("code", ("packages/a/src/a/x.py", "x = 1\n"))
    assert affected(repo)["affected"] == ["a"]


def test_odd_file_names(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/b/pyproject.toml": project("b"),
    }
    repo = repo_with(tmp_path, files)
    repo.commit("odd", ("packages/a/we ird\nname ünï.txt", "x\n"), ("packages/b/-dash", "y\n"))
    data = affected(repo)
    assert data["affected"] == ["a", "b"]
    assert "packages/a/we ird\nname ünï.txt" in data["changed_files"]


def test_path_dependency_outside_the_workspace(tmp_path: Path) -> None:
    files = {
        "ws/pyproject.toml": virtual_root(["apps/*"], sources=["app"]),
        "ws/apps/app/pyproject.toml": project(
            "app",
            ["extlib"],
            tail='[tool.uv.sources]\nextlib = { path = "../../../extlib", editable = true }\n',
        ),
        "ws/apps/user/pyproject.toml": project("user", ["app"]),
        "ws/apps/lone/pyproject.toml": project("lone"),
        "extlib/pyproject.toml": project("extlib"),
    }
    repo = repo_with(tmp_path, files)
    repo.commit("edit", ("extlib/src/extlib/x.py", "x = 1\n"))
    assert affected(repo, root="ws")["affected"] == ["app", "user"]


# ------------------------------------------------------------------------------- uv.lock


@needs_uv
def test_relock_churn_without_package_changes_affects_nothing(sample_repo: GitRepo) -> None:
    lock = sample_repo.path / "uv.lock"
    text = lock.read_text()
    churned = text.replace("revision = 5", "revision = 3").replace(
        'upload-time = "20', 'upload-time = "19'
    )
    assert churned != text
    lock.write_text(churned)
    sample_repo.commit("relock")
    data = affected(sample_repo)
    assert data["changed_files"] == ["uv.lock"]
    assert data["affected"] == []


@needs_uv
def test_lock_bump_reaches_only_members_whose_environment_holds_it(sample_repo: GitRepo) -> None:
    old = _locked_version(sample_repo.path, "shellingham")
    bumped = uv("lock", "--upgrade-package", "shellingham==1.5.0", cwd=sample_repo.path)
    if bumped.returncode != 0:
        pytest.skip(f"PyPI is not reachable: {bumped.stderr.strip()[-200:]}")
    sample_repo.commit("bump shellingham")
    data = affected(sample_repo)
    assert data["affected"] == ["acme-cli"]  # typer -> shellingham; nobody else has it
    (reason,) = data["reasons"]["acme-cli"]
    assert reason == {
        "kind": "lock",
        "packages": [{"name": "shellingham", "old": [old], "new": ["1.5.0"]}],
    }


@needs_uv
def test_removed_third_party_package(sample_repo: GitRepo) -> None:
    pyproject = sample_repo.path / "tools/cli/pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"typer>=0.12",', "").replace('"typer>=0.12"', "")
    )
    locked = uv("lock", "--offline", cwd=sample_repo.path)
    assert locked.returncode == 0, locked.stderr
    sample_repo.commit("drop typer")
    data = affected(sample_repo)
    assert data["affected"] == ["acme-cli"]
    lock_reason = next(r for r in data["reasons"]["acme-cli"] if r["kind"] == "lock")
    removed = {p["name"] for p in lock_reason["packages"] if not p["new"]}
    assert {"typer", "shellingham"} <= removed


@needs_uv
def test_unreadable_base_lock_affects_everything(sample_repo: GitRepo) -> None:
    lock = sample_repo.path / "uv.lock"
    good = lock.read_text()
    lock.write_text(good + "\n<<<<<<< broken\n")
    sample_repo.commit("break the lock")
    sample_repo.branch("broken")
    lock.write_text(good)
    sample_repo.commit("repair")
    proc = uvmono(
        "affected", "--since", "broken", "--format", "json", cwd=sample_repo.path, check=True
    )
    result = json.loads(proc.stdout)
    assert len(result["affected"]) == 6
    (reason,) = result["reasons"]["acme-core"]
    assert reason["kind"] == "lock" and "not valid TOML" in reason["why"]


@needs_uv
def test_global_lockfile_setting(sample_repo: GitRepo) -> None:
    root = sample_repo.path / "pyproject.toml"
    root.write_text(
        root.read_text().replace("[tool.uvmono]\n", '[tool.uvmono]\nlockfile = "global"\n')
    )
    sample_repo.commit("configure")
    sample_repo.branch("configured")
    lock = sample_repo.path / "uv.lock"
    lock.write_text(
        lock.read_text().replace(
            'name = "shellingham"\nversion = "', 'name = "shellingham"\nversion = "0'
        )
    )
    sample_repo.commit("edit the lock")
    proc = uvmono("affected", "--since", "configured", cwd=sample_repo.path, check=True)
    assert len(proc.stdout.split()) == 6


def _locked_version(root: Path, name: str) -> str:
    import tomllib

    doc = tomllib.loads((root / "uv.lock").read_text())
    (version,) = [p["version"] for p in doc["package"] if p["name"] == name]
    return str(version)


# ------------------------------------------------------------------------------ output


def test_formats_and_explain(sample_repo: GitRepo) -> None:
    sample_repo.commit("edit", ("libs/core/src/acme_core/x.py", "x = 1\n"))
    names = uvmono("affected", "--since", "main", cwd=sample_repo.path, check=True)
    assert names.stdout.split() == [
        "acme-api",
        "acme-cli",
        "acme-core",
        "acme-events",
        "acme-storage",
        "acme-worker",
    ]
    assert "base" in names.stderr
    paths = uvmono(
        "affected",
        "--since",
        "main",
        "--format",
        "paths",
        "--direct-only",
        cwd=sample_repo.path,
        check=True,
    )
    assert paths.stdout == "libs/core\n"
    explain = uvmono("affected", "--since", "main", "--explain", cwd=sample_repo.path, check=True)
    assert "acme-cli (tools/cli)\n  └─ depends on acme-core, which changed" in explain.stdout


EXTRAS_AND_GROUPS = {
    "pyproject.toml": virtual_root(
        ["packages/*"],
        sources=["store", "lib", "app", "tool", "plain"],
        tail='[dependency-groups]\nlint = ["store"]\n',
    ),
    "packages/store/pyproject.toml": project("store"),
    "packages/lib/pyproject.toml": project("lib", extras={"s3": ["store"]}),
    "packages/app/pyproject.toml": project("app", ["lib[s3]"]),
    "packages/tool/pyproject.toml": project("tool", groups={"dev": ["store"]}),
    "packages/plain/pyproject.toml": project(
        "plain", tail='[tool.uvmono]\ntest-root-groups = ["lint"]\n'
    ),
}


def test_explain_names_the_extra_or_group_on_each_link(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, EXTRAS_AND_GROUPS)
    repo.commit("edit", ("packages/store/src/store/x.py", "x = 1\n"))
    data = affected(repo)
    assert data["affected"] == ["app", "lib", "plain", "store", "tool"]
    app = data["reasons"]["app"][0]
    assert app["chain"] == ["app", "lib", "store"]
    assert app["links"] == [{"from": "lib", "to": "store", "extra": "s3"}]
    assert data["reasons"]["tool"][0]["links"] == [{"from": "tool", "to": "store", "group": "dev"}]
    assert data["reasons"]["plain"][0]["links"] == [
        {"from": "plain", "to": "store", "group": "lint", "root": True}
    ]
    text = uvmono("affected", "--since", "main", "--explain", cwd=repo.path, check=True).stdout
    assert "app (packages/app)\n  └─ depends on lib[s3] -> store, which changed\n" in text
    assert "lib (packages/lib)\n  └─ its extra s3 depends on store, which changed\n" in text
    assert "tool (packages/tool)\n  └─ its group dev depends on store, which changed\n" in text
    assert "plain (packages/plain)\n  └─ the root group lint depends on store" in text
    # The conservative rule names the declaration behind each member edge the same way.
    files = dict(EXTRAS_AND_GROUPS)
    files["pyproject.toml"] += '[tool.uvmono]\naffected = "graph"\n'
    repo = repo_with(tmp_path / "graph", files)
    repo.commit("edit", ("packages/store/src/store/x.py", "x = 1\n"))
    graph_mode = affected(repo)["reasons"]
    assert graph_mode["app"][0]["links"] == [{"from": "lib", "to": "store", "extra": "s3"}]
    assert graph_mode["tool"][0]["links"] == [{"from": "tool", "to": "store", "group": "dev"}]


def test_explain_lists_the_files_that_affected_nothing(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(
            ["packages/*"], sources=["a", "b"], tail='[tool.uvmono]\nignore = ["docs/**"]\n'
        ),
        "packages/a/pyproject.toml": project(
            "a", tail='[tool.uvmono]\nignore = ["fixtures/**"]\n'
        ),
        "packages/b/pyproject.toml": project("b"),
        "packages/old/pyproject.toml": project("old"),
        "packages/old/src/old/core.py": "x = 1\n",
    }
    repo = repo_with(tmp_path, files, subdir="ws")
    repo.write("notes.txt", "outside the workspace\n")
    repo.write("ws/scripts/release.sh", "echo release\n")
    repo.write("ws/docs/guide.txt", "ignored by the root\n")
    repo.write("ws/packages/a/fixtures/data.json", "{}\n")
    repo.write("ws/packages/b/src/b/x.py", "x = 1\n")
    shutil.rmtree(repo.path / "ws/packages/old")
    data = affected(repo, root="ws")
    assert data["affected"] == ["b"]
    assert data["deleted_members"] == [{"name": "old", "path": "packages/old"}]
    assert data["no_effect"] == [
        {"file": "../notes.txt", "kind": "outside"},
        {"file": "docs/guide.txt", "kind": "ignored", "pattern": "docs/**"},
        {
            "file": "packages/a/fixtures/data.json",
            "kind": "ignored",
            "pattern": "fixtures/**",
            "member": "a",
        },
        {"file": "packages/old/pyproject.toml", "kind": "deleted-member", "member": "old"},
        {"file": "packages/old/src/old/__init__.py", "kind": "deleted-member", "member": "old"},
        {"file": "packages/old/src/old/core.py", "kind": "deleted-member", "member": "old"},
        {"file": "scripts/release.sh", "kind": "virtual-root"},
    ]
    text = uvmono(
        "--root", "ws", "affected", "--since", "main", "--explain", cwd=repo.path, check=True
    ).stdout
    assert text.endswith(
        "changed files that affect no member:\n"
        "  ├─ outside the workspace and every path dependency: ../notes.txt\n"
        "  ├─ ignored by the root's `ignore` pattern 'docs/**': docs/guide.txt\n"
        "  ├─ ignored by a's `ignore` pattern 'fixtures/**': packages/a/fixtures/data.json\n"
        "  ├─ in old (packages/old), which is no longer a member: packages/old/pyproject.toml, "
        "packages/old/src/old/__init__.py, packages/old/src/old/core.py\n"
        "  └─ in no member (the virtual root's own files): scripts/release.sh\n"
        "\n"
        "no longer members (at the base, not at the head):\n"
        "  └─ old (packages/old)\n"
    )
    assert text.startswith("b (packages/b)\n  └─ files changed: packages/b/src/b/x.py\n")


@needs_uv
def test_a_relock_that_changes_no_package_is_explained(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(["packages/*"], sources=["a"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/b/pyproject.toml": project("b", ["a"]),
    }
    repo = repo_with(tmp_path, files, lock=True)
    lock = (repo.path / "uv.lock").read_text()
    repo.commit("relock", ("uv.lock", lock + "\n# rewritten by a relock\n"))
    text = uvmono("affected", "--since", "main", "--explain", cwd=repo.path, check=True).stdout
    assert text == (
        "nothing is affected\n\nchanged files that affect no member:\n"
        "  └─ uv.lock: no member's locked packages changed (only upload times, revisions or "
        "options)\n"
    )
    assert affected(repo)["no_effect"] == [{"file": "uv.lock", "kind": "lock"}]


def test_include_dependencies(sample_repo: GitRepo) -> None:
    sample_repo.commit("edit", ("tools/cli/src/acme_cli/x.py", "x = 1\n"))
    out = uvmono(
        "affected", "--since", "main", "--include-dependencies", cwd=sample_repo.path, check=True
    )
    assert out.stdout.split() == ["acme-cli", "acme-core"]


def test_unknown_ref_is_a_clear_error(sample_repo: GitRepo) -> None:
    proc = uvmono("affected", "--since", "no-such-branch", cwd=sample_repo.path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "no-such-branch" in proc.stderr
    assert "hint: " in proc.stderr and "Traceback" not in proc.stderr


def test_until_reads_the_workspace_from_that_commit(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": virtual_root(["packages/*"], sources=["b"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/b/pyproject.toml": project("b"),
    }
    repo = repo_with(tmp_path, files)
    repo.commit(
        "new member c",
        ("packages/c/pyproject.toml", project("c", ["b"])),
        ("packages/c/src/c/__init__.py", ""),
    )
    repo.commit("edit b", ("packages/b/src/b/x.py", "x = 1\n"))
    repo.checkout("main")
    data = affected(repo, "--until", "feature")
    # c exists only in `feature`: the working tree (main) does not have it.
    assert data["affected"] == ["b", "c"]
    assert data["reasons"]["c"][0]["kind"] == "file"
    assert not (repo.path / "packages/c").exists()


@needs_uv
def test_lock_changes_agree_with_uv_export(sample_repo: GitRepo) -> None:
    """A member is affected by a relock iff `uv export --package M --all-extras --all-groups`
    prints something else for it before and after."""
    members = sorted(
        json.loads(uvmono("members", "--format", "json", cwd=sample_repo.path, check=True).stdout)[
            "members"
        ],
        key=lambda m: m["name"],
    )

    def exports() -> dict[str, str]:
        out = {}
        for m in members:
            proc = uv(
                "export",
                "--package",
                m["name"],
                "--frozen",
                "--all-extras",
                "--all-groups",
                "--no-hashes",
                "--no-header",
                "--no-annotate",
                cwd=sample_repo.path,
            )
            assert proc.returncode == 0, proc.stderr
            out[m["name"]] = proc.stdout
        return out

    before = exports()
    bumped = uv(
        "lock",
        "--upgrade-package",
        "shellingham==1.5.0",
        "--upgrade-package",
        "click==8.1.8",
        cwd=sample_repo.path,
    )
    if bumped.returncode != 0:
        pytest.skip(f"PyPI is not reachable: {bumped.stderr.strip()[-200:]}")
    sample_repo.commit("relock")
    after = exports()
    expected = sorted(name for name in before if before[name] != after[name])
    assert expected  # the bump must reach someone, or this test proves nothing
    assert affected(sample_repo)["affected"] == expected


def test_path_dependency_inside_the_workspace_but_no_member(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": project("root-app", tail='[tool.uv.workspace]\nmembers = ["apps/*"]\n'),
        "apps/app/pyproject.toml": project(
            "app",
            ["vendored"],
            tail='[tool.uv.sources]\nvendored = { path = "../../vendor/vendored" }\n',
        ),
        "apps/other/pyproject.toml": project("other"),
        "vendor/vendored/pyproject.toml": project("vendored"),
    }
    repo = repo_with(tmp_path, files)
    repo.commit("edit", ("vendor/vendored/src/vendored/x.py", "x = 1\n"))
    data = affected(repo)
    # The root member owns the file, and app uses the path dependency that holds it.
    assert data["affected"] == ["app", "root-app"]
    assert data["reasons"]["app"] == [
        {"kind": "file", "files": ["vendor/vendored/src/vendored/x.py"]}
    ]


# ------------------------------------------------------------------------- long chains

CHAIN = 40


def test_a_long_chain_is_reported_in_bounded_size(tmp_path: Path) -> None:
    """Member i depends on member i-1: every reason names `via`, `changed`, the first ten names
    of its chain and (when longer) its `length`, so the output grows linearly, not
    quadratically; `via` links give the whole chain back, and `--explain` shortens it."""
    names = [f"c{i:02d}" for i in range(CHAIN)]
    files = {"pyproject.toml": virtual_root(["packages/*"], sources=names)}
    for i, name in enumerate(names):
        files[f"packages/{name}/pyproject.toml"] = project(name, [names[i - 1]] if i else [])
    repo = repo_with(tmp_path, files)
    repo.commit("edit", ("packages/c00/x.py", "x = 1\n"))
    data = affected(repo)
    assert data["affected"] == names
    top = data["reasons"][names[-1]][0]
    assert top["kind"] == "dependency" and top["via"] == names[-2] and top["changed"] == "c00"
    assert top["chain"] == names[::-1][:10] and top["length"] == CHAIN
    short = data["reasons"]["c05"][0]
    assert short["chain"] == ["c05", "c04", "c03", "c02", "c01", "c00"] and "length" not in short
    # Following `via` from the top walks the whole chain down to the changed member.
    walked, cur = [names[-1]], top
    while cur["kind"] == "dependency":
        walked.append(cur["via"])
        cur = data["reasons"][cur["via"]][0]
    assert walked == names[::-1]
    sizes = [len(json.dumps(data["reasons"][n])) for n in names]
    assert max(sizes) <= 2 * sizes[12]  # past the first ten names a reason stops growing
    text = uvmono("affected", "--since", "main", "--explain", cwd=repo.path, check=True).stdout
    line = next(x for x in text.splitlines() if "c38 -> " in x and "(34 more)" in x)
    shown = "c38 -> c37 -> c36 -> c35 -> ... (34 more) -> c00"
    assert line.strip() == f"└─ depends on {shown}, which changed"
