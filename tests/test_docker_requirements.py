"""`uvmono docker requirements` and `docker commands --lock-context`: each image's requirement
lists written on the host, for `docker build --build-context lock=DIR` (docker_requirements.py).

Real uv (the images' 0.13.9) on a copy of the sample workspace, real grep. That the files are the
lock stage's byte for byte, and that a build given them stays cached through an unrelated uv.lock
change, is shown on a real engine in tests/test_docker_build.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.validators import require
from tests.wsutil import SAMPLE, uvmono
from uvmono import docker_requirements


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".venv", "__pycache__", ".git"))
    return root


def _path_with_uv() -> dict[str, str]:
    uv = require("uv")
    return {"PATH": os.pathsep.join([str(Path(uv).parent), os.environ.get("PATH", "")])}


def test_it_writes_the_four_lists_of_each_image_as_the_lock_stage_names_them(
    sample: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lists"

    proc = uvmono("docker", "requirements", "--output", str(out), cwd=sample, env=_path_with_uv())

    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["acme-api", "acme-cli", "acme-worker"]
    lists = out / "acme-api" / "uvmono" / "requirements"
    assert sorted(p.name for p in lists.iterdir()) == [
        "app.txt", "deps.txt", "local.txt", "test.txt"
    ]  # fmt: skip
    for name in ("app.txt", "deps.txt", "local.txt", "test.txt"):  # what the stage mounts
        assert f"{docker_requirements.REQUIREMENTS}/{name}" in (
            sample / "services/api/Dockerfile"
        ).read_text()
        assert (lists / name).stat().st_mode & 0o777 == 0o644
    deps = (lists / "deps.txt").read_text()
    assert "pydantic==" in deps and "--hash=sha256:" in deps and "./" not in deps
    local = (lists / "local.txt").read_text()
    assert local == "./libs/core\n./libs/events\n./libs/storage\n./services/api\n"


def test_the_local_list_keeps_what_the_stages_grep_keeps(tmp_path: Path) -> None:
    app = tmp_path / "app.txt"
    app.write_text(
        "./libs/a\n./libs/b ; sys_platform == 'linux'\n.\n. ; python_version < '4'\n"
        "anyio==4.0 \\\n    --hash=sha256:00\n.hidden==1\n../outside\n./tab\tx\n./last"
    )
    grep = docker_requirements.LOCAL_GREP.split(maxsplit=2)  # grep -E 'pattern'
    pattern = grep[2].strip("'")

    out = subprocess.run(
        [grep[0], grep[1], pattern, str(app)], capture_output=True, text=True, check=True
    ).stdout

    assert docker_requirements.local_lines(app.read_text()) == out
    assert out.count("\n") == 6


def test_a_uv_of_another_version_is_refused_and_nothing_is_written(
    sample: Path, tmp_path: Path
) -> None:
    root_file = sample / "pyproject.toml"
    root_file.write_text(root_file.read_text() + '\n[tool.uvmono.docker]\nuv-version = "0.9.18"\n')
    out = tmp_path / "lists"

    proc = uvmono("docker", "requirements", "--output", str(out), cwd=sample, env=_path_with_uv())

    assert proc.returncode == 2
    assert "is uv 0.13.9, but the images export their requirement lists with uv 0.9.18" in (
        proc.stderr
    )
    assert "hint: install uv 0.9.18" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())


def test_docker_commands_with_a_lock_context_write_the_lists_first_and_pass_them(
    sample: Path,
) -> None:
    proc = uvmono(
        "docker", "commands", "--lock-context", "/tmp/lists", "--revision", "abc", "acme-api",
        cwd=sample,
    )  # fmt: skip

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "uvmono docker requirements --output /tmp/lists acme-api",
        "docker build -f services/api/Dockerfile -t acme-api:latest --build-arg REVISION=abc "
        "--build-context lock=/tmp/lists/acme-api .",
    ]
