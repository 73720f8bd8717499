"""Names that could inject: member directories and entry points with quotes, `$()`, backticks,
`${{ }}` and line breaks, through every generated file and printed command.

For each command as it exists in this checkout, either the output is safe (a value reaches a
shell only through a quoted variable, YAML and JSON parse back to the very same strings, no
`${{ }}` or bake `${}` can see a name), or uvmono refuses with a clean error. A command that is
missing from this checkout is skipped, saying so.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.adversarial.harness import (
    Result,
    available,
    clean_env,
    expect_error,
    run,
    snapshot,
    unchanged,
)
from tests.gitutil import GitRepo
from tests.wsutil import BUILD_SYSTEM, write_tree

UVMONO_SOURCE = "uvmono @ git+https://github.com/ORG/uvmono@" + "0" * 40
ROOT_CONFIG = f"""
[tool.uvmono]
generate = ["docker", "bake", "github", "gitlab"]
[tool.uvmono.ci]
uvmono-source = "{UVMONO_SOURCE}"
"""

# Directory names, grouped so that a refusal of one group does not hide the others.
SHELL_NAMES = ['q"uote', "s'quote", "back`touch pwned2`tick", "sp ace", "semi;colon|pipe", "-dash"]
DOLLAR_NAMES = ["dollar$(touch pwned)", "gh${{ github.token }}", "bake${TAG}", "pct%{x}"]


def hostile_repo(tmp_path: Path, directories: list[str], top_level: str | None = None) -> GitRepo:
    """A member per directory (a console script each, so each gets an image), all changed."""
    repo = GitRepo.init(tmp_path / "repo")
    members = ["packages/*", *([top_level] if top_level else [])]
    files = {"pyproject.toml": f"[tool.uv.workspace]\nmembers = {json.dumps(members)}\n"}
    files["pyproject.toml"] += ROOT_CONFIG
    paths = [f"packages/{d}" for d in directories] + ([top_level] if top_level else [])
    for i, path in enumerate(paths):
        files[f"{path}/pyproject.toml"] = (
            f'[project]\nname = "m{i}"\nversion = "1.0"\n'
            f'[project.scripts]\nserve = "m{i}.main:main"\n' + BUILD_SYSTEM
        )
        files[f"{path}/src/m{i}/__init__.py"] = ""
    write_tree(repo.path, files)
    (repo.path / "uv.lock").write_text(_lock(len(paths), paths))
    repo.commit("initial")
    for path in paths:
        repo.write(f"{path}/src/changed.py", "x = 1\n")
    repo.commit("change every member")
    return repo


def _lock(count: int, paths: list[str]) -> str:
    names = ", ".join(f'"m{i}"' for i in range(count))
    text = f"version = 1\nrevision = 3\n\n[manifest]\nmembers = [{names}]\n"
    for i, path in enumerate(paths):
        source = f"{{ editable = {json.dumps(path)} }}"
        text += f'\n[[package]]\nname = "m{i}"\nversion = "1.0"\nsource = {source}\n'
    return text


def paths_of(repo: GitRepo) -> set[str]:
    result = run("members", "--format", "json", cwd=repo.path)
    assert result.returncode == 0, str(result)
    return {m["path"] for m in json.loads(result.stdout)["members"]}


SINCE = ("--since", "HEAD~1", "--until", "HEAD")


def command(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> Result | None:
    """The result of `uvmono ARGS` when it answered; None when it refused cleanly."""
    group = args[:2] if args[0] in ("docker", "ci") else args[:1]
    if not available(*group):
        pytest.skip(f"`uvmono {' '.join(group)}` does not exist in this checkout yet")
    with unchanged(repo.path):
        result = run(*args, cwd=repo.path, env=env)
    if result.returncode != 0:
        expect_error(result)
        return None
    assert "Traceback" not in result.stderr, str(result)
    assert not (repo.path / "pwned").exists() and not (repo.path / "pwned2").exists()
    return result


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def scripts(value: Any, keys: tuple[str, ...]) -> Iterator[str]:
    """Every string under one of `keys` (shell scripts), anywhere in parsed YAML."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in keys:
                yield from strings(v)
            else:
                yield from scripts(v, keys)
    elif isinstance(value, list):
        for v in value:
            yield from scripts(v, keys)


def assert_round_trips(data: Any, paths: set[str]) -> None:
    """A member path that the output mentions is also one of its values, byte for byte."""
    values = set(strings(data))
    for path in paths:
        if any(path in value for value in values):
            assert path in values or f"{path}/Dockerfile" in values, (path, sorted(values))


def split_files(stdout: str) -> dict[str, str]:
    """`--stdout` output of several files: each after a `==> PATH <==` line."""
    parts = re.split(r"^==> (.*) <==\n", stdout, flags=re.M)
    assert parts[0] == "", parts[0]
    return dict(zip(parts[1::2], parts[2::2], strict=True))


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
@pytest.mark.parametrize("fmt", ["json", "github", "gitlab"])
def test_matrix(tmp_path: Path, names: list[str], fmt: str) -> None:
    repo = hostile_repo(tmp_path, names)
    paths = paths_of(repo)
    result = command(repo, "matrix", *SINCE, "--format", fmt)
    if result is None:
        return
    assert_round_trips(yaml.safe_load(result.stdout), paths)  # JSON is YAML


def test_matrix_github_output_cannot_be_split(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path, SHELL_NAMES)
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.touch()
    summary.touch()
    env = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    if command(repo, "matrix", *SINCE, "--github-output", env=env) is None:
        return
    outputs = parse_github_output(output.read_text())
    assert set(outputs) == {"matrix", "images", "has-changes", "has-images", "count"}
    assert_round_trips(json.loads(outputs["matrix"]), paths_of(repo))


def parse_github_output(text: str) -> dict[str, str]:
    """GitHub's own reading of $GITHUB_OUTPUT: `name=value` or `name<<DELIM` … `DELIM`."""
    out: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"unterminated heredoc {delimiter!r}")
            out[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            out[name] = value
    return out


# -------------------------------------------------------------------------------- CI files


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
def test_github_workflow(tmp_path: Path, names: list[str]) -> None:
    repo = hostile_repo(tmp_path, names)
    result = command(repo, "ci", "github", "--stdout")
    if result is None:
        return
    workflow = yaml.safe_load(result.stdout)
    for script in scripts(workflow, ("run",)):
        assert not any(name in script for name in names), script
    for name in names:  # GitHub evaluates ${{ }} almost anywhere in a workflow
        assert "${{" not in name or name not in result.stdout, name


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
@pytest.mark.parametrize("child", [False, True], ids=["parent", "child"])
def test_gitlab_pipeline(tmp_path: Path, names: list[str], child: bool) -> None:
    repo = hostile_repo(tmp_path, names)
    args = ("--child", *SINCE) if child else ("--stdout",)
    result = command(repo, "ci", "gitlab", *args)
    if result is None:
        return
    pipeline = yaml.safe_load(result.stdout)
    for script in scripts(pipeline, ("script", "before_script", "after_script")):
        assert not any(name in script for name in names), script
    assert_round_trips(pipeline, paths_of(repo))
    # GitLab expands $VAR and ${VAR} in variables: no name with a `$` may reach one.
    for value in strings(pipeline):
        assert not any("$" in name and name in value for name in names), value


def test_gitlab_child_changes_into_a_leading_dash_directory(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path, ["ok"], top_level="-dash")
    result = command(repo, "ci", "gitlab", "--child", *SINCE)
    if result is None:
        return
    for script in scripts(yaml.safe_load(result.stdout), ("script",)):
        for line in script.splitlines():
            if re.search(r"\bcd\s", line):
                assert re.search(r"\bcd\s+--\s", line), line


# ------------------------------------------------------------------------------------ docker


def logical_lines(dockerfile: str) -> list[str]:
    """Instructions with their continuation lines joined; comments dropped."""
    out, line = [], ""
    for raw in dockerfile.splitlines():
        if raw.lstrip().startswith("#"):
            continue
        line += raw
        if raw.endswith("\\"):
            line = line[:-1]
            continue
        if line.strip():
            out.append(line.strip())
        line = ""
    return out


def skeleton(dockerfiles: dict[str, str]) -> list[list[str]]:
    """The instruction keywords of each Dockerfile: a line break that gets through adds one."""
    return [
        [line.split()[0].upper() for line in logical_lines(text)]
        for path, text in sorted(dockerfiles.items())
        if path.endswith("Dockerfile")
    ]


def unquote_dockerfile(quoted: str) -> str | None:
    """The value of a Dockerfile "…" word; None when an unescaped `$` would expand."""
    out, chars = [], iter(quoted)
    for char in chars:
        if char == "\\":
            out.append(next(chars))
        elif char == "$":
            return None
        else:
            out.append(char)
    return "".join(out)


def pieces(value: str) -> list[str]:
    """The parts of `value` that would show up in a line, long enough not to match by chance."""
    return [part for part in re.split(r"[\r\n\t]", value) if len(part) >= 5] or [value]


def assert_dockerfile_safe(text: str, values: set[str]) -> None:
    """Each hostile value sits, whole, in an exec-form JSON array or a quoted LABEL value."""
    for line in logical_lines(text):
        hits = {v for v in values if any(part in line for part in pieces(v))}
        if not hits:
            continue
        if line.startswith("LABEL"):
            quoted = re.findall(r'="((?:[^"\\]|\\.)*)"', line)
            unquoted = [u for u in map(unquote_dockerfile, quoted) if u is not None]
            for value in hits:
                flat = " ".join(value.split())
                assert any(value == u or flat == " ".join(u.split()) for u in unquoted), line
            continue
        start = line.find("[")
        assert start != -1, f"{sorted(hits)} outside exec form: {line}"
        array = json.loads(line[start:])
        assert isinstance(array, list) and all(isinstance(a, str) for a in array), line
        for value in hits:
            assert any(value in element for element in array), (value, line)
            assert not any(part in line[:start] for part in pieces(value)), line


def dockerfiles(repo: GitRepo) -> dict[str, str] | None:
    """`docker generate --stdout` by path; None when uvmono refused cleanly."""
    result = command(repo, "docker", "generate", "--stdout")
    return None if result is None else split_files(result.stdout)


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
def test_dockerfiles(tmp_path: Path, names: list[str]) -> None:
    repo = hostile_repo(tmp_path, names)
    files = dockerfiles(repo)
    if files is None:
        return
    twin = dockerfiles(hostile_repo(tmp_path / "twin", [f"n{i}" for i in range(len(names))]))
    assert twin is not None and skeleton(files) == skeleton(twin)
    for text in files.values():
        assert_dockerfile_safe(text, paths_of(repo))


def single_member(tmp_path: Path, project_tail: str) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/*"]\n' + ROOT_CONFIG,
            "packages/app/pyproject.toml": (
                f'[project]\nname = "m0"\nversion = "1.0"\n{project_tail}' + BUILD_SYSTEM
            ),
            "packages/app/src/m0/__init__.py": "",
        },
    )
    repo.commit("initial")
    return repo


BENIGN = '[project.scripts]\nok-cli = "m0.main:main"\n'

ENTRY_POINTS = {
    "serve$(touch pwned)": "m0.main:main",
    'q"uote': "m0.main:main",
    "ok-cli": "m0.main:main`touch pwned2`",
    "nl": "m0.main:main\nRUN touch pwned",
    "dash": "-rf",
}


@pytest.mark.parametrize("script", sorted(ENTRY_POINTS))
def test_entry_points(tmp_path: Path, script: str) -> None:
    target = ENTRY_POINTS[script]
    scripts_table = f"[project.scripts]\n{json.dumps(script)} = {json.dumps(target)}\n"
    repo = single_member(tmp_path, scripts_table)
    files = dockerfiles(repo)
    if files is not None:
        twin = dockerfiles(single_member(tmp_path / "twin", BENIGN))
        assert twin is not None and skeleton(files) == skeleton(twin)
        for text in files.values():
            assert_dockerfile_safe(text, {script, target})
    members = run("members", cwd=repo.path)
    assert members.returncode == 0 and len(members.stdout.splitlines()) == 2, str(members)


DESCRIPTIONS = [
    'say "hi" \\',
    "a\nRUN touch pwned",
    "$HOME ${HOME} `id` $(touch pwned)",
    "tab\tand\r\nCRLF",
]


@pytest.mark.parametrize("description", DESCRIPTIONS)
def test_descriptions(tmp_path: Path, description: str) -> None:
    files = dockerfiles(
        single_member(tmp_path, f"description = {json.dumps(description)}\n{BENIGN}")
    )
    if files is None:
        return
    twin = dockerfiles(single_member(tmp_path / "twin", f'description = "plain"\n{BENIGN}'))
    assert twin is not None and skeleton(files) == skeleton(twin)
    for text in files.values():
        assert_dockerfile_safe(text, {description})


def test_configured_command_is_exec_form(tmp_path: Path) -> None:
    command_line = ["sh", "-c", 'echo "$(id)" `id` ${HOME}', "'quoted'"]
    repo = single_member(
        tmp_path, f"[tool.uvmono.docker]\nimage = true\ncommand = {json.dumps(command_line)}\n"
    )
    result = command(repo, "docker", "generate", "--stdout")
    if result is None:
        return
    entrypoints = [
        line for line in logical_lines(result.stdout) if line.startswith(("ENTRYPOINT", "CMD"))
    ]
    assert any(json.loads(line.split(" ", 1)[1]) == command_line for line in entrypoints)


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
def test_docker_build_commands_run_as_printed(tmp_path: Path, names: list[str]) -> None:
    """The printed commands, run by bash with a fake `docker`, pass each path as one argument
    and run nothing else."""
    repo = hostile_repo(tmp_path, names)
    result = command(repo, "docker", "commands")
    if result is None:
        return
    arguments = run_with_fake_docker(result.stdout, tmp_path / "scratch")
    for path in paths_of(repo):
        assert any(a.endswith(f"{path}/Dockerfile") for a in arguments), (path, arguments)


def run_with_fake_docker(commands: str, scratch: Path) -> list[str]:
    """Every argument the printed commands pass to `docker`, run by bash in an empty directory
    that must stay empty but for the record of those arguments."""
    scratch.mkdir()
    argv_file = scratch / "argv"
    fake = 'docker() { printf \'%s\\0\' "$@" >> "$ARGV"; }\n'
    proc = subprocess.run(
        ["bash", "-c", fake + commands],
        cwd=scratch,
        env=clean_env({"ARGV": str(argv_file)}),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in scratch.iterdir()) == ["argv"]  # nothing else ran
    return argv_file.read_bytes().decode().split("\0")


BAKE_VARIABLE = re.compile(r"(?<!\$)\$\{([^}]*)\}")


@pytest.mark.parametrize("names", [SHELL_NAMES, DOLLAR_NAMES], ids=["shell", "dollar"])
def test_bake_file(tmp_path: Path, names: list[str]) -> None:
    repo = hostile_repo(tmp_path, names)
    result = command(repo, "docker", "bake", "--stdout")
    if result is None:
        return
    (bake_text,) = split_files(result.stdout).values()
    bake = json.loads(bake_text)
    assert_round_trips(bake, paths_of(repo))
    for value in strings(bake):
        for variable in BAKE_VARIABLE.findall(value):
            assert re.fullmatch(r"[A-Z_]+", variable), value  # only uvmono's own variables
        assert "%{" not in value.replace("%%{", ""), value


# ----------------------------------------------------------------------- a line break


@pytest.mark.parametrize(
    "args",
    [
        ("matrix", *SINCE, "--format", "json"),
        ("matrix", *SINCE, "--format", "github"),
        ("matrix", *SINCE, "--format", "gitlab"),
        ("ci", "gitlab", "--child", *SINCE),
        ("docker", "generate", "--stdout"),
        ("docker", "commands"),
        ("docker", "bake", "--stdout"),
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_a_directory_with_a_line_break(tmp_path: Path, args: tuple[str, ...]) -> None:
    repo = hostile_repo(tmp_path, ["two\nlines", "fine"])
    result = command(repo, *args)
    if result is None:
        return
    if args[1] == "commands":
        arguments = run_with_fake_docker(result.stdout, tmp_path / "scratch")
        assert any(a.endswith("packages/two\nlines/Dockerfile") for a in arguments)
        return
    if args[1] == "generate":
        for text in split_files(result.stdout).values():
            assert_dockerfile_safe(text, {"packages/two\nlines"})
        return
    if args[1] == "bake":
        (text,) = split_files(result.stdout).values()
        assert_round_trips(json.loads(text), paths_of(repo))
        return
    assert_round_trips(yaml.safe_load(result.stdout), paths_of(repo))


# ------------------------------------------------------------------- writing, all or nothing


@pytest.mark.parametrize(
    "args",
    [("generate",), ("docker", "generate"), ("docker", "bake"), ("ci", "github"), ("ci", "gitlab")],
    ids=" ".join,
)
def test_writing_commands_write_everything_or_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    repo = hostile_repo(tmp_path, SHELL_NAMES)
    if not available(*args):
        pytest.skip(f"`uvmono {' '.join(args)}` does not exist in this checkout yet")
    before = snapshot(repo.path)
    result = run(*args, cwd=repo.path)
    after = snapshot(repo.path)
    if result.returncode != 0:
        expect_error(result)
        assert after == before, "a refused write left files behind"
        return
    written = sorted(k for k in after if k not in before and not k.startswith(".git "))
    assert written, str(result)
    for rel in written:
        path = repo.path / rel
        assert ".uvmono-tmp-" not in rel, rel
        if path.is_dir():
            continue
        content = path.read_text()
        if rel.endswith(".json"):
            json.loads(content)
        elif rel.endswith((".yml", ".yaml")):
            yaml.safe_load(content)
        elif rel.endswith("Dockerfile"):
            for line in logical_lines(content):
                assert line.split()[0].isupper(), line
