"""How `uvmono run` shows its jobs: on a terminal, a live status line per running member and
each member's output when it finishes; in CI or a pipe, plain `[member] ` prefixed lines.

Both write whole lines only, from the runner's one thread, so lines never interleave. With
`stream`, a member's lines are shown as they come (prefixed) instead of when it finishes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from uvmono.runner import Outcome, Running

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ASCII_SPINNER = "|/-\\"


def is_terminal(stream: BinaryIO, environ: Mapping[str, str]) -> bool:
    """A person watching: a terminal, outside CI, that understands cursor movement."""
    if environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return False
    return stream.isatty() and environ.get("TERM", "") not in {"", "dumb"}


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def verdict(outcome: Outcome) -> str:
    """`passed in 1.2s`, `failed in 0.3s (command: exit code 1)`, `skipped (needs …)`."""
    text = outcome.result.value
    if outcome.seconds is not None:
        text += f" in {duration(outcome.seconds)}"
    if outcome.detail:
        text += f" ({outcome.detail})"
    return text


class PlainOutput:
    """Prefixed lines for logs: `[member] line`."""

    def __init__(self, out: BinaryIO, *, stream: bool) -> None:
        self.out = out
        self.stream = stream
        self.held: dict[str, list[bytes]] = {}
        self.pending: list[bytes] = []  # streamed lines not written yet: one write per tick

    def line(self, name: str, text: bytes) -> None:
        if self.stream:
            self.pending.append(_prefixed(name, text))
        else:
            self.held.setdefault(name, []).append(text)

    def finished(self, outcome: Outcome) -> None:
        held = self.held.pop(outcome.name, [])
        verdict_line = _prefixed(outcome.name, verdict(outcome).encode())
        self._write(b"".join(_prefixed(outcome.name, t) for t in held) + verdict_line)

    def notice(self, text: str) -> None:
        self._write(text.encode() + b"\n")

    def tick(self, running: Sequence[Running]) -> None:
        if self.pending:
            self._write(b"")

    def close(self) -> None:
        self._write(b"")

    def _write(self, data: bytes) -> None:
        self.out.write(b"".join(self.pending) + data)
        self.pending.clear()
        self.out.flush()


class TerminalOutput:
    """A status block at the bottom (one line per running member), output printed above it."""

    def __init__(self, out: BinaryIO, *, stream: bool, encoding: str = "utf-8") -> None:
        self.out = out
        self.stream = stream
        self.held: dict[str, list[bytes]] = {}
        self.drawn = 0  # lines of the status block on screen, the cursor below them
        self.last_draw = 0.0
        self.running: Sequence[Running] = ()
        self.pending: list[bytes] = []  # streamed lines not written yet: one write per tick
        unicode = encoding.lower().replace("-", "") == "utf8"
        self.spinner = _SPINNER if unicode else _ASCII_SPINNER
        self.rule = "─" if unicode else "-"

    def line(self, name: str, text: bytes) -> None:
        if self.stream:
            self.pending.append(_prefixed(name, text))
        else:
            self.held.setdefault(name, []).append(text)

    def finished(self, outcome: Outcome) -> None:
        held = self.held.pop(outcome.name, [])
        self.running = [r for r in self.running if r.name != outcome.name]
        header = f"{self.rule * 2} {outcome.name}: {verdict(outcome)}".encode()
        if self.stream:
            self._above(_prefixed(outcome.name, verdict(outcome).encode()))
        elif held:
            self._above(header + b"\n" + b"".join(t + b"\n" for t in held))
        else:
            self._above(header + b"\n")

    def notice(self, text: str) -> None:
        self._above(text.encode() + b"\n")

    def tick(self, running: Sequence[Running]) -> None:
        self.running = running
        if self.pending or time.monotonic() - self.last_draw >= 0.1:
            self._above(b"")

    def close(self) -> None:
        self.running = ()
        self._above(b"")

    def _above(self, data: bytes) -> None:
        """Erase the status block, write the pending lines and `data`, draw the block again: one
        write."""
        erase = f"\r\x1b[{self.drawn}F\x1b[J".encode() if self.drawn else b"\r\x1b[J"
        block = self._status_block()
        self.out.write(erase + b"".join(self.pending) + data + block)
        self.pending.clear()
        self.out.flush()
        self.drawn = block.count(b"\n")
        self.last_draw = time.monotonic()

    def _status_block(self) -> bytes:
        if not self.running:
            return b""
        width = max(20, _width(self.out) - 1)
        now = time.monotonic()
        spin = self.spinner[int(now * 10) % len(self.spinner)]
        lines = [
            f"{spin} {r.name}  {r.what}  {duration(now - r.started)}"[:width]
            for r in self.running
        ]
        return "".join(f"{line}\n" for line in lines).encode()


def _prefixed(name: str, text: bytes) -> bytes:
    return b"[" + name.encode() + b"] " + text.rstrip(b"\r") + b"\n"


def _width(out: BinaryIO) -> int:
    try:
        columns = os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    return columns or shutil.get_terminal_size().columns
