"""Shortcuts taken for the common shape of a workspace give what the general code gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.wsutil import project, virtual_root, write_tree
from uvmono import test_environment, workspace


def test_environments_without_conflicts_are_the_general_ones(tmp_path: Path) -> None:
    """No `conflicts` anywhere: `environments` skips the sides; with a conflict set that no
    member's selection holds two items of, the general code must make the same environments."""
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"], tail="[dependency-groups]\ndev = []\n"),
            "packages/a/pyproject.toml": project(
                "a", extras={"cpu": [], "gpu": [], "docs": []}, groups={"test": [], "lint": []}
            ),
            "packages/b/pyproject.toml": project("b", ["a[cpu]"], sources=["a"]),
            "packages/c/pyproject.toml": project(
                "c", tail='[tool.uvmono]\ntest-extras = []\ntest-root-groups = ["dev"]\n'
            ),
        },
    )
    ws = workspace.load(root, cache=False)
    assert ws.conflicts == ()
    unrelated = frozenset({("nobody", "extra", "x"), ("nobody", "extra", "y")})
    general = dataclasses.replace(ws, conflicts=(unrelated,))
    for member in ws.members.values():
        fast = test_environment.environments(ws, member, None)
        assert fast == test_environment.environments(general, member, None)
        assert len(fast) == 1
    (a,) = test_environment.environments(ws, ws.members["a"], None)
    assert (a.extras, a.groups, a.root_groups) == (("cpu", "docs", "gpu"), ("lint", "test"), ())
    (c,) = test_environment.environments(ws, ws.members["c"], None)
    assert (c.extras, c.groups, c.root_groups) == ((), (), ("dev",))
