"""Regular expressions compiled at their first use, not when their module is imported.

Compiling one costs 0.1-0.6 ms on this project's machine, and most of those at the top of
uvmono's modules serve a command other than the one running: a plain `uvmono affected` imports
fourteen it never uses. `lazy(pattern)` stands for `re.compile(pattern)`: the first call of
one of its matching methods compiles it and puts the compiled pattern's own methods in place,
so later calls cost what they would on the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:  # only until the methods are in place
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when one of its matching methods (`search`,
    `match`, `fullmatch`, `sub`, `subn`, `split`, `findall`, `finditer`) is first used; its
    `pattern` and `flags` are the ones given (not a `re.Pattern`: `isinstance` says so)."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
