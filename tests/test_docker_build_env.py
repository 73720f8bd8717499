"""The build-env stage: which local packages build against one shared, byte-compiled build
environment, and what the Dockerfile then says (docker_build_env.py). The real builds are in
tests/test_docker_build.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_dockerfile import rendered, stage
from tests.wsutil import BUILD_SYSTEM, project, virtual_root, write_tree
from uvmono import docker_build_env
from uvmono.docker_build_env import BuildEnv
from uvmono.errors import UvmonoError

HATCHLING = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n'
FLIT = '[build-system]\nrequires = ["flit_core>=3.9,<4"]\nbuild-backend = "flit_core.buildapi"\n'
SETUPTOOLS = (
    '[build-system]\nrequires = ["setuptools>=75"]\nbuild-backend = "setuptools.build_meta"\n'
)


def member(name: str, build_system: str, deps: list[str] | None = None, tail: str = "") -> str:
    text = project(name, deps or [], sources=deps or [], scripts={name: f"{name}:main"})
    return text.replace(BUILD_SYSTEM, build_system) + tail


def workspace(root: Path, members: dict[str, str], root_tail: str = "") -> Path:
    """A virtual root over svc/*, with the given pyproject.toml per member."""
    tree = {"pyproject.toml": virtual_root(["svc/*"], tail=root_tail)}
    tree.update({f"svc/{name}/pyproject.toml": text for name, text in members.items()})
    return write_tree(root, tree)


def shared_of(root: Path, names: list[str]) -> BuildEnv | None:
    return docker_build_env.shared(
        {n: docker_build_env.read_local(root, f"svc/{n}") for n in names}
    )


# ------------------------------------------------------------------------ who shares it


def test_members_of_one_known_backend_share_its_requires(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"a": member("a", HATCHLING), "b": member("b", HATCHLING)})

    assert shared_of(root, ["a", "b"]) == BuildEnv(("hatchling>=1.26",), ("a", "b"))


def test_uv_build_setuptools_and_unknown_backends_keep_their_own_builds(tmp_path: Path) -> None:
    in_tree = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    root = workspace(
        tmp_path,
        {
            "uvb": member("uvb", BUILD_SYSTEM),
            "st": member("st", SETUPTOOLS),
            "maturin": member("maturin", BUILD_SYSTEM.replace("uv_build", "maturin")),
            "intree": member("intree", in_tree),
        },
    )

    assert shared_of(root, ["uvb", "st", "maturin", "intree"]) is None


def test_build_requirements_that_hatchling_adds_keep_an_isolated_build(tmp_path: Path) -> None:
    hook = '[tool.hatch.build.targets.wheel.hooks.custom]\ndependencies = ["cowsay"]\n'
    target = "[tool.hatch.build.targets.wheel]\nrequire-runtime-dependencies = true\n"
    root = workspace(
        tmp_path,
        {
            "plain": member("plain", HATCHLING),
            "hooked": member("hooked", HATCHLING, tail=hook),
            "runtime": member("runtime", HATCHLING, tail=target),
        },
    )

    env = shared_of(root, ["plain", "hooked", "runtime"])

    assert env is not None and env.packages == ("plain",)


def test_pdm_backend_with_run_setuptools_keeps_an_isolated_build(tmp_path: Path) -> None:
    pdm = '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
    root = workspace(
        tmp_path,
        {
            "p": member("p", pdm),
            "q": member("q", pdm, tail="[tool.pdm.build]\nrun-setuptools = true\n"),
        },
    )

    env = shared_of(root, ["p", "q"])

    assert env is not None and env.packages == ("p",)


def test_the_most_common_requires_win_and_the_others_stay_isolated(tmp_path: Path) -> None:
    old = HATCHLING.replace("hatchling>=1.26", "hatchling<1.20")
    root = workspace(
        tmp_path,
        {
            "a": member("a", HATCHLING),
            "b": member("b", old),
            "c": member("c", HATCHLING),
            "f": member("f", FLIT),
        },
    )

    assert shared_of(root, ["a", "b", "c", "f"]) == BuildEnv(("hatchling>=1.26",), ("a", "c"))


def test_a_requirement_that_cannot_go_into_a_shell_word_safely_is_not_shared(
    tmp_path: Path,
) -> None:
    odd = HATCHLING.replace('"hatchling>=1.26"', '"hatchling\\\\n>=1.26"')
    root = workspace(tmp_path, {"a": member("a", odd), "b": member("b", "")})

    assert shared_of(root, ["a", "b"]) is None, "a backslash, and b has no [build-system]"


# --------------------------------------------------------------------- what is rendered


def test_the_build_and_test_stages_build_the_shared_packages_against_the_build_env(
    tmp_path: Path,
) -> None:
    root = workspace(
        tmp_path,
        {
            "app": member("app", HATCHLING, ["core"]),
            "core": member("core", BUILD_SYSTEM),
        },
    )
    text, _ = rendered(root, "app")
    env, build, test = stage(text, "build-env"), stage(text, "build"), stage(text, "test")
    pth = "/app/.venv/lib/python3.11/site-packages/_uvmono_build_env.pth"

    assert "--python /opt/uvmono/build-env/bin/python 'hatchling>=1.26'" in env
    assert "uv venv --python 3.11 /opt/uvmono/build-env" in env
    for part in (build, test):
        assert "--mount=type=bind,from=build-env,source=/opt/uvmono/build-env," in part
        assert f"echo /opt/uvmono/build-env/lib/python3.11/site-packages > {pth}" in part
        assert f"&& rm {pth}" in part
        assert part.count("--no-build-isolation-package") == 1, "app alone: core is uv_build"
        assert "--no-build-isolation-package app " in part
    assert "uv pip install --no-deps" in test and "uv pip sync" not in test
    runtime = text[text.index(" AS runtime") :]
    assert "build-env" not in runtime, "nothing of it reaches the image"


def test_build_env_isolated_renders_no_build_env(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        {"app": member("app", HATCHLING, tail='[tool.uvmono.docker]\nbuild-env = "isolated"\n')},
    )
    text, _ = rendered(root, "app")

    assert " AS build-env" not in text and "--no-build-isolation" not in text
    assert "uv pip sync" in stage(text, "test")


def test_a_workspace_of_uv_build_members_renders_no_build_env(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"app": member("app", BUILD_SYSTEM)})
    text, _ = rendered(root, "app")

    assert " AS build-env" not in text and "_uvmono_build_env" not in text


# ------------------------------------------------------------------- build constraints


def test_the_workspaces_build_constraints_reach_every_build_and_the_build_env(
    tmp_path: Path,
) -> None:
    pins = '[tool.uv]\nbuild-constraint-dependencies = ["hatchling==1.27.0", "pathspec<1"]\n'
    root = workspace(tmp_path, {"app": member("app", HATCHLING)}, root_tail=pins)
    text, _ = rendered(root, "app")
    write = (
        "printf '%s\\n' hatchling==1.27.0 'pathspec<1' > /tmp/uvmono-build-constraints.txt"
    )

    env = stage(text, "build-env")
    assert write in env and "--constraints /tmp/uvmono-build-constraints.txt" in env
    for name in ("build", "test", "dev"):
        part = stage(text, name)
        assert write in part, name
        assert "--build-constraints /tmp/uvmono-build-constraints.txt" in part, name
        assert "&& rm /tmp/uvmono-build-constraints.txt" in part, name
    assert "build-constraints" not in stage(text, "deps"), "deps.txt holds no local package"


def test_uv_toml_build_constraints_replace_the_pyprojects(tmp_path: Path) -> None:
    pins = '[tool.uv]\nbuild-constraint-dependencies = ["hatchling==1.27.0"]\n'
    root = workspace(tmp_path, {"app": member("app", HATCHLING)}, root_tail=pins)
    (root / "uv.toml").write_text('build-constraint-dependencies = ["hatchling==1.28.0"]\n')

    assert docker_build_env.constraints(root) == ("hatchling==1.28.0",)
    (root / "uv.toml").write_text("")
    assert docker_build_env.constraints(root) == (), "uv reads no [tool.uv] beside a uv.toml"


def test_a_build_constraint_that_cannot_be_written_is_an_error(tmp_path: Path) -> None:
    pins = '[tool.uv]\nbuild-constraint-dependencies = ["hatchling\\\\\\n==1"]\n'
    root = workspace(tmp_path, {"app": member("app", HATCHLING)}, root_tail=pins)

    with pytest.raises(UvmonoError) as error:
        docker_build_env.constraints(root)

    assert "tool.uv.build-constraint-dependencies" in error.value.message
    assert str(root / "pyproject.toml") in error.value.message
    assert error.value.hint
