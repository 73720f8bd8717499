"""The fuzzer still runs against the current code (a few examples each; the real runs are
`python fuzz/fuzz_readers.py`, see fuzz/README.md)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.wsutil import REPO


def fuzzer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_readers", REPO / "fuzz/fuzz_readers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("target", ["lock", "config", "pyproject", "toml", "yaml"])
def test_fuzz_target_runs(target: str) -> None:
    assert fuzzer().run(target, seconds=0.2, batch=15)
