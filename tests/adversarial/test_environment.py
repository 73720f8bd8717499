"""`--since auto` under contradictory, half-set or garbage CI variables and event payloads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.adversarial.harness import fails, ok, unchanged
from tests.gitutil import ZERO_SHA, GitRepo
from tests.wsutil import virtual_root, write_tree

UNKNOWN_SHA = "a" * 40


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": '[project]\nname = "a"\nversion = "1"\n',
        },
    )
    repo.commit("initial")
    repo.checkout("feature", new=True)
    repo.commit("change", ("packages/a/x.py", "x = 1\n"))
    return repo


def github(event: str, payload: Path | str | None) -> dict[str, str]:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event}
    if payload is not None:
        env["GITHUB_EVENT_PATH"] = str(payload)
    return env


def payload_file(repo: GitRepo, content: str | bytes) -> Path:
    path = repo.path.parent / "event.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


GITHUB_PAYLOADS: dict[str, tuple[str, str | bytes, tuple[str, ...]]] = {
    "invalid JSON": ("pull_request", "{not json", ("not valid JSON",)),
    "not UTF-8": ("push", b'{"before": "\xff"}', ("not valid JSON",)),
    "an array": ("pull_request", "[1, 2]", ("not a JSON object",)),
    "nested too deeply": ("push", "[" * 100_000 + "]" * 100_000, ("not valid JSON",)),
    "pull_request is a number": ("pull_request", '{"pull_request": 3}', ("pull_request.base.sha",)),
    "base sha is a number": (
        "pull_request",
        '{"pull_request": {"base": {"sha": 5}}}',
        ("pull_request.base.sha",),
    ),
    "base sha that injects": (
        "pull_request",
        json.dumps({"pull_request": {"base": {"sha": "$(touch pwned)"}}}),
        ("pull_request.base.sha", "not a commit SHA"),
    ),
    "merge group without base": ("merge_group", '{"merge_group": {}}', ("merge_group.base_sha",)),
    "push before is garbage": ("push", '{"before": "zz"}', ("before", "not a commit SHA")),
    "new branch without default branch": (
        "push",
        json.dumps({"before": ZERO_SHA}),
        ("repository.default_branch",),
    ),
    "workflow_dispatch without default branch": (
        "workflow_dispatch",
        '{"inputs": {"everything": "false"}}',
        ("default_branch",),
    ),
}


@pytest.mark.parametrize("case", sorted(GITHUB_PAYLOADS))
def test_github_payloads(repo: GitRepo, case: str) -> None:
    event, content, fragments = GITHUB_PAYLOADS[case]
    path = payload_file(repo, content)
    error = fails("affected", cwd=repo.path, env=github(event, path), fragments=fragments)
    assert str(path) in error and "GITHUB_EVENT_PATH" in error
    assert not (repo.path / "pwned").exists()


@pytest.mark.parametrize(
    ("env", "fragments"),
    [
        ({"GITHUB_ACTIONS": "true"}, ("GITHUB_EVENT_NAME is not set",)),
        (github("pull_request", None), ("GITHUB_EVENT_PATH is not set",)),
        (github("push", "/nonexistent/event.json"), ("/nonexistent/event.json",)),
        (github("push", "/"), ("not a regular file",)),
        (github("push", "/dev/null"), ("not a regular file",)),
        ({"GITHUB_ACTIONS": "true", "GITLAB_CI": "true"}, ("both true",)),
        ({"GITLAB_CI": "true"}, ("CI_DEFAULT_BRANCH is not set",)),
        ({"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": "garbage"}, ("CI_COMMIT_BEFORE_SHA",)),
        (
            {"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "$(touch pwned)"},
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "not a commit SHA"),
        ),
        (
            {"GITLAB_CI": "true", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": "abc123"},
            ("CI_MERGE_REQUEST_TARGET_BRANCH_SHA",),
        ),
        (
            {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": UNKNOWN_SHA},
            ("CI_COMMIT_BEFORE_SHA", "aaaaaaaaaaaa", "no remote"),
        ),
        (
            {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": ZERO_SHA, "CI_DEFAULT_BRANCH": "trunk"},
            ("origin/trunk",),
        ),
    ],
)
def test_half_set_and_contradictory_variables(
    repo: GitRepo, env: dict[str, str], fragments: tuple[str, ...]
) -> None:
    fails("affected", "--since", "auto", cwd=repo.path, env=env, fragments=fragments)
    assert not (repo.path / "pwned").exists()


def test_an_unreachable_base_can_be_made_everything_explicitly(repo: GitRepo) -> None:
    env = {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": UNKNOWN_SHA}
    with unchanged(repo.path):
        result = ok(
            "affected", "--on-missing-base", "all", "--format", "json", cwd=repo.path, env=env
        )
    data = json.loads(result.stdout)
    assert data["affected"] == ["a"] and "everything" in data["base_source"]


def test_a_legal_pull_request_payload_gives_the_answer(repo: GitRepo) -> None:
    base = repo.sha("main")
    path = payload_file(repo, json.dumps({"pull_request": {"base": {"sha": base}}}))
    with unchanged(repo.path):
        result = ok("affected", "--format", "json", cwd=repo.path, env=github("pull_request", path))
    data = json.loads(result.stdout)
    assert data["base"] == base and data["affected"] == ["a"]


def test_a_gitlab_merge_request_gives_the_answer(repo: GitRepo) -> None:
    env = {"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": repo.sha("main")}
    with unchanged(repo.path):
        result = ok("affected", "--format", "json", cwd=repo.path, env=env)
    assert json.loads(result.stdout)["affected"] == ["a"]


def test_github_actions_false_is_not_github(repo: GitRepo) -> None:
    """Only the literal `true` that the runners set means CI; anything else is a local run."""
    result = ok("affected", cwd=repo.path, env={"GITHUB_ACTIONS": "false", "GITLAB_CI": "0"})
    assert result.stdout == "a\n" and "merge-base of main" in result.stderr


def test_a_fifo_payload_does_not_block(repo: GitRepo) -> None:
    fifo = repo.path.parent / "event.fifo"
    os.mkfifo(fifo)
    fails("affected", cwd=repo.path, env=github("push", fifo), fragments=("not a regular file",))
