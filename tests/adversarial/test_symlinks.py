"""Symlinks and special files a pull request can commit: uvmono never reads or writes through a
symlink at a path it generates, never writes outside the repository or into `.git`, reads its
inputs only from regular files of bounded size, and writes all of its files or none."""

from __future__ import annotations

import fcntl
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.adversarial.harness import clean_env, expect_error, fails, ok, run, unchanged
from tests.gitutil import GitRepo
from tests.wsutil import project, virtual_root, write_tree
from uvmono.files import TEMP_PREFIX

SECRET = "runner-secret-0123456789\n"
SOURCE = f"uvmono @ git+https://github.com/acme/uvmono@{'0' * 40}"
WORKFLOW = ".github/workflows/uvmono.yml"


def settings(*kinds: str) -> str:
    listed = ", ".join(f'"{kind}"' for kind in kinds)
    return f'[tool.uvmono]\ngenerate = [{listed}]\n[tool.uvmono.ci]\nuvmono-source = "{SOURCE}"\n'


def repo_with_services(tmp_path: Path, *kinds: str, count: int = 2) -> Path:
    """A git repository (at tmp_path/repo) whose workspace has `count` members with images."""
    root = GitRepo.init(tmp_path / "repo").path
    tree = {"pyproject.toml": virtual_root(["services/*"], tail=settings(*(kinds or ("docker",))))}
    for number in range(count):
        name = f"svc{number:03}"
        tree[f"services/{name}/pyproject.toml"] = project(name, scripts={name: f"{name}:main"})
    write_tree(root, tree)
    return root


def outside(tmp_path: Path) -> Path:
    """A directory outside the repository holding a file the runner would not want printed."""
    directory = tmp_path / "runner"
    directory.mkdir(exist_ok=True)
    (directory / "credentials").write_text(SECRET)
    return directory


# ------------------------------------------------------------- a symlink at a generated path


def test_check_does_not_print_what_a_symlink_at_a_generated_path_points_to(
    tmp_path: Path,
) -> None:
    root = repo_with_services(tmp_path, "docker", "bake")
    ok("generate", cwd=root)
    secret = outside(tmp_path) / "credentials"
    for path in ("docker-bake.json", "services/svc000/Dockerfile"):
        (root / path).unlink()
        (root / path).symlink_to(secret)
        result = run("check", cwd=root)
        error = expect_error(result, path, "symbolic link")
        assert SECRET.strip() not in result.stdout + result.stderr, error
        (root / path).unlink()
        ok("generate", cwd=root)


@pytest.mark.parametrize("force", [False, True])
def test_generate_refuses_a_symlink_at_a_generated_path_even_with_force(
    tmp_path: Path, force: bool
) -> None:
    root = repo_with_services(tmp_path)
    secret = outside(tmp_path) / "credentials"
    target = root / "services/svc001/Dockerfile"
    target.symlink_to(secret)
    args = ("generate", "--force") if force else ("generate",)
    fails(*args, cwd=root, fragments=("services/svc001/Dockerfile", "symbolic link"))
    assert secret.read_text() == SECRET
    assert target.is_symlink()


def test_a_symlink_at_a_location_no_longer_generated_is_left_alone(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path, "docker")
    secret = outside(tmp_path) / "credentials"
    (root / "docker-bake.json").symlink_to(secret)  # bake is not generated here: not a candidate
    with unchanged(root):
        result = run("check", cwd=root)
    assert SECRET.strip() not in result.stdout + result.stderr
    assert result.returncode == 1  # the Dockerfiles are missing; the symlink is not a diff


def test_a_fifo_at_a_generated_path_is_refused_without_blocking(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path)
    os.mkfifo(root / "services/svc000/Dockerfile")
    for args in (("check",), ("generate", "--force")):
        start = time.monotonic()
        with unchanged(root):
            result = run(*args, cwd=root, timeout=30)
        assert time.monotonic() - start < 20
        expect_error(result, "services/svc000/Dockerfile", "named pipe")


# ------------------------------------------------------- directory symlinks on the way there


@pytest.mark.parametrize("force", [False, True])
def test_a_github_directory_symlinked_outside_the_repository_is_refused(
    tmp_path: Path, force: bool
) -> None:
    root = repo_with_services(tmp_path, "docker", "github")
    runner = outside(tmp_path)
    (runner / "workflows").mkdir()
    (runner / "workflows/uvmono.yml").write_text(SECRET)
    (root / ".github").symlink_to(runner)
    args = ("generate", "--force") if force else ("generate",)
    error = fails(*args, cwd=root, fragments=(WORKFLOW, "the symlink .github", "outside"))
    assert str(runner) in error
    assert (runner / "workflows/uvmono.yml").read_text() == SECRET
    assert sorted(p.name for p in runner.iterdir()) == ["credentials", "workflows"]
    # Nothing else was written either: the pass is all or nothing.
    assert not (root / "services/svc000/Dockerfile").exists()


def test_a_dangling_directory_symlink_leading_outside_is_refused(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path, "github")
    (root / ".github").symlink_to(tmp_path / "not-yet")
    fails("generate", cwd=root, fragments=(WORKFLOW, "outside"))
    assert not (tmp_path / "not-yet").exists()


def test_a_member_directory_symlinked_outside_the_repository_is_refused(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path)
    elsewhere = tmp_path / "elsewhere/svc009"
    write_tree(elsewhere, {"pyproject.toml": project("svc009", scripts={"svc009": "x:main"})})
    (elsewhere / "Dockerfile").write_text(SECRET)
    (root / "services/svc009").symlink_to(elsewhere)
    for args in (("generate",), ("generate", "--force"), ("docker", "generate", "--force")):
        fails(*args, cwd=root, fragments=("services/svc009/Dockerfile", "outside"))
    assert (elsewhere / "Dockerfile").read_text() == SECRET
    assert sorted(p.name for p in elsewhere.iterdir()) == ["Dockerfile", "pyproject.toml", "src"]


@pytest.mark.parametrize("link", [".git", ".git/hooks"])
def test_a_symlink_into_the_git_directory_is_refused(tmp_path: Path, link: str) -> None:
    root = repo_with_services(tmp_path, "github")
    (root / ".github").symlink_to(root / link)
    hooks = sorted((root / ".git").rglob("*"))
    fails("generate", "--force", cwd=root, fragments=(WORKFLOW, "git's own directory"))
    assert sorted((root / ".git").rglob("*")) == hooks


def test_a_configured_path_into_git_is_refused(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path, "github")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + 'github-workflow = ".git/hooks/post-checkout"\n'
    )
    fails("generate", cwd=root, fragments=(".git/hooks/post-checkout", "git's own directory"))
    assert not (root / ".git/hooks/post-checkout").exists()


def test_a_symlink_inside_the_repository_is_written_through_and_stays(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path, "github")
    (root / "ci/github").mkdir(parents=True)
    (root / ".github").symlink_to("ci/github")
    ok("generate", cwd=root)
    assert (root / ".github").is_symlink()
    assert (root / "ci/github/workflows/uvmono.yml").is_file()
    ok("check", cwd=root)


# ------------------------------------------------------------------------------- init


def test_init_edits_a_symlinked_pyproject_where_it_points_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    root = GitRepo.init(tmp_path / "repo").path
    write_tree(root, {"config/pyproject.toml": project("app"), "x/.keep": ""})
    (root / "pyproject.toml").symlink_to("config/pyproject.toml")
    ok("init", cwd=root)
    assert (root / "pyproject.toml").is_symlink()
    assert "[tool.uvmono]" in (root / "config/pyproject.toml").read_text()


def test_init_refuses_a_pyproject_symlinked_outside_the_repository(tmp_path: Path) -> None:
    root = GitRepo.init(tmp_path / "repo").path
    shared = tmp_path / "shared/pyproject.toml"
    write_tree(tmp_path, {"shared/pyproject.toml": project("app")})
    (root / "pyproject.toml").symlink_to(shared)
    before = shared.read_bytes()
    fails("init", cwd=root, fragments=("pyproject.toml", "outside the repository"))
    assert shared.read_bytes() == before
    assert (root / "pyproject.toml").is_symlink()


# ------------------------------------------------------------------ special input files


def workspace(tmp_path: Path) -> Path:
    return repo_with_services(tmp_path)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


BASE_IMAGE = '[tool.uvmono.docker]\nbase-image = "python:3.13-slim"\n'


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo"])
def test_a_lock_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, special: str
) -> None:
    root = workspace(tmp_path)
    lock = root / "uv.lock"
    if special == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(special)
    start = time.monotonic()
    with unchanged(root):
        result = run("members", cwd=root, timeout=30)
    assert time.monotonic() - start < 20
    expect_error(result, "uv.lock", "not a regular file")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_member_pyproject_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, special: str
) -> None:
    root = workspace(tmp_path)
    member = root / "services/svc001/pyproject.toml"
    member.unlink()
    if special == "fifo":
        os.mkfifo(member)
    else:
        member.symlink_to(special)
    with unchanged(root):
        result = run("members", cwd=root, timeout=30)
    expect_error(result, "services/svc001/pyproject.toml", "not a regular file")


def test_a_root_pyproject_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "pyproject.toml").unlink()
    os.mkfifo(root / "pyproject.toml")
    with unchanged(root):
        result = run("--root", str(root), "members", cwd=root, timeout=30)
    expect_error(result, "pyproject.toml", "named pipe")


def test_a_huge_lock_is_refused_with_its_size_cap(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    with (root / "uv.lock").open("wb") as file:
        file.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    with unchanged(root):
        result = run("members", cwd=root, timeout=30)
    expect_error(result, "uv.lock", "larger than uvmono reads", "MiB")


def test_a_huge_pyproject_is_refused_with_its_size_cap(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    with (root / "services/svc000/pyproject.toml").open("ab") as file:
        file.truncate(20 * 1024 * 1024)
    with unchanged(root):
        result = run("members", cwd=root, timeout=30)
    expect_error(result, "pyproject.toml", "larger than uvmono reads")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_an_event_payload_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, special: str
) -> None:
    root = workspace(tmp_path)
    repo = GitRepo(root)
    repo.commit("initial")
    payload = tmp_path / "event.json"
    if special == "fifo":
        os.mkfifo(payload)
    else:
        payload.symlink_to(special)
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": str(payload),
    }
    with unchanged(root):
        result = run("affected", "--since", "auto", cwd=root, env=env, timeout=30)
    expect_error(result, "GITHUB_EVENT_PATH", "not a regular file")


# ---------------------------------------------------------------- all or nothing, and lock


def test_generate_never_deletes_a_file_named_like_its_temporary_files(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path)
    ok("generate", cwd=root)
    tracked = root / "services/svc000" / f"{TEMP_PREFIX}notes"
    tracked.write_text("mine\n")
    GitRepo(root).commit("a file under uvmono's temp prefix")
    append(root / "pyproject.toml", BASE_IMAGE)
    ok("generate", cwd=root)
    assert tracked.read_text() == "mine\n"


def generate_with_file_size_limit(root: Path, limit: int) -> subprocess.CompletedProcess[bytes]:
    def limit_writes() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "uvmono", "generate"],
        cwd=root,
        env=clean_env(),
        capture_output=True,
        preexec_fn=limit_writes,
        timeout=120,
        check=False,
    )


def test_a_write_error_on_a_later_file_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path, "docker", "github")
    ok("generate", cwd=root)
    append(root / "pyproject.toml", BASE_IMAGE)
    # svc001's Dockerfile, written after the workflow and svc000's, gets big: writes past the
    # limit fail with EFBIG (a real error, even as root).
    packages = ", ".join(f'"pkg{n:04}"' for n in range(4000))
    member = root / "services/svc001/pyproject.toml"
    append(member, f"[tool.uvmono.docker]\nsystem-packages = [{packages}]\n")
    with unchanged(root):
        proc = generate_with_file_size_limit(root, 25_000)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, stderr
    assert "error: could not write services/svc001/Dockerfile: " in stderr, stderr
    assert "nothing was changed" in stderr
    assert "Traceback" not in stderr
    ok("generate", cwd=root)
    assert (root / "services/svc001/Dockerfile").stat().st_size > 25_000


def test_another_generate_holding_the_lock_is_named(tmp_path: Path) -> None:
    root = repo_with_services(tmp_path)
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for args in (("generate",), ("docker", "generate")):
            fails(*args, cwd=root, fragments=("another uvmono generate is running",))
    finally:
        os.close(fd)
    ok("generate", cwd=root)


@pytest.mark.slow
def test_sigint_in_the_middle_of_generate_puts_every_file_back(tmp_path: Path) -> None:
    """Stop generate right after its first rename, interrupt it, let it go on: every file
    must be as before and no temporary file left (or, if it had already finished, all new)."""
    root = repo_with_services(tmp_path, count=150)
    ok("generate", cwd=root)
    names = sorted(f"services/svc{n:03}/{f}" for n in range(150) for f in ("Dockerfile",))
    append(root / "pyproject.toml", BASE_IMAGE)
    before = {name: (root / name).read_bytes() for name in names}
    first = root / "services/svc000/Dockerfile"
    inode = first.stat().st_ino
    child = subprocess.Popen(
        [sys.executable, "-m", "uvmono", "generate"],
        cwd=root,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while first.stat().st_ino == inode and child.poll() is None and time.monotonic() < deadline:
        pass
    child.send_signal(signal.SIGSTOP)
    last = root / names[-1]
    mid_pass = child.poll() is None and last.read_bytes() == before[names[-1]]
    child.send_signal(signal.SIGINT)
    child.send_signal(signal.SIGCONT)
    child.wait(timeout=120)
    if not mid_pass:
        pytest.skip("generate renamed every file before it was stopped")
    assert child.returncode == 130
    after = {name: (root / name).read_bytes() for name in names}
    assert after == before
    assert not list(root.rglob(f"{TEMP_PREFIX}*"))


# ---------------------------------------------- a member reached through a directory symlink


def test_a_member_behind_an_in_repository_symlink_is_affected_by_its_changes(
    tmp_path: Path,
) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    root = repo.path
    write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/app/pyproject.toml": project("app", ["lib"], sources=["lib"]),
            "vendor/lib/pyproject.toml": project("lib"),
        },
    )
    (root / "packages/lib").symlink_to("../vendor/lib")
    repo.commit("initial")
    members = {m["name"]: m["path"] for m in members_json(root)}
    assert members == {"app": "packages/app", "lib": "vendor/lib"}
    repo.commit("change lib", ("vendor/lib/src/lib/core.py", "x = 1\n"))
    result = ok("affected", "--since", "HEAD~1", "--until", "HEAD", cwd=root)
    assert result.stdout.split() == ["app", "lib"]
    # With the working tree's pyproject.toml edited, --until reads the workspace from git.
    append(root / "packages/app/pyproject.toml", "# edited\n")
    result = ok("affected", "--since", "HEAD~1", "--until", "HEAD", cwd=root)
    assert result.stdout.split() == ["app", "lib"]


def test_a_member_listed_directly_and_through_a_symlink_is_one_member(tmp_path: Path) -> None:
    root = GitRepo.init(tmp_path / "repo").path
    write_tree(
        root,
        {
            "pyproject.toml": virtual_root(["packages/*"]),
            "packages/lib/pyproject.toml": project("lib"),
        },
    )
    (root / "packages/alias").symlink_to("lib")
    assert [m["path"] for m in members_json(root)] == ["packages/lib"]


def members_json(root: Path) -> list[dict[str, str]]:
    import json

    members: list[dict[str, str]] = json.loads(
        ok("members", "--format", "json", cwd=root).stdout
    )["members"]
    return members


def test_a_huge_python_version_file_is_refused_with_its_size_cap(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    with (root / ".python-version").open("wb") as file:
        file.truncate(2 * 1024 * 1024)  # sparse: costs no disk
    with unchanged(root):
        result = run("members", cwd=root, timeout=30)
    expect_error(result, ".python-version", "larger than uvmono reads", "MiB")


def test_a_member_python_version_that_is_a_fifo_does_not_block(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    GitRepo(root).commit("the workspace")
    (root / "services/svc001/svc001.py").write_text("CHANGED = 1\n")  # svc001 is affected
    os.mkfifo(root / "services/svc001/.python-version")
    start = time.monotonic()
    with unchanged(root):
        result = ok("matrix", "--since", "HEAD", "--format", "json", cwd=root, timeout=30)
    assert time.monotonic() - start < 20
    assert '"python"' in result.stdout, str(result)
