"""Plain text for people and scripts: aligned tables, escaped names, one value per line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from uvmono.errors import UvmonoError


def table(rows: Sequence[Sequence[str]]) -> str:
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n" for r in rows
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` for people: a newline or another control character in a file name is escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def lines(values: Sequence[str], what: str) -> str:
    """One value per line, for scripts; a value that holds a line break cannot be one line."""
    for value in values:
        if "\n" in value or "\r" in value:
            raise UvmonoError(
                f"the {what} {value!r} holds a line break, so it cannot be printed one per line",
                hint="use --format json, or rename it",
            )
    return "".join(f"{value}\n" for value in values)
