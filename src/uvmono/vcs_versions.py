"""Local packages whose version comes from git, and how their image builds hand it over.

A package with `dynamic = ["version"]` and a VCS-versioning plugin (hatch-vcs,
uv-dynamic-versioning, setuptools-scm, pdm-backend's `scm` source, poetry-dynamic-versioning)
asks git for its version when it is built. A Docker build sees no `.git` (and has no git):
modelcontextprotocol/python-sdk's images failed with "Unable to find 'git' program". Each of
these plugins takes the version from an environment variable instead; the stages that build
such a package set it, in the one RUN that builds, from the `VCS_VERSION` build argument, else
`0.0.0+g<the first 12 characters of REVISION>` (the commit every uvmono build command passes),
else `0.0.0+unknown`: PEP 440 versions with the three parts that version templates split
(uv-dynamic-versioning's `{{ major }}.{{ minor }}`), so the build works with no argument.

uv's cache keeps a wheel built of a directory while its pyproject.toml keeps its timestamp, and
knows nothing of these variables: a build handed another version would install the wheel of
the earlier one. So the steps that build such packages pass `--refresh-package` for each: a
step that runs again (new sources, a new version) builds them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from uvmono.names import requirement_name

ARG = "VCS_VERSION"
SETUPTOOLS_SCM = "SETUPTOOLS_SCM_PRETEND_VERSION"  # setuptools-scm, and hatch-vcs through it
UV_DYNAMIC = "UV_DYNAMIC_VERSIONING_BYPASS"
PDM_SCM = "PDM_BUILD_SCM_VERSION"
POETRY_DYNAMIC = "POETRY_DYNAMIC_VERSIONING_BYPASS"


def versioned(
    pyprojects: Mapping[str, Mapping[str, Any] | None],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the variables, the package names), each sorted, of the local packages (name -> its
    pyproject.toml, `docker_build_env.read_local`) that take their version from git; two
    empty tuples when none does."""
    variables: set[str] = set()
    names: set[str] = set()
    for name, doc in pyprojects.items():
        variable = _variable(doc) if doc is not None else None
        if variable:
            variables.add(variable)
            names.add(name)
    return tuple(sorted(variables)), tuple(sorted(names))


def _variable(doc: Mapping[str, Any]) -> str | None:
    project = _table(doc, "project")
    dynamic = project.get("dynamic")
    if not isinstance(dynamic, list) or "version" not in dynamic:
        return None
    system = _table(doc, "build-system")
    backend = system.get("build-backend")
    requires = system.get("requires")
    names = {requirement_name(r) for r in requires if isinstance(r, str)} if isinstance(
        requires, list
    ) else set()
    tool = _table(doc, "tool")
    if backend == "hatchling.build":
        source = _table(_table(tool, "hatch"), "version").get("source")
        return {"vcs": SETUPTOOLS_SCM, "uv-dynamic-versioning": UV_DYNAMIC}.get(str(source))
    if backend == "pdm.backend":
        source = _table(_table(tool, "pdm"), "version").get("source")
        return PDM_SCM if source == "scm" else None
    if "poetry-dynamic-versioning" in names:
        return POETRY_DYNAMIC
    if "setuptools-scm" in names or "setuptools_scm" in tool:
        return SETUPTOOLS_SCM
    return None


def _table(node: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = node.get(key)
    return value if isinstance(value, Mapping) else {}


def exports(variables: Iterable[str]) -> list[str]:
    """Shell commands, for a `&&` chain, that set each variable to the version (see the
    module's docstring)."""
    names = list(variables)
    if not names:
        return []
    return [
        f'version="${{{ARG}:-}}"',
        'if [ -z "$version" ] && [ -n "${REVISION:-}" ]; then '
        "version=\"0.0.0+g$(printf '%.12s' \"$REVISION\")\"; fi",
        "export " + " ".join(f'{n}="${{version:-0.0.0+unknown}}"' for n in names),
    ]


def arguments(variables: Iterable[str]) -> list[str]:
    """The ARG lines the stage declares before the RUN that reads them (none without any)."""
    return [f'ARG {ARG}=""', 'ARG REVISION=""'] if list(variables) else []
