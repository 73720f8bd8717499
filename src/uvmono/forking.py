"""Whether this process may fork a helper: the workspace reader's (member_files.py) and
`affected`'s git (early.py).

Forking a process that runs other threads is unsafe (a lock one of them holds stays held in
the child, and Python 3.12 warns of it), and on one CPU a helper only takes turns with this
process; so only on Linux, with two CPUs or more, and while this process has one thread.
"""

from __future__ import annotations

import os
import sys


def can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        if len(os.sched_getaffinity(0)) < 2:
            return False
        # Without the threading module imported, no thread was started from Python (and it
        # is not imported for this: about 1 ms of start-up); /proc counts all threads.
        threading = sys.modules.get("threading")
        if threading is not None and threading.active_count() != 1:
            return False
        if len(os.listdir("/proc/self/task")) != 1:
            return False
    except OSError:
        return False
    return True
