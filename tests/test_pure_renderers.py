"""Renderers are pure: a plan (and plain data) in, text out; no disk, no git, no environment.

The sample monorepo is planned first. Then every renderer module is imported again and run with
file access, `os.environ` and subprocesses forbidden: any of them would fail the test.
"""

from __future__ import annotations

import builtins
import importlib
import io
import os
import pathlib
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, NoReturn

import pytest

from tests.wsutil import SAMPLE
from uvmono import ci_env, compose_plan, files, plan
from uvmono import docker_plan as docker
from uvmono.workspace import load, lock_of

COMMANDS = {
    "uvmono.yml": "uvmono ci github",
    "docker-bake.json": "uvmono docker bake",
    "Dockerfile": "uvmono docker generate",
    "compose.yaml": "uvmono docker compose",
}
# A module another renderer imports from comes first: the importer binds what was reloaded.
RENDERERS = (
    "yamldump", "actions", "bake", "dockerfile_run", "dockerfile", "github_jobs", "github",
    "gitlab_common", "gitlab_child", "gitlab", "install", "matrix", "summary", "compose",
)  # fmt: skip


class Forbidden(Exception):
    pass


def forbidden(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise Forbidden(f"a renderer used {what}: {args[:2]!r}")

    return refuse


class ForbiddenEnviron(dict[str, str]):
    def __getitem__(self, key: str) -> NoReturn:
        raise Forbidden(f"a renderer read os.environ[{key!r}]")

    def get(self, key: str, default: Any = None) -> NoReturn:
        raise Forbidden(f"a renderer read os.environ.get({key!r})")

    def __contains__(self, key: object) -> NoReturn:
        raise Forbidden(f"a renderer asked whether {key!r} is in os.environ")

    def __iter__(self) -> Iterator[str]:
        raise Forbidden("a renderer iterated over os.environ")


def forbid_io(patch: pytest.MonkeyPatch) -> None:
    for module, name in [(builtins, "open"), (io, "open"), (os, "listdir"), (os, "scandir")]:
        patch.setattr(module, name, forbidden(f"{module.__name__}.{name}"))
    for name in PATH_METHODS:
        patch.setattr(pathlib.Path, name, forbidden(f"Path.{name}"))
    for name in ("run", "Popen", "check_output", "call"):
        patch.setattr(subprocess, name, forbidden(f"subprocess.{name}"))
    patch.setattr(os, "environ", ForbiddenEnviron())


PATH_METHODS = (
    "open", "read_text", "read_bytes", "exists", "is_file", "is_dir", "iterdir", "glob",
    "rglob", "stat", "resolve", "write_text", "write_bytes",
)  # fmt: skip


def test_io_is_forbidden_inside_the_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patched:
        forbid_io(patched)
        attempts: list[Callable[[], object]] = [
            lambda: builtins.open(SAMPLE / "pyproject.toml"),  # noqa: PTH123, SIM115
            lambda: (SAMPLE / "pyproject.toml").read_text(),
            lambda: (SAMPLE / ".git").exists(),
            lambda: os.environ.get("HOME"),
            lambda: subprocess.run(["git", "status"], check=False),
        ]
        for attempt in attempts:
            with pytest.raises(Forbidden):
                attempt()
    assert (SAMPLE / "pyproject.toml").is_file()


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    ws = load(SAMPLE)
    lock = lock_of(ws)
    ci = ci_env.read(SAMPLE, {})
    names = docker.image_members(ws)
    return {
        "files_plan": plan.build(ws, lock, None, ws.settings, ci),
        "run_plan": plan.make_plan(ws, list(ws.members), {n: ["changed"] for n in ws.members}),
        "inputs": docker.inputs(ws, names, lock),
        "targets": docker.bake_targets(ws, plan.build_order(ws, names)),
        "services": compose_plan.services(ws),
        "committed": {
            path: (SAMPLE / path).read_text(encoding="utf-8")
            for path in (".github/workflows/uvmono.yml", "docker-bake.json", "compose.yaml")
        }
        | {
            i.dockerfile: (SAMPLE / i.dockerfile).read_text(encoding="utf-8")
            for i in docker.inputs(ws, names, lock)
        },
    }


def test_renderers_render_the_sample_plan_with_io_forbidden(
    sample: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        forbid_io(patched)
        modules = {
            name: importlib.reload(importlib.import_module(f"uvmono.render.{name}"))
            for name in RENDERERS
        }
        github, gitlab, matrix = modules["github"], modules["gitlab"], modules["matrix"]
        files_plan, run_plan = sample["files_plan"], sample["run_plan"]
        rendered = {
            ".github/workflows/uvmono.yml": github.workflow(github.options(files_plan)),
            "docker-bake.json": modules["bake"].render_bake(sample["targets"]),
            "compose.yaml": modules["compose"].render_compose(sample["services"]),
            **{i.dockerfile: modules["dockerfile"].render_dockerfile(i) for i in sample["inputs"]},
        }
        for i in sample["inputs"]:
            modules["dockerfile"].render_dockerignore(i)
        parent = gitlab.parent_pipeline(gitlab.parent_options(files_plan, ".gitlab-ci.yml"))
        child = gitlab.child_pipeline(run_plan)
        tests = matrix.test_jobs(run_plan, matrix.GITHUB_MAX_JOBS)
        images = matrix.image_jobs(run_plan, matrix.GITHUB_MAX_JOBS)
        summary = modules["summary"].step_summary(
            run_plan,
            base_source="test",
            changed_files=1,
            directly_changed=set(),
            workspace_members=len(run_plan.entries),
            test_jobs=len(tests),
            image_jobs=len(images),
            mermaid=None,
        )
        steps = modules["install"].install_steps(files_plan.uvmono)

    for path, body in rendered.items():
        command = COMMANDS[Path(path).name]
        syntax: Literal["hash", "json"] = "json" if path.endswith(".json") else "hash"
        assert (
            files.render(files.Artifact(path, body, command, syntax)) == sample["committed"][path]
        )
    assert "uvmono-plan" in parent and "build-image" in child
    assert tests and images and "acme-api" in summary and steps
