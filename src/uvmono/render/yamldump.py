"""YAML text of a generated file's data: PyYAML's SafeDumper, keys in the order given,
multi-line strings (shell scripts) as literal blocks, and never an anchor or alias, so a reader
sees every value where it is used."""

from __future__ import annotations

from typing import Any

import yaml


class _Blocks(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


class _IndentedBlocks(_Blocks):
    """Lists indented under their key (`key:\\n  - item`), as GitHub's and Compose's docs write."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Blocks.add_representer(str, _str)


def dump(data: dict[str, Any], *, indent_lists: bool = True, width: int = 10_000) -> str:
    out: str = yaml.dump(
        data,
        Dumper=_IndentedBlocks if indent_lists else _Blocks,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=width,
    )
    return out
