"""Which members get an image: the one decision that every command asks.

`docker generate`, `docker commands`, `docker bake`, `generate`, `matrix` and the CI files all
take it from `decide`, so they always agree about which members have images. A member gets
one when `[tool.uvmono.docker] image` says so, else when it has console scripts and its image
knows which one to run: exactly one script, or a configured `command`. A library with several
scripts (release helpers, dev tools) and no command gets no image, with a warning that names
it, its scripts and the key that picks one, rather than stopping every other member's images.
"""

from __future__ import annotations

from collections.abc import Iterable

from uvmono.records import record
from uvmono.workspace import PYPROJECT, Member, Workspace

COMMAND_KEY = "[tool.uvmono.docker] command"


@record
class ImageDecision:
    image: bool
    warning: str | None = None  # why a member that looks deployable gets no image


def decide(member: Member) -> ImageDecision:
    docker = member.settings.docker
    if docker.image is not None:
        return ImageDecision(docker.image)
    scripts = sorted(member.scripts)
    if len(scripts) <= 1 or docker.command:
        return ImageDecision(bool(scripts))
    file = PYPROJECT if member.path == "." else f"{member.path}/{PYPROJECT}"
    listed = ", ".join(scripts)
    return ImageDecision(
        False,
        f"{member.name} gets no image: it has {len(scripts)} console scripts ({listed}) and no "
        f'entry point configured; to build one, set {COMMAND_KEY} = ["{scripts[0]}"] in {file} '
        "(or `image = false` there to silence this warning)",
    )


def gets_image(member: Member) -> bool:
    return decide(member).image


def warnings(workspace: Workspace, names: Iterable[str] | None = None) -> list[str]:
    """The warning of each member (of `names`, default all) that gets no image for lack of an
    entry point, sorted by member."""
    chosen = workspace.members if names is None else names
    found = (decide(workspace.members[name]).warning for name in sorted(chosen))
    return [w for w in found if w is not None]
