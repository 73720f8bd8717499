"""`render.jsondump.dumps` is `json.dumps(value, indent=2)` byte for byte, and `members`
reads its edges without `graph.edges` where that gives the same answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.wsutil import SAMPLE, project, virtual_root, write_tree
from uvmono import graph, workspace
from uvmono.commands import members
from uvmono.render import jsondump

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
        | st.dictionaries(st.integers() | st.booleans() | st.none(), inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_dumps_is_json_dumps_with_indent_2(value: Any) -> None:
    assert jsondump.dumps(value) == json.dumps(value, indent=2)


def test_dumps_spells_odd_strings_and_empty_containers_as_json_does() -> None:
    value = {
        "": [],
        "line\nbreak": {},
        "é\u2028\x00\"\\": ["\ud800", "\U0001f600", 1.0, -0.0, 10**30, True, None],
        "nested": [[[]], [{}], {"a": [1, {"b": ()}]}],
    }
    assert jsondump.dumps(value) == json.dumps(value, indent=2)


def _from_graph_edges(ws: workspace.Workspace) -> dict[str, dict[str, Any]]:
    """What `members --format json` said of each member's edges, from `graph.edges`."""
    out: dict[str, dict[str, Any]] = {}
    edges = graph.edges(ws)
    for name in ws.members:
        mine = [e for e in edges if e.dependent == name]
        optional: dict[str, set[str]] = {}
        groups: dict[str, set[str]] = {}
        for e in mine:
            if e.kind == "optional" and e.extra:
                optional.setdefault(e.extra, set()).add(e.dependency)
            if e.kind == "group" and e.group:
                groups.setdefault(e.group, set()).add(e.dependency)
        out[name] = {
            "dependencies": sorted({e.dependency for e in mine if e.kind == "dependency"}),
            "optional_dependencies": {k: sorted(v) for k, v in sorted(optional.items())},
            "group_dependencies": {k: sorted(v) for k, v in sorted(groups.items())},
            "build_dependencies": sorted({e.dependency for e in mine if e.kind == "build"}),
        }
    return out


def test_members_json_names_the_edges_graph_edges_names(tmp_path: Path) -> None:
    edges = write_tree(
        tmp_path / "edges",
        {
            "pyproject.toml": virtual_root(["packages/*"], sources=["a", "b", "c"]),
            "packages/a/pyproject.toml": project("a"),
            "packages/b/pyproject.toml": project(
                "b",
                ["a", "a[x] ; python_version >= '3.12'"],
                extras={"x": ["c", "a"]},
                groups={"dev": ["c"], "lint": ["a", "c"]},
            ),
            "packages/c/pyproject.toml": project(
                "c",
                tail='[build-system]\nrequires = ["hatchling", "a"]\nbuild-backend = "x"\n',
                packaged=False,
            ),
        },
    )
    for root in (SAMPLE, edges):
        ws = workspace.load(root, cache=False)
        expected = _from_graph_edges(ws)
        rows = members.as_json(ws)["members"]
        assert [r["name"] for r in rows] == list(ws.members)
        for row in rows:
            assert {k: row[k] for k in expected[row["name"]]} == expected[row["name"]]
        assert any(any(row[k] for k in expected[row["name"]]) for row in rows)
