"""Invariants on random workspaces (random DAGs and cycles, members nested in members, a root
that is or is not a member) and random changes.

`tests/test_properties.py` checks `affected` against a brute-force reference; these check what
must hold whatever the rule: the directly changed members are affected, `affected = "graph"` is
closed under dependents, more changed files never affect fewer members, `graph --format json`
round-trips, and every generated file parses and is the same on every run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversarial.harness import clean_env
from tests.gitutil import GitRepo
from tests.wsutil import REPO
from uvmono import affected, graph, workspace
from uvmono.changes import ChangeSet
from uvmono.commands import graph as graph_command

KINDS = ("dependency", "optional", "group", "build")
UVMONO_SOURCE = "uvmono @ git+https://github.com/ORG/uvmono@" + "0" * 40
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Spec:
    paths: dict[str, str]  # member name -> directory ("." for a root member)
    edges: list[tuple[str, str, str]]  # (dependent, dependency, kind)
    mode: str  # the `affected` setting

    @property
    def names(self) -> list[str]:
        return sorted(self.paths)


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    count = draw(st.integers(2, 7))
    names = [f"m{i}" for i in range(count)]
    root_member = draw(st.booleans())
    paths: dict[str, str] = {}
    for i, name in enumerate(names):
        if root_member and i == 0:
            paths[name] = "."
            continue
        parent = draw(st.sampled_from([None, *(paths[n] for n in names[:i])]))
        paths[name] = f"p/{name}" if parent in (None, ".") else f"{parent}/sub/{name}"
    edges = draw(
        st.lists(
            st.tuples(st.sampled_from(names), st.sampled_from(names), st.sampled_from(KINDS)),
            max_size=12,
        )
    )
    mode = draw(st.sampled_from(["environment", "graph"]))
    return Spec(paths, [(a, b, k) for a, b, k in edges if a != b], mode)


def pyproject(spec: Spec, name: str) -> str:
    mine = [(b, k) for a, b, k in spec.edges if a == name]
    by_kind = {kind: sorted({b for b, k in mine if k == kind}) for kind in KINDS}
    return (
        f'[project]\nname = "{name}"\nversion = "1.0"\n'
        f"dependencies = {json.dumps(by_kind['dependency'])}\n"
        f"[project.optional-dependencies]\nx = {json.dumps(by_kind['optional'])}\n"
        f'[project.scripts]\n{name}-cli = "{name}.main:main"\n'
        f"[dependency-groups]\ng = {json.dumps(by_kind['group'])}\n"
        f"[build-system]\nrequires = {json.dumps(['uv_build', *by_kind['build']])}\n"
        'build-backend = "uv_build"\n'
    )


def write(spec: Spec, root: Path) -> workspace.Workspace:
    members = sorted(p for p in spec.paths.values() if p != ".")
    tail = (
        f"[tool.uv.workspace]\nmembers = {json.dumps(members)}\n"
        "[tool.uv.sources]\n"
        + "".join(f"{n} = {{ workspace = true }}\n" for n in spec.names)
        + f'[tool.uvmono]\naffected = "{spec.mode}"\n'
        + f'[tool.uvmono.ci]\nuvmono-source = "{UVMONO_SOURCE}"\n'
    )
    root_member = next((n for n, p in spec.paths.items() if p == "."), None)
    files = {"pyproject.toml": (pyproject(spec, root_member) if root_member else "") + tail}
    for name, path in spec.paths.items():
        if path != ".":
            files[f"{path}/pyproject.toml"] = pyproject(spec, name)
        files[f"{path}/src/{name}/__init__.py"] = ""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return workspace.load(root)


def candidate_files(spec: Spec) -> list[str]:
    out = ["README.md", "p/loose.txt", "docs/guide.md"]
    for name, path in spec.paths.items():
        prefix = "" if path == "." else f"{path}/"
        out += [f"{prefix}src/{name}/mod.py", f"{prefix}README.md", f"{prefix}sub/deep/x.txt"]
    return sorted(set(out))


def compute(ws: workspace.Workspace, files: set[str]) -> affected.Affected:
    changes = ChangeSet(
        repo_root=ws.root, base="0" * 40, head=None, base_source="test", files=tuple(sorted(files))
    )
    return affected.compute(ws, changes, None, None)


# ------------------------------------------------------------------------- affected


@EXAMPLES
@given(spec=specs(), data=st.data())
def test_affected_invariants(spec: Spec, data: st.DataObject) -> None:
    candidates = candidate_files(spec)
    files = set(data.draw(st.lists(st.sampled_from(candidates), max_size=4)))
    more = data.draw(st.sampled_from([*candidates, "pyproject.toml"]))
    with tempfile.TemporaryDirectory() as tmp:
        ws = write(spec, Path(tmp))
        assert set(ws.members) == set(spec.names)
        result = compute(ws, files)
        assert set(result.directly_changed) <= set(result.affected)
        assert set(result.affected) <= set(spec.names)
        assert set(result.affected) == set(result.reasons)
        # Each changed file counts for the deepest member holding it.
        owners = workspace.owner_index(ws)
        assert set(result.directly_changed) == {
            o for o in (owners.owner(f) for f in files) if o is not None
        }
        if spec.mode == "graph":
            for edge in graph.edges(ws):
                if edge.dependency in result.affected:
                    assert edge.dependent in result.affected, (edge, result.affected)
        bigger = compute(ws, files | {more})
        assert set(result.affected) <= set(bigger.affected)
        assert set(result.directly_changed) <= set(bigger.directly_changed)


@EXAMPLES
@given(spec=specs())
def test_graph_json_round_trips(spec: Spec) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = write(spec, Path(tmp))
        data = json.loads(graph_command.render(ws, [], "json", False, False))
        assert data["nodes"] == spec.names
        declared = {(a, b) for a, b, _ in spec.edges}
        assert {(e["from"], e["to"]) for e in data["edges"]} == declared
        assert data["edges"] == [e.as_json() for e in graph.edges(ws)]
        assert {(e["from"], e["to"], e["kind"]) for e in data["edges"]} == {
            (a, b, k) for a, b, k in spec.edges
        }
        built = graph.build(ws)
        assert set(built.nodes) == set(data["nodes"])
        assert set(built.edges) == declared
        ordered = json.loads(graph_command.render(ws, [], "json", False, True))
        layer_of = {n: i for i, layer in enumerate(ordered["layers"]) for n in layer}
        assert sorted(layer_of) == spec.names
        in_cycle = {n for cycle in ordered["cycles"] for n in cycle}
        for a, b in declared:  # a dependency is built before (or with, in a cycle) its dependent
            assert layer_of[b] < layer_of[a] or (layer_of[a] == layer_of[b] and a in in_cycle)


# --------------------------------------------------------------------- generated files


def git_workspace(spec: Spec, root: Path) -> tuple[GitRepo, str]:
    """The workspace committed, then one member changed in a second commit."""
    repo = GitRepo.init(root)
    write(spec, repo.path)
    repo.commit("initial")
    name = spec.names[-1]
    path = spec.paths[name]
    prefix = "" if path == "." else f"{path}/"
    repo.commit("change", (f"{prefix}src/{name}/changed.py", "x = 1\n"))
    return repo, name


SINCE = ("--since", "HEAD~1", "--until", "HEAD")
# (arguments, how the output parses); run if the command exists in this checkout.
GENERATORS: list[tuple[tuple[str, ...], str]] = [
    (("members", "--format", "json"), "json"),
    (("graph", "--format", "json", "--layers"), "json"),
    (("graph", "--format", "dot"), "dot"),
    (("graph", "--format", "mermaid"), "mermaid"),
    (("graph", "--format", "html", "--since", "HEAD~1"), "html"),
    (("affected", *SINCE, "--format", "json"), "json"),
    (("matrix", *SINCE, "--format", "json"), "json"),
    (("matrix", *SINCE, "--format", "github"), "json"),
    (("matrix", *SINCE, "--format", "gitlab"), "yaml"),
    (("ci", "github", "--stdout"), "yaml"),
    (("ci", "gitlab", "--stdout"), "yaml"),
    (("ci", "gitlab", "--child", *SINCE), "yaml"),
    (("docker", "generate", "--stdout"), "files"),
    (("docker", "bake", "--stdout"), "files"),
    (("docker", "commands"), "text"),
]


def render_all(root: str) -> dict[str, list[Any]]:
    """Every generator of this checkout's CLI on the workspace at `root`, in this process:
    {arguments: [exit code, stdout, stderr]}."""
    import typer
    from typer.testing import CliRunner

    from uvmono.cli import app

    cli: Any = typer.main.get_command(app)
    out: dict[str, list[Any]] = {}
    runner = CliRunner()
    for args, _ in GENERATORS:
        group = cli.commands.get(args[0])
        if group is None or (hasattr(group, "commands") and args[1] not in group.commands):
            continue  # not in this checkout yet
        result = runner.invoke(app, ["--root", root, *args])
        out[" ".join(args)] = [result.exit_code, result.stdout, result.stderr]
    return out


def parse(text: str, how: str) -> object:
    if how == "json":
        return json.loads(text)
    if how == "yaml":
        return yaml.safe_load(text)
    if how == "dot":
        assert text.startswith("digraph uvmono {\n") and text.endswith("}\n"), text
        return text
    if how == "mermaid":
        assert text.startswith("graph LR\n"), text
        return text
    if how == "html":
        assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</html>\n"), text
        start = text.index('<script type="application/json" id="uvmono-data">')
        return json.loads(text[text.index(">", start) + 1 : text.index("</script>", start)])
    if how == "files":
        from tests.adversarial.test_injection import logical_lines, split_files

        # One file prints bare, ready for a pipe (the bake file); several under `==>` lines.
        files = split_files(text) if text.startswith("==> ") else {"docker-bake.json": text}
        for path, body in files.items():
            if path.endswith(".json"):
                json.loads(body)
            elif path.endswith("Dockerfile"):
                for line in logical_lines(body):
                    assert line.split()[0].upper() in DOCKERFILE_INSTRUCTIONS, line
        return files
    return text


DOCKERFILE_INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_every_generated_file_parses(spec: Spec) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo, changed = git_workspace(spec, Path(tmp) / "repo")
        outputs = render_all(str(repo.path))
        how = {" ".join(args): kind for args, kind in GENERATORS}
        for command, (code, stdout, stderr) in outputs.items():
            assert code == 0, f"uvmono {command} -> {code}\n{stderr}"
            parse(stdout, how[command])
        if "affected " + " ".join(SINCE) + " --format json" in outputs:
            data = json.loads(outputs["affected " + " ".join(SINCE) + " --format json"][1])
            assert changed in data["directly_changed"]


_RENDER_IN_A_FRESH_PROCESS = (
    "import json, sys\n"
    "from tests.adversarial.test_invariants import render_all\n"
    "print(json.dumps(render_all(sys.argv[1])))\n"
)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_generated_files_are_the_same_on_every_run(spec: Spec) -> None:
    """Two processes with different hash seeds (so different set orders) print the same bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, _ = git_workspace(spec, Path(tmp) / "repo")
        runs = []
        for seed in ("1", "2"):
            proc = subprocess.run(
                [sys.executable, "-c", _RENDER_IN_A_FRESH_PROCESS, str(repo.path)],
                cwd=REPO,
                env=clean_env({"PYTHONHASHSEED": seed, "PYTHONPATH": os.fspath(REPO)}),
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, proc.stderr
            runs.append({k: v[:2] for k, v in json.loads(proc.stdout).items()})
        assert runs[0] == runs[1]
        assert runs[0], "no generator ran"
