"""A cache of the parsed workspace for warm local runs, never trusted without a stat check.

`workspace.load` reads and checks every member's pyproject.toml; on a 2,000-member workspace
that is most of what `uvmono affected` spends. After a full read, the `Workspace` is stored
with a **fingerprint**: for every file the read depends on (the root pyproject.toml, each
directory the member globs match now and the pyproject.toml in it, uv.lock, .python-version,
and uvmono's own modules) its mtime and ctime in nanoseconds, size, inode and device. A later
run recomputes the fingerprint (the glob walk and one `stat` per member, no parsing) and uses
the stored workspace only when it is equal, so a member added, removed, edited, re-linked or
touched means a full read.

Where: `$UVMONO_CACHE_DIR`, else `$XDG_CACHE_HOME/uvmono`, else `~/.cache/uvmono`; one file
per workspace root (`workspace-<checksum of its path>.pickle`, mode 0600), outside the
repository, so a repository cannot ship one. Off when `UVMONO_NO_CACHE` is set (to anything
but "" or "0") and in CI (`CI` set): a CI machine starts cold anyway.

Safety: a file that cannot be read, unpickled, or does not hold what this module wrote is
ignored (and replaced after the next full read). Unpickling allows only uvmono's own settings
and workspace dataclasses, `pathlib` paths and plain containers, so a crafted file cannot run
code. Nothing is stored when a workspace needs uv.lock for its edges (dynamic metadata), when
some matched directory has no pyproject.toml (git's ignore rules decide about those), or when
a fingerprinted file changed in the last 2 seconds (a write in the same timestamp tick could
go unseen, as git's "racy" index entries).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError

FORMAT = 1
RACY_SECONDS = 2.0
_LIMIT = 256 * 1024 * 1024

Stat = tuple[int, int, int, int, int]
Fingerprint = tuple[tuple[str, Stat | None], ...]


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("UVMONO_NO_CACHE", "") not in ("", "0"):
        return False
    return not env.get("CI")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("UVMONO_CACHE_DIR"):
        return Path(env["UVMONO_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "uvmono"


def cache_file(root: Path, environ: Mapping[str, str] | None = None) -> Path:
    import zlib  # hashlib costs 10 ms to import; the file also names its root, which is checked

    name = os.fsencode(str(root))
    digest = f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"
    return cache_dir(environ) / f"workspace-{digest}.pickle"


def _stat(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


def _own_modules() -> list[tuple[str, Stat | None]]:
    """uvmono's own modules: an edited or upgraded uvmono reads the workspace afresh."""
    package = os.path.dirname(os.path.abspath(__file__))
    try:
        subpackages = sorted(e.path for e in os.scandir(package) if e.is_dir() and e.name[0] != "_")
    except OSError:
        subpackages = []
    out = []
    for directory in (package, *subpackages):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        modules = [n for n in names if n.endswith(".py")]
        out += [(f"uvmono:{n}", _stat(os.path.join(directory, n))) for n in modules]
    return out


def fingerprint(root: Path) -> Fingerprint | None:
    """What a full read of the workspace at `root` (resolved) depends on; None when it cannot
    be cached. Reads only the root pyproject.toml (for the member globs)."""
    from uvmono.discovery import matches, member_globs
    from uvmono.globs import exclude_regex
    from uvmono.pyproject import PYPROJECT, read_toml

    root_text = str(root)
    root_file = os.path.join(root_text, PYPROJECT)
    entries: list[tuple[str, Stat | None]] = [(PYPROJECT, _stat(root_file))]
    try:
        root_doc = read_toml(Path(root_file))
        members, exclude = member_globs(root_doc, Path(root_file))
        excludes = [exclude_regex(p) for p in exclude]
        for _, rel in matches(root, members, excludes):
            info = _stat(f"{root_text}/{rel}/{PYPROJECT}")
            if info is None:
                return None  # not a directory, or no pyproject.toml: discovery decides
            entries.append((rel, info))
    except UvmonoError:
        return None
    for name in ("uv.lock", ".python-version"):
        entries.append((name, _stat(os.path.join(root_text, name))))
    entries += _own_modules()
    entries.append((f"python:{sys.version}", None))
    return tuple(entries)


def _racy(print_: Fingerprint, now: float) -> bool:
    limit = int((now - RACY_SECONDS) * 1e9)
    return any(s is not None and max(s[0], s[1]) >= limit for _, s in print_)


# ---------------------------------------------------------------------------- pickling


def _allowed() -> dict[tuple[str, str], Any]:
    import pathlib

    from uvmono import config, records, sources, workspace

    allowed: dict[tuple[str, str], Any] = {}
    for module in (config, sources, workspace):
        for name, value in vars(module).items():
            dataclass = isinstance(value, type) and records.is_dataclass(value)
            if dataclass and value.__module__ == module.__name__:
                allowed[(module.__name__, name)] = value
    for name in ("PosixPath", "PurePosixPath", "WindowsPath", "PureWindowsPath"):
        allowed[("pathlib", name)] = getattr(pathlib, name)
    for kind in (frozenset, set, tuple, list, dict):
        allowed[("builtins", kind.__name__)] = kind
    return allowed


def _unpickle(data: bytes) -> Any:
    """`pickle.loads`, allowing only the classes `_allowed` names."""
    import io
    import pickle

    allowed = _allowed()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            try:
                return allowed[(module, name)]
            except KeyError:
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed") from None

    return Unpickler(io.BytesIO(data)).load()


def load(root: Path) -> Any:
    """The cached workspace for `root` (resolved) when its fingerprint still holds, else None."""
    from uvmono.regular import read_regular
    from uvmono.workspace import Workspace

    if not enabled():
        return None
    file = cache_file(root)
    try:
        data = read_regular(file, what="cache", limit=_LIMIT, hint="")
        if data is None:
            return None
        stored = _unpickle(data)
    except Exception:  # a corrupt, truncated or foreign file is no cache
        return None
    if not (isinstance(stored, tuple) and len(stored) == 4 and stored[0] == FORMAT):
        return None
    _, stored_root, stored_print, ws = stored
    if stored_root != str(root) or not isinstance(ws, Workspace) or ws.root != root:
        return None
    current = fingerprint(root)
    if current is None or current != stored_print:
        return None
    return ws


def store(root: Path, ws: Any) -> None:
    """Remember `ws`, read from `root` (resolved), for the next run; errors are ignored."""
    if not enabled() or ws.edge_lock is not None:
        return
    current = fingerprint(root)
    if current is None or _racy(current, time.time()):
        return
    import pickle

    file = cache_file(root)
    tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        data = pickle.dumps((FORMAT, str(root), current, ws), protocol=pickle.HIGHEST_PROTOCOL)
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
