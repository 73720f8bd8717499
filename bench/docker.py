#!/usr/bin/env python3
"""Time uvmono's generated Dockerfile on real BuildKit, on a 50-member workspace with about 200
third-party packages locked from PyPI.

    source /opt/uvmono-validators/env.sh
    .venv/bin/python bench/docker.py [--out bench/out/docker] [--keep-images]

It writes a uv workspace (`packages/svc-app`, the one image member, and 49 libraries; the
members need real, small, pure-Python packages from PyPI), locks it with `uv lock`, generates
the Dockerfiles with `uvmono docker generate`, and times `docker build` of svc-app's image:
cold (`--no-cache`), with nothing changed, after a code change in svc-app, after a change in an
unrelated member, after a uv.lock change outside svc-app's environment (then once more as
`uvmono docker commands --lock-context DIR` prints it: `uvmono docker requirements`, timed on
its own, and `docker build --build-context lock=DIR/svc-app`, which replaces the Dockerfile's
`lock` stage), and after a bump of a package inside it. Each build's `--progress=plain` log says
which steps ran. Then it builds the distroless variant of the image
(`runtime = "distroless"`) and a single-stage image of the whole workspace (`COPY . /app` + `uv
sync`, as uv's Docker guide starts) and compares the image sizes. The last table says OK or
MISSED against issue 16.

Docker comes from the environment (`DOCKER_HOST`...); `$UVMONO_DOCKER_BUILD_ARGS` is passed to
every build (`--network=host` here: RUN steps reach PyPI). A `# syntax=` line is stripped from
the generated Dockerfile (BuildKit would pull that frontend image). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from packaging.markers import Marker

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "out" / "docker"
IMAGE = "svc-app"
IMAGE_DIR = f"packages/{IMAGE}"
UNRELATED = "lib-30"  # a member svc-app does not need
PYTHON = "3.11"
UV_IMAGE = "ghcr.io/astral-sh/uv:0.13.9"
BASE_IMAGE = f"python:{PYTHON}-slim-bookworm"
REPOSITORY = "uvmono-bench"

# (package, version locked first, version it is moved to). BUMP is in svc-app's environment
# (svc-app requires it); UNRELATED_BUMP only in UNRELATED's (nothing else needs it).
BUMP = ("six", "1.16.0", "1.17.0")
UNRELATED_BUMP = ("tabulate", "0.9.0", "0.10.0")

# What svc-app and the five libraries it needs require directly. With their own requirements
# they make svc-app's environment (about 70 packages).
SVC_DEPS = ["six", "requests", "click", "rich", "httpx", "python-dateutil", "structlog"]
SVC_LIBS = {
    "lib-00": ["attrs", "cattrs", "marshmallow", "pyjwt", "loguru", "tqdm", "tenacity"],
    "lib-01": ["beautifulsoup4", "html5lib", "bleach", "markdown", "mistune", "docutils"],
    "lib-02": ["pytz", "croniter", "tzlocal", "humanize", "iso8601", "isodate"],
    "lib-03": ["boltons", "funcy", "toolz", "more-itertools", "sortedcontainers", "glom"],
    "lib-04": ["starlette", "uvicorn", "python-multipart", "wsproto", "h2", "trio"],
}
# The other 44 libraries share these, round robin (UNRELATED gets UNRELATED_BUMP's package).
OTHER_DEPS = """
    idna certifi urllib3 itsdangerous packaging pyparsing tzdata tomli tomlkit typing-extensions
    zipp importlib-metadata platformdirs filelock distlib colorama termcolor wcwidth prettytable
    decorator cachetools jmespath python-slugify text-unidecode unidecode inflection arrow
    rfc3986 uritemplate furl orderedmultidict sniffio anyio h11 httpcore soupsieve webencodings
    tinycss2 cssselect defusedxml xmltodict jsonpointer jsonpatch jsonpickle cerberus voluptuous
    schema dataclasses-json typing-inspect mypy-extensions oauthlib requests-oauthlib
    requests-toolbelt blinker bottle python-dotenv environs coloredlogs humanfriendly pygments
    markdown-it-py mdurl click-default-group click-plugins shellingham fire plumbum sh pexpect
    ptyprocess pathspec retrying backoff deprecation semver semantic-version natsort bidict
    pydash face munch addict sqlparse texttable terminaltables python-json-logger emoji
    validators email-validator dnspython filetype puremagic chardet charset-normalizer ftfy
    parse parse-type asgiref tinydb dill cloudpickle multipledispatch pluggy iniconfig pytest
    mock freezegun requests-mock pytest-mock pytest-timeout execnet mccabe pycodestyle pyflakes
    flake8 isort pydocstyle snowballstemmer pyasn1 pyasn1-modules rsa httplib2 websocket-client
    hpack hyperframe outcome aiofiles nest-asyncio ecdsa python-jose binaryornot construct
    portion colorlog webcolors shortuuid portalocker fasteners tblib parso hyperlink incremental
    constantly markdownify html2text configobj configargparse ply pycparser lark jsonpath-ng
    dpath inflect typeguard jaraco-functools jaraco-context schedule
""".split()  # noqa: SIM905 (a list literal would take 200 lines)
MEMBERS = 50
LINUX = {"sys_platform": "linux", "os_name": "posix", "platform_system": "Linux",
         "implementation_name": "cpython", "python_version": PYTHON,
         "python_full_version": f"{PYTHON}.2"}  # fmt: skip

# Goals of issue 16.
CODE_CHANGE_GOAL = 0.10  # of the cold build's time
SIZE_GOAL = 0.40  # of the single-stage image's size

_STEP = re.compile(r"^#(\d+) \[(?P<stage>[^\]]+)\] (?P<text>.*)$", re.MULTILINE)
_CACHED = re.compile(r"^#(\d+) CACHED$", re.MULTILINE)


class BenchError(Exception):
    """A failure that stops the benchmark."""


@dataclass
class Build:
    case: str
    seconds: float  # the `docker build`
    steps: int  # Dockerfile steps (not FROM, not BuildKit's internal ones)
    ran: list[str]  # the steps that were not CACHED
    image: str
    size_mb: float
    lists_seconds: float | None = None  # `uvmono docker requirements` before it, if run

    @property
    def fully_cached(self) -> bool:
        return not self.ran


@dataclass
class Goal:
    text: str
    measured: str
    met: bool


# ------------------------------------------------------------------------------ subprocesses


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    res = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise BenchError(
            f"command failed (exit {res.returncode}): {shlex.join(argv)}\n"
            f"  cwd: {cwd}\n  output: {(res.stdout + res.stderr).strip()[-3000:]}"
        )
    return res.stdout


def uv(*args: str, cwd: Path) -> str:
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    found = shutil.which("uv", path=path)
    if found is None:
        raise BenchError("uv not found: run from the project venv (.venv/bin/python)")
    return run([found, *args], cwd)


def uvmono_exe() -> str:
    for candidate in (Path(sys.executable).parent / "uvmono", REPO / ".venv" / "bin" / "uvmono"):
        if candidate.is_file():
            return str(candidate)
    raise BenchError("uvmono not found: run from the project venv (.venv/bin/python)")


# -------------------------------------------------------------------------------- workspace


def pyproject(name: str, deps: list[str], members: list[str], script: bool) -> str:
    mod = name.replace("-", "_")
    lines = ["[project]", f'name = "{name}"', 'version = "0.1.0"']
    lines += [f'description = "Benchmark member {name}."', f'requires-python = ">={PYTHON}"']
    lines.append("dependencies = [")
    lines += [f'    "{d}",' for d in [*members, *deps]]
    lines.append("]")
    if script:
        lines += ["", "[project.scripts]", f'{name} = "{mod}:main"']
    if members:
        lines += ["", "[tool.uv.sources]"]
        lines += [f"{m} = {{ workspace = true }}" for m in members]
    lines += ["", "[build-system]", 'requires = ["hatchling"]', 'build-backend = "hatchling.build"']
    return "\n".join(lines) + "\n"


def write_member(
    ws: Path, name: str, deps: list[str], members: list[str], script: bool, run_id: str
) -> None:
    d = ws / "packages" / name
    mod = name.replace("-", "_")
    (d / "src" / mod).mkdir(parents=True)
    (d / "tests").mkdir()
    (d / "pyproject.toml").write_text(pyproject(name, deps, members, script), encoding="utf-8")
    imports = "".join(f"import {m.replace('-', '_')}  # noqa: F401\n" for m in members)
    # RUN: new in every run, so that uv's cache mount has no wheel built from these sources.
    body = f'"""{name}."""\n\n{imports}\nVALUE = "{name}"\nRUN = "{run_id}"\n'
    if script:
        body += '\n\ndef main() -> None:\n    print(VALUE)\n'
    (d / "src" / mod / "__init__.py").write_text(body, encoding="utf-8")
    (d / "tests" / f"test_{mod}.py").write_text(
        f"from {mod} import VALUE\n\n\ndef test_value() -> None:\n    assert VALUE\n",
        encoding="utf-8",
    )


SINGLE_STAGE = """\
# The naive image: one stage, the whole workspace, `uv sync` (uv's Docker guide, first example,
# with a cache mount so that uv's cache stays out of the image).
FROM {base}
COPY --from={uv_image} /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \\
    UV_LINK_MODE=copy \\
    UV_PYTHON_DOWNLOADS=0
WORKDIR /app
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \\
    uv sync --locked --all-packages --no-dev
ENV PATH="/app/.venv/bin:$PATH"
CMD ["{image}"]
"""
SINGLE_STAGE_IGNORE = "**/.venv\n**/__pycache__\n**/*.pyc\n.git\n"


def run_base_image(out: Path) -> str:
    """This run's base image: BASE_IMAGE plus a 1-file layer naming the run. BuildKit keys its
    cache on the layers (a new label alone is not enough), so no build of this run can reuse a
    layer that an earlier run left in the cache (the workspace is the same every run)."""
    tag = f"{REPOSITORY}/base:{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
    BASES.append(tag)
    ctx = out / "base"
    if ctx.exists():
        shutil.rmtree(ctx)
    ctx.mkdir(parents=True)
    (ctx / "run-id").write_text(tag + "\n", encoding="utf-8")
    (ctx / "Dockerfile").write_text(
        f"FROM {BASE_IMAGE}\nCOPY run-id /etc/uvmono-bench-run\n", encoding="utf-8"
    )
    run(["docker", "build", "-q", "-t", tag, "."], ctx)
    return tag


def make_workspace(ws: Path, base: str) -> dict[str, Any]:
    """Write, lock and generate the workspace; return facts about its lock."""
    if ws.exists():
        shutil.rmtree(ws)
    (ws / "packages").mkdir(parents=True)
    (ws / "pyproject.toml").write_text(
        '[tool.uv.workspace]\nmembers = ["packages/*"]\n\n'
        f'[tool.uvmono.docker]\nbase-image = "{base}"\n',
        encoding="utf-8",
    )
    (ws / ".python-version").write_text(f"{PYTHON}\n", encoding="utf-8")
    write_member(ws, IMAGE, SVC_DEPS, sorted(SVC_LIBS), script=True, run_id=base)
    for name, deps in SVC_LIBS.items():
        write_member(ws, name, deps, [], script=False, run_id=base)
    others = [f"lib-{i:02d}" for i in range(len(SVC_LIBS), MEMBERS - 1)]
    share: dict[str, list[str]] = {name: [] for name in others}
    for k, dep in enumerate(OTHER_DEPS):
        share[others[k % len(others)]].append(dep)
    share[UNRELATED].append(UNRELATED_BUMP[0])
    for name in others:
        write_member(ws, name, share[name], [], script=False, run_id=base)
    single = SINGLE_STAGE.format(base=base, uv_image=UV_IMAGE, image=IMAGE)
    (ws / "single-stage.Dockerfile").write_text(single, encoding="utf-8")
    (ws / "single-stage.Dockerfile.dockerignore").write_text(SINGLE_STAGE_IGNORE, encoding="utf-8")

    print("locking with uv (PyPI) ...", file=sys.stderr, flush=True)
    uv("lock", "--quiet", cwd=ws)
    pins = [f"{BUMP[0]}=={BUMP[1]}", f"{UNRELATED_BUMP[0]}=={UNRELATED_BUMP[1]}"]
    uv("lock", "--quiet", *(a for p in pins for a in ("--upgrade-package", p)), cwd=ws)
    lock = tomllib.loads((ws / "uv.lock").read_text(encoding="utf-8"))
    third_party = [p for p in lock["package"] if "editable" not in p["source"]]
    members = [p for p in lock["package"] if "editable" in p["source"]]
    env = export_names(ws)
    if BUMP[0] not in env:
        raise BenchError(f"{BUMP[0]} is not in {IMAGE}'s environment: pick another BUMP")
    if UNRELATED_BUMP[0] in env:
        raise BenchError(f"{UNRELATED_BUMP[0]} is in {IMAGE}'s environment: pick another")
    impure = sorted(
        p["name"]
        for p in third_party
        if p["name"] in env and not any(w["url"].endswith("-none-any.whl") for w in p["wheels"])
    )
    run([uvmono_exe(), "--root", str(ws), "docker", "generate"], ws)
    strip_syntax(ws / IMAGE_DIR / "Dockerfile")
    write_distroless(ws)
    return {
        "members": len(members),
        "third_party_locked": len(third_party),
        "image_environment": len(env),
        "not_pure_python_in_image": impure,
    }


def export_names(ws: Path) -> set[str]:
    """The third-party packages of svc-app's environment on Linux, as uv exports them."""
    text = uv(
        "export", "--frozen", "--package", IMAGE, "--no-dev", "--no-emit-local", "--no-hashes",
        "--no-header", "--no-annotate", "--quiet", cwd=ws,
    )  # fmt: skip
    names = set()
    for line in text.splitlines():
        req, _, marker = line.partition(";")
        if "==" in req and (not marker.strip() or Marker(marker.strip()).evaluate(LINUX)):
            names.add(req.split("==")[0].strip())
    return names


def strip_syntax(dockerfile: Path) -> None:
    text = dockerfile.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if re.match(r"#\s*syntax=", first):
        dockerfile.write_text(rest, encoding="utf-8")


# ---------------------------------------------------------------------------------- builds


TAGS: list[str] = []  # every image built, removed at the end unless --keep-images
BASES: list[str] = []  # this run's base image


LOCK_CONTEXT = "lock-context"  # under the output directory, beside ws/


def docker_build(
    ws: Path, case: str, dockerfile: str, extra: list[str], *, lock_context: bool = False
) -> Build:
    """One `docker build`, timed; with `lock_context` as `uvmono docker commands
    --lock-context` prints it: `uvmono docker requirements` first (timed on its own), then the
    build with the lists as the `lock` context."""
    tag = f"{REPOSITORY}/{case}:latest"
    TAGS.append(tag)
    args = shlex.split(os.environ.get("UVMONO_DOCKER_BUILD_ARGS", ""))
    argv = ["docker", "build", "--progress=plain", *args, *extra, "-f", dockerfile, "-t", tag]
    lists = ws.parent / LOCK_CONTEXT
    if lock_context:
        argv += ["--build-context", f"lock={lists / IMAGE}"]
    print(f"building: {case} ...", file=sys.stderr, flush=True)
    lists_seconds = None
    if lock_context:
        t0 = time.perf_counter()
        run([uvmono_exe(), "docker", "requirements", "--output", str(lists), IMAGE], ws)
        lists_seconds = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    res = subprocess.run([*argv, "."], cwd=ws, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    log = res.stdout + res.stderr
    (ws.parent / f"build-{case}.log").write_text(log, encoding="utf-8")
    if res.returncode != 0:
        raise BenchError(f"docker build failed ({case}):\n{log[-4000:]}")
    cached = set(_CACHED.findall(log))
    steps: dict[str, str] = {}
    for m in _STEP.finditer(log):
        number, stage, text = m.group(1), m.group("stage"), m.group("text")
        loading = stage.startswith(("internal", "context "))  # a named context's load too
        if number in steps or loading or text.startswith("FROM "):
            continue
        steps[number] = f"[{stage}] {text[:70]}"
    ran = [text for number, text in steps.items() if number not in cached]
    size = run(["docker", "image", "inspect", "-f", "{{.Size}}", tag], ws).strip()
    return Build(
        case, round(seconds, 2), len(steps), ran, tag, int(size) / 1e6, lists_seconds
    )


def image_size_mb(ref: str, cwd: Path) -> float:
    return int(run(["docker", "image", "inspect", "-f", "{{.Size}}", ref], cwd).strip()) / 1e6


def edit(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def scenarios(ws: Path) -> list[Build]:
    dockerfile = f"{IMAGE_DIR}/Dockerfile"
    builds = [docker_build(ws, "cold", dockerfile, ["--no-cache"])]
    builds.append(docker_build(ws, "no-change", dockerfile, []))
    edit(ws / IMAGE_DIR / "src" / IMAGE.replace("-", "_") / "__init__.py", "CHANGED = 1")
    builds.append(docker_build(ws, "code-change", dockerfile, []))
    edit(ws / "packages" / UNRELATED / "src" / UNRELATED.replace("-", "_") / "__init__.py", "X = 1")
    builds.append(docker_build(ws, "unrelated-member", dockerfile, []))
    before = (ws / "uv.lock").read_text(encoding="utf-8")
    uv("lock", "--quiet", "--upgrade-package", "==".join(UNRELATED_BUMP[::2]), cwd=ws)
    if (ws / "uv.lock").read_text(encoding="utf-8") == before:
        raise BenchError(f"moving {UNRELATED_BUMP[0]} to {UNRELATED_BUMP[2]} left uv.lock as is")
    builds.append(docker_build(ws, "unrelated-lock", dockerfile, []))
    builds.append(docker_build(ws, "unrelated-lock-context", dockerfile, [], lock_context=True))
    uv("lock", "--quiet", "--upgrade-package", "==".join(BUMP[::2]), cwd=ws)
    builds.append(docker_build(ws, "bump-in-env", dockerfile, []))
    builds.append(docker_build(ws, "distroless", DISTROLESS, []))
    builds.append(docker_build(ws, "single-stage", "single-stage.Dockerfile", ["--no-cache"]))
    return builds


DISTROLESS = f"{IMAGE}.distroless.Dockerfile"  # at the workspace root


def write_distroless(ws: Path) -> None:
    """svc-app's Dockerfile with `runtime = "distroless"`, beside its own: generated with the
    setting in its pyproject.toml, which is then put back (the builds see the same sources)."""
    member = ws / IMAGE_DIR / "pyproject.toml"
    before = member.read_text(encoding="utf-8")
    member.write_text(before + '\n[tool.uvmono.docker]\nruntime = "distroless"\n', "utf-8")
    try:
        text = run([uvmono_exe(), "--root", str(ws), "docker", "generate", IMAGE, "--stdout"], ws)
    finally:
        member.write_text(before, encoding="utf-8")
    head = f"==> {IMAGE_DIR}/Dockerfile <==\n"
    ignore_head = f"==> {IMAGE_DIR}/Dockerfile.dockerignore <==\n"
    if not text.startswith(head) or ignore_head not in text:
        raise BenchError(f"`uvmono docker generate {IMAGE} --stdout` printed:\n{text[:500]}")
    dockerfile, _, ignore = text[len(head) :].partition(ignore_head)
    if "FROM scratch AS runtime" not in dockerfile:
        raise BenchError(f'runtime = "distroless" gave no distroless runtime:\n{dockerfile}')
    (ws / DISTROLESS).write_text(dockerfile.removesuffix("\n"), encoding="utf-8")
    strip_syntax(ws / DISTROLESS)
    (ws / f"{DISTROLESS}.dockerignore").write_text(ignore, encoding="utf-8")


# ---------------------------------------------------------------------------------- output


CASES = {
    "cold": "cold (--no-cache)",
    "no-change": "rebuild, nothing changed",
    "code-change": f"code change in {IMAGE}",
    "unrelated-member": f"change in an unrelated member ({UNRELATED})",
    "unrelated-lock": f"uv.lock change outside its environment ({UNRELATED_BUMP[0]})",
    "unrelated-lock-context": "  the same, with `docker commands --lock-context`",
    "bump-in-env": f"bump in its environment ({BUMP[0]} {BUMP[1]} -> {BUMP[2]})",
    "distroless": 'runtime = "distroless" (its other stages cached)',
    "single-stage": "single-stage `uv sync` image, cold (--no-cache)",
}


def table(head: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 or i == len(cells) - 1 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in body)]


def evaluate(by: dict[str, Build], base_mb: float) -> list[Goal]:
    cold, code = by["cold"], by["code-change"]
    share = code.seconds / cold.seconds
    goals = [
        Goal(
            f"code change <= {CODE_CHANGE_GOAL:.0%} of cold",
            f"{code.seconds:.1f} s / {cold.seconds:.1f} s = {share:.0%}",
            share <= CODE_CHANGE_GOAL,
        )
    ]
    for case in ("unrelated-member", "unrelated-lock", "unrelated-lock-context"):
        b = by[case]
        goals.append(
            Goal(
                f"{CASES[case]}: every step CACHED",
                "yes" if b.fully_cached else f"{len(b.ran)} of {b.steps} steps ran",
                b.fully_cached,
            )
        )
    single = by["single-stage"]
    for variant, image in (("slim", cold), ("distroless", by["distroless"])):
        size_share = image.size_mb / single.size_mb
        goals.append(
            Goal(
                f"image ({variant}) <= {SIZE_GOAL:.0%} of the single-stage one",
                f"{image.size_mb:.1f} MB / {single.size_mb:.1f} MB = {size_share:.0%} "
                f"(over the base image: {image.size_mb - base_mb:.1f} / "
                f"{single.size_mb - base_mb:.1f} MB = "
                f"{(image.size_mb - base_mb) / (single.size_mb - base_mb):.0%})",
                size_share <= SIZE_GOAL,
            )
        )
    return goals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where the workspace, build logs and results.json go (default bench/out/docker)",
    )
    ap.add_argument(
        "--keep-images", action="store_true", help=f"keep the {REPOSITORY}/* images it built"
    )
    a = ap.parse_args(argv)
    out: Path = a.out.resolve()
    ws = out / "ws"
    try:
        if shutil.which("docker") is None:
            raise BenchError("docker not found: source /opt/uvmono-validators/env.sh")
        run(["docker", "version", "--format", "{{.Server.Version}}"], REPO)
        started = time.time()
        out.mkdir(parents=True, exist_ok=True)
        base = run_base_image(out)
        facts = make_workspace(ws, base)
        load_before = os.getloadavg()
        builds = scenarios(ws)
        load_after = os.getloadavg()
        base_mb = image_size_mb(BASE_IMAGE, ws)
        by = {b.case: b for b in builds}
        cold = by["cold"].seconds
        body = [
            [
                CASES[b.case],
                f"{b.seconds:.1f} s",
                "" if b.lists_seconds is None else f"{b.lists_seconds:.1f} s",
                f"{b.seconds / cold:.0%}",
                "all CACHED" if b.fully_cached else f"{len(b.ran)} of {b.steps} ran",
                f"{b.size_mb:.1f} MB",
            ]
            for b in builds
        ]
        goals = evaluate(by, base_mb)
        lines = [
            "",
            f"uvmono docker benchmark, {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}"
            f": {facts['members']} members, {facts['third_party_locked']} third-party packages "
            f"locked, {facts['image_environment']} in {IMAGE}'s environment; "
            f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} -> {load_after[0]:.2f}",
            f"base image {BASE_IMAGE}: {base_mb:.1f} MB",
            "",
            *table(["build of " + IMAGE, "wall", "+ lists", "of cold", "steps", "image"], body),
            "",
        ]
        for b in builds:
            if b.ran and b.case not in ("cold", "single-stage", "distroless"):
                lines.append(f"{b.case}: ran " + "; ".join(b.ran))
        lines += [
            "",
            *table(
                ["goal (issue 16)", "measured", "verdict"],
                [[g.text, g.measured, "OK" if g.met else "MISSED"] for g in goals],
            ),
        ]
        if facts["not_pure_python_in_image"]:
            lines.append(f"not pure Python: {', '.join(facts['not_pure_python_in_image'])}")
        print("\n".join(lines))
        report = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "machine": {
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "loadavg_before": load_before,
                "loadavg_after": load_after,
                "docker_build_args": os.environ.get("UVMONO_DOCKER_BUILD_ARGS", ""),
            },
            "workspace": facts,
            "base_image_mb": base_mb,
            "builds": [asdict(b) for b in builds],
            "goals": [asdict(g) for g in goals],
        }
        (out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults and build logs: {out}")
        return 0
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if TAGS and not a.keep_images:  # the images, then the run's base image
            subprocess.run(["docker", "rmi", *TAGS], capture_output=True, check=False)
            subprocess.run(["docker", "rmi", *BASES], capture_output=True, check=False)


if __name__ == "__main__":
    sys.exit(main())
