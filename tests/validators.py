"""The real validators of `shared/tools/setup-validators.sh`: find one, or skip saying why."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VALIDATORS_BIN = Path("/opt/uvmono-validators/bin")
ENV_SH = VALIDATORS_BIN.parent / "env.sh"


def require(tool: str) -> str:
    """The path of `tool` (looked up in /opt/uvmono-validators/bin, then PATH), else skip.

    For `docker`, the engine must answer `docker info` too (`validators-dockerd start`).
    """
    search = os.pathsep.join([str(VALIDATORS_BIN), os.environ.get("PATH", "")])
    found = shutil.which(tool, path=search)
    if found is None:
        pytest.skip(
            f"{tool} is not installed: run `bash ../shared/tools/setup-validators.sh` "
            f"(it installs into {VALIDATORS_BIN.parent})"
        )
    if tool == "docker":
        problem = _docker_problem(found)
        if problem:
            pytest.skip(
                f"no Docker engine answers `docker info` ({problem}): start it with "
                "`source /opt/uvmono-validators/env.sh; validators-dockerd start`"
            )
    return found


def environ() -> dict[str, str]:
    """os.environ, plus what env.sh exports (DOCKER_HOST, UVMONO_DOCKER_BUILD_ARGS, …) for
    the variables os.environ does not set: tests run the same with or without sourcing it."""
    return {**_env_sh(), **os.environ}


@functools.cache
def _env_sh() -> dict[str, str]:
    if not ENV_SH.is_file():
        return {}
    proc = subprocess.run(
        ["sh", "-c", f'. "{ENV_SH}" >/dev/null 2>&1; env -0'],
        capture_output=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        timeout=30,
        check=False,
    )
    pairs = (item.partition(b"=") for item in proc.stdout.split(b"\0") if b"=" in item)
    return {key.decode(): value.decode() for key, _, value in pairs}


@functools.cache
def _docker_problem(docker: str) -> str | None:
    try:
        proc = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            env=environ(),
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["docker info failed"])[-1]
    return None
