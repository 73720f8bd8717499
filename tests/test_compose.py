"""compose.yaml and the `dev`/distroless stages, without Docker: what each setting writes.

The sample's compose.yaml is current and valid under the Compose specification's JSON Schema
(check-jsonschema's vendored copy); small workspaces show services, health checks, depends_on
and watch rules, the errors for settings that cannot work, and `generate`/`check` keeping the
file current. `tests/test_dev_images.py` builds the images and runs them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.validators import require
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono import compose_plan, files, workspace
from uvmono.artifacts import compose_file, dockerfiles
from uvmono.errors import UvmonoError


def stack(root: Path, web: str = "", queue: str = "", job: str = "", tail: str = "") -> Path:
    """svc/web (port 8080, needs libs/core), svc/queue (a healthcheck), svc/job (neither),
    libs/core; each `[tool.uvmono.docker]` text is that member's."""

    def docker(text: str) -> str:
        return f"[tool.uvmono.docker]\n{text}" if text else ""

    return write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["svc/*", "libs/*"], tail=tail),
            "svc/web/pyproject.toml": project(
                "web",
                ["core"],
                sources=["core"],
                scripts={"web": "web:main"},
                groups={"dev": ["pytest>=8"]},
                tail=docker(f"ports = [8080]\n{web}"),
            ),
            "svc/queue/pyproject.toml": project(
                "queue",
                scripts={"queue": "queue:main"},
                tail=docker(f'healthcheck = "queue --ping"\n{queue}'),
            ),
            "svc/job/pyproject.toml": project("job", scripts={"job": "job:main"}, tail=docker(job)),
            "libs/core/pyproject.toml": project("core"),
        },
    )


def compose_of(root: Path) -> dict[str, Any]:
    (artifact,) = compose_file(workspace.load(root))
    data = yaml.safe_load(files.render(artifact))
    assert isinstance(data, dict)
    return data


def validate(path: Path) -> None:
    checker = require("check-jsonschema")
    proc = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------------------- the sample


def test_the_samples_compose_file_is_current_and_valid_under_the_compose_schema() -> None:
    ws = workspace.load(SAMPLE)
    assert "compose" in ws.settings.generate
    assert files.check(SAMPLE, compose_file(ws)) == []
    validate(SAMPLE / "compose.yaml")


def test_the_samples_services_are_its_members_that_do_not_opt_out() -> None:
    data = yaml.safe_load((SAMPLE / "compose.yaml").read_text())

    assert list(data["services"]) == ["acme-api"]  # the worker and the cli set compose = false
    api = data["services"]["acme-api"]
    dockerfile = "services/api/Dockerfile"
    assert api["build"] == {"context": ".", "dockerfile": dockerfile, "target": "dev"}
    assert api["ports"] == ["127.0.0.1:8000:8000"]
    assert api["healthcheck"]["test"] == ["CMD-SHELL", "acme-api --check"]


# ----------------------------------------------------------------------------- services


def test_each_service_builds_the_dev_target_and_watches_what_its_image_installs(
    tmp_path: Path,
) -> None:
    data = compose_of(stack(tmp_path))
    services = data["services"]

    assert list(services) == ["job", "queue", "web"]
    web = services["web"]
    assert web["build"] == {"context": ".", "dockerfile": "svc/web/Dockerfile", "target": "dev"}
    rules = [(r["action"], r["path"], r.get("target")) for r in web["develop"]["watch"]]
    assert rules == [
        ("sync", "libs/core", "/app/libs/core"),
        ("sync", "svc/web", "/app/svc/web"),
        ("rebuild", "libs/core/pyproject.toml", None),
        ("rebuild", "svc/web/pyproject.toml", None),
        ("rebuild", "uv.lock", None),
    ]
    assert all(".venv/" in r["ignore"] for r in web["develop"]["watch"] if r["action"] == "sync")


def test_a_health_check_only_where_a_port_or_a_command_is_declared(tmp_path: Path) -> None:
    services = compose_of(stack(tmp_path))["services"]

    assert services["web"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "-c",
        "import socket; socket.create_connection(('127.0.0.1', 8080), timeout=5).close()",
    ]
    assert services["queue"]["healthcheck"]["test"] == ["CMD-SHELL", "queue --ping"]
    assert "healthcheck" not in services["job"] and "ports" not in services["job"]
    assert "ports" not in services["queue"]


def test_depends_on_waits_for_health_where_there_is_a_check(tmp_path: Path) -> None:
    root = stack(tmp_path, web='depends-on = ["queue", "Job"]\n')
    services = compose_of(root)["services"]

    assert services["web"]["depends_on"] == {
        "queue": {"condition": "service_healthy"},
        "job": {"condition": "service_started"},
    }
    assert "depends_on" not in services["queue"]


def test_a_member_that_sets_compose_false_gets_no_service(tmp_path: Path) -> None:
    services = compose_of(stack(tmp_path, job="compose = false\n"))["services"]

    assert list(services) == ["queue", "web"]


def test_services_with_depends_on_are_valid_under_the_compose_schema(tmp_path: Path) -> None:
    root = stack(tmp_path / "ws", web='depends-on = ["queue", "job"]\n')

    (artifact,) = compose_file(workspace.load(root))
    (tmp_path / "compose.yaml").write_text(files.render(artifact))
    validate(tmp_path / "compose.yaml")


# ------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("web", "job", "message"),
    [
        ('depends-on = ["nope"]\n', "", "names `nope`, which has no compose service"),
        ('depends-on = ["web"]\n', "", "names web itself"),
        ('depends-on = ["job"]\n', 'depends-on = ["web"]\n', "forms a cycle: "),
        ('depends-on = ["job"]\n', "compose = false\n", "names `job`, which has no compose"),
    ],
)
def test_a_depends_on_that_compose_could_not_start_is_an_error(
    tmp_path: Path, web: str, job: str, message: str
) -> None:
    root = stack(tmp_path, web=web, job=job)

    with pytest.raises(UvmonoError) as raised:
        compose_plan.services(workspace.load(root))

    assert message in raised.value.message
    assert "pyproject.toml" in raised.value.message or "cycle" in raised.value.message
    assert raised.value.hint


def test_a_distroless_member_with_a_shell_health_check_is_an_error(tmp_path: Path) -> None:
    root = stack(tmp_path, queue='runtime = "distroless"\n')

    with pytest.raises(UvmonoError) as raised:
        dockerfiles(workspace.load(root))

    assert "svc/queue/pyproject.toml" in raised.value.message
    assert "without a shell" in raised.value.message
    assert 'runtime = "slim"' in (raised.value.hint or "")


def test_an_unknown_runtime_is_refused_naming_the_key(tmp_path: Path) -> None:
    root = stack(tmp_path, job='runtime = "alpine"\n')

    proc = uvmono("docker", "generate", "--dry-run", cwd=root)

    assert proc.returncode == 2, proc.stderr
    assert "tool.uvmono.docker.runtime" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------- generate and check


def test_generate_writes_compose_yaml_and_check_keeps_it_current(tmp_path: Path) -> None:
    root = stack(tmp_path, tail='[tool.uvmono]\ngenerate = ["docker", "compose"]\n')

    first = uvmono("generate", cwd=root, check=True)
    assert "compose.yaml" in first.stdout
    assert uvmono("check", cwd=root).returncode == 0
    again = uvmono("generate", cwd=root, check=True)
    assert "up to date" in again.stdout, again.stdout

    web = root / "svc/web/pyproject.toml"
    web.write_text(web.read_text().replace("ports = [8080]", "ports = [8081]"))
    stale = uvmono("check", cwd=root)
    assert stale.returncode != 0
    assert "compose.yaml" in stale.stdout + stale.stderr
    assert "+      - 127.0.0.1:8081:8081" in stale.stdout + stale.stderr


def test_a_compose_file_nobody_asks_for_makes_check_name_its_kind(tmp_path: Path) -> None:
    root = stack(tmp_path, tail='[tool.uvmono]\ngenerate = ["docker", "compose"]\n')
    uvmono("generate", cwd=root, check=True)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"docker", "compose"', '"docker"'))

    proc = uvmono("check", cwd=root)

    assert proc.returncode != 0
    assert 'does not list "compose"' in proc.stdout + proc.stderr


# ----------------------------------------------------------------- the Dockerfile stages


def test_the_dev_stage_installs_the_members_editable_as_the_numeric_user(tmp_path: Path) -> None:
    (dockerfile, _) = dockerfiles(workspace.load(stack(tmp_path)))[-2:]
    assert dockerfile.path == "svc/web/Dockerfile"
    dev = dockerfile.body[dockerfile.body.index(" AS dev\n") :]
    dev = dev[: dev.index("\n\n")]

    assert "uv export --frozen --package web --all-groups" in dev
    assert "--no-editable" not in dev
    assert "chown 10001:10001 {} +" in dev and "USER 10001:10001" in dev
    assert "WORKDIR /app/svc/web" in dev
    assert dockerfile.body.rstrip().split("\n\n")[-1].startswith("# The image")


def test_a_distroless_runtime_runs_nothing_after_its_empty_base(tmp_path: Path) -> None:
    hadolint = require("hadolint")
    root = stack(tmp_path / "ws", job='runtime = "distroless"\nsystem-packages = ["libpq5"]\n')
    (dockerfile, _) = dockerfiles(workspace.load(root))[:2]
    assert dockerfile.path == "svc/job/Dockerfile"
    runtime = dockerfile.body[dockerfile.body.index("FROM scratch AS runtime") :]

    assert "RUN " not in runtime and "HEALTHCHECK" not in runtime
    assert "USER 10001:10001" in runtime and "HOME=/home/app" in runtime
    assert "apt-get install --yes --no-install-recommends libpq5" in dockerfile.body
    path = tmp_path / "Dockerfile"
    path.write_text(files.render(dockerfile))
    proc = subprocess.run([hadolint, "--no-color", str(path)], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout


def test_compose_without_docker_in_generate_is_refused(tmp_path: Path) -> None:
    root = stack(tmp_path, tail='[tool.uvmono]\ngenerate = ["compose"]\n')

    proc = uvmono("generate", cwd=root)

    assert proc.returncode == 2, proc.stderr
    assert 'lists "compose" without "docker"' in proc.stderr
    assert 'add "docker"' in proc.stderr and not (root / "compose.yaml").exists()


@pytest.mark.parametrize("runtime", ["slim", "distroless"])
def test_a_member_with_a_port_and_no_command_gets_a_python_health_check(
    tmp_path: Path, runtime: str
) -> None:
    root = stack(tmp_path, web=f'runtime = "{runtime}"\n')
    web = next(a for a in dockerfiles(workspace.load(root)) if a.path == "svc/web/Dockerfile")
    runtime_stage = web.body[web.body.index(" AS runtime") :]

    connect = "import socket; socket.create_connection(('127.0.0.1', 8080), timeout=5).close()"
    assert f'HEALTHCHECK CMD ["python", "-c", "{connect}"]' in runtime_stage
    assert "EXPOSE 8080" in runtime_stage


def test_docker_compose_writes_prints_and_dry_runs_the_file(tmp_path: Path) -> None:
    root = stack(tmp_path)

    printed = uvmono("docker", "compose", "--stdout", cwd=root, check=True)
    assert printed.stdout.startswith("# Generated by uvmono with `uvmono docker compose`")
    assert not (root / "compose.yaml").exists()
    planned = uvmono("docker", "compose", "--dry-run", cwd=root, check=True)
    assert "compose.yaml" in planned.stdout and not (root / "compose.yaml").exists()
    uvmono("docker", "compose", cwd=root, check=True)
    assert (root / "compose.yaml").read_text() == printed.stdout
    again = uvmono("docker", "compose", cwd=root, check=True)
    assert "up to date" in again.stdout, again.stdout


def test_docker_compose_says_so_when_no_member_gets_a_service(tmp_path: Path) -> None:
    off = "compose = false\n"
    root = stack(tmp_path, web=off, queue=off, job=off)

    proc = uvmono("docker", "compose", cwd=root, check=True)

    assert "no member gets a compose service" in proc.stderr
    assert not (root / "compose.yaml").exists()
