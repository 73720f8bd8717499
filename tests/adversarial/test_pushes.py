"""Pushes that move a branch backwards or sideways: a rollback, a force push that replaces
commits. What the old and the new head differ in, in either direction, is affected; the
merge-base would see nothing in a rollback and drop the replaced commits of a force push."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adversarial.harness import ok
from tests.gitutil import GitRepo
from tests.wsutil import project, virtual_root, write_tree


def workspace(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            **{f"packages/{n}/pyproject.toml": project(n) for n in ("a", "b", "c")},
        },
    )
    repo.commit("initial")
    return repo


def github(tmp_path: Path, before: str, after: str) -> dict[str, str]:
    payload = tmp_path / "event.json"
    payload.write_text(
        json.dumps(
            {
                "before": before,
                "after": after,
                "forced": True,
                "repository": {"default_branch": "main"},
            }
        )
    )
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": str(payload),
    }


def gitlab(before: str) -> dict[str, str]:
    return {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": before, "CI_DEFAULT_BRANCH": "main"}


def affected(repo: GitRepo, env: dict[str, str]) -> tuple[list[str], str]:
    result = ok("affected", "--since", "auto", "--format", "json", cwd=repo.path, env=env)
    data = json.loads(result.stdout)
    return sorted(data["affected"]), data["base_source"]


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_a_push_that_rolls_the_branch_back_affects_what_it_undid(
    tmp_path: Path, ci: str
) -> None:
    repo = workspace(tmp_path)
    good = repo.sha()
    bad = repo.commit("bad change to a", ("packages/a/src/a/bug.py", "oops\n"))
    repo.run("reset", "--quiet", "--hard", good)  # `git push --force origin good:main`
    env = github(tmp_path, bad, good) if ci == "github" else gitlab(bad)

    members, source = affected(repo, env)

    assert members == ["a"]
    assert "two-dot" in source
    assert bad in source


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_a_force_push_that_replaces_commits_affects_both_sides(tmp_path: Path, ci: str) -> None:
    repo = workspace(tmp_path)
    fork = repo.sha()
    old = repo.commit("change a", ("packages/a/src/a/x.py", "1\n"))
    repo.run("reset", "--quiet", "--hard", fork)
    new = repo.commit("change b instead", ("packages/b/src/b/x.py", "1\n"))
    env = github(tmp_path, old, new) if ci == "github" else gitlab(old)

    members, source = affected(repo, env)

    assert members == ["a", "b"]  # a: its change was discarded; b: it changed
    assert "two-dot" in source


def test_an_ordinary_push_still_affects_only_what_it_added(tmp_path: Path) -> None:
    repo = workspace(tmp_path)
    before = repo.sha()
    after = repo.commit("change c", ("packages/c/src/c/x.py", "1\n"))

    members, _ = affected(repo, github(tmp_path, before, after))

    assert members == ["c"]


def dispatch(tmp_path: Path, inputs: dict[str, object]) -> dict[str, str]:
    payload = tmp_path / "dispatch.json"
    payload.write_text(json.dumps({"inputs": inputs, "repository": {"default_branch": "main"}}))
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(payload),
    }


@pytest.mark.parametrize("inputs", [{}, {"everything": "true"}])
def test_a_manual_run_on_the_default_branch_plans_every_member(
    tmp_path: Path, inputs: dict[str, object]
) -> None:
    repo = workspace(tmp_path)
    repo.run("update-ref", "refs/remotes/origin/main", "HEAD")

    members, source = affected(repo, dispatch(tmp_path, inputs))

    assert members == ["a", "b", "c"]
    assert source == "everything (GitHub workflow_dispatch)"


def test_a_manual_run_that_unticks_everything_compares_with_the_default_branch(
    tmp_path: Path,
) -> None:
    repo = workspace(tmp_path)
    repo.run("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.commit("change b", ("packages/b/src/b/x.py", "1\n"))

    members, _ = affected(repo, dispatch(tmp_path, {"everything": "false"}))

    assert members == ["b"]
