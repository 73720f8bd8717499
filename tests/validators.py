"""The real validators of `shared/tools/setup-validators.sh`: find one, or skip saying why."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

VALIDATORS_BIN = Path("/opt/uvmono-validators/bin")


def require(tool: str) -> str:
    """The path of `tool` (looked up in /opt/uvmono-validators/bin, then PATH), else skip."""
    search = os.pathsep.join([str(VALIDATORS_BIN), os.environ.get("PATH", "")])
    found = shutil.which(tool, path=search)
    if found is None:
        pytest.skip(
            f"{tool} is not installed: run `bash ../shared/tools/setup-validators.sh` "
            f"(it installs into {VALIDATORS_BIN.parent})"
        )
    return found
