"""Which Python a member is tested and built with: `.python-version`, else the lower bound of
its `requires-python`, else `[tool.uvmono] python`, else DEFAULT_PYTHON."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono.errors import UvmonoError

if TYPE_CHECKING:
    from uvmono.config import Settings
    from uvmono.workspace import Member, Workspace

DEFAULT_PYTHON = "3.12"
_LOWER_BOUND = re.compile(r"(?:>=|~=|==)\s*(\d+)\.(\d+)")
_MAJOR_MINOR = re.compile(r"(\d+)\.(\d+)")


def python_version(workspace: Workspace, member: Member, settings: Settings | None = None) -> str:
    """`.python-version`, else the lower bound of requires-python, else config, else 3.12."""
    if workspace.python_version:
        match = _MAJOR_MINOR.match(workspace.python_version)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    if member.requires_python:
        match = _LOWER_BOUND.search(member.requires_python)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    configured = (settings or workspace.settings).python
    return configured if configured is not None else DEFAULT_PYTHON


def plan_job_python(workspace: Workspace, settings: Settings | None = None) -> str:
    """The plan job's Python: .python-version, else `tool.uvmono.python`, else the default."""
    for candidate in (workspace.python_version, (settings or workspace.settings).python):
        if candidate is not None:
            match = _MAJOR_MINOR.match(candidate)
            if match:
                return f"{match.group(1)}.{match.group(2)}"
    return DEFAULT_PYTHON


def read_python_version(root: Path) -> str | None:
    """The first version line of `.python-version` at `root`, None without one."""
    file = root / ".python-version"
    if not file.is_file():
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise UvmonoError(
            f"cannot read {file}: {why}", hint='it should hold a Python version, e.g. "3.12"'
        ) from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    return None
