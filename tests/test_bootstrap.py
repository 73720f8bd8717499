"""The README's quick start on a stock machine: only python3 (with pip, PEP 668 in force, no
python3-venv) and git on PATH, a non-root user, a fresh HOME. scripts/uv.sh must fetch uv into
the checkout, never into the system or the user's Python; .ci/run must stop only what it started.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.validators import ENV_SH, VALIDATORS_BIN
from tests.wsutil import REPO

UV_VERSION = "0.13.9"
BOOTSTRAP = ".uvmono-bootstrap"
# What the scripts need besides python3 and git; a stock Debian/Ubuntu has bash and coreutils.
COREUTILS = ("bash", "cat", "cut", "dirname", "mkdir", "mktemp", "mv", "rm")
# What reaches PyPI through this machine's network: proxies and CA bundles, nothing of pip's.
NETWORK_ENV = re.compile(r"(?i)(https?|no|all)_proxy|ssl_cert_(file|dir)")


def stock_python() -> str:
    """The distribution's python3 (PEP 668 in force on Debian 12 / Ubuntu 24.04), else skip."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not Path(candidate).exists():
            continue
        proc = subprocess.run(
            [candidate, "-c", "import sys, pip; print(sys.version_info >= (3, 11))"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.stdout.strip() == "True":
            return candidate
    pytest.skip("no system python3 >= 3.11 with pip (Debian/Ubuntu: apt-get install python3-pip)")


@dataclass
class Machine:
    """A fresh HOME, a PATH holding only python3 (and what bash scripts need), a user."""

    root: Path  # readable by the user, removed afterwards
    home: Path
    bin: Path
    python: str
    user: pwd.struct_passwd | None  # None: run as the current (non-root) user

    def env(self) -> dict[str, str]:
        passed = {k: v for k, v in os.environ.items() if NETWORK_ENV.fullmatch(k)}
        return {**passed, "HOME": str(self.home), "PATH": str(self.bin), "LANG": "C.UTF-8"}

    def run(self, script: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["/bin/bash", "-c", script],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            user=self.user.pw_uid if self.user else None,
            group=self.user.pw_gid if self.user else None,
            extra_groups=[] if self.user else None,
        )

    def give(self, path: Path) -> None:
        if self.user is not None:
            for entry in [path, *path.rglob("*")]:
                os.lchown(entry, self.user.pw_uid, self.user.pw_gid)

    def home_files(self) -> list[str]:
        return sorted(str(p.relative_to(self.home)) for p in self.home.rglob("*") if p.is_file())


@pytest.fixture
def machine() -> Iterator[Machine]:
    python = stock_python()
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("running as root and there is no user `nobody` to drop to")
    root = Path(tempfile.mkdtemp(prefix="uvmono-stock-"))
    try:
        root.chmod(0o755)
        machine = Machine(root, root / "home", root / "bin", python, user)
        machine.home.mkdir()
        machine.bin.mkdir()
        (machine.bin / "python3").symlink_to(python)
        for tool in (*COREUTILS, "git"):
            found = shutil.which(tool)
            if found is None:
                pytest.skip(f"{tool} is not installed")
            (machine.bin / tool).symlink_to(found)
        machine.give(machine.home)
        yield machine
    finally:
        shutil.rmtree(root)


def checkout_copy(machine: Machine) -> Path:
    """This checkout as it is now (committed or not), as a fresh git repository of the user's."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode().split("\0")
    copy = machine.root / "uvmono"
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(["git", *args], cwd=copy, env=env, check=True, capture_output=True)
    machine.give(copy)
    return copy


def site_packages(python: str) -> dict[str, list[str]]:
    """Every site-packages directory of `python` and what it holds."""
    proc = subprocess.run(
        [python, "-c", "import json, site; print(json.dumps(site.getsitepackages()))"],
        capture_output=True,
        text=True,
        check=True,
    )
    dirs = [Path(d) for d in json.loads(proc.stdout)]
    return {str(d): sorted(p.name for p in d.iterdir()) for d in dirs if d.is_dir()}


def base_prefix(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import sys; print(sys.base_prefix)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


PRINT_UV = 'set -euo pipefail; source scripts/uv.sh; echo "${UV[*]}"; "${UV[@]}" --version'


def test_uv_sh_fetches_uv_into_the_checkout_with_only_python3_on_path(machine: Machine) -> None:
    project = checkout_copy(machine)
    before = site_packages(machine.python)

    first = machine.run(PRINT_UV, project)
    again = machine.run(PRINT_UV, project)

    assert first.returncode == 0, first.stdout + first.stderr
    uv_path, version = first.stdout.splitlines()
    assert uv_path == f"{project}/{BOOTSTRAP}/uv-{UV_VERSION}/bin/uv"
    assert version.startswith(f"uv {UV_VERSION} ")
    assert f"fetching uv {UV_VERSION}" in first.stderr
    assert again.returncode == 0 and again.stdout == first.stdout
    assert "fetching" not in again.stderr  # fetched once, kept in the checkout
    assert machine.home_files() == []  # no ~/.local, no pip cache, no user site-packages
    assert site_packages(machine.python) == before
    assert sorted(p.name for p in (project / BOOTSTRAP).iterdir()) == [f"uv-{UV_VERSION}"]
    status = subprocess.run(
        ["git", "-c", "safe.directory=*", "status", "--porcelain", "--ignored"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == f"!! {BOOTSTRAP}/\n"  # ignored by git


def pinned_uv() -> Path:
    """A uv binary of the pinned version (not a pyenv shim: the user could not run it)."""
    for candidate in (Path(sys.executable).parent / "uv", shutil.which("uv")):
        if candidate and Path(candidate).is_file():
            proc = subprocess.run([candidate, "--version"], capture_output=True, text=True)
            if proc.stdout.startswith(f"uv {UV_VERSION} "):
                return Path(candidate)
    pytest.skip(f"uv {UV_VERSION} is not installed")


def test_an_installed_uv_of_the_pinned_version_is_used_as_it_is(machine: Machine) -> None:
    shutil.copy2(pinned_uv(), machine.bin / "uv")  # a copy: the user may not reach the original
    project = checkout_copy(machine)

    proc = machine.run(PRINT_UV, project)

    assert proc.returncode == 0, proc.stderr
    uv, version = proc.stdout.splitlines()
    assert uv == "uv" and version.startswith(f"uv {UV_VERSION} ")
    assert proc.stderr == ""
    assert not (project / BOOTSTRAP).exists()


def test_uv_sh_without_python_names_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "uv.sh", tmp_path / "scripts" / "uv.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in COREUTILS:
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
    proc = subprocess.run(
        ["/bin/bash", "-c", PRINT_UV],
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "needs uv 0.13.9 on PATH, or python3 with pip" in proc.stderr
    assert "apt-get install python3-pip" in proc.stderr
    assert not (tmp_path / BOOTSTRAP).exists()


@pytest.mark.slow
def test_the_quick_start_runs_as_a_non_root_user_on_a_stock_python(machine: Machine) -> None:
    """`bash scripts/demo.sh` then `bash scripts/test.sh` (on one small test file)."""
    project = checkout_copy(machine)
    before = site_packages(machine.python)

    demo = machine.run("bash scripts/demo.sh", project)
    test = machine.run("bash scripts/test.sh tests/test_cli.py -k version", project)

    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "== uvmono affected --since HEAD --explain" in demo.stdout
    assert "acme-events (libs/events)" in demo.stdout
    assert "every generated Dockerfile, bake file and CI file is current" in demo.stdout
    assert test.returncode == 0, test.stdout + test.stderr
    assert re.search(r"\b[1-9]\d* passed\b", test.stdout), test.stdout
    assert base_prefix(str(project / ".venv" / "bin" / "python")) == base_prefix(machine.python)
    # uv's download cache is all that lands in HOME: nothing installed into any Python.
    outside_cache = [f for f in machine.home_files() if not f.startswith(".cache/uv/")]
    assert outside_cache == []
    assert site_packages(machine.python) == before


# -------------------------------------------------------------------------------- .ci/run


def ci_copy(tmp_path: Path, test_script: str) -> Path:
    """.ci/run in a project whose scripts/test.sh is `test_script`, beside a ../shared whose
    setup-validators.sh does nothing (the real one is installed already)."""
    project = tmp_path / "uvmono"
    (project / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", project / ".ci" / "run")
    (project / "scripts").mkdir()
    (project / "scripts" / "test.sh").write_text(test_script)
    tools = tmp_path / "shared" / "tools"
    tools.mkdir(parents=True)
    (tools / "setup-validators.sh").write_text("echo setup ran\n")
    return project


def dockerd_status() -> int:
    return subprocess.run(
        [str(VALIDATORS_BIN / "validators-dockerd"), "status"], capture_output=True, check=False
    ).returncode


def running_dockerd() -> None:
    if not ENV_SH.exists():
        pytest.skip("the validators are not installed: run ../shared/tools/setup-validators.sh")
    if dockerd_status() != 0:
        pytest.skip("dockerd is not running: this test only checks that .ci/run leaves it so")


@pytest.mark.parametrize("status", [0, 1, 5])
def test_ci_run_keeps_a_running_dockerd_and_exits_with_the_tests_status(
    tmp_path: Path, status: int
) -> None:
    running_dockerd()
    project = ci_copy(tmp_path, f"echo tests ran; exit {status}\n")

    proc = subprocess.run(
        ["bash", ".ci/run"], cwd=project, capture_output=True, text=True, check=False
    )

    assert proc.returncode == status, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == ["setup ran", "tests ran"]
    assert "dockerd stopped" not in proc.stdout + proc.stderr
    assert dockerd_status() == 0


def test_ci_run_stops_a_hung_suite_at_its_time_limit(tmp_path: Path) -> None:
    running_dockerd()
    project = ci_copy(tmp_path, "sleep 60\n")

    proc = subprocess.run(
        ["bash", ".ci/run"],
        cwd=project,
        env={**os.environ, "UVMONO_CI_TIMEOUT": "1s"},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )

    assert proc.returncode == 124, proc.stdout + proc.stderr
    assert dockerd_status() == 0
