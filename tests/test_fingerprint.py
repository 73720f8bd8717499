"""Fingerprints of test tasks: what changes them, what does not, and that they are stable.

Random workspaces (hypothesis, few examples) are locked by real uv against a flat index of
small real wheels inside the workspace, and `uv export --frozen` with each environment's sync
flags is the oracle of what a test job installs: a change to a member or a locked package
changes exactly the fingerprints of the tasks whose export holds it. Stability runs on real git
repositories: another checkout path, bytecode and `.venv` present, uncommitted or committed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gitutil import GitRepo
from tests.wsutil import SAMPLE, project, uv, uv_binary, uvmono, virtual_root, write_tree
from uvmono import fingerprint, workspace
from uvmono.commands import hash as hash_command
from uvmono.test_environment import environments

pytestmark = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")

# Third-party packages of the flat index: name -> what it requires.
POOL = {"alpha": ["beta"], "beta": [], "gamma": [], "delta": ["gamma"]}


def wheel(directory: Path, name: str, version: str, requires: list[str]) -> None:
    """A real (tiny) wheel: one module and its dist-info."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n",
        f"{dist}/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\n" + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{dist}/RECORD"] = "\n".join([*record, f"{dist}/RECORD,,"]) + "\n"
    with zipfile.ZipFile(directory / f"{name}-{version}-py3-none-any.whl", "w") as archive:
        for path, text in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), text)


def index_tree(root: Path) -> None:
    wheels = root / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    for name, requires in POOL.items():
        wheel(wheels, name, "1.0", requires)


ROOT_TAIL = '[[tool.uv.index]]\nname = "local"\nurl = "./wheels"\nformat = "flat"\ndefault = true\n'


@st.composite
def shapes(draw: st.DrawFn) -> list[tuple[list[str], list[str], list[str]]]:
    """Per member m0..mN: (members it requires, packages it requires, its `test` group)."""
    count = draw(st.integers(2, 4))
    out = []
    for i in range(count):
        later = [f"m{j}" for j in range(i + 1, count)]
        members = draw(st.lists(st.sampled_from(later), unique=True)) if later else []
        packages = draw(st.lists(st.sampled_from(sorted(POOL)), unique=True, max_size=2))
        group = draw(st.lists(st.sampled_from(sorted(POOL)), unique=True, max_size=1))
        out.append((members, packages, group))
    return out


def build(root: Path, shape: list[tuple[list[str], list[str], list[str]]]) -> None:
    files = {"pyproject.toml": virtual_root(["packages/*"], tail=ROOT_TAIL)}
    for i, (members, packages, group) in enumerate(shape):
        files[f"packages/m{i}/pyproject.toml"] = project(
            f"m{i}",
            [*members, *packages],
            sources=members,
            groups={"test": group} if group else None,
        )
    write_tree(root, files)
    index_tree(root)
    locked = uv("lock", "--offline", cwd=root)
    assert locked.returncode == 0, locked.stderr


def exported(root: Path) -> dict[str, tuple[set[str], set[str]]]:
    """member -> (members, third-party names) that `uv export` lists for its environment."""
    ws = workspace.load(root)
    lock = workspace.lock_of(ws)
    out = {}
    for member in ws.members.values():
        (env,) = environments(ws, member, lock)
        proc = uv("export", "--frozen", "--offline", "--no-hashes", *env.sync_args(), cwd=root)
        assert proc.returncode == 0, proc.stderr
        members, packages = set(), set()
        for line in proc.stdout.splitlines():
            if m := re.match(r"-e \./packages/(m\d)", line):
                members.add(m.group(1))
            elif m := re.match(r"([a-z][a-z0-9-]*)==", line):
                packages.add(m.group(1))
        out[member.name] = (members, packages)
    return out


def prints(root: Path) -> dict[str, str]:
    ws = workspace.load(root)
    found = fingerprint.compute(ws, workspace.lock_of(ws), ws.settings)
    assert len({f.package for f in found}) == len(found), "one Python, one environment each"
    return {f.package: f.value for f in found}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


FEW = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FEW
@given(shape=shapes(), data=st.data())
def test_a_member_file_changes_exactly_the_tasks_whose_export_installs_that_member(
    tmp_path_factory: pytest.TempPathFactory,
    shape: list[tuple[list[str], list[str], list[str]]],
    data: st.DataObject,
) -> None:
    root = tmp_path_factory.mktemp("ws")
    build(root, shape)
    oracle = exported(root)
    before = prints(root)
    target = data.draw(st.sampled_from(sorted(oracle)))

    (root / "packages" / target / "src" / target / "extra.py").write_text("VALUE = 1\n")
    after = prints(root)

    assert changed(before, after) == {m for m, (members, _) in oracle.items() if target in members}
    assert target in changed(before, after)


@FEW
@given(shape=shapes(), data=st.data())
def test_a_locked_package_changes_exactly_the_tasks_whose_export_installs_it(
    tmp_path_factory: pytest.TempPathFactory,
    shape: list[tuple[list[str], list[str], list[str]]],
    data: st.DataObject,
) -> None:
    root = tmp_path_factory.mktemp("ws")
    build(root, shape)
    oracle = exported(root)
    locked = sorted(set().union(*(packages for _, packages in oracle.values())))
    if not locked:
        return  # no third-party package in any environment: nothing to change
    target = data.draw(st.sampled_from(locked))
    before = prints(root)

    using = {m for m, (_, pkgs) in oracle.items() if target in pkgs}

    # Another locked version of the package (a relock that moved it).
    lock = root / "uv.lock"
    text = lock.read_text()
    blocks = text.split("[[package]]")
    for i, block in enumerate(blocks):
        if f'\nname = "{target}"\n' in block:
            blocks[i] = block.replace('version = "1.0"', 'version = "1.1"')
    lock.write_text("[[package]]".join(blocks))
    assert changed(before, prints(root)) == using
    lock.write_text(text)
    assert prints(root) == before

    # The same name and version, other bytes: the flat index's wheel file is hashed itself.
    wheel(root / "wheels", target, "1.0", [*POOL[target], "gamma"])
    assert changed(before, prints(root)) == using


def test_global_files_the_test_command_and_the_python_change_fingerprints(
    tmp_path: Path,
) -> None:
    build(tmp_path, [(["m1"], ["alpha"], []), ([], [], ["gamma"]), ([], [], [])])
    before = prints(tmp_path)
    ws = workspace.load(tmp_path)
    lock = workspace.lock_of(ws)

    member = ws.members["m1"]
    other = replace(member, settings=replace(member.settings, test_command="pytest -x"))
    edited = replace(ws, members={**ws.members, "m1": other})
    by_command = {f.package: f.value for f in fingerprint.compute(edited, lock, ws.settings)}
    assert changed(before, by_command) == {"m1"}, "only the member whose command changed"

    python = replace(ws.settings, python_versions=("3.13",), python="3.13")
    by_python = {
        f.package: f.value for f in fingerprint.compute(ws, lock, python) if f.python == "3.13"
    }
    assert set(by_python) == set(before) and not set(by_python.values()) & set(before.values())

    with (tmp_path / "pyproject.toml").open("a") as file:
        file.write("# a global file\n")
    assert changed(before, prints(tmp_path)) == set(before)


# ------------------------------------------------------------------------------- stability


def sample_repo(path: Path) -> GitRepo:
    repo = GitRepo.init(path)
    shutil.copytree(
        SAMPLE, repo.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".venv", "__pycache__")
    )
    return repo


def tasks(root: Path) -> dict[str, dict[str, Any]]:
    found = hash_command.compute(workspace.load(root), None)
    return {f"{f.package} {f.python}": f.as_json() for f in found}


def hashed(root: Path) -> dict[str, str]:
    return {key: str(task["fingerprint"]) for key, task in tasks(root).items()}


def test_the_same_commit_gives_the_same_fingerprints_anywhere(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path / "one")
    uncommitted = hashed(repo.path)
    repo.commit("the sample")
    committed = hashed(repo.path)
    (tmp_path / "elsewhere").mkdir()
    clone = GitRepo.clone(repo, tmp_path / "elsewhere" / "two")
    plain = tmp_path / "no-git"
    shutil.copytree(repo.path, plain, ignore=shutil.ignore_patterns(".git"))

    # Bytecode and an environment, with no .gitignore that names them.
    for root in (clone.path, plain):
        for member in ("libs/core", "services/api"):
            cache = root / member / "__pycache__"
            cache.mkdir(parents=True, exist_ok=True)
            (cache / "x.cpython-312.pyc").write_bytes(b"\x00bytecode")
        (root / ".venv" / "lib").mkdir(parents=True)
        (root / ".venv" / "lib" / "site.py").write_text("x = 1\n")

    assert committed == uncommitted, "the work tree hashes like the commit it will become"
    assert hashed(clone.path) == committed, "another checkout path, bytecode and .venv present"
    assert hashed(plain) == committed, "without git, the same files count"
    assert len(set(committed.values())) == len(committed)


def test_a_dirty_file_changes_the_fingerprint_until_it_is_restored(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path / "repo")
    repo.commit("the sample")
    clean = tasks(repo.path)
    storage = repo.path / "libs/storage/src/acme_storage/__init__.py"
    original = storage.read_text()

    storage.write_text(original + "\nEXTRA = 1\n")
    dirty = hashed(repo.path)
    storage.write_text(original)

    using = {k for k, t in clean.items() if "acme-storage" in t["inputs"]["members"]}
    assert {k for k in clean if clean[k]["fingerprint"] != dirty[k]} == using
    assert using and using != set(clean)
    assert hashed(repo.path) == {k: t["fingerprint"] for k, t in clean.items()}


def test_the_readme_example_the_second_push_of_a_pull_request_retests_only_acme_api(
    tmp_path: Path,
) -> None:
    repo = sample_repo(tmp_path / "repo")
    repo.commit("the sample")
    core = repo.path / "libs/core/src/acme_core/models.py"
    core.write_text(core.read_text() + "\nCHANGED = 1\n")
    repo.commit("push 1: core")
    first = hashed(repo.path)
    api = repo.path / "services/api/src/acme_api/__init__.py"
    api.write_text(api.read_text() + "\n# a typo fixed\n")
    repo.commit("push 2: api")

    second = hashed(repo.path)

    assert {k for k in first if first[k] != second[k]} == {"acme-api 3.11"}


def test_uvmono_hash_prints_filters_and_explains(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path / "repo")
    repo.commit("the sample")
    saved = tmp_path / "before.json"
    proc = uvmono("hash", "--format", "json", cwd=repo.path)
    saved.write_text(proc.stdout)
    only = uvmono("hash", "acme-core", cwd=repo.path)
    storage = repo.path / "libs/storage/src/acme_storage/__init__.py"
    storage.write_text(storage.read_text() + "X = 1\n")

    explained = uvmono("hash", "--explain", str(saved), "-", cwd=repo.path)
    same = uvmono("hash", "--explain", str(saved), str(saved), cwd=repo.path)
    bad = uvmono("hash", "--explain", str(repo.path / "pyproject.toml"), "-", cwd=repo.path)

    assert only.returncode == 0, only.stderr
    assert [line.split()[0] for line in only.stdout.splitlines()] == [
        "member",
        "acme-core",
        "acme-core",
    ]
    assert explained.returncode == 0, explained.stderr
    assert "acme-core py3.11: same (" in explained.stdout
    assert re.search(
        r"acme-api py3\.11: [0-9a-f]{32} -> [0-9a-f]{32}\n  members: acme-storage "
        r"changed",
        explained.stdout,
    ), explained.stdout
    assert "->" not in same.stdout
    assert bad.returncode == 2 and "is not JSON" in bad.stderr and "hint: " in bad.stderr
    assert "Traceback" not in bad.stderr


def test_matrix_json_carries_the_fingerprints_uvmono_hash_prints(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path / "repo")
    base = repo.commit("the sample")
    core = repo.path / "libs/core/src/acme_core/models.py"
    core.write_text(core.read_text() + "\nCHANGED = 1\n")
    repo.commit("core")

    matrix = json.loads(
        uvmono("matrix", "--since", base, "--format", "json", cwd=repo.path, check=True).stdout
    )
    hashed = json.loads(uvmono("hash", "--format", "json", cwd=repo.path, check=True).stdout)

    listed = {
        (m["package"], f["python"], f["side"]): f["fingerprint"]
        for m in matrix["members"]
        for f in m["fingerprints"]
    }
    expected = {(t["package"], t["python"], t["side"]): t["fingerprint"] for t in hashed["tasks"]}
    assert listed and {m["package"] for m in matrix["members"]} == {k[0] for k in listed}
    assert listed == {k: v for k, v in expected.items() if k in listed}
