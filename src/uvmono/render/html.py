"""`uvmono graph --format html`: one self-contained page that draws the member graph.

Pure: plain data in (members with their boxes, environments and reasons; edges), text out.
The page needs no network: its styles and its small script are inline and written for
uvmono (no library). The data travels as JSON in a `<script type="application/json">` block,
with `<`, `>` and `&` escaped so that no value can close it, and the script writes every value
into the page as text (`textContent`), never as markup.

The script draws the boxes and edges, searches members, highlights a member's environment
(what uv installs for it) or its dependents on click, and lists the affected members with
their reasons. `#select=NAME&mode=dependents` in the address selects a member on load: links
can point at a member, and the tests drive the page with it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from uvmono.records import field, record


@record
class PageNode:
    name: str
    path: str
    x: int
    y: int
    width: int
    height: int
    layer: int
    state: str = ""  # "changed" (its own files), "affected" (through its environment) or ""
    reasons: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()  # drawn members uv installs for it, itself included
    third_party: tuple[str, ...] = ()  # labels of the other packages uv installs for it
    hidden: int = 0  # members of its environment that are not drawn


@record
class PageEdge:
    dependent: str
    dependency: str
    label: str
    dashed: bool  # an extra, group or build edge rather than a plain dependency


@record
class Page:
    title: str
    nodes: Sequence[PageNode]
    edges: Sequence[PageEdge]
    width: int
    height: int
    comparison: str | None = None  # "head … compared with base …", when affected is shown
    notes: Sequence[str] = field(default_factory=tuple)
    locked: bool = True  # a uv.lock told the third-party packages


def page(data: Page) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{html.escape(data.title)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        '<header><h1 id="title"></h1>'
        '<input id="search" type="search" placeholder="Search a member  ( / )" '
        'autocomplete="off" spellcheck="false">'
        '<span class="zoom"><button id="zoom-out" title="Zoom out">&minus;</button>'
        '<button id="zoom-fit" title="Fit">fit</button>'
        '<button id="zoom-in" title="Zoom in">+</button></span></header>\n'
        '<main><div id="canvas"><svg id="graph" xmlns="http://www.w3.org/2000/svg"></svg></div>'
        '<aside id="panel"></aside></main>\n'
        f'<script type="application/json" id="uvmono-data">{_json(data)}</script>\n'
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )


def _json(data: Page) -> str:
    index = {node.name: i for i, node in enumerate(data.nodes)}
    packages = sorted({label for node in data.nodes for label in node.third_party})
    package_index = {label: i for i, label in enumerate(packages)}
    payload: dict[str, Any] = {
        "title": data.title,
        "comparison": data.comparison,
        "notes": list(data.notes),
        "locked": data.locked,
        "width": data.width,
        "height": data.height,
        "packages": packages,
        "nodes": [
            {
                "name": n.name,
                "path": n.path,
                "box": [n.x, n.y, n.width, n.height],
                "layer": n.layer,
                "state": n.state,
                "reasons": list(n.reasons),
                "env": sorted(index[m] for m in n.environment if m in index),
                "third": sorted(package_index[p] for p in n.third_party),
                "hidden": n.hidden,
            }
            for n in data.nodes
        ],
        "edges": [
            [index[e.dependent], index[e.dependency], e.label, e.dashed]
            for e in data.edges
            if e.dependent in index and e.dependency in index
        ],
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;
color:#1d2430;background:#f6f7f9}
header{display:flex;align-items:center;gap:12px;padding:8px 14px;background:#fff;
border-bottom:1px solid #d8dde5;height:48px}
h1{font-size:16px;margin:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#search{flex:0 1 320px;margin-left:auto;padding:5px 9px;border:1px solid #b9c1cd;
border-radius:6px;font:inherit}
.zoom button{font:inherit;min-width:34px;padding:4px 8px;border:1px solid #b9c1cd;
background:#fff;border-radius:6px;cursor:pointer;margin-left:2px}
main{display:flex;height:calc(100% - 48px)}
#canvas{flex:1;overflow:auto;background:#fbfcfd}
#panel{width:340px;flex:none;overflow:auto;padding:12px 16px;background:#fff;
border-left:1px solid #d8dde5}
#panel h2{font-size:15px;margin:4px 0 2px;word-break:break-all}
#panel h3{font-size:13px;margin:14px 0 4px;color:#4a5566;text-transform:uppercase;
letter-spacing:.04em}
#panel ul{margin:0;padding-left:18px}
#panel li{margin:2px 0}
#panel .path,#panel .muted{color:#5f6b7c}
#panel .reason{font-size:13px;word-break:break-word}
#panel a{color:#0b57c4;cursor:pointer;text-decoration:none}
#panel a:hover{text-decoration:underline}
.modes{display:flex;gap:4px;margin-top:8px}
.modes button{flex:1;font:inherit;font-size:13px;padding:4px;border:1px solid #b9c1cd;
background:#fff;border-radius:6px;cursor:pointer}
.modes button.on{background:#1f6feb;border-color:#1f6feb;color:#fff}
.legend span{display:inline-block;width:12px;height:12px;border:1.5px solid;
border-radius:3px;vertical-align:-2px;margin-right:5px}
svg{display:block}
.node rect{fill:#fff;stroke:#8a94a6;stroke-width:1.2}
.node text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1d2430;
pointer-events:none}
.node{cursor:pointer}
.node:hover rect{stroke:#1f6feb}
.node.changed rect{fill:#fde2e2;stroke:#c62828}
.node.affected rect{fill:#fff1d6;stroke:#d98200}
.node.match rect{stroke:#7b2cbf;stroke-width:2.5}
.focus .node{opacity:.18}
.focus .node.lit{opacity:1}
.focus .node.lit rect{stroke:#1f6feb;stroke-width:2}
.node.sel rect,.focus .node.sel rect{stroke:#0a3d91;stroke-width:3.5;fill:#dce8ff}
.edge{fill:none;stroke:#aab3c0;stroke-width:1.1}
.edge.dashed{stroke-dasharray:5 4}
.focus .edge{opacity:.07}
.focus .edge.lit{opacity:1;stroke:#1f6feb;stroke-width:1.6}
"""

_JS = r"""
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const data = JSON.parse(document.getElementById("uvmono-data").textContent);
  const nodes = data.nodes;
  const svg = document.getElementById("graph");
  const canvas = document.getElementById("canvas");
  const panel = document.getElementById("panel");
  const search = document.getElementById("search");
  const byName = new Map(nodes.map((n, i) => [n.name, i]));
  const dependents = nodes.map(() => []);
  nodes.forEach((n, i) => n.env.forEach((j) => { if (j !== i) dependents[j].push(i); }));
  let selected = -1;
  let mode = "environment";
  let scale = 1;
  let top = 0;  // arcs may rise above the first row: the drawing starts there

  function el(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function h(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  document.getElementById("title").textContent = data.title;
  const defs = el("defs", {});
  const marker = el("marker", {id: "arrow", viewBox: "0 0 8 8", refX: "7", refY: "4",
    markerWidth: "7", markerHeight: "7", orient: "auto"});
  marker.appendChild(el("path", {d: "M0,0 L8,4 L0,8 z", fill: "#8a94a6"}));
  defs.appendChild(marker);
  svg.appendChild(defs);
  const edgeLayer = el("g", {id: "edges"});
  const nodeLayer = el("g", {id: "nodes"});
  svg.appendChild(edgeLayer);
  svg.appendChild(nodeLayer);

  const edgeEls = data.edges.map(([a, b, label, dashed]) => {
    const [ax, ay, , ah] = nodes[a].box, [bx, by, bw, bh] = nodes[b].box;
    const sy = ay + ah / 2, ty = by + bh / 2;
    let d;
    if (nodes[a].layer === nodes[b].layer) {
      const sx = ax + nodes[a].box[2], tx = bx + bw;
      d = `M${sx},${sy} C${sx + 60},${sy} ${tx + 60},${ty} ${tx + 2},${ty}`;
    } else {
      // An edge over more than one layer arcs above the boxes between its ends.
      const tx = bx + bw, dx = Math.max(40, (ax - tx) / 2);
      const span = nodes[a].layer - nodes[b].layer;
      const lift = span > 1 ? Math.min(24 * span, 160) : 0;
      d = `M${ax},${sy} C${ax - dx},${sy - lift} ${tx + dx},${ty - lift} ${tx + 2},${ty}`;
      top = Math.min(top, Math.min(sy, ty) - 0.75 * lift - 8);
    }
    const p = el("path", {d: d, class: "edge" + (dashed ? " dashed" : ""),
      "marker-end": "url(#arrow)", "data-from": nodes[a].name, "data-to": nodes[b].name});
    p.appendChild(el("title", {}, nodes[a].name + " → " + nodes[b].name + " (" + label + ")"));
    edgeLayer.appendChild(p);
    return p;
  });

  const fullHeight = data.height - top;
  svg.setAttribute("viewBox", `0 ${top} ${data.width} ${fullHeight}`);

  const nodeEls = nodes.map((n, i) => {
    const [x, y, w, hgt] = n.box;
    const g = el("g", {class: "node" + (n.state ? " " + n.state : ""),
      transform: `translate(${x},${y})`, "data-name": n.name, "data-index": i});
    g.appendChild(el("rect", {width: w, height: hgt, rx: 5}));
    g.appendChild(el("text", {x: 8, y: hgt / 2 + 4}, n.name));
    const tip = [n.name, n.path].concat(n.reasons);
    g.appendChild(el("title", {}, tip.join("\n")));
    g.addEventListener("click", (ev) => { ev.stopPropagation(); select(i, mode); });
    nodeLayer.appendChild(g);
    return g;
  });
  svg.addEventListener("click", () => select(-1, mode));

  function members(i, m) {
    if (m === "dependents") return [i].concat(dependents[i]);
    return nodes[i].env.indexOf(i) >= 0 ? nodes[i].env : [i].concat(nodes[i].env);
  }

  function select(i, m) {
    selected = i;
    mode = m;
    const lit = new Set(i >= 0 ? members(i, m) : []);
    document.body.classList.toggle("focus", i >= 0);
    document.body.dataset.selected = i >= 0 ? nodes[i].name : "";
    document.body.dataset.mode = m;
    nodeEls.forEach((g, j) => {
      g.classList.toggle("lit", lit.has(j));
      g.classList.toggle("sel", j === i);
    });
    edgeEls.forEach((p, k) => {
      const [a, b] = data.edges[k];
      p.classList.toggle("lit", lit.has(a) && lit.has(b));
    });
    const hash = i >= 0 ? "#select=" + encodeURIComponent(nodes[i].name) +
      (m === "dependents" ? "&mode=dependents" : "") : "";
    if (location.hash !== hash) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
    render();
  }

  function link(i) {
    const a = h("a", nodes[i].name);
    a.addEventListener("click", () => { select(i, mode); reveal(i); });
    return a;
  }
  function list(indices, max) {
    const ul = h("ul");
    indices.slice(0, max).forEach((j) => { const li = h("li"); li.appendChild(link(j));
      ul.appendChild(li); });
    if (indices.length > max) ul.appendChild(h("li", "… and " + (indices.length - max) +
      " more", "muted"));
    return ul;
  }
  function byNameOrder(a, b) { return nodes[a].name < nodes[b].name ? -1 : 1; }

  function render() {
    panel.replaceChildren();
    if (selected < 0) return overview();
    const n = nodes[selected];
    panel.appendChild(h("h2", n.name));
    panel.appendChild(h("div", n.path, "path"));
    if (n.state) {
      panel.appendChild(h("h3", n.state === "changed" ? "Changed" : "Affected"));
      const ul = h("ul");
      n.reasons.forEach((r) => ul.appendChild(h("li", r, "reason")));
      panel.appendChild(ul);
    }
    const modes = h("div", undefined, "modes");
    [["environment", "Environment"], ["dependents", "Dependents"]].forEach(([m, label]) => {
      const b = h("button", label, m === mode ? "on" : "");
      b.dataset.mode = m;
      b.addEventListener("click", () => select(selected, m));
      modes.appendChild(b);
    });
    panel.appendChild(modes);
    const set = members(selected, mode).filter((j) => j !== selected).sort(byNameOrder);
    if (mode === "environment") {
      panel.appendChild(h("h3", "uv installs " + set.length + " other member" +
        (set.length === 1 ? "" : "s")));
      panel.appendChild(list(set, 400));
      if (n.hidden) panel.appendChild(h("p", "and " + n.hidden +
        " member(s) outside this drawing", "muted"));
      const third = n.third.map((k) => data.packages[k]);
      panel.appendChild(h("h3", !data.locked ? "Third-party packages" : third.length +
        " third-party package" + (third.length === 1 ? "" : "s")));
      if (!data.locked) panel.appendChild(h("p", "No uv.lock: uvmono cannot tell them.",
        "muted"));
      const ul = h("ul");
      third.forEach((t) => ul.appendChild(h("li", t)));
      panel.appendChild(ul);
    } else {
      panel.appendChild(h("h3", set.length + " member" + (set.length === 1 ? "" : "s") +
        " install " + n.name));
      panel.appendChild(list(set, 400));
    }
  }

  function overview() {
    const rank = (i) => (nodes[i].state === "changed" ? 0 : 1);
    const affected = nodes.map((n, i) => i).filter((i) => nodes[i].state)
      .sort((a, b) => rank(a) - rank(b) || byNameOrder(a, b));
    panel.appendChild(h("h2", nodes.length + " member" + (nodes.length === 1 ? "" : "s") +
      ", " + data.edges.length + " edge" + (data.edges.length === 1 ? "" : "s")));
    panel.appendChild(h("p", "Click a member to see its environment (what uv installs for " +
      "it) or its dependents. Dependencies are to the left; dashed edges are extras, " +
      "groups and build requirements.", "muted"));
    data.notes.forEach((t) => panel.appendChild(h("p", t, "muted")));
    if (data.comparison === null) return;
    panel.appendChild(h("p", data.comparison, "muted"));
    const legend = h("p", undefined, "legend");
    [["#fde2e2", "#c62828", "changed"], ["#fff1d6", "#d98200", "affected"]].forEach(
      ([fill, stroke, label]) => {
        const s = h("span"); s.style.background = fill; s.style.borderColor = stroke;
        legend.appendChild(s); legend.appendChild(document.createTextNode(label + "  "));
      });
    panel.appendChild(legend);
    panel.appendChild(h("h3", affected.length + " affected"));
    if (!affected.length) panel.appendChild(h("p", "Nothing is affected.", "muted"));
    const ul = h("ul");
    affected.forEach((i) => {
      const li = h("li");
      li.appendChild(link(i));
      const why = h("ul");
      nodes[i].reasons.forEach((r) => why.appendChild(h("li", r, "reason")));
      li.appendChild(why);
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function zoom(s) {
    scale = Math.min(3, Math.max(0.1, s));
    svg.setAttribute("width", Math.round(data.width * scale));
    svg.setAttribute("height", Math.round(fullHeight * scale));
  }
  function fit() {
    zoom(Math.min(canvas.clientWidth / data.width, canvas.clientHeight / fullHeight, 1));
  }
  function reveal(i) {
    const [x, y, w, hgt] = nodes[i].box;
    canvas.scrollLeft = (x + w / 2) * scale - canvas.clientWidth / 2;
    canvas.scrollTop = (y - top + hgt / 2) * scale - canvas.clientHeight / 2;
  }
  document.getElementById("zoom-in").addEventListener("click", () => zoom(scale * 1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(scale / 1.25));
  document.getElementById("zoom-fit").addEventListener("click", fit);
  canvas.addEventListener("wheel", (ev) => {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    zoom(scale * (ev.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, {passive: false});

  function matches(q) {
    q = q.trim().toLowerCase();
    return q ? nodes.map((n, i) => i).filter((i) => nodes[i].name.includes(q) ||
      nodes[i].path.toLowerCase().includes(q)) : [];
  }
  search.addEventListener("input", () => {
    const found = new Set(matches(search.value));
    nodeEls.forEach((g, j) => g.classList.toggle("match", found.has(j)));
    if (found.size) reveal(found.values().next().value);
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      const found = matches(search.value);
      if (found.length) { select(found[0], mode); reveal(found[0]); }
    } else if (ev.key === "Escape") {
      search.value = "";
      search.dispatchEvent(new Event("input"));
      select(-1, mode);
    }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "/" && document.activeElement !== search) {
      ev.preventDefault(); search.focus();
    }
  });

  function fromHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const i = byName.get(params.get("select") || "");
    if (i === undefined) return;
    mode = params.get("mode") === "dependents" ? "dependents" : "environment";
    // A real click on the member's box: the same path a user's click takes.
    nodeEls[i].dispatchEvent(new MouseEvent("click", {bubbles: true}));
    reveal(i);
  }
  window.addEventListener("hashchange", fromHash);
  // A graph that fits the window legibly is shown whole; a larger one fits its height at
  // most, at a legible size, and scrolls sideways.
  const both = Math.min(canvas.clientWidth / data.width, canvas.clientHeight / fullHeight);
  zoom(both >= 0.6 ? Math.min(both, 1.5) :
    Math.max(0.6, Math.min(1, canvas.clientHeight / fullHeight)));
  document.body.dataset.selected = "";
  document.body.dataset.mode = mode;
  render();
  fromHash();
  document.body.dataset.ready = "true";
})();
"""
