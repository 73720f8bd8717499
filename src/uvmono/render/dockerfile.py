"""A member's Dockerfile and the .dockerignore beside it: pure functions of its `DockerInputs`.

The build context is the workspace root; `<member>/Dockerfile.dockerignore` (BuildKit reads the
ignore file beside the Dockerfile) keeps it to the files this image needs. Stages:

- `uv`: the pinned uv image, copied from, never run.
- `lock`: the member's requirement lists, cut from uv.lock with `uv export --frozen --package`.
  Their text changes only when a package the member installs changes, and BuildKit keys the
  steps that read them by that text: a uv.lock change elsewhere leaves them cached. A named
  context `lock` (`docker build --build-context lock=DIR`, written by `uvmono docker
  requirements`) replaces the stage, and then no step reads uv.lock (docker_requirements.py).
- `deps`: the third-party packages alone, into /app/.venv: no member's source in sight, so
  only a change of the member's locked third-party packages rebuilds it.
- `build`: the member and the members it needs (and local path dependencies), non-editable and
  without their dependencies, into a venv of their own at the same path (made before the
  sources are copied, in dependency order with the member last): a code change builds and
  byte-compiles them alone, not the third-party packages.
- `test` (`docker build --target test`): both venvs, the member's dependency groups, its tests.
- `dev` (`docker build --target dev`): the `deps` venv, the member's groups, its members
  editable, their source owned by the runtime user (compose.yaml builds this target).
- `runtime` (the default, last): the base image, the `deps` venv as one layer and the members'
  files on top as a small one, a numeric non-root user with a writable home. With
  `runtime = "distroless"`: `rootfs` gathers the base image's interpreter and libraries, and
  `runtime` is an empty image with them and the two venvs: no shell, no package manager.

Only constructs that hadolint, Docker's BuildKit and buildah all accept: no `# syntax=` line
unless configured, no `COPY --parents/--exclude`, no heredocs. The inputs are checked upstream;
here every value is still quoted for where it goes (JSON, Dockerfile string, shell word).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from uvmono import docker_requirements as requirements
from uvmono import vcs_versions
from uvmono.docker_checks import VENV
from uvmono.docker_types import DockerInputs
from uvmono.render.dockerfile_run import APT_CACHES as APT_CACHES
from uvmono.render.dockerfile_run import MOUNTED as MOUNTED
from uvmono.render.dockerfile_run import REQUIREMENTS as REQUIREMENTS
from uvmono.render.dockerfile_run import UV_CACHE as UV_CACHE
from uvmono.render.dockerfile_run import (
    _apt,
    _bind,
    _build_env_install,
    _build_env_mounts,
    _continued,
    _install_local,
    _json,
    _label,
    _read_secret,
    _run,
    _sync,
    _uv_run,
    _venv,
    _with_build_env,
    _with_constraints,
)

# The RUN instructions and quoting the stages are made of are in `render/dockerfile_run.py`.

HOME = "/home/app"  # the runtime user's home, owned by it
# Left out of every context: caches and environments that a checkout may hold.
JUNK = (
    "**/.venv",
    "**/__pycache__",
    "**/*.py[cod]",
    "**/*.egg-info",
    "**/.pytest_cache",
    "**/.mypy_cache",
    "**/.ruff_cache",
    "**/.tox",
    "**/.nox",
    "**/.git",
)


def render_dockerfile(inputs: DockerInputs) -> str:
    """The Dockerfile of one member: stages uv, base, lock, deps, build, test, dev, runtime
    (a distroless one after rootfs)."""
    parts = [
        _preamble(inputs),
        _base(inputs),
        _lock(inputs),
        _deps(inputs),
        *([_build_env(inputs)] if inputs.build_env else []),
        _build(inputs),
        _test(inputs),
        _dev(inputs),
        *([_rootfs(inputs), _distroless(inputs)] if inputs.runtime == "distroless" else []),
        *([_runtime(inputs)] if inputs.runtime != "distroless" else []),
    ]
    return "\n".join(parts)


def render_dockerignore(inputs: DockerInputs) -> str:
    """Everything out, then back in: the root's uv files and what `install` lists."""
    lines = [
        f"# The build context of {inputs.name}'s image is the workspace root: this file keeps it",
        "# to the files the image needs, so a change anywhere else leaves its build cached.",
    ]
    rules = [(p, True) for p in (*inputs.uv_settings, "uv.lock")]
    rules += [(p, True) for p in (*inputs.install, *inputs.test_install, *inputs.extra_files)]
    rules += [(p, False) for p in inputs.context_excludes]
    rules += [(p, True) for p in inputs.context_keeps]
    if "." not in inputs.install:
        lines.append("*")
    for path, keep in sorted(set(rules), key=lambda rule: (rule[0].count("/"), rule[0])):
        if path != ".":
            lines.append(f"!{path}" if keep else path)
    lines += JUNK
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------- stages


def _preamble(inputs: DockerInputs) -> str:
    lines = [f"# syntax={inputs.syntax}"] if inputs.syntax else []
    lines += [
        f"# The image of {inputs.name} ({inputs.path}): it, the members it needs and their locked",
        "# packages. Build it from the workspace root:",
        f"#   docker build -f {inputs.dockerfile} .",
        f"#   docker build -f {inputs.dockerfile} --target test .   # runs its tests",
        f"#   docker build -f {inputs.dockerfile} --target dev .    # its dev environment",
        "",
        f"FROM {inputs.uv_image} AS uv",
    ]
    return "\n".join(lines) + "\n"


def _base(inputs: DockerInputs) -> str:
    lines = [
        f"FROM {inputs.base_image} AS base",
        "COPY --from=uv /uv /usr/local/bin/uv",
        "ENV UV_COMPILE_BYTECODE=1 \\",
        "    UV_LINK_MODE=copy \\",
        "    UV_PYTHON_DOWNLOADS=0",
        "WORKDIR /app",
    ]
    return "\n".join(lines) + "\n"


def _lock(inputs: DockerInputs) -> str:
    # No `--emit-index-url`: it would list every index, also those no package comes from.
    binds = [_bind(p) for p in dict.fromkeys((*inputs.uv_settings, "uv.lock", inputs.pyproject))]
    commands = [
        shlex.join(
            [
                "uv",
                *requirements.export_argv(
                    inputs.name, flags, f"{REQUIREMENTS}/{file}", inputs.extras
                ),
            ]
        )
        for file, flags in requirements.EXPORTS
    ]
    commands.append(f"{requirements.LOCAL_GREP} {REQUIREMENTS}/app.txt > {REQUIREMENTS}/local.txt")
    lines = [
        f"# {inputs.name}'s requirements, pinned and hashed, cut from uv.lock: third-party",
        "# packages alone (deps.txt), with the members (app.txt), with its groups (test.txt);",
        "# the members and local path dependencies of app.txt (local.txt).",
        "# `uvmono docker requirements` writes the same files on the host for",
        "# `--build-context lock=DIR`, which replaces this stage (no uv.lock is read then).",
        "FROM base AS lock",
        *_run(["--network=none", *binds], commands),
    ]
    return "\n".join(lines) + "\n"


def _deps(inputs: DockerInputs) -> str:
    lines = ["FROM base AS deps"]
    if inputs.build_packages:
        lines += _apt(inputs.build_packages)
    lines += [
        "# Third-party packages alone: this layer depends on no member's source, only on deps.txt.",
        *_uv_run(
            inputs,
            "deps.txt",
            [_venv(inputs), _sync(inputs, "deps.txt")],
        ),
    ]
    return "\n".join(lines) + "\n"


def _build(inputs: DockerInputs) -> str:
    lines = [
        "# The members it needs, built and byte-compiled alone (`--no-deps`: deps.txt has their",
        "# dependencies) into a venv of their own at the same path, laid over the deps venv.",
        "FROM base AS build",
    ]
    if inputs.build_packages:
        lines += _apt(inputs.build_packages)
    lines += [
        # Before the sources, so that a code change reuses it.
        f"RUN {_venv(inputs)}",
        # In dependency order, the image's member last: a change re-copies only the paths from
        # the changed one on, and uv rebuilds only those wheels (see `_install_local`).
        *(f"COPY {path} {path}" for path in inputs.install),
        *vcs_versions.arguments(inputs.vcs_variables),
    ]
    lines += _uv_run(
        inputs,
        "local.txt",
        _building(inputs, _with_build_env(inputs, _install_local(inputs))),
        _build_env_mounts(inputs),
    )
    return "\n".join(lines) + "\n"


def _building(inputs: DockerInputs, commands: Sequence[str]) -> list[str]:
    """The commands of a RUN that builds local packages: their versions from git handed over
    (vcs_versions.py), the workspace's build constraints written for uv."""
    return [*vcs_versions.exports(inputs.vcs_variables), *_with_constraints(inputs, commands)]


def _build_env(inputs: DockerInputs) -> str:
    """The packages the members build with, installed and byte-compiled once (a cached layer),
    so that a code change does not install and compile its build backend again."""
    lines = [
        "# The build backend of the members below (their [build-system] requires), installed and",
        "# byte-compiled once: they build against it, not each in a fresh environment.",
        "FROM base AS build-env",
        *_uv_run(inputs, None, _build_env_install(inputs)),
    ]
    return "\n".join(lines) + "\n"


def _test(inputs: DockerInputs) -> str:
    lines = [
        f"# `--target test`: {inputs.name} with its dependency groups, running its tests.",
        "FROM deps AS test",
        "COPY --from=build /app /app",
    ]
    lines += [f"COPY {path} {path}" for path in inputs.test_install]
    lines += vcs_versions.arguments(inputs.vcs_variables)
    lines += _uv_run(
        inputs,
        "test.txt",
        _building(
            inputs, _with_build_env(inputs, _sync(inputs, "test.txt", builds=True, shared=True))
        ),
        _build_env_mounts(inputs),
    )
    workdir = "/app" if inputs.path == "." else f"/app/{inputs.path}"
    lines += [
        f'ENV PATH="{VENV}/bin:$PATH"',
        f"WORKDIR {workdir}",
        f"RUN {_json(['/bin/sh', '-c', inputs.test_command])}",
    ]
    return "\n".join(lines) + "\n"


def _dev(inputs: DockerInputs) -> str:
    """`--target dev`: the test stage's packages with the members editable, the source owned by
    the runtime user, so that a bind mount or `docker compose watch` can replace it."""
    user = f"{inputs.user_id}:{inputs.user_id}"
    name = shlex.quote(inputs.name)
    chosen = "".join(f" --extra {shlex.quote(e)}" for e in inputs.extras)
    export = (
        f"uv export --frozen --package {name}{chosen} --all-groups --quiet --no-header"
        f" --no-annotate --output-file {MOUNTED}/dev.txt"
    )
    binds = [_bind(p) for p in dict.fromkeys((*inputs.uv_settings, "uv.lock", inputs.pyproject))]
    mounts = [UV_CACHE, *binds, *(f"--mount=type=secret,id={s.id}" for s in inputs.secrets)]
    prelude = [_read_secret(s) for s in inputs.secrets]
    workdir = "/app" if inputs.path == "." else f"/app/{inputs.path}"
    sources = sorted({*inputs.install, *inputs.test_install})
    lines = [
        f"# `--target dev`: {inputs.name} with its dependency groups and its members editable,",
        "# their source owned by the runtime user: mount or sync it over /app to edit it live.",
        "FROM deps AS dev",
        *(f"COPY {path} {path}" for path in sources),
        *vcs_versions.arguments(inputs.vcs_variables),
        *_run(
            mounts,
            [*prelude, *_building(inputs, [export, _sync(inputs, "dev.txt", builds=True)])],
        ),
        *_run([], [
            f"find {' '.join(sources)} -path ./.venv -prune -o -exec chown {user} {{}} +",
            f"mkdir -p {HOME}",
            f"chown {user} {HOME}",
        ]),
        f'ENV PATH="{VENV}/bin:$PATH" \\',
        f"    HOME={HOME} \\",
        "    PYTHONUNBUFFERED=1",
        f"WORKDIR {workdir}",
        f"USER {user}",
        f"ENTRYPOINT {_json(list(inputs.entrypoint))}",
    ]
    return "\n".join(lines) + "\n"


# What the distroless runtime keeps of the base image: the interpreter the venv links to (in
# /usr/local in the official images, /usr/bin/python* in Debian's), the standard library, the
# shared libraries and the loader (/usr/lib, /lib*), the loader's cache, the CA certificates.
# Not /usr/bin, /bin or /usr/sbin: no shell, no apt, no dpkg. And not what none of the image's
# programs can use: the interpreter's own installed packages (pip, setuptools, wheel: a venv
# made without `--system-site-packages` never imports them), its test suite and ensurepip, and
# the libraries of perl and apt, whose programs are left out.
_ROOTFS = "/uvmono/rootfs"
_KEPT = ("/usr/local", "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/etc/ssl", "/etc/ld.so.cache")
_DROPPED = (
    "/usr/lib/apt",
    "/usr/lib/dpkg",
    "/usr/local/bin/pip*",
    "/usr/local/lib/python3*/site-packages/*",
    "/usr/local/lib/python3*/dist-packages/*",
    "/usr/lib/python3/dist-packages/*",
    "/usr/local/lib/python3*/test",
    "/usr/local/lib/python3*/ensurepip",
    "/usr/lib/python3.*/test",
    "/usr/lib/python3.*/ensurepip",
    "/usr/lib/*/perl-base",
    "/usr/lib/*/libapt-*",
)


def _rootfs(inputs: DockerInputs) -> str:
    user = f"{inputs.user_id}:{inputs.user_id}"
    minor = ".".join(inputs.python.split(".")[:2])
    copy = (
        f"command -v python{minor} && for path in {' '.join(_KEPT)} /usr/bin/python*; do "
        f'if [ -e "$path" ]; then mkdir -p "{_ROOTFS}$(dirname "$path")" '
        f'&& cp -a "$path" "{_ROOTFS}$path"; fi; done'
    )
    lines = [
        "# The distroless runtime's files, taken from the base image (uv is not among them).",
        f"FROM {inputs.base_image} AS rootfs",
    ]
    if inputs.system_packages:
        lines += _apt(inputs.system_packages)
    commands = [
        copy,
        f"rm -rf {' '.join(_ROOTFS + p for p in _DROPPED)}",
        f"mkdir -m 1777 {_ROOTFS}/tmp",
        f"mkdir -p {_ROOTFS}{HOME} && chown {user} {_ROOTFS}{HOME}",
        f"printf 'root:x:0:0::/:/nonexistent\\napp:x:{user}::{HOME}:/nonexistent\\n'"
        f" > {_ROOTFS}/etc/passwd",
        f"printf 'root:x:0:\\napp:x:{inputs.user_id}:\\n' > {_ROOTFS}/etc/group",
    ]
    lines += _run([], commands)
    return "\n".join(lines) + "\n"


def _distroless(inputs: DockerInputs) -> str:
    """The runtime without a shell or a package manager: an empty image, the interpreter and
    the libraries of the base image, the venv. No RUN can follow: there is nothing to run it."""
    user = f"{inputs.user_id}:{inputs.user_id}"
    lines = [
        "# The image: the base image's interpreter and libraries and the venv; no shell, no apt.",
        "FROM scratch AS runtime",
        f"COPY --from=rootfs {_ROOTFS}/ /",
        f"COPY --from=rootfs --chown={user} {_ROOTFS}{HOME} {HOME}",
        *_venv_copies(inputs),
        f'ENV PATH="{VENV}/bin:/usr/local/bin" \\',
        f"    HOME={HOME} \\",
        "    PYTHONUNBUFFERED=1",
        "WORKDIR /app",
        f"USER {user}",
    ]
    # no shell health check here: `_runtime` in docker_plan refuses one for distroless
    return "\n".join(lines + _start(inputs)) + "\n"


def _venv_copies(inputs: DockerInputs) -> list[str]:
    """The runtime's venv: the third-party layer, the extra files, then the members' layer."""
    return [
        f"COPY --from=deps {VENV} {VENV}",
        *(f"COPY {path} /app/{path}" for path in inputs.extra_files),
        "# Last of the files: a code change adds this small layer and reuses every one above.",
        f"COPY --from=build {VENV} {VENV}",
    ]


def _runtime(inputs: DockerInputs) -> str:
    lines = [
        "# The image: the base image and the venv (the third-party packages, then the members'",
        "# files on top: a code change adds a small layer); no uv, no build tools, no source tree.",
        f"FROM {inputs.base_image} AS runtime",
    ]
    if inputs.system_packages:
        lines += _apt(inputs.system_packages)
    user = f"{inputs.user_id}:{inputs.user_id}"
    lines += [
        "# A home the user can write to: programs keep caches and settings under ~, and a user",
        "# without one gets HOME=/, which it cannot write.",
        f"RUN mkdir -p {HOME} && chown {user} {HOME}",
        "WORKDIR /app",
        *_venv_copies(inputs),
        f'ENV PATH="{VENV}/bin:$PATH" \\',
        f"    HOME={HOME} \\",
        "    PYTHONUNBUFFERED=1",
        f"USER {user}",
    ]
    return "\n".join(lines + _start(inputs)) + "\n"


def _start(inputs: DockerInputs) -> list[str]:
    """How the image starts and what it says of itself: ports, health check, entry point,
    labels (last)."""
    lines = []
    if inputs.ports:
        lines.append("EXPOSE " + " ".join(str(p) for p in inputs.ports))
    if inputs.healthcheck:
        lines.append(f"HEALTHCHECK CMD {_json(['/bin/sh', '-c', inputs.healthcheck])}")
    elif inputs.health_test:
        lines.append(f"HEALTHCHECK CMD {_json(list(inputs.health_test[1:]))}")
    lines.append(f"ENTRYPOINT {_json(list(inputs.entrypoint))}")
    return lines + _labels(inputs)


def _labels(inputs: DockerInputs) -> list[str]:
    labels = [("title", inputs.name)]
    if inputs.version:
        labels.append(("version", inputs.version))
    if inputs.description:
        labels.append(("description", inputs.description))
    if inputs.source_url:
        labels.append(("source", inputs.source_url))
    label_lines = [f'org.opencontainers.image.{key}="{_label(value)}"' for key, value in labels]
    label_lines.append('org.opencontainers.image.revision="${REVISION}"')
    return [
        "# Last, so that a new revision changes the image's labels and no layer.",
        'ARG REVISION=""',
        *_continued("LABEL ", label_lines, indent="      "),
    ]
