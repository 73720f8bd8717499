#!/usr/bin/env python3
"""Try uvmono's generated images on real uv workspaces: generate, build, run.

    source /opt/uvmono-validators/env.sh
    .venv/bin/python scripts/field_test.py [--image NAME ...] [--keep] CHECKOUT [CHECKOUT ...]

Each CHECKOUT is a directory holding a real uv workspace at its top (a `git worktree`, a `git
archive` of a fetched mirror, a clone). A missing one is reported as skipped, and the script
still exits 0 when every checkout is skipped: it needs checkouts this repository does not ship,
so it stays out of `.ci/run`; each lesson it taught is a small synthetic test in tests/.

For each checkout, in a copy under a temporary directory (the checkout is never written): `uvmono
members`, `uvmono docker generate`, then for each image (all, or the `--image` ones) `docker
build` from the workspace root with `--build-arg REVISION=<the checkout's commit, when it is a
git work tree>` and `docker run --rm IMAGE --help`. It prints one line per image: built or
not (with the last error line of the build), how long it took, the image's size, the exit code
and first line of `--help`. The exit status is 1 when an image did not build, else 0.
`$UVMONO_DOCKER_BUILD_ARGS` is passed to every build (`--network=host` here).

Found this way on 2026-12-01 (and fixed, each with its test): the workspace's build constraints
were ignored (modelcontextprotocol/python-sdk pins hatchling), a member inside an unneeded
member was left out of the context (python-sdk's `examples/servers/*`), and packages versioned
from git failed without git (python-sdk, pydantic-ai).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", "node_modules")


def uvmono(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`uvmono ARGS` from the workspace root (the paths it prints are relative to it)."""
    command = [sys.executable, "-m", "uvmono", *args]
    return subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False, timeout=600
    )


def revision(checkout: Path) -> str | None:
    proc = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def images(root: Path) -> list[tuple[str, str]]:
    """(member, Dockerfile) of every image, as `docker commands` lists them."""
    proc = uvmono(root, "docker", "commands", "--revision", "0" * 40)  # the copy has no .git
    found = []
    for line in proc.stdout.splitlines():
        words = shlex.split(line)
        if words[:2] == ["docker", "build"] and "-f" in words and "-t" in words:
            tag = words[words.index("-t") + 1]
            found.append((tag.rsplit(":", 1)[0].rsplit("/", 1)[-1], words[words.index("-f") + 1]))
    return found


def last_error(log: str) -> str:
    """The build's own last error line (a Python exception, uv's `error:`), else its last line;
    not BuildKit's `ERROR: process …`, which only repeats the command."""
    lines = log.strip().splitlines() or [""]
    errors = [
        line.split(" ", 2)[-1].strip()
        for line in lines
        if "error" in line.lower()
        and "ERROR: process" not in line
        and "failed to solve" not in line
    ]
    return (errors[-1] if errors else lines[-1])[:160]


def try_checkout(checkout: Path, wanted: set[str], keep: bool) -> list[str]:
    """Lines to print; an image that did not build starts its line with `FAILED`."""
    if not (checkout / "pyproject.toml").is_file():
        return [f"skip {checkout}: no checkout there (no pyproject.toml)"]
    work = Path(tempfile.mkdtemp(prefix="uvmono-field-"))
    root = work / checkout.name
    shutil.copytree(checkout, root, ignore=IGNORED, symlinks=True)
    lines = [f"{checkout} (copied to {root})"]
    members = uvmono(root, "members")
    lines.append(f"  members: {len(members.stdout.splitlines())} (exit {members.returncode})")
    generated = uvmono(root, "docker", "generate", "--force")
    if generated.returncode != 0:
        return [*lines, f"FAILED uvmono docker generate: {last_error(generated.stderr)}"]
    commit = revision(checkout)
    extra = shlex.split(os.environ.get("UVMONO_DOCKER_BUILD_ARGS", ""))
    for name, dockerfile in images(root):
        if wanted and name not in wanted:
            continue
        tag = f"uvmono-field/{name}:latest"
        argv = ["docker", "build", "--progress=plain", *extra, "-f", str(root / dockerfile)]
        argv += ["-t", tag]
        if commit:
            argv += ["--build-arg", f"REVISION={commit}"]
        started = time.monotonic()
        built = subprocess.run([*argv, str(root)], capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if built.returncode != 0:
            lines.append(f"FAILED {name}: {seconds:.1f} s, {last_error(built.stderr)}")
            continue
        size = subprocess.run(
            ["docker", "image", "inspect", "--format", "{{.Size}}", tag],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        ran = subprocess.run(
            ["docker", "run", "--rm", tag, "--help"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        first = (ran.stdout or ran.stderr).strip().splitlines()[:1] or [""]
        megabytes = int(size) / 1e6 if size.isdigit() else 0.0
        lines.append(
            f"  ok {name}: built in {seconds:.1f} s, {megabytes:.1f} MB; "
            f"--help exits {ran.returncode}: {first[0][:100]}"
        )
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="real uv workspaces")
    parser.add_argument("--image", action="append", default=[], help="only this image")
    parser.add_argument("--keep", action="store_true", help="keep the copies")
    options = parser.parse_args()
    if shutil.which("docker") is None:
        print("skip: no docker here (source /opt/uvmono-validators/env.sh)")
        return 0
    failed = False
    for checkout in options.checkouts:
        for line in try_checkout(checkout.resolve(), set(options.image), options.keep):
            print(line, flush=True)
            failed = failed or line.startswith("FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
