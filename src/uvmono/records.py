"""`record`: a dataclass whose methods are compiled once, ahead of time, like any module.

`dataclasses.dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` as source text and compiles it when the class is defined:
about 1.5 ms a class on this project's machine, some 55 ms of the start-up of `uvmono
affected` (36 classes), more than a third of it at 50 members. `record` lets `dataclass`
do everything else (the fields, `dataclasses.fields`, `replace`, `asdict`, `__match_args__`;
mypy reads it as a dataclass through `dataclass_transform`) and takes the methods from
`_records.py`, where they are written out (`method_source`), so Python's bytecode cache holds
them compiled. A class whose methods are not there, or were written for another shape of it,
gets them compiled now from the same text (correct, only slower);
tests/test_records.py fails until `UVMONO_UPDATE_GOLDEN=1 pytest tests/test_records.py`
rewrites `_records.py`.

The methods behave as dataclasses' own for what uvmono uses: frozen or not, `order`,
`kw_only`, defaults and `default_factory`, fields with `init`, `repr`, `compare` or `hash`
off, and `__post_init__`. A class that defines one of the methods itself, or has an `InitVar`,
is left to `dataclass` whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

# Every class made here, by "module.qualname": what `_records.py` is written from.
REGISTRY: dict[str, tuple[type, str]] = {}

_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_ORDER = (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">="))


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(
    *, frozen: bool = ..., order: bool = ..., kw_only: bool = ...
) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(
    cls: Any = None, /, *, frozen: bool = True, order: bool = False, kw_only: bool = False
) -> Any:
    """`@dataclass(frozen=True)` (or with the options given), its methods compiled ahead."""

    def wrap(c: Any) -> Any:
        return _make(c, frozen=frozen, order=order, kw_only=kw_only)

    return wrap if cls is None else wrap(cls)


def _make(cls: Any, *, frozen: bool, order: bool, kw_only: bool) -> Any:
    own = any(name in cls.__dict__ for name in _OWN) or (
        order and any(name in cls.__dict__ for name, _ in _ORDER)
    )
    if own:
        return dataclasses.dataclass(frozen=frozen, order=order, kw_only=kw_only)(cls)
    cls = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(cls)
    fields = list(cls.__dataclass_fields__.values())
    if any(f._field_type is not dataclasses._FIELD for f in fields):  # type: ignore[attr-defined]
        # An InitVar or a ClassVar among them: dataclass's own path, from the start.
        return _redo(cls, frozen=frozen, order=order, kw_only=kw_only)
    text = method_source(cls, frozen=frozen, order=order)
    key = f"{cls.__module__}.{cls.__qualname__}"
    REGISTRY[key] = (cls, text)
    maker = _written(key, text)
    if maker is None:
        namespace: dict[str, Any] = {}
        exec(compile(text, f"<record {key}>", "exec"), {}, namespace)
        maker = namespace["__make__"]
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    factories = {
        f.name: f.default_factory for f in fields if f.default_factory is not dataclasses.MISSING
    }
    methods: dict[str, Any] = maker(defaults, factories, dataclasses.MISSING, object.__setattr__)
    for name, method in methods.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
    else:
        cls.__hash__ = None  # as dataclass: eq without frozen is unhashable
    return cls


def _redo(cls: Any, *, frozen: bool, order: bool, kw_only: bool) -> Any:
    for name in ("__dataclass_fields__", "__dataclass_params__", "__match_args__"):
        if name in cls.__dict__:
            delattr(cls, name)
    return dataclasses.dataclass(frozen=frozen, order=order, kw_only=kw_only)(cls)


def _written(key: str, text: str) -> Callable[..., dict[str, Any]] | None:
    """The maker `_records.py` holds for `key`, if it was written from this very text."""
    from uvmono import _records

    found = _records.MAKERS.get(key)
    if found is None or found[0] != text:
        return None
    maker: Callable[..., dict[str, Any]] = found[1]
    return maker


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def method_source(cls: Any, *, frozen: bool, order: bool) -> str:
    """The source of `__make__(defaults, factories, MISSING, setattr)`, which returns the
    class's methods by name: what dataclass would write for it, in one function."""
    fields = list(cls.__dataclass_fields__.values())
    params: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in fields:
        has_default = f.default is not dataclasses.MISSING
        has_factory = f.default_factory is not dataclasses.MISSING
        if f.init:
            default = (
                f"=defaults[{f.name!r}]" if has_default else "=MISSING" if has_factory else ""
            )
            (keyword if f.kw_only else params).append(f"{f.name}{default}")
            value = (
                f"factories[{f.name!r}]() if {f.name} is MISSING else {f.name}"
                if has_factory
                else f.name
            )
        elif has_factory:
            value = f"factories[{f.name!r}]()"
        elif has_default:
            value = f"defaults[{f.name!r}]"
        else:
            continue
        body.append(
            f"        setattr(self, {f.name!r}, {value})"
            if frozen
            else f"        self.{f.name} = {value}"
        )
    if "__post_init__" in dir(cls):
        body.append("        self.__post_init__()")
    signature = ", ".join(["self", *params, *(["*", *keyword] if keyword else [])])
    lines = ["def __make__(defaults, factories, MISSING, setattr):"]
    lines.append(f"    def __init__({signature}):")
    lines.extend(body or ["        pass"])
    shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr)
    lines.append("    def __repr__(self):")
    lines.append(f'        return f"{{self.__class__.__qualname__}}({shown})"')
    compared = [f.name for f in fields if f.compare]
    mine = _tuple("self", compared)
    theirs = _tuple("other", compared)
    lines.append("    def __eq__(self, other):")
    lines.append("        if other.__class__ is self.__class__:")
    lines.append(f"            return {mine} == {theirs}")
    lines.append("        return NotImplemented")
    names = ["__init__", "__repr__", "__eq__"]
    if frozen:
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        lines.append("    def __hash__(self):")
        lines.append(f"        return hash({_tuple('self', hashed)})")
        names.append("__hash__")
    if order:
        for name, op in _ORDER:
            lines.append(f"    def {name}(self, other):")
            lines.append("        if other.__class__ is self.__class__:")
            lines.append(f"            return {mine} {op} {theirs}")
            lines.append("        return NotImplemented")
            names.append(name)
    lines.append("    return {" + ", ".join(f"{n!r}: {n}" for n in names) + "}")
    return "\n".join(lines) + "\n"


def _tuple(owner: str, names: list[str]) -> str:
    return "(" + "".join(f"{owner}.{n}," for n in names) + ")"


def written_module() -> str:
    """`_records.py` for every class made so far (import every module first)."""
    out = [
        '"""Written by uvmono.records (`UVMONO_UPDATE_GOLDEN=1 pytest tests/test_records.py`);',
        'do not edit. Each record\'s methods, compiled with this module (see records.py)."""',
        "",
        "# ruff: noqa",
        "# mypy: ignore-errors",
        "",
        "MAKERS = {}",
    ]
    for key in sorted(REGISTRY):
        _, text = REGISTRY[key]
        out.append("")
        out.append("")
        out.append(text.rstrip("\n"))
        out.append("")
        out.append("")
        out.append(f"MAKERS[{key!r}] = ({text!r}, __make__)")
    if REGISTRY:
        out.append("del __make__")
    return "\n".join(out) + "\n"
