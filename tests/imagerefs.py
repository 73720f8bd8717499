"""The image references in generated files, checked against the images that really exist.

`shared/tools/published-images.txt` (`$UVMONO_PUBLISHED_IMAGES`) lists, in short form, the tags
of uv's images for the pinned uv version and of Docker Hub's official `python` image. A
reference pinned by digest is outside the list (the digest says what it is). A few images
of other families that the GitLab jobs use are listed here, each a published tag.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import yaml

from tests.validators import environ

REPO = Path(__file__).resolve().parent.parent
GENERATED_MARKER = "uvmono-checksum: sha256:"
CHILD_PIPELINE = "uvmono-child-pipeline.yml"

# Published tags of images the list does not cover: Docker Hub's docker 28.0.4 and its dind
# variant, and quay.io's buildah v1.39.0 (render/gitlab.py pins them).
OTHER_PUBLISHED = frozenset(
    {"docker:28.0.4", "docker:28.0.4-dind", "quay.io/buildah/stable:v1.39.0"}
)
_UV_REPOSITORIES = ("ghcr.io/astral-sh/uv", "astral/uv")
_UV_TAG = re.compile(r"(?P<version>\d+\.\d+\.\d+)(?P<suffix>-.+)?")
_FROM = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?(?P<ref>\S+)(?:\s+AS\s+(?P<stage>\S+))?", re.I)
_COPY_FROM = re.compile(r"--from=(?P<ref>[^\s,]+)")


@functools.cache
def published_file() -> Path | None:
    """$UVMONO_PUBLISHED_IMAGES (from the environment or the validators' env.sh), else the
    copy in the shared tools next to the project checkouts."""
    configured = environ().get("UVMONO_PUBLISHED_IMAGES")
    candidates = [Path(configured)] if configured else []
    candidates += [p / "shared/tools/published-images.txt" for p in REPO.parents]
    return next((p for p in candidates if p.is_file()), None)


@functools.cache
def published() -> frozenset[str]:
    path = published_file()
    assert path is not None, "no published-images.txt"
    lines = path.read_text().splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def short_form(ref: str) -> str:
    """`docker.io/library/python:3.12` -> `python:3.12`; a reference without tag -> `:latest`."""
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if ref.startswith(prefix):
            ref = ref.removeprefix(prefix)
            break
    name, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
    return f"{name}:{tag or 'latest'}"


def problem(ref: str) -> str | None:
    """Why `ref` is not an image that exists, or None when it is (or is pinned by digest).
    `scratch` is Docker's reserved empty image: nothing is pulled."""
    if "@sha256:" in ref or ref == "scratch":
        return None
    short = short_form(ref)
    if short in published() or short in OTHER_PUBLISHED:
        return None
    repository, _, tag = short.rpartition(":")
    uv_tag = _UV_TAG.fullmatch(tag)
    if repository in _UV_REPOSITORIES and uv_tag:
        # The list holds the pinned uv version; other versions publish the same suffixes
        # (and no bookworm image since 0.10.0).
        listed = {
            p.split(":")[1]
            for p in published()
            if p.startswith(f"{repository}:") and re.fullmatch(r"\d+\.\d+\.\d+", p.split(":")[1])
        }
        if any(f"{repository}:{v}{uv_tag['suffix'] or ''}" in published() for v in listed):
            return None
    return f"{ref} is not a published image (see {published_file()})"


def references(path: Path, text: str) -> Iterator[str]:
    """The image references a Dockerfile or a CI YAML file pulls."""
    if path.name.endswith("Dockerfile"):
        stages: set[str] = set()
        for line in text.splitlines():
            found = _FROM.match(line.strip())
            if found:
                if found["ref"].lower() not in stages:
                    yield found["ref"]
                if found["stage"]:
                    stages.add(found["stage"].lower())
            elif line.lstrip().upper().startswith(("COPY", "RUN")):
                for copied in _COPY_FROM.finditer(line):
                    if copied["ref"].lower() not in stages:
                        yield copied["ref"]
    elif path.name == "compose.yaml":
        data = yaml.safe_load(text)
        for service in (data.get("services") or {}).values() if isinstance(data, dict) else []:
            yield from _named(service.get("image") if isinstance(service, dict) else None)
    elif path.suffix in (".yml", ".yaml"):
        yield from _yaml_images(yaml.safe_load(text))


def _yaml_images(data: object) -> Iterator[str]:
    if not isinstance(data, dict):
        return
    if isinstance(data.get("jobs"), dict):  # a GitHub workflow
        for job in data["jobs"].values():
            if not isinstance(job, dict):
                continue
            container = job.get("container")
            yield from _named(container.get("image") if isinstance(container, dict) else container)
            for service in (job.get("services") or {}).values():
                yield from _named(service.get("image") if isinstance(service, dict) else None)
            for step in job.get("steps") or []:
                uses = step.get("uses", "") if isinstance(step, dict) else ""
                if uses.startswith("docker://"):
                    yield uses.removeprefix("docker://")
        return
    for job in data.values():  # a GitLab pipeline: `default` and every job
        if isinstance(job, dict):
            yield from _named(job.get("image"))
            for service in job.get("services") or []:
                yield from _named(service)


def _named(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) and isinstance(value.get("name"), str):
        yield value["name"]


def generated_files(root: Path) -> Iterator[Path]:
    """Files under `root` that uvmono generated (its header), and child pipelines."""
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".venv", "node_modules", "__pycache__")]
        for name in names:
            path = Path(directory, name)
            if not (name.endswith("Dockerfile") or path.suffix in (".yml", ".yaml")):
                continue
            # Hostile-repository tests leave FIFOs, devices and links at generated paths:
            # opening a FIFO would block forever.
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if GENERATED_MARKER in text[:4096] or name == CHILD_PIPELINE:
                yield path


def problems_in(paths: Iterator[Path] | list[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            refs = list(references(path, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        found += [f"{path}: {p}" for ref in refs if (p := problem(ref))]
    return found
