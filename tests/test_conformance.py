"""uvmono sees exactly what uv sees: members, and each member's members, on tricky shapes.

For every shape, real uv locks the workspace offline. Where uv rejects the shape, uvmono must
reject it too (exit 2, `error:` line). Where uv accepts it, the member set must equal
`uv workspace list --paths`, and for every member the workspace packages uvmono puts in its
runtime and its environment must equal the `-e ./path` lines of `uv export --package M`
(with `--no-dev`, and with `--all-extras --all-groups`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.wsutil import project, uv, uv_binary, uvmono, virtual_root, write_tree
from uvmono import environment, workspace
from uvmono.lockfile import PackageId

pytestmark = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")

SHAPES: dict[str, dict[str, str]] = {
    "virtual-root-chain": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("a", ["b"], sources=["b"]),
        "packages/b/pyproject.toml": project("b", ["c>=0.1"], sources=["c"]),
        "packages/c/pyproject.toml": project("c"),
        "packages/d/pyproject.toml": project("d"),
    },
    "root-is-a-member": {
        "pyproject.toml": project(
            "app", ["lib"], sources=["lib"], tail='[tool.uv.workspace]\nmembers = ["libs/*"]\n'
        ),
        "libs/lib/pyproject.toml": project("lib", ["util"], sources=["util"]),
        "libs/util/pyproject.toml": project("util"),
    },
    "exclude-star-crosses-slash": {
        "pyproject.toml": virtual_root(["packages/*", "packages/alpha/*"], exclude=["packages/a*"]),
        "packages/alpha/pyproject.toml": project("alpha"),
        "packages/alpha/sub/pyproject.toml": project("alpha-sub"),
        "packages/beta/pyproject.toml": project("beta"),
    },
    "hidden-member-and-skipped-dirs": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/.hid/pyproject.toml": project("hid", ["vis"], sources=["vis"]),
        "packages/vis/pyproject.toml": project("vis"),
        "packages/.cache/notes.txt": "hidden, no pyproject: skipped\n",
        "packages/README.md": "a file matched by the glob: ignored\n",
    },
    "explicit-missing-path-and-unmanaged": {
        "pyproject.toml": virtual_root(["packages/*", "does/not/exist"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/off/pyproject.toml": project("off", tail="[tool.uv]\nmanaged = false\n"),
    },
    "names-normalized-dir-differs": {
        "pyproject.toml": virtual_root(["pkgs/*"], sources=["Beta_PKG"]),
        "pkgs/one/pyproject.toml": project("Alpha", ["Beta_Pkg[Fast]"]),
        "pkgs/two/pyproject.toml": project(
            "beta.pkg", extras={"fast": ["gamma"]}, sources=["gamma"]
        ),
        "pkgs/three/pyproject.toml": project("gamma"),
    },
    "cycle-through-extras": {
        "pyproject.toml": virtual_root(["plugins/*", "core"]),
        "core/pyproject.toml": project(
            "core",
            extras={
                "openai": ["plug-openai"],
                "anthropic": ["plug-anthropic"],
                "all": ["core[openai,anthropic]"],
            },
            sources=["plug-openai", "plug-anthropic"],
        ),
        "plugins/openai/pyproject.toml": project("plug-openai", ["core"], sources=["core"]),
        "plugins/anthropic/pyproject.toml": project("plug-anthropic", ["core"], sources=["core"]),
        "plugins/app/pyproject.toml": project("app", ["core[openai]"], sources=["core"]),
    },
    "groups-include-and-legacy-dev": {
        "pyproject.toml": virtual_root(["p/*"], sources=["tools", "fixtures", "base"]),
        "p/svc/pyproject.toml": project(
            "svc", ["base"], groups={"test": ["fixtures"], "ci": [{"include-group": "test"}]}
        ),
        "p/legacy/pyproject.toml": project(
            "legacy", tail='[tool.uv]\ndev-dependencies = ["tools"]\n'
        ),
        "p/tools/pyproject.toml": project("tools"),
        "p/fixtures/pyproject.toml": project("fixtures", ["base"]),
        "p/base/pyproject.toml": project("base"),
        "p/core-tests/pyproject.toml": project(
            "core-tests", groups={"dev": ["core-tests-helper"]}, sources=["core-tests-helper"]
        ),
        "p/helper/pyproject.toml": project(
            "core-tests-helper", ["core-tests"], sources=["core-tests"]
        ),
    },
    "markers-and-self-reference": {
        "pyproject.toml": virtual_root(["m/*"], sources=["lin", "win", "selfish"]),
        "m/app/pyproject.toml": project(
            "app", ["lin; sys_platform == 'linux'", "win; sys_platform == 'win32'"]
        ),
        "m/lin/pyproject.toml": project("lin"),
        "m/win/pyproject.toml": project("win"),
        "m/selfish/pyproject.toml": project(
            "selfish", extras={"a": [], "all": ["selfish[a]"]}, groups={"dev": ["selfish[all]"]}
        ),
    },
    "unpackaged-members": {
        "pyproject.toml": virtual_root(["m/*"], sources=["lib", "scripts"]),
        "m/lib/pyproject.toml": project("lib", packaged=False),
        "m/scripts/pyproject.toml": project(
            "scripts", packaged=False, tail="[tool.uv]\npackage = false\n"
        ),
        "m/app/pyproject.toml": project("app", ["lib"]),
        "m/tool/pyproject.toml": project("tool", ["scripts"], packaged=False),
    },
    "nested-member-directories": {
        "pyproject.toml": project(
            "root-app",
            ["examples"],
            sources=["examples"],
            tail='[tool.uv.workspace]\nmembers = ["examples", "examples/servers/*"]\n',
        ),
        "examples/pyproject.toml": project("examples", ["srv-a"], sources=["srv-a"]),
        "examples/servers/a/pyproject.toml": project("srv-a"),
        "examples/servers/b/pyproject.toml": project("srv-b"),
    },
    "path-dependency-outside-root": {
        "ws/pyproject.toml": virtual_root(["apps/*"]),
        "ws/apps/app/pyproject.toml": project(
            "app",
            ["extlib", "lib2"],
            tail='[tool.uv.sources]\nextlib = { path = "../../../extlib", editable = true }\n'
            'lib2 = { path = "../../../lib2" }\n',
        ),
        "extlib/pyproject.toml": project("extlib"),
        "lib2/pyproject.toml": project("lib2"),
    },
    "single-project": {
        "pyproject.toml": project("solo"),
    },
    # Shapes uv rejects: uvmono must reject them too.
    "error-dir-without-pyproject": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("a"),
        "packages/notapkg/README.md": "no pyproject here\n",
    },
    "error-duplicate-names": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("Same_Name"),
        "packages/b/pyproject.toml": project("same-name"),
    },
    "error-nested-workspace": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": project("a", tail="[tool.uv.workspace]\nmembers = []\n"),
    },
    "error-member-without-project": {
        "pyproject.toml": virtual_root(["packages/*"]),
        "packages/a/pyproject.toml": "[tool.ruff]\nline-length = 100\n",
    },
    "error-double-star-matches-src": {
        "pyproject.toml": virtual_root(["packages/**"]),
        "packages/a/pyproject.toml": project("a"),
    },
}


def _workspace_dir(tmp_path: Path, shape: str) -> Path:
    write_tree(tmp_path, SHAPES[shape])
    return tmp_path / "ws" if shape == "path-dependency-outside-root" else tmp_path


def _editables(output: str, root: Path) -> set[str]:
    """Workspace paths in `uv export` output, relative to the workspace root."""
    paths = set()
    for line in output.splitlines():
        m = re.match(r"-e \./(\S*)|-e \.$", line.strip().split(" ;")[0])
        if m:
            paths.add(m.group(1).rstrip("/") if m.group(1) else ".")
    return paths


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_uvmono_agrees_with_uv(tmp_path: Path, shape: str) -> None:
    root = _workspace_dir(tmp_path, shape)
    locked = uv("lock", "--offline", cwd=root)
    ours = uvmono("--root", str(root), "members", "--format", "json", cwd=root)

    if locked.returncode != 0:
        assert shape.startswith("error-"), f"uv rejected {shape}:\n{locked.stderr}"
        assert ours.returncode == 2, f"uv rejects {shape} but uvmono accepted it:\n{ours.stdout}"
        assert ours.stderr.startswith("error: ") and "hint: " in ours.stderr
        assert "Traceback" not in ours.stderr
        return
    assert not shape.startswith("error-"), f"uv accepted {shape}"
    assert ours.returncode == 0, ours.stderr

    listed = uv("workspace", "list", "--paths", cwd=root)
    assert listed.returncode == 0, listed.stderr
    uv_paths = {
        Path(p).resolve().relative_to(root.resolve()).as_posix() or "."
        for p in listed.stdout.split()
    }
    data = json.loads(ours.stdout)
    assert {m["path"] for m in data["members"]} == uv_paths

    ws = workspace.load(root)
    env = environment.build(ws, workspace.lock_of(ws))
    path_of = {m.name: m.path for m in ws.members.values()}
    for member in ws.members.values():
        base_args = ("export", "--package", member.name, "--frozen", "--no-hashes", "--offline")
        runtime = uv(*base_args, "--no-dev", cwd=root)
        assert runtime.returncode == 0, runtime.stderr
        everything = uv(*base_args, "--all-extras", "--all-groups", cwd=root)
        assert everything.returncode == 0, everything.stderr

        def packaged_paths(names: set[str | PackageId]) -> set[str]:
            return {
                path_of[n]
                for n in names
                if isinstance(n, str) and n in path_of and ws.members[n].packaged
            }

        assert packaged_paths(env.runtime(member.name)) == _editables(runtime.stdout, root), (
            f"runtime of {member.name}"
        )
        assert packaged_paths(env.environment(member.name)) == _editables(
            everything.stdout, root
        ), f"environment of {member.name}"
