"""Fuzz uvmono's readers: no input may raise anything but `UvmonoError`.

    python fuzz/fuzz_readers.py --seconds 120            # every target, 120 s each
    python fuzz/fuzz_readers.py --target lock --seconds 600

Targets:
  lock       `lockfile.parse_lock` on structured lock documents, mutated real locks and bytes
  pyproject  `workspace.load` on a workspace whose member (and sometimes root) pyproject.toml
             and uv.lock are fuzzed, then what every command does next with what it accepted
             (graph, environments, `affected`, the members table and JSON, the plan)
  config     `config.load_root` / `config.load_member` / `config.effective` on [tool.uvmono]
  yaml       the GitLab parent and child pipelines and the GitHub workflow for a workspace
             whose member directories, test commands, reasons (changed file names) and
             workspace directory are fuzzed, line breaks beyond ASCII included: every file
             uvmono writes must parse with libyaml and PyYAML alike and hold only the keys
             the renderer puts there

Hypothesis generates and shrinks the inputs. A failure prints the smallest input it found,
the traceback, and exits 1. See fuzz/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from uvmono import affected, config, environment, graph, lockfile, plan, tomlparse, workspace  # noqa: E402
from uvmono.changes import ChangeSet  # noqa: E402
from uvmono.commands import members as members_command  # noqa: E402
from uvmono.errors import UvmonoError  # noqa: E402
from uvmono.install_source import InstallSource  # noqa: E402
from uvmono.render import github, gitlab  # noqa: E402

SEED_LOCK = (REPO / "sample-monorepo" / "uv.lock").read_bytes()
SEED_PYPROJECT = (REPO / "sample-monorepo" / "services" / "api" / "pyproject.toml").read_bytes()

# ------------------------------------------------------------------------------ values

NAMES = ["a", "b", "Beta_Pkg", "beta.pkg", "c", "six", "", " a", "a b", "$(x)", "-a", "ä"]
text = st.one_of(
    st.sampled_from(NAMES),
    st.text(st.characters(codec="utf-8"), max_size=12),
)
scalar = st.one_of(
    text,
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)
anything = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the well-typed value, now and then any value at all: enough documents must get
    past validation to reach the code behind it."""
    return st.integers(0, 11).flatmap(lambda roll: anything if roll == 11 else strategy)


GLOB_PIECES = ["p", "a", "z", "/", "*", "**", "?", "[", "]", "!", "-", "^", "\\", ".", "[z-a]"]
glob = st.one_of(
    st.sampled_from(["p/*", "p/a", "p/**", "**", ".", "./p/*", "../x", "p/[ab]", "p/[!a]"]),
    st.lists(st.sampled_from(GLOB_PIECES), max_size=6).map("".join),
)
globs = maybe(st.lists(maybe(glob), max_size=3))
requirement = st.one_of(
    st.sampled_from(
        [
            "a",
            "b>=1",
            "Beta_Pkg[x,y]; python_version < '3.12'",
            "c @ file:///tmp/c",
            "a[",
            "b ===",
            "six ; extra == 'x'",
            "a ; sys_platform == 'linux' and extra == \"y\"",
        ]
    ),
    text,
)
requirements = maybe(st.lists(maybe(requirement), max_size=4))
group_name = st.one_of(st.sampled_from(["dev", "test", "x", "Dev_Group", "a.b"]), text)
source = maybe(
    st.one_of(
        st.fixed_dictionaries({"workspace": maybe(st.just(True))}),
        st.fixed_dictionaries({"path": maybe(st.sampled_from(["../x", "libs/l", "/abs", ""]))}),
        st.lists(st.fixed_dictionaries({"path": text}), max_size=2),
    )
)
uvmono_table = maybe(
    st.fixed_dictionaries(
        {},
        optional={
            "generate": maybe(st.lists(st.sampled_from(["docker", "bake", "github", "x"]))),
            "global-files": globs,
            "ignore": globs,
            "affected": maybe(st.sampled_from(["environment", "graph"])),
            "lockfile": maybe(st.sampled_from(["granular", "global"])),
            "python": maybe(text),
            "test-command": maybe(text),
            "docker": maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "image": maybe(st.booleans()),
                        "command": maybe(st.lists(text, max_size=2)),
                        "ports": maybe(st.lists(st.integers(-1, 70000), max_size=2)),
                        "image-name": maybe(
                            st.sampled_from(
                                ["{name}", "{nope}", "{", "x/{path}", "{name:>9}", "{name.upper}"]
                            )
                        ),
                        "user-id": maybe(st.integers()),
                    },
                )
            ),
            "ci": maybe(st.dictionaries(st.sampled_from(["runner", "max-jobs", "x"]), anything)),
        },
    )
)
pyproject_doc = st.fixed_dictionaries(
    {
        "project": maybe(
            st.fixed_dictionaries(
                {"name": maybe(st.sampled_from(["a", "A_a", "a.b", "c"]))},
                optional={
                    "version": maybe(st.sampled_from(["1", "1.0.0", "v1", "1.0+x", "x"])),
                    "dependencies": requirements,
                    "optional-dependencies": maybe(
                        st.dictionaries(group_name, requirements, max_size=3)
                    ),
                    "scripts": maybe(st.dictionaries(text, maybe(text), max_size=2)),
                    "dynamic": maybe(st.lists(st.sampled_from(["dependencies", "version"]))),
                    "requires-python": maybe(st.sampled_from([">=3.11", "~=3.12", "3"])),
                    "description": maybe(text),
                },
            )
        ),
    },
    optional={
        "dependency-groups": maybe(
            st.dictionaries(
                group_name,
                maybe(
                    st.lists(
                        st.one_of(
                            requirement,
                            st.fixed_dictionaries({"include-group": maybe(text)}),
                            anything,
                        ),
                        max_size=3,
                    )
                ),
                max_size=3,
            )
        ),
        "build-system": maybe(st.fixed_dictionaries({"requires": requirements})),
        "tool": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "uv": maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "sources": maybe(st.dictionaries(text, source, max_size=3)),
                                "package": maybe(st.booleans()),
                                "managed": maybe(st.booleans()),
                                "dev-dependencies": requirements,
                                "workspace": maybe(
                                    st.fixed_dictionaries(
                                        {"members": globs}, optional={"exclude": globs}
                                    )
                                ),
                            },
                        )
                    ),
                    "uvmono": uvmono_table,
                },
            )
        ),
    },
)
root_doc = st.fixed_dictionaries(
    {
        "tool": st.fixed_dictionaries(
            {
                "uv": st.fixed_dictionaries(
                    {
                        "workspace": maybe(
                            st.fixed_dictionaries({"members": globs}, optional={"exclude": globs})
                        )
                    },
                    optional={"sources": maybe(st.dictionaries(text, source, max_size=3))},
                )
            },
            optional={"uvmono": uvmono_table},
        )
    },
    optional={"project": pyproject_doc.map(lambda doc: doc["project"])},
)
lock_dependency = maybe(
    st.fixed_dictionaries(
        {"name": maybe(st.sampled_from(["a", "b", "six", "ghost"]))},
        optional={
            "version": maybe(st.sampled_from(["1", "2"])),
            "source": maybe(st.fixed_dictionaries({"registry": st.just("https://x")})),
            "extra": maybe(st.lists(text, max_size=2)),
            "marker": maybe(text),
        },
    )
)
lock_package = maybe(
    st.fixed_dictionaries(
        {"name": maybe(st.sampled_from(["a", "b", "six"]))},
        optional={
            "version": maybe(st.sampled_from(["1", "2"])),
            "source": maybe(
                st.one_of(
                    st.fixed_dictionaries({"editable": st.sampled_from(["p/a", "p/b", "."])}),
                    st.fixed_dictionaries({"virtual": st.sampled_from(["p/a", "."])}),
                    st.fixed_dictionaries({"registry": st.just("https://x")}),
                )
            ),
            "dependencies": maybe(st.lists(lock_dependency, max_size=3)),
            "optional-dependencies": maybe(
                st.dictionaries(text, maybe(st.lists(lock_dependency, max_size=2)), max_size=2)
            ),
            "dev-dependencies": maybe(
                st.dictionaries(text, maybe(st.lists(lock_dependency, max_size=2)), max_size=2)
            ),
        },
    )
)
lock_doc = st.fixed_dictionaries(
    {"version": maybe(st.sampled_from([1, 1, 1, 2, 0]))},
    optional={
        "revision": maybe(st.integers(0, 9)),
        "package": maybe(st.lists(lock_package, max_size=4)),
        "manifest": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "members": maybe(st.lists(maybe(st.sampled_from(["a", "b"])), max_size=3)),
                    "dependency-groups": maybe(
                        st.dictionaries(text, maybe(st.lists(lock_dependency, max_size=2)))
                    ),
                },
            )
        ),
    },
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with a few bytes deleted, inserted or replaced."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 40))
        insert = draw(st.one_of(st.binary(max_size=8), st.sampled_from(TOML_PIECES)))
        data[at : at + cut] = insert
    return bytes(data)


TOML_PIECES = [b"[", b"]", b"{", b"}", b'"', b"'''", b"\n", b"=", b",", b"[[package]]\n", b"\\"]


@st.composite
def toml_bytes(draw: st.DrawFn, structured: st.SearchStrategy[Any]) -> bytes:
    doc = draw(structured)
    try:
        return tomlkit.dumps(doc).encode()
    except Exception:  # a value tomlkit cannot write: not a TOML document, nothing to test
        assume(False)
        raise


def documents(structured: st.SearchStrategy[Any], seed: bytes) -> st.SearchStrategy[bytes]:
    well_formed = toml_bytes(structured)
    return st.integers(0, 9).flatmap(
        lambda roll: well_formed if roll < 7 else mutated(seed) if roll < 9 else st.binary()
    )


# ----------------------------------------------------------------------------- targets


def fuzz_lock(data: bytes) -> None:
    lockfile.parse_lock(data, "uv.lock")


def fuzz_config(root: Any, member: Any) -> None:
    file = Path("pyproject.toml")
    settings_ = config.load_root({"tool": {"uvmono": root}}, file)
    config.effective(settings_, config.load_member({"tool": {"uvmono": member}}, file))


ROOT = b'[tool.uv.workspace]\nmembers = ["p/*"]\n[tool.uv.sources]\nb = { workspace = true }\n'
MEMBER_B = b'[project]\nname = "b"\nversion = "1"\ndependencies = ["a"]\n'


def fuzz_pyproject(member: bytes, root: bytes | None, lock: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "p/a").mkdir(parents=True)
        (base / "p/b").mkdir(parents=True)
        (base / "pyproject.toml").write_bytes(root if root is not None else ROOT)
        (base / "p/a/pyproject.toml").write_bytes(member)
        (base / "p/b/pyproject.toml").write_bytes(MEMBER_B)
        if lock is not None:
            (base / "uv.lock").write_bytes(lock)
        ws = workspace.load(base)
        # What the commands do next with a workspace uvmono accepted.
        graph.edges(ws)
        g = graph.build(ws)
        graph.to_dot(g)
        graph.to_mermaid(g)
        graph.layers(g)
        members_command.render(ws, "json")
        members_command.render(ws, "table")
        environment.build(ws, ws.edge_lock)
        changes = ChangeSet(
            repo_root=ws.root,
            base="0" * 40,
            head=None,
            base_source="fuzz",
            files=("p/a/x.py", "p/b/y.py", "uv.lock", "../outside.txt"),
        )
        lock = workspace.lock_of(ws)
        affected.compute(ws, changes, lock, lock)
        plan.make_plan(ws, list(ws.members))


def fuzz_toml(data: bytes) -> None:
    """tomli's compiled parser, where it returns a document, returns tomllib's (tomlparse.py)."""
    import tomllib

    text = data.decode("utf-8", errors="replace")
    try:
        fast = repr(tomlparse.loads(text))
    except (tomllib.TOMLDecodeError, RecursionError):
        fast = None
    try:
        stdlib = repr(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, RecursionError):
        stdlib = None
    assert fast == stdlib, text[:200]


# What may end a line or a comment somewhere (YAML 1.1, JavaScript, a CI log), and YAML syntax.
BREAKS = ["\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\t", "\x00", "\ufeff"]
YAML_PIECES = [
    *BREAKS,
    "#",
    ": ",
    "evil-job: {script: [id]}",
    "include: [{remote: x}]",
    "- ",
    "'",
    '"',
    "${{ x }}",
    "$X",
    "&a",
    "*a",
    "!!python/object:os.system",
    "---",
    "...",
    "{",
    "}",
    "[",
    "]",
    "|",
    ">",
    "%",
    "@",
    "`",
    " ",
    "-",
]
yaml_text = st.lists(
    st.one_of(st.sampled_from(YAML_PIECES), st.text(st.characters(codec="utf-8"), max_size=4)),
    max_size=8,
).map("".join)
# A directory name the file system takes: no `/`, no NUL, not `.` or `..`, not empty.
PLAIN_DIRS = ["a", "sp ace", "-dash", "ä", "q'uote", "c: d", "# x"]
dir_name = st.sampled_from(PLAIN_DIRS) | yaml_text.map(
    lambda t: t.replace("/", "_").replace("\x00", "_")
).filter(lambda t: t not in ("", ".", "..") and len(t.encode()) < 200)

CHILD_KEYS = re.compile(r"stages|variables|nothing-affected|test(?:-\d+)?|build-image(?:-\d+)?")
PARENT_KEYS = {"workflow", gitlab.PLAN_JOB, gitlab.TRIGGER_JOB}
WORKFLOW_KEYS = {"name", "on", "permissions", "concurrency", "defaults", "jobs"}
WORKFLOW_JOBS = {"plan", "test", "image", "ci-ok"}
SOURCE = InstallSource("requirement", "uvmono @ git+https://github.com/o/uvmono@" + "0" * 40)


def parsed(text: str) -> Any:
    """`text` read by libyaml (as GitLab reads it) and by PyYAML's parser: the same document."""
    documents = [yaml.load(text, Loader=yaml.SafeLoader)]
    if getattr(yaml, "__with_libyaml__", False):
        documents.append(yaml.load(text, Loader=yaml.CSafeLoader))
    assert all(d == documents[0] for d in documents), f"the parsers disagree on:\n{text}"
    assert isinstance(documents[0], dict), text
    return documents[0]


def fuzz_yaml(
    directory: str, test_command: str, reasons: list[str], workspace_dir: str, images: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        member = base / "p" / directory
        try:
            member.mkdir(parents=True)
        except OSError:
            assume(False)
        (base / "pyproject.toml").write_text(
            '[tool.uv.workspace]\nmembers = ["p/*"]\n', encoding="utf-8"
        )
        project = '[project]\nname = "a"\nversion = "1"\n'
        project += f"[tool.uvmono]\ntest-command = {json.dumps(test_command)}\n"
        if images:
            project += '[project.scripts]\nserve = "a:main"\n'
        (member / "pyproject.toml").write_text(project, encoding="utf-8")
        ws = workspace.load(base)
        names = list(ws.members)
        the_plan = plan.make_plan(
            ws,
            names,
            dict.fromkeys(names, reasons),
            base="0" * 40,
            workspace_dir=workspace_dir,
            uvmono=SOURCE,
        )
        child = parsed(gitlab.child_pipeline(the_plan))
        extra = [k for k in child if not (isinstance(k, str) and CHILD_KEYS.fullmatch(k))]
        assert not extra, f"keys the renderer did not write: {extra}"
        for path in (".gitlab-ci.yml", "uvmono.gitlab-ci.yml"):
            parent = parsed(gitlab.parent_pipeline(gitlab.parent_options(the_plan, path)))
            assert set(parent) <= PARENT_KEYS, sorted(map(str, parent))
        flow = parsed(github.workflow(github.options(the_plan)))
        assert set(flow) <= WORKFLOW_KEYS, sorted(map(str, flow))
        assert set(flow["jobs"]) <= WORKFLOW_JOBS, sorted(map(str, flow["jobs"]))


TARGETS: dict[str, tuple[Callable[..., None], dict[str, st.SearchStrategy[Any]]]] = {
    "yaml": (
        fuzz_yaml,
        {
            "directory": dir_name,
            "test_command": st.one_of(st.just("pytest"), yaml_text),
            "reasons": st.lists(yaml_text, max_size=3),
            "workspace_dir": st.one_of(st.just("."), st.just("python/ws"), yaml_text),
            "images": st.booleans(),
        },
    ),
    "toml": (
        fuzz_toml,
        {
            "data": st.one_of(
                documents(pyproject_doc, SEED_PYPROJECT), documents(lock_doc, SEED_LOCK)
            )
        },
    ),
    "lock": (fuzz_lock, {"data": documents(lock_doc, SEED_LOCK)}),
    "config": (fuzz_config, {"root": uvmono_table, "member": uvmono_table}),
    "pyproject": (
        fuzz_pyproject,
        {
            "member": documents(pyproject_doc, SEED_PYPROJECT),
            "root": st.one_of(st.none(), documents(root_doc, ROOT)),
            "lock": st.one_of(st.none(), documents(lock_doc, SEED_LOCK)),
        },
    ),
}


def only_uvmono_errors(function: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(function)
    def wrapper(**kwargs: Any) -> None:
        with contextlib.suppress(UvmonoError):
            function(**kwargs)

    return wrapper


def run(target: str, seconds: float, batch: int) -> bool:
    """Fuzz `target` for about `seconds`; False (after printing the input) on a failure."""
    function, strategies = TARGETS[target]
    deadline = time.monotonic() + seconds
    examples = 0
    while time.monotonic() < deadline:
        test = settings(
            max_examples=batch,
            deadline=None,
            database=None,
            derandomize=False,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )(given(**strategies)(only_uvmono_errors(function)))
        try:
            test()
        except Exception:
            traceback.print_exc()
            print(f"fuzz {target}: FAILED after about {examples} examples", file=sys.stderr)
            return False
        examples += batch
    print(f"fuzz {target}: ok, about {examples} examples in {seconds:.0f} s", file=sys.stderr)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seconds", type=float, default=120, help="per target (default 120)")
    parser.add_argument("--batch", type=int, default=200, help="examples per Hypothesis run")
    args = parser.parse_args()
    targets = list(TARGETS) if args.target == "all" else [args.target]
    results = [
        run(target, args.seconds, args.batch) for target in targets
    ]  # all, even after a failure
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
