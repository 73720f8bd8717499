"""The one place that runs git: diffs, blobs and trees at a commit, ignore checks, fetches.

The commands of the `affected` hot path (rev-parse, merge-base, diff, ls-files) run as plain
subprocesses through `Repository`: importing GitPython and opening a repository with it costs
more than all of them together. GitPython reads blobs (one persistent `cat-file --batch`) and
finds the repository for `init`; it is imported inside those functions, so `uvmono --help` starts
fast. A single blob (`affected`'s base uv.lock) is read by `read_file_once` with a plain
`cat-file` instead. Which commits to compare is `changes.py`'s business (`early.py` asks it
ahead, in a thread).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy
from uvmono.records import record

if TYPE_CHECKING:
    import subprocess

    from git import Git

FULL_SHA = lazy(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_DIFF_NAMES = ("--name-only", "--no-renames", "--no-color", "--no-ext-diff", "-z")
_FETCH = ("fetch", "--no-tags", "--no-recurse-submodules", "--quiet")
REMOTE_LACKS_REF = "couldn't find remote ref"  # git fetch's words (GitPython sets LC_ALL=C)
_NO_PROMPT = {"GIT_TERMINAL_PROMPT": "0"}  # a fetch in CI must fail, not wait for a password
@record
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
            top = repo.working_tree_dir
            return None if top is None else Path(top).resolve()
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def head_commit(path: Path) -> str | None:
    """The full SHA of HEAD in the repository containing `path`; None outside a repository
    or before its first commit."""
    try:
        with open_repo(path) as repo:
            return commit_sha(repo, "HEAD")
    except UvmonoError:
        return None


def changed_files(repo_root: Path, base: str, head: str | None) -> tuple[str, ...]:
    """Paths changed from `base` to `head` (None: the working tree, untracked files included)."""
    with open_repo(repo_root) as repo:
        return diff_files(repo, base, head)


def read_file_at(repo_root: Path, rev: str | None, path: str) -> bytes | None:
    """The contents of `path` at `rev` (None: the working tree), or None if it is absent there.

    Like a file on disk, a blob is read only up to `regular.LOCK_LIMIT` bytes.
    """
    from uvmono.regular import LOCK_LIMIT, read_regular

    if rev is None:
        file = repo_root / path
        if file.is_dir():  # as in a commit: a tree, not a file
            return None
        return read_regular(file, what=path, limit=LOCK_LIMIT, hint="make it a regular file")
    if any(char in rev + path for char in "\r\n"):
        return _read_blob_once(repo_root, rev, path)
    cat_file = _cat_file(repo_root.resolve())
    try:
        _, _, size = cat_file.get_object_header(f"{rev}:{path}")
        if int(size) > LOCK_LIMIT:
            raise _too_large(path, rev)
        _, kind, _, data = cat_file.get_object_data(f"{rev}:{path}")
    except ValueError:  # `cat-file --batch` answers "missing" for an unknown rev or path
        _require_commit_for_read(repo_root, rev)
        return None
    # GitPython annotates the type as str but hands back bytes; fsdecode takes either.
    return data if os.fsdecode(kind) == "blob" else None


def read_file_once(repo_root: Path, rev: str, path: str) -> bytes | None:
    """`read_file_at` for a single file at a commit: one `git cat-file --batch` process of its
    own, without importing GitPython (which costs more than the read) for a persistent one."""
    from uvmono.regular import LOCK_LIMIT

    if any(char in rev + path for char in "\r\n"):
        return read_file_at(repo_root, rev, path)
    root = repo_root.resolve()
    import subprocess  # here, not at the top: a plain `affected` starts none in this process

    try:
        proc = subprocess.Popen(
            ("git", "cat-file", "--batch"),
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_ENV_C},
        )
    except OSError:
        return read_file_at(repo_root, rev, path)
    assert proc.stdin is not None and proc.stdout is not None
    try:

        def ask(name: str) -> tuple[str, int] | None:
            """(type, size) of `name`, its contents next on stdout; None when git has none."""
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(os.fsencode(name) + b"\n")
            proc.stdin.flush()
            tokens = proc.stdout.readline().split()
            if len(tokens) != 3 or not tokens[2].isdigit():  # "missing", "ambiguous"
                return None
            return os.fsdecode(tokens[1]), int(tokens[2])

        found = ask(f"{rev}:{path}")
        if found is None:
            if ask(f"{rev}^{{commit}}") is None:
                raise _unknown_commit(repo_root, rev)
            return None
        kind, size = found
        if size > LOCK_LIMIT:
            raise _too_large(path, rev)
        data = proc.stdout.read(size + 1)[:size]
        return data if kind == "blob" else None
    finally:
        proc.kill()
        proc.communicate()


def tree_files(repo_root: Path, rev: str, prefix: str) -> list[str]:
    """Every file path (relative to the repository) under `prefix` in the tree of `rev`."""
    with open_repo(repo_root) as repo:
        args = ["-r", "-z", "--name-only", "--full-tree", rev]
        if prefix:
            args += ["--", prefix.rstrip("/")]
        return _split_z(_git(repo, "ls-tree", *args))


def tree_symlinks(repo_root: Path, rev: str, prefix: str) -> dict[str, str]:
    """Every symlink (path relative to the repository -> its target) under `prefix` in `rev`."""
    with open_repo(repo_root) as repo:
        args = ["-r", "-z", "--full-tree", rev]
        if prefix:
            args += ["--", prefix.rstrip("/")]
        links: dict[str, str] = {}
        for entry in _split_z(_git(repo, "ls-tree", *args)):
            meta, _, path = entry.partition("\t")
            if meta.startswith("120000 "):
                target = read_file_at(repo_root, rev, path)
                if target is not None:
                    links[path] = os.fsdecode(target)
        return links


@record
class WorktreeProbe:
    """What `worktree_matches` asks git, asked ahead (`early.py`): whether the working tree's
    files matching `pathspecs` differ from `rev`'s, and which of them are tracked."""

    repo_root: Path
    rev: str
    pathspecs: tuple[str, ...]
    working_dir: str
    diff: _Output
    listed: _Output


def probe_worktree(
    repo_root: Path, rev: str, pathspecs: Sequence[str], repo: Repository | None = None
) -> WorktreeProbe:
    """`repo`: the repository at `repo_root`, when it is open already."""
    return start_probe(repo_root, rev, pathspecs, repo).result()


class StartedProbe:
    """`probe_worktree`'s git processes, started: they run while the caller asks git more
    (`early.py`: beside the merge-base and the diff); `result` waits for them."""

    def __init__(self, repo_root: Path, rev: str, pathspecs: Sequence[str], working_dir: str):
        self.repo_root, self.rev, self.pathspecs = repo_root, rev, tuple(pathspecs)
        self._working_dir = working_dir
        # Two independent questions: both git processes run at once.
        self._argvs = [
            ("git", "diff", "--quiet", rev, "--", *pathspecs),
            ("git", "ls-files", "-z", "--", *pathspecs),
        ]
        self._procs = _start_all(working_dir, self._argvs)

    def asks(self, repo_root: Path, rev: str) -> bool:
        return (self.repo_root, self.rev) == (repo_root, rev)

    def result(self) -> WorktreeProbe:
        diff, listed = _finish_all(self._working_dir, self._argvs, self._procs)
        return WorktreeProbe(
            self.repo_root, self.rev, self.pathspecs, self._working_dir, diff, listed
        )


def start_probe(
    repo_root: Path, rev: str, pathspecs: Sequence[str], repo: Repository | None = None
) -> StartedProbe:
    """`probe_worktree`, started; `repo`: the repository at `repo_root`, when it is open."""
    return StartedProbe(repo_root, rev, pathspecs, (repo or open_repo(repo_root)).working_dir)


def worktree_matches(
    repo_root: Path,
    rev: str,
    pathspecs: Sequence[str],
    needed: Iterable[str],
    probe: WorktreeProbe | None = None,
) -> bool:
    """Whether the working tree's files matching `pathspecs` equal `rev`'s, and every path in
    `needed` is tracked (asking git for untracked files would walk the whole tree). `probe`:
    git's answers, when asked ahead for these arguments."""
    if probe is None or (probe.repo_root, probe.rev, probe.pathspecs) != (
        repo_root,
        rev,
        tuple(pathspecs),
    ):
        probe = probe_worktree(repo_root, rev, pathspecs)
    if probe.diff.status != 0:
        return False
    if probe.listed.status != 0:
        raise UvmonoError(
            f"git ls-files -z -- {' '.join(pathspecs)} failed in {probe.working_dir}: "
            f"{probe.listed.error}",
            hint="run that git command yourself to see what is wrong with the repository",
        )
    return set(_split_z(probe.listed.stdout)).issuperset(needed)


def all_ignored(root: Path, paths: Iterable[Path]) -> bool:
    """Whether git's ignore rules match every one of `paths`; False outside a git repository.

    Like uv's check for a workspace directory without a pyproject.toml, this matches the
    patterns (.gitignore, .git/info/exclude, core.excludesFile) and not what is tracked.
    """
    try:
        repo = open_repo(root)
    except UvmonoError:
        return False
    with repo:
        top = work_tree(repo)
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


class Repository:
    """A git repository, found as git finds it (GIT_DIR, worktrees, bare repositories)."""

    def __init__(self, git_dir: str, working_tree_dir: str | None) -> None:
        self.git_dir = git_dir
        self.working_tree_dir = working_tree_dir
        self.may_fetch = True  # False: `fetch` raises FetchDeferred (`early.py`)

    @property
    def working_dir(self) -> str:
        return self.working_tree_dir or self.git_dir

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def open_repo(path: Path) -> Repository:
    """The repository containing `path` (one `git rev-parse`)."""
    probe = ("rev-parse", "--absolute-git-dir", "--is-bare-repository")
    out = _execute(str(path), ("git", *probe, "--show-toplevel"))
    if out.status != 0:  # a bare repository has no top level
        out = _execute(str(path), ("git", *probe))
    lines = out.stdout.split("\n")
    if out.status != 0 or len(lines) < 2:
        if "not a git repository" in out.stderr or not Path(path).is_dir():
            raise UvmonoError(
                f"{path} is not inside a git repository",
                hint="run uvmono inside a git repository, or pass --root with a workspace in one",
            )
        raise UvmonoError(
            f"git cannot open the repository at {path}: {out.error}",
            hint="run git status there to see what is wrong with the repository",
        )
    bare = lines[1] == "true"
    top = None if bare or len(lines) < 3 else lines[2]
    return Repository(lines[0], top)


def work_tree(repo: Repository) -> Path | None:
    return None if repo.working_tree_dir is None else Path(repo.working_tree_dir).resolve()


# GitPython's environment for the git it runs: messages uvmono matches are in English.
_ENV_C = {"LANGUAGE": "C", "LC_ALL": "C"}


def _execute(
    cwd: str,
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> _Output:
    import subprocess

    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env={**os.environ, **_ENV_C, **(env or {})},
            check=False,
        )
    except FileNotFoundError as exc:
        if not Path(cwd).is_dir():
            return _Output(128, "", f"fatal: cannot change to '{cwd}': No such file or directory")
        raise UvmonoError(
            "cannot run git: it is not installed or not on PATH", hint="install git"
        ) from exc
    # As GitPython hands them back: one trailing newline stripped, undecodable bytes kept.
    stdout, stderr = proc.stdout, proc.stderr
    stdout = stdout[:-1] if stdout.endswith(b"\n") else stdout
    stderr = stderr[:-1] if stderr.endswith(b"\n") else stderr
    return _Output(proc.returncode, os.fsdecode(stdout), os.fsdecode(stderr))


def _execute_all(cwd: str, argvs: Sequence[Sequence[str]]) -> list[_Output]:
    """`_execute` of each of `argvs` (no stdin), all started before any is waited for."""
    return _finish_all(cwd, argvs, _start_all(cwd, argvs))


def _start_all(
    cwd: str, argvs: Sequence[Sequence[str]]
) -> list[subprocess.Popen[bytes]] | None:
    """`argvs` started (`_finish_all` waits for them); None when git cannot be started."""
    import subprocess

    env = {**os.environ, **_ENV_C}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for argv in argvs:
            procs.append(
                subprocess.Popen(
                    argv,
                    cwd=cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                )
            )
    except FileNotFoundError:
        for proc in procs:
            proc.kill()
            proc.communicate()
        return None
    return procs


def _finish_all(
    cwd: str, argvs: Sequence[Sequence[str]], procs: list[subprocess.Popen[bytes]] | None
) -> list[_Output]:
    if procs is None:
        return [_execute(cwd, argv) for argv in argvs]  # the error `_execute` reports
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate()
        stdout = stdout[:-1] if stdout.endswith(b"\n") else stdout
        stderr = stderr[:-1] if stderr.endswith(b"\n") else stderr
        outputs.append(_Output(proc.returncode, os.fsdecode(stdout), os.fsdecode(stderr)))
    return outputs


def _run(
    repo: Repository,
    command: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> _Output:
    return _execute(repo.working_dir, ("git", command, *args), env=env, stdin=stdin)


def _git(repo: Repository, command: str, *args: str) -> str:
    """stdout of a git command that is expected to succeed."""
    output = _run(repo, command, *args)
    if output.status != 0:
        raise UvmonoError(
            f"git {' '.join((command, *args))} failed in {repo.working_dir}: {output.error}",
            hint="run that git command yourself to see what is wrong with the repository",
        )
    return output.stdout


def git_ok(repo: Repository, command: str, *args: str) -> str | None:
    """stdout of a git command that may fail; None when it did."""
    output = _run(repo, command, *args)
    return output.stdout if output.status == 0 else None


def git_command(path: Path, command: str, *args: str) -> str | None:
    """stdout of a git command run in `path` (no repository opened first); None when it
    failed."""
    output = _execute(str(path), ("git", command, *args))
    return output.stdout if output.status == 0 else None


def _split_z(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def diff_files(repo: Repository, base: str, head: str | None) -> tuple[str, ...]:
    # --no-renames lists a rename as a deletion plus an addition: both sides count.
    # Without a head, `git diff BASE` compares the working tree, staged and unstaged alike,
    # and `ls-files --others` (run at the same time) lists the untracked files.
    revs = (base,) if head is None else (base, head)
    commands = [("diff", *_DIFF_NAMES, *revs, "--")]
    if head is None:
        commands.append(("ls-files", "-z", "--others", "--exclude-standard"))
    outputs = _execute_all(repo.working_dir, [("git", *argv) for argv in commands])
    for argv, output in zip(commands, outputs, strict=True):  # the diff's error first
        if output.status != 0:
            raise UvmonoError(
                f"git {' '.join(argv)} failed in {repo.working_dir}: {output.error}",
                hint="run that git command yourself to see what is wrong with the repository",
            )
    names = set(_split_z(outputs[0].stdout))
    if head is None:
        # A nested repository is listed as "dir/".
        names.update(name.rstrip("/") for name in _split_z(outputs[1].stdout))
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


def _too_large(path: str, rev: str) -> UvmonoError:
    from uvmono.regular import LOCK_LIMIT, MIB

    return UvmonoError(
        f"{path} at {rev} is larger than uvmono reads ({LOCK_LIMIT // MIB} MiB)",
        hint="make sure the commit holds the file it should",
    )


def _unknown_commit(repo_root: Path, rev: str) -> UvmonoError:
    return UvmonoError(
        f"unknown git ref '{rev}' in {repo_root}",
        hint="pass a commit, branch or tag that exists in the repository",
    )


def _require_commit_for_read(repo_root: Path, rev: str) -> None:
    try:
        _cat_file(repo_root.resolve()).get_object_header(f"{rev}^{{commit}}")
    except ValueError as exc:
        raise _unknown_commit(repo_root, rev) from exc


def commit_sha(repo: Repository, rev: str) -> str | None:
    """The full SHA of the commit `rev` names, or None when it names none here."""
    if not rev or rev.startswith("-"):  # not a ref, and git would read it as an option
        return None
    sha = git_ok(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return sha.strip() if sha else None


def unknown_ref(rev: str, option: str) -> UvmonoError:
    return UvmonoError(
        f"unknown git ref '{rev}' ({option})",
        hint="check the name with git branch -a; fetch a branch or commit that only the remote "
        "has first (git fetch origin BRANCH)",
    )


def resolve_head(repo: Repository, root: Path, until: str | None) -> str:
    if until is not None:
        sha = commit_sha(repo, until)
        if sha is None:
            raise unknown_ref(until, "--until")
        return sha
    sha = commit_sha(repo, "HEAD")
    if sha is None:
        raise UvmonoError(
            f"the git repository {root} has no commits yet",
            hint="commit something first: uvmono compares commits",
        )
    return sha


def is_shallow(repo: Repository) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def remote_of(repo: Repository) -> str | None:
    """The remote to fetch missing history from: origin, else the only remote."""
    remotes = _git(repo, "remote").split()
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None


class FetchDeferred(Exception):
    """A fetch was needed in a repository that may not fetch yet (`Repository.may_fetch`)."""


def fetch(repo: Repository, remote: str, spec: str, *options: str) -> str | None:
    """Fetch `spec` from `remote`; None when it worked, else git's error."""
    if not repo.may_fetch:
        raise FetchDeferred(spec)
    output = _run(repo, *_FETCH, *options, remote, spec, env=_NO_PROMPT)
    return None if output.status == 0 else output.error


def fetch_spec(rev: str, remote: str) -> str | None:
    """What to ask `remote` for to get `rev`: a full SHA, or a remote-tracking branch."""
    if FULL_SHA.fullmatch(rev):
        return rev
    for prefix in (f"refs/remotes/{remote}/", f"{remote}/"):
        branch = rev.removeprefix(prefix)
        if branch != rev and branch:
            return f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    return None


def merge_base_of(repo: Repository, base: str, head: str) -> str | None:
    sha = git_ok(repo, "merge-base", base, head)
    return sha.strip() if sha else None
