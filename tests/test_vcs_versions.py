"""Local packages versioned from git: which variable each plugin reads its version from, and
the build arguments and commands the Dockerfile hands it over with (vcs_versions.py). The real
build is in tests/test_docker_build.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.test_dockerfile import rendered, stage
from tests.validators import require
from tests.wsutil import BUILD_SYSTEM, project, virtual_root, write_tree
from uvmono import docker_build_env, vcs_versions

HATCH_VCS = (
    '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
    # the repository's root two levels up, as a member of a monorepo says
    '[tool.hatch.version]\nsource = "vcs"\nraw-options = { root = "../.." }\n'
)
UV_DYNAMIC = (
    '[build-system]\nrequires = ["hatchling", "uv-dynamic-versioning"]\n'
    'build-backend = "hatchling.build"\n[tool.hatch.version]\nsource = "uv-dynamic-versioning"\n'
)
SETUPTOOLS_SCM = (
    '[build-system]\nrequires = ["setuptools>=64", "setuptools_scm>=8"]\n'
    'build-backend = "setuptools.build_meta"\n'
)
PDM_SCM = (
    '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
    '[tool.pdm.version]\nsource = "scm"\n'
)
POETRY_DYNAMIC = (
    '[build-system]\nrequires = ["poetry-core>=1", "poetry-dynamic-versioning>=1,<2"]\n'
    'build-backend = "poetry_dynamic_versioning.backend"\n'
)


def variables(root: Path, paths: list[str]) -> tuple[str, ...]:
    """The variables the packages at `paths` read their version from instead of git."""
    return vcs_versions.versioned({p: docker_build_env.read_local(root, p) for p in paths})[0]


def dynamic(name: str, build_system: str) -> str:
    text = project(name, scripts={name: f"{name}:main"}).replace(BUILD_SYSTEM, build_system)
    return text.replace('version = "0.1.0"\n', 'dynamic = ["version"]\n')


@pytest.mark.parametrize(
    ("build_system", "variable"),
    [
        (HATCH_VCS, vcs_versions.SETUPTOOLS_SCM),
        (UV_DYNAMIC, vcs_versions.UV_DYNAMIC),
        (SETUPTOOLS_SCM, vcs_versions.SETUPTOOLS_SCM),
        (PDM_SCM, vcs_versions.PDM_SCM),
        (POETRY_DYNAMIC, vcs_versions.POETRY_DYNAMIC),
    ],
)
def test_each_plugin_is_handed_its_version_through_its_own_variable(
    tmp_path: Path, build_system: str, variable: str
) -> None:
    write_tree(tmp_path, {"pkg/pyproject.toml": dynamic("pkg", build_system)})

    assert variables(tmp_path, ["pkg"]) == (variable,)


def test_a_static_version_or_a_version_from_a_file_needs_none(tmp_path: Path) -> None:
    from_file = HATCH_VCS.replace('source = "vcs"', 'path = "src/pkg/__init__.py"')
    write_tree(
        tmp_path,
        {
            "static/pyproject.toml": project("static").replace(BUILD_SYSTEM, HATCH_VCS),
            "file/pyproject.toml": dynamic("file", from_file),
            "uvb/pyproject.toml": dynamic("uvb", BUILD_SYSTEM),
        },
    )

    assert variables(tmp_path, ["static", "file", "uvb", "missing"]) == ()


def test_the_stages_that_build_take_the_version_from_the_build_arguments(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": dynamic("app", HATCH_VCS),
        },
    )
    text, _ = rendered(root, "app")

    for name in ("build", "test", "dev"):
        part = stage(text, name)
        assert 'ARG VCS_VERSION=""\nARG REVISION=""\nRUN ' in part, name
        assert 'export SETUPTOOLS_SCM_PRETEND_VERSION="${version:-0.0.0+unknown}"' in part, name
        assert " --refresh-package app " in part, "uv's cache knows nothing of the version"
    for name in ("lock", "deps", "runtime"):
        assert "VCS_VERSION" not in stage(text, name), name


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({}, "0.0.0+unknown"),
        ({"REVISION": "57394b0548d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5"}, "0.0.0+g57394b0548d1"),
        ({"REVISION": "57394b0548d1", "VCS_VERSION": "2.0.0rc1"}, "2.0.0rc1"),
    ],
)
def test_the_version_is_the_argument_else_the_revision_else_unknown(
    arguments: dict[str, str], expected: str
) -> None:
    script = " && ".join(
        [*vcs_versions.exports([vcs_versions.UV_DYNAMIC]), 'echo "$UV_DYNAMIC_VERSIONING_BYPASS"']
    )
    proc = subprocess.run(
        [require("sh"), "-c", script],
        env={"PATH": "/usr/bin:/bin", **arguments},
        capture_output=True,
        text=True,
        check=True,
    )

    assert proc.stdout == f"{expected}\n"


def test_hadolint_finds_nothing_with_a_build_env_build_constraints_and_a_version_from_git(
    tmp_path: Path,
) -> None:
    hadolint = require("hadolint")
    pins = '[tool.uv]\nbuild-constraint-dependencies = ["hatchling==1.27.0", "hatch-vcs<1"]\n'
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["svc/*"], tail=pins),
            "svc/app/pyproject.toml": dynamic("app", HATCH_VCS),
        },
    )
    text, _ = rendered(root, "app")
    assert " AS build-env" in text and "VCS_VERSION" in text and "build-constraints" in text
    (tmp_path / "Dockerfile").write_text(text)

    proc = subprocess.run(
        [hadolint, "--no-color", str(tmp_path / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
