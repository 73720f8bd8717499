"""TOML as tomllib reads it, parsed by tomli's compiled wheel where one is installed.

tomli is the project tomllib was copied from; its wheels are compiled with mypyc and parse a
pyproject.toml about 3x faster than the standard library's pure-Python copy, which is most of
what `affected` spends on a large workspace. Its result is used only when it parses the text;
on any failure tomllib parses it again, so what is refused, and the error message that says
why, are tomllib's own. tests/test_tomlparse.py shows that both return equal documents on the
test and fuzz corpora. Without tomli (or with a pure-Python one) this is tomllib alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tomllib import TOMLDecodeError as TOMLDecodeError
else:

    def __getattr__(name: str) -> Any:
        # tomllib is imported when it is needed (about 15 ms of start-up otherwise): to parse
        # what tomli did not, or when a caller's `except tomlparse.TOMLDecodeError` runs.
        if name == "TOMLDecodeError":
            import tomllib

            return tomllib.TOMLDecodeError
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _compiled() -> Callable[[str], dict[str, Any]] | None:
    try:
        import tomli
        import tomli._parser
    except ImportError:
        return None
    # A pure-Python tomli is tomllib again, only slower to import.
    if not tomli._parser.__file__ or tomli._parser.__file__.endswith(".py"):
        return None
    return tomli.loads


_FAST = _compiled()


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`: the same document, the same TOMLDecodeError or RecursionError."""
    if _FAST is not None:
        try:
            return _FAST(text)
        except Exception:  # tomllib decides what the error is (or that there is none)
            pass
    return loads_stdlib(text)


def loads_stdlib(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


def fast_parser() -> str | None:
    """The name of the compiled parser in use, None for tomllib alone."""
    return None if _FAST is None else "tomli"
