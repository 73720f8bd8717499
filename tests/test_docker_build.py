"""The generated Dockerfiles on a real Docker engine (BuildKit): they build, run, and stay cached.

Every image of the sample workspace is built and run as its entry point; the dependency layer
stays cached when a member's source, an unrelated member, or uv.lock outside the member's
closure changes (read from `--progress=plain`); a private index gets its credentials through
BuildKit secrets and no layer keeps them. Builds share a module of fixtures, so the whole file
costs a few builds. Skipped without an engine: `validators-dockerd start`.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import wsutil
from tests.gitutil import GitRepo
from tests.validators import environ, require
from tests.wsutil import SAMPLE, project, virtual_root, write_tree
from uvmono import files, workspace
from uvmono.commands import docker as docker_command

pytestmark = pytest.mark.docker

RUN_ID = uuid.uuid4().hex[:10]
REPOSITORY = "uvmono-test"
BASE_IMAGE = "python:3.11-slim-trixie"
# member -> (directory, console script)
IMAGES = {
    "acme-api": ("services/api", "acme-api"),
    "acme-worker": ("services/worker", "acme-worker"),
    "acme-cli": ("tools/cli", "acme"),
}
DEPS_STEP = "/tmp/uvmono/deps.txt"  # the deps stage's third-party step mounts this file
_STEP = re.compile(r"^#(\d+) \[(?P<stage>[^\]]+)\] (?P<text>.*)$", re.MULTILINE)
_CACHED = re.compile(r"^#(\d+) CACHED$", re.MULTILINE)


# ------------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Step:
    stage: str  # e.g. "build 1/6"
    text: str
    cached: bool


@dataclass(frozen=True)
class Build:
    log: str
    returncode: int
    image: str | None
    seconds: float

    @property
    def steps(self) -> list[Step]:
        """The steps of the Dockerfile (not FROM, not BuildKit's internal ones nor the loading
        of a named context), in order."""
        cached = set(_CACHED.findall(self.log))
        seen: dict[str, Step] = {}
        for match in _STEP.finditer(self.log):
            number, stage, text = match.group(1), match.group("stage"), match.group("text")
            loading = stage.startswith(("internal", "context "))  # a named context's load too
            if number in seen or loading or text.startswith("FROM "):
                continue
            seen[number] = Step(stage, text, number in cached)
        return sorted(seen.values(), key=lambda s: (s.stage.split()[0], _index(s.stage)))

    def step(self, stage: str, fragment: str) -> Step:
        found = [s for s in self.steps if s.stage.split()[0] == stage and fragment in s.text]
        assert len(found) == 1, f"one {stage} step with {fragment!r} expected in:\n{self.log}"
        return found[0]

    def ran(self) -> list[str]:
        return [f"[{s.stage}] {s.text[:60]}" for s in self.steps if not s.cached]


def _index(stage: str) -> int:
    return int(stage.split()[-1].split("/")[0]) if "/" in stage else 0


@dataclass
class Docker:
    binary: str
    env: dict[str, str]
    build_args: list[str]
    run_args: list[str]
    tags: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # every image built, also once a tag moved on

    def build(
        self,
        root: Path,
        dockerfile: str,
        *,
        tag: str | None = None,
        target: str | None = None,
        extra: Sequence[str] = (),
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> Build:
        """`docker build` from the workspace root with plain progress output."""
        image = f"{REPOSITORY}/{tag}:{RUN_ID}" if tag else None
        args = [self.binary, "build", "--progress=plain", *self.build_args, *extra]
        args += ["-f", str(buildable(root, dockerfile))]
        if target:
            args += ["--target", target]
        if image:
            args += ["-t", image]
            self.tags.append(image)
        started = time.monotonic()
        proc = subprocess.run(
            [*args, str(root)],
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=600,
            check=False,
        )
        result = Build(
            proc.stdout + proc.stderr, proc.returncode, image, time.monotonic() - started
        )
        if check:
            assert result.returncode == 0, f"docker build failed:\n{result.log[-6000:]}"
        if image and result.returncode == 0:
            self.ids.append(self.image_id(image))
        return result

    def remove_images(self) -> None:
        """What this run built: its tags, then the images they pointed to on the way."""
        for images in (sorted(set(self.tags)), sorted(set(self.ids))):
            if images:
                self.run("image", "rm", "--force", *images, check=False)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [self.binary, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=300,
            check=False,
        )
        if check:
            assert proc.returncode == 0, f"docker {' '.join(args)}:\n{proc.stdout}{proc.stderr}"
        return proc

    def image_id(self, image: str) -> str:
        return self.run("image", "inspect", "--format", "{{.Id}}", image).stdout.strip()

    def size(self, image: str) -> int:
        return int(self.run("image", "inspect", "--format", "{{.Size}}", image).stdout)


def buildable(root: Path, dockerfile: str) -> Path:
    """The Dockerfile, or a copy without its `# syntax=` line (BuildKit would pull that
    frontend, and no registry is reachable here) next to a copy of its .dockerignore."""
    path = root / dockerfile
    text = path.read_text()
    if not re.match(r"#\s*syntax=", text):
        return path
    stripped = root.parent / f"{root.name}-no-syntax" / dockerfile
    stripped.parent.mkdir(parents=True, exist_ok=True)
    stripped.write_text(text.split("\n", 1)[1])
    shutil.copy(root / f"{dockerfile}.dockerignore", f"{stripped}.dockerignore")
    return stripped


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns(".venv", "__pycache__", ".pytest_cache", ".git"),
    )
    generate(target)
    return target


def generate(root: Path) -> None:
    """The Dockerfiles this code generates (the committed ones are checked elsewhere)."""
    ws = workspace.load(root)
    found = [*docker_command.artifacts(ws), *docker_command.bake_artifacts(ws)]
    files.apply(files.plan_writes(root, found, force=True))


def uv(root: Path, *args: str, env: dict[str, str] | None = None) -> None:
    binary = require("uv")  # the uv of the images (0.13.9)
    proc = subprocess.run(
        [binary, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**environ(), "UV_PYTHON_DOWNLOADS": "never", **(env or {})},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"uv {' '.join(args)}:\n{proc.stderr}"


def append(path: Path, text: str) -> None:
    with path.open("a") as file:
        file.write(text)


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def engine() -> Iterator[Docker]:
    binary = require("docker")
    env = environ()
    docker = Docker(
        binary,
        env,
        shlex.split(env.get("UVMONO_DOCKER_BUILD_ARGS", "")),
        shlex.split(env.get("UVMONO_DOCKER_RUN_ARGS", "")),
    )
    yield docker
    docker.remove_images()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workspace(SAMPLE, tmp_path_factory.mktemp("sample") / "ws")


@pytest.fixture(scope="module")
def images(engine: Docker, sample: Path) -> dict[str, Build]:
    return {
        name: engine.build(sample, f"{path}/Dockerfile", tag=name)
        for name, (path, _) in IMAGES.items()
    }


# -------------------------------------------------------------------- the sample's images


@pytest.mark.parametrize("name", list(IMAGES))
def test_each_image_runs_its_entry_point(
    engine: Docker, images: dict[str, Build], name: str
) -> None:
    image = images[name].image
    assert image is not None

    out = engine.run("run", "--rm", *engine.run_args, image, "--check").stdout

    assert out == f"{IMAGES[name][1]} ok\n"


@pytest.mark.parametrize("name", list(IMAGES))
def test_each_image_runs_as_a_non_root_user(
    engine: Docker, images: dict[str, Build], name: str
) -> None:
    image = images[name].image
    assert image is not None

    uid = engine.run("run", "--rm", "--entrypoint", "id", image, "-u").stdout

    assert uid == "10001\n"


def test_images_hold_no_uv_no_source_tree_and_only_the_members_they_need(
    engine: Docker, images: dict[str, Build]
) -> None:
    script = (
        "command -v uv uvx; ls /app; "
        "ls /app/.venv/lib/python3.11/site-packages | grep '^acme_[a-z]*$'"
    )
    found = {}
    for name, build in images.items():
        assert build.image is not None
        out = engine.run(
            "run", "--rm", "--entrypoint", "sh", build.image, "-c", script, check=False
        )
        found[name] = out.stdout.split()

    assert found == {
        "acme-api": ["acme_api", "acme_core", "acme_events", "acme_storage"],
        "acme-worker": ["acme_core", "acme_events", "acme_storage", "acme_worker"],
        "acme-cli": ["acme_cli", "acme_core"],
    }, "no uv, nothing in /app but the venv (which ls hides), no member it does not need"


def test_nothing_of_the_build_env_reaches_an_image(
    engine: Docker, images: dict[str, Build]
) -> None:
    script = (
        "import importlib.util, pathlib; "
        "site = pathlib.Path('/app/.venv/lib/python3.11/site-packages'); "
        "print(importlib.util.find_spec('hatchling'), sorted(p.name for p in site.glob('*.pth')))"
    )
    image = images["acme-api"].image  # acme-api and acme-storage build with hatchling
    assert image is not None and "AS build-env" in (SAMPLE / "services/api/Dockerfile").read_text()

    out = engine.run("run", "--rm", "--entrypoint", "python", image, "-c", script).stdout

    assert out.startswith("None "), out
    assert "_uvmono_build_env.pth" not in out


def test_images_are_the_base_image_plus_their_packages(
    engine: Docker, images: dict[str, Build]
) -> None:
    base = engine.size(BASE_IMAGE)
    sizes = {name: engine.size(build.image or "") for name, build in images.items()}

    print(f"\nimage sizes (base {BASE_IMAGE}: {base / 1e6:.1f} MB):")
    for name, size in sizes.items():
        print(f"  {name}: {size / 1e6:.1f} MB (+{(size - base) / 1e6:.1f} MB)")
    assert all(0 < size - base < 50e6 for size in sizes.values()), sizes


def test_labels_name_the_member_and_its_revision(engine: Docker, sample: Path) -> None:
    build = engine.build(
        sample,
        "tools/cli/Dockerfile",
        tag="acme-cli-revision",
        extra=["--build-arg", "REVISION=0123abc"],
    )

    labels = json.loads(
        engine.run(
            "image", "inspect", "--format", "{{json .Config.Labels}}", build.image or ""
        ).stdout
    )

    assert labels["org.opencontainers.image.title"] == "acme-cli"
    assert labels["org.opencontainers.image.version"] == "0.1.0"
    assert labels["org.opencontainers.image.revision"] == "0123abc"
    assert [s for s in build.ran() if "LABEL" not in s] == [], "a revision rebuilds no layer"


def test_the_test_target_installs_the_groups_and_runs_the_tests(
    engine: Docker, sample: Path
) -> None:
    # Without the cache for this stage: a cached test step would print no test report.
    build = engine.build(
        sample,
        "services/api/Dockerfile",
        tag="acme-api-test",
        target="test",
        extra=["--no-cache-filter", "test"],
    )

    assert re.search(r"^#\d+ .* 3 passed in ", build.log, re.MULTILINE), build.log[-3000:]


def test_the_requirement_lists_pin_every_package_and_hold_no_absolute_path(
    engine: Docker, sample: Path, tmp_path: Path
) -> None:
    engine.build(
        sample,
        "services/api/Dockerfile",
        target="lock",
        extra=["--output", f"type=local,dest={tmp_path}"],
    )
    lists = {p.name: p.read_text() for p in (tmp_path / "uvmono/requirements").iterdir()}

    requirements = {
        name: [line.split()[0] for line in text.splitlines() if line and line[0] not in " -"]
        for name, text in lists.items()
    }
    assert requirements["deps.txt"] == [
        "annotated-types==0.8.0",
        "pydantic==2.14.3",
        "pydantic-core==2.50.4",
        "typing-extensions==4.16.0",
        "typing-inspection==0.4.5",
    ]
    members = ["./libs/core", "./libs/events", "./libs/storage", "./services/api"]
    assert [r for r in requirements["app.txt"] if r.startswith(".")] == members
    assert (
        "./services/worker" in requirements["test.txt"]
        and "pytest==9.2.0" in (requirements["test.txt"])
    )
    assert "--hash=sha256:" in lists["deps.txt"]
    for text in lists.values():
        assert str(sample) not in text and not re.search(r"(^|\s)/", text), text


# ------------------------------------------------------------------------------- caching


@dataclass(frozen=True)
class CacheRuns:
    builds: dict[str, Build]
    images: dict[str, str]  # build -> image id
    layers: dict[str, list[str]]  # build -> the image's layers (diff ids), bottom first


@pytest.fixture(scope="module")
def cache_runs(
    engine: Docker, images: dict[str, Build], tmp_path_factory: pytest.TempPathFactory
) -> CacheRuns:
    """acme-api (and acme-worker) built after each kind of change, in one copy, in turn."""
    root = copy_workspace(SAMPLE, tmp_path_factory.mktemp("cache") / "ws")
    # BuildKit may answer a step that is CACHED with any earlier result of equal content (a
    # `COPY --from` is keyed by the files' content), and results of earlier runs differ in
    # their files' times: so that the layers compared below are this run's own, every stage
    # starts with an ENV of this run.
    for name in IMAGES:
        dockerfile = root / IMAGES[name][0] / "Dockerfile"
        text = dockerfile.read_text(encoding="utf-8")
        stamped = re.sub(r"^(FROM .+)$", rf"\1\nENV UVMONO_TEST_RUN={RUN_ID}", text, flags=re.M)
        dockerfile.write_text(stamped, encoding="utf-8")
    builds: dict[str, Build] = {}
    ids: dict[str, str] = {}
    layers: dict[str, list[str]] = {}

    def build(key: str, name: str = "acme-api") -> None:
        builds[key] = engine.build(root, f"{IMAGES[name][0]}/Dockerfile", tag=f"cache-{name}")
        ids[key] = engine.image_id(builds[key].image or "")  # before the tag moves on
        layers[key] = json.loads(
            engine.run("image", "inspect", "--format", "{{json .RootFS.Layers}}", ids[key]).stdout
        )

    # BuildKit's cache outlives this test run: every change is new to it (RUN_ID).
    change = f"\nCHANGED = {RUN_ID!r}\n"
    build("start")
    build("worker start", "acme-worker")
    append(root / "services/api/src/acme_api/app.py", change)
    build("own source")
    append(root / "tools/cli/src/acme_cli/main.py", change)
    cli = root / "tools/cli/pyproject.toml"
    cli.write_text(cli.read_text().replace('"typer>=0.12"', '"typer>=0.12.1"'))
    build("unrelated member")
    before = (root / "uv.lock").read_text()
    # A real relock that downgrades click (acme-worker needs it, acme-api does not) to its
    # release of 2023, with a cut-off time (recorded in uv.lock) unique to this run.
    seconds = int(RUN_ID, 16) % (300 * 86400)
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1704067200 + seconds))
    uv(root, "lock", "--upgrade-package", "click", "--exclude-newer-package", f"click={cutoff}")
    after = (root / "uv.lock").read_text()
    assert 'name = "click"\nversion = "8.1.7"' in after and after != before
    build("uv.lock elsewhere")
    build("worker after the relock", "acme-worker")
    append(root / "libs/core/src/acme_core/utils.py", change)
    build("needed member")
    return CacheRuns(builds, ids, layers)


def test_a_change_to_the_members_source_leaves_the_dependency_layer_cached(
    cache_runs: CacheRuns,
) -> None:
    build = cache_runs.builds["own source"]

    assert build.step("deps", DEPS_STEP).cached
    assert build.step("lock", "uv export").cached
    assert not build.step("build", "COPY services/api").cached


def test_a_code_change_reaches_the_image_as_one_new_layer_over_the_same_third_party_one(
    engine: Docker, cache_runs: CacheRuns
) -> None:
    before, after = cache_runs.layers["start"], cache_runs.layers["own source"]
    script = "import acme_api.app as m; print(m.CHANGED)"

    out = engine.run(
        "run", "--rm", "--entrypoint", "python", cache_runs.images["own source"], "-c", script
    ).stdout

    assert out == f"{RUN_ID}\n", "the member's wheel is built from the new source"
    assert len(before) == len(after) and before[:-1] == after[:-1] and before[-1] != after[-1]


def test_a_code_change_builds_the_hatchling_members_against_the_cached_build_env(
    cache_runs: CacheRuns,
) -> None:
    build = cache_runs.builds["own source"]
    step = build.step("build", "uv pip install --no-deps")
    # the lines BuildKit prints for that step: uv's own words for how it built
    number = re.search(rf"^#(\d+) \[{re.escape(step.stage)}\]", build.log, re.M)
    assert number is not None
    said = "\n".join(re.findall(rf"^#{number.group(1)} [0-9.]+ (.*)$", build.log, re.M))

    assert build.step("build-env", "/opt/uvmono/build-env").cached
    assert not step.cached
    assert "Building acme-api" in said and "without build isolation" in said, said


def test_a_change_to_an_unrelated_member_leaves_the_whole_image_cached(
    cache_runs: CacheRuns,
) -> None:
    build = cache_runs.builds["unrelated member"]

    assert build.ran() == []
    assert cache_runs.images["unrelated member"] == cache_runs.images["own source"]


def test_a_uv_lock_change_outside_the_closure_leaves_the_dependency_layer_cached(
    cache_runs: CacheRuns,
) -> None:
    build = cache_runs.builds["uv.lock elsewhere"]

    assert not build.step("lock", "uv export").cached, "the lock stage reads the new uv.lock"
    assert build.step("deps", DEPS_STEP).cached
    assert build.ran() == [s for s in build.ran() if s.startswith("[lock")]
    assert cache_runs.images["uv.lock elsewhere"] == cache_runs.images["unrelated member"]


def test_the_same_uv_lock_change_changes_the_image_of_a_member_that_needs_it(
    cache_runs: CacheRuns,
) -> None:
    assert cache_runs.images["worker after the relock"] != cache_runs.images["worker start"]


def test_a_change_to_a_needed_member_rebuilds_only_what_follows_the_dependency_layer(
    cache_runs: CacheRuns,
) -> None:
    build = cache_runs.builds["needed member"]
    steps = build.steps

    assert build.step("deps", DEPS_STEP).cached
    assert build.step("lock", "uv export").cached
    first_copy = next(s for s in steps if s.text.startswith("COPY libs/core"))
    assert not first_copy.cached
    build_steps = [s for s in steps if s.stage.startswith("build ")]
    assert all(s.cached for s in build_steps[: build_steps.index(first_copy)])
    assert all(not s.cached for s in build_steps[build_steps.index(first_copy) :])


# ------------------------------------------------------------ the lock stage's lists on the host


@dataclass(frozen=True)
class LockContextRuns:
    root: Path
    lists: Path
    builds: dict[str, Build]
    images: dict[str, str]


@pytest.fixture(scope="module")
def lock_context_runs(
    engine: Docker, tmp_path_factory: pytest.TempPathFactory
) -> LockContextRuns:
    """acme-api built as `uvmono docker commands --lock-context` prints it, before and after a
    uv.lock change outside its environment (click, which only acme-worker needs)."""
    root = copy_workspace(SAMPLE, tmp_path_factory.mktemp("lock-context") / "ws")
    lists = root.parent / "lists"
    path = {"PATH": os.pathsep.join([str(Path(require("uv")).parent), os.environ["PATH"]])}
    builds: dict[str, Build] = {}
    ids: dict[str, str] = {}

    def build(key: str) -> None:
        wsutil.uvmono("docker", "requirements", "--output", str(lists), cwd=root, env=path,
                      check=True)  # fmt: skip
        extra = ["--build-context", f"lock={lists / 'acme-api'}"]
        builds[key] = engine.build(root, "services/api/Dockerfile", tag="lock-context",
                                   extra=extra)  # fmt: skip
        ids[key] = engine.image_id(builds[key].image or "")

    build("start")
    seconds = (int(RUN_ID, 16) + 86400) % (300 * 86400)  # not cache_runs' cut-off
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1704067200 + seconds))
    before = (root / "uv.lock").read_text()
    uv(root, "lock", "--upgrade-package", "click", "--exclude-newer-package", f"click={cutoff}")
    assert (root / "uv.lock").read_text() != before
    build("uv.lock elsewhere")
    return LockContextRuns(root, lists, builds, ids)


def test_the_hosts_lists_are_the_lock_stages_byte_for_byte(
    engine: Docker, lock_context_runs: LockContextRuns, tmp_path: Path
) -> None:
    root, lists = lock_context_runs.root, lock_context_runs.lists
    for name, (path, _) in IMAGES.items():
        out = tmp_path / name
        engine.build(root, f"{path}/Dockerfile", target="lock",
                     extra=["--output", f"type=local,dest={out}"])  # fmt: skip
        stage = out / "uvmono" / "requirements"
        host = lists / name / "uvmono" / "requirements"
        files_ = sorted(p.name for p in stage.iterdir())

        assert files_ == sorted(p.name for p in host.iterdir()) == [
            "app.txt", "deps.txt", "local.txt", "test.txt"
        ]  # fmt: skip
        for file in files_:
            assert (host / file).read_bytes() == (stage / file).read_bytes(), (name, file)


def test_with_the_lock_context_an_unrelated_uv_lock_change_leaves_every_step_cached(
    lock_context_runs: LockContextRuns,
) -> None:
    start, after = (lock_context_runs.builds[k] for k in ("start", "uv.lock elsewhere"))

    assert not any(s.stage.startswith("lock") for s in start.steps), "the context replaces it"
    assert after.ran() == []
    assert after.steps and len(after.steps) == len(start.steps)
    assert lock_context_runs.images["uv.lock elsewhere"] == lock_context_runs.images["start"]


# ------------------------------------------------------ path dependency, labels, bake


def test_a_member_with_a_path_dependency_builds_and_its_labels_keep_odd_text(
    engine: Docker, tmp_path: Path
) -> None:
    description = 'Says "hi" to $HOME and ${USER}, `id`; \\ too, \\"this\\" and ends in one: \\'
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": project(
                "app",
                ["extlib; sys_platform == 'linux'"],
                scripts={"app": "app:main"},
                tail='[tool.uv.sources]\nextlib = { path = "../../vendor/extlib" }\n',
            ).replace(
                'version = "0.1.0"', f'version = "0.1.0"\ndescription = {json.dumps(description)}'
            ),
            "vendor/extlib/pyproject.toml": project("extlib"),
        },
    )
    (root / "vendor/extlib/src/extlib/__init__.py").write_text('VALUE = "extlib ok"\n')
    (root / "svc/app/src/app/__init__.py").write_text(
        "from extlib import VALUE\n\n\ndef main() -> None:\n    print(VALUE)\n"
    )
    uv(root, "lock")
    generate(root)

    build = engine.build(root, "svc/app/Dockerfile", tag="path-dependency")

    assert build.image is not None
    assert engine.run("run", "--rm", build.image).stdout == "extlib ok\n"
    labels = json.loads(
        engine.run("image", "inspect", "--format", "{{json .Config.Labels}}", build.image).stdout
    )
    assert labels["org.opencontainers.image.description"] == description


HOOK = """\
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        import six  # there only when uv installed the hook's `dependencies`
"""


def test_members_built_against_the_build_env_and_one_hatchling_adds_to_build_alongside(
    engine: Docker, tmp_path: Path
) -> None:
    hatchling = (
        '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n'
    )
    hook = '[tool.hatch.build.targets.wheel.hooks.custom]\ndependencies = ["six"]\n'
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(
                ["svc/*", "libs/*"],
                tail='[tool.uv]\nbuild-constraint-dependencies = ["hatchling==1.27.0"]\n',
            ),
            "svc/app/pyproject.toml": project(
                "app", ["hooked", "plain"], sources=["hooked", "plain"], scripts={"app": "app:main"}
            ).replace(wsutil.BUILD_SYSTEM, hatchling),
            "libs/plain/pyproject.toml": project("plain").replace(wsutil.BUILD_SYSTEM, hatchling),
            "libs/hooked/pyproject.toml": project("hooked").replace(
                wsutil.BUILD_SYSTEM, hatchling + hook
            ),
            "libs/hooked/hatch_build.py": HOOK,
            # this run's own files: no layer or built wheel of an earlier run can answer
            "libs/hooked/src/hooked/__init__.py": f'VALUE = "hooked"  # {RUN_ID}\n',
            "libs/plain/src/plain/__init__.py": f'VALUE = "plain"  # {RUN_ID}\n',
            "svc/app/src/app/__init__.py": (
                f"import hooked, plain  # {RUN_ID}\n\n\ndef main() -> None:\n"
                "    print(hooked.VALUE, plain.VALUE)\n"
            ),
        },
    )
    uv(root, "lock")
    generate(root)
    dockerfile = (root / "svc/app/Dockerfile").read_text()
    assert "--no-build-isolation-package app --no-build-isolation-package plain " in dockerfile
    assert "--no-build-isolation-package hooked" not in dockerfile

    build = engine.build(root, "svc/app/Dockerfile", tag="build-env")

    assert build.image is not None
    assert engine.run("run", "--rm", build.image).stdout == "hooked plain\n"
    assert "Prepared 1 package in" in build.log, "hooked, in an isolated environment"
    assert "Prepared 2 packages without build isolation" in build.log, "app and plain"
    generators = engine.run(
        "run", "--rm", "--entrypoint", "sh", build.image, "-c",
        "cat /app/.venv/lib/python3.11/site-packages/*.dist-info/WHEEL | grep Generator",
    ).stdout
    assert generators.split("\n")[:3] == ["Generator: hatchling 1.27.0"] * 3, (
        "the workspace's build constraint holds in the build env and in the isolated build"
    )


def test_a_member_nested_in_a_member_it_does_not_need_builds_and_runs(
    engine: Docker, tmp_path: Path
) -> None:
    from tests.test_dockerfile import nested_in_unneeded

    root = nested_in_unneeded(tmp_path / "ws")
    write_tree(
        root,
        {
            "src/sdk/__init__.py": f'VALUE = "sdk {RUN_ID}"\n',
            "examples/src/stories/__init__.py": "",
            "examples/servers/tool/src/tool/__init__.py": (
                "from sdk import VALUE\n\n\ndef main() -> None:\n    print(VALUE)\n"
            ),
        },
    )
    uv(root, "lock")
    generate(root)

    build = engine.build(root, "examples/servers/tool/Dockerfile", tag="nested")

    assert build.image is not None
    assert engine.run("run", "--rm", build.image).stdout == f"sdk {RUN_ID}\n"


def test_a_member_versioned_from_git_builds_with_the_version_it_is_handed(
    engine: Docker, tmp_path: Path
) -> None:
    from tests.test_vcs_versions import HATCH_VCS, dynamic

    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": dynamic("app", HATCH_VCS),
            "svc/app/src/app/__init__.py": (
                f"import importlib.metadata  # {RUN_ID}\n\n\ndef main() -> None:\n"
                "    print(importlib.metadata.version('app'))\n"
            ),
        },
    )
    GitRepo.init(root).commit("start")  # uv lock builds the member: hatch-vcs asks git
    uv(root, "lock")
    generate(root)
    revision = "57394b0548d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5"

    by_revision = engine.build(
        root, "svc/app/Dockerfile", tag="vcs", extra=["--build-arg", f"REVISION={revision}"]
    )
    assert by_revision.image is not None
    assert engine.run("run", "--rm", by_revision.image).stdout == "0.0.0+g57394b0548d1\n"

    given = engine.build(
        root, "svc/app/Dockerfile", tag="vcs-given", extra=["--build-arg", "VCS_VERSION=2.1.0"]
    )
    assert given.image is not None
    assert engine.run("run", "--rm", given.image).stdout == "2.1.0\n"


def test_an_image_installs_the_extras_its_console_script_needs(
    engine: Docker, tmp_path: Path
) -> None:
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": project("app", scripts={"app": "app:main"})
            + '[project.optional-dependencies]\ncli = ["six"]\n'
            '[tool.uvmono.docker]\nextras = ["cli"]\n',
            "svc/app/src/app/__init__.py": (
                f"def main() -> None:  # {RUN_ID}\n    import six\n\n    print(six.__name__)\n"
            ),
        },
    )
    uv(root, "lock")
    generate(root)

    build = engine.build(root, "svc/app/Dockerfile", tag="extras")

    assert build.image is not None
    assert engine.run("run", "--rm", build.image).stdout == "six\n"
    from uvmono import docker_requirements

    (written,) = docker_requirements.write(workspace.load(root), ["app"], tmp_path / "lists")
    lists = written / docker_requirements.REQUIREMENTS.lstrip("/")
    assert "six==" in (lists / "deps.txt").read_text(), "the host's lists hold the extra too"


# ------------------------------------------------- a writable home, the revision label

HOME_SCRIPT = """\
from pathlib import Path


def main() -> None:
    home = Path.home()
    for path in (home / ".cache/app/state", home / ".local/share/app/data"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("written")
    print(f"{home} ok")
"""


@dataclass(frozen=True)
class HomeImage:
    build: Build
    head: str
    command: list[str]  # `uvmono docker commands`, split into words


@pytest.fixture(scope="module")
def home_image(engine: Docker, tmp_path_factory: pytest.TempPathFactory) -> HomeImage:
    """A member whose entry point writes under ~/.cache and ~/.local, in a git repository,
    built with the build argument `uvmono docker commands` prints."""
    repo = GitRepo.init(tmp_path_factory.mktemp("home") / "repo")
    root = write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(["svc/*"]),
            "svc/app/pyproject.toml": project("app", scripts={"app": "app:main"}),
        },
    )
    (root / "svc/app/src/app/__init__.py").write_text(HOME_SCRIPT)
    uv(root, "lock")
    generate(root)
    head = repo.commit("app")
    printed = wsutil.uvmono("docker", "commands", cwd=root, env={"REVISION": ""}, check=True)
    (command,) = [shlex.split(line) for line in printed.stdout.splitlines()]
    arg = command[command.index("--build-arg") + 1]
    build = engine.build(root, "svc/app/Dockerfile", tag="home", extra=["--build-arg", arg])
    return HomeImage(build, head, command)


def test_the_runtime_user_writes_under_its_home(engine: Docker, home_image: HomeImage) -> None:
    image = home_image.build.image
    assert image is not None

    out = engine.run("run", "--rm", *engine.run_args, image)
    uid = engine.run("run", "--rm", "--entrypoint", "id", image, "-u").stdout

    assert out.stdout == "/home/app ok\n", out.stderr
    assert uid == "10001\n", "numeric and not root"


def test_the_revision_label_is_the_commit_docker_commands_passes(
    engine: Docker, home_image: HomeImage
) -> None:
    labels = json.loads(
        engine.run(
            "image", "inspect", "--format", "{{json .Config.Labels}}", home_image.build.image or ""
        ).stdout
    )

    assert f"REVISION={home_image.head}" in home_image.command
    assert labels["org.opencontainers.image.revision"] == home_image.head


def test_bake_builds_every_image_of_the_sample(
    engine: Docker, sample: Path, images: dict[str, Build]
) -> None:
    tag = f"bake-{RUN_ID}"
    printed = subprocess.run(
        [engine.binary, "buildx", "bake", "-f", "docker-bake.json", "--print"],
        cwd=sample,
        capture_output=True,
        text=True,
        env={**engine.env, "TAG": tag},
        check=False,
    )
    if printed.returncode != 0 and "is not a docker command" in printed.stderr:
        pytest.skip("docker buildx is not installed")
    assert printed.returncode == 0, printed.stderr
    assert sorted(json.loads(printed.stdout)["target"]) == sorted(IMAGES)

    # The engine has no bridge network and buildx 0.13 ignores a target's `network`:
    # validators-bake runs a newer bake with every target on the host network.
    bake = require("validators-bake")
    proc = subprocess.run(
        [bake, "-f", "docker-bake.json", "--progress=plain"],
        cwd=sample,
        capture_output=True,
        text=True,
        env={**engine.env, "TAG": tag, "REVISION": f"bake-{RUN_ID}"},
        timeout=900,
        check=False,
    )

    engine.tags.extend(f"{name}:{tag}" for name in IMAGES)
    assert proc.returncode == 0, proc.stderr[-5000:]
    for name, (_, script) in IMAGES.items():
        assert engine.run("run", "--rm", f"{name}:{tag}", "--check").stdout == f"{script} ok\n"
        labels = json.loads(
            engine.run("image", "inspect", "--format", "{{json .Config.Labels}}", f"{name}:{tag}")
            .stdout
        )
        assert labels["org.opencontainers.image.revision"] == f"bake-{RUN_ID}"


def test_buildah_builds_the_same_dockerfile(tmp_path: Path, sample: Path) -> None:
    buildah = require("vbuildah")
    env = environ()
    image = f"localhost/{REPOSITORY}/acme-cli:{RUN_ID}"
    args = shlex.split(env.get("UVMONO_BUILDAH_BUILD_ARGS", "--pull=never"))

    # vbuildah runs in a chroot that sees the host under /host: relative paths only.
    dockerfile = os.path.relpath(buildable(sample, "tools/cli/Dockerfile"), sample)
    built = subprocess.run(
        [buildah, "build", *args, "-f", dockerfile, "-t", image, "."],
        cwd=sample,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    try:
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        container = subprocess.run(
            [buildah, "from", "--pull=never", image],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.strip()
        ran = subprocess.run(
            [buildah, "run", "--user", "10001", container, "/app/.venv/bin/acme", "--check"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        subprocess.run([buildah, "rm", container], capture_output=True, env=env, check=False)
        assert ran.stdout == "acme ok\n", ran.stderr
    finally:
        subprocess.run([buildah, "rmi", "-f", image], capture_output=True, env=env, check=False)


# ------------------------------------------------------------------------- private index


class _PrivateIndex(http.server.ThreadingHTTPServer):
    """A PEP 503 index of one wheel that answers only with the right Basic credentials."""

    def __init__(self, wheel: Path, username: str, password: str) -> None:
        self.wheel = wheel
        self.digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.expected = f"Basic {token}"
        super().__init__(("127.0.0.1", 0), _IndexHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/simple"


class _IndexHandler(http.server.BaseHTTPRequestHandler):
    server: _PrivateIndex

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        wheel = self.server.wheel
        if self.headers.get("Authorization") != self.server.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="private"')
            self.end_headers()
            return
        if self.path.rstrip("/") == "/simple/acme-secret-dep":
            data = f'<a href="/files/{wheel.name}#sha256={self.server.digest}">x</a>'.encode()
        elif self.path == f"/files/{wheel.name}":
            data = wheel.read_bytes()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        if self.path.startswith("/simple/"):
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


SECRET = f"s3cr3t-{RUN_ID}"


def test_private_index_credentials_reach_uv_as_secrets_and_no_layer(
    engine: Docker, tmp_path: Path
) -> None:
    if "--network=host" not in engine.build_args:
        pytest.skip("the builds cannot reach a server on the host (no --network=host)")
    package = write_tree(
        tmp_path / "secret-dep",
        {"pyproject.toml": project("acme-secret-dep", version="1.0.0")},
    )
    (package / "src/acme_secret_dep/__init__.py").write_text('VALUE = "private ok"\n')
    uv(package, "build", "--wheel", "--out-dir", str(tmp_path / "dist"))
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    index = _PrivateIndex(wheel, "ci", SECRET)
    threading.Thread(target=index.serve_forever, daemon=True).start()
    credentials = {
        "UV_INDEX_ACME_PRIVATE_USERNAME": "ci",
        "UV_INDEX_ACME_PRIVATE_PASSWORD": SECRET,
    }
    try:
        root = write_tree(
            tmp_path / "ws",
            {
                "pyproject.toml": virtual_root(["svc/*"])
                + f'[[tool.uv.index]]\nname = "acme-private"\nurl = "{index.url}"\n'
                "explicit = true\n"
                '[tool.uv.sources]\nacme-secret-dep = { index = "acme-private" }\n'
                '[tool.uvmono.docker]\nindexes = ["acme-private"]\n',
                "svc/app/pyproject.toml": project(
                    "app", ["acme-secret-dep"], scripts={"app": "app:main"}
                ),
            },
        )
        (root / "svc/app/src/app/__init__.py").write_text(
            "from acme_secret_dep import VALUE\n\n\ndef main() -> None:\n    print(VALUE)\n"
        )
        uv(root, "lock", env=credentials)
        generate(root)
        secrets = shlex.split(
            docker_command.commands(
                workspace.load(root), ["app"], cwd=root, tags=["x"], revision="r"
            )
        )
        secret_args = [
            w for i, w in enumerate(secrets) if w == "--secret" or secrets[i - 1] == "--secret"
        ]

        built = engine.build(
            root, "svc/app/Dockerfile", tag="private", extra=secret_args, env=credentials
        )
        build_stage = engine.build(  # the stage that installs the private package
            root,
            "svc/app/Dockerfile",
            tag="private-deps",
            target="deps",
            extra=secret_args,
            env=credentials,
        )
        refused = engine.build(
            root, "svc/app/Dockerfile", target="deps", extra=["--no-cache"], check=False
        )
    finally:
        index.shutdown()

    assert built.image is not None and build_stage.image is not None
    assert engine.run("run", "--rm", built.image).stdout == "private ok\n"
    assert refused.returncode != 0 and "401 Unauthorized" in refused.log
    for image in (built.image, build_stage.image):
        history = engine.run("history", "--no-trunc", image).stdout
        config = engine.run("image", "inspect", image).stdout
        saved = subprocess.run(
            [engine.binary, "save", image], capture_output=True, env=engine.env, check=True
        ).stdout
        assert SECRET not in history and SECRET not in config
        assert SECRET.encode() not in saved, f"the secret is in a layer of {image}"


# ---------------------------------------------------------------- only the lock's indexes


@pytest.fixture
def explicit_index(tmp_path: Path) -> Iterator[str]:
    """A PEP 503 directory served by `python -m http.server` on 127.0.0.1: an explicit index
    (say, TestPyPI) holding a six 1.17.0 that is not PyPI's."""
    fake = write_tree(tmp_path / "fake-six", {"pyproject.toml": project("six", version="1.17.0")})
    (fake / "src/six/__init__.py").write_text('FROM = "the explicit index"\n')
    served = tmp_path / "served"
    uv(fake, "build", "--wheel", "--out-dir", str(served / "files"))
    (wheel,) = (served / "files").glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (served / "simple/six").mkdir(parents=True)
    (served / "simple/six/index.html").write_text(
        f'<a href="../../files/{wheel.name}#sha256={digest}">{wheel.name}</a>\n'
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=served,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/simple"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/six/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_package_on_an_explicit_index_but_locked_from_pypi_installs_from_pypi(
    engine: Docker, tmp_path: Path, explicit_index: str
) -> None:
    if "--network=host" not in engine.build_args:
        pytest.skip("the builds cannot reach a server on the host (no --network=host)")
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["svc/*"])
            + f'[[tool.uv.index]]\nname = "testpypi"\nurl = "{explicit_index}"\n'
            "explicit = true\n",
            "svc/app/pyproject.toml": project("app", ["six==1.17.0"], scripts={"app": "app:main"}),
        },
    )
    (root / "svc/app/src/app/__init__.py").write_text(
        "import six\n\n\ndef main() -> None:\n"
        '    print(getattr(six, "FROM", "pypi"), six.__version__)\n'
    )
    uv(root, "lock")
    assert 'source = { registry = "https://pypi.org/simple" }' in (root / "uv.lock").read_text()
    generate(root)
    dockerfile = (root / "svc/app/Dockerfile").read_text()

    build = engine.build(root, "svc/app/Dockerfile", tag="explicit-index", check=False)

    assert explicit_index not in dockerfile, "an index no locked package comes from"
    assert build.returncode == 0, build.log[-4000:]
    assert engine.run("run", "--rm", build.image or "").stdout == "pypi 1.17.0\n"
