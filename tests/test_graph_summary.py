"""The pictures outside the page: the CI summary's affected subgraph and DOT's directory boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gitutil import GitRepo, git_env
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono.render import summary

NODE = re.compile(r'^  n\d+\["([^"]+)"\]$', re.MULTILINE)


def fan_out(repo: GitRepo) -> None:
    """core <- 5 mids <- 60 leaves (each leaf needs one mid), and one member apart."""
    mids = [f"mid-{i}" for i in range(5)]
    leaves = [f"leaf-{i:02d}" for i in range(60)]
    files = {
        "pyproject.toml": virtual_root(["libs/*", "apps/*"], sources=["core", *mids]),
        "libs/core/pyproject.toml": project("core"),
        "libs/apart/pyproject.toml": project("apart"),
    }
    for mid in mids:
        files[f"libs/{mid}/pyproject.toml"] = project(mid, ["core"])
    for i, leaf in enumerate(leaves):
        files[f"apps/{leaf}/pyproject.toml"] = project(leaf, [mids[i % 5]])
    write_tree(repo.path, files)
    repo.commit("workspace")
    repo.checkout("feature", new=True)


def step_summary(repo: GitRepo, tmp_path: Path) -> str:
    output, text = tmp_path / "output", tmp_path / "summary"
    output.write_text("")
    text.write_text("")
    env = {k: v for k, v in git_env().items() if not k.startswith(("GITHUB_", "GITLAB_", "CI"))}
    env.update(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(text))
    uvmono("matrix", "--since", "main", "--github-output", cwd=repo.path, env=env, check=True)
    return text.read_text(encoding="utf-8")


def test_the_summary_graph_shows_the_members_nearest_the_change(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    fan_out(repo)
    repo.commit("edit", ("libs/core/src/core/x.py", "X = 1\n"))

    text = step_summary(repo, tmp_path)
    assert "### uvmono: 66 of 67 members affected" in text
    mermaid = text[text.index("```mermaid\n") : text.index("```\n", text.index("```mermaid"))]
    drawn = NODE.findall(mermaid)
    assert len(drawn) == summary.MAX_GRAPH_MEMBERS
    # The change and every member it comes through; then the nearest leaves, by name.
    assert {"core", "mid-0", "mid-4"} <= set(drawn) and "apart" not in drawn
    assert sorted(n for n in drawn if n.startswith("leaf")) == [f"leaf-{i:02d}" for i in range(34)]
    assert "… and 26 more affected members" in text
    assert "`uvmono graph --format html --since REF` draws them all" in text
    assert mermaid.count(" --> ") == 5 + 34  # the edges among the drawn members only


def test_a_small_change_draws_its_whole_subgraph(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    fan_out(repo)
    repo.commit("edit", ("libs/mid-1/src/mid_1/x.py", "X = 1\n"))

    text = step_summary(repo, tmp_path)
    drawn = set(NODE.findall(text))
    assert drawn == {"mid-1"} | {f"leaf-{i:02d}" for i in range(1, 60, 5)}
    assert "more affected" not in text
    assert "classDef changed" in text


def test_dot_draws_a_box_per_directory() -> None:
    dot = uvmono("graph", "--format", "dot", cwd=SAMPLE, check=True).stdout
    box = re.compile(r'subgraph "cluster_([^"]+)" \{\n    label="([^"]+)";\n((?:    .*\n)*?)  \}')
    clusters = box.findall(dot)
    found = {name: (label, re.findall(r'"([^"]+)";', body)) for name, label, body in clusters}
    assert found == {
        "libs": ("libs/", ["acme-core", "acme-events", "acme-storage"]),
        "services": ("services/", ["acme-api", "acme-worker"]),
        "tools": ("tools/", ["acme-cli"]),
    }
    assert '"acme-api" -> "acme-core"' in dot


def test_dot_keeps_top_level_members_outside_any_box(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": project("root-app", ["lib"], sources=["lib"])
            + '[tool.uv.workspace]\nmembers = ["lib", "we\\"ird/*"]\n',
            "lib/pyproject.toml": project("lib"),
            'we"ird/q/pyproject.toml': project("quoted"),
        },
    )
    dot = uvmono("graph", "--format", "dot", cwd=tmp_path, check=True).stdout
    assert 'subgraph "cluster_we\\"ird" {\n    label="we\\"ird/";\n    "quoted";\n  }' in dot
    assert "cluster_." not in dot
    assert re.findall(r'^  "([^"]+)";$', dot, re.MULTILINE) == ["lib", "root-app"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz (dot) is not installed")
def test_graphviz_draws_the_clusters(tmp_path: Path) -> None:
    dot = uvmono("graph", "--format", "dot", cwd=SAMPLE, check=True).stdout
    proc = subprocess.run(
        ["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count('class="cluster"') == 3


def test_the_gitlab_plan_log_lists_the_members_nearest_the_change(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    fan_out(repo)
    repo.commit("edit", ("libs/core/src/core/\x1b[2Jx.py", "X = 1\n"))

    proc = uvmono("ci", "gitlab", "--child", "--since", "main", cwd=repo.path, check=True)
    log = proc.stderr.splitlines()
    first = next(i for i, line in enumerate(log) if "affected member(s)" in line)
    names = [f"mid-{i}" for i in range(5)] + [f"leaf-{i:02d}" for i in range(34)]
    assert log[first] == (
        f"uvmono: 66 affected member(s): {', '.join(sorted(['core', *names]))} … and 26 more"
    )
    rows = log[first + 1 : first + 1 + summary.MAX_GRAPH_MEMBERS]
    assert rows[0] == "  core: files changed: libs/core/src/core/\\x1b[2Jx.py"
    assert "  leaf-07: depends on mid-2 -> core, which changed" in rows
    assert log[first + 1 + summary.MAX_GRAPH_MEMBERS].startswith("  … and 26 more")
    assert "\x1b" not in proc.stderr
