"""Member filters, in the spirit of pnpm's and Turborepo's `--filter`: which members a command
handles.

    acme-api          a member, by name (PEP 503: `Acme_API` is `acme-api`)
    'acme-*'          a name glob: `*` and `?`
    './services/*'    a path glob (it starts with `.`), relative to the current directory:
                      `*` stays in one directory, `**` crosses them; `.` is the member here
    acme-api...       the member and what uv installs with it (its environment)
    ...acme-core      the member and every member whose environment holds it (its dependents)
    acme-api^...      only its dependencies; `...^acme-core` only its dependents
    '[main]'          the members a change since `main` affects: exactly `uvmono affected
                      --since main` (`[auto]` finds the base as `--since auto` does)
    'acme-*[main]'    the members of `acme-*` that the change affects
    '!acme-docs'      leave these out

Several filters select the union of what they select, minus what the `!` filters select;
exclusions alone leave out of every member. Dependencies and dependents follow the same
model as `affected`: the environment, or every declared edge where `affected = "graph"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uvmono.errors import UvmonoError
from uvmono.globs import InvalidGlob, glob_regex
from uvmono.names import normalize
from uvmono.records import record, replace
from uvmono.workspace import Workspace

if TYPE_CHECKING:
    from uvmono.affected import Affected

_GRAMMAR_HINT = (
    "a filter is NAME, a glob ('acme-*'), a path ('./services/*'), NAME... (with its "
    "dependencies), ...NAME (with its dependents), '[REF]' (affected since REF), and "
    "'!' in front to leave out (see README: Selecting members)"
)


@record
class Filter:
    """One parsed filter; `pattern` is None when it selects by `ref` alone."""

    text: str
    exclude: bool = False
    pattern: str | None = None
    is_path: bool = False
    ref: str | None = None
    dependencies: bool = False  # NAME...
    dependents: bool = False  # ...NAME
    without_self: bool = False  # the `^` of NAME^... / ...^NAME

    @property
    def is_plain_name(self) -> bool:
        """A single member named exactly: no glob, path, ref or closure."""
        return (
            self.pattern is not None
            and not self.is_path
            and not _has_magic(self.pattern)
            and self.ref is None
            and not (self.dependencies or self.dependents)
        )


def parse(text: str) -> Filter:
    rest = text.strip()
    exclude = rest.startswith("!")
    rest = rest.removeprefix("!")
    dependents = dependencies = without_self = False
    if rest.startswith("...") and not rest.startswith(".../"):
        dependents = True
        rest = rest[3:]
        if rest.startswith("^"):
            without_self, rest = True, rest[1:]
    if rest.endswith("...") and len(rest) > 3:
        dependencies = True
        rest = rest[:-3]
        if rest.endswith("^"):
            without_self, rest = True, rest[:-1]
    ref = None
    if rest.endswith("]") and "[" in rest:
        rest, _, ref = rest[:-1].rpartition("[")
        if not ref.strip():
            raise _bad(text, "`[]` names no git ref")
    if dependents and dependencies:
        raise _bad(text, "a filter takes `...` on one side only")
    if "[" in rest or "]" in rest:
        raise _bad(text, "`[` opens a git ref, which ends the filter: '[main]', 'acme-*[main]'")
    if not rest and ref is None:
        raise _bad(text, "it names no member")
    if not rest and (dependencies or dependents) and ref is None:
        raise _bad(text, "`...` needs a member on its other side")
    is_path = rest.startswith(".")
    return Filter(
        text=text,
        exclude=exclude,
        pattern=(rest if is_path else normalize_glob(rest)) or None,
        is_path=is_path,
        ref=ref,
        dependencies=dependencies,
        dependents=dependents,
        without_self=without_self,
    )


def normalize_glob(pattern: str) -> str:
    """PEP 503 normalisation of each literal run between the wildcards."""
    return "".join(p if p in "*?" else normalize(p) for p in re.split(r"([*?])", pattern))


def _has_magic(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


def _bad(text: str, why: str) -> UvmonoError:
    return UvmonoError(f"the filter {text!r} is not valid: {why}", hint=_GRAMMAR_HINT)


# ------------------------------------------------------------------------------ evaluation


@record
class Context:
    """What evaluating a filter may need besides the workspace: where relative paths start,
    and, for `[REF]`, the head (`--until`) and the CI variables (`ci_env.CiEnvironment`)."""

    cwd: Path
    environ: Mapping[str, str]
    until: str | None = None


def select(workspace: Workspace, filters: Sequence[str], context: Context) -> list[str] | None:
    """The members the filters select, sorted; None when there are no filters (the command's
    default applies)."""
    parsed = [parse(f) for f in filters]
    if not parsed:
        return None
    relations = _Relations(workspace)
    include: set[str] = set()
    exclude: set[str] = set()
    for f in parsed:
        (exclude if f.exclude else include).update(_evaluate(workspace, f, context, relations))
    if all(f.exclude for f in parsed):
        include = set(workspace.members)
    return sorted(include - exclude)


def explicit_names(filters: Sequence[str]) -> list[str]:
    """The members named exactly (no glob, path, ref or `...`) by the including filters."""
    return [
        f.pattern
        for f in map(parse, filters)
        if f.is_plain_name and not f.exclude and f.pattern is not None
    ]


def _evaluate(
    workspace: Workspace, f: Filter, context: Context, relations: _Relations
) -> set[str]:
    chosen = set(workspace.members) if f.pattern is None else _matching(workspace, f, context)
    if f.ref is not None:
        chosen &= set(_affected_since(workspace, f.ref, context))
    if not (f.dependencies or f.dependents):
        return chosen
    related = relations.dependencies if f.dependencies else relations.dependents
    out: set[str] = set()
    for name in chosen:
        out |= related(name)
    return out if f.without_self else out | chosen


def _matching(workspace: Workspace, f: Filter, context: Context) -> set[str]:
    assert f.pattern is not None
    if f.is_path:
        return _matching_paths(workspace, f, context.cwd)
    if not _has_magic(f.pattern):
        if f.pattern in workspace.members:
            return {f.pattern}
        raise UvmonoError(
            f"`{f.text}` is not a member of the workspace at {workspace.root}",
            hint=_close(f.pattern, workspace.members),
        )
    regex = re.compile(
        "".join(".*" if p == "*" else "." if p == "?" else re.escape(p)
                for p in re.split(r"([*?])", f.pattern))
    )
    found = {n for n in workspace.members if regex.fullmatch(n)}
    if not found:
        raise UvmonoError(
            f"the filter {f.text!r} matches no member of the workspace at {workspace.root}",
            hint=_close(f.pattern.replace("*", "").replace("?", ""), workspace.members),
        )
    return found


def _matching_paths(workspace: Workspace, f: Filter, cwd: Path) -> set[str]:
    """Member directories matching the path glob, taken relative to `cwd`."""
    assert f.pattern is not None
    here = os.path.relpath(cwd.resolve(), workspace.root)
    joined = os.path.normpath(f"{here}/{f.pattern}").replace(os.sep, "/")
    try:
        regex = glob_regex(joined.removesuffix("/"))
    except InvalidGlob as exc:
        raise _bad(f.text, exc.message) from None
    by_path = workspace.member_by_path()
    found = {name for path, name in by_path.items() if regex.fullmatch(path)}
    if not found:
        where = "the workspace root" if joined == "." else joined
        raise UvmonoError(
            f"the filter {f.text!r} matches no member directory ({where}, in the workspace at "
            f"{workspace.root})",
            hint=_close(joined, by_path, what="member directories"),
        )
    return found


def _close(word: str, known: Collection[str], what: str = "members") -> str:
    import difflib  # only for a word no member matches

    matches = difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)
    listing = "`uvmono members --format names` lists the members"
    if what != "members":
        listing = "`uvmono members --format paths` lists the member directories"
    if not matches:
        return listing
    options = matches[0] if len(matches) == 1 else f"{', '.join(matches[:-1])} or {matches[-1]}"
    return f"did you mean {options}? ({listing})"


def _affected_since(workspace: Workspace, ref: str, context: Context) -> tuple[str, ...]:
    from uvmono.affected import from_git

    return from_git(workspace, ref, context.until, environ=context.environ).affected


class _Relations:
    """Dependencies and dependents of each member, in the model `affected` uses."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._down: dict[str, set[str]] | None = None
        self._up: dict[str, set[str]] | None = None

    def dependencies(self, name: str) -> set[str]:
        return self._downward()[name] - {name}

    def dependents(self, name: str) -> set[str]:
        if self._up is None:
            self._up = {n: set() for n in self._workspace.members}
            for member, needs in self._downward().items():
                for other in needs:
                    self._up[other].add(member)
        return self._up[name] - {name}

    def _downward(self) -> dict[str, set[str]]:
        if self._down is None:
            self._down = _dependency_closures(self._workspace)
        return self._down


def _dependency_closures(workspace: Workspace) -> dict[str, set[str]]:
    if workspace.settings.affected == "graph":
        from uvmono import graph

        direct: dict[str, set[str]] = {n: set() for n in workspace.members}
        for edge in graph.edges(workspace):
            direct[edge.dependent].add(edge.dependency)
        return {n: _reach(n, direct) for n in workspace.members}
    from uvmono import environment

    env = environment.build(workspace, workspace.edge_lock)
    return {
        n: {p for p in env.environment(n) if isinstance(p, str) and p in workspace.members}
        for n in workspace.members
    }


def _reach(start: str, direct: Mapping[str, Iterable[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in direct.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


# ------------------------------------------------------------------------- applying a choice


def only(result: Affected, names: Collection[str]) -> Affected:
    """`result` with only the affected members in `names`."""
    keep = set(names)
    return replace(
        result,
        directly_changed=tuple(n for n in result.directly_changed if n in keep),
        affected=tuple(n for n in result.affected if n in keep),
        reasons={m: r for m, r in result.reasons.items() if m in keep},
    )
