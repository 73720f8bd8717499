"""What `affected` says about each member: a `Reason` (a file, a dependency chain, the lock,
a global file), and the `Affected` result that holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A chain names its first CHAIN_SHOWN members (the affected one first); a longer chain says its
# full `length`, and `via` and `changed` name its second and its last member.
CHAIN_SHOWN = 10
TEXT_SHOWN = 4  # `--explain` and tables: the names after the affected member, before "..."


@dataclass(frozen=True)
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
            shown = list(d["chain"][1:])
            length = d.get("length", len(shown) + 1)
            if length > TEXT_SHOWN + 2:  # a long chain: its first names, how many more, its end
                more = length - TEXT_SHOWN - 2
                shown = [*shown[:TEXT_SHOWN], f"... ({more} more)", d["changed"]]
            return f"depends on {' -> '.join(shown)}, which changed"
        if self.kind == "lock":
            if "why" in d:
                return f"uv.lock: {d['why']}"
            changes = [_describe_package(p) for p in d["packages"]]
            more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
            return f"uv.lock changed in its environment: {', '.join(changes[:5])}{more}"
        if "why" in d:
            return str(d["why"])
        return f"global file changed: {', '.join(d['files'])}"


def _describe_package(p: Mapping[str, Any]) -> str:
    old = ", ".join(p["old"]) or "absent"
    new = ", ".join(p["new"]) or "removed"
    return f"{p['name']} {old} -> {new}"


@dataclass(frozen=True)
class Affected:
    workspace_root: str
    base: str | None
    head: str | None
    base_source: str
    changed_files: tuple[str, ...]  # relative to the workspace root (outside it: ../…)
    directly_changed: tuple[str, ...]
    affected: tuple[str, ...]
    reasons: Mapping[str, tuple[Reason, ...]]
    warnings: tuple[str, ...] = ()

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


def dependency(chain: list[str], length: int | None = None, changed: str | None = None) -> Reason:
    """`chain` runs from the affected member towards the changed one; `via` is its first step."""
    full = len(chain) if length is None else length
    data: dict[str, Any] = {
        "via": chain[1],
        "changed": chain[-1] if changed is None else changed,
        "chain": chain[:CHAIN_SHOWN],
    }
    if full > CHAIN_SHOWN:
        data["length"] = full
    return Reason("dependency", data)
