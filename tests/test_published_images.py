"""Every image reference uvmono emits exists: checked against `published-images.txt`.

The sample's generated files, the golden files, and a workspace with a member on each Python
version the official images publish (3.10 to 3.14), generated with uvmono's defaults. The
files every other test generates are checked by `conftest.py` after each test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import imagerefs
from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree

PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
GOLDEN = Path(__file__).parent / "golden"

pytestmark = pytest.mark.skipif(
    imagerefs.published_file() is None,
    reason="no published-images.txt: set $UVMONO_PUBLISHED_IMAGES or run "
    "`bash ../shared/tools/setup-validators.sh`",
)


@pytest.mark.parametrize(
    ("ref", "exists"),
    [
        ("python:3.12-slim-trixie", True),
        ("docker.io/library/python:3.12-slim-bookworm", True),
        ("ghcr.io/astral-sh/uv:0.13.9-python3.11-trixie-slim", True),
        ("ghcr.io/astral-sh/uv:0.13.2-python3.11-trixie-slim", True),
        ("ghcr.io/astral-sh/uv:0.13.9-python3.11-bookworm-slim", False),
        ("ghcr.io/astral-sh/uv:0.13.9-python3.11-bookworm", False),
        ("python:3.8-slim-trixie", False),
        ("python", False),
        ("python:3.12-slim-bookworm@sha256:" + "0" * 64, True),
    ],
)
def test_the_check_knows_which_images_exist(ref: str, exists: bool) -> None:
    assert (imagerefs.problem(ref) is None) == exists


def test_the_sample_and_the_golden_files_pull_only_published_images() -> None:
    sample = list(imagerefs.generated_files(SAMPLE))
    golden = [p for p in GOLDEN.rglob("*") if p.is_file()]

    found = imagerefs.problems_in(sample + golden)

    assert len(sample) >= 5 and found == []
    refs = {r for p in sample + golden for r in imagerefs.references(p, p.read_text())}
    assert {"python:3.11-slim-trixie", "ghcr.io/astral-sh/uv:0.13.9"} <= refs
    assert "ghcr.io/astral-sh/uv:0.13.9-python3.11-trixie-slim" in refs


def test_the_defaults_pull_published_images_on_every_python_version(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    first = repo.commit("empty")
    members = {
        f"svc/app{v.replace('.', '')}/pyproject.toml": project(
            f"app{v.replace('.', '')}", scripts={f"app{v.replace('.', '')}": "app:main"}
        ).replace(">=3.11", f">={v}")
        for v in PYTHONS
    }
    root = write_tree(
        repo.path,
        {
            "pyproject.toml": virtual_root(
                ["svc/*"],
                tail='[tool.uvmono]\ngenerate = ["docker", "bake", "github", "gitlab"]\n'
                '[tool.uvmono.ci]\nuvmono-source = "./uvmono.whl"\n',
            ),
            **members,
        },
    )
    uvmono("generate", cwd=root, check=True)
    repo.commit("workspace")
    child = uvmono("matrix", "--format", "gitlab", "--since", first, cwd=root, check=True)
    (root / imagerefs.CHILD_PIPELINE).write_text(child.stdout)
    buildah = uvmono("matrix", "--format", "gitlab", "--since", first, cwd=root, check=True)

    files = list(imagerefs.generated_files(root))
    refs = {r for p in files for r in imagerefs.references(p, p.read_text())}

    assert imagerefs.problems_in(files) == []
    for python in PYTHONS:
        assert f"python:{python}-slim-trixie" in refs
        assert f"ghcr.io/astral-sh/uv:0.13.9-python{python}-trixie-slim" in refs
    assert "docker:28.0.4-dind" in refs and buildah.returncode == 0
