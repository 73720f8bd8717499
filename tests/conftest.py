"""Shared test helpers: real workspaces (`tests/wsutil.py`), real git repositories
(`tests/gitutil.py`), and golden files.

`assert_golden(path, text)` compares generated text with a committed file; with
UVMONO_UPDATE_GOLDEN=1 it rewrites the file instead (review the diff). The sample monorepo's
generated files are the golden copies of what `uvmono generate` writes there: no duplicate of
them lives under tests/golden.

After every test, the generated files it leaves in its `tmp_path` must pull only images that
exist (`tests/imagerefs.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import imagerefs
from tests.wsutil import REPO, SAMPLE

# FORCE_COLOR (some CI sets it) would colour the `error:`/`warning:` prefixes that tests read.
for _name in ("FORCE_COLOR", "NO_COLOR"):
    os.environ.pop(_name, None)

# The parsed-workspace cache (src/uvmono/wscache.py) stays off in tests, in this process and in
# every uvmono they run, so the suite never writes the user's cache directory;
# tests/test_wscache.py turns it on, in a temporary directory.
os.environ["UVMONO_NO_CACHE"] = "1"

UPDATE_GOLDEN = os.environ.get("UVMONO_UPDATE_GOLDEN") == "1"
GOLDEN = Path(__file__).parent / "golden"

__all__ = ["GOLDEN", "REPO", "SAMPLE", "UPDATE_GOLDEN", "assert_golden"]


def assert_golden(path: Path, text: str) -> None:
    """`text` equals the file at `path`; UVMONO_UPDATE_GOLDEN=1 rewrites the file."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    assert path.read_text(encoding="utf-8") == text, (
        f"{name} changed: review it, then rerun with UVMONO_UPDATE_GOLDEN=1"
    )


@pytest.fixture(autouse=True)
def _only_published_images(request: pytest.FixtureRequest) -> Iterator[None]:
    checked = "tmp_path" in request.fixturenames and imagerefs.published_file() is not None
    # Asked for here, tmp_path outlives this fixture's teardown.
    root: Path | None = request.getfixturevalue("tmp_path") if checked else None
    yield
    if root is not None:
        found = imagerefs.problems_in(list(imagerefs.generated_files(root)))
        assert not found, "generated files pull images that do not exist:\n" + "\n".join(found)
