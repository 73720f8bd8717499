"""Output that scales and reads well: tables that fit the terminal, `--stdout` that pipes into
the tool that reads it, one line when there is nothing to do, hints that work."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree


@pytest.fixture
def sample_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    shutil.copytree(SAMPLE, repo.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv"))
    repo.commit("sample")
    return repo


def test_the_members_table_fits_columns_and_json_keeps_everything() -> None:
    wide = uvmono("members", cwd=SAMPLE, env={"COLUMNS": "200"}, check=True).stdout
    assert "acme-core, acme-storage, acme-worker (integration)" in wide
    narrow = uvmono("members", cwd=SAMPLE, env={"COLUMNS": "70"}, check=True).stdout
    lines = narrow.splitlines()
    assert len(lines) == len(wide.splitlines())
    assert all(len(line) <= 70 for line in lines), narrow
    assert "…" in narrow and lines[0].startswith("NAME")
    assert [line.split()[0] for line in lines[1:]][:2] == ["acme-api", "acme-cli"]  # names stay
    data = json.loads(
        uvmono("members", "--format", "json", cwd=SAMPLE, env={"COLUMNS": "70"}).stdout
    )
    api = next(m for m in data["members"] if m["name"] == "acme-api")
    assert api["dependencies"] == ["acme-core", "acme-storage"]


def test_a_pipe_without_columns_gets_the_whole_table() -> None:
    proc = uvmono("members", cwd=SAMPLE, env={"COLUMNS": ""}, check=True)
    assert "…" not in proc.stdout
    assert "acme-core, acme-storage, acme-worker (integration)" in proc.stdout


def test_bake_stdout_pipes_into_docker_buildx_bake(sample_repo: GitRepo) -> None:
    proc = uvmono("docker", "bake", "--stdout", "acme-api", cwd=sample_repo.path, check=True)
    assert not proc.stdout.startswith("==>")
    assert list(json.loads(proc.stdout)["target"]) == ["acme-api"]
    several = uvmono("docker", "generate", "--stdout", "acme-api", cwd=sample_repo.path).stdout
    assert several.startswith("==> services/api/Dockerfile <==\n")
    assert "==> services/api/Dockerfile.dockerignore <==\n" in several
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    if subprocess.run(["docker", "buildx", "version"], capture_output=True).returncode != 0:
        pytest.skip("docker buildx is not installed")
    printed = subprocess.run(
        ["docker", "buildx", "bake", "-f", "-", "--print"],
        input=proc.stdout,
        cwd=sample_repo.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.returncode == 0, printed.stderr
    assert "acme-api" in json.loads(printed.stdout)["target"]


def test_without_images_every_docker_command_says_so_and_succeeds(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"pyproject.toml": virtual_root(["a"]), "a/pyproject.toml": project("a")}
    )
    for command in ("generate", "commands", "bake"):
        proc = uvmono("docker", command, cwd=tmp_path)
        assert proc.returncode == 0, (command, proc.stderr)
        said = [line for line in proc.stderr.splitlines() if "no member gets an image" in line]
        assert len(said) == 1 and said[0].startswith("uvmono: no member gets an image: ")
        assert proc.stdout == ""
    assert not (tmp_path / "docker-bake.json").exists()


def test_generate_says_when_everything_is_up_to_date(sample_repo: GitRepo) -> None:
    uvmono("generate", cwd=sample_repo.path, check=True)
    planned = uvmono("generate", "--dry-run", cwd=sample_repo.path, check=True).stdout
    again = uvmono("generate", cwd=sample_repo.path, check=True)
    count = len(planned.splitlines())
    assert count > 1 and again.stdout == f"{count} generated files are up to date\n"


def test_generate_and_check_say_when_nothing_is_asked_for(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": virtual_root(["packages/*"]), "packages/a/pyproject.toml": project("a")},
    )
    # The default, generate = ["docker"], with no member that gets an image.
    said = uvmono("generate", cwd=tmp_path, check=True).stdout
    assert said.startswith('nothing to generate: generate = ["docker"] writes the files of ')
    tail = "none does (one with [project.scripts] or [tool.uvmono.docker] image = true does)\n"
    assert said.endswith(tail)
    assert uvmono("generate", "--dry-run", cwd=tmp_path, check=True).stdout == said
    assert uvmono("check", cwd=tmp_path, check=True).stderr == said
    (tmp_path / "pyproject.toml").write_text(
        virtual_root(["packages/*"], tail="[tool.uvmono]\ngenerate = []\n")
    )
    said = (
        "nothing to generate: [tool.uvmono] generate lists no kind of file (`uvmono init` adds it)"
    )
    assert uvmono("generate", cwd=tmp_path, check=True).stdout == said + "\n"
    assert uvmono("check", cwd=tmp_path, check=True).stderr == said + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packages", "pyproject.toml"]


def test_check_after_a_hand_edit_names_the_file_and_a_command_that_works(
    sample_repo: GitRepo,
) -> None:
    dockerfile = sample_repo.path / "services/api/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# tweak\n")
    proc = uvmono("check", cwd=sample_repo.path)
    assert proc.returncode == 1
    hint = proc.stderr.splitlines()[-1]
    assert hint.startswith("hint: `uvmono generate` would refuse: services/api/Dockerfile was ")
    assert "[tool.uvmono]" in hint and "`uvmono generate --force`" in hint
    assert uvmono("generate", cwd=sample_repo.path).returncode == 2  # what the hint says
    uvmono("generate", "--force", cwd=sample_repo.path, check=True)
    assert uvmono("check", cwd=sample_repo.path).returncode == 0


def test_on_missing_base_all_covers_an_explicit_sha_that_is_not_there(
    sample_repo: GitRepo,
) -> None:
    missing = "1234567890" * 4
    proc = uvmono("affected", "--since", missing, cwd=sample_repo.path)
    assert proc.returncode == 2
    assert "123456789012 is not in the repository" in proc.stderr
    assert "--on-missing-base all" in proc.stderr.splitlines()[-1]
    everything = uvmono(
        "affected", "--since", missing, "--on-missing-base", "all", cwd=sample_repo.path
    )
    assert everything.returncode == 0, everything.stderr
    members = uvmono("members", "--format", "names", cwd=sample_repo.path, check=True).stdout
    assert everything.stdout == members
    typo = uvmono("affected", "--since", "mian", "--on-missing-base", "all", cwd=sample_repo.path)
    assert typo.returncode == 2 and "unknown git ref 'mian'" in typo.stderr


def test_graph_of_a_member_shows_what_uv_installs_for_it(tmp_path: Path) -> None:
    from tests.test_selection import FILES

    write_tree(tmp_path, FILES)

    def nodes(*args: str) -> list[str]:
        proc = uvmono("graph", "--format", "json", *args, cwd=tmp_path, check=True)
        return list(json.loads(proc.stdout)["nodes"])

    # `other` needs plain core: none of core's extras, so no plugin.
    assert nodes("other") == ["core", "other"]
    assert nodes("other", "--all-edges") == ["core", "other", "plug-anthropic", "plug-openai"]
    assert nodes("app") == ["app", "core", "plug-openai"]
    text = uvmono("graph", "app", cwd=tmp_path, check=True).stdout
    assert "core\n  -> plug-openai (extra openai)\n" in text
    assert "plug-anthropic" not in text
    assert nodes("--reverse", "plug-openai") == ["app", "core", "plug-openai"]
    assert nodes("app", "--depth", "1") == ["app", "core"]
    assert nodes("app", "--depth", "0") == ["app"]


def test_graph_layers_put_each_member_in_its_earliest_layer_and_list_cycles(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["p/*"], sources=["core", "plug", "app", "leaf"]),
            "p/core/pyproject.toml": project("core", extras={"plug": ["plug"]}),
            "p/plug/pyproject.toml": project("plug", ["core"]),
            "p/leaf/pyproject.toml": project("leaf"),
            "p/app/pyproject.toml": project("app", ["plug", "leaf", "mid"], sources=["mid"]),
            "p/mid/pyproject.toml": project("mid", ["plug"]),
        },
    )
    text = uvmono("graph", "--layers", cwd=tmp_path, check=True).stdout
    assert "  1. core leaf plug\n  2. mid\n  3. app\n" in text  # leaf builds first, not last
    assert "cycles (each builds as one unit): \n  core -> plug -> core\n" in text
    data = json.loads(uvmono("graph", "--layers", "-f", "json", cwd=tmp_path, check=True).stdout)
    assert data["layers"] == [["core", "leaf", "plug"], ["mid"], ["app"]]
    assert data["cycles"] == [["core", "plug"]]


def test_graph_since_marks_the_changed_and_affected_members(sample_repo: GitRepo) -> None:
    sample_repo.checkout("feature", new=True)
    sample_repo.commit("edit", ("libs/events/src/acme_events/bus.py", "X = 1\n"))
    text = uvmono("graph", "--since", "main", cwd=sample_repo.path, check=True).stdout
    lines = text.splitlines()
    assert "acme-events (changed)" in lines and "acme-storage (affected)" in lines
    assert "acme-core" in lines and "acme-cli" in lines  # unmarked: the change misses them
    assert "\x1b[" not in text  # a pipe gets no colour
    assert lines[-1] == "1 changed, 3 affected by the change (of 6 members shown)"
    painted = uvmono(
        "--color", "always", "graph", "acme-worker", "--since", "main", cwd=sample_repo.path
    ).stdout
    assert "\x1b[1;31macme-events (changed)\x1b[0m\n" in painted
    assert "\x1b[33macme-worker (affected)\x1b[0m\n" in painted
    assert painted.splitlines()[-1].startswith("1 changed, 2 affected")
    data = json.loads(
        uvmono("graph", "--format", "json", "--since", "main", cwd=sample_repo.path).stdout
    )
    assert data["changed"] == ["acme-events"]
    assert data["affected"] == ["acme-api", "acme-storage", "acme-worker"]
    never = uvmono("--color", "never", "graph", "--since", "main", cwd=sample_repo.path).stdout
    assert never == text
