"""The CI environment, read once at the edge: the provider's variables and event payload.

`cli.py` reads `os.environ` here (`read`), and nothing else in uvmono does: the stages take
the mapping it returns. `--since auto` asks `base_candidates` which commits the CI provider
names as the base (GitHub Actions: the event payload at GITHUB_EVENT_PATH; GitLab CI: the
`CI_*` variables); outside CI, `git.py` guesses the default branch itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy
from uvmono.records import field, record

_FULL_SHA = lazy(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_CHOOSE_BASE_HINT = "pass --since REF to choose the base yourself"
# What uvmono reads: the providers' variables, GitHub's step files.
_PREFIXES = ("GITHUB_", "GITLAB_", "CI_")



@record
class CiEnvironment:
    """Where the run happens: the repository around the workspace, and the CI variables."""

    workspace_dir: str = "."  # the workspace root, relative to the repository's top
    variables: Mapping[str, str] = field(default_factory=dict)  # GITHUB_*, GITLAB_*, CI_*


def read(root: Path, environ: Mapping[str, str] | None = None) -> CiEnvironment:
    """The environment of a run in the workspace at `root`; `environ` defaults to the
    process's, copied once: nothing else in uvmono reads `os.environ`."""
    source = os.environ if environ is None else environ
    variables = {k: v for k, v in source.items() if k.startswith(_PREFIXES)}
    return CiEnvironment(workspace_dir(root), variables)


def workspace_dir(root: Path) -> str:
    """`root` relative to the top of its git repository; "." outside any repository.

    Found by looking for `.git` (a directory, or a file in worktrees and submodules) rather
    than through git: `uvmono check` runs in pre-commit hooks and loads no git library.
    """
    root = root.resolve()
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return root.relative_to(directory).as_posix()
    return "."


@record
class Candidate:
    """A commit to take the merge-base with, and how uvmono chose it."""

    rev: str
    source: str
    option: str | None = None  # the option the user typed it in; None when uvmono chose it
    two_dot: bool = False  # compare its tree with the head's directly, not at the merge-base
    everything: bool = False  # no base: the run asked for every member (`source` says why)


def base_candidates(environ: Mapping[str, str], head_label: str) -> list[Candidate] | None:
    """The bases the CI run names, best first; None outside CI."""
    if environ.get("GITHUB_ACTIONS") == "true" and environ.get("GITLAB_CI") == "true":
        raise UvmonoError(
            "GITHUB_ACTIONS and GITLAB_CI are both true: cannot tell which CI started the run",
            hint=f"unset the one that is wrong, or {_CHOOSE_BASE_HINT}",
        )
    if environ.get("GITHUB_ACTIONS") == "true":
        return _github_candidates(environ, head_label)
    if environ.get("GITLAB_CI") == "true":
        return _gitlab_candidates(environ, head_label)
    return None


def _github_candidates(environ: Mapping[str, str], head_label: str) -> list[Candidate]:
    event = environ.get("GITHUB_EVENT_NAME")
    if not event:
        raise UvmonoError(
            "GITHUB_ACTIONS is true but GITHUB_EVENT_NAME is not set: "
            "cannot tell which event started the run",
            hint=_CHOOSE_BASE_HINT,
        )
    payload = _GitHubPayload.load(environ, event)
    if event in ("pull_request", "pull_request_target"):
        sha = payload.sha("pull_request.base.sha")
        return [Candidate(sha, f"GitHub {event}: base sha {sha}")]
    if event == "merge_group":
        sha = payload.sha("merge_group.base_sha")
        return [Candidate(sha, f"GitHub merge_group: base sha {sha}")]
    if event == "workflow_dispatch" and payload.flag("inputs.everything") is not False:
        # A manual run tests and builds every member unless it asks for `everything: false`;
        # compared with the default branch, a run on that branch would plan nothing.
        return [Candidate("", "everything (GitHub workflow_dispatch)", everything=True)]
    before = payload.sha("before") if event == "push" else None
    if before is not None and not _is_zero(before):
        # A force push can make `before` unreachable: the default branch is the fallback.
        branch = payload.find("repository.default_branch")
        fallback = f"GitHub push: merge-base of origin/{branch} and {head_label} instead"
        return [
            Candidate(before, f"GitHub push: before {before}", two_dot=True),
            *([Candidate(f"origin/{branch}", fallback)] if branch else []),
        ]
    default = f"origin/{payload.text('repository.default_branch')}"
    why = "GitHub push created the branch (before is all zeros)" if before else f"GitHub {event}"
    return [Candidate(default, f"{why}: merge-base of {default} and {head_label}")]


@record
class _GitHubPayload:
    """The event payload GitHub writes to GITHUB_EVENT_PATH."""

    data: Mapping[str, object]
    event: str
    path: str

    @classmethod
    def load(cls, environ: Mapping[str, str], event: str) -> _GitHubPayload:
        import json

        path = environ.get("GITHUB_EVENT_PATH")
        if not path:
            raise UvmonoError(
                f"GITHUB_EVENT_PATH is not set: cannot read the GitHub {event} event payload",
                hint=_CHOOSE_BASE_HINT,
            )
        from uvmono.regular import EVENT_LIMIT, read_regular

        # A FIFO would block forever, /dev/zero exhaust memory: a regular file, capped.
        what = "the GitHub event payload (GITHUB_EVENT_PATH)"
        raw = read_regular(Path(path), what=what, limit=EVENT_LIMIT, hint=_CHOOSE_BASE_HINT)
        if raw is None:
            raise UvmonoError(
                f"cannot read the GitHub event payload {path} (GITHUB_EVENT_PATH): "
                "No such file or directory",
                hint=_CHOOSE_BASE_HINT,
            )
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise UvmonoError(
                f"the GitHub event payload {path} (GITHUB_EVENT_PATH) is not valid JSON: {exc}",
                hint=_CHOOSE_BASE_HINT,
            ) from exc
        if not isinstance(data, dict):
            raise UvmonoError(
                f"the GitHub event payload {path} (GITHUB_EVENT_PATH) is not a JSON object",
                hint=_CHOOSE_BASE_HINT,
            )
        return cls(data, event, path)

    def find(self, key: str) -> str | None:
        """The non-empty string at a dotted `key`, if there is one."""
        value: object = self.data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value if isinstance(value, str) and value else None

    def text(self, key: str) -> str:
        """The string at a dotted `key`; an error naming the key and the file when it is not."""
        value = self.find(key)
        if value is None:
            raise UvmonoError(
                f"the GitHub {self.event} event payload {self.path} (GITHUB_EVENT_PATH) "
                f"has no {key}",
                hint=_CHOOSE_BASE_HINT,
            )
        return value

    def flag(self, key: str) -> bool | None:
        """A boolean at a dotted `key` (the payload holds dispatch inputs as "true"/"false")."""
        value: object = self.data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            return value
        return {"true": True, "false": False}.get(value) if isinstance(value, str) else None

    def sha(self, key: str) -> str:
        value = self.text(key)
        if not _FULL_SHA.fullmatch(value):
            raise UvmonoError(
                f"the GitHub {self.event} event payload {self.path} (GITHUB_EVENT_PATH) "
                f"has {key} = {value!r}, which is not a commit SHA",
                hint=_CHOOSE_BASE_HINT,
            )
        return value


def _gitlab_candidates(environ: Mapping[str, str], head_label: str) -> list[Candidate]:
    # Set only in merged results pipelines, where HEAD merges the MR into the target's tip:
    # like a GitHub pull_request, the tip is then the exact base (the diff base would also
    # count what the target branch got since the MR branched off).
    target = _gitlab_sha(environ, "CI_MERGE_REQUEST_TARGET_BRANCH_SHA")
    if target is not None:
        return [Candidate(target, f"GitLab CI_MERGE_REQUEST_TARGET_BRANCH_SHA {target}")]
    diff_base = _gitlab_sha(environ, "CI_MERGE_REQUEST_DIFF_BASE_SHA")
    if diff_base is not None:
        return [Candidate(diff_base, f"GitLab CI_MERGE_REQUEST_DIFF_BASE_SHA {diff_base}")]
    candidates: list[Candidate] = []
    before = _gitlab_sha(environ, "CI_COMMIT_BEFORE_SHA")
    if before is not None and not _is_zero(before):
        candidates.append(
            Candidate(before, f"GitLab CI_COMMIT_BEFORE_SHA {before}", two_dot=True)
        )
    branch = environ.get("CI_DEFAULT_BRANCH")
    if branch:
        why = "instead" if candidates else "(CI_COMMIT_BEFORE_SHA is all zeros or unset)"
        default = f"origin/{branch}"
        candidates.append(
            Candidate(
                default,
                f"GitLab: merge-base of {default} (CI_DEFAULT_BRANCH) and {head_label} {why}",
            )
        )
    if not candidates:
        raise UvmonoError(
            "GitLab CI: CI_COMMIT_BEFORE_SHA is all zeros or unset and CI_DEFAULT_BRANCH "
            "is not set: no base to compare against",
            hint=_CHOOSE_BASE_HINT,
        )
    return candidates


def _gitlab_sha(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not _FULL_SHA.fullmatch(value):
        raise UvmonoError(
            f"GitLab CI: {name} = {value!r} is not a commit SHA", hint=_CHOOSE_BASE_HINT
        )
    return value


def _is_zero(sha: str) -> bool:
    return set(sha) == {"0"}
