"""uv.lock's `[manifest] members`, read without parsing the lock (nor importing `lockfile`,
whose model `uvmono members` never needs)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from uvmono.names import normalize
from uvmono.regular import LOCK_LIMIT, read_regular

LOCK_HINT = "make sure it is a readable file, or run `uv lock` to write it again"

_MANIFEST_MEMBERS = re.compile(r"^\[manifest\]\n(?:[^\[\n].*\n|\n)*?members = \[([^\]]*)\]", re.M)


def lock_staleness(path: Path, workspace_members: Iterable[str]) -> list[str]:
    """Warnings for members the lock does not list, or lists but the workspace lacks.

    Reads only `[manifest] members` with a pattern: parsing a whole lock of thousands of
    packages costs more than everything else `uvmono members` does.
    """
    data = read_regular(path, what="uv.lock", limit=LOCK_LIMIT, hint=LOCK_HINT)
    if data is None:
        return []
    text = data.decode("utf-8", errors="replace")
    match = _MANIFEST_MEMBERS.search(text)
    if match is None:
        return []  # a single-project lock, or one uvmono will report when it parses it
    listed = {normalize(n) for n in re.findall(r'"([^"]+)"', match.group(1))}
    names = set(workspace_members)
    out = []
    missing = sorted(names - listed)
    if missing:
        out.append(
            f"{path} has no entry for member(s) {', '.join(missing)}: "
            "using their pyproject.toml edges only (run `uv lock`)"
        )
    extra = sorted(listed - names)
    if extra:
        out.append(
            f"{path} lists member(s) {', '.join(extra)} that the workspace does not have "
            "(run `uv lock`)"
        )
    return out
