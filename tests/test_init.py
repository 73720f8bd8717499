"""`uvmono init` adds a commented [tool.uvmono] and touches nothing else; bad settings are
errors that name the file and the key."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.wsutil import project, uvmono, virtual_root, write_tree
from uvmono import config
from uvmono.commands.init import tool_table

MEMBERS = '[tool.uv.workspace]\nmembers = ["packages/*"]\n'

ODD_PYPROJECTS = {
    "comments everywhere": (
        "# The root of the acme workspace.\n"
        "#   (do not reorder the tables below)\n"
        "\n"
        "[project]  # the root is a project too\n"
        'name = "acme"   # the name\n'
        'version="1.0"\n'
        "dependencies = [\n"
        '    "requests>=2",  # HTTP\n'
        "    # a comment inside an array\n"
        "]\n"
        "\n\n\n"
        "[tool.uv.workspace]\n"
        'members = [ "packages/*" ]  # all of them\n'
        "# trailing comment, no newline after it"
    ),
    "inline tables and odd spacing": (
        "[project]\n"
        'name    =    "acme"\n'
        '  version = "1.0"\n'
        'authors = [ { name = "A", email = "a@example.com" } ]\n'
        'urls = {homepage="https://example.com",  docs = "https://example.com/docs"}\n'
        "\t\n"
        "[tool.uv]\n"
        'workspace = { members = ["packages/*"] }\n'
        "[tool.ruff]\n"
        "line-length=100\n"
    ),
    "crlf line endings": (
        '[project]\r\nname = "acme"  # CRLF\r\nversion = "1.0"\r\n\r\n'
        '[tool.uv.workspace]\r\nmembers = ["packages/*"]\r\n'
    ),
    "already ends with blank lines": MEMBERS + "\n\n",
    "dotted tool keys and a later [tool] table": (
        "tool.black.line-length = 88\n"
        "[tool.uv.workspace]\n"
        'members = ["packages/*"]\n'
        "[tool.pytest.ini_options]\n"
        'addopts = "-ra"\n'
    ),
    "literal and multi-line strings": (
        "[project]\n"
        "name = 'acme'\n"
        'description = """\nA "workspace"\n  with [brackets] = and # hashes\n"""\n'
        "[tool.uv.workspace]\n"
        "members = ['packages/*']\n"
    ),
}


def workspace(root: Path, pyproject: str) -> Path:
    write_tree(root, {"packages/a/pyproject.toml": project("a")})
    (root / "pyproject.toml").write_bytes(pyproject.encode())
    return root / "pyproject.toml"


def init(root: Path) -> subprocess.CompletedProcess[str]:
    return uvmono("init", cwd=root)


def added_table(file: Path, original: bytes) -> str:
    return file.read_bytes()[len(original) :].decode()


@pytest.mark.parametrize("pyproject", ODD_PYPROJECTS.values(), ids=ODD_PYPROJECTS.keys())
def test_init_only_appends_the_table(tmp_path: Path, pyproject: str) -> None:
    file = workspace(tmp_path, pyproject)
    original = file.read_bytes()

    proc = init(tmp_path)

    assert proc.returncode == 0, proc.stderr
    updated = file.read_bytes()
    assert updated.startswith(original)
    added = added_table(file, original)
    assert added.lstrip("\r\n").startswith("[tool.uvmono]")
    before = tomllib.loads(original.decode())
    after = tomllib.loads(updated.decode())
    assert after["tool"].pop("uvmono") == {"generate": ["docker"], "docker": {}, "ci": {}}
    assert after == before
    assert config.load_root(tomllib.loads(updated.decode()), file).generate == ("docker",)


def test_init_uses_the_files_own_line_endings(tmp_path: Path) -> None:
    file = workspace(tmp_path, ODD_PYPROJECTS["crlf line endings"])
    original = file.read_bytes()

    init(tmp_path)

    added = added_table(file, original)
    assert added.startswith("\r\n[tool.uvmono]\r\n")
    assert "\n" not in added.replace("\r\n", "")


def test_init_sets_a_blank_line_between_the_file_and_the_table(tmp_path: Path) -> None:
    file = workspace(tmp_path, MEMBERS)

    init(tmp_path)

    assert file.read_text().startswith(MEMBERS + "\n[tool.uvmono]\n# ")


def test_init_a_second_time_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    file = workspace(tmp_path, MEMBERS)
    init(tmp_path)
    once = file.read_bytes()

    proc = init(tmp_path)

    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {file} already has a [tool.uvmono] table\n"
        "hint: edit it by hand; `uvmono init` only adds the table where there is none\n"
    )
    assert file.read_bytes() == once


@pytest.mark.parametrize(
    "existing",
    ["[tool.uvmono.docker]\nports = [80]\n", "[tool]\nuvmono = {}\n", "[tool.uvmono]\n"],
)
def test_any_existing_uvmono_settings_are_refused(tmp_path: Path, existing: str) -> None:
    file = workspace(tmp_path, MEMBERS + existing)

    proc = init(tmp_path)

    assert proc.returncode == 2
    assert "already has a [tool.uvmono] table" in proc.stderr
    assert file.read_text() == MEMBERS + existing


def test_init_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    file = workspace(tmp_path, MEMBERS)
    file.chmod(0o640)

    init(tmp_path)

    assert file.stat().st_mode & 0o7777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packages", "pyproject.toml"]


def test_init_on_a_read_only_file_gives_a_clean_error(tmp_path: Path) -> None:
    # chmod does not stop root; the immutable attribute does.
    file = workspace(tmp_path, MEMBERS)
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    if subprocess.run(["chattr", "+i", str(file)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i does not work here")
    try:
        proc = init(tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(file)], check=True)

    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: could not write {file}: ")
    assert "hint: " in proc.stderr and "Traceback" not in proc.stderr
    assert file.read_text() == MEMBERS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packages", "pyproject.toml"]


def test_init_where_tool_is_an_inline_table_is_refused_cleanly(tmp_path: Path) -> None:
    text = MEMBERS.replace("[tool.uv.workspace]\nmembers", "tool = { uv = { workspace = { members")
    text = text.rstrip("\n") + " } } }\n"
    file = workspace(tmp_path, text)

    proc = init(tmp_path)

    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: cannot append a [tool.uvmono] table to {file}: ")
    assert "hint: add [tool.uvmono] by hand" in proc.stderr
    assert file.read_text() == text


# --- what init detects --------------------------------------------------------------------


def generate_after_init(root: Path) -> list[str]:
    uvmono("init", cwd=root, check=True)
    kinds: list[str] = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["uvmono"][
        "generate"
    ]
    return kinds


def test_init_asks_for_github_when_the_workspace_has_a_github_directory(tmp_path: Path) -> None:
    workspace(tmp_path, MEMBERS)
    (tmp_path / ".github").mkdir()

    assert generate_after_init(tmp_path) == ["docker", "github"]


def test_init_asks_for_github_when_the_git_root_above_has_one(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".github/workflows").mkdir(parents=True)
    root = tmp_path / "python"
    root.mkdir()
    workspace(root, MEMBERS)

    assert generate_after_init(root) == ["docker", "github"]


def test_init_asks_for_gitlab_when_there_is_a_gitlab_ci_file(tmp_path: Path) -> None:
    workspace(tmp_path, MEMBERS)
    (tmp_path / ".gitlab-ci.yml").write_text("stages: [test]\n")

    assert generate_after_init(tmp_path) == ["docker", "gitlab"]


def test_init_asks_only_for_docker_by_default(tmp_path: Path) -> None:
    workspace(tmp_path, MEMBERS)

    assert generate_after_init(tmp_path) == ["docker"]


# --- the table documents every setting ----------------------------------------------------

COMMENTED_SETTING = re.compile(r"^# ([a-z-]+) = (.*?)  +# (.*)$")


def commented_settings(table: str) -> dict[str, dict[str, tuple[str, str]]]:
    """{section: {key: (value as written, doc)}}; section "" is [tool.uvmono] itself."""
    found: dict[str, dict[str, tuple[str, str]]] = {"": {}}
    section = ""
    for line in table.splitlines():
        if line.startswith("[tool.uvmono."):
            section = line.removeprefix("[tool.uvmono.").removesuffix("]")
            found[section] = {}
        elif match := COMMENTED_SETTING.match(line):
            found[section][match.group(1)] = (match.group(2), match.group(3))
    return found


def test_the_table_lists_every_setting_with_its_doc() -> None:
    found = commented_settings(tool_table(["docker"]))

    schemas = {"": config.ROOT_SCHEMA, "docker": config.DOCKER_SCHEMA, "ci": config.CI_SCHEMA}
    sections = {"generate", "docker", "ci"}
    for section, schema in schemas.items():
        keys = [key for key in schema if section or key not in sections]
        assert list(found[section]) == keys
        for key in keys:
            assert found[section][key][1].startswith(schema[key].doc)


def test_uncommenting_the_defaults_changes_nothing(tmp_path: Path) -> None:
    table = tool_table(["docker"])
    uncommented = "\n".join(
        line.removeprefix("# ")
        if (m := COMMENTED_SETTING.match(line)) and "<" not in m[2]
        else line
        for line in table.splitlines()
    )
    file = tmp_path / "pyproject.toml"

    loaded = config.load_root(tomllib.loads(uncommented), file)

    assert uncommented.count("\n# ") < table.count("\n# ")
    assert loaded == config.load_root({}, file)


def test_the_table_tells_where_member_settings_go() -> None:
    comments = " ".join(
        line.removeprefix("# ")
        for line in tool_table(["docker"]).splitlines()
        if line.startswith("# ")
    )

    assert "in the [tool.uvmono] table of its own pyproject.toml" in comments
    for key in (*config.MEMBER_SCHEMA, *config.MEMBER_DOCKER_SCHEMA):
        assert key in comments


# --- configuration errors name the file and the key ---------------------------------------


def checked(root: Path, pyproject: str) -> subprocess.CompletedProcess[str]:
    workspace(root, pyproject)
    return uvmono("check", cwd=root)


def test_an_unknown_key_names_the_file_the_key_and_the_valid_keys(tmp_path: Path) -> None:
    proc = checked(tmp_path, MEMBERS + '[tool.uvmono]\ngenrate = ["docker"]\n')

    assert proc.returncode == 2
    valid = ", ".join(sorted(config.ROOT_SCHEMA))
    assert proc.stderr == (
        f"error: unknown key `tool.uvmono.genrate` in {tmp_path / 'pyproject.toml'}\n"
        f"hint: valid keys here: {valid}\n"
    )


def test_an_unknown_nested_key_names_the_table(tmp_path: Path) -> None:
    proc = checked(tmp_path, MEMBERS + '[tool.uvmono.docker]\nbase-imag = "python:3.12"\n')

    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"error: unknown key `tool.uvmono.docker.base-imag` in {tmp_path / 'pyproject.toml'}\n"
        "hint: valid keys here: attestations, base-image, "
    )


def test_a_wrong_type_names_the_file_the_key_and_what_it_must_be(tmp_path: Path) -> None:
    proc = checked(tmp_path, MEMBERS + '[tool.uvmono]\ngenerate = "docker"\n')

    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: `tool.uvmono.generate` in {tmp_path / 'pyproject.toml'} must be "
        'a list of "docker", "bake", "compose", "github", "gitlab", not \'docker\'\n'
        "hint: tool.uvmono.generate: what `uvmono generate` writes and `uvmono check` checks\n"
    )


def test_an_unknown_artifact_kind_is_a_wrong_value(tmp_path: Path) -> None:
    proc = checked(tmp_path, MEMBERS + '[tool.uvmono]\ngenerate = ["docker", "k8s"]\n')

    assert proc.returncode == 2
    assert "`tool.uvmono.generate`" in proc.stderr
    assert "not ['docker', 'k8s']" in proc.stderr


def test_a_root_only_key_in_a_member_names_the_members_file(tmp_path: Path) -> None:
    workspace(tmp_path, MEMBERS)
    member = tmp_path / "packages/a/pyproject.toml"
    member.write_text(member.read_text() + '[tool.uvmono]\ngenerate = ["docker"]\n')

    proc = uvmono("check", cwd=tmp_path)

    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: unknown key `tool.uvmono.generate` in {member}\n"
        "hint: valid keys here: docker, ignore, python, tasks, test-command, test-extras, "
        "test-groups, test-root-groups, tests\n"
    )


def test_a_virtual_root_can_be_initialised_and_then_checked(tmp_path: Path) -> None:
    workspace(tmp_path, virtual_root(["packages/*"]))
    init(tmp_path)

    proc = uvmono("check", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
