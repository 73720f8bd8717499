"""Generated test jobs do what a maintainer would do by hand, proven with real uv and pytest.

- Parity: for every shape here and in tests/test_conformance.py, `uv export --frozen` with the
  job's exact `uv sync` flags lists the same members and packages as uvmono's test environment
  of that member — the environment `affected` counts.
- Python: the lock's requires-python (the workspace's) decides, not the member's own.
- Root groups reach members without groups of their own, conflicts are never installed together,
  tests in the root's tests/ belong to the member configured for them.
- The generated GitHub `run:` block and GitLab child script, run by bash with each matrix
  entry's variables, real uv and real pytest: green when the tests pass, red when one fails or
  when none is collected.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import test_conformance
from tests.gitutil import GitRepo, git_env
from tests.validators import require
from tests.wsutil import project, uv_binary, uvmono, virtual_root, write_tree
from uvmono import environment, python, test_environment, workspace
from uvmono.errors import UvmonoError
from uvmono.lockfile import PackageId
from uvmono.render import matrix
from uvmono.workspace import lock_of

pytestmark = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def member(name: str, deps: list[str] | None = None, *, python: str = ">=3.11", **kw: Any) -> str:
    text = project(name, deps or [], **kw)
    return text.replace('requires-python = ">=3.11"', f'requires-python = "{python}"')


SHAPES: dict[str, dict[str, str]] = {
    "workspace-python-narrower-than-a-member": {
        "pyproject.toml": virtual_root(["p/*"], sources=["old"]),
        "p/old/pyproject.toml": member("old", ["six"], python=">=3.10"),
        "p/new/pyproject.toml": member("new", ["old"], python=">=3.12"),
    },
    "root-groups-with-and-without-own-groups": {
        "pyproject.toml": virtual_root(
            ["p/*"],
            sources=["helpers"],
            tail='[dependency-groups]\ndev = ["pytest", "helpers"]\nlint = ["six"]\n',
        ),
        "p/bare/pyproject.toml": member("bare"),
        "p/own/pyproject.toml": member("own", groups={"test": ["iniconfig"]}),
        "p/shadow/pyproject.toml": member("shadow", groups={"dev": ["idna"]}),
        "p/helpers/pyproject.toml": member("helpers"),
    },
    "root-member-groups": {
        "pyproject.toml": member(
            "app",
            ["lib"],
            groups={"dev": ["pytest"]},
            sources=["lib"],
            tail='[tool.uv.workspace]\nmembers = ["libs/*"]\n',
        ),
        "libs/lib/pyproject.toml": member("lib"),
    },
    "conflicting-extras-and-groups": {
        "pyproject.toml": virtual_root(["p/*"], sources=["ml"]),
        "p/ml/pyproject.toml": member(
            "ml",
            extras={"cpu": ["six"], "gpu": ["idna"], "plot": ["iniconfig"]},
            groups={"g1": ["packaging"], "g2": ["pluggy"]},
            tail='[tool.uv]\nconflicts = [[{ extra = "cpu" }, { extra = "gpu" }],'
            ' [{ group = "g1" }, { group = "g2" }]]\n',
        ),
        "p/app/pyproject.toml": member("app", ["ml[cpu]"]),
    },
    "tests-in-root-tests": {
        "pyproject.toml": virtual_root(
            ["p/*"], sources=["sdk"], tail='[dependency-groups]\ndev = ["pytest"]\n'
        ),
        "p/sdk/pyproject.toml": member("sdk", tail='[tool.uvmono]\ntests = ["tests/sdk"]\n'),
        "p/app/pyproject.toml": member("app", ["sdk"]),
        "tests/sdk/test_sdk.py": "def test_sdk():\n    import sdk\n",
        "p/app/tests/test_app.py": "def test_app():\n    import app\n",
    },
}


def uv_env(python_version: str | None = None) -> dict[str, str]:
    """uv's environment: every Python of this machine on PATH (pyenv's shims answer for one
    version only and make uv's discovery fail), UV_PYTHON as a job would set it."""
    bins = [str(p.parent) for v in ("3.10", "3.11", "3.12", "3.13") for p in interpreters(v)]
    path = [p for p in os.environ["PATH"].split(os.pathsep) if "pyenv/shims" not in p]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(
        PATH=os.pathsep.join([str(Path(uv_binary() or "uv").parent), *bins, *path]),
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
    )
    if python_version is not None:
        env["UV_PYTHON"] = python_version
    return env


def run_uv(*args: str, cwd: Path, python_version: str | None = None) -> Any:
    binary = uv_binary()
    assert binary is not None
    return subprocess.run(
        [binary, *args],
        cwd=cwd,
        env=uv_env(python_version),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def locked(tmp_path: Path, files: Mapping[str, str]) -> Path:
    write_tree(tmp_path, files)
    root = tmp_path / "ws" if "ws/pyproject.toml" in files else tmp_path
    proc = run_uv("lock", "--offline", cwd=root)
    if proc.returncode != 0:
        proc = run_uv("lock", cwd=root)  # a package not in the cache yet
    assert proc.returncode == 0, proc.stderr
    return root


def exported(root: Path, args: tuple[str, ...]) -> tuple[set[str], set[tuple[str, str]]]:
    """(member paths, (name, version) of registry packages) of `uv export --frozen ARGS`."""
    proc = run_uv("export", "--frozen", "--no-hashes", "--offline", *args, cwd=root)
    assert proc.returncode == 0, proc.stderr
    paths, packages = set(), set()
    for line in proc.stdout.splitlines():
        requirement = line.split(" ;")[0].strip()
        if match := re.fullmatch(r"-e \./(\S*)|-e \.", requirement):
            paths.add(match.group(1) or ".")
        elif match := re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", requirement):
            packages.add((match.group(1).lower(), match.group(2)))
    return paths, packages


def ours(
    ws: workspace.Workspace, graph: environment.EnvironmentGraph, env: Any
) -> tuple[set[str], set[tuple[str, str]]]:
    installed = {
        environment.package_of(s) for s in graph.closure(environment.start_states([env]))
    }
    paths = {
        ws.members[p].path
        for p in installed
        if isinstance(p, str) and p in ws.members and ws.members[p].packaged
    }
    packages = {
        (p.name, p.version or "")
        for p in installed
        if isinstance(p, PackageId) and p.source.startswith("registry=")
    }
    return paths, packages


PARITY_SHAPES = {
    **{f"conformance/{k}": v for k, v in test_conformance.SHAPES.items() if "error" not in k},
    **SHAPES,
}


@pytest.mark.parametrize("shape", sorted(PARITY_SHAPES))
def test_the_job_installs_exactly_the_environment_affected_counts(
    tmp_path: Path, shape: str
) -> None:
    root = locked(tmp_path, PARITY_SHAPES[shape])
    ws = workspace.load(root)
    graph = environment.build(ws, lock_of(ws))
    checked = 0
    for m in ws.members.values():
        for env in test_environment.environments(ws, m, lock_of(ws)):
            assert ours(ws, graph, env) == exported(root, env.sync_args()), (
                f"{m.name}: {env.describe()}"
            )
            checked += 1
    assert checked >= len(ws.members)


# ------------------------------------------------------------------------------- Python


def interpreters(version: str) -> list[Path]:
    return sorted(PYENV.glob(f"{version}.*/bin/python{version}"))


def interpreter(version: str) -> Path:
    found = interpreters(version)
    if not found:
        pytest.skip(f"no Python {version} on this machine")
    return found[-1]


def test_the_lock_not_the_member_decides_the_lowest_python(tmp_path: Path) -> None:
    root = locked(tmp_path, SHAPES["workspace-python-narrower-than-a-member"])
    ws = workspace.load(root)
    old = ws.members["old"]

    lock = lock_of(ws)
    assert lock is not None and lock.requires_python == ">=3.12"
    assert python.choose(ws, old, lock, ws.settings) == python.Pythons("3.12", ("3.12",))
    # Real uv agrees: the member's own >=3.10 does not make 3.11 possible.
    too_old = uv_sync(root, "old", interpreter("3.11"))
    assert too_old.returncode != 0
    assert "incompatible with the project's Python requirement: `>=3.12`" in too_old.stderr
    assert uv_sync(root, "old", interpreter("3.12")).returncode == 0


def uv_sync(root: Path, package: str, python_path: Path) -> subprocess.CompletedProcess[str]:
    args = ("sync", "--frozen", "--offline", "--package", package, "--no-default-groups")
    result: subprocess.CompletedProcess[str] = run_uv(
        *args, cwd=root, python_version=str(python_path)
    )
    return result


@pytest.mark.parametrize(
    ("axis", "expected"),
    [
        ('"default"', ("3.12",)),
        ('"min-max"', ("3.12", "3.14")),
        ('"all"', ("3.12", "3.13", "3.14")),
        ('["3.13", "3.12"]', ("3.12", "3.13")),
        ('"3.13"', ("3.13",)),
    ],
)
def test_the_python_axis_expands_within_the_lock_range(
    tmp_path: Path, axis: str, expected: tuple[str, ...]
) -> None:
    files = dict(SHAPES["workspace-python-narrower-than-a-member"])
    files["p/old/pyproject.toml"] += f"[tool.uvmono]\npython = {axis}\n"
    ws = workspace.load(locked(tmp_path, files))

    lock = lock_of(ws)
    assert python.choose(ws, ws.members["old"], lock, ws.settings).tests == expected
    # the root's default
    assert python.choose(ws, ws.members["new"], lock, ws.settings).tests == ("3.12",)


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (".python-version", "3.11\n", ".python-version says Python 3.11"),
        ("p/old/pyproject.toml", '[tool.uvmono]\npython = ["3.11"]\n', "`tool.uvmono.python`"),
    ],
)
def test_a_pinned_python_the_lock_excludes_is_an_error_naming_both_ranges(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    root = locked(tmp_path, SHAPES["workspace-python-narrower-than-a-member"])
    path = root / file
    path.write_text((path.read_text() if path.exists() else "") + text)
    ws = workspace.load(root)

    with pytest.raises(UvmonoError) as raised:
        python.choose(ws, ws.members["old"], lock_of(ws), ws.settings)

    assert message in raised.value.message
    assert "uv.lock's requires-python is '>=3.12'" in raised.value.message
    assert "old's requires-python is '>=3.10'" in raised.value.message


# ---------------------------------------------------------------------- groups, conflicts


def environments_of(root: Path) -> dict[str, list[test_environment.TestEnvironment]]:
    ws = workspace.load(root)
    return {
        m.name: list(test_environment.environments(ws, m, lock_of(ws))) for m in ws.members.values()
    }


def test_root_groups_reach_only_members_without_groups_of_their_own(tmp_path: Path) -> None:
    envs = environments_of(locked(tmp_path, SHAPES["root-groups-with-and-without-own-groups"]))

    (bare,) = envs["bare"]
    (own,) = envs["own"]
    (shadow,) = envs["shadow"]
    assert (bare.groups, bare.root_groups) == ((), ("dev",))  # the root's default group
    assert (own.groups, own.root_groups) == (("test",), ())
    assert (shadow.groups, shadow.root_groups) == (("dev",), ())  # its own dev shadows the root's
    assert bare.sync_args() == ("--package", "bare", "--no-default-groups", "--group", "dev")


def test_root_groups_are_configurable_per_member(tmp_path: Path) -> None:
    files = dict(SHAPES["root-groups-with-and-without-own-groups"])
    files["p/own/pyproject.toml"] += '[tool.uvmono]\ntest-root-groups = ["dev", "lint"]\n'
    files["p/bare/pyproject.toml"] += "[tool.uvmono]\ntest-root-groups = false\n"
    envs = environments_of(locked(tmp_path, files))

    assert envs["own"][0].root_groups == ("dev", "lint")
    assert envs["bare"][0].root_groups == ()


def test_a_member_with_conflicts_gets_one_environment_per_side(tmp_path: Path) -> None:
    root = locked(tmp_path, SHAPES["conflicting-extras-and-groups"])
    envs = environments_of(root)["ml"]

    assert sorted((e.extras, e.groups) for e in envs) == [
        (("cpu", "plot"), ("g1",)),
        (("cpu", "plot"), ("g2",)),
        (("gpu", "plot"), ("g1",)),
        (("gpu", "plot"), ("g2",)),
    ]
    assert {e.side for e in envs} >= {"extra cpu, group g1", "extra gpu, group g2"}
    # uv refuses both sides at once, and installs each environment.
    refused = run_uv("export", "--frozen", "--offline", "--package", "ml", "--all-extras", cwd=root)
    assert refused.returncode != 0 and "incompatible with the declared conflicts" in refused.stderr
    for env in envs:
        assert run_uv("export", "--frozen", "--offline", *env.sync_args(), cwd=root).returncode == 0


def test_marking_one_side_as_the_test_default_keeps_one_environment(tmp_path: Path) -> None:
    files = dict(SHAPES["conflicting-extras-and-groups"])
    files["p/ml/pyproject.toml"] += '[tool.uvmono]\ntest-extras = ["cpu"]\ntest-groups = ["g1"]\n'
    (env,) = environments_of(locked(tmp_path, files))["ml"]

    assert (env.extras, env.groups, env.side) == (("cpu",), ("g1",), "")


# ------------------------------------------------------------------------ test locations


def committed(tmp_path: Path, files: Mapping[str, str]) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    locked(repo.path, files)
    repo.run("add", "-A")
    repo.run("commit", "-qm", "workspace")
    return repo


def affected_json(repo: GitRepo) -> dict[str, Any]:
    proc = uvmono("affected", "--since", "HEAD", "--format", "json", cwd=repo.path, env=git_env())
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def test_a_change_in_a_members_test_location_affects_that_member_only(tmp_path: Path) -> None:
    repo = committed(tmp_path, SHAPES["tests-in-root-tests"])

    repo.write("tests/sdk/test_more.py", "def test_more():\n    pass\n")
    tests_only = affected_json(repo)
    repo.write("p/sdk/src/sdk/extra.py", "X = 1\n")
    source = affected_json(repo)

    assert tests_only["affected"] == ["sdk"]
    assert tests_only["reasons"]["sdk"] == [
        {"kind": "file", "files": ["tests/sdk/test_more.py"], "tests": True}
    ]
    assert source["affected"] == ["app", "sdk"]


def test_a_member_without_tests_is_warned_about_unless_it_says_it_has_none(
    tmp_path: Path,
) -> None:
    files = dict(SHAPES["tests-in-root-tests"])
    files["p/lonely/pyproject.toml"] = member("lonely")
    repo = committed(tmp_path, files)
    repo.write("pyproject.toml", (repo.path / "pyproject.toml").read_text() + "# touched\n")

    warned = uvmono("matrix", "--since", "HEAD", cwd=repo.path, env=git_env())
    lonely = repo.path / "p/lonely/pyproject.toml"
    lonely.write_text(lonely.read_text() + "[tool.uvmono]\ntests = []\n")
    quiet = uvmono("matrix", "--since", "HEAD", cwd=repo.path, env=git_env())

    assert warned.returncode == 0, warned.stderr
    assert "warning: lonely has no tests in p/lonely/" in warned.stderr
    assert "warning: sdk" not in warned.stderr and "warning: app" not in warned.stderr
    assert quiet.returncode == 0 and "warning:" not in quiet.stderr
    (unit,) = [u for j in json.loads(quiet.stdout)["include"] for u in j["members"]
               if u["package"] == "lonely"]
    assert unit["tests"] == "none"


# ------------------------------------------------------- the generated scripts, end to end

E2E: dict[str, str] = {
    "pyproject.toml": virtual_root(
        ["libs/*", "services/*"],
        sources=["core", "ml"],
        tail='[dependency-groups]\ndev = ["pytest>=8"]\n'
        '[tool.uvmono]\npython-versions = ["3.11", "3.12"]\n'
        '[tool.uvmono.ci]\nuvmono-source = "uvmono @ git+https://github.com/acme/uvmono@'
        + "e" * 40
        + '"\n',
    ),
    # A library for 3.10+ in a 3.11+ workspace, tested on both ends of the range; no groups of
    # its own, so its pytest comes from the root's dev group.
    "libs/core/pyproject.toml": member(
        "core", python=">=3.10", tail='[tool.uvmono]\npython = "min-max"\n'
    ),
    "libs/core/tests/test_core.py": "import core\n\n\ndef test_core():\n    assert core\n",
    # Tests in the root's tests/.
    "libs/sdk/pyproject.toml": member(
        "sdk", ["core"], tail='[tool.uvmono]\ntests = ["tests/sdk"]\n'
    ),
    "tests/sdk/test_sdk.py": "import sdk\n\n\ndef test_sdk():\n    assert sdk\n",
    # Conflicting extras: each job must hold exactly one side.
    "libs/ml/pyproject.toml": member(
        "ml",
        extras={"cpu": ["six"], "gpu": ["idna"]},
        tail='[tool.uv]\nconflicts = [[{ extra = "cpu" }, { extra = "gpu" }]]\n',
    ),
    "libs/ml/tests/test_ml.py": (
        "import importlib.util\n\n\ndef test_one_side():\n"
        '    sides = [m for m in ("six", "idna") if importlib.util.find_spec(m)]\n'
        "    assert len(sides) == 1, sides\n"
    ),
    # A service with its own test group (and no root groups).
    "services/app/pyproject.toml": member(
        "app", ["core", "ml[cpu]"], groups={"test": ["pytest>=8"]}
    ),
    "services/app/tests/test_app.py": "import app\n\n\ndef test_app():\n    assert app\n",
    # A member whose tests were forgotten: its job must not pass.
    "services/empty/pyproject.toml": member("empty", groups={"test": ["pytest>=8"]}),
}


def runner_env(python_version: str) -> dict[str, str]:
    """What setup-uv (or the GitLab image) gives a job: uv, and the matrix Python as UV_PYTHON."""
    return uv_env(python_version)


def e2e_repo(tmp_path: Path) -> GitRepo:
    require("jq")  # the GitHub script reads the matrix with it, as on GitHub's runners
    repo = committed(tmp_path, E2E)
    # A change to the root pyproject.toml affects every member.
    repo.write("pyproject.toml", (repo.path / "pyproject.toml").read_text() + "# touched\n")
    return repo


def github_results(repo: GitRepo) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each job of the generated matrix, run with the workflow's test script; by job name."""
    proc = uvmono("matrix", "--since", "HEAD", cwd=repo.path, env=git_env())
    assert proc.returncode == 0, proc.stderr
    workflow = uvmono("ci", "github", "--stdout", cwd=repo.path, env=git_env(), check=True)
    (step,) = [
        s
        for s in yaml.safe_load(workflow.stdout)["jobs"]["test"]["steps"]
        if s["name"].startswith("Test ")  # not the skip and marker steps
    ]
    results = {}
    for job in json.loads(proc.stdout)["include"]:
        env = runner_env(job["python"])
        env.update(UVMONO_MEMBERS=json.dumps(job["members"]), HAS_MODULE=matrix.HAS_MODULE)
        results[job["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    return results


def gitlab_results(repo: GitRepo) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each instance of the child pipeline's test jobs, its script run by bash."""
    proc = uvmono("ci", "gitlab", "--child", "--since", "HEAD", cwd=repo.path, env=git_env())
    assert proc.returncode == 0, proc.stderr
    results = {}
    for name, job in yaml.safe_load(proc.stdout).items():
        if not name.startswith("test") or not isinstance(job, dict):
            continue
        for instance in job["parallel"]["matrix"]:
            env = runner_env(job["variables"]["UV_PYTHON"])
            env.update(instance)
            key = f"{instance['PACKAGE']}/{instance['UVMONO_ENV']} py{env['UV_PYTHON']}"
            results[key] = subprocess.run(
                ["bash", "-e", "-c", "\n".join(job["script"])],
                cwd=repo.path,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
    return results


def failures(results: Mapping[str, subprocess.CompletedProcess[str]]) -> set[str]:
    return {name for name, proc in results.items() if proc.returncode != 0}


@pytest.mark.slow
def test_the_github_test_jobs_pass_fail_and_refuse_to_test_nothing(tmp_path: Path) -> None:
    repo = e2e_repo(tmp_path)

    results = github_results(repo)

    assert set(results) == {
        "app py3.11",
        "core py3.11",
        "core py3.12",
        "empty py3.11",
        "ml [extra cpu] py3.11",
        "ml [extra gpu] py3.11",
        "sdk py3.11",
    }
    assert failures(results) == {"empty py3.11"}, {
        n: p.stdout[-2000:] for n, p in results.items() if p.returncode
    }
    assert "::error::empty: pytest collected no tests" in results["empty py3.11"].stdout
    assert re.search(r"1 passed", results["sdk py3.11"].stdout), results["sdk py3.11"].stdout

    repo.write("tests/sdk/test_broken.py", "def test_broken():\n    assert False\n")
    broken = github_results(repo)
    assert failures(broken) == {"empty py3.11", "sdk py3.11"}
    assert "::error::sdk failed with exit status 1" in broken["sdk py3.11"].stdout


@pytest.mark.slow
def test_the_gitlab_child_jobs_pass_fail_and_refuse_to_test_nothing(tmp_path: Path) -> None:
    repo = e2e_repo(tmp_path)

    results = gitlab_results(repo)

    assert set(results) == {
        "app/1 py3.11",
        "core/1 py3.11",
        "core/1 py3.12",
        "empty/1 py3.11",
        "ml/1 py3.11",
        "ml/2 py3.11",
        "sdk/1 py3.11",
    }
    assert failures(results) == {"empty/1 py3.11"}, {
        n: p.stdout[-2000:] + p.stderr[-2000:] for n, p in results.items() if p.returncode
    }
    assert "uvmono: pytest collected no tests for empty" in results["empty/1 py3.11"].stdout

    repo.write("libs/core/tests/test_broken.py", "def test_broken():\n    assert False\n")
    broken = gitlab_results(repo)
    assert failures(broken) == {"empty/1 py3.11", "core/1 py3.11", "core/1 py3.12"}


@pytest.mark.slow
def test_a_job_without_its_test_runner_fails_instead_of_using_one_from_path(
    tmp_path: Path,
) -> None:
    files = dict(E2E)
    # app installs none of its groups, and has groups of its own, so not the root's either.
    files["services/app/pyproject.toml"] += "[tool.uvmono]\ntest-groups = []\n"
    repo = committed(tmp_path, files)
    repo.write("services/app/src/app/x.py", "X = 1\n")

    results = github_results(repo)

    assert failures(results) == {"app"}
    assert "::error::app: pytest is not installed in its test environment" in (
        results["app"].stdout
    )


def test_the_plan_says_which_conflict_side_each_job_takes(tmp_path: Path) -> None:
    repo = committed(tmp_path, E2E)
    repo.write("libs/ml/src/ml/x.py", "X = 1\n")

    child = uvmono("ci", "gitlab", "--child", "--since", "HEAD", cwd=repo.path, env=git_env())
    plan = uvmono("matrix", "--since", "HEAD", "--format", "json", cwd=repo.path, env=git_env())

    assert child.returncode == 0, child.stderr
    assert "one test environment per conflict side (1: extra cpu; 2: extra gpu)" in child.stdout
    (ml,) = [m for m in json.loads(plan.stdout)["members"] if m["package"] == "ml"]
    assert [(e["side"], e["sync"]) for e in ml["test-environments"]] == [
        ("extra cpu", "--package ml --no-default-groups --extra cpu --group dev"),
        ("extra gpu", "--package ml --no-default-groups --extra gpu --group dev"),
    ]
