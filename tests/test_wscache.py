"""The parsed-workspace cache (wscache.py): the same workspace with and without it, on the
conformance shapes and the sample monorepo; any change to what the workspace is read from
means a full read; a corrupt or hostile cache file is ignored; off in CI."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from tests.test_conformance import SHAPES, _workspace_dir
from tests.wsutil import SAMPLE, project, uvmono, virtual_root, write_tree
from uvmono import workspace, wscache
from uvmono.errors import UvmonoError


@pytest.fixture
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.delenv("UVMONO_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("UVMONO_CACHE_DIR", str(cache))
    return cache


def backdate(root: Path, seconds: float = 60) -> None:
    """Every file and directory under `root` last changed `seconds` ago (out of the racy
    window). ctime cannot be set back: the tests that need old files wait instead."""
    old = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (old, old), follow_symlinks=False)


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """ctime is now for a file just written, and utime cannot move it: trust it anyway."""
    monkeypatch.setattr(wscache, "RACY_SECONDS", -3600.0)


def cached_load(root: Path, monkeypatch: pytest.MonkeyPatch) -> workspace.Workspace:
    """`workspace.load` that must come from the cache (a full read fails the test)."""
    with monkeypatch.context() as m:

        def no_read(_: Path) -> workspace.Workspace:
            raise AssertionError("the cache was not used")

        m.setattr(workspace, "_read", no_read)
        return workspace.load(root)


def readable_shapes() -> list[str]:
    return sorted(s for s in SHAPES if not s.startswith("error-"))


@pytest.mark.parametrize("shape", readable_shapes())
def test_conformance_shapes_load_alike_from_the_cache(
    tmp_path: Path,
    shape: str,
    cache_on: Path,
    no_racy_window: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _workspace_dir(tmp_path / "ws", shape)
    try:
        fresh = workspace.load(root, cache=False)
    except UvmonoError:
        pytest.skip("uvmono refuses this shape: nothing to cache")
    stored = workspace.load(root)  # a full read, stored
    if not list(cache_on.glob("workspace-*.pickle")):
        assert fresh.edge_lock is not None or wscache.fingerprint(root.resolve()) is None
        return  # not cacheable (dynamic metadata, a directory without pyproject.toml)
    assert stored == fresh
    assert cached_load(root, monkeypatch) == fresh


def test_sample_monorepo_affected_and_members_alike(tmp_path: Path, cache_on: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    backdate(root)
    time.sleep(wscache.RACY_SECONDS + 0.1)  # ctime too
    env = {"UVMONO_CACHE_DIR": str(cache_on)}
    without = uvmono("--root", str(root), "members", "--format", "json", cwd=tmp_path, check=True)
    cold = uvmono(
        "--root", str(root), "members", "--format", "json", cwd=tmp_path, env=env, check=True
    )
    assert len(list(cache_on.glob("workspace-*.pickle"))) == 1
    warm = uvmono(
        "--root", str(root), "members", "--format", "json", cwd=tmp_path, env=env, check=True
    )
    assert without.stdout == cold.stdout == warm.stdout
    assert without.stderr == cold.stderr == warm.stderr


def small(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/a/pyproject.toml": project("a", ["b"], sources=["b"]),
            "packages/b/pyproject.toml": project("b"),
        },
    )


def test_every_change_means_a_full_read(
    tmp_path: Path, cache_on: Path, no_racy_window: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small(tmp_path)
    workspace.load(root)
    assert set(cached_load(root, monkeypatch).members) == {"a", "b"}

    # An edit of the same size, with the old mtime put back: ctime and the content differ.
    file = root / "packages/b/pyproject.toml"
    before = file.stat()
    file.write_text(file.read_text().replace('"0.1.0"', '"0.2.0"'))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert workspace.load(root).members["b"].version == "0.2.0"
    assert cached_load(root, monkeypatch).members["b"].version == "0.2.0"

    write_tree(root, {"packages/c/pyproject.toml": project("c")})  # a new member
    assert set(workspace.load(root).members) == {"a", "b", "c"}
    shutil.rmtree(root / "packages/a")  # a removed one
    assert set(workspace.load(root).members) == {"b", "c"}
    (root / ".python-version").write_text("3.12\n")
    assert workspace.load(root).python_version == "3.12"
    assert workspace.load(root) == workspace.load(root, cache=False)


def test_a_member_without_pyproject_is_never_cached(
    tmp_path: Path, cache_on: Path, no_racy_window: None
) -> None:
    root = small(tmp_path)
    (root / "packages/.hidden").mkdir()  # skipped by discovery, but it has no pyproject.toml
    assert set(workspace.load(root).members) == {"a", "b"}
    assert not cache_on.exists()


def test_fresh_files_are_not_stored(tmp_path: Path, cache_on: Path) -> None:
    root = small(tmp_path)
    workspace.load(root)
    assert not cache_on.exists()  # written within RACY_SECONDS: not trusted


@pytest.mark.parametrize("variable", ["CI", "UVMONO_NO_CACHE"])
def test_off_in_ci_and_on_request(
    tmp_path: Path, cache_on: Path, no_racy_window: None, monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, "true")
    root = small(tmp_path)
    workspace.load(root)
    assert not cache_on.exists()
    assert not wscache.enabled()
    assert wscache.enabled({"UVMONO_NO_CACHE": "0"})


def test_corrupt_or_hostile_cache_files_are_ignored(
    tmp_path: Path, cache_on: Path, no_racy_window: None
) -> None:
    root = small(tmp_path)
    expected = workspace.load(root, cache=False)
    file = wscache.cache_file(root.resolve())
    file.parent.mkdir(parents=True)
    marker = tmp_path / "pwned"

    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    blobs = [
        b"",
        b"not a pickle",
        pickle.dumps(Hostile()),
        pickle.dumps((wscache.FORMAT, str(root.resolve()), (), Hostile())),
        pickle.dumps((wscache.FORMAT, str(root.resolve()), (), "not a workspace")),
        pickle.dumps(("wrong", "shape")),
    ]
    good = tmp_path / "good.pickle"
    workspace.load(root)
    shutil.copy(file, good)
    blobs.append(good.read_bytes()[:-40])  # truncated
    for blob in blobs:
        file.write_bytes(blob)
        assert workspace.load(root) == expected
        assert not marker.exists()
    file.unlink()
    file.mkdir()  # not even a file
    assert workspace.load(root) == expected
