"""`uvmono matrix`: the plan as CI matrix JSON, and the plan job's GitHub outputs and summary.

`--github-output` appends to `$GITHUB_OUTPUT` in GitHub's multi-line form (`name<<DELIMITER`,
the value, `DELIMITER`), with a random delimiter that the value does not contain, so no value
can end the block early and set another output. The step summary goes to
`$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.pipeline import Planned
from uvmono.render import matrix
from uvmono.workspace import Workspace

# "Outputs can be a maximum of 1 MB per job", counted as UTF-16.
GITHUB_OUTPUTS_LIMIT = 1_000_000


def max_jobs(workspace: Workspace, limit: int) -> int:
    """`max-jobs` (at least 1: `config` checks it) capped at a provider's `limit`."""
    return workspace.settings.ci.jobs(limit)


def github_matrices(planned: Planned) -> tuple[dict[str, Any], dict[str, Any]]:
    """(test matrix, image matrix), each `{"include": [...]}`."""
    jobs = planned.plan.settings.ci.jobs(matrix.GITHUB_MAX_JOBS)
    return (
        matrix.include(matrix.test_jobs(planned.plan, jobs)),
        matrix.include(matrix.image_jobs(planned.plan, jobs)),
    )


def render(planned: Planned, fmt: str) -> str:
    if fmt == "github":
        tests, _ = github_matrices(planned)
        return _compact(tests) + "\n"
    if fmt == "gitlab":
        return _gitlab(planned)
    return json.dumps(_plan_json(planned), indent=2) + "\n"


def write_github_output(planned: Planned, environ: Mapping[str, str]) -> None:
    """The plan job's outputs into $GITHUB_OUTPUT and its summary into $GITHUB_STEP_SUMMARY;
    `environ` holds the CI variables (`CiEnvironment.variables`)."""
    output_file = _env_file(environ, "GITHUB_OUTPUT", "the step outputs")
    summary_file = _env_file(environ, "GITHUB_STEP_SUMMARY", "the step summary")
    _require_utf8_paths(planned.workspace)
    tests, images = github_matrices(planned)
    outputs = {
        "matrix": _compact(tests),
        "images": _compact(images),
        "has-changes": _bool(bool(planned.plan.entries)),
        "has-images": _bool(bool(planned.plan.images)),
        "count": str(len(planned.plan.entries)),
    }
    size = sum(len(f"{k}{v}".encode("utf-16-le")) for k, v in outputs.items())
    if size > GITHUB_OUTPUTS_LIMIT:
        raise UvmonoError(
            f"the matrix outputs take {size:,} bytes, more than GitHub's limit of 1 MB per job",
            hint="lower `tool.uvmono.ci.max-jobs`, or split the workspace",
        )
    _append(output_file, "".join(_heredoc(name, value) for name, value in outputs.items()))
    _append(summary_file, _summary(planned, tests, images))


def _require_utf8_paths(workspace: Workspace) -> None:
    """GitHub's outputs are UTF-8 text: a directory name that is not cannot be written."""
    for member in workspace.members.values():
        try:
            member.path.encode("utf-8")
        except UnicodeEncodeError:
            raise UvmonoError(
                f"the directory of member `{member.name}` is not valid UTF-8: {member.path!r}; "
                "GitHub Actions outputs are UTF-8 text",
                hint="rename the directory to a UTF-8 name (and update the member globs)",
            ) from None


def _summary(planned: Planned, tests: dict[str, Any], images: dict[str, Any]) -> str:
    from uvmono.render.summary import step_summary

    mermaid, left_out = _mermaid(planned) if planned.plan.entries else (None, 0)
    return step_summary(
        planned.plan,
        base_source=planned.affected.base_source,
        changed_files=len(planned.affected.changed_files),
        directly_changed=set(planned.affected.directly_changed),
        workspace_members=len(planned.workspace.members),
        test_jobs=len(tests["include"]),
        image_jobs=len(images["include"]),
        mermaid=mermaid,
        graph_left_out=left_out,
    )


def _mermaid(planned: Planned) -> tuple[str, int]:
    """The affected members nearest the change, with the edges between them, and how many
    more are affected."""
    from uvmono import graph
    from uvmono.render.summary import MAX_GRAPH_MEMBERS

    shown, left_out = planned.affected.nearest(MAX_GRAPH_MEMBERS)
    part = graph.build(planned.workspace).subgraph(shown).copy()
    return graph.to_mermaid(part, highlight=planned.affected.directly_changed), left_out


def _heredoc(name: str, value: str) -> str:
    delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    while delimiter in value:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _env_file(environ: Mapping[str, str], name: str, what: str) -> Path:
    value = environ.get(name)
    if not value:
        raise UvmonoError(
            f"--github-output needs ${name} (where GitHub Actions collects {what}), "
            "and it is not set",
            hint="use --github-output inside a GitHub Actions step; elsewhere, drop it and read "
            "the matrix from stdout",
        )
    return Path(value)


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except OSError as exc:
        raise UvmonoError(
            f"cannot append to {path}: {exc.strerror}",
            hint="GitHub Actions creates this file for each step; check the variable's value",
        ) from None


def _plan_json(planned: Planned) -> dict[str, Any]:
    result = planned.affected
    reasons = result.reason_lines()
    return {
        "workspace_root": planned.plan.workspace_root,
        "base": result.base or None,
        "head": result.head,
        "base_source": result.base_source,
        "directly_changed": list(result.directly_changed),
        "members": [
            {
                **matrix.member(e),
                "reasons": reasons.get(e.package, []),
                "fingerprints": _fingerprints(planned, e.package),
            }
            for e in planned.plan.entries
        ],
    }


def _fingerprints(planned: Planned, package: str) -> list[dict[str, str]]:
    """The member's test tasks' fingerprints, as `uvmono hash` prints them (none when
    `skip-passed` is off or the plan is of another commit)."""
    return [
        {"python": python, "side": side, "fingerprint": fp}
        for (name, side, python), fp in sorted(planned.plan.fingerprints.items())
        if name == package
    ]


def _gitlab(planned: Planned) -> str:
    from uvmono.render import gitlab

    return gitlab.child_pipeline(planned.plan)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _bool(value: bool) -> str:
    return "true" if value else "false"
