"""Plain text for people and scripts: aligned tables, escaped names, one value per line.

Also the rules every generated file and every printed line share for repository data (file
names, member names and directories, versions from uv.lock, reasons):

- `CONTROL` matches what ends a line somewhere: ASCII control characters, the C1 controls
  (U+0085 NEL among them) and U+2028/U+2029, which libyaml (GitLab, YAML 1.1) and
  JavaScript read as line breaks even inside a comment. A path or name that reaches a CI
  file holding one is refused.
- `printable` escapes every non-printable character (those above and any other `Cc`, `Cf`,
  `Zl`, `Zp`, `Zs` but the space), so a file name cannot start a new line in a log (`::error::`,
  `::stop-commands::` in GitHub Actions) or in a YAML comment.
- `checked_yaml` parses a generated YAML file the way CI will and refuses to write it unless
  it holds exactly the data the renderer meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.lazy_re import lazy

# C0, DEL, C1 (U+0085 NEL), LINE SEPARATOR, PARAGRAPH SEPARATOR.
CONTROL = lazy(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What `str.splitlines` (and so most readers of a list) splits at.
_LINE_BREAK = lazy(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

_GAP = 2
_NARROWEST = 8  # a column is cut no narrower than this (or its header)


def table(rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Aligned columns; with `width`, the widest columns are cut (with `…`) until rows fit."""
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    if width is not None:
        widths = fit(widths, [len(h) for h in rows[0]], width)
    return "".join(
        "  ".join(_cut(c, w).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n"
        for r in rows
    )


def fit(widths: Sequence[int], headers: Sequence[int], width: int) -> list[int]:
    """Column widths that fit `width` characters, taking from the widest column first; the
    first column (the name) is cut only when no other column can give more."""
    floors = [min(w, max(h, _NARROWEST)) for w, h in zip(widths, headers, strict=True)]
    return _shrink(_shrink(list(widths), [widths[0], *floors[1:]], width), floors, width)


def _shrink(out: list[int], floors: Sequence[int], width: int) -> list[int]:
    while sum(out) + _GAP * (len(out) - 1) > width:
        widest = max(range(len(out)), key=lambda i: (out[i] - floors[i] > 0, out[i]))
        if out[widest] <= floors[widest]:
            break  # every column at its floor: wider than the terminal, but readable
        out[widest] -= 1
    return out


def _cut(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"


def paint(text: str, style: str, color: bool) -> str:
    """`text` in an SGR `style` ("1;31": bold red) when `color` is on."""
    return f"\x1b[{style}m{text}\x1b[0m" if color else text


def printable(text: str) -> str:
    """`text` for people: a line break or another non-printable character is escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def lines(values: Sequence[str], what: str) -> str:
    """One value per line, for scripts; a value that holds a line break cannot be one line."""
    for value in values:
        if _LINE_BREAK.search(value):
            raise UvmonoError(
                f"the {what} '{printable(value)}' holds a line break, so it cannot be printed "
                "one per line",
                hint="use --format json, or rename it",
            )
    return "".join(f"{value}\n" for value in values)


def comment(line: str) -> str:
    """One `# …` YAML comment line; whatever `line` holds, it cannot end the comment."""
    return f"# {printable(line)}\n"


def checked_yaml(text: str, data: Any, what: str) -> str:
    """`text`, once it parses (with libyaml when PyYAML has it, as GitLab and most tools
    read YAML, and with PyYAML's own parser) to exactly `data`: no key, job or value the
    renderer did not put there."""
    import yaml

    loaders: list[Any] = [yaml.SafeLoader]
    if getattr(yaml, "__with_libyaml__", False):
        loaders.insert(0, yaml.CSafeLoader)
    for loader in loaders:
        try:
            parsed = yaml.load(text, Loader=loader)  # safe loaders only
        except yaml.YAMLError as exc:
            parsed = exc
        if parsed != data:
            raise UvmonoError(
                f"the generated {what} would not read back as written ({loader.__name__}): "
                "a value in the repository would change its structure",
                hint="rename what holds unusual characters (line or paragraph separators, "
                "control characters), and report it",
            )
    return text


_UV_VERSION = lazy(r"\d+\.\d+\.\d+")
_EXPRESSION = lazy(r"\$\{\{")


def check_uv_version(version: str) -> None:
    """`tool.uvmono.docker.uv-version` is pinned in CI (setup-uv, image tags): exact only."""
    if not _UV_VERSION.fullmatch(version):
        raise UvmonoError(
            f"`tool.uvmono.docker.uv-version` = {printable(version)!r} is not an exact uv version",
            hint="CI pins uv to this version; for example: 0.13.9",
        )


def check_configured(value: str, key: str) -> None:
    """A configured value written into a workflow: no `${{` (GitHub would evaluate it, in
    any position), and nothing that ends a line."""
    if _EXPRESSION.search(value) or CONTROL.search(value):
        raise UvmonoError(
            f"{key} = {printable(value)!r} holds `${{{{` or a control character, which the "
            "generated CI file cannot carry as plain data",
            hint="remove the `${{ … }}` expression (CI files are static) or the control "
            "character",
        )
