"""The writer: the only code that writes into the user's repository.

Every generated file carries a header naming uvmono, the command that generates it,
and a checksum of its body. That tells three kinds of file apart:

- *generated*: header present, checksum matches the body; safe to regenerate or delete;
- *edited*: header present, checksum does not match; someone changed it by hand;
- *foreign*: no header; the user's own file.

Only generated files are overwritten or deleted without ``--force``.

Writes are all-or-nothing. `plan_writes` reads every target first, without following a
symlink at a generated path, and refuses (with `--force` too) a target whose real directory is
outside the repository or inside `.git/`. `apply` then writes every new file to a temporary file
beside its target (a fresh name, created exclusively, see `TEMP_PREFIX`) and flushes it to disk;
only when all are written does it rename them over their targets. A failure, SIGINT or SIGTERM
at any point before the last rename puts back every file already replaced and removes what it
created. Only SIGKILL can stop a run halfway: each target is then still old or new, never half
written, and the temporary files of that run are left for the user to delete (uvmono never
deletes a file it did not create in that same run).

The writer is a package by topic: `plan` decides (`plan_writes`, `check`), `header` tells the
three kinds of file apart, `reads` reads a generated path safely and `writes` carries a plan out
(`apply`, `lock`, `write_atomically`).
"""

from uvmono.files.plan import Artifact, Change, WritePlan, check, plan_writes, render
from uvmono.files.reads import GENERATED_LIMIT, read_generated
from uvmono.files.writes import NEW_FILE_MODE, TEMP_PREFIX, apply, lock, write_atomically

__all__ = [
    "GENERATED_LIMIT",
    "NEW_FILE_MODE",
    "TEMP_PREFIX",
    "Artifact",
    "Change",
    "WritePlan",
    "apply",
    "check",
    "lock",
    "plan_writes",
    "read_generated",
    "render",
    "write_atomically",
]
