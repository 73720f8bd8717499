"""GitLab CI: the parent pipeline, the child pipeline its plan job writes, and how uvmono is
installed in CI.

The generated files are golden-tested and validated with GitLab's JSON schema
(check-jsonschema). gitlab-ci-local then runs the whole pipeline on a real git repository
holding a copy of the sample: the plan job (uvmono installed from this checkout with
`uv tool install`), the trigger job, and the child pipeline it includes from the plan job's
artifact, with the shell executor. Image jobs are skipped there (UVMONO_SKIP_IMAGES) and only
validated by schema: no image can be pulled.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tomlkit
import yaml

from tests.conftest import GOLDEN as GOLDEN_ROOT
from tests.conftest import assert_golden
from tests.gitutil import GitRepo, git_env
from tests.validators import VALIDATORS_BIN, require
from tests.wsutil import REPO, SAMPLE, install_source_of, project, uvmono, virtual_root, write_tree
from uvmono import ci_env, workspace
from uvmono.commands import ci_gitlab
from uvmono.errors import UvmonoError
from uvmono.plan import Plan, PlanEntry, make_plan
from uvmono.render import gitlab, install
from uvmono.test_environment import VIRTUAL_ROOT, TestEnvironment, TestPlan

GOLDEN = GOLDEN_ROOT / "gitlab"
SHA = "e" * 40
SOURCE = f"uvmono @ git+https://github.com/acme/uvmono@{SHA}"
GIT_SOURCE = '{ git = "https://github.com/acme/uvmono?rev=e6a576b#' + SHA + '" }'
LOCK_WITH_UVMONO = """\
version = 1
revision = 3
requires-python = ">=3.11"

[manifest]
members = ["lib"]

[manifest.dependency-groups]
tools = [{{ name = "uvmono" }}]

[[package]]
name = "lib"
version = "0.1.0"
source = {{ editable = "packages/lib" }}

[[package]]
name = "uvmono"
version = "0.1.0"
source = {source}
"""


def entry(package: str, python: str = "3.12", **changes: Any) -> PlanEntry:
    fields: dict[str, Any] = {
        "package": package,
        "path": f"packages/{package}",
        "python": python,
        "image": False,
        "image_name": None,
        "dockerfile": None,
        "test_command": "pytest",
        "reasons": (f"files changed: packages/{package}/x.py",),
        "test": TestPlan(
            pythons=(python,),
            environments=(TestEnvironment(package, (), (), ("dev",), VIRTUAL_ROOT),),
            locations=None,
            runner="pytest",
        ),
    }
    fields.update(changes)
    return PlanEntry(**fields)


def with_image(package: str, **changes: Any) -> PlanEntry:
    image = {"image": True, "image_name": package, "dockerfile": f"packages/{package}/Dockerfile"}
    return entry(package, **{**image, **changes})


def plan_of(*entries: PlanEntry) -> Plan:
    return Plan("/ws", "a" * 40, None, tuple(entries))


OPTIONS = gitlab.ChildOptions(
    uv_version="0.13.9",
    max_permutations=200,
    image_builder="dind",
    registry="",
    workspace_dir=".",
)


def child_of(plan: Plan, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(gitlab.render_child(plan, replace(OPTIONS, **changes)))
    return data


def matrix_jobs(data: Mapping[str, Any], prefix: str) -> dict[str, list[dict[str, str]]]:
    return {
        name: job["parallel"]["matrix"]
        for name, job in data.items()
        if name.startswith(prefix) and isinstance(job, dict)
    }


def needs_count(data: Mapping[str, Any], job: Mapping[str, Any]) -> int:
    """What GitLab counts against its needs limit: every instance of a needed parallel job."""
    count = 0
    for need in job.get("needs", []):
        name = need if isinstance(need, str) else need["job"]
        needed = data[name]
        count += len(needed.get("parallel", {}).get("matrix", [None]))
    return count


def sample_parent_options(**changes: Any) -> gitlab.ParentOptions:
    ws = workspace.load(SAMPLE)
    options = ci_gitlab.parent_options(ws, ".gitlab-ci.yml")
    return replace(options, **{"workspace_dir": ".", **changes})


def sample_plan() -> Plan:
    ws = workspace.load(SAMPLE)
    reasons = {
        "acme-core": ["files changed: libs/core/src/acme_core/models.py"],
        "acme-storage": ["depends on acme-core, which changed"],
        "acme-api": ["depends on acme-storage -> acme-core, which changed"],
    }
    return make_plan(
        ws, ["acme-core", "acme-storage", "acme-api"], reasons, base="b" * 40, head="c" * 40
    )


# ------------------------------------------------------------------------- golden files


def test_the_sample_parent_pipeline_matches_its_golden_file() -> None:
    assert_golden(GOLDEN / "parent.gitlab-ci.yml", gitlab.parent_pipeline(sample_parent_options()))


def test_the_includable_parent_matches_its_golden_file() -> None:
    options = sample_parent_options(
        include=True,
        uvmono=install.InstallSource("group", "tools"),
        strategy="mirror",
        workspace_dir="python/workspace",
    )

    assert_golden(GOLDEN / "uvmono.gitlab-ci.yml", gitlab.parent_pipeline(options))


def test_the_sample_child_pipelines_match_their_golden_files() -> None:
    plan = sample_plan()
    nothing = replace(plan, entries=())

    assert_golden(GOLDEN / "child.yml", gitlab.render_child(plan, OPTIONS))
    buildah = gitlab.render_child(plan, replace(OPTIONS, image_builder="buildah"))
    assert_golden(GOLDEN / "child-buildah.yml", buildah)
    nothing_child = gitlab.render_child(nothing, OPTIONS)
    assert_golden(GOLDEN / "child-nothing-affected.yml", nothing_child)


def test_the_committed_sample_pipeline_is_current() -> None:
    proc = uvmono("ci", "gitlab", "--check", cwd=SAMPLE)

    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------ the real validators


def validator_env() -> dict[str, str]:
    env = {key: value for key, value in git_env().items() if key != "VIRTUAL_ENV"}
    env["PATH"] = f"{VALIDATORS_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def test_gitlabs_schema_accepts_every_generated_file(tmp_path: Path) -> None:
    check_jsonschema = require("check-jsonschema")
    plan = sample_plan()
    files = {
        "parent": gitlab.parent_pipeline(sample_parent_options()),
        "include": gitlab.parent_pipeline(
            sample_parent_options(include=True, workspace_dir="python", strategy="mirror")
        ),
        "child": gitlab.render_child(plan, OPTIONS),
        "buildah": gitlab.render_child(plan, replace(OPTIONS, image_builder="buildah")),
        "registry": gitlab.render_child(plan, replace(OPTIONS, registry="registry.example.com")),
        "nothing": gitlab.render_child(replace(plan, entries=()), OPTIONS),
        "many": gitlab.render_child(many_members(250), OPTIONS),
    }
    paths = []
    for name, text in files.items():
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    proc = subprocess.run(
        [
            check_jsonschema,
            "--builtin-schema",
            "vendor.gitlab-ci",
            "--data-transform",
            "gitlab-ci",
            *paths,
        ],
        capture_output=True,
        text=True,
        env=validator_env(),
        check=False,
    )

    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------- the parent's shape


def test_the_parent_plans_with_full_history_and_triggers_the_artifact() -> None:
    data = yaml.safe_load(gitlab.parent_pipeline(sample_parent_options()))
    plan, trigger = data["uvmono-plan"], data["uvmono-child"]

    assert plan["variables"] == {"GIT_DEPTH": "0"}
    assert plan["artifacts"]["paths"] == ["uvmono-child-pipeline.yml"]
    # Planned into a temporary file outside the work tree, then moved where the artifact is.
    assert plan["script"][-3] == 'child="$(mktemp)"'
    assert plan["script"][-2].startswith("uvmono ci gitlab --child --since auto")
    assert plan["script"][-2].endswith('> "$child"')
    assert plan["script"][-1] == 'mv -- "$child" uvmono-child-pipeline.yml'
    assert trigger["needs"] == ["uvmono-plan"]
    assert trigger["trigger"] == {
        "include": [{"artifact": "uvmono-child-pipeline.yml", "job": "uvmono-plan"}],
        "strategy": "depend",
    }
    assert needs_count(data, trigger) == 1


def test_workflow_rules_run_merge_requests_and_branches_without_one_never_both() -> None:
    data = yaml.safe_load(gitlab.parent_pipeline(sample_parent_options()))

    assert data["workflow"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
        {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"},
        {"if": "$CI_COMMIT_BRANCH"},
    ]


def test_an_includable_file_has_jobs_only(tmp_path: Path) -> None:
    root = small_workspace(tmp_path, extra='gitlab-file = "ci/uvmono.gitlab-ci.yml"\n')
    (artifact,) = ci_gitlab.artifacts(workspace.load(root))
    data = yaml.safe_load(artifact.body)

    assert artifact.path == "ci/uvmono.gitlab-ci.yml"
    assert set(data) == {"uvmono-plan", "uvmono-child"}


def test_the_strategy_and_the_plan_image_follow_the_configuration(tmp_path: Path) -> None:
    root = small_workspace(
        tmp_path, extra='gitlab-strategy = "mirror"\n', docker='uv-version = "0.13.0"\n'
    )
    (tmp_path / ".python-version").write_text("3.13.1\n")
    data = yaml.safe_load(ci_gitlab.artifacts(workspace.load(root))[0].body)

    assert data["uvmono-child"]["trigger"]["strategy"] == "mirror"
    assert data["uvmono-plan"]["image"] == "ghcr.io/astral-sh/uv:0.13.0-python3.13-trixie"


def test_a_workspace_in_a_subdirectory_plans_there_and_writes_the_child_at_the_top(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = small_workspace(repo.path / "python" / "ws")
    ws = workspace.load(root)
    parent = yaml.safe_load(ci_gitlab.artifacts(ws)[0].body)
    planned = make_plan(ws, ["core", "app"], workspace_dir=ci_env.workspace_dir(root))
    child = yaml.safe_load(gitlab.child_pipeline(planned))

    assert parent["uvmono-plan"]["script"][0] == "cd -- python/ws"
    assert parent["uvmono-plan"]["script"][-1].endswith(" ../../uvmono-child-pipeline.yml")
    assert child["test"]["script"][0] == "cd -- python/ws"
    assert child["test"]["cache"]["key"]["files"] == ["python/ws/uv.lock"]
    assert child["build-image"]["script"][0] == "cd -- python/ws"


# ---------------------------------------------------------------------- the child's shape


def test_each_affected_member_is_one_matrix_instance_of_a_test_job() -> None:
    data = child_of(plan_of(entry("core"), with_image("app")))

    assert data["stages"] == ["test", "image"]
    assert data["test"]["parallel"]["matrix"] == [
        {"PACKAGE": "core", "PACKAGE_DIR": "packages/core", "UVMONO_ENV": "1"},
        {"PACKAGE": "app", "PACKAGE_DIR": "packages/app", "UVMONO_ENV": "1"},
    ]
    table, sync = data["test"]["script"][:2]
    assert "  core/1) set -- --package core --no-default-groups --group dev; tests=member;" in table
    assert sync == 'uv sync --frozen "$@"'

    assert data["build-image"]["parallel"]["matrix"] == [
        {"PACKAGE": "app", "DOCKERFILE": "packages/app/Dockerfile", "IMAGE_NAME": "app"}
    ]
    assert all("needs" not in job for job in data.values() if isinstance(job, dict))


def test_members_are_grouped_by_python_version_and_test_command() -> None:
    data = child_of(
        plan_of(
            entry("a"),
            entry("b", python="3.11"),
            entry("c"),
            entry("d", test_command="make check"),
        )
    )
    tests = {name: data[name] for name in matrix_jobs(data, "test")}

    assert {n: [m["PACKAGE"] for m in j["parallel"]["matrix"]] for n, j in tests.items()} == {
        "test-1": ["a", "c"],
        "test-2": ["b"],
        "test-3": ["d"],
    }
    assert tests["test-2"]["variables"] == {"UV_PYTHON": "3.11"}
    assert tests["test-2"]["image"] == "ghcr.io/astral-sh/uv:0.13.9-python3.11-trixie-slim"
    assert "( cd -- \"$PACKAGE_DIR\" && make check\n)" in tests["test-3"]["script"][-1]


def test_images_are_pushed_from_the_default_branch_only_and_can_be_skipped() -> None:
    job = child_of(plan_of(with_image("app")))["build-image"]

    assert job["rules"] == [
        {"if": '$UVMONO_SKIP_IMAGES == "true"', "when": "never"},
        {
            "if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
            "variables": {"UVMONO_PUSH_IMAGES": "true"},
        },
        {"when": "on_success"},
    ]
    assert job["services"] == ["docker:28.0.4-dind"]
    push = job["script"][-1]
    assert push.startswith('if [ "$UVMONO_PUSH_IMAGES" = "true" ]; then')
    assert 'docker push "$image:$CI_COMMIT_SHA"' in push


def test_buildah_builds_without_a_docker_daemon() -> None:
    job = child_of(plan_of(with_image("app")), image_builder="buildah")["build-image"]

    assert "services" not in job
    assert job["image"].startswith("quay.io/buildah/stable:")
    assert (
        'buildah build --file "$DOCKERFILE" --build-arg "REVISION=$CI_COMMIT_SHA"'
        ' --tag "$image:$CI_COMMIT_SHA" .'
    ) in job["script"]


def test_the_image_job_labels_the_image_with_the_commit() -> None:
    job = child_of(plan_of(with_image("app")))["build-image"]

    assert (
        'docker build --file "$DOCKERFILE" --build-arg "REVISION=$CI_COMMIT_SHA"'
        ' --tag "$image:$CI_COMMIT_SHA" .'
    ) in job["script"]


def test_a_configured_registry_is_pushed_to_with_the_image_name_as_it_is() -> None:
    plan = plan_of(with_image("app", image_name="registry.example.com/acme/app"))
    job = child_of(plan, registry="registry.example.com/acme")["build-image"]

    assert job["parallel"]["matrix"][0]["IMAGE_NAME"] == "registry.example.com/acme/app"
    assert job["script"][:2] == ['image="$IMAGE_NAME"', 'registry="${image%%/*}"']


def test_nothing_affected_still_gives_the_child_a_job() -> None:
    data = child_of(plan_of())

    assert data["stages"] == ["test"]
    assert list(data)[1:] == ["nothing-affected"]
    assert data["nothing-affected"]["variables"] == {"GIT_STRATEGY": "none"}


def many_members(count: int) -> Plan:
    return plan_of(*(with_image(f"member-{n:03}") for n in range(count)))


@pytest.mark.parametrize(("count", "jobs"), [(200, 1), (201, 2), (250, 2), (401, 3)])
def test_matrices_split_at_200_permutations_and_keep_every_member(count: int, jobs: int) -> None:
    data = child_of(many_members(count))
    names = [f"member-{n:03}" for n in range(count)]

    for prefix in ("test", "build-image"):
        found = matrix_jobs(data, prefix)
        assert len(found) == jobs
        assert all(len(instances) <= gitlab.MAX_PERMUTATIONS for instances in found.values())
        assert [i["PACKAGE"] for instances in found.values() for i in instances] == names
    for job in data.values():
        if isinstance(job, dict):
            assert needs_count(data, job) <= gitlab.MAX_NEEDS


def test_max_jobs_lowers_the_permutations_per_job(tmp_path: Path) -> None:
    root = small_workspace(tmp_path, extra="max-jobs = 1\n")
    ws = workspace.load(root)
    data = yaml.safe_load(gitlab.child_pipeline(make_plan(ws, ["core", "app", "other"])))

    assert [len(m) for m in matrix_jobs(data, "test").values()] == [1, 1, 1]


def test_names_and_paths_reach_the_shell_only_as_quoted_variables() -> None:
    evil = "packages/it's $(rm -rf ~) `x`; echo"
    data = child_of(plan_of(entry("core", path=evil.replace("$", "")), with_image("app")))
    text = yaml.safe_dump(data)
    scripts = [
        line for job in data.values() if isinstance(job, dict) for line in job.get("script", [])
    ]

    assert data["test"]["parallel"]["matrix"][0]["PACKAGE_DIR"] == evil.replace("$", "")
    assert all("rm -rf" not in line and "packages/" not in line for line in scripts)
    assert text.count("rm -rf") == 1
    unquoted = [re.sub(r'"[^"]*"', "", line) for line in scripts]
    for variable in ("PACKAGE", "PACKAGE_DIR", "DOCKERFILE", "IMAGE_NAME"):
        assert any(f"${variable}" in line for line in scripts), variable
        assert not any(f"${variable}" in line for line in unquoted), variable


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"path": "packages/$HOME"}, "holds `$`"),
        ({"path": "../outside"}, "cannot be passed to CI"),
        ({"path": "packages/a\nb"}, "cannot be passed to CI"),
        ({"path": "p/" + "x" * 260}, "longer than 255"),
    ],
)
def test_values_gitlab_would_mangle_are_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(UvmonoError, match=re.escape(message)):
        gitlab.render_child(plan_of(entry("core", **changes)), OPTIONS)


def run_child_script(
    tmp_path: Path, job: Mapping[str, Any], variables: Mapping[str, str], pytest_status: int = 0
) -> subprocess.CompletedProcess[str]:
    """The job's script lines in one `sh -e`, with a fake `uv` (which runs what follows `--`),
    `pytest` (which exits as told) and `python` (whose module check succeeds)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fakes = {
        "uv": '#!/bin/sh\nif [ "$1" = run ]; then\n'
        '  while [ "$1" != "--" ]; do shift; done\n  shift\n  exec "$@"\nfi\nexit 0\n',
        "pytest": f"#!/bin/sh\nexit {pytest_status}\n",
        "python": "#!/bin/sh\nexit 0\n",
    }
    for name, text in fakes.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    (tmp_path / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (tmp_path / ".venv" / "bin" / "activate").write_text("")
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **variables}
    return subprocess.run(
        ["sh", "-e", "-c", "\n".join(job["script"])],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("status", "expected"), [(0, 0), (5, 5), (1, 1), (2, 2)])
def test_pytest_collecting_no_tests_fails_the_job(
    tmp_path: Path, status: int, expected: int
) -> None:
    (tmp_path / "libs" / "x").mkdir(parents=True)
    job = child_of(plan_of(entry("core")))["test"]
    variables = {"PACKAGE": "core", "PACKAGE_DIR": "libs/x", "UVMONO_ENV": "1"}

    proc = run_child_script(tmp_path, job, variables, pytest_status=status)

    assert proc.returncode == expected, proc.stdout + proc.stderr
    assert ("uvmono: pytest collected no tests for core" in proc.stdout) == (status == 5)


def test_other_test_commands_keep_their_exit_status(tmp_path: Path) -> None:
    job = child_of(plan_of(entry("core", test_command="exit 7")))["test"]

    proc = run_child_script(tmp_path, job, {"PACKAGE": "core", "UVMONO_ENV": "1"})

    assert proc.returncode == 7, proc.stdout + proc.stderr


def test_an_unknown_matrix_instance_fails_rather_than_testing_nothing(tmp_path: Path) -> None:
    job = child_of(plan_of(entry("core")))["test"]

    proc = run_child_script(tmp_path, job, {"PACKAGE": "other", "UVMONO_ENV": "1"})

    assert proc.returncode == 1
    assert "no test environment for other/1" in proc.stdout


# --------------------------------------------------------------- installing uvmono in CI


@pytest.mark.parametrize(
    "spec",
    [
        "uvmono",
        "uvmono==0.1.0",
        "uvmono>=0.1",
        "uvmono @ git+https://github.com/acme/uvmono@main",
        "uvmono @ git+https://github.com/acme/uvmono@e6a576b",
        "uvmono @ git+http://github.com/acme/uvmono@" + SHA,
        "uvmono @ http://example.com/uvmono-0.1.0-py3-none-any.whl",
        "uvmono @ https://example.com/uvmono-0.1.0.tar.gz",
        "other @ git+https://github.com/acme/uvmono@" + SHA,
        "uvmono>=0.1 --default-index https://pypi.example.com/simple",
        "uvmono==0.1.0 --default-index http://pypi.example.com/simple",
        "uvmono==0.1.0 --extra-index-url https://pypi.example.com/simple",
        "group:",
        "",
    ],
)
def test_sources_that_could_resolve_uvmono_from_pypi_are_refused(spec: str) -> None:
    with pytest.raises(UvmonoError):
        install.validate_source(spec)


def test_a_bare_name_is_refused_explaining_dependency_confusion() -> None:
    with pytest.raises(UvmonoError) as caught:
        install.validate_source("uvmono")

    assert "unrelated project" in caught.value.message
    assert "dependency confusion" in caught.value.message
    assert caught.value.hint is not None and "group" in caught.value.hint


@pytest.mark.parametrize(
    ("spec", "steps"),
    [
        (
            SOURCE,
            [f"uv tool install --quiet '{SOURCE}'", 'export PATH="$(uv tool dir --bin):$PATH"'],
        ),
        (
            "uvmono @ https://example.com/uvmono-0.1.0-py3-none-any.whl#sha256=" + "0" * 64,
            [
                "uv tool install --quiet 'uvmono @ https://example.com/"
                "uvmono-0.1.0-py3-none-any.whl#sha256=" + "0" * 64 + "'",
                'export PATH="$(uv tool dir --bin):$PATH"',
            ],
        ),
        (
            "uvmono @ file:///opt/uvmono",
            [
                "uv tool install --quiet 'uvmono @ file:///opt/uvmono'",
                'export PATH="$(uv tool dir --bin):$PATH"',
            ],
        ),
        (
            "./tools/uvmono-0.1.0-py3-none-any.whl",
            [
                "uv tool install --quiet ./tools/uvmono-0.1.0-py3-none-any.whl",
                'export PATH="$(uv tool dir --bin):$PATH"',
            ],
        ),
        (
            "uvmono==0.1.0 --default-index https://pypi.example.com/simple",
            [
                "uv tool install --quiet --default-index https://pypi.example.com/simple "
                "uvmono==0.1.0",
                'export PATH="$(uv tool dir --bin):$PATH"',
            ],
        ),
        (
            "group:Tools",
            [
                "uv sync --frozen --no-install-workspace --only-group tools",
                'export PATH="$PWD/.venv/bin:$PATH"',
            ],
        ),
    ],
)
def test_accepted_sources_install_as_quoted_shell_lines(spec: str, steps: list[str]) -> None:
    assert install.install_steps(spec) == steps


def small_workspace(root: Path, extra: str = "", *, docker: str = "", head: str = "") -> Path:
    """core <- app (with a console script, so an image); other stands alone."""
    tail = head + f'[tool.uvmono.ci]\nuvmono-source = "{SOURCE}"\n{extra}'
    if docker:
        tail += f"[tool.uvmono.docker]\n{docker}"
    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail=tail),
            "packages/core/pyproject.toml": project("core"),
            "packages/app/pyproject.toml": project(
                "app", ["core"], sources=["core"], scripts={"app": "app:main"}
            ),
            "packages/other/pyproject.toml": project("other"),
        },
    )


def group_workspace(root: Path, *, source: str | None, lock_source: str = GIT_SOURCE) -> Path:
    tail = '[dependency-groups]\ntools = ["uvmono"]\n'
    if source is not None:
        tail += f'[tool.uvmono.ci]\nuvmono-source = "{source}"\n'
    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail=tail),
            "packages/lib/pyproject.toml": project("lib"),
            "uv.lock": LOCK_WITH_UVMONO.format(source=lock_source),
        },
    )


def test_without_a_source_a_root_group_requiring_uvmono_is_used(tmp_path: Path) -> None:
    ws = workspace.load(group_workspace(tmp_path, source=None))

    assert install_source_of(ws) == install.InstallSource("group", "tools")


def test_a_group_that_uv_lock_resolves_from_an_index_is_refused(tmp_path: Path) -> None:
    root = group_workspace(
        tmp_path, source="group:tools", lock_source='{ registry = "https://pypi.org/simple" }'
    )

    with pytest.raises(UvmonoError, match="dependency confusion"):
        install_source_of(workspace.load(root))


def test_a_group_that_does_not_require_uvmono_is_refused(tmp_path: Path) -> None:
    root = group_workspace(tmp_path, source="group:dev")

    with pytest.raises(UvmonoError, match="does not declare"):
        install_source_of(workspace.load(root))


def test_no_source_and_no_group_is_an_error_listing_the_options(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/lib/pyproject.toml": project("lib"),
        },
    )
    proc = uvmono("ci", "gitlab", cwd=root)

    assert proc.returncode == 2
    assert "error: `tool.uvmono.ci.uvmono-source` is not set" in proc.stderr
    assert "hint: set one in the root pyproject.toml" in proc.stderr
    assert "uvmono @ git+https://" in proc.stderr
    assert not (root / ".gitlab-ci.yml").exists()


# ------------------------------------------------------------------------------ the CLI


def test_a_foreign_gitlab_ci_file_is_kept_with_a_hint_to_include_ours(tmp_path: Path) -> None:
    root = small_workspace(tmp_path)
    (root / ".gitlab-ci.yml").write_text("lint:\n  script: [make lint]\n")
    proc = uvmono("ci", "gitlab", cwd=root)

    assert proc.returncode == 2
    assert 'gitlab-file = "uvmono.gitlab-ci.yml"' in proc.stderr
    assert (root / ".gitlab-ci.yml").read_text() == "lint:\n  script: [make lint]\n"


def test_uvmono_generate_writes_the_parent_when_asked_for_gitlab(tmp_path: Path) -> None:
    root = small_workspace(tmp_path, head='[tool.uvmono]\ngenerate = ["gitlab"]\n')
    uvmono("generate", cwd=root, check=True)

    assert uvmono("ci", "gitlab", "--check", cwd=root).returncode == 0
    assert uvmono("check", cwd=root).returncode == 0
    assert "uvmono-plan:" in (root / ".gitlab-ci.yml").read_text()


def test_checking_the_parent_does_not_load_git(tmp_path: Path) -> None:
    # `uvmono check` runs as a pre-commit hook: it reads files and renders, nothing more.
    root = small_workspace(tmp_path)
    uvmono("ci", "gitlab", cwd=root, check=True)
    program = (
        "import sys\n"
        "from uvmono.cli import app\n"
        "try:\n"
        "    app(['ci', 'gitlab', '--check'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print('git' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program], cwd=root, capture_output=True, text=True, check=True
    )

    assert proc.stdout == "False\n"


def test_since_without_child_is_a_usage_error(tmp_path: Path) -> None:
    proc = uvmono("ci", "gitlab", "--since", "main", cwd=small_workspace(tmp_path))

    assert proc.returncode == 2
    assert "--child" in proc.stderr


def test_matrix_format_gitlab_prints_the_same_child_pipeline(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    small_workspace(repo.path)
    repo.commit("init")
    repo.commit("change core", ("packages/core/src/core/x.py", "x = 1\n"))
    child = uvmono("ci", "gitlab", "--child", "--since", "HEAD~1", cwd=repo.path, check=True)
    matrix = uvmono("matrix", "--format", "gitlab", "--since", "HEAD~1", cwd=repo.path)

    assert matrix.returncode == 0, matrix.stderr
    assert matrix.stdout == child.stdout
    tests = yaml.safe_load(child.stdout)["test"]["parallel"]["matrix"]
    assert [m["PACKAGE"] for m in tests] == ["core", "app"]


# ------------------------------------------------------- the pipeline, run by gitlab-ci-local


def gitlab_ci_local_repo(tmp_path: Path) -> tuple[GitRepo, str]:
    """The sample in a fresh repository on `main`, its parent pipeline written by the real CLI
    with uvmono installed from this checkout; a `feature` branch checked out. Returns the repo
    and the main commit."""
    repo = GitRepo.init(tmp_path / "repo")
    shutil.copytree(
        SAMPLE,
        repo.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".venv", "__pycache__", ".gitlab-ci.yml", "Dockerfile*"),
    )
    pyproject = repo.path / "pyproject.toml"
    document = tomlkit.parse(pyproject.read_text())
    tool = document.setdefault("tool", tomlkit.table())
    ci = tool.setdefault("uvmono", tomlkit.table()).setdefault("ci", tomlkit.table())
    ci["uvmono-source"] = f"uvmono @ {REPO.as_uri()}"
    pyproject.write_text(tomlkit.dumps(document))
    uvmono("ci", "gitlab", cwd=repo.path, check=True)
    main = repo.commit("the sample")
    repo.checkout("feature", new=True)
    return repo, main


def run_gitlab_ci_local(repo: GitRepo, before: str, tmp_path: Path) -> tuple[str, set[str]]:
    """Run the pipeline as GitLab would for a push to `feature` whose previous tip was
    `before`; the output, and the names of the jobs that passed. Fails on any failed job."""
    tool = require("gitlab-ci-local")
    home_cache = Path(os.environ.get("UV_CACHE_DIR", Path.home() / ".cache" / "uv"))
    variables = {
        "GITLAB_CI": "true",  # gitlab-ci-local says "false"; uvmono reads GitLab's variables
        "CI_COMMIT_BEFORE_SHA": before,
        "UVMONO_SKIP_IMAGES": "true",
        # Values that are existing paths become file variables unless typed.
        "UV_TOOL_DIR": {"type": "variable", "values": {"*": str(tmp_path / "uv-tools")}},
        "UV_TOOL_BIN_DIR": {"type": "variable", "values": {"*": str(tmp_path / "uv-bin")}},
        "UV_CACHE_DIR": {"type": "variable", "values": {"*": str(home_cache)}},
    }
    (repo.path / ".gitlab-ci-local-variables.yml").write_text(yaml.safe_dump(variables))
    env = validator_env()
    env["GCL_IGNORE_PREDEFINED_VARS"] = "GITLAB_CI,CI_PIPELINE_SOURCE"
    proc = subprocess.run(
        [tool, "--force-shell-executor", "--shell-isolation", "--no-color"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = proc.stdout + proc.stderr
    # gitlab-ci-local exits 0 when a job of the child pipeline fails: read the summary.
    assert proc.returncode == 0, output
    assert not re.search(r"(?m)^\s*FAIL ", output), output
    passed = {m.strip() for m in re.findall(r"(?m)^\s*PASS\s+(.+?)\s*$", output)}
    return output, passed


def child_test_jobs(passed: Iterable[str]) -> set[str]:
    return {
        m.group(1)
        for job in passed
        if (m := re.fullmatch(r"\[uvmono-child\] -> test: \[([a-z-]+),[^\]]*\]", job))
    }


@pytest.mark.slow
def test_gitlab_ci_local_runs_the_tests_of_a_changed_library_and_its_dependents(
    tmp_path: Path,
) -> None:
    repo, main = gitlab_ci_local_repo(tmp_path)
    repo.commit("storage", ("libs/storage/src/acme_storage/extra.py", "VALUE = 1\n"))

    output, passed = run_gitlab_ci_local(repo, main, tmp_path)

    assert {"uvmono-plan", "uvmono-child"} <= passed, output
    assert child_test_jobs(passed) == {"acme-storage", "acme-api", "acme-worker"}, output
    assert "3 affected member(s): acme-api, acme-storage, acme-worker" in output
    assert "build-image" not in output
    assert "nothing-affected" not in output


@pytest.mark.slow
def test_gitlab_ci_local_runs_the_no_op_job_when_nothing_is_affected(tmp_path: Path) -> None:
    repo, main = gitlab_ci_local_repo(tmp_path)
    repo.commit("docs", ("README.md", "# acme\n\nNew words.\n"))

    output, passed = run_gitlab_ci_local(repo, main, tmp_path)

    assert {"uvmono-plan", "uvmono-child", "[uvmono-child] -> nothing-affected"} <= passed, output
    assert child_test_jobs(passed) == set(), output
    assert "0 affected member(s): none" in output


@pytest.mark.slow
def test_gitlab_ci_local_run_twice_skips_every_member_the_second_time(tmp_path: Path) -> None:
    repo, main = gitlab_ci_local_repo(tmp_path)
    repo.commit("storage", ("libs/storage/src/acme_storage/extra.py", "VALUE = 1\n"))
    tested = {"acme-storage", "acme-api", "acme-worker"}

    first, passed = run_gitlab_ci_local(repo, main, tmp_path)

    assert child_test_jobs(passed) == tested, first
    assert "skipped: cached" not in first
    assert re.search(r"\d+ passed", first), "the first run runs the tests"

    second, passed = run_gitlab_ci_local(repo, main, tmp_path)

    assert child_test_jobs(passed) == tested, second
    for member in tested:
        skipped = rf"uvmono: {member} passed before at [0-9a-f]{{32}}, skipped: cached"
        assert re.search(skipped, second), second
    assert not re.search(r"\d+ passed", second), "no test ran the second time"
    assert "uv sync --frozen" not in second.replace('"uv sync --frozen "$@"', "")


# ------------------------------------------------------------ skipping what already passed

FP = "f" * 32


def fingerprinted_child() -> dict[str, Any]:
    plan = replace(plan_of(entry("core")), fingerprints={("core", "", "3.12"): FP})
    job: dict[str, Any] = child_of(plan)["test"]
    return job


def test_each_instance_carries_its_fingerprint_and_caches_a_marker_on_success() -> None:
    job = fingerprinted_child()

    assert job["parallel"]["matrix"][0]["UVMONO_FINGERPRINT"] == FP
    uv_cache, marker = job["cache"]
    assert uv_cache["paths"] == [".uv-cache"]
    assert marker == {
        "key": "uvmono-pass-$PACKAGE-py$UV_PYTHON-$UVMONO_FINGERPRINT",
        "paths": [".uvmono-pass"],
        "when": "on_success",
    }
    # Turned off (no fingerprints in the plan): no marker cache, no variable.
    plain = child_of(plan_of(entry("core")))["test"]
    assert "UVMONO_FINGERPRINT" not in plain["parallel"]["matrix"][0]
    assert isinstance(plain["cache"], dict)


@pytest.mark.parametrize(("status", "marked"), [(0, True), (1, False), (5, False)])
def test_the_marker_is_written_after_a_green_run_only_and_then_skips(
    tmp_path: Path, status: int, marked: bool
) -> None:
    job = fingerprinted_child()
    variables = {"PACKAGE": "core", "UVMONO_ENV": "1", "UV_PYTHON": "3.12"}
    variables["UVMONO_FINGERPRINT"] = FP
    (tmp_path / "packages" / "core").mkdir(parents=True)

    first = run_child_script(tmp_path, job, variables, pytest_status=status)
    marker = tmp_path / ".uvmono-pass"

    assert first.returncode == status, first.stdout + first.stderr
    assert marker.exists() == marked
    second = run_child_script(tmp_path, job, variables, pytest_status=3)
    if marked:
        assert marker.read_text() == f"uvmono-pass-core-py3.12-{FP}\n"
        assert second.returncode == 0
        assert f"uvmono: core passed before at {FP}, skipped: cached" in second.stdout
        ignoring = run_child_script(
            tmp_path, job, {**variables, "UVMONO_IGNORE_CACHE": "true"}, pytest_status=3
        )
        assert ignoring.returncode == 3, "ignoring the cache runs the tests"
    else:
        assert second.returncode == 3, "a failed run leaves nothing that skips"


def test_a_marker_for_another_fingerprint_does_not_skip(tmp_path: Path) -> None:
    job = fingerprinted_child()
    (tmp_path / "packages" / "core").mkdir(parents=True)
    (tmp_path / ".uvmono-pass").write_text(f"uvmono-pass-core-py3.12-{'0' * 32}\n")
    variables = {"PACKAGE": "core", "UVMONO_ENV": "1", "UV_PYTHON": "3.12"}

    proc = run_child_script(tmp_path, job, {**variables, "UVMONO_FINGERPRINT": FP}, 4)

    assert proc.returncode == 4, "a fallback cache's marker (another key) never counts"
