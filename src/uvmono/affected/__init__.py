"""ChangeSet + workspace + uv.lock -> the affected members, each with the reasons that put it
there.

Member M is affected when its environment (see `environment.py`) holds a member whose files
changed, or when the locked packages in its environment differ between the base and the head
uv.lock. The lock is compared by package identity, so relocks that only rewrite upload times,
revisions or `[options]` affect nothing.

- `computation`: the entry points (`resolve`, `from_git`, `compute`) and which member each
  changed file belongs to;
- `chains`: the members a changed one reaches, each with one shortest chain;
- `lockdiff`: the members whose locked environment changed;
- `reasons`: the `Reason`s and the `Affected` result, and how they read in text.
"""

from uvmono.affected.computation import compute, from_git, resolve
from uvmono.affected.reasons import CHAIN_SHOWN, TEXT_SHOWN, Affected, Reason

__all__ = ["CHAIN_SHOWN", "TEXT_SHOWN", "Affected", "Reason", "compute", "from_git", "resolve"]
