"""The package indexes an image installs from: exactly the ones its locked packages come from.

uv.lock records where each package was resolved (`source = { registry = "https://…/simple" }`).
An index that no locked package of the image comes from is not an index for its installs:
a root `[[tool.uv.index]]` with `explicit = true` (TestPyPI, used only to publish) would
otherwise be searched first (`uv pip` takes a package from the first index that has it) and
fail the build, or install a different file than the lock's. The default index stays, last,
because building the workspace's members fetches their build backends from it.

Each index keeps its name from `[[tool.uv.index]]` (`--index NAME=URL`), so that uv finds its
credentials in `UV_INDEX_<NAME>_USERNAME`/`_PASSWORD`, which the build passes as secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.lockfile import PackageId
from uvmono.records import record
from uvmono.workspace import PYPROJECT, read_toml

PYPI = "https://pypi.org/simple"
UV_TOML = "uv.toml"
# What a URL may hold to be written into a Dockerfile's RUN line unquoted and unexpanded.
_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!&+,;=%-]+")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@record
class Index:
    url: str
    name: str | None = None  # from [[tool.uv.index]]; None for an index uv.lock alone names
    default: bool = False

    @property
    def option(self) -> str:
        """The value of `--index` / `--default-index`: NAME=URL when it has a name."""
        return f"{self.name}={self.url}" if self.name else self.url


def configured(root: Path) -> list[Index]:
    """`[[tool.uv.index]]` of the root pyproject.toml, then `[[index]]` of uv.toml, in order."""
    found: list[Index] = []
    sources: list[tuple[Path, tuple[str, ...]]] = [(root / PYPROJECT, ("tool", "uv", "index"))]
    if (root / UV_TOML).is_file():
        sources.append((root / UV_TOML, ("index",)))
    for file, keys in sources:
        node: Any = read_toml(file)
        for key in keys:
            node = node.get(key, {}) if isinstance(node, Mapping) else {}
        for entry in node if isinstance(node, list) else []:
            if isinstance(entry, Mapping) and isinstance(entry.get("url"), str):
                name = entry.get("name")
                found.append(
                    Index(
                        url=entry["url"],
                        name=name if isinstance(name, str) else None,
                        default=entry.get("default") is True,
                    )
                )
    return found


def for_image(
    defined: Iterable[Index], packages: Iterable[object], lockfile: Path
) -> tuple[Index, ...]:
    """The indexes the registry packages among `packages` come from, in the order uv searches
    them (as defined), then the default index (the one marked `default`, else PyPI)."""
    indexes = list(defined)
    used = {_key(url) for p in packages if isinstance(p, PackageId) and (url := _registry(p))}
    default = next((i for i in indexes if i.default), Index(PYPI, default=True))
    chosen = [i for i in indexes if not i.default and _key(i.url) in used]
    known = {_key(i.url) for i in [*chosen, default]}
    chosen += [Index(url) for url in sorted(used - known)]
    chosen.append(default)
    for index in chosen:
        if not _URL.fullmatch(index.url) or (index.name and not _NAME.fullmatch(index.name)):
            raise UvmonoError(
                f"the package index {index.option!r} (from {lockfile} or the settings beside it) "
                "cannot be written into a Dockerfile safely",
                hint="index names hold letters, digits, '.', '_' and '-'; URLs are http(s) URLs "
                "without spaces, quotes or `$`",
            )
    return tuple(chosen)


def _registry(package: PackageId) -> str | None:
    for part in package.source.split("; "):
        kind, _, value = part.partition("=")
        if kind == "registry":
            return value
    return None


def _key(url: str) -> str:
    return url.rstrip("/")
