"""How a `[tool.uvmono]` key is declared, checked and described: the field helpers the settings
dataclasses of `config` are built from (`setting`, `text`, `strings`, `flag`, `integer`,
`choice`, `template`, `section`, ...), reading those declarations back (`keys`, `key_of`), and
checking a TOML table against them (`validate`, `build`).

Each helper returns a `records.field` whose metadata holds a `Key`: the value's check, what
an error says it must be, its default, its doc and its JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from uvmono.errors import UvmonoError
from uvmono.records import Field, field, fields, record

Check = Callable[[Any], bool]
# (why, hint) when a value of the right type is still refused, else None.
Refuse = Callable[[Any], tuple[str, str] | None]

_KEY = "uvmono"
_SECTION = "uvmono-section"


@record
class Key:
    check: Check
    expected: str
    default: Any  # as written in TOML (a list, not a tuple)
    doc: str
    schema: Mapping[str, Any]  # the JSON Schema of the value
    multiline: bool = False  # a shell script may span lines; other strings land on one line
    refuse: Refuse | None = None
    convert: Callable[[Any], Any] | None = None  # the checked TOML value -> the field's value


# --------------------------------------------------------------------------- value kinds


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def is_port_list(v: Any) -> bool:
    return isinstance(v, list) and all(_is_int(x) and 0 < x < 65536 for x in v)


def _is_template(v: Any) -> bool:
    """A `str.format` template of plain `{field}`s. A format spec or an attribute would expand
    to garbage or exhaust memory (`{name:>999999999}`, `{name.upper}`); which fields a key
    offers is checked where it is expanded."""
    if not isinstance(v, str):
        return False
    import string  # only for a template a workspace sets

    try:
        parsed = list(string.Formatter().parse(v))
    except ValueError:
        return False
    return all(
        field is None or (not spec and not conversion and not set(field) & set(".[]"))
        for _, field, spec, conversion in parsed
    )


_PLAIN = "plain placeholders (no `:spec`, `!conversion`, `.attribute` or `[index]`)"
_STRING = {"type": "string"}
# `_is_template` as a regex: literal text, `{{`, `}}`, and `{field}` without spec or conversion.
_TEMPLATE = {
    "type": "string",
    "pattern": "^(?:[^{}\\u0000-\\u001f\\u007f]|\\{\\{|\\}\\}"
    "|\\{[^{}:!.\\[\\]\\u0000-\\u001f\\u007f]*\\})*$",
}
_STRINGS = {"type": "array", "items": _STRING}


def _nullable(schema: Mapping[str, Any], default: Any) -> dict[str, Any]:
    """TOML has no null: a key without a default is simply left out."""
    return dict(schema) if default is None else {**schema, "default": default}


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def setting(key: Key) -> Any:
    """A dataclass field for `key`: lists become tuples, so settings stay immutable."""
    return field(default=_frozen(key.default), metadata={_KEY: key})


def section(cls: type, doc: str) -> Any:
    """A field holding a nested table (`[tool.uvmono.docker]`)."""
    key = Key(lambda v: isinstance(v, dict), "a table", {}, doc, {"type": "object"})
    return field(default_factory=cls, metadata={_KEY: key, _SECTION: cls})


def choice(default: str, doc: str, *choices: str) -> Any:
    expected = " or ".join(f'"{c}"' for c in choices)
    schema = {"enum": list(choices), "default": default}
    return setting(Key(lambda v: v in choices, expected, default, doc, schema))


def text(default: str | None, doc: str, *, multiline: bool = False) -> Any:
    return setting(
        Key(_is_str, "a string", default, doc, _nullable(_STRING, default), multiline=multiline)
    )


def strings(default: list[str], doc: str) -> Any:
    return setting(
        Key(is_str_list, "a list of strings", default, doc, {**_STRINGS, "default": default})
    )


def flag(default: bool | None, doc: str) -> Any:
    return setting(
        Key(_is_bool, "true or false", default, doc, _nullable({"type": "boolean"}, default))
    )


def integer(
    default: int | None, doc: str, *, minimum: int = 0, refuse: Refuse | None = None
) -> Any:
    """A non-negative integer; `refuse` (with the same `minimum` in the schema) narrows it."""
    schema = _nullable({"type": "integer", "minimum": minimum}, default)
    return setting(Key(_is_int, "a non-negative integer", default, doc, schema, refuse=refuse))


def template(default: str, doc: str) -> Any:
    schema = {**_TEMPLATE, "default": default}
    return setting(Key(_is_template, f"a string with {_PLAIN}", default, doc, schema))


def templates(doc: str) -> Any:
    return setting(
        Key(
            lambda v: isinstance(v, list) and all(_is_template(x) for x in v),
            f"a list of strings with {_PLAIN}",
            [],
            doc,
            {"type": "array", "items": _TEMPLATE, "default": []},
        )
    )


# ------------------------------------------------------------------- how CI tests a member

MINOR_PATTERN = "^3\\.[0-9]+$"
PYTHON_AXES = ("default", "min-max", "all")


def is_minor(v: Any) -> bool:
    return isinstance(v, str) and re.fullmatch(r"3\.\d+", v) is not None


def _is_python_axis(v: Any) -> bool:
    if isinstance(v, str):
        return v in PYTHON_AXES or is_minor(v)
    return isinstance(v, list) and bool(v) and all(is_minor(x) for x in v)


def python_axis() -> Any:
    version = {"type": "string", "pattern": MINOR_PATTERN}
    return setting(
        Key(
            _is_python_axis,
            '"default", "min-max", "all", a version such as "3.12" or a list of versions',
            "default",
            "the Pythons CI tests on, within uv.lock's requires-python and the member's",
            {
                "anyOf": [
                    {"enum": list(PYTHON_AXES)},
                    version,
                    {"type": "array", "items": version, "minItems": 1},
                ],
                "default": "default",
            },
        )
    )


def test_locations() -> Any:
    return setting(
        Key(
            is_str_list,
            "a list of paths (relative to the workspace root; {name}, {path}, {dir} expand)",
            None,
            "where the member's tests live, if not in its directory; [] means it has none",
            _STRINGS,
        )
    )


def all_or_names(doc: str) -> Any:
    return setting(
        Key(
            lambda v: v == "all" or is_str_list(v),
            '"all" or a list of names',
            "all",
            doc,
            {"anyOf": [{"const": "all"}, _STRINGS], "default": "all"},
        )
    )


def root_groups() -> Any:
    return setting(
        Key(
            lambda v: v == "auto" or isinstance(v, bool) or is_str_list(v),
            '"auto", true, false or a list of group names',
            "auto",
            "the workspace root's groups its test job installs (auto: the root's default groups "
            "when the member has no groups of its own)",
            {"anyOf": [{"const": "auto"}, {"type": "boolean"}, _STRINGS], "default": "auto"},
        )
    )

@record
class Task:
    """One entry of `[tool.uvmono.tasks]`: what `uvmono run NAME` runs in a member."""

    name: str
    run: str | None  # a shell command run with bash -c; None: the member has no such task
    dependent: bool = False  # a member starts after the members it needs have passed


TASK_NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_COMMAND = {"type": "string", "pattern": "\\S"}


def _is_task(v: Any, *, member: bool) -> bool:
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, bool):
        return member and not v
    if not isinstance(v, dict) or not isinstance(v.get("run"), str) or not v["run"].strip():
        return False
    allowed = {"run"} if member else {"run", "dependent"}
    return set(v) <= allowed and isinstance(v.get("dependent", False), bool)


def _to_tasks(table: Mapping[str, Any]) -> tuple[Task, ...]:
    out = []
    for name, v in table.items():
        if isinstance(v, str):
            out.append(Task(name, v))
        elif isinstance(v, bool):
            out.append(Task(name, None))
        else:
            out.append(Task(name, v["run"], v.get("dependent", False)))
    return tuple(out)


def tasks(doc: str, *, member: bool) -> Any:
    """`[tool.uvmono.tasks]`: NAME = "command" or { run = "command", dependent = true }; a
    member may also write `NAME = false` (it has no such task), and never sets `dependent`,
    which belongs to the task."""
    forms = '"command", { run = "command" } or false' if member else (
        '"command" or { run = "command", dependent = true }'
    )
    run: dict[str, Any] = {"run": _COMMAND}
    if not member:
        run["dependent"] = {"type": "boolean", "default": False}
    table = {
        "type": "object", "properties": run, "required": ["run"], "additionalProperties": False
    }
    value = {"oneOf": [_COMMAND, table, *([{"const": False}] if member else [])]}
    schema = {
        "type": "object",
        "propertyNames": {"pattern": TASK_NAME},
        "additionalProperties": value,
        "default": {},
    }
    key = Key(
        lambda v: isinstance(v, dict)
        and all(re.fullmatch(TASK_NAME, k) and _is_task(t, member=member) for k, t in v.items()),
        f"a table of NAME = {forms}, each NAME of letters, digits, `-`, `_`, `.`",
        {},
        doc,
        schema,
        multiline=True,
        convert=_to_tasks,
    )
    return field(default=(), metadata={_KEY: key})


# ------------------------------------------------------------------------- introspection


def toml_name(f: Field) -> str:
    return f.name.replace("_", "-")


def key_of(f: Field) -> Key:
    """The `Key` a settings field was declared with."""
    key: Key = f.metadata[_KEY]
    return key


def section_of(f: Field) -> type | None:
    """The settings class of a nested table's field, None for a plain key."""
    cls: type | None = f.metadata.get(_SECTION)
    return cls


def keys(cls: type) -> dict[str, Key]:
    """The TOML keys of a settings class, in declaration order."""
    return {toml_name(f): f.metadata[_KEY] for f in fields(cls)}


def _sections(cls: type) -> dict[str, Field]:
    return {toml_name(f): f for f in fields(cls)}


# ---------------------------------------------------------------------------- validation


def validate(
    table: Mapping[str, Any], cls: type, file: Path | str, prefix: str
) -> dict[str, Any]:
    """The keys `table` sets, checked, by field name (a nested table as a dict of its own)."""
    if not table:
        return {}  # most members: nothing to check
    known = _sections(cls)
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}"
        if key not in known:
            valid = ", ".join(sorted(known))
            raise UvmonoError(f"unknown key `{dotted}` in {file}", hint=f"valid keys here: {valid}")
        f = known[key]
        spec: Key = f.metadata[_KEY]
        if not spec.check(value):
            raise UvmonoError(
                f"`{dotted}` in {file} must be {spec.expected}, not {value!r}",
                hint=f"{dotted}: {spec.doc}",
            )
        if not spec.multiline and _has_control_character(value):
            raise UvmonoError(
                f"`{dotted}` in {file} holds a line break or another control character: {value!r}",
                hint=f"{dotted} is written into single lines of generated files: "
                "remove the control character",
            )
        refused = spec.refuse(value) if spec.refuse is not None else None
        if refused is not None:
            why, hint = refused
            raise UvmonoError(f"`{dotted}` = {value!r} in {file} {why}", hint=hint)
        if _SECTION in f.metadata:
            out[f.name] = validate(value, f.metadata[_SECTION], file, dotted)
        else:
            out[f.name] = spec.convert(value) if spec.convert is not None else _frozen(value)
    return out


def _has_control_character(value: Any) -> bool:
    if isinstance(value, str):
        return any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)
    return isinstance(value, list) and any(_has_control_character(v) for v in value)


def build(cls: type, values: Mapping[str, Any]) -> Any:
    sections = {
        f.name: f.metadata[_SECTION] for f in fields(cls) if _SECTION in f.metadata
    }
    return cls(
        **{
            name: build(sections[name], value) if name in sections else value
            for name, value in values.items()
        }
    )
