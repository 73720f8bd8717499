"""Plain text for people and scripts: aligned tables, escaped names, one value per line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from uvmono.errors import UvmonoError

_GAP = 2
_NARROWEST = 8  # a column is cut no narrower than this (or its header)


def table(rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Aligned columns; with `width`, the widest columns are cut (with `…`) until rows fit."""
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    if width is not None:
        widths = fit(widths, [len(h) for h in rows[0]], width)
    return "".join(
        "  ".join(_cut(c, w).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n"
        for r in rows
    )


def fit(widths: Sequence[int], headers: Sequence[int], width: int) -> list[int]:
    """Column widths that fit `width` characters, taking from the widest column first; the
    first column (the name) is cut only when no other column can give more."""
    floors = [min(w, max(h, _NARROWEST)) for w, h in zip(widths, headers, strict=True)]
    return _shrink(_shrink(list(widths), [widths[0], *floors[1:]], width), floors, width)


def _shrink(out: list[int], floors: Sequence[int], width: int) -> list[int]:
    while sum(out) + _GAP * (len(out) - 1) > width:
        widest = max(range(len(out)), key=lambda i: (out[i] - floors[i] > 0, out[i]))
        if out[widest] <= floors[widest]:
            break  # every column at its floor: wider than the terminal, but readable
        out[widest] -= 1
    return out


def _cut(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"


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
