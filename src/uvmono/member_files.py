"""Reading and checking every member's pyproject.toml, on two cores where that pays.

Reading, parsing and checking the members' files is most of what a cold `affected` costs on
a large workspace, and each file is independent of the others. On Linux with a second CPU, no
other thread and enough members, a forked child reads the second half of the files while this
process reads the first; the child sends back the documents (pickled) and the first error it
met. Any trouble with the child (it cannot be forked, dies, or sends what cannot be read)
means this process reads the child's half itself. Either way the result is the one a reading
in order gives: `discovery.member_dirs` raises the first error in glob order.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.pyproject import PYPROJECT, check_pyproject, read_toml

# What reading one member gives: its document, None where it has no pyproject.toml, or the
# exception reading or checking it raised (raised by the caller, in glob order).
Result = dict[str, Any] | BaseException | None

# Fewer members than this are read in one process: forking and sending the documents back
# cost about as much as reading this many files (measured on a 2-core machine).
PARALLEL_MIN = 300


def read_one(root_text: str, rel: str) -> dict[str, Any] | None:
    """The checked document of the member at `rel`; None where there is no pyproject.toml."""
    file_text = os.path.join(root_text, rel, PYPROJECT)
    # lexists: a pyproject.toml that is a FIFO or a device is refused when read.
    if not os.path.lexists(file_text):
        return None
    if os.sep != "/" or "//" in file_text or "/./" in file_text:
        file_text = str(Path(file_text))  # spelled as the Path in `Found.file` spells it
    # The string, not a Path: it only names the file in errors, and a Path per member is slow.
    doc = read_toml(file_text)
    check_pyproject(doc, file_text)
    return doc


def read_all(root_text: str, rels: list[str], parallel: bool | None = None) -> dict[str, Result]:
    """`read_one` for each of `rels` (in order, up to the first that raises)."""
    if parallel is None:
        parallel = len(rels) >= PARALLEL_MIN and _can_fork()
    if parallel and len(rels) >= 2:
        return _read_forked(root_text, rels)
    return _read_here(root_text, rels)


def _read_here(root_text: str, rels: list[str]) -> dict[str, Result]:
    out: dict[str, Result] = {}
    for rel in rels:
        try:
            out[rel] = read_one(root_text, rel)
        except Exception as exc:  # raised in glob order by the caller
            out[rel] = exc
            break
    return out


def _can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        if len(os.sched_getaffinity(0)) < 2:
            return False
        # Forking a process with other threads (Python's or a library's) is unsafe.
        if threading.active_count() != 1 or len(os.listdir("/proc/self/task")) != 1:
            return False
    except OSError:
        return False
    return True


def _read_forked(root_text: str, rels: list[str]) -> dict[str, Result]:
    half = len(rels) // 2
    mine, theirs = rels[:half], rels[half:]
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return _read_here(root_text, rels)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return _read_here(root_text, rels)
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(root_text, theirs, write_end)
    os.close(write_end)
    reaped = False
    try:
        out = _read_here(root_text, mine)
        if len(out) < len(mine) or isinstance(out.get(mine[-1]), BaseException):
            return out  # an error in the first half: the second half is never reached
        theirs_read = _receive(read_end, theirs)
        _, status = os.waitpid(pid, 0)
        reaped = True
        if theirs_read is None or status != 0:
            theirs_read = _read_here(root_text, theirs)
        out.update(theirs_read)
        return out
    finally:
        os.close(read_end)
        if not reaped:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _child(root_text: str, rels: list[str], write_end: int) -> None:
    status = 1
    try:
        gc.disable()  # short-lived: collecting would only copy the parent's pages
        items: list[Any] = []
        for rel in rels:
            try:
                items.append(read_one(root_text, rel))
            except UvmonoError as exc:
                if type(exc) is not UvmonoError:
                    raise
                items.append((exc.message, exc.hint))
                break
        data = memoryview(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(write_end, data) :]
        status = 0
    except BaseException:  # anything: the parent reads this half itself
        status = 1
    finally:
        os._exit(status)


def _receive(read_end: int, rels: list[str]) -> dict[str, Result] | None:
    """The child's results for `rels`, or None when what it sent cannot be used."""
    chunks = []
    while chunk := os.read(read_end, 1 << 20):
        chunks.append(chunk)
    try:
        items = pickle.loads(b"".join(chunks))
    except Exception:  # a child that died half-way
        return None
    if not isinstance(items, list) or not items or len(items) > len(rels):
        return None
    out: dict[str, Result] = {}
    for rel, item in zip(rels, items, strict=False):
        if isinstance(item, tuple):
            out[rel] = UvmonoError(*item)
        else:
            out[rel] = item
    if len(items) < len(rels) and not isinstance(items[-1], tuple):
        return None  # stopped short without an error
    return out
