"""Values that are legal where they come from and awkward where uvmono writes them: a label
ending in a backslash, a member directory whose name is not UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.adversarial.harness import fails, ok
from tests.gitutil import GitRepo
from tests.validators import require
from tests.wsutil import project, virtual_root, write_tree


@pytest.mark.parametrize("ending", ["\\", "\\\\", 'quote \\"\\', "$HOME\\"])
def test_a_label_ending_in_a_backslash_is_a_dockerfile_hadolint_parses(
    tmp_path: Path, ending: str
) -> None:
    hadolint = require("hadolint")
    description = f"a description that ends in {ending}"
    source = f"https://example.com/acme/{ending}"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["svc/*"])
            + f'[tool.uvmono.docker]\nsource-url = {json.dumps(source)}\n',
            "svc/app/pyproject.toml": project("app", scripts={"app": "app:main"}).replace(
                'version = "0.1.0"', f"version = \"0.1.0\"\ndescription = {json.dumps(description)}"
            ),
        },
    )
    ok("docker", "generate", cwd=tmp_path)
    dockerfile = tmp_path / "svc/app/Dockerfile"
    proc = subprocess.run(
        [hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), dockerfile.read_text()
    label_lines = [line for line in dockerfile.read_text().splitlines() if "image.desc" in line]
    assert len(label_lines) == 1
    # No line of the LABEL may end in a lone backslash other than the continuation.
    assert label_lines[0].endswith('${REVISION:+}" \\')


def test_a_member_directory_that_is_not_utf8_is_refused_by_github_output(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = repo.path
    write_tree(root, {"pyproject.toml": virtual_root(["packages/*"])})
    odd = root / "packages" / os.fsdecode(b"caf\xe9")  # a surrogate escape in the name
    odd.mkdir(parents=True)
    (odd / "pyproject.toml").write_text(project("cafe"), encoding="utf-8")
    repo.commit("initial")
    repo.commit("touch", ("packages/README", "x\n"))
    outputs = tmp_path / "outputs"
    summary = tmp_path / "summary"
    outputs.touch()
    summary.touch()
    env = {"GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    error = fails(
        "matrix",
        "--since",
        "HEAD~1",
        "--github-output",
        cwd=root,
        env=env,
        fragments=("cafe", "not valid UTF-8", "packages/caf"),
    )
    assert "\\udce9" in error or "\\xe9" in error
    assert outputs.read_bytes() == b""
    assert summary.read_bytes() == b""
