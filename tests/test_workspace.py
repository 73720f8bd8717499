"""The workspace model and `uvmono members` / `uvmono graph` on shapes uv itself produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.wsutil import SAMPLE, project, uv, uv_binary, uvmono, virtual_root, write_tree
from uvmono import graph, workspace
from uvmono.errors import UvmonoError
from uvmono.lockfile import parse_lock

needs_uv = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")


def test_sample_members_json_contract() -> None:
    proc = uvmono("--root", str(SAMPLE), "members", "--format", "json", cwd=SAMPLE, check=True)
    data = json.loads(proc.stdout)
    assert data["workspace_root"] == str(SAMPLE)
    by_name = {m["name"]: m for m in data["members"]}
    assert sorted(by_name) == [
        "acme-api",
        "acme-cli",
        "acme-core",
        "acme-events",
        "acme-storage",
        "acme-worker",
    ]
    api = by_name["acme-api"]
    assert api["path"] == "services/api"
    assert api["dependencies"] == ["acme-core", "acme-storage"]
    assert api["scripts"] == {"acme-api": "acme_api.main:main"}
    assert api["virtual"] is False
    assert by_name["acme-storage"]["optional_dependencies"] == {"events": ["acme-events"]}
    assert by_name["acme-cli"]["dependencies"] == ["acme-core"]  # spelled Acme_Core


def test_root_is_found_from_a_member_subdirectory() -> None:
    proc = uvmono("members", "--format", "names", cwd=SAMPLE / "libs/core/src", check=True)
    assert "acme-core\n" in proc.stdout and "acme-api\n" in proc.stdout


def test_a_single_project_is_a_one_member_workspace(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": project("Solo_App")})
    proc = uvmono("members", "--format", "paths", cwd=tmp_path / "src", check=True)
    assert proc.stdout == ".\n"


def test_a_project_inside_a_workspace_finds_the_workspace_root(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["packages/*"], exclude=["packages/skip"]),
            "packages/a/pyproject.toml": project("a"),
            "packages/skip/pyproject.toml": project("skip"),
        },
    )
    assert workspace.find_root(tmp_path / "packages/a/src") == tmp_path
    assert workspace.find_root(tmp_path / "packages/skip") == tmp_path / "packages/skip"


def test_every_kind_of_edge(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(
                ["p/*"], sources=["lib", "plugin", "fixtures", "builder"]
            ),
            "p/app/pyproject.toml": project(
                "app",
                ["lib[fast]; sys_platform == 'linux'"],
                extras={"plug": ["plugin"]},
                groups={"test": ["fixtures"]},
                packaged=False,
                tail='[build-system]\nrequires = ["builder"]\nbuild-backend = "builder.api"\n',
            ),
            "p/lib/pyproject.toml": project("lib", extras={"fast": []}),
            "p/plugin/pyproject.toml": project("plugin"),
            "p/fixtures/pyproject.toml": project("fixtures"),
            "p/builder/pyproject.toml": project("builder"),
        },
    )
    ws = workspace.load(tmp_path)
    edges = {(e.dependency, e.kind, e.extra, e.group, e.extras, e.marker) for e in graph.edges(ws)}
    assert edges == {
        ("lib", "dependency", None, None, ("fast",), 'sys_platform == "linux"'),
        ("plugin", "optional", "plug", None, (), None),
        ("fixtures", "group", None, "test", (), None),
        ("builder", "build", None, None, (), None),
    }


def test_root_sources_and_path_sources_are_recorded(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "ws/pyproject.toml": virtual_root(
                ["apps/*"], tail='[tool.uv.sources]\nshared = { path = "../vendor/shared" }\n'
            ),
            "ws/apps/app/pyproject.toml": project(
                "app",
                ["shared", "local"],
                tail='[tool.uv.sources]\nlocal = { path = "../../libs/local", editable = true }\n',
            ),
        },
    )
    member = workspace.load(tmp_path / "ws").members["app"]
    sources = {(s.name, s.path, s.editable, s.outside_root) for s in member.path_sources}
    assert sources == {
        ("local", "libs/local", True, False),
        ("shared", "../vendor/shared", False, True),
    }


@needs_uv
def test_dynamic_dependencies_come_from_the_lock(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["p/*"], sources=["b"]),
            "p/a/pyproject.toml": project("a", ["b"]),
            "p/b/pyproject.toml": project("b"),
        },
    )
    assert uv("lock", "--offline", cwd=tmp_path).returncode == 0
    # Now hide the edge from pyproject.toml, as a build plugin filling dependencies would.
    a = tmp_path / "p/a/pyproject.toml"
    a.write_text(a.read_text().replace('dependencies = ["b"]', 'dynamic = ["dependencies"]'))
    ws = workspace.load(tmp_path)
    assert [(e.dependent, e.dependency) for e in graph.edges(ws)] == [("a", "b")]


@needs_uv
def test_stale_lock_warns_and_keeps_pyproject_edges(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["p/*"], sources=["b", "c"]),
            "p/a/pyproject.toml": project("a", ["b"]),
            "p/b/pyproject.toml": project("b"),
        },
    )
    assert uv("lock", "--offline", cwd=tmp_path).returncode == 0
    write_tree(tmp_path, {"p/c/pyproject.toml": project("c", ["a"])})
    proc = uvmono("graph", "--format", "json", cwd=tmp_path, check=True)
    assert "warning: " in proc.stderr and "c" in proc.stderr and "uv lock" in proc.stderr
    edges = {(e["from"], e["to"]) for e in json.loads(proc.stdout)["edges"]}
    assert edges == {("a", "b"), ("c", "a")}


def test_graph_formats_and_closures() -> None:
    text = uvmono("graph", "acme-storage", cwd=SAMPLE, check=True).stdout
    assert text.splitlines()[0] == "acme-core"
    assert "acme-storage\n  -> acme-core (dependency)\n  -> acme-events (extra events)" in text
    rev = uvmono(
        "graph", "--reverse", "--format", "json", "--layers", "acme-events", cwd=SAMPLE, check=True
    )
    data = json.loads(rev.stdout)
    assert data["nodes"] == ["acme-api", "acme-events", "acme-storage", "acme-worker"]
    assert data["layers"][0] == ["acme-events"]
    dot = uvmono("graph", "--format", "dot", cwd=SAMPLE, check=True).stdout
    assert dot.startswith("digraph uvmono {") and '"acme-api" -> "acme-core"' in dot
    mermaid = uvmono("graph", "--format", "mermaid", cwd=SAMPLE, check=True).stdout
    assert mermaid.startswith("graph LR\n") and "-.->" in mermaid  # the optional edge


def test_graph_json_round_trips(tmp_path: Path) -> None:
    data = json.loads(uvmono("graph", "--format", "json", cwd=SAMPLE, check=True).stdout)
    import networkx as nx

    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(data["nodes"])
    g.add_edges_from((e["from"], e["to"]) for e in data["edges"])
    rebuilt = graph.build(workspace.load(SAMPLE))
    assert set(g.edges) == set(rebuilt.edges) and set(g.nodes) == set(rebuilt.nodes)


def test_cycles_are_one_build_unit(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": virtual_root(["p/*"], sources=["core", "plug", "app"]),
            "p/core/pyproject.toml": project("core", extras={"plug": ["plug"]}),
            "p/plug/pyproject.toml": project("plug", ["core"]),
            "p/app/pyproject.toml": project("app", ["plug"]),
        },
    )
    data = json.loads(
        uvmono("graph", "--format", "json", "--layers", cwd=tmp_path, check=True).stdout
    )
    assert data["cycles"] == [["core", "plug"]]
    assert data["layers"] == [["core", "plug"], ["app"]]


def test_unknown_package_is_an_error() -> None:
    proc = uvmono("graph", "nope", cwd=SAMPLE)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: `nope` is not a member of the workspace at {SAMPLE}\n"
        "hint: `uvmono members --format names` lists the members\n"
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"pyproject.toml": virtual_root(["p/*"]), "p/a/pyproject.toml": "[project\n"},
            "p/a/pyproject.toml is not valid TOML",
        ),
        (
            {"pyproject.toml": '[tool.uv.workspace]\nmembers = "p/*"\n'},
            "`tool.uv.workspace.members` in",
        ),
        (
            {"pyproject.toml": virtual_root(["p/*"], tail="[tool.uvmono]\nafected = 1\n")},
            "unknown key `tool.uvmono.afected`",
        ),
        (
            {"pyproject.toml": virtual_root(["p/*"], tail='[tool.uvmono]\nlockfile = "text"\n')},
            "`tool.uvmono.lockfile` in",
        ),
        (
            {
                "pyproject.toml": virtual_root(["p/*"]),
                "p/a/pyproject.toml": project("a", groups={"x": [{"include-group": "missing"}]}),
            },
            "includes `missing`, which does not exist",
        ),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, files: dict[str, str], message: str) -> None:
    write_tree(tmp_path, files)
    proc = uvmono("members", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout
    first, hint = proc.stderr.splitlines()[:2]
    assert first.startswith("error: ") and message in first
    assert hint.startswith("hint: ")


LOCK_WITH_FORKS = b"""
version = 1
revision = 3
requires-python = ">=3.9"
resolution-markers = ["python_full_version < '3.12'", "python_full_version >= '3.12'"]

[manifest]
members = ["app"]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
  { name = "idna", version = "2.10", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
  { name = "idna", version = "3.20", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
]

[[package]]
name = "idna"
version = "2.10"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "idna"
version = "3.20"
source = { registry = "https://pypi.org/simple" }
"""


def test_forked_lock_keys_packages_by_identity() -> None:
    lock = parse_lock(LOCK_WITH_FORKS, "uv.lock")
    assert sorted((p.name, p.version) for p in lock.packages) == [
        ("app", "0.1.0"),
        ("idna", "2.10"),
        ("idna", "3.20"),
    ]
    app = lock.packages[lock.members["app"]]
    assert sorted(d.target.version or "" for d in app.dependencies) == ["2.10", "3.20"]


def test_unknown_lock_version_is_an_error() -> None:
    with pytest.raises(UvmonoError, match="lock format version 2"):
        parse_lock(b"version = 2\n", "uv.lock")


def test_single_project_lock_without_manifest() -> None:
    lock = parse_lock(
        b'version = 1\n[[package]]\nname = "solo"\nversion = "1"\nsource = { virtual = "." }\n',
        "uv.lock",
    )
    assert list(lock.members) == ["solo"]
