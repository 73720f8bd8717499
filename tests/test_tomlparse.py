"""The compiled TOML parser (tomli) reads every document exactly as tomllib does.

`tomlparse.loads` uses tomli's result only where tomli parses the text, and falls back to
tomllib otherwise; so it is enough that wherever tomli returns a document, tomllib returns an
equal one (same keys in the same order, same values of the same types), and that the wrapper's
outcome, error message included, is always tomllib's. Checked on the repository's TOML files,
the adversarial TOML cases, hand-picked edge cases of the TOML 1.0 spec, and the documents the
fuzzer generates (fuzz/fuzz_readers.py), mutated and random bytes included.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversarial.test_fuzz_smoke import fuzzer
from tests.adversarial.test_toml import BROKEN
from tests.wsutil import REPO
from uvmono import tomlparse

tomli = pytest.importorskip("tomli")

EDGE_CASES = [
    'a = 1\nb = "x"\n[t]\nc = [1, 2]\n',
    "x = 1979-05-27T07:32:00Z\ny = 1979-05-27t07:32:00z\nz = 1979-05-27 07:32:00.999999-07:00\n",
    "d = 1979-05-27\nt = 07:32:00\nlt = 00:32:00.5\nldt = 1979-05-27T00:32:00\n",
    "t = 07:32\n",  # seconds are required in TOML 1.0 (optional in 1.1)
    "f = [inf, -inf, +inf, nan, -nan, 6.626e-34, 1e1_0, 0.1]\n",
    "i = [0x_1, 0o7, 0b1, 1_000, +1, -0, 0xDEAD_beef]\n",
    "i = 01\n",
    's = "\\u00e9\\U0001F600\\t\\b\\f"\n',
    's = "\\e"\n',  # \e is TOML 1.1
    's = "\\x41"\n',  # \x is TOML 1.1
    "s = '''\nline\n'''\nm = \"\"\"\\\n  folded \\\n  \"\"\"\n",
    "t = { a = 1, b = { c = 2 } }\n",
    "t = { a = 1,\n b = 2 }\n",  # newlines in inline tables are TOML 1.1
    "t = { a = 1, }\n",  # a trailing comma in an inline table is TOML 1.1
    "a.b.c = 1\na.d = 2\n",
    "[a]\nb = 1\n[a]\nc = 2\n",
    "[[p]]\nname = 'x'\n[[p]]\nname = 'y'\n[p.sub]\nz = 1\n",
    "a = [ ]\nb = [\n 1,\n 2,\n]\n",
    "a = 1 # comment \x7f\n",
    "a = 1 # comment \x00\n",
    "a = 'tab\there'\n",
    '"quoted key" = 1\n\'literal key\' = 2\n"" = 3\n',
    "a = true\nb = false\nc = True\n",
    "\ufeffa = 1\n",
    "a = 1\r\nb = 2\r\n",
    "a = 1\rb = 2\n",
    "x = " + "[" * 399 + "]" * 399 + "\n",
    "x = " + "[" * 401 + "]" * 401 + "\n",
    "x = " + "{a=" * 600 + "}" * 600 + "\n",
    "x = " + "[" * 5000 + "]" * 5000 + "\n",
    ".".join(f"k{i}" for i in range(1500)) + " = 1\n",
    "[" + ".".join(f"k{i}" for i in range(1500)) + "]\n",
    "a = 9223372036854775807\nb = -9223372036854775808\nc = 99999999999999999999\n",
    "a = 1.\nb = .1\nc = 1e\n",
    "a = 2000-02-30\n",
    "a = 1979-05-27T25:00:00\n",
    "",
    "\n\n# only a comment\n",
]


def _corpus_files() -> list[Path]:
    skip = {".venv", ".git", "out", "node_modules"}
    return sorted(
        p
        for pattern in ("*.toml", "uv.lock")
        for p in REPO.rglob(pattern)
        if not skip.intersection(p.relative_to(REPO).parts)
    )


def _broken_texts() -> list[str]:
    return [text for files, _ in BROKEN.values() for text in files.values()]


def _outcome(loads: Any, text: str) -> tuple[str, str]:
    """What a parser makes of `text`: the document's repr (types and key order show in it,
    NaN compares equal to itself), or the error's type and message."""
    try:
        return "ok", repr(loads(text))
    except (tomllib.TOMLDecodeError, tomli.TOMLDecodeError, RecursionError) as exc:
        return "error", f"{type(exc).__name__}: {exc}"


def check(text: str) -> None:
    expected = _outcome(tomllib.loads, text)
    assert _outcome(tomlparse.loads, text) == expected
    fast = _outcome(tomli.loads, text)
    if fast[0] == "ok":  # tomli's document is used as it is: it must be tomllib's
        assert fast == expected, text[:200]


def test_the_compiled_parser_is_used() -> None:
    compiled = not tomli._parser.__file__.endswith(".py")
    assert (tomlparse.fast_parser() == "tomli") == compiled


def test_repository_toml_files_parse_alike() -> None:
    files = _corpus_files()
    assert len(files) >= 5  # the sample monorepo's files at least
    for file in files:
        check(file.read_bytes().decode("utf-8"))


@pytest.mark.parametrize("text", [*EDGE_CASES, *_broken_texts()])
def test_edge_cases_parse_alike(text: str) -> None:
    check(text)


def test_some_edge_cases_are_refused() -> None:
    """The edge cases hold both kinds: what TOML 1.0 accepts and what it refuses."""
    outcomes = {_outcome(tomlparse.loads, t)[0] for t in EDGE_CASES}
    assert outcomes == {"ok", "error"}


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


FUZZ = fuzzer()
_settings = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@_settings
@given(FUZZ.documents(FUZZ.pyproject_doc, FUZZ.SEED_PYPROJECT))
def test_fuzzed_pyprojects_parse_alike(data: bytes) -> None:
    check(_text(data))


@_settings
@given(FUZZ.documents(FUZZ.lock_doc, FUZZ.SEED_LOCK))
def test_fuzzed_locks_parse_alike(data: bytes) -> None:
    check(_text(data))


@_settings
@given(FUZZ.documents(FUZZ.root_doc, FUZZ.ROOT))
def test_fuzzed_roots_parse_alike(data: bytes) -> None:
    check(_text(data))


@_settings
@given(st.text(alphabet=st.sampled_from("[]{}=\"'#.,-_:+ \n\t\\abcenu0123456789TZ"), max_size=80))
def test_random_toml_shaped_text_parses_alike(text: str) -> None:
    check(text)
