"""The GitHub Actions a generated workflow uses, each pinned to a full commit SHA.

"Pinning an action to a full length commit SHA is currently the only way to use an action as an
immutable release" (GitHub's security hardening guide). This is the one place the pins live: to
move to a new release, change the SHA and the version here, regenerate, and review the diff.
Every action here runs on Node 24 (actionlint flags the deprecated node20 majors).

Sources, checked against each other (shared/docs/FACTS.md §5 and Dependabot bump commits that
name both SHAs of a compare range):
- actions/checkout v7.0.1, astral-sh/setup-uv v10.0.1: FACTS.md §5. setup-uv has no floating
  major tags since v8 (setup-uv#953): pin a full tag or a SHA.
- docker/setup-buildx-action v4.3.0, docker/build-push-action v7.3.0: the compare ranges
  `bb05f3f…37fe631` (setup-buildx 4.2.0 → 4.3.0) and `f9f3042…53b7df9` (build-push 7.2.0 → 7.3.0).
- actions/cache v5.0.5 (its `restore` and `save` sub-actions): the tag `v5.0.5` (and the
  moving `v5`) of a clone of github.com/actions/cache read on 2026-12-01 (`git show-ref
  --tags`: a lightweight tag on commit 27d5ce7f…, 2026-04-13); `restore/action.yml` and
  `save/action.yml` there run `using: 'node24'`, and restore has `lookup-only`. The v4 line
  runs on node20.
"""

from __future__ import annotations

import re

from uvmono.records import record

_FULL_SHA = re.compile(r"[0-9a-f]{40}")


@record
class Action:
    repository: str  # owner/name
    sha: str
    version: str  # the release tag the SHA belongs to, written as a comment next to `uses:`

    def __post_init__(self) -> None:
        if not _FULL_SHA.fullmatch(self.sha):
            raise ValueError(f"{self.repository}: {self.sha!r} is not a full commit SHA")

    @property
    def uses(self) -> str:
        return f"{self.repository}@{self.sha}"


CHECKOUT = Action("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1")
SETUP_UV = Action("astral-sh/setup-uv", "20cfd1bf945f4377ade1205e4dbc17946fc9a30d", "v10.0.1")
SETUP_BUILDX = Action(
    "docker/setup-buildx-action", "37fe631027851001ddb9b187196cc803df7f5f0e", "v4.3.0"
)
BUILD_PUSH = Action(
    "docker/build-push-action", "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", "v7.3.0"
)

_CACHE_SHA = "27d5ce7f107fe9357f9df03efb73ab90386fccae"
CACHE_RESTORE = Action("actions/cache/restore", _CACHE_SHA, "v5.0.5")
CACHE_SAVE = Action("actions/cache/save", _CACHE_SHA, "v5.0.5")

ALL = (CHECKOUT, SETUP_UV, SETUP_BUILDX, BUILD_PUSH, CACHE_RESTORE, CACHE_SAVE)


def version_of(uses: str) -> str:
    """The version comment for a `uses:` value; KeyError if the action is not pinned here."""
    for action in ALL:
        if action.uses == uses:
            return action.version
    raise KeyError(uses)
