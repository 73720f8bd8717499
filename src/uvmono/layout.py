"""A layered drawing of the member graph: columns in build order, rows by barycentre.

Column i holds build layer i (`graph.layers`: a layer needs only earlier ones, a cycle sits in
one layer), so every edge points left, from a dependent to a dependency. Within a column the
members are ordered to keep edges from crossing: alternate sweeps right and left put each member
at the mean position (barycentre) of its neighbours in the columns already placed, and the order
with the fewest crossings wins. A layer with more than `max_rows` members is wrapped into
several narrow columns, so a flat workspace of 300 members stays on a screen or two.

Pure: names in, coordinates out. Widths are estimated for a 12px monospace font.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from uvmono.records import record

CHAR_WIDTH = 7.3  # a 12px monospace glyph, with a margin
NODE_HEIGHT = 22
ROW_GAP = 8
LAYER_GAP = 90
WRAP_GAP = 28
PADDING = 24
SWEEPS = 12


@record
class Box:
    x: int
    y: int
    width: int
    height: int
    layer: int  # 0: needs no other member


@record
class Layout:
    boxes: Mapping[str, Box]
    width: int
    height: int
    order: tuple[tuple[str, ...], ...]  # each layer, top to bottom
    crossings: int


def node_width(name: str) -> int:
    return int(len(name) * CHAR_WIDTH) + 16


def order_layers(
    layers: Sequence[Sequence[str]], edges: Iterable[tuple[str, str]], sweeps: int = SWEEPS
) -> tuple[list[list[str]], int]:
    """Each layer reordered to reduce crossings, and the crossings left."""
    layer_of = {name: i for i, layer in enumerate(layers) for name in layer}
    pairs = sorted(
        {(a, b) for a, b in edges if a in layer_of and b in layer_of and layer_of[a] != layer_of[b]}
    )
    neighbours: dict[str, list[str]] = {name: [] for name in layer_of}
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    order = [sorted(layer) for layer in layers]
    best = [list(layer) for layer in order]
    best_crossings = crossings(best, pairs)
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        indices = range(1, len(order)) if forward else range(len(order) - 2, -1, -1)
        for i in indices:
            done = range(0, i) if forward else range(i + 1, len(order))
            order[i] = _by_barycentre(order[i], neighbours, layer_of, _fractions(order), done)
        found = crossings(order, pairs)
        if found < best_crossings:
            best, best_crossings = [list(layer) for layer in order], found
    return best, best_crossings


def _by_barycentre(
    layer: Sequence[str],
    neighbours: Mapping[str, Sequence[str]],
    layer_of: Mapping[str, int],
    fraction: Mapping[str, float],
    done: range,
) -> list[str]:
    """`layer` sorted by the mean position of each member's neighbours in the `done` layers
    (a member without any keeps its own position); ties keep their order."""

    def key(name: str) -> float:
        near = [fraction[n] for n in neighbours[name] if layer_of[n] in done]
        return sum(near) / len(near) if near else fraction[name]

    return sorted(layer, key=key)


def _fractions(order: Sequence[Sequence[str]]) -> dict[str, float]:
    """Each member's position in its layer, from 0 (top) to 1 (bottom)."""
    out: dict[str, float] = {}
    for layer in order:
        span = max(len(layer) - 1, 1)
        for i, name in enumerate(layer):
            out[name] = i / span if len(layer) > 1 else 0.5
    return out


def crossings(order: Sequence[Sequence[str]], edges: Iterable[tuple[str, str]]) -> int:
    """Pairs of edges between the same two layers whose ends come in opposite orders."""
    layer_of: dict[str, int] = {}
    row: dict[str, int] = {}
    for i, layer in enumerate(order):
        for j, name in enumerate(layer):
            layer_of[name], row[name] = i, j
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in edges:
        if a not in layer_of or b not in layer_of or layer_of[a] == layer_of[b]:
            continue
        if layer_of[a] > layer_of[b]:
            a, b = b, a
        groups.setdefault((layer_of[a], layer_of[b]), []).append((row[a], row[b]))
    total = 0
    for group in groups.values():
        group.sort()
        for i, (top, bottom) in enumerate(group):
            total += sum(1 for t, b in group[i + 1 :] if t != top and b < bottom)
    return total


def layered(
    layers: Sequence[Sequence[str]],
    edges: Iterable[tuple[str, str]],
    *,
    max_rows: int = 36,
) -> Layout:
    """Coordinates for every member in `layers`; `edges` are (dependent, dependency) pairs."""
    order, left = order_layers(layers, edges)
    columns: list[tuple[int, list[str]]] = []
    for i, layer in enumerate(order):
        wraps = max(1, math.ceil(len(layer) / max_rows))
        size = max(1, math.ceil(len(layer) / wraps))  # columns of one layer: equally tall
        columns += [(i, layer[j : j + size]) for j in range(0, len(layer), size)]
    step = NODE_HEIGHT + ROW_GAP
    tallest = max((len(names) for _, names in columns), default=0)
    boxes: dict[str, Box] = {}
    x = PADDING
    previous = -1
    for layer_index, names in columns:
        if previous != -1:
            x += LAYER_GAP if layer_index != previous else WRAP_GAP
        previous = layer_index
        width = max(node_width(n) for n in names)
        top = PADDING + (tallest - len(names)) * step // 2
        for row, name in enumerate(names):
            boxes[name] = Box(x, top + row * step, width, NODE_HEIGHT, layer_index)
        x += width
    height = PADDING * 2 + max(tallest * step - ROW_GAP, 0)
    return Layout(boxes, x + PADDING, height, tuple(tuple(layer) for layer in order), left)
