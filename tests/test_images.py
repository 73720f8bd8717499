"""Which members get an image, and every command agreeing about it.

Given a workspace with a service (one console script), a library with several scripts and no
configured entry point, a member with several scripts and a `command`, and a plain library:
the service and the configured member get images; the library gets none, with a warning that
names it, its scripts and the key that picks one; `docker generate`, `docker commands`,
`docker bake`, `generate` and `matrix` all say the same.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from tests.gitutil import GitRepo
from tests.wsutil import project, uvmono, virtual_root, write_tree

WITH_IMAGES = {"api", "multi"}
WARNING = (
    "tools gets no image: it has 2 console scripts (lint, release) and no entry point "
    'configured; to build one, set [tool.uvmono.docker] command = ["lint"] in '
    "libs/tools/pyproject.toml"
)


def members_with_scripts(root: Path) -> Path:
    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(
                ["svc/*", "libs/*"],
                tail='[tool.uvmono]\ngenerate = ["docker", "bake"]\n'
                '[tool.uvmono.ci]\nuvmono-source = "./uvmono.whl"\n',
            ),
            "svc/api/pyproject.toml": project("api", scripts={"api": "api:main"}),
            "svc/multi/pyproject.toml": project(
                "multi",
                scripts={"multi": "multi:main", "multi-admin": "multi:admin"},
                tail='[tool.uvmono.docker]\ncommand = ["multi-admin"]\n',
            ),
            "libs/tools/pyproject.toml": project(
                "tools", scripts={"release": "tools:release", "lint": "tools:lint"}
            ),
            "libs/core/pyproject.toml": project("core"),
        },
    )


def test_several_scripts_without_a_command_get_no_image_and_a_warning(tmp_path: Path) -> None:
    root = members_with_scripts(tmp_path)

    proc = uvmono("docker", "generate", cwd=root)

    assert proc.returncode == 0, proc.stderr
    assert f"warning: {WARNING}" in proc.stderr
    written = {p.parent.name for p in root.glob("*/*/Dockerfile")}
    assert written == WITH_IMAGES


def test_generate_matrix_bake_and_commands_agree_about_which_members_have_images(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    first = repo.commit("empty")
    root = members_with_scripts(repo.path)
    repo.commit("workspace")

    generate = uvmono("generate", cwd=root)
    matrix = uvmono("matrix", "--format", "json", "--since", first, cwd=root)
    bake = uvmono("docker", "bake", "--stdout", cwd=root)
    commands = uvmono("docker", "commands", "--revision", "r1", cwd=root)

    for proc in (generate, matrix, bake, commands):
        assert proc.returncode == 0, proc.stderr
        assert f"warning: {WARNING}" in proc.stderr
    planned = json.loads(matrix.stdout)["members"]
    assert {m["package"] for m in planned} == {"api", "multi", "tools", "core"}
    from_matrix = {m["package"] for m in planned if m["image"]}
    from_generate = {p.parent.name for p in root.glob("*/*/Dockerfile")}
    from_bake = set(json.loads(bake.stdout)["target"])  # one file: printed bare, no header
    from_commands = {
        shlex.split(line)[shlex.split(line).index("-f") + 1].split("/")[1]
        for line in commands.stdout.splitlines()
    }
    assert from_matrix == from_generate == from_bake == from_commands == WITH_IMAGES


def test_naming_a_member_without_an_image_says_why(tmp_path: Path) -> None:
    root = members_with_scripts(tmp_path)

    proc = uvmono("docker", "commands", "tools", cwd=root)

    assert proc.returncode == 2
    assert f"error: {WARNING}" in proc.stderr
    assert "hint: set [tool.uvmono.docker] command" in proc.stderr


def test_image_false_silences_the_warning(tmp_path: Path) -> None:
    root = members_with_scripts(tmp_path)
    with (root / "libs/tools/pyproject.toml").open("a") as file:
        file.write("[tool.uvmono.docker]\nimage = false\n")

    proc = uvmono("docker", "generate", cwd=root)

    assert proc.returncode == 0, proc.stderr
    assert "gets no image" not in proc.stderr
