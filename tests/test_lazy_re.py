"""`uvmono.lazy_re.lazy`: a pattern compiled at its first use answers as `re.compile`'s."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import uvmono
from uvmono.lazy_re import _Lazy, lazy
from uvmono.render import text

TEXTS = ["", "abc", "3.12", "ab\ncd", "python3.11.4", "x\x85y", "A-b_c.d"]
PATTERNS = [(r"[a-z]+", 0), (r"(?:python)?(3\.\d+)(\.\d+)?", re.IGNORECASE), (r"\n|\x85", 0)]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_lazy_pattern_matches_as_the_compiled_one(pattern: str, flags: int) -> None:
    mine, theirs = lazy(pattern, flags), re.compile(pattern, flags)
    assert (mine.pattern, mine.flags) == (pattern, flags)
    for value in TEXTS:
        for method in ("search", "match", "fullmatch"):
            got, want = getattr(mine, method)(value), getattr(theirs, method)(value)
            assert (got and got.groups(), got and got.span()) == (
                want and want.groups(),
                want and want.span(),
            ), (method, value)
        assert mine.sub("-", value) == theirs.sub("-", value)
        assert mine.subn("-", value) == theirs.subn("-", value)
        assert mine.split(value) == theirs.split(value)
        assert mine.findall(value) == theirs.findall(value)
        spans = [m.span() for m in mine.finditer(value)]
        assert spans == [m.span() for m in theirs.finditer(value)]


def test_it_compiles_at_its_first_use_only() -> None:
    pattern = lazy(r"x+y")
    assert "search" not in vars(pattern)  # nothing compiled yet
    assert pattern.fullmatch("xxy")
    # The compiled pattern's own methods, in place: no lookup through the stand-in again.
    assert vars(pattern)["search"].__self__ is vars(pattern)["fullmatch"].__self__
    assert isinstance(vars(pattern)["search"].__self__, re.Pattern)
    with pytest.raises(AttributeError):
        pattern.groupindex  # noqa: B018 - not one of the matching methods


def test_a_bad_pattern_fails_at_its_first_use() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def test_every_lazy_pattern_of_uvmono_compiles() -> None:
    """A bad one would fail only where it is first used: here, all of them."""
    found = {}
    for info in pkgutil.walk_packages(uvmono.__path__, "uvmono."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, _Lazy):
                found[f"{info.name}.{name}"] = re.compile(value.pattern, value.flags)
    assert len(found) >= 14, sorted(found)
    assert found["uvmono.render.text.CONTROL"].search("a\x85b")
    assert text.CONTROL.search("a\x85b") and not text.CONTROL.search("plain text")
