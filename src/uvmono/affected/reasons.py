"""What `affected` says about each member: a `Reason` (a file, a dependency chain, the lock,
a global file), and the `Affected` result that holds them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from uvmono.records import field, record

# A chain names its first CHAIN_SHOWN members (the affected one first); a longer chain says its
# full `length`, and `via` and `changed` name its second and its last member.
CHAIN_SHOWN = 10
TEXT_SHOWN = 4  # `--explain` and tables: the names after the affected member, before "..."


@record
class Reason:
    kind: str  # file | dependency | lock | global
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.data}

    def describe(self) -> str:
        d = self.data
        if self.kind == "file":
            files = list(d["files"])
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            what = "test files" if d.get("tests") else "files"
            return f"{what} changed: {', '.join(files[:3])}{more}"
        if self.kind == "dependency":
            return _describe_chain(d)
        if self.kind == "lock":
            if "why" in d:
                return f"uv.lock: {d['why']}"
            changes = [_describe_package(p) for p in d["packages"]]
            more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
            return f"uv.lock changed in its environment: {', '.join(changes[:5])}{more}"
        if "why" in d:
            return str(d["why"])
        return f"global file changed: {', '.join(d['files'])}"


def _describe_chain(d: Mapping[str, Any]) -> str:
    """`depends on a -> b[extra] -> c, which changed`: each name with the extra or group of it
    that brought the next one; the affected member's own extra or group leads the line."""
    chain = list(d["chain"])
    notes: dict[int, Mapping[str, Any]] = {}
    links = iter(d.get("links", ()))
    link = next(links, None)
    for i in range(len(chain) - 1):
        if link is not None and (link["from"], link["to"]) == (chain[i], chain[i + 1]):
            notes[i] = link
            link = next(links, None)
    shown = [_with_note(name, notes.get(i)) for i, name in enumerate(chain) if i > 0]
    length = d.get("length", len(chain))
    if length > TEXT_SHOWN + 2:  # a long chain: its first names, how many more, its end
        more = length - TEXT_SHOWN - 2
        shown = [*shown[:TEXT_SHOWN], f"... ({more} more)", d["changed"]]
    lead = _lead(notes.get(0))
    return f"{lead}depends on {' -> '.join(shown)}, which changed"


def _with_note(name: str, note: Mapping[str, Any] | None) -> str:
    if note is None:
        return name
    if "extra" in note:
        return f"{name}[{note['extra']}]"
    return f"{name} (its {'root ' if note.get('root') else ''}group {note['group']})"


def _lead(note: Mapping[str, Any] | None) -> str:
    """The affected member's own first step: its extra, its group, or a root group it gets."""
    if note is None:
        return ""
    if "extra" in note:
        return f"its extra {note['extra']} "
    return f"{'the root group' if note.get('root') else 'its group'} {note['group']} "


def _describe_package(p: Mapping[str, Any]) -> str:
    old = ", ".join(p["old"]) or "absent"
    new = ", ".join(p["new"]) or "removed"
    return f"{p['name']} {old} -> {new}"


@record
class NoEffect:
    """A changed file that affected no member, and why: `ignored` (by `pattern`, the root's or
    `member`'s), `virtual-root` (in no member, and the root is virtual), `outside` (outside
    the workspace, in no path dependency), `deleted-member` (in `member`, a member at the base
    only), `lock` (uv.lock, but no member's locked packages changed)."""

    file: str
    kind: str
    pattern: str | None = None
    member: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "kind": self.kind}
        if self.pattern is not None:
            out["pattern"] = self.pattern
        if self.member is not None:
            out["member"] = self.member
        return out


def describe_no_effect(
    items: Sequence[NoEffect], deleted: Mapping[str, str], shown: int = 3
) -> list[str]:
    """One line per kind of reason (the files: `shown` of them and how many more)."""
    groups: dict[tuple[str, str | None, str | None], list[str]] = {}
    for item in items:
        groups.setdefault((item.kind, item.member, item.pattern), []).append(item.file)
    out = []
    for (kind, member, pattern), files in groups.items():
        more = f" and {len(files) - shown} more" if len(files) > shown else ""
        listed = f"{', '.join(files[:shown])}{more}"
        if kind == "ignored":
            whose = f"{member}'s" if member is not None else "the root's"
            out.append(f"ignored by {whose} `ignore` pattern {pattern!r}: {listed}")
        elif kind == "virtual-root":
            out.append(f"in no member (the virtual root's own files): {listed}")
        elif kind == "outside":
            out.append(f"outside the workspace and every path dependency: {listed}")
        elif kind == "deleted-member":
            where = deleted.get(member or "", "?")
            out.append(f"in {member} ({where}), which is no longer a member: {listed}")
        else:
            out.append(
                f"{listed}: no member's locked packages changed (only upload times, "
                "revisions or options)"
            )
    return out


@record
class Affected:
    workspace_root: str
    base: str | None
    head: str | None
    base_source: str
    changed_files: tuple[str, ...]  # relative to the workspace root (outside it: ../…)
    directly_changed: tuple[str, ...]
    affected: tuple[str, ...]
    reasons: Mapping[str, tuple[Reason, ...]]
    no_effect: tuple[NoEffect, ...] = ()  # changed files that affected no member, and why
    deleted_members: Mapping[str, str] = field(default_factory=dict)  # name -> path at the base

    def as_json(self) -> dict[str, Any]:
        return {
            "workspace_root": self.workspace_root,
            "base": self.base,
            "head": self.head,
            "base_source": self.base_source,
            "changed_files": list(self.changed_files),
            "directly_changed": list(self.directly_changed),
            "affected": list(self.affected),
            "reasons": {m: [r.as_json() for r in rs] for m, rs in self.reasons.items()},
            "no_effect": [item.as_json() for item in self.no_effect],
            "deleted_members": [
                {"name": name, "path": path} for name, path in sorted(self.deleted_members.items())
            ],
        }

    def reason_lines(self) -> dict[str, list[str]]:
        return {m: [r.describe() for r in rs] for m, rs in self.reasons.items()}

    def nearest(self, limit: int) -> tuple[list[str], int]:
        """At most `limit` affected members, those nearest a change first (changed ones, then
        one step away, …): each shown member's chain to its change is shown too. Also returns
        how many are left out."""

        def distance(name: str) -> int:
            steps = [
                len(r.data["chain"]) - 1 if r.kind == "dependency" else 0
                for r in self.reasons[name]
            ]
            return min(steps, default=0)

        ranked = sorted(self.affected, key=lambda name: (distance(name), name))
        return sorted(ranked[:limit]), max(len(ranked) - limit, 0)


def dependency(
    chain: list[str],
    length: int | None = None,
    changed: str | None = None,
    links: Sequence[Mapping[str, Any]] = (),
) -> Reason:
    """`chain` runs from the affected member towards the changed one; `via` is its first step.
    `links`: those of its steps an extra or a dependency group of their `from` brought."""
    full = len(chain) if length is None else length
    data: dict[str, Any] = {
        "via": chain[1],
        "changed": chain[-1] if changed is None else changed,
        "chain": chain[:CHAIN_SHOWN],
    }
    if full > CHAIN_SHOWN:
        data["length"] = full
    if links:
        data["links"] = [dict(link) for link in links]
    return Reason("dependency", data)
