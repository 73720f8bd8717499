"""`uvmono run`: given this workspace and this task, these members run, in this order, in their
own environments, and end like this.

Every test runs the real `uvmono run` on a real uv workspace (locked by real uv, synced by real
uv, offline) with real commands: one that fails, one that sleeps, one that prints a lot. The
Ctrl-C tests send SIGINT to the uvmono process and then look in /proc for any process left.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.gitutil import GitRepo
from tests.procutil import group_exists, group_of, needs_proc, processes_with
from tests.wsutil import project, uv, uv_binary, uvmono, virtual_root, write_tree
from uvmono import test_environment
from uvmono import workspace as uvmono_workspace

pytestmark = pytest.mark.skipif(uv_binary() is None, reason="uv is not installed")
slow = pytest.mark.slow

MEMBERS = {
    "libs/core/pyproject.toml": project("acme-core"),
    "libs/storage/pyproject.toml": project("acme-storage", ["acme-core"], sources=["acme-core"]),
    "services/api/pyproject.toml": project("acme-api", ["acme-storage"], sources=["acme-storage"]),
    "services/worker/pyproject.toml": project("acme-worker", ["acme-core"], sources=["acme-core"]),
}
ALL = ["acme-core", "acme-storage", "acme-api", "acme-worker"]

# Prints where it runs: the member directory and the environment's prefix.
WHERE = (
    "python -c 'import os, sys; print(\"cwd\", os.getcwd()); print(\"prefix\", sys.prefix)'"
    '; echo "member $UVMONO_MEMBER"'
)


def workspace(
    tmp_path: Path, tasks: str = "", members: Mapping[str, str] | None = None, lock: bool = True
) -> Path:
    root = tmp_path / "ws"
    text = virtual_root(["libs/*", "services/*"])
    if tasks:
        text += f"\n[tool.uvmono.tasks]\n{tasks}"
    write_tree(root, {"pyproject.toml": text, **MEMBERS, **(members or {})})
    if lock:
        locked = uv("lock", "--offline", cwd=root)
        assert locked.returncode == 0, locked.stderr
    return root


def environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "CI"}}
    uv_dir = str(Path(uv_binary() or "uv").parent)
    env.update(
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        UV_OFFLINE="1",
        UV_PYTHON_DOWNLOADS="never",
        PATH=f"{uv_dir}{os.pathsep}{env.get('PATH', '')}",
        **extra,
    )
    return env


def run(root: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uvmono", "--root", str(root), "run", *args],
        cwd=root,
        env=environ(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def results(stdout: str) -> dict[str, tuple[str, str]]:
    """The summary table: member -> (result, detail)."""
    table = stdout[stdout.rindex("\nMEMBER ") + 1 :].splitlines()[1:-1]
    out = {}
    for row in table:
        name, rest = row.split(None, 1)
        result = "not run" if rest.startswith("not run") else rest.split()[0]
        detail = rest.split(None, 3 if result == "not run" else 2)[-1]
        out[name] = (result, detail)
    return out


def lines_of(stdout: str, member: str) -> list[str]:
    prefix = f"[{member}] "
    return [line[len(prefix) :] for line in stdout.splitlines() if line.startswith(prefix)]


def wait_for(condition: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


# ------------------------------------------------------------------------------ commands


@slow
def test_a_command_runs_in_each_member_directory_in_its_own_environment(tmp_path: Path) -> None:
    root = workspace(tmp_path)

    proc = run(root, tmp_path, "-j", "2", "--", "bash", "-c", WHERE)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    envs = tmp_path / "cache" / "uvmono" / "environments"
    prefixes = set()
    for name, path in [("acme-core", "libs/core"), ("acme-api", "services/api")]:
        out = lines_of(proc.stdout, name)
        assert f"cwd {root / path}" in out and f"member {name}" in out
        prefix = next(line.removeprefix("prefix ") for line in out if line.startswith("prefix"))
        assert Path(prefix).parent.parent == envs and Path(prefix).name == name
        prefixes.add(prefix)
        assert out[-1].startswith("passed in ")
    assert len(prefixes) == 2
    assert results(proc.stdout) == dict.fromkeys(ALL, ("passed", "-"))
    # Each environment holds the member and what it needs, nothing else.
    api, core = envs.glob("ws-*/acme-api"), envs.glob("ws-*/acme-core")
    check = "import acme_api, acme_storage, acme_core"
    assert subprocess.run([next(api) / "bin" / "python", "-c", check]).returncode == 0
    alone = subprocess.run([next(core) / "bin" / "python", "-c", "import acme_storage"])
    assert alone.returncode != 0
    assert not (root / ".venv").exists()


@slow
def test_the_named_members_only_and_the_exit_code_of_a_failure(tmp_path: Path) -> None:
    root = workspace(tmp_path)

    proc = run(
        root, tmp_path, "acme-core", "acme-worker", "--keep-going", "--",
        "bash", "-c", 'echo "in $PWD"; [ "${PWD##*/}" != worker ]',
    )  # fmt: skip

    assert proc.returncode == 1
    assert results(proc.stdout) == {
        "acme-core": ("passed", "-"),
        "acme-worker": ("failed", "bash: exit code 1"),
    }
    assert f"in {root / 'services/worker'}" in lines_of(proc.stdout, "acme-worker")


# ----------------------------------------------------------------------------------- tasks

# Appends `start DIR` and, a moment later, `end DIR` to the log file it is given.
LOGGER = """\
import os, pathlib, sys, time
name = os.path.basename(os.getcwd())
with pathlib.Path(sys.argv[1]).open("a") as log:
    log.write(f"start {name}\\n")
    log.flush()
    time.sleep(0.3)
    log.write(f"end {name}\\n")
"""


@slow
def test_a_dependent_task_runs_dependencies_first_and_skips_after_a_failure(
    tmp_path: Path,
) -> None:
    storage = project(
        "acme-storage",
        ["acme-core"],
        sources=["acme-core"],
        tail='[tool.uvmono.tasks]\nbuild = "echo storage cannot build; exit 4"\n',
    )
    logger, log = tmp_path / "logger.py", tmp_path / "log"
    logger.write_text(LOGGER)
    task = f'build = {{ run = "python {logger} {log}", dependent = true }}\n'
    root = workspace(tmp_path, task, {"libs/storage/pyproject.toml": storage})

    proc = run(root, tmp_path, "build", "-j", "4", "--keep-going")

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert results(proc.stdout) == {
        "acme-core": ("passed", "-"),
        "acme-storage": ("failed", "build: exit code 4"),
        "acme-worker": ("passed", "-"),
        "acme-api": ("skipped", "needs acme-storage failed"),
    }
    events = log.read_text().splitlines()
    assert events.index("end core") < events.index("start worker")
    assert "storage cannot build" in lines_of(proc.stdout, "acme-storage")
    assert lines_of(proc.stdout, "acme-api") == ["skipped (needs acme-storage failed)"]
    assert not any("api" in e for e in events)


@slow
def test_a_failure_without_keep_going_stops_the_running_members(tmp_path: Path) -> None:
    token = f"61.{os.getpid()}"
    root = workspace(tmp_path, f'check = "sleep {token}"\n')
    core = project("acme-core", tail='[tool.uvmono.tasks]\ncheck = "sleep 1; exit 7"\n')
    write_tree(root, {"libs/core/pyproject.toml": core})

    started = time.monotonic()
    proc = run(root, tmp_path, "check", "-j", "4")

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert time.monotonic() - started < 55
    found = results(proc.stdout)
    assert found["acme-core"] == ("failed", "check: exit code 7")
    assert {r for n, (r, _) in found.items() if n != "acme-core"} <= {"stopped", "not run"}
    assert any(r == "stopped" for r, _ in found.values())
    assert all("acme-core failed" in d for n, (_, d) in found.items() if n != "acme-core")
    assert processes_with(token) == []


@slow
def test_a_member_whose_environment_cannot_be_synced_fails_with_uvs_message(
    tmp_path: Path,
) -> None:
    root = workspace(tmp_path, 'check = "echo checked"\n')
    (root / "libs/storage/src/acme_storage/__init__.py").unlink()  # uv_build needs the module

    proc = run(root, tmp_path, "check", "--keep-going", "-j", "2")

    assert proc.returncode == 1
    found = results(proc.stdout)
    assert found["acme-storage"] == ("failed", "uv sync: exit code 2")
    assert found["acme-core"] == found["acme-worker"] == ("passed", "-")
    out = "\n".join(lines_of(proc.stdout, "acme-storage"))
    assert "acme_storage/__init__.py" in out and "error" in out.lower()
    # An independent task: api needs storage's environment, so its own sync fails too.
    assert found["acme-api"][0] == "failed"


@slow
def test_parallel_output_never_interleaves_within_a_line(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    script = (
        "import os, sys\n"
        "name = os.path.basename(os.getcwd())\n"
        "for i in range(20000):\n"
        "    sys.stdout.write(f'{name}-{i} ' + 'x' * (i % 300) + '\\n')\n"
        "    if i % 7 == 0: sys.stdout.flush()\n"
        "sys.stdout.write(f'{name}-end-without-newline')\n"
    )

    proc = run(root, tmp_path, "-j", "4", "--stream", "--", "python", "-c", script)

    assert proc.returncode == 0, proc.stderr
    for name, directory in [("acme-core", "core"), ("acme-worker", "worker")]:
        printed = [line for line in lines_of(proc.stdout, name) if not line.startswith("$ ")]
        expected = [f"{directory}-{i} " + "x" * (i % 300) for i in range(20000)]
        assert printed[:-2] == expected
        assert printed[-2] == f"{directory}-end-without-newline"
    pattern = re.compile(r"\[(acme-[a-z]+)\] (?:\$ .*|(core|storage|api|worker)-.*|passed in .*)")
    for line in proc.stdout.split("\n\nMEMBER")[0].splitlines():
        match = pattern.fullmatch(line)
        assert match, line
        if match[2]:
            assert match[1] == f"acme-{match[2]}"


# ---------------------------------------------------------------------------------- Ctrl-C


def start(root: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "uvmono", "--root", str(root), "run", *args],
        cwd=root,
        env=environ(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


SLEEPER = (
    "import os, pathlib, signal, sys, time\n"
    "if sys.argv[1] == 'stubborn': signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "pathlib.Path(os.environ['MARKS'], os.path.basename(os.getcwd())).touch()\n"
    "time.sleep(120)\n"
)


@slow
@needs_proc
@pytest.mark.parametrize("mode", ["polite", "stubborn"])
def test_ctrl_c_stops_every_process_group_and_exits_130(tmp_path: Path, mode: str) -> None:
    """SIGTERM ends a polite command; one that ignores it is killed after a second Ctrl-C."""
    token = f"uvmono-sleeper-{os.getpid()}-{mode}"
    root = workspace(tmp_path)
    marks = tmp_path / "marks"
    marks.mkdir()
    command = ("python", "-c", SLEEPER, mode, token)
    proc = start(root, tmp_path, "-j", "2", "acme-core", "acme-worker", "acme-api", "--",
                 *command, MARKS=str(marks))  # fmt: skip
    try:
        wait_for(lambda: len(list(marks.iterdir())) == 2)
        children = [pid for pid in processes_with(token) if pid != proc.pid]
        groups = {group_of(pid) for pid in children}
        assert len(groups - {None}) == 2  # one process group per running member
        assert os.getpgid(proc.pid) not in groups

        proc.send_signal(signal.SIGINT)
        if mode == "stubborn":
            time.sleep(1)
            assert proc.poll() is None  # still in the grace period
            proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 130, out
    interrupted = next(line for line in out.splitlines() if "interrupted (Ctrl-C)" in line)
    running = sorted(n for n in ALL if n in interrupted)
    assert len(running) == 2
    found = results(out)
    assert [found[n][0] for n in running] == ["stopped", "stopped"]
    assert [r for n, (r, _) in found.items() if n not in running] == ["not run"]
    assert processes_with(token) == []
    assert not any(group_exists(g) for g in groups if g is not None)


# ------------------------------------------------------------------------------- terminal


@slow
def test_on_a_terminal_a_status_line_per_running_member_then_its_output(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    root = workspace(tmp_path)
    env = environ(tmp_path, TERM="xterm", COLUMNS="100")
    argv = [sys.executable, "-m", "uvmono", "--root", str(root), "run", "-j", "2",
            "acme-core", "acme-worker", "--", "bash", "-c", "sleep 1; echo done here"]  # fmt: skip

    pid, fd = pty.fork()
    if pid == 0:  # the child: uvmono on the pty
        os.chdir(root)
        os.execve(argv[0], argv, env)
    screen = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        screen += data
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    text = screen.decode()

    assert os.waitstatus_to_exitcode(status) == 0, text
    assert re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] acme-core  bash  \d+\.\ds", text)
    assert re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] acme-worker  bash  \d+\.\ds", text)
    assert "\x1b[2F\x1b[J" in text  # the status block is redrawn in place
    block = re.split(r"── acme-core: passed in \d+\.\ds\r\n", text)[1].split("── ")[0]
    assert "done here" in block and "$ uv sync --frozen" in block
    assert "[acme-core]" not in text
    assert re.search(r"\r\n2 passed in \d+\.\ds\r\n$", text)


# ------------------------------------------------------------------------ plan, selection


def test_dry_run_prints_order_environments_and_commands_and_runs_nothing(
    tmp_path: Path,
) -> None:
    root = workspace(
        tmp_path, 'build = { run = "uv build", dependent = true }\n', lock=False
    )

    proc = run(root, tmp_path, "build", "--dry-run", "-j", "3")

    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("task `build` in 4 member(s), in dependency order, up to 3 at a time\n")
    order = re.findall(r"^\d+\. (\S+) \((\S+)\)$", out, re.M)
    assert order == [
        ("acme-core", "libs/core"),
        ("acme-storage", "libs/storage"),
        ("acme-api", "services/api"),
        ("acme-worker", "services/worker"),
    ]
    assert re.findall(r"after: +(.*)", out) == ["-", "acme-core", "acme-storage", "acme-core"]
    assert (
        "(in services/api) uv run --frozen --no-sync --package acme-api -- bash -c 'uv build'"
        in out
    )
    # The same environment the generated CI test job installs.
    ws = uvmono_workspace.load(root)
    env = test_environment.environments(ws, ws.members["acme-api"], uvmono_workspace.lock_of(ws))[0]
    assert f"(in .) uv sync --frozen --quiet {' '.join(env.sync_args())}\n" in out
    assert "--all-extras" not in out
    envs = re.findall(r"environment: (.*)", out)
    assert [Path(e).name for e in envs] == [n for n, _ in order]
    assert all(Path(e).parent.parent == tmp_path / "cache/uvmono/environments" for e in envs)
    assert not (tmp_path / "cache").exists()


def test_test_defaults_to_each_members_test_command(tmp_path: Path) -> None:
    worker = project(
        "acme-worker", ["acme-core"], sources=["acme-core"],
        tail='[tool.uvmono]\ntest-command = "pytest -x tests"\n',
    )  # fmt: skip
    root = workspace(tmp_path, members={"services/worker/pyproject.toml": worker}, lock=False)

    proc = run(root, tmp_path, "test", "acme-core", "acme-worker", "--dry-run")

    assert proc.returncode == 0, proc.stderr
    commands = re.findall(r"--package (\S+) -- bash -c (.*)", proc.stdout)
    assert commands == [("acme-core", "pytest"), ("acme-worker", "'pytest -x tests'")]
    assert "in any order" in proc.stdout


def test_a_member_overrides_or_drops_a_task(tmp_path: Path) -> None:
    core = project("acme-core", tail='[tool.uvmono.tasks]\nlint = { run = "ruff check src" }\n')
    api = project(
        "acme-api", ["acme-storage"], sources=["acme-storage"],
        tail="[tool.uvmono.tasks]\nlint = false\n",
    )  # fmt: skip
    root = workspace(
        tmp_path,
        'lint = "ruff check ."\n',
        {"libs/core/pyproject.toml": core, "services/api/pyproject.toml": api},
        lock=False,
    )

    proc = run(root, tmp_path, "lint", "--dry-run")

    assert proc.returncode == 0, proc.stderr
    commands = dict(re.findall(r"--package (\S+) -- bash -c (.*)", proc.stdout))
    assert commands == {
        "acme-core": "'ruff check src'",
        "acme-storage": "'ruff check .'",
        "acme-worker": "'ruff check .'",
    }
    assert "no task `lint` in acme-api" in proc.stderr


def test_since_selects_the_affected_members(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    write_tree(repo.path, {"pyproject.toml": virtual_root(["libs/*", "services/*"]), **MEMBERS})
    repo.commit("initial")
    repo.checkout("feature", new=True)
    repo.commit("storage", ("libs/storage/src/acme_storage/db.py", "X = 1\n"))

    proc = run(repo.path, tmp_path, "--since", "main", "--dry-run", "--", "pytest")
    named = run(repo.path, tmp_path, "acme-core", "acme-api", "--since", "main", "--dry-run",
                "--", "pytest")  # fmt: skip

    assert proc.returncode == 0, proc.stderr
    assert re.findall(r"^\d+\. (\S+)", proc.stdout, re.M) == ["acme-storage", "acme-api"]
    assert "uvmono: comparing" in proc.stderr
    assert re.findall(r"^\d+\. (\S+)", named.stdout, re.M) == ["acme-api"]


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ('build = { run = "make", dependnt = true }\n', "`tool.uvmono.tasks` in "),
        ('build = ""\n', "`tool.uvmono.tasks` in "),
        ("build = false\n", "`tool.uvmono.tasks` in "),
        ('"-x" = "make"\n', "`tool.uvmono.tasks` in "),
    ],
)
def test_a_bad_tasks_table_is_an_error_naming_the_file(
    tmp_path: Path, tasks: str, message: str
) -> None:
    root = workspace(tmp_path, tasks, lock=False)

    proc = run(root, tmp_path, "build", "--dry-run")

    assert proc.returncode == 2
    assert message in proc.stderr and str(root / "pyproject.toml") in proc.stderr
    assert "hint: tool.uvmono.tasks: tasks for `uvmono run NAME`" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dependent_is_set_by_the_root_not_by_a_member(tmp_path: Path) -> None:
    core = project(
        "acme-core", tail='[tool.uvmono.tasks]\nbuild = { run = "make", dependent = true }\n'
    )
    root = workspace(tmp_path, members={"libs/core/pyproject.toml": core}, lock=False)

    proc = run(root, tmp_path, "build", "--dry-run")

    assert proc.returncode == 2
    assert f"`tool.uvmono.tasks` in {root / 'libs/core/pyproject.toml'}" in proc.stderr
    assert "or false" in proc.stderr


def test_an_unknown_task_or_nothing_to_run_is_an_error_with_a_hint(tmp_path: Path) -> None:
    root = workspace(tmp_path, 'lint = "ruff check ."\n', lock=False)

    unknown = run(root, tmp_path, "fmt")
    nothing = run(root, tmp_path)
    empty = run(root, tmp_path, "--")
    member = run(root, tmp_path, "no-such-member", "--", "true")
    unlocked = run(root, tmp_path, "--", "true")

    assert unknown.returncode == 2
    assert "error: no task `fmt` in [tool.uvmono.tasks]" in unknown.stderr
    assert "hint: tasks: lint, test; to run a command, put it after `--`" in unknown.stderr
    assert nothing.returncode == 2 and "hint: `uvmono run test`" in nothing.stderr
    assert empty.returncode == 2 and "no command after `--`" in empty.stderr
    assert member.returncode == 2 and "`no-such-member` is not a member" in member.stderr
    assert unlocked.returncode == 2 and f"error: no uv.lock in {root}" in unlocked.stderr
    assert "hint: run `uv lock`" in unlocked.stderr and not unlocked.stdout


def test_uvmono_run_help_is_listed(tmp_path: Path) -> None:
    proc = uvmono("run", "--help", cwd=tmp_path, check=True)

    assert "[TASK] [PACKAGE]... [-- CMD [ARGS]...]" in proc.stdout
    assert "--keep-going" in proc.stdout and "--stream" in proc.stdout


def test_members_are_chosen_with_the_filter_language_of_every_command(tmp_path: Path) -> None:
    root = workspace(tmp_path)

    def planned(*filters: str) -> list[str]:
        proc = run(root, tmp_path, "--dry-run", *filters, "--", "true")
        assert proc.returncode == 0, proc.stderr
        return re.findall(r"^\d+\. (\S+) ", proc.stdout, re.MULTILINE)

    assert sorted(planned("...acme-storage")) == ["acme-api", "acme-storage"]
    assert sorted(planned("acme-*", "!acme-core")) == ["acme-api", "acme-storage", "acme-worker"]
    assert sorted(planned("./services/*")) == ["acme-api", "acme-worker"]
    typo = run(root, tmp_path, "--dry-run", "acme-stroage", "--", "true")
    assert typo.returncode == 2
    assert "acme-storage" in typo.stderr and "hint:" in typo.stderr
