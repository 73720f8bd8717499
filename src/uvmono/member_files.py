"""Reading and checking every member's pyproject.toml, on two cores where that pays.

Reading, parsing and checking the members' files is most of what a cold `affected` costs on
a large workspace, and each file is independent of the others. On Linux with a second CPU, no
other thread and enough members, a forked child reads the files from the last one back while
this process reads them from the first one on, until the two meet: the child sends each batch
of documents (pickled) as it reads them, and stops at the first error it meets. A child that
gets less of the CPU reads fewer; any trouble with it (it cannot be forked, dies, or sends what
cannot be read) means this process reads the rest itself. Either way the result is the one a
reading in order gives: `discovery.member_dirs` raises the first error in glob order.
"""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.forking import can_fork as _can_fork
from uvmono.pyproject import PYPROJECT, check_pyproject, read_toml
from uvmono.sources import Listed, list_requirements

# Fewer members than this are read in one process: forking (3-4 ms here) and sending the
# documents back are then a large part of what a second core could save.
PARALLEL_MIN = 300


def pyproject_text(root_text: str, rel: str) -> str:
    """`str(Path(root_text, rel, "pyproject.toml"))`, without making a Path where it can."""
    text = os.path.join(root_text, rel, PYPROJECT)
    if os.sep != "/" or "//" in text or "/./" in text:
        text = str(Path(text))
    return text


class Read:
    """A member's checked document, and its requirements, listed and named
    (`sources.list_requirements`): the most per-member work that needs no other member."""

    __slots__ = ("doc", "listed")

    def __init__(self, doc: dict[str, Any], listed: Listed) -> None:
        self.doc = doc
        self.listed = listed


# What reading one member gives: a Read, None where it has no pyproject.toml, or the
# exception reading or checking it raised (raised by the caller, in glob order).
Result = Read | BaseException | None


def read_one(root_text: str, rel: str) -> Read | None:
    """The checked document of the member at `rel`; None where there is no pyproject.toml."""
    # The string, not a Path: it only names the file in errors, and a Path per member is slow.
    file_text = pyproject_text(root_text, rel)
    # lexists: a pyproject.toml that is a FIFO or a device is refused when read.
    if not os.path.lexists(file_text):
        return None
    doc = read_toml(file_text)
    check_pyproject(doc, file_text)
    return Read(doc, list_requirements(doc, file_text))


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


def _read_forked(root_text: str, rels: list[str]) -> dict[str, Result]:
    """This process reads from the first member on, a forked child from the last one back,
    until they meet: a child that gets less of the CPU (a busy machine) simply reads fewer."""
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
        _child(root_text, rels, write_end)
    os.close(write_end)
    os.set_blocking(read_end, False)
    child = _Received(len(rels))
    out: dict[str, Result] = {}
    try:
        index = 0
        while index < child.first:
            rel = rels[index]
            try:
                out[rel] = read_one(root_text, rel)
            except Exception as exc:  # the members after it are never reached
                out[rel] = exc
                return out
            index += 1
            if index % _BATCH == 0 and child.alive:
                child.receive(read_end)
        out.update(zip(rels[child.first :], child.results, strict=True))
        return out
    finally:
        import signal  # only where a child was forked (about 1 ms of start-up otherwise)

        os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # done, or reading what this process has read
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


_BATCH = 16  # members per message from the child, and between two looks at the pipe
_HEADER = 4  # bytes of a message's length, before its pickle


class _Received:
    """What the child has sent: the results of rels[first:]."""

    def __init__(self, count: int) -> None:
        self.first = count
        self.results: list[Result] = []
        self.alive = True
        self._buffer = bytearray()

    def receive(self, read_end: int) -> None:
        """Take in what the pipe holds now, without waiting for more."""
        try:
            while chunk := os.read(read_end, 1 << 20):
                self._buffer += chunk
            self.alive = False  # end of file: the child is done (or died)
        except BlockingIOError:
            pass
        except OSError:
            self.alive = False
        while len(self._buffer) >= _HEADER:
            size = int.from_bytes(self._buffer[:_HEADER], "big")
            if len(self._buffer) < _HEADER + size:
                break
            frame = bytes(self._buffer[_HEADER : _HEADER + size])
            del self._buffer[: _HEADER + size]
            if not self._take(frame):
                self._forget()
                return

    def _take(self, frame: bytes) -> bool:
        try:
            import pickle  # here: a workspace read in one process needs none of it

            first, items = pickle.loads(frame)
        except Exception:
            return False
        if not isinstance(items, list) or first + len(items) != self.first or first < 0:
            return False
        results: list[Result] = [
            UvmonoError(*item) if isinstance(item, tuple) else item for item in items
        ]
        self.results[:0] = results
        self.first = first
        return True

    def _forget(self) -> None:
        """The child sent what cannot be read: this process reads everything itself."""
        self.first += len(self.results)
        self.results = []
        self.alive = False


def _child(root_text: str, rels: list[str], write_end: int) -> None:
    """Read `rels` from the last one back, sending each batch of results as it is read; stop
    after the first error (the one nearest the front that this process reads)."""
    status = 1
    try:
        gc.disable()  # short-lived: collecting would only copy the parent's pages
        index = len(rels)
        failed = False
        while index > 0 and not failed:
            batch: list[Any] = []
            while index > 0 and len(batch) < _BATCH:
                index -= 1
                try:
                    batch.append(read_one(root_text, rels[index]))
                except UvmonoError as exc:
                    if type(exc) is not UvmonoError:
                        raise
                    batch.append((exc.message, exc.hint))
                    failed = True
                    break
            batch.reverse()
            import pickle

            frame = pickle.dumps((index, batch), protocol=pickle.HIGHEST_PROTOCOL)
            data = memoryview(len(frame).to_bytes(_HEADER, "big") + frame)
            while data:
                data = data[os.write(write_end, data) :]
        status = 0
    except BaseException:  # anything: this process reads the rest itself
        status = 1
    finally:
        os._exit(status)
