"""The one place that talks to git: which files changed between a base and a head.

`--since REF` means what `git diff REF...HEAD` means: the base is the merge-base of
REF and the head, so commits that landed on REF after the branch point don't count.
`--since auto` finds REF in the CI environment (GitHub Actions, GitLab CI) or
guesses the default branch locally.

The merge-base is always taken with the head that is diffed (`--until`, else HEAD).
On a GitHub `pull_request`, HEAD is the merge commit `refs/pull/N/merge`, whose first
parent is the base branch: merge-base(base.sha, HEAD) is base.sha and the diff is
exactly the pull request's changes as merged. `pull_request.head.sha` is deliberately
not used: its merge-base with base.sha is the older fork point, and diffing the merge
commit against that would count every change the base branch got since. GitLab's
merged results pipelines are the same case, with CI_MERGE_REQUEST_TARGET_BRANCH_SHA.

A shallow clone is deepened step by step from its remote until the merge-base
appears; uvmono never runs everything silently because history is missing.
GitPython (and what only one path needs) is imported inside functions: `uvmono --help`
must start fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from uvmono.ci_env import Candidate as _Candidate
from uvmono.errors import UvmonoError

if TYPE_CHECKING:
    from git import Git, Repo

_FULL_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_DEEPEN_FIRST = 32  # GitLab clones 20 commits deep by default; GitHub clones 1
_DEEPEN_ROUNDS = 8  # 32 + 64 + ... + 4096 commits, then --unshallow
_DIFF_NAMES = ("--name-only", "--no-renames", "--no-color", "--no-ext-diff", "-z")
_FETCH = ("fetch", "--no-tags", "--no-recurse-submodules", "--quiet")
_REMOTE_LACKS_REF = "couldn't find remote ref"  # git fetch's words (GitPython sets LC_ALL=C)
_NO_PROMPT = {"GIT_TERMINAL_PROMPT": "0"}  # a fetch in CI must fail, not wait for a password
_FULL_HISTORY_HINT = (
    "fetch full history: actions/checkout with fetch-depth: 0, or GIT_DEPTH: 0 on GitLab, "
    "or git fetch --unshallow; or pass --on-missing-base all to run everything"
)
_NO_COMMON_HISTORY_HINT = (
    "pass --since with a ref that shares history with the head, "
    "or --on-missing-base all to run everything"
)
_CHOOSE_BASE_HINT = "pass --since REF to choose the base yourself"


@dataclass(frozen=True)
class ChangeSet:
    """The files changed between a base commit and a head (a commit or the working tree)."""

    repo_root: Path  # the git top-level directory, absolute
    base: str  # full SHA of the merge-base compared against; "" when `everything`
    head: str | None  # full SHA of the head commit; None: the working tree
    base_source: str  # how the base was chosen, for people: "GitHub push: before 1a2b…"
    # Paths relative to repo_root, POSIX, sorted, unique; a rename counts on both sides.
    files: tuple[str, ...]
    everything: bool = False  # no base could be found and --on-missing-base all was given


@dataclass(frozen=True)
class _Base:
    sha: str
    source: str


@dataclass(frozen=True)
class _Missing:
    message: str
    hint: str


@dataclass(frozen=True)
class _Output:
    status: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """git's first fatal or error line: what follows it is advice."""
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
        return (errors or lines or [f"exit status {self.status}"])[0]


def find_repo_root(path: Path) -> Path | None:
    """The top-level directory of the git repository containing `path`, or None."""
    import git

    try:
        with git.Repo(path, search_parent_directories=True) as repo:
            return _work_tree(repo)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def changed_files(repo_root: Path, base: str, head: str | None) -> tuple[str, ...]:
    """Paths changed from `base` to `head` (None: the working tree, untracked files included)."""
    with _open_repo(repo_root) as repo:
        return _changed_files(repo, base, head)


def read_file_at(repo_root: Path, rev: str | None, path: str) -> bytes | None:
    """The contents of `path` at `rev` (None: the working tree), or None if it is absent there."""
    if rev is None:
        file = repo_root / path
        return file.read_bytes() if file.is_file() else None
    if any(char in rev + path for char in "\r\n"):
        return _read_blob_once(repo_root, rev, path)
    cat_file = _cat_file(repo_root.resolve())
    try:
        _, kind, _, data = cat_file.get_object_data(f"{rev}:{path}")
    except ValueError:  # `cat-file --batch` answers "missing" for an unknown rev or path
        _require_commit_for_read(repo_root, rev)
        return None
    # GitPython annotates the type as str but hands back bytes; fsdecode takes either.
    return data if os.fsdecode(kind) == "blob" else None


def tree_files(repo_root: Path, rev: str, prefix: str) -> list[str]:
    """Every file path (relative to the repository) under `prefix` in the tree of `rev`."""
    with _open_repo(repo_root) as repo:
        args = ["-r", "-z", "--name-only", "--full-tree", rev]
        if prefix:
            args += ["--", prefix.rstrip("/")]
        return _split_z(_git(repo, "ls-tree", *args))


def worktree_matches(
    repo_root: Path, rev: str, pathspecs: Sequence[str], needed: Iterable[str]
) -> bool:
    """Whether the working tree's files matching `pathspecs` equal `rev`'s, and every path in
    `needed` is tracked (asking git for untracked files would walk the whole tree)."""
    with _open_repo(repo_root) as repo:
        if _git_ok(repo, "diff", "--quiet", rev, "--", *pathspecs) is None:
            return False
        tracked = set(_split_z(_git(repo, "ls-files", "-z", "--", *pathspecs)))
        return tracked.issuperset(needed)


def all_ignored(root: Path, paths: Iterable[Path]) -> bool:
    """Whether git's ignore rules match every one of `paths`; False outside a git repository.

    Like uv's check for a workspace directory without a pyproject.toml, this matches the
    patterns (.gitignore, .git/info/exclude, core.excludesFile) and not what is tracked.
    """
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    with repo:
        top = _work_tree(repo)
        if top is None:
            return False
        try:
            names = sorted({path.resolve().relative_to(top).as_posix() for path in paths})
        except ValueError:  # outside the work tree, so no ignore rule of it applies
            return False
        stdin = b"".join(os.fsencode(name) + b"\0" for name in names)
        output = _run(repo, "check-ignore", "-z", "--stdin", "--no-index", stdin=stdin)
        if output.status not in (0, 1):  # 1: none of them is ignored
            raise UvmonoError(
                f"git check-ignore failed in {top}: {output.error}",
                hint="run git check-ignore yourself to see what is wrong with the repository",
            )
        return set(_split_z(output.stdout)).issuperset(names)


def resolve_changes(
    path: Path,
    since: str,
    until: str | None,
    *,
    environ: Mapping[str, str],
    on_missing_base: Literal["error", "all"] = "error",
) -> ChangeSet:
    """The files changed since the merge-base of `since` ("auto": from CI) and the head."""
    with _open_repo(path) as repo:
        root = _work_tree(repo)
        if root is None:
            raise UvmonoError(
                f"the git repository at {repo.git_dir} is bare: it has no working tree",
                hint="run uvmono inside a checkout of the repository",
            )
        head = _resolve_head(repo, root, until)
        head_label = until or "HEAD"
        if since == "auto":
            candidates = _auto_candidates(repo, environ, head_label)
        else:
            candidates = [_Candidate(since, f"merge-base of {since} and {head_label}", "--since")]
        found = _find_base(repo, candidates, head, head_label)
        compared_head = head if until is not None else None
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
            files=_changed_files(repo, found.sha, compared_head),
        )


def _open_repo(path: Path) -> Repo:
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UvmonoError(
            f"{path} is not inside a git repository",
            hint="run uvmono inside a git repository, or pass --root with a workspace in one",
        ) from exc


def _work_tree(repo: Repo) -> Path | None:
    return None if repo.working_tree_dir is None else Path(repo.working_tree_dir).resolve()


def _run(
    repo: Repo,
    command: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> _Output:
    import tempfile

    import git

    run = partial(
        getattr(repo.git, command.replace("-", "_")),
        *args,
        with_extended_output=True,
        with_exceptions=False,
        env=env,
    )
    try:
        if stdin is None:
            status, stdout, stderr = run()
        else:
            # GitPython hands `istream` to git as its stdin, so it must be a real file.
            with tempfile.TemporaryFile() as istream:
                istream.write(stdin)
                istream.seek(0)
                status, stdout, stderr = run(istream=istream)
    except git.GitCommandNotFound as exc:
        raise UvmonoError(
            "cannot run git: it is not installed or not on PATH", hint="install git"
        ) from exc
    return _Output(int(status), str(stdout), str(stderr))


def _git(repo: Repo, command: str, *args: str) -> str:
    """stdout of a git command that is expected to succeed."""
    output = _run(repo, command, *args)
    if output.status != 0:
        raise UvmonoError(
            f"git {' '.join((command, *args))} failed in {repo.working_dir}: {output.error}",
            hint="run that git command yourself to see what is wrong with the repository",
        )
    return output.stdout


def _git_ok(repo: Repo, command: str, *args: str) -> str | None:
    """stdout of a git command that may fail; None when it did."""
    output = _run(repo, command, *args)
    return output.stdout if output.status == 0 else None


def _split_z(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def _changed_files(repo: Repo, base: str, head: str | None) -> tuple[str, ...]:
    # --no-renames lists a rename as a deletion plus an addition: both sides count.
    # Without a head, `git diff BASE` compares the working tree, staged and unstaged alike.
    revs = (base,) if head is None else (base, head)
    diff = _git(repo, "diff", *_DIFF_NAMES, *revs, "--")
    names = set(_split_z(diff))
    if head is None:
        untracked = _git(repo, "ls-files", "-z", "--others", "--exclude-standard")
        # A nested repository is listed as "dir/".
        names.update(name.rstrip("/") for name in _split_z(untracked))
    return tuple(sorted(names))


@lru_cache(maxsize=4)
def _cat_file(repo_root: Path) -> Git:
    """A git wrapper whose persistent `cat-file --batch` reads blobs without a process each."""
    import git

    return git.Git(repo_root)


def _read_blob_once(repo_root: Path, rev: str, path: str) -> bytes | None:
    """`cat-file --batch` reads one name per line, so names with line breaks take a process each."""
    _require_commit_for_read(repo_root, rev)
    status, data, _ = _cat_file(repo_root.resolve()).cat_file(
        "blob",
        f"{rev}:{path}",
        with_extended_output=True,
        with_exceptions=False,
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    return bytes(data) if status == 0 else None


def _require_commit_for_read(repo_root: Path, rev: str) -> None:
    try:
        _cat_file(repo_root.resolve()).get_object_header(f"{rev}^{{commit}}")
    except ValueError as exc:
        raise UvmonoError(
            f"unknown git ref '{rev}' in {repo_root}",
            hint="pass a commit, branch or tag that exists in the repository",
        ) from exc


def _commit_sha(repo: Repo, rev: str) -> str | None:
    """The full SHA of the commit `rev` names, or None when it names none here."""
    if not rev or rev.startswith("-"):  # not a ref, and git would read it as an option
        return None
    sha = _git_ok(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return sha.strip() if sha else None


def _unknown_ref(rev: str, option: str) -> UvmonoError:
    return UvmonoError(
        f"unknown git ref '{rev}' ({option})",
        hint="check the name with git branch -a; fetch a branch or commit that only the remote "
        "has first (git fetch origin BRANCH)",
    )


def _resolve_head(repo: Repo, root: Path, until: str | None) -> str:
    if until is not None:
        sha = _commit_sha(repo, until)
        if sha is None:
            raise _unknown_ref(until, "--until")
        return sha
    sha = _commit_sha(repo, "HEAD")
    if sha is None:
        raise UvmonoError(
            f"the git repository {root} has no commits yet",
            hint="commit something first: uvmono compares commits",
        )
    return sha


def _is_shallow(repo: Repo) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def _remote(repo: Repo) -> str | None:
    """The remote to fetch missing history from: origin, else the only remote."""
    remotes = _git(repo, "remote").split()
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None


def _fetch(repo: Repo, remote: str, spec: str, *options: str) -> str | None:
    """Fetch `spec` from `remote`; None when it worked, else git's error."""
    output = _run(repo, *_FETCH, *options, remote, spec, env=_NO_PROMPT)
    return None if output.status == 0 else output.error


def _fetch_spec(rev: str, remote: str) -> str | None:
    """What to ask `remote` for to get `rev`: a full SHA, or a remote-tracking branch."""
    if _FULL_SHA.fullmatch(rev):
        return rev
    for prefix in (f"refs/remotes/{remote}/", f"{remote}/"):
        branch = rev.removeprefix(prefix)
        if branch != rev and branch:
            return f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    return None


def _merge_base(repo: Repo, base: str, head: str) -> str | None:
    sha = _git_ok(repo, "merge-base", base, head)
    return sha.strip() if sha else None


def _find_base(
    repo: Repo, candidates: list[_Candidate], head: str, head_label: str
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
    repo: Repo, candidate: _Candidate, head: str, head_label: str
) -> _Base | _Missing:
    found = _candidate_commit(repo, candidate)
    if isinstance(found, _Missing):
        return found
    base, notes = found.sha, [found.source]
    merge_base = _merge_base(repo, base, head)
    if merge_base is None and _is_shallow(repo):
        remote = _remote(repo)
        if remote is None:
            return _Missing(
                f"{candidate.source}: no merge-base with {head_label} in this shallow clone, "
                "which has no remote to fetch more history from",
                _FULL_HISTORY_HINT,
            )
        merge_base, deepened = _deepen_until_merge_base(repo, remote, base, head)
        notes.append(deepened)
        if merge_base is None:
            hint = _FULL_HISTORY_HINT if _is_shallow(repo) else _NO_COMMON_HISTORY_HINT
            return _Missing(f"{candidate.source}: no merge-base: {deepened}", hint)
    if merge_base is None:
        return _Missing(
            f"{candidate.source}: {candidate.rev} and {head_label} have no common history",
            _NO_COMMON_HISTORY_HINT,
        )
    return _Base(merge_base, "; ".join(notes))


def _candidate_commit(repo: Repo, candidate: _Candidate) -> _Base | _Missing:
    """The commit a candidate names, fetched first when it is a SHA or remote branch not here."""
    sha = _commit_sha(repo, candidate.rev)
    if sha is not None:
        return _Base(sha, candidate.source)
    remote = _remote(repo)
    spec = None if remote is None else _fetch_spec(candidate.rev, remote)
    fetch_error = None
    if remote is not None and spec is not None:
        depth = (f"--depth={_DEEPEN_FIRST}",) if _is_shallow(repo) else ()
        fetch_error = _fetch(repo, remote, spec, *depth)
        sha = _commit_sha(repo, candidate.rev)
        if sha is not None:
            return _Base(sha, f"{candidate.source}; fetched {candidate.rev} from {remote}")
    # A typo is the user's to fix; history that a shallow clone or a failed fetch left out
    # is a missing base.
    shallow = _is_shallow(repo)
    fetch_failed = fetch_error is not None and _REMOTE_LACKS_REF not in fetch_error
    history_missing = shallow and _FULL_SHA.fullmatch(candidate.rev) is not None
    if candidate.option is not None and not (fetch_failed or history_missing):
        error = _unknown_ref(candidate.rev, candidate.option)
        if shallow:  # `HEAD~3` names nothing in a clone one commit deep
            error.hint = f"this is a shallow clone, which may lack it: {_FULL_HISTORY_HINT}"
        raise error
    short = candidate.rev[:12] if _FULL_SHA.fullmatch(candidate.rev) else candidate.rev
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
        error = _fetch(repo, remote, base, f"--deepen={step}")
        if error is not None:
            return None, f"deepening the shallow clone from {remote} failed ({error})"
        deepened += step
        merge_base = _merge_base(repo, base, head)
        if merge_base is not None:
            return merge_base, f"deepened the shallow clone by {deepened} commits from {remote}"
        if not _is_shallow(repo):
            return None, f"fetched the full history from {remote} and found none"
        step *= 2
    error = _fetch(repo, remote, base, "--unshallow")
    if error is not None:
        return None, f"deepened by {deepened} commits, then git fetch --unshallow failed ({error})"
    merge_base = _merge_base(repo, base, head)
    if merge_base is None:
        return None, f"fetched the full history from {remote} and found none"
    return merge_base, f"fetched the full history from {remote} (git fetch --unshallow)"


def _auto_candidates(repo: Repo, environ: Mapping[str, str], head_label: str) -> list[_Candidate]:
    from uvmono import ci_env

    found = ci_env.base_candidates(environ, head_label)
    return found if found is not None else [_local_candidate(repo, head_label)]


def _local_candidate(repo: Repo, head_label: str) -> _Candidate:
    """Outside CI: the default branch, as origin/HEAD names it, else the usual names."""
    origin_head = _git_ok(repo, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if origin_head and _commit_sha(repo, origin_head.strip()):
        target = origin_head.strip()
        return _Candidate(target, f"merge-base of {target} (origin/HEAD) and {head_label}")
    for ref in ("origin/main", "origin/master", "main", "master"):
        if _commit_sha(repo, ref):
            return _Candidate(ref, f"merge-base of {ref} and {head_label}")
    raise UvmonoError(
        "--since auto found no default branch to compare against: "
        "no origin/HEAD, origin/main, origin/master, main or master",
        hint="pass --since REF",
    )
