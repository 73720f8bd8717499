"""GitHub Actions: the generated workflow, the plan step as GitHub runs it, and its matrices.

The workflow is golden-tested and checked by the real validators (actionlint with shellcheck,
zizmor, GitHub's JSON schema and GitHub's own workflow parser). The plan step runs as a
subprocess in real git repositories with real event payloads in GITHUB_EVENT_PATH, and the
workflow's own shell scripts run under bash on the matrices it produced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GOLDEN as GOLDEN_ROOT
from tests.conftest import assert_golden
from tests.gitutil import ZERO_SHA, GitRepo, git_env
from tests.validators import VALIDATORS_BIN, require
from tests.wsutil import (
    REPO,
    SAMPLE,
    install_source_of,
    project,
    uv_binary,
    uvmono,
    virtual_root,
    write_tree,
)
from uvmono import files, graph, workspace
from uvmono.commands import ci_github
from uvmono.commands import matrix as matrix_command
from uvmono.errors import UvmonoError
from uvmono.plan import Plan, PlanEntry, make_plan
from uvmono.render import actions, github, install, matrix, summary
from uvmono.test_environment import VIRTUAL_ROOT, TestEnvironment, TestPlan

GOLDEN = GOLDEN_ROOT / "github"
WORKFLOW = ".github/workflows/uvmono.yml"
SOURCE = f"uvmono @ git+https://github.com/acme/uvmono@{'e' * 40}"
MISSING_SHA = "0123456789abcdef0123456789abcdef01234567"


def ci_settings(source: str = SOURCE, extra: str = "") -> str:
    return f'[tool.uvmono.ci]\nuvmono-source = "{source}"\n{extra}'


def small_workspace(root: Path, tail: str = "") -> Path:
    """core <- app (with a console script, so an image); other stands alone."""
    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail=tail or ci_settings()),
            "packages/core/pyproject.toml": project("core"),
            "packages/app/pyproject.toml": project(
                "app", ["core"], sources=["core"], scripts={"app": "app:main"}
            ),
            "packages/other/pyproject.toml": project("other"),
        },
    )


def workflow_of(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ci_github.artifacts(workspace.load(root))[0].body)
    return data


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


def plan_of(*entries: PlanEntry) -> Plan:
    return Plan("/ws", "a" * 40, None, tuple(entries))


# --------------------------------------------------------------- the sample's workflow


def test_the_sample_workflow_matches_its_golden_file() -> None:
    (artifact,) = ci_github.artifacts(workspace.load(SAMPLE))

    assert artifact.path == WORKFLOW
    assert_golden(GOLDEN / "uvmono.yml", artifact.body)


def test_the_committed_sample_workflow_is_current() -> None:
    proc = uvmono("ci", "github", "--check", cwd=SAMPLE)

    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_sample_matrix_and_summary_match_their_golden_files() -> None:
    ws = workspace.load(SAMPLE)
    everything = make_plan(ws, sorted(ws.members), base="b" * 40)
    reasons = {
        "acme-core": ["files changed: libs/core/src/acme_core/models.py"],
        "acme-storage": ["depends on acme-core, which changed"],
        "acme-api": ["depends on acme-storage -> acme-core, which changed"],
    }
    plan = make_plan(ws, sorted(reasons), reasons, base="b" * 40)
    affected_part = graph.build(ws).subgraph(list(reasons)).copy()
    text = summary.step_summary(
        plan,
        base_source=f"GitHub pull_request: base sha {'b' * 40}",
        changed_files=1,
        directly_changed={"acme-core"},
        workspace_members=len(ws.members),
        test_jobs=3,
        image_jobs=1,
        mermaid=graph.to_mermaid(affected_part, highlight=["acme-core"]),
    )
    matrices = {
        "matrix": matrix.include(matrix.test_jobs(everything, 256)),
        "images": matrix.include(matrix.image_jobs(everything, 256)),
    }

    assert_golden(GOLDEN / "matrix.json", json.dumps(matrices, indent=2) + "\n")
    assert_golden(GOLDEN / "summary.md", text)


# ------------------------------------------------------------------ the real validators


def validator_env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{VALIDATORS_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def workflow_variants(tmp_path: Path) -> dict[str, Path]:
    """The committed sample workflow, and one for a workspace with a group source and no images."""
    root = write_tree(
        tmp_path / "group",
        {
            "pyproject.toml": virtual_root(["packages/*"])
            + '[dependency-groups]\nuvmono = ["uvmono"]\n'
            + '[tool.uvmono.ci]\nrunner = "ubuntu-22.04"\ndefault-branch = "trunk"\n',
            "packages/lib/pyproject.toml": project("lib"),
            "uv.lock": LOCK_WITH_UVMONO.format(source=GIT_SOURCE),
        },
    )
    assert uvmono("ci", "github", cwd=root).returncode == 0
    return {"sample": SAMPLE / WORKFLOW, "group": root / WORKFLOW}


def test_actionlint_finds_nothing(tmp_path: Path) -> None:
    actionlint = require("actionlint")
    require("shellcheck")  # actionlint checks every run: script with it
    for name, path in workflow_variants(tmp_path).items():
        proc = subprocess.run(
            [actionlint, "-no-color", str(path)],
            capture_output=True,
            text=True,
            env=validator_env(),
            check=False,
        )
        assert proc.returncode == 0, f"{name}:\n{proc.stdout}{proc.stderr}"


def test_zizmor_finds_nothing_not_even_pedantic_notes(tmp_path: Path) -> None:
    zizmor = require("zizmor")
    for name, path in workflow_variants(tmp_path).items():
        proc = subprocess.run(
            [zizmor, "--offline", "--no-progress", "--persona", "auditor", str(path)],
            capture_output=True,
            text=True,
            env=validator_env(),
            check=False,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"{name}:\n{output}"
        assert "No findings to report" in output, output
        assert "suppressed" not in output, output


def test_the_github_workflow_schema_accepts_it(tmp_path: Path) -> None:
    check_jsonschema = require("check-jsonschema")
    paths = [str(p) for p in workflow_variants(tmp_path).values()]
    proc = subprocess.run(
        [check_jsonschema, "--builtin-schema", "vendor.github-workflows", *paths],
        capture_output=True,
        text=True,
        env=validator_env(),
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_githubs_own_workflow_parser_accepts_it(tmp_path: Path) -> None:
    parser = require("gha-workflow-parse")
    for name, path in workflow_variants(tmp_path).items():
        proc = subprocess.run(
            [parser, str(path)], capture_output=True, text=True, env=validator_env(), check=False
        )
        assert proc.returncode == 0, f"{name}:\n{proc.stdout}{proc.stderr}"
        assert "OK" in proc.stdout


# ----------------------------------------------------------------- the workflow's shape


def steps_with(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    return [s for job in data["jobs"].values() for s in job["steps"] if key in s]


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment() -> None:
    text = (SAMPLE / WORKFLOW).read_text()
    uses_lines = [line.strip() for line in text.splitlines() if "uses:" in line]
    pinned = {a.uses: a.version for a in actions.ALL}

    assert len(uses_lines) == 9  # the test job's two are actions/cache's restore and save
    for line in uses_lines:
        match = re.fullmatch(r"(?:- )?uses: (\S+@[0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert match, line
        assert pinned[match.group(1)] == match.group(2)


def test_no_expression_reaches_a_script_and_every_script_value_comes_from_env() -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    scripts = steps_with(data, "run")

    assert len(scripts) == 8
    for step in scripts:
        assert "${{" not in step["run"], step["name"]


def test_permissions_are_read_only_except_packages_for_the_image_job() -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())

    assert data["permissions"] == {"contents": "read"}
    granted = {name: job.get("permissions") for name, job in data["jobs"].items()}
    assert granted == {
        "plan": None,
        "test": None,
        "image": {"contents": "read", "packages": "write"},
        "ci-ok": None,
    }


def test_checkouts_keep_no_credentials_and_the_plan_gets_the_full_history() -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    checkouts = {
        name: step["with"]
        for name, job in data["jobs"].items()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    }

    assert checkouts == {
        "plan": {"fetch-depth": 0, "persist-credentials": False},
        "test": {"persist-credentials": False},
        "image": {"persist-credentials": False},
    }


def test_triggers_concurrency_and_the_jobs_that_an_empty_plan_skips() -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    jobs = data["jobs"]

    assert data["on"] == {
        "pull_request": {},
        "push": {"branches": ["main"]},
        "merge_group": {},
        "workflow_dispatch": {
            "inputs": {
                "everything": {
                    "description": "Test and build every member, not only those a change affects",
                    "type": "boolean",
                    "default": True,
                },
                "ignore-cache": {
                    "description": "Ignore the cache: test every planned member, even one that "
                    "passed before",
                    "type": "boolean",
                    "default": False,
                },
            }
        },
    }
    assert data["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert jobs["plan"]["outputs"]["has-changes"] == "${{ steps.plan.outputs.has-changes }}"
    assert jobs["test"]["if"] == "needs.plan.outputs.has-changes == 'true'"
    assert jobs["image"]["if"] == "needs.plan.outputs.has-images == 'true'"
    assert jobs["test"]["strategy"]["fail-fast"] is False
    assert jobs["ci-ok"] == {
        "name": "ci-ok",
        "needs": ["plan", "test", "image"],
        "if": "always()",
        "runs-on": "ubuntu-24.04",
        "steps": jobs["ci-ok"]["steps"],
    }
    # The sample sits in sample-monorepo/ of this repository: scripts run there.
    assert data["defaults"]["run"] == {"shell": "bash", "working-directory": "sample-monorepo"}
    (test_setup,) = [s["with"] for s in jobs["test"]["steps"] if s["name"] == "Set up uv"]
    assert test_setup["cache-dependency-glob"] == "sample-monorepo/uv.lock"
    assert test_setup["enable-cache"] is True
    (build,) = [s["with"] for s in jobs["image"]["steps"] if s["name"].startswith("Build ")]
    assert build["cache-from"] == "type=gha,scope=${{ matrix.package }}"
    assert build["context"] == "sample-monorepo"
    assert build["file"] == "sample-monorepo/${{ matrix.dockerfile }}"
    assert build["push"] == "${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}"
    assert build["build-args"] == "REVISION=${{ github.sha }}", "the revision label"


def test_the_yaml_has_no_anchors_and_renders_identically_twice() -> None:
    ws = workspace.load(SAMPLE)
    first = ci_github.artifacts(ws)[0].body

    assert first == ci_github.artifacts(ws)[0].body
    assert not re.search(r"(?m)(?:: |- )[&*][A-Za-z0-9]", first)


def test_a_workspace_without_images_gets_no_image_job_and_no_write_permission(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail=ci_settings()),
            "packages/lib/pyproject.toml": project("lib"),
        },
    )

    data = workflow_of(root)

    assert list(data["jobs"]) == ["plan", "test", "ci-ok"]
    assert data["jobs"]["ci-ok"]["needs"] == ["plan", "test"]
    assert "packages: write" not in ci_github.artifacts(workspace.load(root))[0].body


def test_a_configured_ghcr_registry_is_used_as_is_and_others_are_refused(tmp_path: Path) -> None:
    docker = '[tool.uvmono.docker]\nregistry = "ghcr.io/acme"\n'
    small_workspace(tmp_path / "ghcr", ci_settings(extra=docker))
    small_workspace(tmp_path / "quay", ci_settings(extra=docker.replace("ghcr.io", "quay.io")))

    tags = workflow_of(tmp_path / "ghcr")["jobs"]["image"]["steps"][2]["run"]
    refused = uvmono("ci", "github", "--stdout", cwd=tmp_path / "quay")

    assert tags.startswith('image="$IMAGE_NAME"\n')
    assert refused.returncode == 2
    assert "pushes images to the GitHub Container Registry only" in refused.stderr


# ------------------------------------------------------------- where uvmono comes from

GIT_SOURCE = '{ git = "https://github.com/acme/uvmono?rev=e6a576b#' + "e" * 40 + '" }'
LOCK_WITH_UVMONO = """\
version = 1
revision = 3
requires-python = ">=3.11"

[manifest]
members = ["lib"]

[manifest.dependency-groups]
uvmono = [{{ name = "uvmono" }}]

[[package]]
name = "lib"
version = "0.1.0"
source = {{ editable = "packages/lib" }}

[[package]]
name = "uvmono"
version = "0.1.0"
source = {source}
"""


def workspace_with_source(
    root: Path, source: str | None, *, group: bool = False, lock_source: str = GIT_SOURCE
) -> workspace.Workspace:
    tail = '[dependency-groups]\nuvmono = ["uvmono"]\n' if group else ""
    tail += "" if source is None else ci_settings(source)
    files_ = {
        "pyproject.toml": virtual_root(["packages/*"], tail=tail),
        "packages/lib/pyproject.toml": project("lib"),
    }
    if group:
        files_["uv.lock"] = LOCK_WITH_UVMONO.format(source=lock_source)
    write_tree(root, files_)
    return workspace.load(root)


@pytest.mark.parametrize(
    "source",
    [
        f"uvmono @ git+https://github.com/acme/uvmono@{'a' * 40}",
        f"uvmono[extra] @ git+ssh://git@github.com/acme/uvmono@{'a' * 40}#subdirectory=x",
        "uvmono @ https://files.example.com/uvmono-0.1.0-py3-none-any.whl#sha256=" + "0" * 64,
        "uvmono @ file:///work/uvmono",
        "./tools/uvmono",
        "/opt/src/uvmono",
    ],
)
def test_pinned_sources_are_installed_with_uvx(tmp_path: Path, source: str) -> None:
    ws = workspace_with_source(tmp_path, source)

    assert install_source_of(ws) == install.InstallSource("requirement", source)
    plan_step = workflow_of(tmp_path)["jobs"]["plan"]["steps"][2]
    assert plan_step["env"] == {"UVMONO_SOURCE": source}
    assert plan_step["run"] == (
        'uvx --from "$UVMONO_SOURCE" uvmono matrix --since auto --github-output\n'
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("uvmono", "dependency confusion"),
        ("uvmono>=1", "dependency confusion"),
        ("uvmono==0.1.0", "dependency confusion"),
        ("UvMono ~= 0.1", "dependency confusion"),
        (f"other @ git+https://github.com/acme/other@{'a' * 40}", "installs 'other', not uvmono"),
        ("uvmono @ git+https://github.com/acme/uvmono", "not pinned to a commit"),
        ("uvmono @ git+https://github.com/acme/uvmono@main", "not pinned to a commit"),
        ("uvmono @ git+https://github.com/acme/uvmono@v1.2.3", "not pinned to a commit"),
        ("uvmono @ http://example.com/uvmono-0.1.0-py3-none-any.whl", "neither a git URL"),
        ("uvmono @ https://github.com/acme/uvmono/archive/main.zip", "not a pinned wheel URL"),
        ("--index-url https://evil.example uvmono", "is not a requirement"),
        ("group:tools", "does not declare"),
    ],
)
def test_sources_that_could_resolve_from_an_index_are_refused(
    tmp_path: Path, source: str, message: str
) -> None:
    ws = workspace_with_source(tmp_path, source)

    with pytest.raises(UvmonoError, match=re.escape(message)) as caught:
        install_source_of(ws)
    assert caught.value.hint


def test_an_exact_version_from_an_index_that_replaces_pypi(tmp_path: Path) -> None:
    workspace_with_source(tmp_path, "uvmono==0.1.0 --default-index https://pypi.acme.dev/simple")

    plan_step = workflow_of(tmp_path)["jobs"]["plan"]["steps"][2]

    assert plan_step["env"] == {
        "UVMONO_SOURCE": "uvmono==0.1.0",
        "UVMONO_INDEX": "https://pypi.acme.dev/simple",
    }
    assert plan_step["run"].startswith(
        'uvx --default-index "$UVMONO_INDEX" --from "$UVMONO_SOURCE" uvmono matrix'
    )


def test_without_a_source_the_uvmono_group_is_the_default(tmp_path: Path) -> None:
    ws = workspace_with_source(tmp_path, None, group=True)

    assert install_source_of(ws) == install.InstallSource("group", "uvmono")
    plan_step = workflow_of(tmp_path)["jobs"]["plan"]["steps"][2]
    assert plan_step["env"] == {"UVMONO_GROUP": "uvmono"}
    assert plan_step["run"] == (
        'uv run --frozen --only-group "$UVMONO_GROUP" -- uvmono matrix --since auto '
        "--github-output\n"
    )


def test_without_a_source_or_a_group_generation_stops_with_the_three_options(
    tmp_path: Path,
) -> None:
    workspace_with_source(tmp_path, None)

    proc = uvmono("ci", "github", cwd=tmp_path)

    assert proc.returncode == 2
    assert "error: `tool.uvmono.ci.uvmono-source` is not set" in proc.stderr
    assert "unrelated project" in proc.stderr
    assert "[dependency-groups]" in proc.stderr
    assert "uvmono @ git+https://github.com/ORG/uvmono@<40-hex commit>" in proc.stderr
    assert ".whl" in proc.stderr
    assert not (tmp_path / WORKFLOW).exists()


def test_a_group_whose_lock_resolves_uvmono_from_an_index_is_refused(tmp_path: Path) -> None:
    ws = workspace_with_source(
        tmp_path,
        "group:uvmono",
        group=True,
        lock_source='{ registry = "https://pypi.org/simple" }',
    )

    with pytest.raises(UvmonoError, match="resolves uvmono from a package index"):
        install_source_of(ws)


# --------------------------------------------------------------- `uvmono ci github` itself


def test_ci_github_writes_checks_and_refuses_to_clobber_an_edit(tmp_path: Path) -> None:
    small_workspace(tmp_path)

    first = uvmono("ci", "github", cwd=tmp_path)
    again = uvmono("ci", "github", cwd=tmp_path)
    clean = uvmono("ci", "github", "--check", cwd=tmp_path)
    (tmp_path / WORKFLOW).write_text((tmp_path / WORKFLOW).read_text() + "# mine\n")
    stale = uvmono("ci", "github", "--check", cwd=tmp_path)
    refused = uvmono("ci", "github", cwd=tmp_path)
    forced = uvmono("ci", "github", "--force", cwd=tmp_path)

    assert f"create {WORKFLOW}" in first.stderr
    assert f"unchanged {WORKFLOW}" in again.stderr
    assert clean.returncode == 0
    assert stale.returncode == 1
    assert "+# mine" not in stale.stdout and "-# mine" in stale.stdout
    assert refused.returncode == 2
    assert forced.returncode == 0
    assert uvmono("ci", "github", "--check", cwd=tmp_path).returncode == 0


def test_ci_github_stdout_prints_the_file_with_its_header_and_writes_nothing(
    tmp_path: Path,
) -> None:
    small_workspace(tmp_path)

    proc = uvmono("ci", "github", "--stdout", cwd=tmp_path)

    assert proc.returncode == 0
    assert proc.stdout.startswith("# Generated by uvmono with `uvmono ci github`")
    assert "packages/app/Dockerfile does not exist yet" in proc.stderr
    assert not (tmp_path / WORKFLOW).exists()


def test_a_workspace_in_a_subdirectory_runs_its_scripts_there(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = small_workspace(repo.path / "python")

    data = workflow_of(root)
    proc = uvmono("ci", "github", cwd=root)

    assert data["defaults"]["run"] == {"shell": "bash", "working-directory": "python"}
    uv_setups = [s["with"] for s in steps_with(data, "uses") if "setup-uv" in s["uses"]]
    assert {w["cache-dependency-glob"] for w in uv_setups} == {"python/uv.lock"}
    (build,) = [
        s["with"] for s in data["jobs"]["image"]["steps"] if "build-push" in s.get("uses", "")
    ]
    assert (build["context"], build["file"]) == ("python", "python/${{ matrix.dockerfile }}")
    assert "GitHub runs only workflows in .github/workflows/ at the repository root" in (
        proc.stderr
    )


def test_the_workflow_path_comes_from_the_configuration(tmp_path: Path) -> None:
    small_workspace(tmp_path, ci_settings(extra='github-workflow = ".github/workflows/ci.yml"\n'))

    assert uvmono("ci", "github", cwd=tmp_path).returncode == 0
    assert (tmp_path / ".github/workflows/ci.yml").is_file()


# ---------------------------------------------------------- the plan step, as GitHub runs it


@dataclass(frozen=True)
class PlanStep:
    proc: subprocess.CompletedProcess[str]
    outputs: dict[str, str]
    summary: str

    @property
    def matrix(self) -> list[dict[str, Any]]:
        jobs: list[dict[str, Any]] = json.loads(self.outputs["matrix"])["include"]
        return jobs

    @property
    def tested(self) -> list[str]:
        return sorted(m["package"] for job in self.matrix for m in job["members"])

    @property
    def images(self) -> list[str]:
        return [job["package"] for job in json.loads(self.outputs["images"])["include"]]


def parse_outputs(text: str) -> dict[str, str]:
    """$GITHUB_OUTPUT in GitHub's multi-line form: `name<<DELIMITER`, lines, `DELIMITER`."""
    lines = text.split("\n")
    outputs: dict[str, str] = {}
    i = 0
    while lines[i]:
        name, sep, delimiter = lines[i].partition("<<")
        assert sep and name not in outputs, lines[i]
        end = lines.index(delimiter, i + 1)
        outputs[name] = "\n".join(lines[i + 1 : end])
        i = end + 1
    assert lines[i:] == [""], "text after the last output"
    return outputs


PLAN_ARGS = ("matrix", "--since", "auto", "--github-output")


def run_plan_step(
    repo: GitRepo,
    event: str,
    payload: Mapping[str, Any],
    tmp_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    argv: Sequence[str] = (sys.executable, "-m", "uvmono", *PLAN_ARGS),
) -> PlanStep:
    """`uvmono matrix --since auto --github-output` with the environment GitHub gives a step."""
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    (runner / "event.json").write_text(json.dumps(payload), encoding="utf-8")
    (runner / "output").write_text("")
    (runner / "summary").write_text("")
    full_env = {
        k: v for k, v in git_env().items() if not k.startswith(("GITHUB_", "GITLAB_", "CI"))
    }
    full_env.update(
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_NAME=event,
        GITHUB_EVENT_PATH=str(runner / "event.json"),
        GITHUB_OUTPUT=str(runner / "output"),
        GITHUB_STEP_SUMMARY=str(runner / "summary"),
        GITHUB_SHA=repo.sha(),
        **(env or {}),
    )
    proc = subprocess.run(
        list(argv),
        cwd=repo.path,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    outputs = parse_outputs((runner / "output").read_text(encoding="utf-8"))
    return PlanStep(proc, outputs, (runner / "summary").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Clone:
    """A clone of `origin` (so origin/main exists, as after actions/checkout with fetch-depth 0)."""

    origin: GitRepo
    repo: GitRepo
    base: str  # main's commit when the clone was made


@pytest.fixture
def clone(tmp_path: Path) -> Clone:
    origin = GitRepo.init(tmp_path / "origin")
    small_workspace(origin.path)
    base = origin.commit("workspace")
    repo = GitRepo.clone(origin, tmp_path / "clone")
    return Clone(origin, repo, base)


def change(repo: GitRepo, member: str, name: str = "change") -> str:
    return repo.commit(f"change {member}", (f"packages/{member}/{name}.py", f"# {name}\n"))


def repository(default_branch: str = "main") -> dict[str, Any]:
    return {"default_branch": default_branch, "full_name": "acme/monorepo"}


def push_payload(
    before: str, after: str, *, branch: str = "main", created: bool = False, forced: bool = False
) -> dict[str, Any]:
    """The push event payload GitHub hands the plan step."""
    return {
        "before": before,
        "after": after,
        "created": created,
        "forced": forced,
        "ref": f"refs/heads/{branch}",
        "repository": repository(),
    }


def test_pull_request_compares_the_merge_commit_with_the_base_sha(
    clone: Clone, tmp_path: Path
) -> None:
    repo = clone.repo
    repo.checkout("feature", new=True)
    head = change(repo, "core")
    repo.checkout("main")
    main = change(repo, "other")  # main moved on after the pull request branched off
    repo.run("checkout", "--quiet", "--detach", main)
    repo.run("merge", "--quiet", "--no-ff", "--no-edit", "feature")  # refs/pull/1/merge
    payload = {
        "action": "synchronize",
        "number": 1,
        "pull_request": {"base": {"sha": main, "ref": "main"}, "head": {"sha": head}},
        "repository": repository(),
    }

    step = run_plan_step(repo, "pull_request", payload, tmp_path)

    assert f"base {main[:12]} (GitHub pull_request: base sha {main})" in step.proc.stderr
    assert step.tested == ["app", "core"]
    assert step.images == ["app"]
    assert {k: step.outputs[k] for k in ("has-changes", "has-images", "count")} == {
        "has-changes": "true",
        "has-images": "true",
        "count": "2",
    }
    assert json.loads(step.proc.stdout) == json.loads(step.outputs["matrix"])
    assert "### uvmono: 2 of 3 members affected" in step.summary
    assert f"Base `{main[:12]}` (GitHub pull\\_request: base sha {main})" in step.summary
    core_row = "| **core** | packages/core |  | files changed: packages/core/change.py |"
    assert core_row in step.summary
    assert "| app | packages/app | app | depends on core, which changed |" in step.summary
    assert "```mermaid\ngraph LR\n" in step.summary
    assert "other" not in step.summary


def test_push_to_main_compares_with_before(clone: Clone, tmp_path: Path) -> None:
    repo = clone.repo
    head = change(repo, "other")
    payload = push_payload(clone.base, head)

    step = run_plan_step(repo, "push", payload, tmp_path)

    assert f"base {clone.base[:12]} (GitHub push: before {clone.base}, tree to" in step.proc.stderr
    assert step.tested == ["other"]
    assert step.outputs["has-images"] == "false"
    assert json.loads(step.outputs["images"]) == {"include": []}


def test_a_push_that_creates_a_branch_compares_with_the_default_branch(
    clone: Clone, tmp_path: Path
) -> None:
    repo = clone.repo
    repo.checkout("feature", new=True)
    change(repo, "app", "one")
    head = change(repo, "app", "two")
    payload = push_payload(ZERO_SHA, head, branch="feature", created=True)

    step = run_plan_step(repo, "push", payload, tmp_path)

    assert f"base {clone.base[:12]} (GitHub push created the branch" in step.proc.stderr
    assert step.tested == ["app"]
    assert step.images == ["app"]


def test_a_force_push_with_an_unreachable_before_falls_back_to_the_default_branch(
    clone: Clone, tmp_path: Path
) -> None:
    repo = clone.repo
    repo.checkout("feature", new=True)
    head = change(repo, "core")
    payload = push_payload(MISSING_SHA, head, branch="feature", forced=True)

    step = run_plan_step(repo, "push", payload, tmp_path)

    assert f"base {clone.base[:12]} (GitHub push: before {MISSING_SHA}" in step.proc.stderr
    assert "GitHub push: merge-base of origin/main and HEAD instead)" in step.proc.stderr
    assert step.tested == ["app", "core"]


def test_merge_group_compares_with_its_base_sha(clone: Clone, tmp_path: Path) -> None:
    repo = clone.repo
    repo.checkout("gh-readonly-queue/main/pr-7-" + clone.base, new=True)
    head = change(repo, "app")
    payload = {
        "merge_group": {
            "base_sha": clone.base,
            "head_sha": head,
            "head_ref": "refs/heads/gh-readonly-queue/main/pr-7",
        },
        "repository": repository(),
    }

    step = run_plan_step(repo, "merge_group", payload, tmp_path)

    assert f"base {clone.base[:12]} (GitHub merge_group: base sha {clone.base})" in (
        step.proc.stderr
    )
    assert step.tested == ["app"]


@pytest.mark.slow
def test_the_plan_step_script_installs_uvmono_from_its_source_and_plans(tmp_path: Path) -> None:
    uv = uv_binary()
    if uv is None:
        pytest.skip("uv is not installed")
    # The generated plan step, verbatim, with uvmono installed from this checkout.
    origin = GitRepo.init(tmp_path / "origin")
    small_workspace(origin.path, ci_settings(f"uvmono @ {REPO.as_uri()}"))
    base = origin.commit("workspace")
    repo = GitRepo.clone(origin, tmp_path / "clone")
    repo.checkout("feature", new=True)
    head = change(repo, "core")
    (step,) = [s for s in workflow_of(repo.path)["jobs"]["plan"]["steps"] if s.get("id") == "plan"]
    payload = {
        "pull_request": {"base": {"sha": base}, "head": {"sha": head}},
        "repository": repository(),
    }
    bash = ("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"])
    path = f"{Path(uv).parent}{os.pathsep}{os.environ['PATH']}"

    planned = run_plan_step(
        repo, "pull_request", payload, tmp_path, env={**step["env"], "PATH": path}, argv=bash
    )

    assert f"base {base[:12]} (GitHub pull_request: base sha {base})" in planned.proc.stderr
    assert planned.tested == ["app", "core"]
    assert planned.outputs["has-images"] == "true"


@pytest.mark.slow
def test_the_test_step_script_runs_the_sample_tests_with_real_uv(tmp_path: Path) -> None:
    uv = uv_binary()
    if uv is None:
        pytest.skip("uv is not installed")
    need_jq()
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    workflow = yaml.safe_load((root / WORKFLOW).read_text())
    members = [
        {"package": "acme-core", "path": "libs/core", "test-command": "pytest"},
        {"package": "acme-api", "path": "services/api", "test-command": "pytest -q"},
    ]
    env = {
        "UVMONO_MEMBERS": json.dumps(members),
        "PATH": f"{Path(uv).parent}{os.pathsep}{os.environ['PATH']}",
        "UV_PYTHON_DOWNLOADS": "never",
        "VIRTUAL_ENV": "",
    }

    result = run_script(script_of(workflow, "test", "Test "), root, env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "::group::acme-core: test" in result.stdout
    assert "5 passed" in result.stdout and "3 passed" in result.stdout


def test_nothing_affected_gives_has_changes_false_and_no_job(clone: Clone, tmp_path: Path) -> None:
    repo = clone.repo
    head = repo.commit("only a note", ("NOTES.txt", "not in any member\n"))
    payload = push_payload(clone.base, head)

    step = run_plan_step(repo, "push", payload, tmp_path)

    assert step.outputs == {
        "matrix": '{"include":[]}',
        "images": '{"include":[]}',
        "has-changes": "false",
        "has-images": "false",
        "count": "0",
    }
    assert "### uvmono: no member affected" in step.summary
    assert "the test and image jobs are skipped" in step.summary


def test_github_output_without_the_runner_files_is_a_clear_error(clone: Clone) -> None:
    env = {k: v for k, v in git_env().items() if not k.startswith("GITHUB_")}

    proc = subprocess.run(
        [sys.executable, "-m", "uvmono", "matrix", "--since", "HEAD", "--github-output"],
        cwd=clone.repo.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 2
    assert "error: --github-output needs $GITHUB_OUTPUT" in proc.stderr
    assert "hint: use --github-output inside a GitHub Actions step" in proc.stderr


def test_outputs_are_appended_after_what_earlier_steps_wrote(clone: Clone, tmp_path: Path) -> None:
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "output").write_text("earlier=1\n")
    repo = clone.repo
    head = change(repo, "other")
    env = {k: v for k, v in git_env().items() if not k.startswith("GITHUB_")}
    env.update(GITHUB_OUTPUT=str(runner / "output"), GITHUB_STEP_SUMMARY=str(runner / "summary"))

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "uvmono",
            "matrix",
            "--since",
            clone.base,
            "--until",
            head,
            "--github-output",
        ],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    text = (runner / "output").read_text()
    assert text.startswith("earlier=1\nmatrix<<ghadelimiter_")
    assert parse_outputs(text.removeprefix("earlier=1\n"))["count"] == "1"


# ------------------------------------------------------------------------ the matrices


def test_600_members_fit_in_256_jobs_and_each_is_tested_exactly_once(tmp_path: Path) -> None:
    names = [f"m{i:03d}" for i in range(600)]
    tree = {"pyproject.toml": virtual_root(["packages/*"], tail=ci_settings())}
    for i, name in enumerate(names):
        text = project(name)
        tree[f"packages/{name}/pyproject.toml"] = (
            text.replace(">=3.11", ">=3.12") if i % 3 == 0 else text
        )
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, tree)
    repo.commit("600 members")
    repo.write("pyproject.toml", tree["pyproject.toml"] + "# a global change\n")

    proc = uvmono("matrix", "--since", "HEAD", cwd=repo.path, check=True)
    jobs = json.loads(proc.stdout)["include"]

    assert len(jobs) == 256
    tested = [m["package"] for job in jobs for m in job["members"]]
    assert sorted(tested) == names
    for job in jobs:
        assert job["packages"] == " ".join(m["package"] for m in job["members"])
        pythons = {"3.12" if int(m["package"][1:]) % 3 == 0 else "3.11" for m in job["members"]}
        assert pythons == {job["python"]}
    assert max(len(job["members"]) for job in jobs) == 3
    assert len({job["name"] for job in jobs}) == 256


@pytest.mark.parametrize("max_jobs", [1, 2, 3, 7, 255, 256, 300])
def test_batches_never_exceed_the_limit_nor_drop_or_mix(max_jobs: int) -> None:
    entries = [entry(f"p{i}", python=("3.11", "3.12", "3.13")[i % 7 % 3]) for i in range(260)]
    plan = plan_of(*entries)

    if max_jobs < 3:
        with pytest.raises(UvmonoError, match="Python versions"):
            matrix.test_jobs(plan, max_jobs)
        return
    jobs = matrix.test_jobs(plan, max_jobs)

    assert len(jobs) == min(max_jobs, 260)
    members = [m["package"] for job in jobs for m in job["members"]]
    assert sorted(members) == sorted(e.package for e in entries)
    python_of = {e.package: e.python for e in entries}
    assert all({python_of[m["package"]] for m in job["members"]} == {job["python"]} for job in jobs)


def test_a_single_member_job_carries_the_members_fields() -> None:
    plan = plan_of(
        entry(
            "api", image=True, image_name="ghcr.io/acme/api", dockerfile="packages/api/Dockerfile"
        )
    )

    (job,) = matrix.test_jobs(plan, 256)
    (image,) = matrix.image_jobs(plan, 256)

    sync = "--package api --no-default-groups --group dev"
    assert job == {
        "name": "api",
        "python": "3.12",
        "packages": "api",
        "members": [
            {
                "package": "api",
                "path": "packages/api",
                "test-command": "pytest",
                "sync": sync,
                "tests": "member",
                "test-paths": "",
                "runner": "pytest",
                "side": "",
                "fingerprint": "",
            }
        ],
        "pass-key": "",
        "package": "api",
        "path": "packages/api",
        "image": True,
        "image-name": "ghcr.io/acme/api",
        "dockerfile": "packages/api/Dockerfile",
        "test-command": "pytest",
        "pythons": ["3.12"],
        "test-environments": [
            {"sync": sync, "side": "", "installs": "extras: none; groups: none; root groups: dev"}
        ],
        "test-locations": None,
        "warnings": [],
    }
    assert image == {
        "name": "api",
        **{k: v for k, v in job.items() if k not in ("name", "packages", "members", "pass-key")},
    }


def test_max_jobs_comes_from_the_configuration(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    small_workspace(repo.path, ci_settings(extra="max-jobs = 2\n"))
    repo.commit("workspace")
    (repo.path / "pyproject.toml").write_text(
        (repo.path / "pyproject.toml").read_text() + "# global\n"
    )

    jobs = json.loads(uvmono("matrix", "--since", "HEAD", cwd=repo.path, check=True).stdout)

    assert [job["packages"] for job in jobs["include"]] == ["core app", "other"]


def test_max_jobs_is_capped_at_githubs_256_and_must_leave_a_job(tmp_path: Path) -> None:
    many = small_workspace(tmp_path / "many", ci_settings(extra="max-jobs = 1000\n"))
    none = small_workspace(tmp_path / "none", ci_settings(extra="max-jobs = 0\n"))

    assert matrix_command.max_jobs(workspace.load(many), matrix.GITHUB_MAX_JOBS) == 256
    with pytest.raises(UvmonoError, match="leaves no job to run"):
        matrix_command.max_jobs(workspace.load(none), matrix.GITHUB_MAX_JOBS)


def test_more_images_than_jobs_is_an_error_not_a_silent_drop() -> None:
    plan = plan_of(
        *(
            entry(f"s{i}", image=True, image_name=f"s{i}", dockerfile=f"packages/s{i}/Dockerfile")
            for i in range(3)
        )
    )

    with pytest.raises(UvmonoError, match="3 affected members need an image"):
        matrix.image_jobs(plan, 2)


def test_format_json_lists_every_member_with_its_reasons(clone: Clone) -> None:
    repo = clone.repo
    change(repo, "core")

    proc = uvmono("matrix", "--since", clone.base, "-f", "json", cwd=repo.path, check=True)
    data = json.loads(proc.stdout)

    assert data["base"] == clone.base
    assert data["directly_changed"] == ["core"]
    assert [m["package"] for m in data["members"]] == ["core", "app"]
    assert data["members"][1]["reasons"] == ["depends on core, which changed"]
    assert data["members"][1]["image-name"] == "app"


# ---------------------------------------------------------------------- hostile inputs

HOSTILE_DIRS = {
    "quote": 'it\'s "quoted"',
    "subst": "$(touch pwned)",
    "tick": "`touch pwned`",
    "space": "with space; echo injected",
    "dollar": "${HOME}x",
    "delim": "ghadelimiter_x",
}
RECORD_PWD = 'printf "%s\\n" "$PWD" >> "$UVMONO_TEST_LOG"'


def hostile_repo(tmp_path: Path, extra_dirs: Mapping[str, str] | None = None) -> GitRepo:
    dirs = {**HOSTILE_DIRS, **(extra_dirs or {})}
    tail = f"[tool.uvmono]\ntest-command = {json.dumps(RECORD_PWD)}\n" + ci_settings()
    tree = {"pyproject.toml": virtual_root(["packages/*"], tail=tail)}
    for name, directory in dirs.items():
        tree[f"packages/{directory}/pyproject.toml"] = project(name)
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, tree)
    repo.commit("hostile directory names")
    repo.write("pyproject.toml", tree["pyproject.toml"] + "# touch everything\n")
    return repo


def fake_tools(
    directory: Path, pytest_status: int = 0, *, has_module: bool = True
) -> dict[str, str]:
    """`uv` that runs what follows `--` after `uv run` and logs its other calls, a `pytest`
    that exits as told, and a `python` whose module check answers `has_module`."""
    directory.mkdir(parents=True, exist_ok=True)
    scripts = {
        "uv": '#!/bin/sh\nif [ "$1" = run ]; then\n'
        '  while [ "$1" != "--" ]; do shift; done\n  shift\n  exec "$@"\nfi\n'
        f'echo "$*" >> {directory}/synced\nexit 0\n',
        "pytest": f"#!/bin/sh\ntouch {directory}/ran-pytest\nexit {pytest_status}\n",
        "python": f"#!/bin/sh\nexit {0 if has_module else 1}\n",
    }
    for name, text in scripts.items():
        path = directory / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return {"PATH": f"{directory}{os.pathsep}{os.environ['PATH']}"}


def need_jq() -> None:
    """The test script reads the matrix with jq, as GitHub's runners have it; skip without it."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed (GitHub's runners have it; `apt-get install jq`)")


def run_script(script: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """A `run:` script the way GitHub runs it with `shell: bash`."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def script_of(data: Mapping[str, Any], job: str, name_prefix: str) -> str:
    (script,) = [s["run"] for s in data["jobs"][job]["steps"] if s["name"].startswith(name_prefix)]
    return str(script)


def test_hostile_directory_names_stay_data_in_the_matrix_and_the_test_script(
    tmp_path: Path,
) -> None:
    need_jq()
    repo = hostile_repo(tmp_path)
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {"GITHUB_OUTPUT": str(runner / "output"), "GITHUB_STEP_SUMMARY": str(runner / "sum")}
    proc = uvmono("matrix", "--since", "HEAD", "--github-output", cwd=repo.path, env=env)
    assert proc.returncode == 0, proc.stderr
    outputs = parse_outputs((runner / "output").read_text())
    jobs = json.loads(outputs["matrix"])["include"]
    workflow = ci_github.artifacts(workspace.load(repo.path))[0].body
    script = script_of(yaml.safe_load(workflow), "test", "Test ")
    log = tmp_path / "pwd.log"

    for job in jobs:
        # GitHub hands `${{ toJSON(matrix.members) }}` to the script as UVMONO_MEMBERS.
        result = run_script(
            script,
            repo.path,
            {
                "UVMONO_MEMBERS": json.dumps(job["members"], indent=2),
                "UVMONO_TEST_LOG": str(log),
                **fake_tools(tmp_path / "bin"),
            },
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "injected" not in result.stdout

    expected = sorted(str((repo.path / "packages" / d).resolve()) for d in HOSTILE_DIRS.values())
    assert sorted(log.read_text().splitlines()) == expected
    assert list(tmp_path.rglob("pwned")) == []
    assert {m["path"] for job in jobs for m in job["members"]} == {
        f"packages/{d}" for d in HOSTILE_DIRS.values()
    }
    for directory in HOSTILE_DIRS.values():
        assert directory not in workflow
    summary_text = (runner / "sum").read_text()
    assert 'it\'s "quoted"' in summary_text and "\\`touch pwned\\`" in summary_text


def test_a_directory_name_with_a_newline_is_refused_before_reaching_ci(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path, {"newline": "new\nline"})

    proc = uvmono("matrix", "--since", "HEAD", cwd=repo.path)

    assert proc.returncode == 2
    assert "cannot be passed to CI" in proc.stderr
    assert "hint: rename the directory" in proc.stderr


def test_an_image_name_built_from_a_hostile_path_is_refused(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    docker = '[tool.uvmono.docker]\nimage-name = "{path}"\n'
    write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail=ci_settings(extra=docker)),
            "packages/$(id)/pyproject.toml": project("app", scripts={"app": "app:main"}),
        },
    )
    repo.commit("workspace")
    repo.write("pyproject.toml", (repo.path / "pyproject.toml").read_text() + "# x\n")

    proc = uvmono("matrix", "--since", "HEAD", cwd=repo.path)

    assert proc.returncode == 2
    assert "'packages/$(id)' is not a valid image name" in proc.stderr


# -------------------------------------------------------- the workflow's other scripts


@pytest.fixture
def sample_workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    return data


def members_json(*members: tuple[str, str, str], **fields: str) -> str:
    """Matrix units as the plan job writes them; `fields` apply to every unit."""
    return json.dumps(
        [
            {
                "package": p,
                "path": d,
                "test-command": c,
                "sync": f"--package {p} --no-default-groups",
                "tests": "member",
                "test-paths": "",
                "runner": "",
                "side": "",
                **fields,
            }
            for p, d, c in members
        ]
    )


def test_no_tests_collected_fails_and_every_member_runs_even_after_a_failure(
    tmp_path: Path, sample_workflow: dict[str, Any]
) -> None:
    need_jq()
    script = script_of(sample_workflow, "test", "Test ")
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
    env = fake_tools(tmp_path / "bin", pytest_status=5)

    empty = run_script(
        script,
        tmp_path,
        {**env, "UVMONO_MEMBERS": members_json(("a", "a", "pytest"), runner="pytest")},
    )
    failing = run_script(
        script,
        tmp_path,
        {
            **env,
            "UVMONO_MEMBERS": members_json(
                ("a", "a", "exit 3"), ("b", "b", "pytest -x"), ("c", "c", "touch ran")
            ),
        },
    )
    unreadable = run_script(script, tmp_path, {**env, "UVMONO_MEMBERS": "not json"})

    assert empty.returncode == 1, empty.stdout + empty.stderr
    assert "::error::a: pytest collected no tests" in empty.stdout
    assert failing.returncode == 1
    assert "::error::a failed with exit status 3" in failing.stdout
    assert "::error::b failed with exit status 5" in failing.stdout
    assert (tmp_path / "c" / "ran").exists()
    assert "::error::failed: a b" in failing.stdout
    assert unreadable.returncode == 1


def test_the_job_syncs_with_the_units_flags_and_runs_its_test_locations(
    tmp_path: Path, sample_workflow: dict[str, Any]
) -> None:
    script = script_of(sample_workflow, "test", "Test ")
    env = fake_tools(tmp_path / "bin")
    units = json.loads(members_json(("a", "a", "touch"), ("b", "b", "exit 1")))
    units[0].update({"tests": "paths", "test-paths": "x y"})
    units[1].update(
        {"tests": "none", "sync": "--package b --no-default-groups --extra cpu --group test"}
    )

    proc = run_script(script, tmp_path, {**env, "UVMONO_MEMBERS": json.dumps(units)})

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "x").exists() and (tmp_path / "y").exists()  # at the workspace root
    assert "b has no tests (tests = [] in its [tool.uvmono])" in proc.stdout
    synced = (tmp_path / "bin" / "synced").read_text().splitlines()
    assert synced == [
        "sync --frozen --package a --no-default-groups",
        "sync --frozen --package b --no-default-groups --extra cpu --group test",
    ]


def test_a_runner_missing_from_the_environment_fails_the_member(
    tmp_path: Path, sample_workflow: dict[str, Any]
) -> None:
    script = script_of(sample_workflow, "test", "Test ")
    (tmp_path / "a").mkdir()
    env = fake_tools(tmp_path / "bin", has_module=False)
    members = members_json(("a", "a", "pytest"), runner="pytest")

    proc = run_script(script, tmp_path, {**env, "UVMONO_MEMBERS": members, "HAS_MODULE": "x"})

    assert proc.returncode == 1
    assert "::error::a: pytest is not installed in its test environment" in proc.stdout
    assert not (tmp_path / "bin" / "ran-pytest").exists()


@pytest.mark.parametrize(
    ("results", "status"),
    [
        ("success success success", 0),
        ("success skipped skipped", 0),
        ("success failure skipped", 1),
        ("success success cancelled", 1),
        ("failure skipped skipped", 1),
    ],
)
def test_ci_ok_fails_exactly_when_a_needed_job_failed_or_was_cancelled(
    tmp_path: Path, sample_workflow: dict[str, Any], results: str, status: int
) -> None:
    script = script_of(sample_workflow, "ci-ok", "Fail if")

    assert run_script(script, tmp_path, {"RESULTS": results}).returncode == status


def test_image_tags_are_lowercase_and_a_bad_name_writes_no_output(
    tmp_path: Path, sample_workflow: dict[str, Any]
) -> None:
    script = script_of(sample_workflow, "image", "Image tags")
    output = tmp_path / "output"
    env = {
        "OWNER": "Acme-Corp",
        "PACKAGE": "acme-api",
        "SHA": "c" * 40,
        "GITHUB_OUTPUT": str(output),
    }

    good = run_script(script, tmp_path, {**env, "IMAGE_NAME": "acme-api"})
    written = output.read_text()
    output.write_text("")
    bad = run_script(script, tmp_path, {**env, "IMAGE_NAME": "x\nevil=1"})

    assert good.returncode == 0
    image = "ghcr.io/acme-corp/acme-api"
    assert written == f"tags={image}:{'c' * 40},{image}:latest\n"
    assert bad.returncode == 1
    assert output.read_text() == ""


# ------------------------------------------------------------------------- the summary


def test_the_summary_escapes_file_names_in_reasons() -> None:
    hostile = "files changed: a|b.py, <img src=x onerror=alert(1)>, `x`\n| injected | row |"
    plan = plan_of(entry("core", reasons=(hostile,)), entry("app"))

    text = summary.step_summary(
        plan,
        base_source="merge-base of main and HEAD",
        changed_files=2,
        directly_changed={"core"},
        workspace_members=2,
        test_jobs=2,
        image_jobs=0,
        mermaid=None,
    )

    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 4  # the header, its separator and one row per member
    assert "<img" not in text and "&lt;img" in text
    assert "a\\|b.py" in text and "\\| injected \\| row \\|" in text


def test_a_graph_too_large_for_mermaid_is_left_out_with_a_note() -> None:
    plan = plan_of(entry("core"))
    big = "graph LR\n" + "".join(f"  n{i} --> n{i + 1}\n" for i in range(600))

    text = summary.step_summary(
        plan,
        base_source="x",
        changed_files=1,
        directly_changed=set(),
        workspace_members=1,
        test_jobs=1,
        image_jobs=0,
        mermaid=big,
    )

    assert "```mermaid" not in text
    assert "`uvmono graph --format mermaid` prints it" in text


def test_files_render_keeps_the_header_above_the_yaml() -> None:
    body = github.workflow(ci_github.options(workspace.load(SAMPLE)))
    text = files.render(files.Artifact(WORKFLOW, body, ci_github.COMMAND, "hash"))

    assert yaml.safe_load(text) == yaml.safe_load(body)
    assert (SAMPLE / WORKFLOW).read_text() == text


# ------------------------------------------------------------ skipping what already passed


def test_the_test_job_skips_on_a_pass_marker_and_saves_one_after_success_only() -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    steps = data["jobs"]["test"]["steps"]
    names = [s["name"] for s in steps]
    by_name = {s["name"]: s for s in steps}
    miss = "steps.passed.outputs.cache-hit != 'true'"

    assert names == [
        "Check out",
        "Look up the pass marker",
        "Passed before: skip",
        "Set up uv",
        "Test ${{ matrix.packages }}",
        "Write the pass marker",
        "Save the pass marker",
    ]
    lookup = by_name["Look up the pass marker"]
    assert lookup["uses"] == actions.CACHE_RESTORE.uses
    assert lookup["id"] == "passed"
    assert lookup["with"] == {
        "path": ".uvmono-pass",
        "key": "${{ matrix.pass-key }}",
        "lookup-only": True,
    }
    assert lookup["if"] == "matrix.pass-key != '' && !inputs.ignore-cache"
    assert by_name["Passed before: skip"]["if"] == "steps.passed.outputs.cache-hit == 'true'"
    assert by_name["Set up uv"]["if"] == miss
    assert by_name["Test ${{ matrix.packages }}"]["if"] == miss
    save = by_name["Save the pass marker"]
    assert save["uses"] == actions.CACHE_SAVE.uses
    assert save["with"] == {"path": ".uvmono-pass", "key": "${{ matrix.pass-key }}"}
    for step in (save, by_name["Write the pass marker"]):
        # success(): never after a failed or cancelled step; and only when nothing was skipped.
        assert step["if"] == f"success() && matrix.pass-key != '' && {miss}"
        assert "always()" not in step["if"] and "failure()" not in step["if"]
    assert data["on"]["workflow_dispatch"]["inputs"]["ignore-cache"]["default"] is False
    # restore and save name one path: the cache version GitHub keys entries by includes it.
    assert {s["with"]["path"] for s in (lookup, save)} == {github.PASS_MARKER}


def test_the_skip_step_says_so_and_lists_each_member_as_cached(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLE / WORKFLOW).read_text())
    summary_file = tmp_path / "summary"
    env = {
        "PASS_KEY": "uvmono-pass-acme-core-py3.12-" + "a" * 32,
        "PACKAGES": "acme-core acme-api",
        "GITHUB_STEP_SUMMARY": str(summary_file),
    }

    result = run_script(script_of(data, "test", "Passed before"), tmp_path, env)

    assert result.returncode == 0, result.stderr
    assert f"passed before at {env['PASS_KEY']}, skipped" in result.stdout
    rows = summary_file.read_text().splitlines()
    assert rows == [
        "| Member | Result |",
        "| --- | --- |",
        "| acme-core | cached |",
        "| acme-api | cached |",
    ]


def test_turned_off_the_workflow_has_no_cache_step_and_no_ignore_input(tmp_path: Path) -> None:
    root = small_workspace(tmp_path / "ws", ci_settings(extra="skip-passed = false\n"))
    data = workflow_of(root)

    uses = [s.get("uses", "") for s in data["jobs"]["test"]["steps"]]
    assert not [u for u in uses if u.startswith("actions/cache")]
    assert "ignore-cache" not in data["on"]["workflow_dispatch"]["inputs"]
    assert all("if" not in s for s in data["jobs"]["test"]["steps"])


def test_the_plan_step_gives_each_job_the_fingerprint_uvmono_hash_prints(
    clone: Clone, tmp_path: Path
) -> None:
    repo = clone.repo
    head = change(repo, "core")
    payload = push_payload(clone.base, head)

    step = run_plan_step(repo, "push", payload, tmp_path)
    local = uvmono("hash", "--format", "json", cwd=repo.path)

    assert local.returncode == 0, local.stderr
    tasks = json.loads(local.stdout)["tasks"]
    printed = {(t["package"], t["python"]): t["fingerprint"] for t in tasks}
    jobs = json.loads(step.outputs["matrix"])["include"]
    assert {j["package"] for j in jobs} == {"app", "core"}
    for job in jobs:
        (unit,) = job["members"]
        fp = printed[(job["package"], job["python"])]
        assert unit["fingerprint"] == fp
        assert job["pass-key"] == f"uvmono-pass-{job['package']}-py{job['python']}-{fp}"


def test_pass_keys_name_member_python_and_fingerprint_and_fit_the_cache() -> None:
    fp = "c" * 32
    long_name = "x" * 600

    assert matrix.pass_key("3.12", [("core", fp)]) == f"uvmono-pass-core-py3.12-{fp}"
    assert matrix.pass_key("3.12", [("core", "")]) == "", "no fingerprint: no marker"
    batch = matrix.pass_key("3.12", [("a", fp), ("b", "d" * 32)])
    assert batch.startswith("uvmono-pass-a+1-py3.12-") and fp not in batch
    assert batch != matrix.pass_key("3.12", [("a", fp), ("b", "e" * 32)])
    long_key = matrix.pass_key("3.12", [(long_name, fp)])
    assert len(long_key) <= matrix.MAX_CACHE_KEY and long_key.endswith(f"-py3.12-{fp}")
    assert "," not in batch + long_key, "the Actions cache refuses commas in keys"
