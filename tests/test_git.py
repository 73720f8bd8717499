"""Which files a change touches: real git repositories, real CI payloads, real shallow clones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

import uvmono.changes
from tests.gitutil import ZERO_SHA, GitRepo
from uvmono.changes import resolve_changes
from uvmono.errors import UvmonoError
from uvmono.git import all_ignored, changed_files, find_repo_root, read_file_at

LOCAL: dict[str, str] = {}  # no CI variables: --since auto guesses the default branch
MISSING_SHA = "0123456789abcdef0123456789abcdef01234567"
PULL_MERGE = "refs/pull/1/merge"


@dataclass(frozen=True)
class Forked:
    """main and feature share `fork`; then each moved on, and feature is checked out."""

    repo: GitRepo
    fork: str
    main: str
    feature: str


def forked(path: Path) -> Forked:
    repo = GitRepo.init(path)
    fork = repo.commit("start", ("README.md", "start\n"), ("shared.txt", "1\n"))
    repo.checkout("feature", new=True)
    feature = repo.commit("feature work", ("feature.txt", "feature\n"))
    repo.checkout("main")
    main = repo.commit("main moves on", ("main-only.txt", "main\n"), ("shared.txt", "2\n"))
    repo.checkout("feature")
    return Forked(repo, fork, main, feature)


def cloned(tmp_path: Path, *args: str) -> tuple[Forked, GitRepo]:
    """A clone of a forked origin whose HEAD is main, with feature checked out."""
    origin = forked(tmp_path / "origin")
    origin.repo.checkout("main")
    clone = GitRepo.clone(origin.repo, tmp_path / "clone", *args)
    clone.checkout("feature")
    return origin, clone


def github_env(tmp_path: Path, event: str, payload: object) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(path)}


# --- merge-base semantics, working tree, --until ---------------------------------------


def test_since_a_branch_means_its_merge_base_so_later_commits_on_it_do_not_count(
    tmp_path: Path,
) -> None:
    setup = forked(tmp_path / "repo")

    changes = resolve_changes(setup.repo.path, "main", None, environ=LOCAL)

    assert changes.files == ("feature.txt",)
    assert changes.base == setup.fork
    assert changes.head is None
    assert changes.repo_root == setup.repo.path.resolve()
    assert changes.base_source == "merge-base of main and HEAD"
    assert changes.everything is False


def test_working_tree_counts_staged_unstaged_and_untracked_but_not_ignored_files(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.commit(
        "start",
        (".gitignore", "*.log\nbuild/\n"),
        ("unstaged.txt", "1\n"),
        ("staged.txt", "1\n"),
        ("deleted.txt", "1\n"),
        ("untouched.txt", "1\n"),
    )
    base = repo.sha()
    repo.commit("committed", ("committed.txt", "1\n"))
    repo.write("unstaged.txt", "2\n")
    repo.write("staged.txt", "2\n")
    repo.write("new-staged.txt", "2\n")
    repo.add("staged.txt", "new-staged.txt")
    repo.remove("deleted.txt")
    repo.write("untracked/deep/file.txt", "2\n")
    repo.write("debug.log", "ignored\n")
    repo.write("build/out.txt", "ignored\n")
    repo.write("untouched.txt", "1\n")  # rewritten with the same content

    changes = resolve_changes(repo.path, base, None, environ=LOCAL)

    assert changes.files == (
        "committed.txt",
        "deleted.txt",
        "new-staged.txt",
        "staged.txt",
        "unstaged.txt",
        "untracked/deep/file.txt",
    )
    assert changes.head is None


def test_until_compares_commits_only_and_ignores_the_working_tree(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.write("feature.txt", "dirty\n")
    setup.repo.write("untracked.txt", "dirty\n")

    changes = resolve_changes(setup.repo.path, "main", "feature", environ=LOCAL)

    assert changes.files == ("feature.txt",)
    assert changes.head == setup.feature
    assert changes.base == setup.fork
    assert changes.base_source == "merge-base of main and feature"


def test_until_may_name_a_branch_that_is_not_checked_out(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.checkout("main")

    changes = resolve_changes(setup.repo.path, "feature", "main", environ=LOCAL)

    assert changes.files == ("main-only.txt", "shared.txt")
    assert changes.head == setup.main


def test_detached_head_works(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.checkout("feature", detach=True)
    setup.repo.commit("detached work", ("detached.txt", "1\n"))

    changes = resolve_changes(setup.repo.path, "main", None, environ=LOCAL)

    assert changes.files == ("detached.txt", "feature.txt")
    assert changes.base == setup.fork


def test_a_subdirectory_finds_the_top_level_and_paths_stay_relative_to_it(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("python/pyproject.toml", "[project]\n"))
    repo.commit("change", ("python/packages/a/x.py", "1\n"), ("docs/index.md", "1\n"))
    workspace = repo.path / "python"

    changes = resolve_changes(workspace, base, None, environ=LOCAL)

    assert find_repo_root(workspace) == repo.path.resolve()
    assert changes.repo_root == repo.path.resolve()
    assert changes.files == ("docs/index.md", "python/packages/a/x.py")


# --- renames, deletions, awkward names -------------------------------------------------


def test_a_committed_rename_counts_on_both_sides(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("packages/old/mod.py", "content that git sees as renamed\n"))
    repo.run("mv", "packages/old", "packages/new")
    head = repo.commit("rename")

    assert changed_files(repo.path, base, head) == ("packages/new/mod.py", "packages/old/mod.py")


def test_a_staged_rename_in_the_working_tree_counts_on_both_sides(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("a/mod.py", "content that git sees as renamed\n"))
    repo.run("mv", "a/mod.py", "a/moved.py")

    assert changed_files(repo.path, base, None) == ("a/mod.py", "a/moved.py")


def test_a_committed_deletion_counts(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("gone.txt", "1\n"), ("kept.txt", "1\n"))
    repo.remove("gone.txt")
    head = repo.commit("delete")

    changes = resolve_changes(repo.path, base, head, environ=LOCAL)

    assert changes.files == ("gone.txt",)


AWKWARD_NAMES = ("with space.txt", "ünïcødé/naïve.txt", "new\nline.txt", "-dash.txt", 'quo"te.txt')


def test_awkward_file_names_survive_committed_and_untracked(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("README.md", "1\n"))
    repo.commit("awkward", *((name, "1\n") for name in AWKWARD_NAMES))
    repo.write("untracked dir/tab\there.txt", "1\n")
    repo.write("-untracked-dash.txt", "1\n")

    changes = resolve_changes(repo.path, base, None, environ=LOCAL)
    committed = resolve_changes(repo.path, base, "HEAD", environ=LOCAL)

    assert committed.files == tuple(sorted(AWKWARD_NAMES))
    assert changes.files == tuple(
        sorted([*AWKWARD_NAMES, "untracked dir/tab\there.txt", "-untracked-dash.txt"])
    )


def test_ten_thousand_changed_files_come_back_from_one_diff(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit("start", ("README.md", "1\n"))
    empty = repo.run("hash-object", "-w", "--stdin", input="")
    paths = [f"packages/p{number % 100}/f{number}.py" for number in range(10_000)]
    # Staged straight into the index: writing 10,000 files would make the test slow.
    repo.run("update-index", "--index-info", input="".join(f"100644 {empty}\t{p}\n" for p in paths))
    repo.run("commit", "--quiet", "-m", "many")
    head = repo.sha()

    files = changed_files(repo.path, base, head)

    assert len(files) == 10_000
    assert files == tuple(sorted(files))
    assert "packages/p42/f9942.py" in files


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("nope", None, "unknown git ref 'nope' (--since)"),
        ("-rf", None, "unknown git ref '-rf' (--since)"),
        ("origin/nope", None, "unknown git ref 'origin/nope' (--since)"),
        ("main", "nope", "unknown git ref 'nope' (--until)"),
    ],
)
def test_unknown_refs_are_named_with_their_option(
    tmp_path: Path, since: str, until: str | None, message: str
) -> None:
    setup = forked(tmp_path / "repo")

    with pytest.raises(UvmonoError) as error:
        resolve_changes(setup.repo.path, since, until, environ=LOCAL)

    assert error.value.message == message
    assert error.value.hint is not None
    assert "git fetch origin BRANCH" in error.value.hint


def test_outside_a_git_repository_is_an_error_and_has_no_root(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()

    with pytest.raises(UvmonoError) as error:
        resolve_changes(plain, "main", None, environ=LOCAL)

    assert find_repo_root(plain) is None
    assert error.value.message == f"{plain} is not inside a git repository"
    assert error.value.hint is not None
    assert "--root" in error.value.hint


def test_a_repository_without_commits_is_a_clear_error(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("file.txt", "1\n")

    with pytest.raises(UvmonoError) as error:
        resolve_changes(repo.path, "main", None, environ=LOCAL)

    assert "has no commits yet" in error.value.message
    assert str(repo.path.resolve()) in error.value.message


def test_unrelated_histories_are_an_error_not_everything(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.commit("start", ("a.txt", "1\n"))
    repo.run("checkout", "--quiet", "--orphan", "other")
    repo.commit("unrelated", ("b.txt", "1\n"))

    with pytest.raises(UvmonoError) as error:
        resolve_changes(repo.path, "main", None, environ=LOCAL)

    assert "main and HEAD have no common history" in error.value.message


# --- reading files at a revision -------------------------------------------------------


def test_read_file_at_a_commit_and_in_the_working_tree(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    base = repo.commit(
        "start",
        ("uv.lock", "version = 1\n"),
        ("dir/new\nline.txt", "odd\n"),
        ("ü dir/with space.txt", "ü\n"),
    )
    repo.write("uv.lock", "version = 2\n")

    assert read_file_at(repo.path, base, "uv.lock") == b"version = 1\n"
    assert read_file_at(repo.path, None, "uv.lock") == b"version = 2\n"
    assert read_file_at(repo.path, base, "dir/new\nline.txt") == b"odd\n"
    assert read_file_at(repo.path, base, "ü dir/with space.txt") == "ü\n".encode()
    assert read_file_at(repo.path, base, "absent.txt") is None
    assert read_file_at(repo.path, base, "dir") is None
    assert read_file_at(repo.path, None, "absent.txt") is None
    assert read_file_at(repo.path, None, "dir") is None
    with pytest.raises(UvmonoError, match="unknown git ref 'nope'"):
        read_file_at(repo.path, "nope", "uv.lock")


def test_read_file_at_sees_commits_made_after_earlier_reads(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    first = repo.commit("one", ("f.txt", "1\n"))
    assert read_file_at(repo.path, first, "f.txt") == b"1\n"
    second = repo.commit("two", ("f.txt", "2\n"))

    assert read_file_at(repo.path, second, "f.txt") == b"2\n"
    assert read_file_at(repo.path, first, "f.txt") == b"1\n"


# --- ignore rules (a workspace directory holding only ignored files is skipped) -------


def test_all_ignored_follows_the_ignore_patterns(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write(".gitignore", "__pycache__/\n*.pyc\n")
    repo.commit("ignore rules")
    ignored = [
        repo.write("packages/stale/__pycache__/a.cpython-311.pyc"),
        repo.write("packages/stale/b.pyc"),
        repo.write("packages/stale/with space.pyc"),
        repo.write("packages/stale/sub/__pycache__/c.txt"),
    ]
    repo.run("add", "--force", "packages/stale/b.pyc")  # tracked: the pattern still matches
    readme = repo.write("packages/stale/README.md", "not ignored\n")

    assert all_ignored(repo.path / "packages", ignored) is True
    assert all_ignored(repo.path / "packages", [*ignored, readme]) is False
    assert all_ignored(repo.path, [tmp_path / "elsewhere.pyc"]) is False


def test_all_ignored_outside_a_git_repository_is_false(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    compiled = tmp_path / "a.pyc"
    compiled.write_bytes(b"")

    assert all_ignored(tmp_path, [compiled]) is False


# --- GitHub Actions --------------------------------------------------------------------


def test_github_pull_request_diffs_the_merge_commit_against_the_base_sha(tmp_path: Path) -> None:
    # actions/checkout checks out refs/pull/N/merge: main's tip merged with the PR head.
    setup = forked(tmp_path / "repo")
    setup.repo.checkout(setup.main, detach=True)
    setup.repo.run("merge", "--no-ff", "--quiet", "-m", "Merge pull request #1", "feature")
    payload = {
        "number": 1,
        "pull_request": {
            "base": {"ref": "main", "sha": setup.main},
            "head": {"ref": "feature", "sha": setup.feature},
        },
        "repository": {"default_branch": "main"},
    }

    changes = resolve_changes(
        setup.repo.path, "auto", None, environ=github_env(tmp_path, "pull_request", payload)
    )

    # Not main-only.txt / shared.txt: main's own changes since the fork are not the PR's.
    assert changes.files == ("feature.txt",)
    assert changes.base == setup.main
    assert changes.base_source == f"GitHub pull_request: base sha {setup.main}"


def test_github_pull_request_with_the_head_checked_out_uses_the_fork_point(
    tmp_path: Path,
) -> None:
    setup = forked(tmp_path / "repo")
    payload = {"pull_request": {"base": {"sha": setup.main}, "head": {"sha": setup.feature}}}

    changes = resolve_changes(
        setup.repo.path, "auto", None, environ=github_env(tmp_path, "pull_request_target", payload)
    )

    assert changes.files == ("feature.txt",)
    assert changes.base == setup.fork


def test_github_pull_request_in_a_depth_1_checkout_of_the_merge_ref(tmp_path: Path) -> None:
    # What actions/checkout does by default: fetch refs/pull/1/merge one commit deep.
    origin = forked(tmp_path / "origin")
    origin.repo.checkout(origin.main, detach=True)
    origin.repo.commits(3, "main-later")
    base = origin.repo.sha()
    origin.repo.run("merge", "--no-ff", "--quiet", "-m", "Merge pull request #1", "feature")
    origin.repo.run("update-ref", PULL_MERGE, "HEAD")
    origin.repo.checkout("main")
    runner = GitRepo.init(tmp_path / "runner")
    runner.run("remote", "add", "origin", origin.repo.url)
    runner.run(
        "fetch", "--quiet", "--depth=1", "origin", f"+{PULL_MERGE}:refs/remotes/{PULL_MERGE}"
    )
    runner.checkout(f"refs/remotes/{PULL_MERGE}", detach=True)
    payload = {"pull_request": {"base": {"sha": base}, "head": {"sha": origin.feature}}}

    changes = resolve_changes(
        runner.path, "auto", None, environ=github_env(tmp_path, "pull_request", payload)
    )

    assert changes.files == ("feature.txt",)
    assert changes.base == base
    assert changes.base_source == (
        f"GitHub pull_request: base sha {base}; fetched {base} from origin; "
        "deepened the shallow clone by 32 commits from origin"
    )


def test_github_push_compares_with_before(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.commits(2, "pushed")
    payload = {
        "before": setup.feature,
        "after": setup.repo.sha(),
        "repository": {"default_branch": "main"},
    }

    changes = resolve_changes(
        setup.repo.path, "auto", None, environ=github_env(tmp_path, "push", payload)
    )

    assert changes.files == ("pushed0.txt", "pushed1.txt")
    assert changes.base == setup.feature
    assert changes.base_source == (
        f"GitHub push: before {setup.feature}, tree to tree with HEAD (two-dot)"
    )


def test_github_push_creating_a_branch_uses_the_default_branch(tmp_path: Path) -> None:
    origin, clone = cloned(tmp_path)
    payload = {"before": ZERO_SHA, "created": True, "repository": {"default_branch": "main"}}

    changes = resolve_changes(
        clone.path, "auto", None, environ=github_env(tmp_path, "push", payload)
    )

    assert changes.files == ("feature.txt",)
    assert changes.base == origin.fork
    assert changes.base_source == (
        "GitHub push created the branch (before is all zeros): merge-base of origin/main and HEAD"
    )


def test_github_force_push_with_an_unreachable_before_falls_back_and_says_so(
    tmp_path: Path,
) -> None:
    origin, clone = cloned(tmp_path)
    payload = {"before": MISSING_SHA, "forced": True, "repository": {"default_branch": "main"}}

    changes = resolve_changes(
        clone.path, "auto", None, environ=github_env(tmp_path, "push", payload)
    )

    assert changes.files == ("feature.txt",)
    assert changes.base == origin.fork
    assert changes.base_source.startswith(
        f"GitHub push: before {MISSING_SHA}: {MISSING_SHA[:12]} is not in the repository "
        "and fetching it from origin failed ("
    )
    assert changes.base_source.endswith("; GitHub push: merge-base of origin/main and HEAD instead")


def test_github_merge_group_uses_its_base_sha(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.checkout(setup.main, detach=True)
    setup.repo.commit("queued pr", ("queued.txt", "1\n"))
    payload = {"merge_group": {"base_sha": setup.main, "head_sha": setup.repo.sha()}}

    changes = resolve_changes(
        setup.repo.path, "auto", None, environ=github_env(tmp_path, "merge_group", payload)
    )

    assert changes.files == ("queued.txt",)
    assert changes.base == setup.main
    assert changes.base_source == f"GitHub merge_group: base sha {setup.main}"


@pytest.mark.parametrize("inputs", [{}, {"everything": "true"}, {"everything": True}])
def test_github_workflow_dispatch_plans_everything_by_default(
    tmp_path: Path, inputs: dict[str, object]
) -> None:
    _origin, clone = cloned(tmp_path)
    payload = {"inputs": inputs, "repository": {"default_branch": "main"}}

    changes = resolve_changes(
        clone.path, "auto", None, environ=github_env(tmp_path, "workflow_dispatch", payload)
    )

    assert changes.everything
    assert changes.base == ""
    assert changes.base_source == "everything (GitHub workflow_dispatch)"


@pytest.mark.parametrize("value", ["false", False])
def test_github_workflow_dispatch_without_everything_uses_the_default_branch(
    tmp_path: Path, value: object
) -> None:
    origin, clone = cloned(tmp_path)
    payload = {"inputs": {"everything": value}, "repository": {"default_branch": "main"}}

    changes = resolve_changes(
        clone.path, "auto", None, environ=github_env(tmp_path, "workflow_dispatch", payload)
    )

    assert changes.files == ("feature.txt",)
    assert changes.base == origin.fork
    assert changes.base_source == "GitHub workflow_dispatch: merge-base of origin/main and HEAD"


@pytest.mark.parametrize(
    ("event", "payload_text", "message"),
    [
        ("pull_request", "{not json", "is not valid JSON"),
        ("pull_request", "[1, 2]", "is not a JSON object"),
        ("pull_request", '{"pull_request": {"base": {}}}', "has no pull_request.base.sha"),
        ("push", '{"before": "main"}', "has before = 'main', which is not a commit SHA"),
        ("push", '{"before": "' + ZERO_SHA + '"}', "has no repository.default_branch"),
        ("schedule", '{"schedule": "0 0 * * *"}', "has no repository.default_branch"),
        ("merge_group", '{"merge_group": null}', "has no merge_group.base_sha"),
    ],
)
def test_github_malformed_payload_names_the_file_and_the_key(
    tmp_path: Path, event: str, payload_text: str, message: str
) -> None:
    setup = forked(tmp_path / "repo")
    path = tmp_path / "event.json"
    path.write_text(payload_text, encoding="utf-8")
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(path)}

    with pytest.raises(UvmonoError) as error:
        resolve_changes(setup.repo.path, "auto", None, environ=environ)

    assert message in error.value.message
    assert f"{path} (GITHUB_EVENT_PATH)" in error.value.message
    assert error.value.hint == "pass --since REF to choose the base yourself"


def test_github_missing_or_unreadable_event_path_is_an_error(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    base_env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"}
    absent = str(tmp_path / "absent.json")

    with pytest.raises(UvmonoError) as unset:
        resolve_changes(setup.repo.path, "auto", None, environ=base_env)
    with pytest.raises(UvmonoError) as unreadable:
        resolve_changes(
            setup.repo.path, "auto", None, environ={**base_env, "GITHUB_EVENT_PATH": absent}
        )

    assert unset.value.message.startswith("GITHUB_EVENT_PATH is not set")
    assert unreadable.value.message.startswith(
        f"cannot read the GitHub event payload {absent} (GITHUB_EVENT_PATH)"
    )


# --- GitLab CI -------------------------------------------------------------------------


def test_gitlab_merge_request_uses_the_diff_base_sha(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    environ = {
        "GITLAB_CI": "true",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": setup.fork,
        "CI_COMMIT_BEFORE_SHA": ZERO_SHA,  # always zeros in merge request pipelines
        "CI_DEFAULT_BRANCH": "main",
    }

    changes = resolve_changes(setup.repo.path, "auto", None, environ=environ)

    assert changes.files == ("feature.txt",)
    assert changes.base == setup.fork
    assert changes.base_source == f"GitLab CI_MERGE_REQUEST_DIFF_BASE_SHA {setup.fork}"


def test_gitlab_merged_results_pipeline_uses_the_target_branch_sha(tmp_path: Path) -> None:
    # HEAD is the merge of the MR into the target branch's tip, as in a GitHub pull_request.
    setup = forked(tmp_path / "repo")
    setup.repo.checkout(setup.main, detach=True)
    setup.repo.run("merge", "--no-ff", "--quiet", "-m", "merged results", "feature")
    environ = {
        "GITLAB_CI": "true",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": setup.fork,
        "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": setup.main,
    }

    changes = resolve_changes(setup.repo.path, "auto", None, environ=environ)

    assert changes.files == ("feature.txt",)
    assert changes.base == setup.main
    assert changes.base_source == f"GitLab CI_MERGE_REQUEST_TARGET_BRANCH_SHA {setup.main}"


def test_gitlab_branch_pipeline_uses_the_before_sha(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")
    setup.repo.commits(2, "pushed")
    environ = {
        "GITLAB_CI": "true",
        "CI_COMMIT_BEFORE_SHA": setup.feature,
        "CI_DEFAULT_BRANCH": "main",
    }

    changes = resolve_changes(setup.repo.path, "auto", None, environ=environ)

    assert changes.files == ("pushed0.txt", "pushed1.txt")
    assert changes.base_source == (
        f"GitLab CI_COMMIT_BEFORE_SHA {setup.feature}, tree to tree with HEAD (two-dot)"
    )


def test_gitlab_zero_before_sha_falls_back_to_the_default_branch(tmp_path: Path) -> None:
    origin, clone = cloned(tmp_path)
    environ = {"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": ZERO_SHA, "CI_DEFAULT_BRANCH": "main"}

    changes = resolve_changes(clone.path, "auto", None, environ=environ)

    assert changes.files == ("feature.txt",)
    assert changes.base == origin.fork
    assert changes.base_source == (
        "GitLab: merge-base of origin/main (CI_DEFAULT_BRANCH) and HEAD "
        "(CI_COMMIT_BEFORE_SHA is all zeros or unset)"
    )


def test_gitlab_bad_variables_are_named(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")

    with pytest.raises(UvmonoError, match="CI_MERGE_REQUEST_DIFF_BASE_SHA = 'main'"):
        resolve_changes(
            setup.repo.path,
            "auto",
            None,
            environ={"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "main"},
        )
    with pytest.raises(UvmonoError, match="CI_DEFAULT_BRANCH is not set"):
        resolve_changes(
            setup.repo.path,
            "auto",
            None,
            environ={"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": ZERO_SHA},
        )


# --- local --since auto ----------------------------------------------------------------


def test_local_auto_follows_origin_head(tmp_path: Path) -> None:
    origin = GitRepo.init(tmp_path / "origin", branch="trunk")
    fork = origin.commit("start", ("README.md", "1\n"))
    clone = GitRepo.clone(origin, tmp_path / "clone")
    clone.checkout("topic", new=True)
    clone.commit("topic work", ("topic.txt", "1\n"))

    changes = resolve_changes(clone.path, "auto", None, environ=LOCAL)

    assert changes.files == ("topic.txt",)
    assert changes.base == fork
    assert changes.base_source == "merge-base of origin/trunk (origin/HEAD) and HEAD"


def test_local_auto_without_a_remote_uses_main(tmp_path: Path) -> None:
    setup = forked(tmp_path / "repo")

    changes = resolve_changes(setup.repo.path, "auto", None, environ=LOCAL)

    assert changes.files == ("feature.txt",)
    assert changes.base_source == "merge-base of main and HEAD"


def test_local_auto_without_a_default_branch_asks_for_since(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo", branch="dev")
    repo.commit("start", ("README.md", "1\n"))

    with pytest.raises(UvmonoError) as error:
        resolve_changes(repo.path, "auto", None, environ=LOCAL)

    assert "found no default branch" in error.value.message
    assert error.value.hint == "pass --since REF"


# --- shallow clones --------------------------------------------------------------------


def long_fork(path: Path) -> tuple[GitRepo, str]:
    """An origin whose feature and main each moved 40 commits past their fork point."""
    origin = GitRepo.init(path)
    fork = origin.commit("start", ("README.md", "1\n"))
    origin.checkout("feature", new=True)
    origin.commits(40, "feature")
    origin.checkout("main")
    origin.commits(40, "main")
    return origin, fork


def test_a_depth_1_clone_is_deepened_step_by_step_until_the_merge_base_appears(
    tmp_path: Path,
) -> None:
    origin, fork = long_fork(tmp_path / "origin")
    clone = GitRepo.clone(origin, tmp_path / "clone", "--depth", "1", "--branch", "feature")
    assert clone.run("rev-parse", "--is-shallow-repository") == "true"

    changes = resolve_changes(clone.path, "origin/main", None, environ=LOCAL)

    assert changes.base == fork
    assert changes.files == tuple(sorted(f"feature{n}.txt" for n in range(40)))
    # 32 from main's tip (fetched 32 deep) and 1 from the head: then +32, then +64.
    assert changes.base_source == (
        "merge-base of origin/main and HEAD; fetched origin/main from origin; "
        "deepened the shallow clone by 96 commits from origin"
    )


def test_deepening_ends_with_unshallow_when_the_steps_are_not_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uvmono.changes, "_DEEPEN_ROUNDS", 1)  # one step of 32: too few for 40
    origin, fork = long_fork(tmp_path / "origin")
    clone = GitRepo.clone(origin, tmp_path / "clone", "--depth", "1", "--branch", "feature")

    changes = resolve_changes(clone.path, "origin/main", None, environ=LOCAL)

    assert changes.base == fork
    assert len(changes.files) == 40
    assert changes.base_source.endswith(
        "fetched the full history from origin (git fetch --unshallow)"
    )
    assert clone.run("rev-parse", "--is-shallow-repository") == "false"


def test_an_unreachable_remote_is_a_missing_base_that_quotes_git(tmp_path: Path) -> None:
    origin = forked(tmp_path / "origin")
    clone = GitRepo.clone(origin.repo, tmp_path / "clone", "--depth", "1", "--branch", "feature")
    clone.run("remote", "set-url", "origin", str(tmp_path / "gone"))

    with pytest.raises(UvmonoError) as error:
        resolve_changes(clone.path, "origin/main", None, environ=LOCAL)
    everything = resolve_changes(
        clone.path, "origin/main", None, environ=LOCAL, on_missing_base="all"
    )

    assert error.value.message.startswith(
        "merge-base of origin/main and HEAD: origin/main is not in this shallow clone and "
        "fetching it from origin failed (fatal: "
    )
    assert "does not appear to be a git repository" in error.value.message
    assert error.value.hint is not None
    assert "fetch-depth: 0" in error.value.hint
    assert everything.everything is True
    assert error.value.message in everything.base_source


def test_a_gitlab_depth_20_clone_fetches_the_merge_request_base(tmp_path: Path) -> None:
    origin = GitRepo.init(tmp_path / "origin")
    fork = origin.commit("start", ("README.md", "1\n"))
    origin.checkout("feature", new=True)
    origin.commits(25, "mr")
    origin.checkout("main")
    origin.commits(5, "main")
    clone = GitRepo.clone(origin, tmp_path / "clone", "--depth", "20", "--branch", "feature")
    environ = {"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": fork}

    changes = resolve_changes(clone.path, "auto", None, environ=environ)

    assert changes.base == fork
    assert changes.files == tuple(sorted(f"mr{n}.txt" for n in range(25)))
    assert "deepened the shallow clone by 32 commits from origin" in changes.base_source


def shallow_without_remote(tmp_path: Path) -> tuple[Forked, GitRepo]:
    origin = forked(tmp_path / "origin")
    clone = GitRepo.clone(origin.repo, tmp_path / "clone", "--depth", "1", "--no-single-branch")
    clone.run("remote", "remove", "origin")
    clone.run("update-ref", "refs/remotes/origin/main", origin.main)  # kept, as if fetched
    return origin, clone


@pytest.mark.parametrize("which", ["ref present, history missing", "base commit missing"])
def test_a_shallow_clone_without_a_remote_is_an_error_with_the_fix(
    tmp_path: Path, which: str
) -> None:
    origin, clone = shallow_without_remote(tmp_path)
    since = "origin/main" if which == "ref present, history missing" else origin.fork

    with pytest.raises(UvmonoError) as error:
        resolve_changes(clone.path, since, None, environ=LOCAL)

    assert "shallow clone" in error.value.message
    assert "no remote" in error.value.message
    assert since[:12] in error.value.message
    assert error.value.hint is not None
    for fix in ("fetch-depth: 0", "GIT_DEPTH: 0", "git fetch --unshallow", "--on-missing-base all"):
        assert fix in error.value.hint


def test_a_shallow_clone_without_a_remote_runs_everything_only_when_asked(tmp_path: Path) -> None:
    _, clone = shallow_without_remote(tmp_path)

    changes = resolve_changes(clone.path, "origin/main", None, environ=LOCAL, on_missing_base="all")

    assert changes.everything is True
    assert changes.files == ()
    assert changes.base == ""
    assert changes.repo_root == clone.path.resolve()
    assert changes.base_source.startswith("everything (--on-missing-base all): ")
    assert "shallow clone" in changes.base_source
