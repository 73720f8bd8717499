"""Per-member Dockerfiles, .dockerignore files, bake file and build commands, without Docker.

The sample's files are golden-tested (UVMONO_UPDATE_GOLDEN=1 rewrites them) and linted by the
real hadolint; small workspaces show what each setting writes, that what comes from names,
paths and settings cannot change what a Dockerfile does, and the errors for images that
cannot be built. `tests/test_docker_build.py` builds and runs the images.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.conftest import assert_golden
from tests.gitutil import GitRepo
from tests.validators import require
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono import docker_plan as docker
from uvmono import files, workspace
from uvmono.commands import docker as docker_command
from uvmono.errors import UvmonoError
from uvmono.render.dockerfile import render_dockerfile, render_dockerignore

IMAGES = {"acme-api": "services/api", "acme-worker": "services/worker", "acme-cli": "tools/cli"}


def sample_artifacts() -> list[files.Artifact]:
    ws = workspace.load(SAMPLE)
    return [*docker_command.artifacts(ws), *docker_command.bake_artifacts(ws)]


def inputs_of(ws: workspace.Workspace, names: list[str]) -> list[docker.DockerInputs]:
    return docker.inputs(ws, names, workspace.lock_of(ws))


def rendered(root: Path, name: str) -> tuple[str, str]:
    """(Dockerfile, .dockerignore) of member `name`, without the header."""
    (inputs,) = inputs_of(workspace.load(root), [name])
    return render_dockerfile(inputs), render_dockerignore(inputs)


def stage(dockerfile: str, name: str) -> str:
    """The lines of one stage, from its FROM line to the next blank line."""
    start = next(i for i, line in enumerate(dockerfile.split("\n")) if line.endswith(f" AS {name}"))
    lines = dockerfile.split("\n")[start:]
    return "\n".join(lines[: lines.index("")]) if "" in lines else "\n".join(lines)


def service(
    root: Path,
    member: str = "",
    docker_settings: str = "",
    root_tail: str = "",
    scripts: Mapping[str, str] | None = None,
) -> Path:
    """svc/app (console script `app`, needs libs/core), libs/core, libs/other (unrelated)."""
    tail = f"[tool.uvmono.docker]\n{docker_settings}" if docker_settings else ""
    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["svc/*", "libs/*"], tail=root_tail + tail),
            "svc/app/pyproject.toml": project(
                "app",
                ["core"],
                sources=["core"],
                scripts=scripts or {"app": "app:main"},
                tail=member,
            ),
            "libs/core/pyproject.toml": project("core"),
            "libs/other/pyproject.toml": project("other"),
        },
    )


# ---------------------------------------------------------------------- the sample, golden


@pytest.mark.parametrize("path", [a.path for a in sample_artifacts()])
def test_the_sample_files_match_their_golden_files(path: str) -> None:
    (artifact,) = [a for a in sample_artifacts() if a.path == path]
    assert_golden(SAMPLE / path, files.render(artifact))


def test_the_sample_gets_an_image_for_each_member_with_a_console_script() -> None:
    paths = sorted(a.path for a in sample_artifacts())

    assert paths == sorted(
        [f"{p}/Dockerfile" for p in IMAGES.values()]
        + [f"{p}/Dockerfile.dockerignore" for p in IMAGES.values()]
        + ["docker-bake.json"]
    )


def test_the_committed_sample_files_are_current() -> None:
    assert files.check(SAMPLE, sample_artifacts()) == []


def test_hadolint_finds_nothing_in_any_generated_dockerfile(tmp_path: Path) -> None:
    hadolint = require("hadolint")
    kitchen_sink(tmp_path / "ks")
    dockerfiles = [SAMPLE / f"{p}/Dockerfile" for p in IMAGES.values()]
    (artifact, _) = docker_command.artifacts(workspace.load(tmp_path / "ks"))
    dockerfiles.append(tmp_path / "ks.Dockerfile")
    dockerfiles[-1].write_text(files.render(artifact))

    for dockerfile in dockerfiles:
        proc = subprocess.run(
            [hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), dockerfile


# ------------------------------------------------------------------------ what is written


def test_the_third_party_layer_sees_no_source_and_uv_lock_only_through_the_lock_stage() -> None:
    (inputs,) = inputs_of(workspace.load(SAMPLE), ["acme-api"])
    deps_step = stage(render_dockerfile(inputs), "deps")

    assert deps_step.startswith("FROM base AS deps\n") and "COPY" not in deps_step
    assert "uv venv --python 3.11 /app/.venv" in deps_step
    assert "from=lock,source=/uvmono/requirements/deps.txt" in deps_step
    assert "uv.lock" not in deps_step and "pyproject.toml" not in deps_step
    assert "--mount=type=cache,target=/root/.cache/uv" in deps_step


def test_the_members_are_built_alone_without_their_dependencies_into_their_own_venv() -> None:
    (inputs,) = inputs_of(workspace.load(SAMPLE), ["acme-api"])
    build = stage(render_dockerfile(inputs), "build")

    assert build.startswith("FROM base AS build\n"), "not over the deps venv: compiles only them"
    assert "from=lock,source=/uvmono/requirements/local.txt" in build
    assert "uv venv --python 3.11 /app/.venv" in build
    install = build[build.index("uv pip install") :]
    assert "--no-deps" in install and "deps.txt" not in build


def test_the_lock_stage_exports_from_the_root_files_and_the_members_own_pyproject() -> None:
    (inputs,) = inputs_of(workspace.load(SAMPLE), ["acme-api"])
    lock = stage(render_dockerfile(inputs), "lock")

    binds = [w for w in lock.split() if w.startswith("--mount=")]
    assert binds == [
        "--mount=type=bind,source=pyproject.toml,target=pyproject.toml",
        "--mount=type=bind,source=uv.lock,target=uv.lock",
        "--mount=type=bind,source=services/api/pyproject.toml,target=services/api/pyproject.toml",
    ]
    assert "RUN --network=none " in lock, "uv export --frozen reads uv.lock alone"
    assert lock.count("uv export --frozen --package acme-api") == 3
    assert "--no-dev --no-emit-local" in lock and "--all-groups --no-editable" in lock
    assert "/uvmono/requirements/app.txt > /uvmono/requirements/local.txt" in lock


def test_uvs_documented_docker_settings_are_there() -> None:
    text, _ = rendered(SAMPLE, "acme-worker")

    for setting in ("UV_COMPILE_BYTECODE=1", "UV_LINK_MODE=copy", "UV_PYTHON_DOWNLOADS=0"):
        assert setting in text
    assert text.startswith("# The image of acme-worker"), "no `# syntax=` line by default"
    assert "FROM ghcr.io/astral-sh/uv:0.13.9 AS uv" in text
    assert stage(text, "base").startswith("FROM python:3.11-slim-trixie AS base")
    assert stage(text, "runtime").startswith("FROM python:3.11-slim-trixie AS runtime")


def test_the_runtime_stage_copies_the_venv_alone_and_runs_as_a_numeric_user() -> None:
    text, _ = rendered(SAMPLE, "acme-api")
    runtime = text[text.index(" AS runtime") :]

    assert [line for line in runtime.split("\n") if line.startswith("COPY")] == [
        "COPY --from=deps /app/.venv /app/.venv",
        "COPY --from=build /app/.venv /app/.venv",
    ], "the third-party packages, then the members' files over them"
    assert "uv " not in runtime.replace("uv export", "")
    assert "USER 10001:10001" in runtime
    assert 'ENTRYPOINT ["/app/.venv/bin/acme-api"]' in runtime
    assert 'ENV PATH="/app/.venv/bin:$PATH"' in runtime and "PYTHONUNBUFFERED=1" in runtime
    assert runtime.rstrip().endswith('org.opencontainers.image.revision="${REVISION}"')
    assert text.rstrip().split("\n")[-1].startswith("      org.opencontainers"), "labels last"


def test_each_image_copies_only_the_members_it_needs() -> None:
    copies = {}
    for name in IMAGES:
        text, _ = rendered(SAMPLE, name)
        copies[name] = [
            line for line in stage(text, "build").split("\n") if line.startswith("COPY")
        ]

    assert copies == {
        "acme-api": [
            "COPY libs/core libs/core",
            "COPY libs/events libs/events",
            "COPY libs/storage libs/storage",
            "COPY services/api services/api",
        ],
        "acme-worker": [
            "COPY libs/core libs/core",
            "COPY libs/events libs/events",
            "COPY libs/storage libs/storage",
            "COPY services/worker services/worker",
        ],
        "acme-cli": ["COPY libs/core libs/core", "COPY tools/cli tools/cli"],
    }


def test_the_test_stage_adds_what_the_groups_need_and_runs_the_tests() -> None:
    text, ignore = rendered(SAMPLE, "acme-api")
    test = stage(text, "test")

    assert "COPY services/worker services/worker" in test, "the integration group needs it"
    assert "/uvmono/requirements/test.txt" in test
    assert test.endswith('WORKDIR /app/services/api\nRUN ["/bin/sh", "-c", "pytest"]')
    assert "!services/worker" in ignore.split("\n")


def test_the_dockerignore_keeps_the_context_to_what_the_image_needs() -> None:
    _, ignore = rendered(SAMPLE, "acme-cli")
    rules = [line for line in ignore.split("\n") if line and not line.startswith("#")]

    assert rules[:5] == ["*", "!pyproject.toml", "!uv.lock", "!libs/core", "!tools/cli"]
    assert "tools/cli/Dockerfile" in rules and "tools/cli/Dockerfile.dockerignore" in rules
    assert "**/.venv" in rules and "**/__pycache__" in rules
    assert not [r for r in rules if "storage" in r or "services" in r]


def test_an_unneeded_member_nested_in_a_needed_one_stays_out_of_the_context(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["app", "app/plugins/*"]),
            "app/pyproject.toml": project("app", scripts={"app": "app:main"}),
            "app/plugins/extra/pyproject.toml": project("extra", ["app"], sources=["app"]),
        },
    )

    _, ignore = rendered(tmp_path, "app")

    rules = [line for line in ignore.split("\n") if line and not line.startswith("#")]
    assert rules.index("!app") < rules.index("app/plugins/extra")


def test_the_root_as_a_member_copies_the_context_minus_the_members_it_does_not_need(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": project(
                "root-app",
                ["core"],
                sources=["core"],
                scripts={"root-app": "root_app:main"},
                tail='[tool.uv.workspace]\nmembers = ["libs/*"]\n',
            ),
            "libs/core/pyproject.toml": project("core"),
            "libs/other/pyproject.toml": project("other"),
        },
    )

    text, ignore = rendered(tmp_path, "root-app")

    assert "COPY . .\n" in stage(text, "build")
    rules = [line for line in ignore.split("\n") if line and not line.startswith("#")]
    assert "*" not in rules and "libs/other" in rules and "libs/core" not in rules
    assert "Dockerfile" in rules and "Dockerfile.dockerignore" in rules


def nested_in_unneeded(root: Path) -> Path:
    """modelcontextprotocol/python-sdk's shape: the root is a member, `examples` is one, and
    the image's member sits inside `examples` but does not need it."""
    return write_tree(
        root,
        {
            # the root's sources, as there: uv reads a member nested in another member's
            # directory as a project of its own, which cannot name the workspace
            "pyproject.toml": project(
                "sdk",
                tail='[tool.uv.workspace]\nmembers = ["examples", "examples/servers/*"]\n'
                '[tool.uv.sources]\nsdk = { workspace = true }\n',
            ),
            "examples/pyproject.toml": project("stories", ["sdk"]),
            "examples/servers/tool/pyproject.toml": project(
                "tool", ["sdk"], scripts={"tool": "tool:main"}
            ),
        },
    )


def test_a_needed_member_inside_an_unneeded_one_is_let_back_into_the_context(
    tmp_path: Path,
) -> None:
    _, ignore = rendered(nested_in_unneeded(tmp_path), "tool")

    rules = [line for line in ignore.split("\n") if line and not line.startswith("#")]
    assert rules.index("examples") < rules.index("!examples/servers/tool")
    assert rules.index("!examples/servers/tool") < rules.index("examples/servers/tool/Dockerfile")


def test_the_extras_an_image_names_are_exported_in_every_list(tmp_path: Path) -> None:
    member = (
        '[project.optional-dependencies]\nCLI = ["six"]\n'
        '[tool.uvmono.docker]\nextras = ["CLI"]\n'
    )
    root = service(tmp_path, member)

    text, _ = rendered(root, "app")

    lock = stage(text, "lock")
    assert lock.count("uv export --frozen --package app --quiet --no-header --no-annotate "
                      "--extra cli ") == 3, lock  # fmt: skip
    assert "--package app --extra cli --all-groups" in stage(text, "dev")


def test_the_roots_extras_are_the_root_members_and_no_other_members(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": project("sdk", scripts={"sdk": "sdk:main"})
            + '[project.optional-dependencies]\ncli = ["six"]\n'
            '[tool.uv.workspace]\nmembers = ["tools/*"]\n'
            '[tool.uvmono.docker]\nextras = ["cli"]\n',
            "tools/tool/pyproject.toml": project("tool", scripts={"tool": "tool:main"}),
        },
    )

    root_text, _ = rendered(tmp_path, "sdk")
    tool_text, _ = rendered(tmp_path, "tool")  # no error: tool has no `cli` extra

    assert stage(root_text, "lock").count("--extra cli") == 3
    assert "--extra" not in tool_text


def test_an_extra_the_member_does_not_define_is_an_error(tmp_path: Path) -> None:
    root = service(tmp_path, '[tool.uvmono.docker]\nextras = ["cli"]\n')

    with pytest.raises(UvmonoError) as error:
        rendered(root, "app")

    assert "`tool.uvmono.docker.extras`" in error.value.message
    assert "svc/app/pyproject.toml" in error.value.message and "'cli'" in error.value.message
    assert error.value.hint and "optional-dependencies" in error.value.hint


def test_settings_reach_their_stages(tmp_path: Path) -> None:
    root = kitchen_sink(tmp_path)
    text, ignore = rendered(root, "app")
    build, runtime = stage(text, "build"), text[text.index(" AS runtime") :]

    assert text.startswith("# syntax=docker/dockerfile:1.7\n")
    assert "apt-get install --yes --no-install-recommends gcc" in build
    assert "--mount=type=cache,target=/var/lib/apt/lists,sharing=locked" in build
    assert "apt-get install --yes --no-install-recommends curl=7.88.1-10+deb12u8 libpq5" in runtime
    assert "COPY extra/settings.toml /app/extra/settings.toml" in runtime
    assert "EXPOSE 8080 9090" in runtime
    assert 'HEALTHCHECK CMD ["/bin/sh", "-c", "python -c \'import app\' || exit 1"]' in runtime
    assert 'ENTRYPOINT ["app", "--port", "8080"]' in runtime
    assert "USER 4242:4242" in runtime
    assert 'org.opencontainers.image.source="https://github.com/acme/repo"' in runtime
    assert "FROM python:3.11-slim-trixie AS base" in text
    assert "FROM ghcr.io/astral-sh/uv:0.9.18 AS uv" in text
    assert "!extra/settings.toml" in ignore.split("\n")


def test_private_index_credentials_arrive_only_as_secrets(tmp_path: Path) -> None:
    root = kitchen_sink(tmp_path)
    text, _ = rendered(root, "app")

    secret_ids = ["uv-index-acme-private-username", "uv-index-acme-private-password"]
    for secret in secret_ids:
        assert text.count(f"--mount=type=secret,id={secret} ") == 4, "deps, build, test, dev"
    assert (
        'UV_INDEX_ACME_PRIVATE_PASSWORD="$(cat /run/secrets/uv-index-acme-private-password)"'
        in text
    )
    assert "ARG UV_" not in text and "ENV UV_INDEX" not in text
    assert (
        "PASSWORD" not in stage(text, "lock")
        and "PASSWORD" not in text[text.index(" AS runtime") :]
    )
    commands = docker_command.commands(
        workspace.load(root), ["app"], cwd=root, tags=[], revision="r1"
    )
    assert (
        "--secret id=uv-index-acme-private-password,env=UV_INDEX_ACME_PRIVATE_PASSWORD" in commands
    )
    (bake,) = docker_command.bake_artifacts(workspace.load(root))
    assert json.loads(bake.body)["target"]["app"]["secret"] == [
        "id=uv-index-acme-private-username,env=UV_INDEX_ACME_PRIVATE_USERNAME",
        "id=uv-index-acme-private-password,env=UV_INDEX_ACME_PRIVATE_PASSWORD",
    ]


def kitchen_sink(root: Path) -> Path:
    """Every setting at once, including a private index."""
    root_tail = (
        '[[tool.uv.index]]\nname = "acme-private"\nurl = "https://pypi.org/simple"\n'
        "explicit = true\n"
        "[tool.uvmono]\n"
        'python = "3.11"\n'
    )
    settings = (
        'indexes = ["acme-private"]\n'
        'syntax = "docker/dockerfile:1.7"\n'
        'source-url = "https://github.com/acme/repo"\n'
        'base-image = "python:{python}-slim-trixie"\n'
        'uv-version = "0.9.18"\n'
        "user-id = 4242\n"
        'platforms = ["linux/amd64", "linux/arm64"]\n'
        'cache-from = ["type=registry,ref=ghcr.io/acme/cache:{name}"]\n'
        'cache-to = ["type=registry,ref=ghcr.io/acme/cache:{name},mode=max"]\n'
        "attestations = true\n"
        'registry = "ghcr.io/acme"\n'
    )
    member = (
        "[tool.uvmono.docker]\n"
        'command = ["app", "--port", "8080"]\n'
        "ports = [8080, 9090]\n"
        "healthcheck = \"python -c 'import app' || exit 1\"\n"
        'system-packages = ["libpq5", "curl=7.88.1-10+deb12u8"]\n'
        'build-packages = ["gcc"]\n'
        'extra-files = ["extra/settings.toml"]\n'
    )
    service(root, member, settings, root_tail)
    write_tree(root, {"extra/settings.toml": "debug = false\n"})
    return root


# ----------------------------------------------------------------- commands and bake file


def test_commands_list_each_image_in_dependency_order_from_the_workspace_root() -> None:
    ws = workspace.load(SAMPLE)
    names = docker.image_members(ws)

    out = docker_command.commands(ws, names, cwd=SAMPLE, tags=[], revision="0123abc")

    # acme-api's integration group needs acme-worker: the worker comes first.
    assert out.splitlines() == [
        f"docker build -f {path}/Dockerfile -t {name}:latest --build-arg REVISION=0123abc ."
        for name, path in (
            ("acme-worker", "services/worker"),
            ("acme-api", "services/api"),
            ("acme-cli", "tools/cli"),
        )
    ]


def test_commands_quote_every_word_for_the_shell(tmp_path: Path) -> None:
    ws = workspace.load(SAMPLE)
    odd = tmp_path / "a dir"
    odd.mkdir()

    out = docker_command.commands(
        ws, ["acme-cli"], cwd=odd, tags=["v1", "sha-1"], revision="$(reboot) 'x'"
    )

    words = shlex.split(out)
    assert words[:4] == [
        "docker",
        "build",
        "-f",
        os.path.relpath(SAMPLE, odd) + "/tools/cli/Dockerfile",
    ]
    assert words[words.index("--build-arg") + 1] == "REVISION=$(reboot) 'x'"
    assert [words[i + 1] for i, w in enumerate(words) if w == "-t"] == [
        "acme-cli:v1",
        "acme-cli:sha-1",
    ]
    assert words[-1] == os.path.relpath(SAMPLE, odd)


def test_commands_label_the_images_with_the_commit_checked_out_or_the_one_given(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = service(repo.path)
    outside = service(tmp_path / "outside")
    head = repo.commit("workspace")

    def revisions(root: Path, *args: str, env: Mapping[str, str] | None = None) -> list[str]:
        proc = uvmono("docker", "commands", *args, cwd=root, env={"REVISION": "", **(env or {})})
        assert proc.returncode == 0, proc.stderr
        words = shlex.split(proc.stdout)
        return [words[i + 1] for i, w in enumerate(words) if w == "--build-arg"]

    assert revisions(root) == [f"REVISION={head}"]
    assert revisions(root, env={"REVISION": "from-env"}) == ["REVISION=from-env"]
    assert revisions(root, "--revision", "v1.2") == ["REVISION=v1.2"]
    assert revisions(outside, "--revision", "v1.2") == ["REVISION=v1.2"]
    refused = uvmono("docker", "commands", cwd=outside, env={"REVISION": ""})
    assert refused.returncode == 2
    assert "error: no revision for the images' org.opencontainers.image.revision label" in (
        refused.stderr
    )
    assert 'hint: pass the revision, e.g. --revision "$(git rev-parse HEAD)"' in refused.stderr


def test_the_bake_file_has_a_target_per_image_and_a_default_group() -> None:
    (artifact,) = docker_command.bake_artifacts(workspace.load(SAMPLE))
    data = json.loads(files.render(artifact))

    assert next(iter(data)) == "//" and "uvmono docker bake" in data["//"]
    assert data["group"]["default"]["targets"] == ["acme-worker", "acme-api", "acme-cli"]
    assert data["target"]["acme-api"] == {
        "context": ".",
        "dockerfile": "services/api/Dockerfile",
        "target": "runtime",
        "tags": ["acme-api:${TAG}"],
        "args": {"REVISION": "${REVISION}"},
    }


def test_bake_settings_reach_each_target(tmp_path: Path) -> None:
    (artifact,) = docker_command.bake_artifacts(workspace.load(kitchen_sink(tmp_path)))
    target = json.loads(artifact.body)["target"]["app"]

    assert target["tags"] == ["ghcr.io/acme/app:${TAG}"]
    assert target["platforms"] == ["linux/amd64", "linux/arm64"]
    assert target["cache-from"] == ["type=registry,ref=ghcr.io/acme/cache:app"]
    assert target["cache-to"] == ["type=registry,ref=ghcr.io/acme/cache:app,mode=max"]
    assert target["attest"] == ["type=sbom", "type=provenance,mode=max"]


# ------------------------------------------------------------------------------------ CLI


def test_generate_writes_checks_and_refuses_like_every_generated_file(tmp_path: Path) -> None:
    root = service(tmp_path)

    first = uvmono("docker", "generate", cwd=root, check=True)
    again = uvmono("docker", "generate", "--dry-run", cwd=root, check=True)
    (root / "svc/app/Dockerfile").write_text("FROM scratch\n")
    refused = uvmono("docker", "generate", cwd=root)
    forced = uvmono("docker", "generate", "--force", cwd=root, check=True)

    assert first.stdout == "create svc/app/Dockerfile\ncreate svc/app/Dockerfile.dockerignore\n"
    assert "does not exist: the images build from it (run `uv lock`)" in first.stderr
    assert again.stdout == (
        "unchanged svc/app/Dockerfile\nunchanged svc/app/Dockerfile.dockerignore\n"
    )
    assert refused.returncode == 2 and "was not generated by uvmono" in refused.stderr
    assert forced.stdout == "overwrite svc/app/Dockerfile\n"


def test_stdout_prints_and_writes_nothing(tmp_path: Path) -> None:
    root = service(tmp_path)

    out = uvmono("docker", "generate", "--stdout", "app", cwd=root, check=True).stdout

    assert out.startswith("==> svc/app/Dockerfile <==\n# Generated by uvmono")
    assert "\n==> svc/app/Dockerfile.dockerignore <==\n" in out
    assert not (root / "svc/app/Dockerfile").exists()


def test_bake_writes_a_json_file_with_its_header(tmp_path: Path) -> None:
    root = service(tmp_path)

    out = uvmono("docker", "bake", cwd=root, check=True)

    assert out.stdout == "create docker-bake.json\n"
    data = json.loads((root / "docker-bake.json").read_text())
    assert list(data) == ["//", "variable", "group", "target"]


def test_affected_picks_the_images_a_change_reaches(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["svc/*", "libs/*"]),
            "svc/a/pyproject.toml": project("a", ["core"], sources=["core"], scripts={"a": "a:m"}),
            "svc/b/pyproject.toml": project("b", scripts={"b": "b:m"}),
            "libs/core/pyproject.toml": project("core"),
        },
    )
    head = repo.commit("init")
    (root / "libs/core/src/core/__init__.py").write_text("X = 1\n")

    generated = uvmono("docker", "generate", "--affected", "--since", "HEAD", "--dry-run", cwd=root)
    commands = uvmono(
        "docker", "commands", "--affected", "--since", "HEAD", cwd=root, env={"REVISION": ""}
    )

    assert generated.stdout == "create svc/a/Dockerfile\ncreate svc/a/Dockerfile.dockerignore\n"
    assert commands.stdout == (
        f"docker build -f svc/a/Dockerfile -t a:latest --build-arg REVISION={head} .\n"
    )


# ----------------------------------------------------------------- unsafe values, errors


@pytest.mark.parametrize(
    "directory",
    ['svc/a"b', "svc/$(touch pwned)", "svc/a b", "svc/a\nRUN id", "svc/-x", "svc/a,b=c"],
)
def test_a_member_directory_that_cannot_be_written_safely_is_refused(
    tmp_path: Path, directory: str
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            f"{directory}/pyproject.toml": project("odd", scripts={"odd": "odd:main"}),
        },
    )

    proc = uvmono("docker", "generate", cwd=tmp_path)

    assert proc.returncode == 2, proc.stderr
    assert "cannot be written into a Dockerfile safely" in proc.stderr
    assert "hint: " in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.rglob("Dockerfile*"))


def test_text_from_the_project_is_quoted_where_it_lands(tmp_path: Path) -> None:
    description = 'Says "hi" to $HOME and ${USER}, `id` \\ too'
    member = '[tool.uvmono.docker]\ncommand = ["app", "\\"]; $(id)", "${HOME}"]\n'
    root = service(tmp_path, member)
    pyproject = root / "svc/app/pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'version = "0.1.0"', f'version = "0.1.0"\ndescription = {json.dumps(description)}'
        )
    )

    text, _ = rendered(root, "app")

    assert 'ENTRYPOINT ["app", "\\"]; $(id)", "${HOME}"]' in text
    label = next(line for line in text.split("\n") if "image.description" in line)
    assert label.strip().rstrip(" \\") == (
        'org.opencontainers.image.description="Says \\"hi\\" to \\$HOME and \\${USER}, `id` '
        '\\\\ too"'
    )


def test_a_multi_line_test_command_runs_as_one_sh_script(tmp_path: Path) -> None:
    root = service(tmp_path, '[tool.uvmono]\ntest-command = "pytest -x\\necho \\"$(id)\\""\n')

    text, _ = rendered(root, "app")

    assert 'RUN ["/bin/sh", "-c", "pytest -x\\necho \\"$(id)\\""]' in text


@pytest.mark.parametrize(
    ("member", "root_settings", "message"),
    [
        (
            '[tool.uvmono.docker]\nsystem-packages = ["curl; rm -rf /"]\n',
            "",
            "which is not a Debian package name",
        ),
        (
            '[tool.uvmono.docker]\nextra-files = ["../secrets.env"]\n',
            "",
            "cannot be written into a Dockerfile safely",
        ),
        ("", 'base-image = "python:{python} AS x"\n', "which is not an image reference"),
        ("", 'base-image = "python:{version}"\n', "cannot be expanded"),
        ("", "user-id = 0\n", "would run the images as root"),
        ("", 'indexes = ["nowhere"]\n', "names the index `nowhere`, which no [[tool.uv.index]]"),
        ("", 'indexes = ["a b"]\n', "which is not an index name"),
    ],
)
def test_settings_that_cannot_make_an_image_are_errors(
    tmp_path: Path, member: str, root_settings: str, message: str
) -> None:
    root = service(tmp_path, member, root_settings)

    with pytest.raises(UvmonoError, match=re.escape(message)) as raised:
        inputs_of(workspace.load(root), ["app"])
    assert raised.value.hint


def test_an_image_asked_for_with_several_scripts_and_no_command_hints_at_the_setting(
    tmp_path: Path,
) -> None:
    root = service(
        tmp_path,
        "[tool.uvmono.docker]\nimage = true\n",
        scripts={"app": "app:main", "serve": "app:serve"},
    )

    proc = uvmono("docker", "generate", cwd=root)

    assert proc.returncode == 2
    assert "error: app has 2 console scripts (app, serve)" in proc.stderr
    assert 'hint: pick one in that file: [tool.uvmono.docker] command = ["app"]' in proc.stderr


def test_a_path_dependency_outside_the_workspace_root_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    write_tree(
        tmp_path,
        {
            "ws/pyproject.toml": virtual_root(["svc/*"]),
            "ws/svc/app/pyproject.toml": project(
                "app",
                ["extlib"],
                scripts={"app": "app:main"},
                tail='[tool.uv.sources]\nextlib = { path = "../../../extlib" }\n',
            ),
            "extlib/pyproject.toml": project("extlib"),
        },
    )

    proc = uvmono("docker", "generate", cwd=root)

    assert proc.returncode == 2
    assert "its image needs the path dependency `extlib` at ../extlib, which is outside" in (
        proc.stderr
    )
    assert "hint: move `extlib` inside the workspace" in proc.stderr


def test_a_path_dependency_inside_the_root_is_copied_and_kept_in_the_context(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": project(
                "app",
                ["extlib"],
                scripts={"app": "app:main"},
                tail='[tool.uv.sources]\nextlib = { path = "../../vendor/extlib" }\n',
            ),
            "vendor/extlib/pyproject.toml": project("extlib"),
        },
    )

    text, ignore = rendered(root, "app")

    assert "COPY vendor/extlib vendor/extlib" in text
    assert "!vendor/extlib" in ignore.split("\n")


def test_a_member_that_is_not_a_package_gets_no_image(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": project("app", scripts={"app": "app:main"}, packaged=False),
        },
    )

    with pytest.raises(UvmonoError, match="it is not a package"):
        inputs_of(workspace.load(tmp_path), ["app"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "error: `nope` is not a member of the workspace"),
        (["core"], "error: core gets no image: it has no [project.scripts]"),
        (["--since", "HEAD"], "error: --since needs --affected"),
    ],
)
def test_selection_errors(tmp_path: Path, args: list[str], message: str) -> None:
    proc = uvmono("docker", "commands", *args, cwd=service(tmp_path))

    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(message)


def test_image_names_that_could_reach_the_bake_interpolation_are_refused(tmp_path: Path) -> None:
    root = service(tmp_path, docker_settings='image-name = "${{BAKE_CMD_CONTEXT}}{name}"\n')

    with pytest.raises(UvmonoError, match="is not a valid image reference"):
        docker_command.bake_artifacts(workspace.load(root))


def test_renderers_are_deterministic() -> None:
    ws = workspace.load(SAMPLE)
    first: Mapping[str, str] = {a.path: a.body for a in docker_command.artifacts(ws)}
    second = {a.path: a.body for a in docker_command.artifacts(workspace.load(SAMPLE))}

    assert first == second


def test_the_build_stage_copies_dependencies_first_and_the_image_member_last(
    tmp_path: Path,
) -> None:
    """By level in the member graph, not by name: `a-app` sorts before every library, `z-base`
    after the library that needs it; a path dependency that is no member comes first. The
    venv is made before any source is copied."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["a-app", "libs/*"]),
            "a-app/pyproject.toml": project(
                "a-app", ["b-lib", "vendored"], scripts={"a-app": "a:main"},
                tail='[tool.uv.sources]\nb-lib = { workspace = true }\n'
                'vendored = { path = "../third/vendored" }\n',
            ),
            "libs/b-lib/pyproject.toml": project("b-lib", ["z-base"], sources=["z-base"]),
            "libs/z-base/pyproject.toml": project("z-base"),
            "third/vendored/pyproject.toml": project("vendored"),
        },
    )  # fmt: skip

    build = stage(rendered(tmp_path, "a-app")[0], "build").split("\n")

    steps = [line for line in build if line.startswith(("COPY", "RUN"))]
    assert steps[0] == "RUN uv venv --python 3.11 /app/.venv"
    assert steps[1:5] == [
        "COPY third/vendored third/vendored",
        "COPY libs/z-base libs/z-base",
        "COPY libs/b-lib libs/b-lib",
        "COPY a-app a-app",
    ]
    assert steps[5].startswith("RUN --mount=type=cache") and len(steps) == 6
