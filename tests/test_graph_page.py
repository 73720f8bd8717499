"""`uvmono graph --format html`: the page, opened in a real headless Chromium.

The page selects the member named in its address (`#select=NAME`) by dispatching a click on
its box, so `chromium --dump-dom` reads back what a click highlights. The expected sets come
from uvmono's environment model, the one `uvmono affected` uses.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import random
import shutil
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono import environment, graph, layout
from uvmono import workspace as workspace_stage
from uvmono.render import html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)"
)


# ----------------------------------------------------------------------------- the browser


@dataclass(frozen=True)
class Dom:
    classes: dict[str, set[str]]  # member -> the classes of its box
    body: dict[str, str]  # the body's data-* attributes
    panel_text: str

    def having(self, cls: str) -> set[str]:
        return {name for name, classes in self.classes.items() if cls in classes}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: dict[str, set[str]] = {}
        self.body: dict[str, str] = {}
        self.panel: list[str] = []
        self.depth = 0  # inside the panel

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "g" and "data-name" in a:
            self.classes[a["data-name"]] = set(a.get("class", "").split())
        if tag == "body":
            self.body = {k[5:]: v for k, v in a.items() if k.startswith("data-")}
        if self.depth or a.get("id") == "panel":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.panel.append(data)


def _browser(page: Path, fragment: str, profile: Path, *args: str) -> str:
    assert CHROMIUM is not None
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # tests may run as root, which the sandbox refuses
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",  # one profile per call: parallel runs do not clash
            "--virtual-time-budget=3000",
            *args,
            page.resolve().as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def open_page(page: Path, tmp_path: Path, fragment: str = "") -> Dom:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    reader = _Reader()
    reader.feed(_browser(page, fragment, profile, "--dump-dom"))
    assert reader.body.get("ready") == "true", "the page's script did not finish"
    return Dom(reader.classes, reader.body, " ".join(reader.panel))


def screenshot(page: Path, tmp_path: Path, fragment: str, size: tuple[int, int]) -> Path:
    out = tmp_path / "page.png"
    _browser(
        page,
        fragment,
        tmp_path / "profile-shot",
        f"--screenshot={out}",
        f"--window-size={size[0]},{size[1]}",
        "--hide-scrollbars",
    )
    return out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def environments(root: Path) -> dict[str, set[str]]:
    """member -> the members uv installs for it, by the model `uvmono affected` uses."""
    ws = workspace_stage.load(root)
    env = environment.build(ws, ws.edge_lock)
    return {m: {p for p in env.environment(m) if isinstance(p, str)} for m in ws.members}


def check_clicks(
    page: Path,
    tmp_path: Path,
    envs: dict[str, set[str]],
    names: list[str],
    dependents_of: list[str],
) -> None:
    """Clicking each of `names` lights exactly its environment; in the dependents mode, each
    of `dependents_of` lights exactly the members whose environment holds it."""
    for name in names:
        dom = open_page(page, tmp_path, f"#select={name}")
        assert dom.body["selected"] == name and dom.body["mode"] == "environment"
        assert dom.having("sel") == {name}
        assert dom.having("lit") == envs[name] | {name}, name
        assert f"uv installs {len(envs[name] - {name})} other member" in dom.panel_text
    for name in dependents_of:
        dependents = {m for m, env in envs.items() if name in env}
        dom = open_page(page, tmp_path, f"#select={name}&mode=dependents")
        assert dom.body["mode"] == "dependents"
        assert dom.having("lit") == dependents | {name}, name


# -------------------------------------------------------------------------------- the sample


@pytest.fixture
def sample_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    shutil.copytree(SAMPLE, repo.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv"))
    repo.commit("sample")
    repo.checkout("feature", new=True)
    return repo


@pytest.mark.slow
@needs_chromium
def test_sample_page_draws_every_member_and_highlights_environments(
    sample_repo: GitRepo, tmp_path: Path
) -> None:
    sample_repo.commit("edit", ("libs/events/src/acme_events/bus.py", "X = 1\n"))
    proc = uvmono("graph", "--format", "html", "--since", "main", cwd=sample_repo.path, check=True)
    page = tmp_path / "graph.html"
    page.write_text(proc.stdout, encoding="utf-8")
    assert "http://" not in proc.stdout.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in proc.stdout and "<link" not in proc.stdout
    assert "default-src 'none'" in proc.stdout  # and the browser may fetch nothing

    dom = open_page(page, tmp_path)
    envs = environments(sample_repo.path)
    assert set(dom.classes) == set(envs)  # every member drawn, nothing else
    assert dom.having("lit") == set() and dom.body["selected"] == ""

    explained = json.loads(
        uvmono("affected", "--since", "main", "--format", "json", cwd=sample_repo.path).stdout
    )
    assert dom.having("changed") == set(explained["directly_changed"]) == {"acme-events"}
    assert dom.having("affected") == set(explained["affected"]) - {"acme-events"}
    # The side panel lists each affected member with the chain `affected --explain` prints.
    assert "depends on acme-storage[events] -> acme-events, which changed" in dom.panel_text
    check_clicks(page, tmp_path, envs, sorted(envs), ["acme-core", "acme-events"])

    shot = screenshot(page, tmp_path, "#select=acme-storage", (1200, 600))
    assert png_size(shot) == (1200, 600)
    assert shot.stat().st_size > 20_000  # boxes, text and a panel, not a blank page


# ------------------------------------------------------------------------ 200 members


def big_workspace(root: Path, count: int = 200, seed: int = 19) -> list[str]:
    """`count` members under libs/ and services/, each needing up to 3 earlier ones; a few
    through an extra or a dependency group."""
    rng = random.Random(seed)
    names = [f"{'lib' if i < count * 3 // 5 else 'svc'}-{i:03d}" for i in range(count)]
    files = {"pyproject.toml": virtual_root(["libs/*", "services/*"], sources=names)}
    for i, name in enumerate(names):
        deps = sorted(rng.sample(names[:i], min(i, rng.randint(0, 3))))
        extras = {"more": [rng.choice(names[:i])]} if i > 5 and i % 17 == 0 else None
        groups = {"dev": [rng.choice(names[:i])]} if i > 5 and i % 23 == 0 else None
        where = "libs" if name.startswith("lib") else "services"
        files[f"{where}/{name}/pyproject.toml"] = project(name, deps, extras=extras, groups=groups)
    write_tree(root, files)
    return names


@pytest.mark.slow
@needs_chromium
def test_a_200_member_page(tmp_path: Path) -> None:
    root = tmp_path / "big"
    names = big_workspace(root)
    proc = uvmono("graph", "--format", "html", cwd=root, check=True)
    page = tmp_path / "graph.html"
    page.write_text(proc.stdout, encoding="utf-8")

    dom = open_page(page, tmp_path)
    assert set(dom.classes) == set(names)
    envs = environments(root)
    deepest = max(names, key=lambda n: len(envs[n]))
    assert len(envs[deepest]) > 20
    grouped = next(n for i, n in enumerate(names) if i > 5 and i % 23 == 0)
    check_clicks(page, tmp_path, envs, [deepest, "lib-010", grouped], ["lib-000", "lib-010"])

    shot = screenshot(page, tmp_path, f"#select={deepest}", (1400, 900))
    assert png_size(shot) == (1400, 900)
    assert shot.stat().st_size > 40_000


def test_the_200_member_layout_is_layered_and_has_no_overlaps(tmp_path: Path) -> None:
    root = tmp_path / "big"
    big_workspace(root)
    g = graph.build(workspace_stage.load(root))
    placed = layout.layered(graph.levels(g), g.edges)
    boxes = placed.boxes
    assert set(boxes) == set(g.nodes)
    for a, b in g.edges:  # dependencies to the left
        assert boxes[b].x + boxes[b].width <= boxes[a].x
    by_column: dict[int, list[layout.Box]] = {}
    for box in boxes.values():
        by_column.setdefault(box.x, []).append(box)
        assert box.x + box.width <= placed.width and box.y + box.height <= placed.height
    for column in by_column.values():
        column.sort(key=lambda box: box.y)
        assert all(p.y + p.height <= q.y for p, q in itertools.pairwise(column))
    assert max(len(c) for c in by_column.values()) <= 36  # wide layers wrap
    alphabetical = layout.crossings([sorted(layer) for layer in graph.levels(g)], g.edges)
    assert placed.crossings < alphabetical * 0.8


# ---------------------------------------------------------------------------- the pieces


def test_barycentre_ordering_removes_avoidable_crossings() -> None:
    # a-c and b-d, drawn a,b over d,c, cross once; swapping one layer removes it.
    layers = [["c", "d"], ["a", "b"]]
    edges = [("a", "d"), ("b", "c")]
    assert layout.crossings(layers, edges) == 1
    order, left = layout.order_layers(layers, edges)
    assert left == 0 and layout.crossings(order, edges) == 0


def test_levels_put_each_member_right_after_its_dependencies() -> None:
    ws = workspace_stage.load(SAMPLE)
    g = graph.build(ws)
    assert graph.levels(g) == [
        ["acme-core"],
        ["acme-cli", "acme-events"],
        ["acme-storage"],
        ["acme-worker"],
        ["acme-api"],
    ]
    assert sorted(itertools.chain(*graph.levels(g))) == sorted(itertools.chain(*graph.layers(g)))


def test_the_renderer_is_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain data in, text out: the page renders with files, git and os.environ forbidden."""
    from tests.test_pure_renderers import forbid_io
    from uvmono.commands.graph import page_data

    data = page_data(workspace_stage.load(SAMPLE), [], False, None)
    assert {n.name for n in data.nodes} == set(environments(SAMPLE))
    with monkeypatch.context() as patched:
        forbid_io(patched)
        pure = importlib.reload(importlib.import_module("uvmono.render.html"))
        text = pure.page(data)
    assert '"name":"acme-storage"' in text and '"third":[' in text


def test_values_stay_text_in_the_page() -> None:
    hostile = '</script><script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
    node = html.PageNode("a", hostile, 0, 0, 10, 10, 0, "changed", (hostile,), ("a",), (hostile,))
    text = html.page(html.Page(hostile, [node], [], 100, 100, hostile, (hostile,)))
    assert text.count("</script>") == 2 and text.count("<script") == 2  # the page's own
    assert "<img" not in text
    start = text.index('id="uvmono-data">') + len('id="uvmono-data">')
    data = json.loads(text[start : text.index("</script>", start)])
    assert data["nodes"][0]["path"] == hostile and data["title"] == hostile


def test_since_marks_text_json_and_the_page_and_open_needs_the_page() -> None:
    proc = uvmono("graph", "--format", "dot", "--since", "main", cwd=SAMPLE)
    assert proc.returncode == 2
    assert "--since marks members in text, json and html" in proc.stderr
    assert "hint:" in proc.stderr and proc.stdout == ""
    proc = uvmono("graph", "--open", cwd=SAMPLE)
    assert proc.returncode == 2 and "--open needs `--format html`" in proc.stderr


@pytest.fixture
def recording_browser(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    record = tmp_path / "opened"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n', encoding="utf-8")
    script.chmod(0o755)
    yield {"BROWSER": str(script), "TMPDIR": str(tmp_path)}, record


def test_open_writes_the_page_and_hands_it_to_the_browser(
    recording_browser: tuple[dict[str, str], Path],
) -> None:
    env, record = recording_browser
    proc = uvmono("graph", "--format", "html", "--open", cwd=SAMPLE, env=env, check=True)
    assert proc.stdout == ""
    url = record.read_text(encoding="utf-8")
    assert url.startswith("file://") and url.endswith(".html")
    opened = Path(url.removeprefix("file://"))
    assert opened.parent == Path(env["TMPDIR"]) and f"wrote {opened}" in proc.stderr
    page = opened.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '"name":"acme-api"' in page
    assert os.access(opened, os.R_OK)
