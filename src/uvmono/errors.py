"""The one error type every stage raises; the CLI prints it like uv prints its errors."""

from __future__ import annotations


class UvmonoError(Exception):
    """A problem with the user's input: printed as `error: …` and `hint: …`, exit code 2."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class CheckFailed(UvmonoError):
    """A check found stale output: exit code 1."""

    exit_code = 1
