"""`affected` asks git ahead (early.py, changes.quick_changes) and works out only the
environments a change reaches (environment.py): the answers, the errors and which error wins
stay those of the step-by-step path. Real git repositories, real workspaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.test_pushes import github
from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono import changes, early, environment, forking, git, pipeline, test_environment, workspace
from uvmono.changes import quick_changes, resolve_changes
from uvmono.errors import UvmonoError

LOCAL: dict[str, str] = {}


def three_members(tmp_path: Path) -> GitRepo:
    """main: a, b (needs a), c; feature: a changed, c changed in the working tree, and an
    untracked file in b."""
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"], sources=["a"]),
            "packages/a/pyproject.toml": project("a"),
            "packages/b/pyproject.toml": project("b", ["a"]),
            "packages/c/pyproject.toml": project("c"),
        },
    )
    repo.commit("initial")
    repo.run("tag", "v1")
    repo.checkout("feature", new=True)
    repo.commit("a", ("packages/a/src/a/x.py", "x = 1\n"))
    repo.commit("a again", ("packages/a/src/a/y.py", "y = 1\n"))
    repo.write("packages/c/src/c/z.py", "z = 1\n")
    repo.add()
    repo.write("packages/b/notes.txt", "untracked\n")
    return repo


# ------------------------------------------------------------------------ quick_changes


PLAIN = [
    ("main", None),
    ("main", "feature"),
    ("main", "HEAD"),
    ("v1", "feature"),
    ("HEAD~1", None),
    ("feature^", "feature"),
    ("feature~2", "feature~1"),
]


@pytest.mark.parametrize(("since", "until"), PLAIN)
def test_quick_changes_answer_what_resolve_changes_answers(
    tmp_path: Path, since: str, until: str | None
) -> None:
    repo = three_members(tmp_path)
    quick = quick_changes(repo.path, since, until, environ=LOCAL)
    assert quick is not None
    assert quick[0] == resolve_changes(repo.path, since, until, environ=LOCAL)
    assert quick[1].working_dir == git.open_repo(repo.path).working_dir


def test_quick_changes_answer_a_full_sha_and_a_member_directory(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    base = repo.sha("main")
    inner = repo.path / "packages" / "b"
    quick = quick_changes(inner, base, None, environ=LOCAL)
    assert quick is not None
    assert quick[0] == resolve_changes(inner, base, None, environ=LOCAL)
    assert "packages/b/notes.txt" in quick[0].files  # untracked, listed alongside the diff
    assert "packages/c/src/c/z.py" in quick[0].files  # staged


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("nope", None),  # unknown: resolve_changes says so
        ("main", "nope"),
        ("main..feature", None),  # a range
        ("@{-1}", None),
        ("-x", None),  # an option to git
        ("main", ""),  # an empty --until: resolve_changes refuses it
        ("auto", None),  # a local guess at the default branch
        ("orphan", None),  # no merge-base
        ("feature^-", None),  # a range too
    ],
)
def test_quick_changes_leave_everything_else_to_resolve_changes(
    tmp_path: Path, since: str, until: str | None
) -> None:
    repo = three_members(tmp_path)
    repo.run("checkout", "--quiet", "--orphan", "orphan")
    repo.run("commit", "--quiet", "--allow-empty", "-m", "orphan")
    repo.checkout("feature")
    assert quick_changes(repo.path, since, until, environ=LOCAL) is None


def test_quick_changes_take_the_ci_base_and_a_push_tree_to_tree(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    before, after = repo.sha("main"), repo.sha("feature")
    environ = github(tmp_path, before, after)
    quick = quick_changes(repo.path, "auto", None, environ=environ)
    assert quick is not None
    assert quick[0] == resolve_changes(repo.path, "auto", None, environ=environ)
    assert "two-dot" in quick[0].base_source
    payload = tmp_path / "pull.json"
    payload.write_text(json.dumps({"pull_request": {"base": {"sha": before}}}))
    pull = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(payload),
    }
    quick = quick_changes(repo.path, "auto", "feature", environ=pull)
    assert quick is not None
    assert quick[0] == resolve_changes(repo.path, "auto", "feature", environ=pull)
    assert quick[0].base_source == f"GitHub pull_request: base sha {before}"
    # A CI environment uvmono refuses: resolve_changes reports it.
    both = {**pull, "GITLAB_CI": "true"}
    assert quick_changes(repo.path, "auto", None, environ=both) is None


def test_quick_changes_are_outside_a_repository_none(tmp_path: Path) -> None:
    assert quick_changes(tmp_path, "main", None, environ=LOCAL) is None
    with pytest.raises(UvmonoError, match="not inside a git repository"):
        resolve_changes(tmp_path, "main", None, environ=LOCAL)


# ---------------------------------------------------------------------------------- early


def run_pipeline(root: Path, until: str | None, ahead: early.EarlyChanges | None) -> str:
    ws = workspace.load(root, cache=False)
    options = pipeline.RunOptions(info=lambda _: None, since="main", until=until, cwd=root)
    computed = pipeline.affected(ws, options, ahead)
    return json.dumps(computed[1].as_json(), sort_keys=True)


@pytest.mark.parametrize("until", [None, "feature", "HEAD~1"])
def test_what_git_answered_ahead_gives_the_same_result(
    tmp_path: Path, until: str | None
) -> None:
    repo = three_members(tmp_path)
    ahead = early.start(repo.path, "main", until, "error")
    assert ahead is not None
    asked = ahead.take(repo.path.resolve(), "main", until, {}, "error")
    assert asked is not None and asked[0].head == (None if until is None else repo.sha(until))
    assert (asked[1] is None) == (until is None)
    again = early.start(repo.path, "main", until, "error")
    assert run_pipeline(repo.path, until, again) == run_pipeline(repo.path, until, None)


def test_an_answer_to_another_question_is_not_taken(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    ahead = early.start(repo.path, "main", None, "error")
    assert ahead is not None
    root = repo.path.resolve()
    assert ahead.take(root, "v1", None, {}, "error") is None
    assert ahead.take(root, "main", "feature", {}, "error") is None
    assert ahead.take(root / "packages", "main", None, {}, "error") is None
    assert ahead.take(root, "main", None, {"GITLAB_CI": "true"}, "error") is None
    assert ahead.take(root, "main", None, {}, "all") is None
    assert ahead.take(root, "main", None, {}, "error") is not None


def test_git_errors_asked_ahead_are_raised_when_taken(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    ahead = early.start(repo.path, "nope", None, "error")
    assert ahead is not None
    with pytest.raises(UvmonoError) as raised:
        ahead.take(repo.path.resolve(), "nope", None, {}, "error")
    with pytest.raises(UvmonoError) as expected:
        resolve_changes(repo.path, "nope", None, environ=LOCAL)
    assert (raised.value.message, raised.value.hint) == (
        expected.value.message,
        expected.value.hint,
    )


def test_without_a_workspace_nothing_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert early.start(None, "main", None, "error") is None


def test_a_workspace_error_still_wins_over_a_git_error(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    (repo.path / "packages/c/pyproject.toml").write_text("[project\n", encoding="utf-8")
    for args in (("--since", "nope"), ("--since", "main", "--until", "nope")):
        proc = uvmono("affected", *args, cwd=repo.path)
        assert proc.returncode == 2
        assert "packages/c/pyproject.toml" in proc.stderr
        assert "unknown git ref" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--since", "nope"), "error: unknown git ref 'nope' (--since)\n"),
        (("--since", "main", "--until", "nope"), "error: unknown git ref 'nope' (--until)\n"),
    ],
)
def test_a_git_error_reads_as_before(tmp_path: Path, args: tuple[str, ...], error: str) -> None:
    repo = three_members(tmp_path)
    proc = uvmono("affected", *args, cwd=repo.path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(error)
    assert "hint: check the name with git branch -a" in proc.stderr


def test_a_shallow_clone_is_deepened_by_the_stage_not_ahead(tmp_path: Path) -> None:
    origin = GitRepo.init(tmp_path / "origin")
    write_tree(
        origin.path,
        {"pyproject.toml": virtual_root(["packages/*"]), "packages/a/pyproject.toml": project("a")},
    )
    fork = origin.commit("start")
    origin.checkout("feature", new=True)
    origin.commits(3, "packages/a/f")
    origin.checkout("main")
    origin.commits(3, "m")
    clone = GitRepo.clone(origin, tmp_path / "clone", "--depth", "1", "--branch", "feature")
    depth = clone.run("rev-list", "--count", "HEAD")

    ahead = early.start(clone.path, "origin/main", None, "error")
    assert ahead is not None
    assert ahead.take(clone.path.resolve(), "origin/main", None, {}, "error") is None
    assert clone.run("rev-list", "--count", "HEAD") == depth  # nothing was fetched ahead

    proc = uvmono("affected", "--since", "origin/main", "--format", "json", cwd=clone.path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["base"] == fork
    assert data["affected"] == ["a"]


def test_a_cache_in_the_repository_is_listed_as_without_early_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workspace read writes its cache file before git lists the untracked files."""
    from uvmono import wscache

    monkeypatch.setattr(wscache, "RACY_SECONDS", -3600.0)  # files written now are cached
    repo = three_members(tmp_path)
    env = {"CI": "", "UVMONO_NO_CACHE": "", "UVMONO_CACHE_DIR": str(repo.path / "cache")}
    for _ in range(2):
        proc = uvmono("affected", "--since", "main", "--format", "json", cwd=repo.path, env=env)
        assert proc.returncode == 0, proc.stderr
        files = json.loads(proc.stdout)["changed_files"]
        assert [f for f in files if f.startswith("cache/workspace-")], files


# ----------------------------------------------------------------------- start states


def sample_workspaces(tmp_path: Path) -> list[workspace.Workspace]:
    root_groups = write_tree(
        tmp_path / "groups",
        {
            "pyproject.toml": virtual_root(["packages/*"], sources=["a", "b"])
            + '[dependency-groups]\ndev = ["a"]\n',
            "packages/a/pyproject.toml": project("a", extras={"x": ["b"]}),
            "packages/b/pyproject.toml": project("b", groups={"lint": ["a"]}),
            "packages/c/pyproject.toml": project("c", ["a[x]"]),
        },
    )
    return [workspace.load(SAMPLE, cache=False), workspace.load(root_groups, cache=False)]


def test_start_states_worked_out_when_asked_are_those_of_every_member(tmp_path: Path) -> None:
    for ws in sample_workspaces(tmp_path):
        graph = environment.build(ws, workspace.lock_of(ws))
        for name, member in ws.members.items():
            envs = test_environment.environments(ws, member, workspace.lock_of(ws))
            expected = tuple(sorted(environment.start_states(envs), key=repr))
            assert graph.starts[name] == expected
        assert list(graph.starts) == list(ws.members)
        assert len(graph.starts) == len(ws.members)


def test_the_members_a_state_may_start_include_every_member_it_starts(tmp_path: Path) -> None:
    for ws in sample_workspaces(tmp_path):
        graph = environment.build(ws, workspace.lock_of(ws))
        states = {*graph.edges, *(s for ts in graph.edges.values() for s in ts)}
        for state in states:
            found = set(graph.members_starting_at([state]))
            assert found >= {m for m in ws.members if state in graph.starts[m]}, state
        assert set(graph.members_starting_at(states)) >= {
            m for m in ws.members if set(graph.starts[m]) & states
        }


def test_a_bad_test_setting_of_a_member_the_change_misses_still_fails(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": project("a"),
            "packages/b/pyproject.toml": project(
                "b", tail='[tool.uvmono]\ntest-extras = ["nope"]\n'
            ),
        },
    )
    repo.commit("initial")
    repo.commit("a", ("packages/a/src/a/x.py", "x = 1\n"))
    proc = uvmono("affected", "--since", "HEAD~1", cwd=repo.path)
    assert proc.returncode == 2
    assert "`tool.uvmono.test-extras`" in proc.stderr
    assert "names extra(s) the member does not have: nope" in proc.stderr


# --------------------------------------------------------------------------- lock reads


def test_a_single_read_at_a_commit_answers_what_read_file_at_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uvmono import regular

    repo = three_members(tmp_path)
    repo.commit("big", ("big.txt", "x" * 5000), ("with space.txt", "s\n"))
    head = repo.sha("HEAD")
    for rev, path in [
        (head, "packages/a/pyproject.toml"),  # a blob
        ("main", "pyproject.toml"),
        (head, "with space.txt"),
        (head, "packages"),  # a tree
        (head, "nothing.txt"),  # absent
        ("v1", "packages/a/src/a/x.py"),  # absent at that commit
    ]:
        assert git.read_file_once(repo.path, rev, path) == git.read_file_at(repo.path, rev, path)
    assert git.read_file_once(repo.path, head, "big.txt") == b"x" * 5000
    for rev, path in [("nope", "pyproject.toml"), (head, "big.txt")]:
        if path == "big.txt":
            monkeypatch.setattr(regular, "LOCK_LIMIT", 1000)
        with pytest.raises(UvmonoError) as once:
            git.read_file_once(repo.path, rev, path)
        with pytest.raises(UvmonoError) as at:
            git.read_file_at(repo.path, rev, path)
        assert (once.value.message, once.value.hint) == (at.value.message, at.value.hint)


def test_the_head_lock_parsed_once_reads_as_the_head_commits(tmp_path: Path) -> None:
    """With `--until`, a uv.lock the working tree holds byte for byte is parsed once."""
    import re
    import shutil

    repo = GitRepo.init(tmp_path / "repo")
    shutil.copytree(SAMPLE, repo.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv"))
    repo.commit("sample")
    repo.checkout("feature", new=True)
    lock = repo.path / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    bumped = re.sub(r'(name = "shellingham"\nversion = ")[^"]+"', r'\g<1>9.9.9"', text)
    assert bumped != text
    lock.write_text(bumped, encoding="utf-8")
    repo.commit("bump shellingham")

    def run(*args: str) -> dict[str, object]:
        proc = uvmono("affected", "--since", "main", "--format", "json", *args, cwd=repo.path)
        assert proc.returncode == 0, proc.stderr
        data: dict[str, object] = json.loads(proc.stdout)
        return {k: data[k] for k in ("affected", "reasons", "no_effect", "changed_files")}

    same_bytes = run("--until", "feature")
    assert same_bytes["affected"] == ["acme-cli"]
    assert "9.9.9" in json.dumps(same_bytes["reasons"])
    assert run() == same_bytes  # the working tree
    repo.checkout("main")
    assert run("--until", "feature") == same_bytes  # read from git, parsed on its own


# ------------------------------------------------------------------- git in a child process

CHILD_SCRIPT = """
import json, os, sys, threading
from pathlib import Path
from uvmono import early, forking
root = Path(sys.argv[1]).resolve()
ahead = early.start(root, "main", sys.argv[2] or None, "error")
out = {"child": ahead._child is not None, "threads": threading.active_count(),
       "can_fork": forking.can_fork()}
if sys.argv[3] == "take":
    try:
        taken = ahead.take(root, "main", sys.argv[2] or None, {}, "error")
        out["files"] = list(taken[0].files) if taken else None
    except Exception as exc:
        out["error"] = exc.message
else:
    pid = ahead._child._pid
    ahead.close()
    try:
        os.waitpid(pid, os.WNOHANG)
        out["reaped"] = False
    except ChildProcessError:
        out["reaped"] = True
print(json.dumps(out))
"""


def _in_a_fresh_process(repo: GitRepo, until: str, then: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT, str(repo.path), until, then],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("GIT")},
    )
    assert proc.stderr == ""
    result: dict[str, object] = json.loads(proc.stdout)
    return result


TWO_CPUS = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="git runs in a child process only with 2+ CPUs"
)


@TWO_CPUS
@pytest.mark.parametrize("until", ["", "feature"])
def test_in_one_thread_git_runs_in_a_child_and_the_reader_may_still_fork(
    tmp_path: Path, until: str
) -> None:
    repo = three_members(tmp_path)
    got = _in_a_fresh_process(repo, until, "take")
    # No thread was started, so the workspace reader (member_files) may fork its own helper.
    assert got["child"] is True and got["threads"] == 1 and got["can_fork"] is True
    expected = resolve_changes(repo.path, "main", until or None, environ=LOCAL)
    assert got["files"] == list(expected.files)


@TWO_CPUS
def test_a_child_that_is_not_taken_from_is_stopped_and_reaped(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    got = _in_a_fresh_process(repo, "", "close")
    assert got["child"] is True and got["reaped"] is True


@TWO_CPUS
def test_a_git_error_found_by_the_child_is_raised_when_taken(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    got = _in_a_fresh_process(repo, "nope", "take")
    with pytest.raises(UvmonoError) as expected:
        resolve_changes(repo.path, "main", "nope", environ=LOCAL)
    assert got["child"] is True and got["error"] == expected.value.message


def test_on_head_is_called_once_with_the_head_before_the_merge_base(tmp_path: Path) -> None:
    repo = three_members(tmp_path)
    calls: list[tuple[Path, str, str]] = []

    def on_head(root: Path, head: str, found: git.Repository) -> None:
        calls.append((root, head, found.working_dir))

    quick = quick_changes(repo.path, "main", "feature", environ=LOCAL, on_head=on_head)
    assert quick is not None
    assert calls == [(quick[0].repo_root, repo.sha("feature"), quick[1].working_dir)]
    calls.clear()
    assert quick_changes(repo.path, "main", None, environ=LOCAL, on_head=on_head) is not None
    assert calls == []  # no head commit: the working tree is the head, nothing to probe


def test_the_working_tree_probe_runs_beside_the_merge_base_and_answers_as_asked_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = three_members(tmp_path)
    asked_in_order: list[str] = []
    start_probe, merge_base_of = git.start_probe, vars(changes)["merge_base_of"]

    def starting(*args: Any, **kwargs: Any) -> git.StartedProbe:
        asked_in_order.append("probe")
        return start_probe(*args, **kwargs)

    def merging(*args: Any) -> Any:
        asked_in_order.append("merge-base")
        return merge_base_of(*args)

    monkeypatch.setattr(git, "start_probe", starting)
    monkeypatch.setattr(changes, "merge_base_of", merging)
    monkeypatch.setattr(forking, "can_fork", lambda: False)  # a thread here: calls are seen
    ahead = early.start(repo.path, "main", "feature", "error")
    assert ahead is not None
    asked = ahead.take(repo.path.resolve(), "main", "feature", {}, "error")
    assert asked is not None and asked[1] is not None
    assert asked_in_order == ["probe", "merge-base"]  # started, then the merge-base asked
    probe = asked[1]
    assert probe.rev == repo.sha("feature")
    assert probe.pathspecs == tuple(early.worktree_pathspecs(""))
    later = git.probe_worktree(probe.repo_root, probe.rev, probe.pathspecs)
    assert (probe.diff, probe.listed) == (later.diff, later.listed)


def test_the_childs_answer_is_pickled_as_pickle_pickles_it(tmp_path: Path) -> None:
    import pickle

    repo = three_members(tmp_path)
    quick = quick_changes(repo.path, "main", "feature", environ=LOCAL)
    assert quick is not None
    probe = git.probe_worktree(quick[0].repo_root, repo.sha("feature"), ["**/pyproject.toml"])
    answer = (quick[0], probe, UvmonoError("no merge-base", hint="fetch more history"))
    data = early._dumps(answer)
    assert data == pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)  # byte for byte
    changes, got_probe, error = early._loads(data)
    assert (changes, got_probe) == answer[:2]
    assert (error.message, error.hint) == ("no merge-base", "fetch more history")
