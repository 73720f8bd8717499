"""uvmono's own CI is held to the standard of the workflows it generates."""

from __future__ import annotations

import re
import subprocess

import yaml

from tests.validators import environ, require
from tests.wsutil import REPO

WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"


def test_actions_are_pinned_and_permissions_least() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["permissions"] == {"contents": "read"}
    uses = re.findall(r"uses: (\S+)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    for job in data["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_actionlint_and_zizmor_find_nothing() -> None:
    env = environ()
    for command in (
        [require("actionlint"), str(WORKFLOW)],
        [require("zizmor"), "--offline", str(WORKFLOW)],
    ):
        proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
