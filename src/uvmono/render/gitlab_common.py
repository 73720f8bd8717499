"""What both GitLab pipelines share: the platform's limits, pinned images, job and variable
names, the workspace directory check, and the YAML writing (`render/gitlab.py` tells the facts).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from uvmono.config import GITLAB_MAX_JOBS
from uvmono.errors import UvmonoError
from uvmono.render import text, yamldump

MAX_PERMUTATIONS = GITLAB_MAX_JOBS  # "The number of permutations cannot exceed 200"
MAX_NEEDS = 50  # "For GitLab.com, the limit is 50"; self-managed defaults to 50
MAX_JOB_NAME = 255

FULL_PIPELINE_FILE = ".gitlab-ci.yml"
CHILD_FILE = "uvmono-child-pipeline.yml"
PLAN_JOB = "uvmono-plan"
TRIGGER_JOB = "uvmono-child"
SKIP_IMAGES = "UVMONO_SKIP_IMAGES"
IGNORE_CACHE = "UVMONO_IGNORE_CACHE"  # "true": test every member, even one that passed before
PASS_MARKER = ".uvmono-pass"  # in $CI_PROJECT_DIR, cached under the pass key
PUSH_IMAGES = "UVMONO_PUSH_IMAGES"

# Pinned images. The plan job needs git, which the -slim uv images lack. uv publishes no
# bookworm image since 0.10.0: Debian 13 (trixie) it is.
PLAN_IMAGE = "ghcr.io/astral-sh/uv:{uv}-python{python}-trixie"
TEST_IMAGE = "ghcr.io/astral-sh/uv:{uv}-python{python}-trixie-slim"
DOCKER_IMAGE = "docker:28.0.4"
DIND_SERVICE = "docker:28.0.4-dind"
BUILDAH_IMAGE = "quay.io/buildah/stable:v1.39.0"


def _check_workspace_dir(path: str) -> None:
    parts = PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or text.CONTROL.search(path) or "$" in path:
        raise UvmonoError(
            f"the workspace directory {path!r} cannot be used in a GitLab pipeline",
            hint="keep the workspace inside the repository, in a directory without `$`",
        )


def _cd(directory: str) -> list[str]:
    return [] if directory == "." else [f"cd -- {shlex.quote(directory)}"]


def _comments(lines: Sequence[str]) -> str:
    return "".join(text.comment(line) for line in lines)


def _dump(data: dict[str, Any]) -> str:
    return yamldump.dump(data, indent_lists=False, width=1000)
