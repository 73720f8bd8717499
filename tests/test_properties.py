"""On random workspaces (DAGs and cycles through extras and groups) and random changes,
`affected` equals a brute-force reference, and its invariants hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.wsutil import project, virtual_root, write_tree
from uvmono import affected, workspace
from uvmono.changes import ChangeSet
from uvmono.render import text

# A random workspace: per member, requirements as (target, kind, holder, requested extras).
Spec = dict[str, list[tuple[str, str, str, tuple[str, ...]]]]
EXTRAS = ("x", "y")


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    n = draw(st.integers(2, 7))
    names = [f"m{i}" for i in range(n)]
    spec: Spec = {}
    for name in names:
        reqs = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(names),
                    st.sampled_from(["dependency", "optional", "group"]),
                    st.sampled_from((*EXTRAS, "g1", "g2")),
                    st.lists(st.sampled_from(EXTRAS), max_size=2, unique=True).map(tuple),
                ),
                max_size=4,
            )
        )
        spec[name] = [r for r in reqs if r[0] != name]
    return spec


def write(spec: Spec, root: Path) -> workspace.Workspace:
    files = {"pyproject.toml": virtual_root(["p/*"], sources=sorted(spec))}
    for name, reqs in spec.items():
        deps, extras, groups = [], {e: [] for e in EXTRAS}, {}  # type: ignore[var-annotated]
        for target, kind, holder, asked in reqs:
            text = f"{target}[{','.join(asked)}]" if asked else target
            if kind == "dependency":
                deps.append(text)
            elif kind == "optional":
                extras[holder if holder in EXTRAS else "x"].append(text)
            else:
                groups.setdefault(holder, []).append(text)
        files[f"p/{name}/pyproject.toml"] = project(name, deps, extras=extras, groups=groups)
    write_tree(root, files)
    return workspace.load(root)


def reference(spec: Spec, changed: set[str]) -> set[str]:
    """The environment rule, by brute force: a fixpoint per member."""
    out = set()
    for m in spec:
        states = {
            (m, None),
            *((m, e) for e in EXTRAS),
            *(("group", m, g) for g in (*EXTRAS, "g1", "g2")),
        }
        grown = True
        while grown:
            before = len(states)
            for src, reqs in spec.items():
                for target, kind, holder, asked in reqs:
                    holder_state = {
                        "dependency": (src, None),
                        "optional": (src, holder if holder in EXTRAS else "x"),
                        "group": ("group", src, holder),
                    }[kind]
                    if holder_state in states and (kind != "group" or src == m):
                        states |= {(target, None), *((target, e) for e in asked)}
            states |= {(s[0], None) for s in states if len(s) == 2}
            grown = len(states) != before
        if {s[0] for s in states if len(s) == 2} & changed:
            out.add(m)
    return out


def run(ws: workspace.Workspace, changed: set[str]) -> affected.Affected:
    files = tuple(sorted(f"p/{m}/src/{m}/mod.py" for m in changed))
    changes = ChangeSet(
        repo_root=ws.root, base="0" * 40, head=None, base_source="test", files=files
    )
    return affected.compute(ws, changes, None, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), data=st.data())
def test_affected_equals_the_reference(spec: Spec, data: st.DataObject) -> None:
    changed = set(data.draw(st.lists(st.sampled_from(sorted(spec)), max_size=3)))
    with tempfile.TemporaryDirectory() as tmp:
        ws = write(spec, Path(tmp))
        result = run(ws, changed)
        assert set(result.affected) == reference(spec, changed)
        assert set(result.directly_changed) == changed
        assert changed <= set(result.affected)
        extra = data.draw(st.sampled_from(sorted(spec)))
        assert set(result.affected) <= set(run(ws, changed | {extra}).affected)


def _uv_environment_paths(root: Path, member: str) -> set[str]:
    from tests.wsutil import uv

    out = uv(
        "export",
        "--package",
        member,
        "--frozen",
        "--offline",
        "--no-hashes",
        "--all-extras",
        "--all-groups",
        cwd=root,
    )
    assert out.returncode == 0, out.stderr
    return {line[len("-e ./") :] for line in out.stdout.splitlines() if line.startswith("-e ./")}


def test_affected_agrees_with_uv_export(tmp_path: Path) -> None:
    """M is affected iff uv export (all extras, all groups) of M names a changed member."""
    import random

    from tests.wsutil import uv, uv_binary

    if uv_binary() is None:
        import pytest

        pytest.skip("uv is not installed")
    for seed in range(4):
        rng = random.Random(seed)
        names = [f"m{i}" for i in range(8)]
        spec: Spec = {
            n: [
                (
                    t,
                    rng.choice(["dependency", "optional", "group"]),
                    rng.choice((*EXTRAS, "g1")),
                    tuple(rng.sample(EXTRAS, rng.randint(0, 1))),
                )
                for t in rng.sample(names, rng.randint(0, 3))
                if t != n
            ]
            for n in names
        }
        root = tmp_path / f"ws{seed}"
        ws = write(spec, root)
        assert uv("lock", "--offline", cwd=root).returncode == 0
        changed = set(rng.sample(names, 2))
        result = run(workspace.load(root), changed)
        expected = {
            m for m in names if _uv_environment_paths(root, m) & {f"p/{c}" for c in changed}
        }
        assert set(result.affected) == expected, (seed, spec)
        assert ws.members.keys() == set(names)


# Characters that end a line for some reader: YAML 1.1 (libyaml), JavaScript, str.splitlines.
_BREAKY = st.text(
    st.one_of(
        st.sampled_from(["\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1e"]),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(line=_BREAKY)
def test_a_comment_stays_one_comment_and_a_log_line_one_line(line: str) -> None:
    """Whatever repository data a YAML comment or a printed line carries, every parser reads
    one comment, and every reader one line."""
    document = text.comment(line) + "key: value\n"
    loaders: list[type] = [yaml.SafeLoader]
    if getattr(yaml, "__with_libyaml__", False):
        loaders.append(yaml.CSafeLoader)
    for loader in loaders:
        assert yaml.load(document, Loader=loader) == {"key": "value"}
    assert len(text.printable(line).splitlines()) <= 1
    assert text.CONTROL.search(text.printable(line)) is None
