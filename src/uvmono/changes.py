"""The ChangeSet stage: which files changed between a base and a head, and which base.

`--since REF` means what `git diff REF...HEAD` means: the base is the merge-base of
REF and the head, so commits that landed on REF after the branch point don't count.
`--since auto` finds REF in the CI environment (GitHub Actions, GitLab CI) or
guesses the default branch locally. A push event is the exception: its `before` commit
is compared tree to tree with the head (`git diff before HEAD`, two-dot), so a push that
rolls the branch back, or a force push that replaces commits, affects whatever differs
in either direction; the merge-base would be the head itself, or drop the replaced commits.

The merge-base is always taken with the head that is diffed (`--until`, else HEAD).
On a GitHub `pull_request`, HEAD is the merge commit `refs/pull/N/merge`, whose first
parent is the base branch: merge-base(base.sha, HEAD) is base.sha and the diff is
exactly the pull request's changes as merged. `pull_request.head.sha` is deliberately
not used: its merge-base with base.sha is the older fork point, and diffing the merge
commit against that would count every change the base branch got since. GitLab's
merged results pipelines are the same case, with CI_MERGE_REQUEST_TARGET_BRANCH_SHA.

A shallow clone is deepened step by step from its remote until the merge-base
appears; uvmono never runs everything silently because history is missing.
Git itself is run by `git.py`; the CI provider's variables are read by `ci_env.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from uvmono import ci_env
from uvmono.ci_env import Candidate
from uvmono.errors import UvmonoError
from uvmono.git import (
    FULL_SHA,
    REMOTE_LACKS_REF,
    Repository,
    commit_sha,
    diff_files,
    fetch,
    fetch_spec,
    git_command,
    git_ok,
    is_shallow,
    merge_base_of,
    open_repo,
    remote_of,
    resolve_head,
    unknown_ref,
    work_tree,
)
from uvmono.lazy_re import lazy
from uvmono.records import record

if TYPE_CHECKING:
    from uvmono.git import Repository as Repo

_DEEPEN_FIRST = 32  # GitLab clones 20 commits deep by default; GitHub clones 1
_DEEPEN_ROUNDS = 8  # 32 + 64 + ... + 4096 commits, then --unshallow

_FULL_HISTORY_HINT = (
    "fetch full history: actions/checkout with fetch-depth: 0, or GIT_DEPTH: 0 on GitLab, "
    "or git fetch --unshallow; or pass --on-missing-base all to run everything"
)
_NO_COMMON_HISTORY_HINT = (
    "pass --since with a ref that shares history with the head, "
    "or --on-missing-base all to run everything"
)
_CHOOSE_BASE_HINT = "pass --since REF to choose the base yourself"


@record
class ChangeSet:
    """The files changed between a base commit and a head (a commit or the working tree)."""

    repo_root: Path  # the git top-level directory, absolute
    base: str  # full SHA compared against (the merge-base, or a push's before); "" when all
    head: str | None  # full SHA of the head commit; None: the working tree
    base_source: str  # how the base was chosen, for people: "GitHub push: before 1a2b…"
    # Paths relative to repo_root, POSIX, sorted, unique; a rename counts on both sides.
    files: tuple[str, ...]
    everything: bool = False  # no base could be found and --on-missing-base all was given


@record
class _Base:
    sha: str
    source: str


@record
class _Missing:
    message: str
    hint: str


def resolve_changes(
    path: Path,
    since: str,
    until: str | None,
    *,
    environ: Mapping[str, str],
    on_missing_base: Literal["error", "all"] = "error",
    may_fetch: bool = True,
) -> ChangeSet:
    """The files changed since the merge-base of `since` ("auto": from CI) and the head.
    Without `may_fetch`, a needed fetch raises `git.FetchDeferred` instead."""
    with open_repo(path) as repo:
        repo.may_fetch = may_fetch
        root = work_tree(repo)
        if root is None:
            raise UvmonoError(
                f"the git repository at {repo.git_dir} is bare: it has no working tree",
                hint="run uvmono inside a checkout of the repository",
            )
        head = resolve_head(repo, root, until)
        head_label = until or "HEAD"
        if since == "auto":
            candidates = _auto_candidates(repo, environ, head_label)
        else:
            candidates = [Candidate(since, f"merge-base of {since} and {head_label}", "--since")]
        compared_head = head if until is not None else None
        if candidates[0].everything:
            return ChangeSet(root, "", compared_head, candidates[0].source, (), everything=True)
        found = _find_base(repo, candidates, head, head_label)
        if isinstance(found, _Missing):
            if on_missing_base == "error":
                raise UvmonoError(found.message, hint=found.hint)
            return ChangeSet(
                repo_root=root,
                base="",
                head=compared_head,
                base_source=f"everything (--on-missing-base all): {found.message}",
                files=(),
                everything=True,
            )
        return ChangeSet(
            repo_root=root,
            base=found.sha,
            head=compared_head,
            base_source=found.source,
            files=diff_files(repo, found.sha, compared_head),
        )


# Revisions `quick_changes` hands to a plain `git rev-parse`: no ranges (`a..b`, `a^-`), no
# `@{...}`, nothing git would read as an option.
_PLAIN_REV = lazy(r"[A-Za-z0-9_][A-Za-z0-9_./~^-]*")


def quick_changes(
    path: Path,
    since: str,
    until: str | None,
    *,
    environ: Mapping[str, str],
    on_head: Callable[[Path, str, Repository], None] | None = None,
) -> tuple[ChangeSet, Repository] | None:
    """`resolve_changes` in the common case, with fewer git processes: one `git rev-parse`
    finds the repository, the head and the base commit at once, then the merge-base, then the
    diff. None in every other case (a base to choose locally or to fetch, no merge-base, a
    bare repository, an unknown ref, a revision that is not plain): `resolve_changes` then
    asks git step by step, and reports what it finds. `on_head(repo_root, head, repository)`
    is called once the head commit of `until` is known, before the merge-base is asked
    (`early.py` starts its working-tree probe there)."""
    head_rev = "HEAD" if until is None else until
    head_label = until or "HEAD"
    if since == "auto":
        try:
            candidates = ci_env.base_candidates(environ, head_label)
        except UvmonoError:
            return None
        if not candidates:
            return None
        candidate = candidates[0]
    else:
        candidate = Candidate(since, f"merge-base of {since} and {head_label}", "--since")
    revs = [head_rev] if candidate.everything else [head_rev, candidate.rev]
    if not all(_PLAIN_REV.fullmatch(r) and ".." not in r and "^-" not in r for r in revs):
        return None
    probe = ("--absolute-git-dir", "--is-bare-repository", "--show-toplevel")
    out = git_command(path, "rev-parse", *probe, *(f"{r}^{{commit}}" for r in revs), "--")
    lines = None if out is None else out.split("\n")
    if lines is None or len(lines) != 4 + len(revs) or lines[1] != "false" or lines[-1] != "--":
        return None
    shas = lines[3:-1]
    if not all(FULL_SHA.fullmatch(sha) for sha in shas):
        return None
    repo = Repository(lines[0], lines[2])
    root = Path(lines[2]).resolve()
    head = shas[0] if until is not None else None
    if on_head is not None and head is not None:
        on_head(root, head, repo)
    if candidate.everything:
        return ChangeSet(root, "", head, candidate.source, (), everything=True), repo
    if candidate.two_dot:
        base, source = shas[1], f"{candidate.source}, tree to tree with {head_label} (two-dot)"
    else:
        merge_base = merge_base_of(repo, shas[1], shas[0])
        if merge_base is None:
            return None
        base, source = merge_base, candidate.source
    return ChangeSet(root, base, head, source, diff_files(repo, base, head)), repo


def _find_base(
    repo: Repo, candidates: list[Candidate], head: str, head_label: str
) -> _Base | _Missing:
    """The merge-base with the first candidate that has one; later candidates are fallbacks."""
    failures: list[_Missing] = []
    for candidate in candidates:
        outcome = _merge_base_with(repo, candidate, head, head_label)
        if isinstance(outcome, _Base):
            return _Base(outcome.sha, "; ".join([*(f.message for f in failures), outcome.source]))
        failures.append(outcome)
    return _Missing("; then ".join(f.message for f in failures), failures[-1].hint)


def _merge_base_with(
    repo: Repo, candidate: Candidate, head: str, head_label: str
) -> _Base | _Missing:
    found = _candidate_commit(repo, candidate)
    if isinstance(found, _Missing):
        return found
    if candidate.two_dot:
        # A push that rolls back or replaces commits: whatever differs between the two trees,
        # in either direction, changed (the merge-base would hide a rollback entirely).
        return _Base(found.sha, f"{found.source}, tree to tree with {head_label} (two-dot)")
    base, notes = found.sha, [found.source]
    merge_base = merge_base_of(repo, base, head)
    if merge_base is None and is_shallow(repo):
        remote = remote_of(repo)
        if remote is None:
            return _Missing(
                f"{candidate.source}: no merge-base with {head_label} in this shallow clone, "
                "which has no remote to fetch more history from",
                _FULL_HISTORY_HINT,
            )
        merge_base, deepened = _deepen_until_merge_base(repo, remote, base, head)
        notes.append(deepened)
        if merge_base is None:
            hint = _FULL_HISTORY_HINT if is_shallow(repo) else _NO_COMMON_HISTORY_HINT
            return _Missing(f"{candidate.source}: no merge-base: {deepened}", hint)
    if merge_base is None:
        return _Missing(
            f"{candidate.source}: {candidate.rev} and {head_label} have no common history",
            _NO_COMMON_HISTORY_HINT,
        )
    return _Base(merge_base, "; ".join(notes))


def _candidate_commit(repo: Repo, candidate: Candidate) -> _Base | _Missing:
    """The commit a candidate names, fetched first when it is a SHA or remote branch not here."""
    sha = commit_sha(repo, candidate.rev)
    if sha is not None:
        return _Base(sha, candidate.source)
    remote = remote_of(repo)
    spec = None if remote is None else fetch_spec(candidate.rev, remote)
    fetch_error = None
    if remote is not None and spec is not None:
        depth = (f"--depth={_DEEPEN_FIRST}",) if is_shallow(repo) else ()
        fetch_error = fetch(repo, remote, spec, *depth)
        sha = commit_sha(repo, candidate.rev)
        if sha is not None:
            return _Base(sha, f"{candidate.source}; fetched {candidate.rev} from {remote}")
    # A typo is the user's to fix; a full SHA that is not here (history a shallow clone, a
    # force push or a failed fetch left out) is a missing base, which --on-missing-base all
    # turns into "everything".
    shallow = is_shallow(repo)
    fetch_failed = fetch_error is not None and REMOTE_LACKS_REF not in fetch_error
    history_missing = FULL_SHA.fullmatch(candidate.rev) is not None
    if candidate.option is not None and not (fetch_failed or history_missing):
        error = unknown_ref(candidate.rev, candidate.option)
        if shallow:  # `HEAD~3` names nothing in a clone one commit deep
            error.hint = f"this is a shallow clone, which may lack it: {_FULL_HISTORY_HINT}"
        raise error
    short = candidate.rev[:12] if FULL_SHA.fullmatch(candidate.rev) else candidate.rev
    where = "this shallow clone" if shallow else "the repository"
    reason = f"{candidate.source}: {short} is not in {where}"
    if fetch_error is not None:
        reason += f" and fetching it from {remote} failed ({fetch_error})"
    elif remote is None:
        reason += " and there is no remote to fetch it from"
    return _Missing(reason, _FULL_HISTORY_HINT)


def _deepen_until_merge_base(
    repo: Repo, remote: str, base: str, head: str
) -> tuple[str | None, str]:
    """Deepen the shallow clone, doubling the step, until base and head meet; say what it did.

    `--deepen` extends every shallow boundary the remote can reach, so fetching the base
    also deepens the head's history, even when the head is a pull request's merge commit.
    """
    step, deepened = _DEEPEN_FIRST, 0
    for _ in range(_DEEPEN_ROUNDS):
        error = fetch(repo, remote, base, f"--deepen={step}")
        if error is not None:
            return None, f"deepening the shallow clone from {remote} failed ({error})"
        deepened += step
        merge_base = merge_base_of(repo, base, head)
        if merge_base is not None:
            return merge_base, f"deepened the shallow clone by {deepened} commits from {remote}"
        if not is_shallow(repo):
            return None, f"fetched the full history from {remote} and found none"
        step *= 2
    error = fetch(repo, remote, base, "--unshallow")
    if error is not None:
        return None, f"deepened by {deepened} commits, then git fetch --unshallow failed ({error})"
    merge_base = merge_base_of(repo, base, head)
    if merge_base is None:
        return None, f"fetched the full history from {remote} and found none"
    return merge_base, f"fetched the full history from {remote} (git fetch --unshallow)"


def _auto_candidates(repo: Repo, environ: Mapping[str, str], head_label: str) -> list[Candidate]:
    found = ci_env.base_candidates(environ, head_label)
    return found if found is not None else [_local_candidate(repo, head_label)]


def _local_candidate(repo: Repo, head_label: str) -> Candidate:
    """Outside CI: the default branch, as origin/HEAD names it, else the usual names."""
    origin_head = git_ok(repo, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if origin_head and commit_sha(repo, origin_head.strip()):
        target = origin_head.strip()
        return Candidate(target, f"merge-base of {target} (origin/HEAD) and {head_label}")
    for ref in ("origin/main", "origin/master", "main", "master"):
        if commit_sha(repo, ref):
            return Candidate(ref, f"merge-base of {ref} and {head_label}")
    raise UvmonoError(
        "--since auto found no default branch to compare against: "
        "no origin/HEAD, origin/main, origin/master, main or master",
        hint="pass --since REF",
    )
