"""How a generated CI file installs uvmono, shared by every CI renderer.

Which source is allowed is decided (and checked) by the planning stage, `install_source.py`;
this only turns a checked source into shell lines.
"""

from __future__ import annotations

import shlex

from uvmono.install_source import InstallSource, validate_source

__all__ = ["InstallSource", "install_steps", "validate_source"]


def install_steps(spec: str | InstallSource) -> list[str]:
    """Shell lines, run at the workspace root, after which `uvmono` is on PATH.

    A group is synced from uv.lock into the workspace's environment; anything else is
    installed as a uv tool. Every value is shell-quoted: the lines can be pasted anywhere.
    """
    source = spec if isinstance(spec, InstallSource) else validate_source(spec)
    if source.kind == "group":
        return [
            f"uv sync --frozen --no-install-workspace --only-group {shlex.quote(source.value)}",
            'export PATH="$PWD/.venv/bin:$PATH"',
        ]
    index = f" --default-index {shlex.quote(source.index)}" if source.index else ""
    return [
        f"uv tool install --quiet{index} {shlex.quote(source.value)}",
        'export PATH="$(uv tool dir --bin):$PATH"',
    ]
