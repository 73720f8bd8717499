"""The JSON Schema of `[tool.uvmono]`, generated from the settings model in `config.py`.

`uvmono schema` prints it; schema/tool-uvmono.schema.json holds it (a test keeps it current).
"""

from __future__ import annotations

from typing import Any

from uvmono import records
from uvmono.config import MemberSettings, Settings
from uvmono.config_fields import key_of, section_of, toml_name


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the root's `[tool.uvmono]` table (a member's accepts a subset)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "[tool.uvmono]",
        "description": "uvmono's settings in the workspace root's pyproject.toml. A member's "
        "own [tool.uvmono] accepts the keys of $defs.member.",
        **_object_schema(Settings),
        "$defs": {"member": _object_schema(MemberSettings)},
    }


def schema_text() -> str:
    """`json_schema()` as `uvmono schema` prints it and schema/tool-uvmono.schema.json holds it."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _object_schema(cls: type) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for f in records.fields(cls):
        spec = key_of(f)
        nested = section_of(f)
        if nested is not None:
            prop = _object_schema(nested)
        else:
            prop = dict(spec.schema)
            if not spec.multiline:
                prop = _single_line(prop)
        prop.setdefault("description", spec.doc)
        properties[toml_name(f)] = prop
    return {"type": "object", "properties": properties, "additionalProperties": False}


_NO_CONTROL = "^[^\\u0000-\\u001f\\u007f]*$"


def _single_line(schema: dict[str, Any]) -> dict[str, Any]:
    if "pattern" in schema:
        return schema
    if schema.get("type") == "string":
        return {**schema, "pattern": _NO_CONTROL}
    items = schema.get("items")
    if isinstance(items, dict) and items.get("type") == "string" and "pattern" not in items:
        return {**schema, "items": {**items, "pattern": _NO_CONTROL}}
    return schema
