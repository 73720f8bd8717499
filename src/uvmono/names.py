"""Package names and requirement strings, the way uv reads them."""

from __future__ import annotations

import re

from uvmono.records import record

# PEP 503's normalisation, verbatim from the spec. `packaging.utils.canonicalize_name` does the
# same, but importing packaging costs ~40 ms and this runs on every member of every command.
_SEPARATORS = re.compile(r"[-_.]+")
# The name at the start of a PEP 508 requirement.
_LEADING_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


# A workspace names the same packages over and over (each member once as itself, again in
# every requirement on it): both functions below remember their answers for one process.
_NORMALIZED: dict[str, str] = {}
_REQUIREMENT_NAMES: dict[str, str | None] = {}


def normalize(name: str) -> str:
    """PEP 503 name: `Beta_Pkg` and `beta.pkg` are both `beta-pkg`."""
    found = _NORMALIZED.get(name)
    if found is None:
        found = _NORMALIZED[name] = _SEPARATORS.sub("-", name).lower()
    return found


def requirement_name(requirement: str) -> str | None:
    """The normalized name a PEP 508 requirement string starts with, without a full parse."""
    found = _REQUIREMENT_NAMES.get(requirement, "")  # "" is no name: not seen yet
    if found != "":
        return found
    match = _LEADING_NAME.match(requirement)
    found = _REQUIREMENT_NAMES[requirement] = normalize(match.group(1)) if match else None
    return found


@record(order=True)
class Requirement:
    """A requirement on a workspace member: its name, the extras it asks for, its marker."""

    name: str
    extras: tuple[str, ...] = ()
    marker: str | None = None


# The common shapes, `name`, `name[x,y]>=1,<2` and `name ; marker`, read without packaging: a
# workspace of thousands of members would spend most of its time in packaging's parser.
_SIMPLE = re.compile(
    r"\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>\s*[A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*\s*)\])?\s*"
    r"(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*"
    r"(?:,\s*(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*)*)?"
    r"(?:;\s*(?P<marker>[^;]*?))?\s*"
)


_PARSED: dict[str, Requirement] = {}  # requirement strings recur across members too


def parse_requirement(text: str) -> Requirement:
    """Parse a PEP 508 string (name, extras, marker); `packaging` parses the unusual ones.

    Raises ValueError on a string that is not PEP 508.
    """
    found = _PARSED.get(text)
    if found is None:
        found = _PARSED[text] = _parse_requirement(text)
    return found


def _parse_requirement(text: str) -> Requirement:
    simple = _SIMPLE.fullmatch(text)
    if simple and "@" not in text:
        extras = simple.group("extras")
        marker = simple.group("marker")
        if marker and '"' not in marker:
            marker = marker.replace("'", '"')  # packaging's spelling, so lock and pyproject agree
        return Requirement(
            name=normalize(simple.group("name")),
            extras=tuple(sorted({normalize(e.strip()) for e in extras.split(",")}))
            if extras
            else (),
            marker=marker or None,
        )
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

    try:
        parsed = Pep508(text)
    except InvalidRequirement as exc:
        raise ValueError(str(exc)) from None
    return Requirement(
        name=normalize(parsed.name),
        extras=tuple(sorted(normalize(e) for e in parsed.extras)),
        marker=str(parsed.marker) if parsed.marker else None,
    )
