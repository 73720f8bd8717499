"""`record`: a frozen dataclass, made without the `dataclasses` module, its methods compiled
once, ahead of time, like any module.

`dataclasses.dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` as source text and compiles it when the class is defined:
about 1.5 ms a class on this project's machine, some 55 ms of the start-up of `uvmono
affected` (36 classes). Importing `dataclasses` costs about 15 ms more (it imports `inspect`,
`ast`, `dis`, `tokenize`), and it gives each class without a docstring one read from
`inspect.signature`, which compiles tokenize's regexes (another 5-10 ms). So `record` reads
the fields itself, as `dataclass` does (the class's annotations in order, after those of the
records it inherits from; a default, or a `field(...)` of this module's, or of `dataclasses`),
and takes the methods from `_records.py`, where they are written out (`method_source`, from
the class's shape: which fields, with which options), so Python's bytecode cache holds them
compiled. A class whose methods are not there, or were written for another shape of it, gets
them compiled now from the same text (correct, only slower); tests/test_records.py fails
until `UVMONO_UPDATE_GOLDEN=1 pytest tests/test_records.py` rewrites `_records.py`.

A record is still a dataclass to the `dataclasses` module: `__dataclass_fields__` and
`__dataclass_params__` are made when first read (`dataclasses.fields`, `replace`, `asdict`,
`is_dataclass`, a dataclass subclass), which imports it then. uvmono's own code uses this
module's `fields`, `replace` and `is_dataclass`, which do not. mypy reads `record` as a
dataclass through `dataclass_transform`, and `field` as its field specifier.

The methods behave as dataclasses' own for what uvmono uses: frozen or not, `order`,
`kw_only`, defaults and `default_factory`, fields with `init`, `repr`, `compare` or `hash`
off, field metadata, and `__post_init__`. A class that defines one of the methods itself,
has an `InitVar`, a `ClassVar` or `KW_ONLY` among its annotations, or inherits from a
dataclass that is not a record, is left to `dataclass` whole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

# Every class made here, by "module.qualname", with its shape: what `_records.py` is written
# from. A shape is all `method_source` reads: (frozen, order, has __post_init__, and for each
# field its name, init, kw_only, has a default, has a factory, repr, compare, hash).
Shape = tuple[bool, bool, bool, tuple[tuple[str, bool, bool, bool, bool, bool, bool, Any], ...]]
REGISTRY: dict[str, tuple[type, Shape]] = {}

_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_ORDER = (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">="))
# Annotations only `dataclass` reads right (a string annotation is matched by name, as it does).
_DATACLASS_ONLY = ("ClassVar", "InitVar", "KW_ONLY")
_FIELDS = "__record_fields__"  # a record's own: name -> Field, in order


class _MissingType:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _MissingType()  # no default (this module's; `dataclasses.MISSING` is its own)
_NO_METADATA: Mapping[Any, Any] = MappingProxyType({})


class Field:
    """One field of a record, as a `dataclasses.Field` describes it (what `fields` returns);
    `field(...)` makes one for a class body."""

    __slots__ = (
        "compare",
        "default",
        "default_factory",
        "hash",
        "init",
        "kw_only",
        "metadata",
        "name",
        "repr",
        "type",
    )

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        hash: bool | None,
        compare: bool,
        metadata: Mapping[Any, Any] | None,
        kw_only: Any,
    ) -> None:
        self.name: str = ""  # set by `record`, with `type`
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = _NO_METADATA if metadata is None else MappingProxyType(metadata)
        self.kw_only = kw_only  # MISSING until `record` gives it the class's

    def __repr__(self) -> str:
        shown = ",".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Field({shown})"


@overload
def field(
    *,
    default: _T,
    init: bool = ...,
    repr: bool = ...,
    hash: bool | None = ...,
    compare: bool = ...,
    metadata: Mapping[Any, Any] | None = ...,
    kw_only: bool = ...,
) -> _T: ...
@overload
def field(
    *,
    default_factory: Callable[[], _T],
    init: bool = ...,
    repr: bool = ...,
    hash: bool | None = ...,
    compare: bool = ...,
    metadata: Mapping[Any, Any] | None = ...,
    kw_only: bool = ...,
) -> _T: ...
@overload
def field(
    *,
    init: bool = ...,
    repr: bool = ...,
    hash: bool | None = ...,
    compare: bool = ...,
    metadata: Mapping[Any, Any] | None = ...,
    kw_only: bool = ...,
) -> Any: ...
def field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,
    hash: bool | None = None,
    compare: bool = True,
    metadata: Mapping[Any, Any] | None = None,
    kw_only: Any = MISSING,
) -> Any:
    """`dataclasses.field`, for a record."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(
    *, frozen: bool = ..., order: bool = ..., kw_only: bool = ...
) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
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
    # The class's own, as dataclass reads them (inspect.get_annotations would import inspect).
    annotations: dict[str, Any] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    if own or _dataclass_only(cls, annotations):
        return _as_dataclass(cls, frozen=frozen, order=order, kw_only=kw_only)
    fields = _read_fields(cls, annotations, kw_only)
    setattr(cls, _FIELDS, fields)
    cls.__dataclass_fields__ = _Later(cls, "__dataclass_fields__", frozen, order, kw_only)
    cls.__dataclass_params__ = _Later(cls, "__dataclass_params__", frozen, order, kw_only)
    if not cls.__doc__:
        cls.__doc__ = cls.__name__ + _signature_text(cls)
    if "__match_args__" not in cls.__dict__:
        match_args = tuple(f.name for f in fields.values() if f.init and not f.kw_only)
        cls.__match_args__ = match_args  # type: ignore[misc]
    values = list(fields.values())
    post_init = any("__post_init__" in vars(c) for c in cls.__mro__)
    shape: Shape = (frozen, order, post_init, tuple(_field_shape(f) for f in values))
    key = f"{cls.__module__}.{cls.__qualname__}"
    REGISTRY[key] = (cls, shape)
    maker = _written(key, shape)
    if maker is None:
        namespace: dict[str, Any] = {}
        exec(compile(method_source(shape), f"<record {key}>", "exec"), {}, namespace)
        maker = namespace["__make__"]
    defaults = {f.name: f.default for f in values if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in values if f.default_factory is not MISSING}
    methods: dict[str, Any] = maker(defaults, factories, MISSING, object.__setattr__)
    for name, method in methods.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
    else:
        cls.__hash__ = None  # as dataclass: eq without frozen is unhashable
    import abc  # loaded at start-up already (io imports it)

    abc.update_abstractmethods(cls)  # as dataclass does
    return cls


def _dataclass_only(cls: Any, annotations: Mapping[str, Any]) -> bool:
    """Whether `cls` needs what only `dataclass` does: a pseudo-field, or a dataclass base
    that is not a record."""
    for annotation in annotations.values():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if any(word in text for word in _DATACLASS_ONLY):
            return True
    return any(
        "__dataclass_fields__" in base.__dict__ and _FIELDS not in base.__dict__
        for base in cls.__mro__[1:]
    )


def _read_fields(cls: Any, annotations: Mapping[str, Any], kw_only: bool) -> dict[str, Field]:
    """The fields of `cls` as `dataclass` finds them (and the class attributes it leaves)."""
    fields: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get(_FIELDS)
        if inherited is not None:
            fields.update(inherited)
    for name, annotation in annotations.items():
        value = cls.__dict__.get(name, MISSING)
        declared = _declared(value)
        f = declared or Field(value, MISSING, True, True, None, True, None, MISSING)
        f.name, f.type = name, annotation
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        if f.default is not MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(
                f"mutable default {type(f.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        fields[name] = f
        if declared is not None:  # the class attribute: the default, else none
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    for name, value in cls.__dict__.items():
        if _declared(value) is not None and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    seen_default = False
    for f in fields.values():
        if f.init and not f.kw_only:
            if f.default is not MISSING or f.default_factory is not MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
    return fields


def _declared(value: Any) -> Field | None:
    """The field `value` declares: one of `field`'s, or a copy of a `dataclasses.field`'s."""
    if isinstance(value, Field):
        return value
    dataclasses = sys.modules.get("dataclasses")  # a dataclasses.Field needs it imported
    if dataclasses is None or not isinstance(value, dataclasses.Field):
        return None
    return Field(
        MISSING if value.default is dataclasses.MISSING else value.default,
        MISSING if value.default_factory is dataclasses.MISSING else value.default_factory,
        value.init,
        value.repr,
        value.hash,
        value.compare,
        value.metadata or None,
        MISSING if value.kw_only is dataclasses.MISSING else value.kw_only,
    )


def _signature_text(cls: Any) -> str:
    """What `dataclass` appends to the name of a class without a docstring: the signature
    `inspect` reads before the methods are added, "()" where no base defines `__init__` or
    `__new__` (the signature of `object`)."""
    if cls.__init__ is object.__init__ and cls.__new__ is object.__new__:
        return "()"
    import inspect  # a record inheriting a constructor: as dataclass does

    try:
        return str(inspect.signature(cls)).replace(" -> None", "")
    except (TypeError, ValueError):
        return ""


def _as_dataclass(cls: Any, *, frozen: bool, order: bool, kw_only: bool) -> Any:
    """`cls` made by `dataclass` whole, its `field(...)`s handed over as dataclasses'."""
    import dataclasses

    for name, value in list(cls.__dict__.items()):
        if isinstance(value, Field):
            setattr(cls, name, _dataclass_field(value))
    return dataclasses.dataclass(frozen=frozen, order=order, kw_only=kw_only)(cls)


def _dataclass_field(f: Field) -> Any:
    import dataclasses

    return dataclasses.field(
        default=dataclasses.MISSING if f.default is MISSING else f.default,
        default_factory=(
            dataclasses.MISSING if f.default_factory is MISSING else f.default_factory
        ),
        init=f.init,
        repr=f.repr,
        hash=f.hash,
        compare=f.compare,
        metadata=f.metadata or None,
        kw_only=dataclasses.MISSING if f.kw_only is MISSING else f.kw_only,
    )


class _Later:
    """`__dataclass_fields__` or `__dataclass_params__` of a record, made (with `dataclasses`'s
    own objects) when first read, then stored in its place."""

    def __init__(self, owner: type, name: str, frozen: bool, order: bool, kw_only: bool):
        self._owner, self._name = owner, name
        self._options = {"frozen": frozen, "order": order, "kw_only": kw_only}

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        import dataclasses

        value: Any
        if self._name == "__dataclass_fields__":
            value = {}
            for name, f in vars(self._owner)[_FIELDS].items():
                made = _dataclass_field(f)
                made.name, made.type = name, f.type
                made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
                value[name] = made
        else:  # the options' own params, read off a class made for them
            value = dataclasses.dataclass(**self._options)(type("_", (), {}))
            value = value.__dataclass_params__
        type.__setattr__(self._owner, self._name, value)
        return value


def _field_shape(f: Field) -> tuple[str, bool, bool, bool, bool, bool, bool, Any]:
    has_default, has_factory = f.default is not MISSING, f.default_factory is not MISSING
    return (f.name, f.init, f.kw_only, has_default, has_factory, f.repr, f.compare, f.hash)


def _written(key: str, shape: Shape) -> Callable[..., dict[str, Any]] | None:
    """The maker `_records.py` holds for `key`, if it was written for this very shape."""
    from uvmono import _records

    found = _records.MAKERS.get(key)
    if found is None or found[0] != shape:
        return None
    maker: Callable[..., dict[str, Any]] = found[1]
    return maker


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    import dataclasses

    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    import dataclasses

    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


# ----------------------------------------------------------- what uvmono asks of a record


def is_dataclass(obj: Any) -> bool:
    """`dataclasses.is_dataclass`, without importing it for a record."""
    cls = obj if isinstance(obj, type) else type(obj)
    return any(
        _FIELDS in base.__dict__ or "__dataclass_fields__" in base.__dict__
        for base in cls.__mro__
    )


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """`dataclasses.fields`: the fields of a record (or of a dataclass), in order."""
    cls = class_or_instance if isinstance(class_or_instance, type) else type(class_or_instance)
    own = cls.__dict__.get(_FIELDS)
    if own is not None:
        return tuple(own.values())
    import dataclasses

    found: tuple[Field, ...] = dataclasses.fields(class_or_instance)  # type: ignore[assignment]
    return found


def replace(obj: _T, /, **changes: Any) -> _T:
    """`dataclasses.replace`: `obj` with the fields `changes` names changed."""
    own = type(obj).__dict__.get(_FIELDS)
    if own is None:
        import dataclasses

        changed: _T = dataclasses.replace(obj, **changes)  # type: ignore[type-var]
        return changed
    for f in own.values():
        if not f.init:
            if f.name in changes:
                raise ValueError(
                    f"field {f.name} is declared with init=False, it cannot be specified with "
                    "replace()"
                )
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


# ---------------------------------------------------------------- the methods, as source


def method_source(shape: Shape) -> str:
    """The source of `__make__(defaults, factories, MISSING, setattr)`, which returns the
    methods of a class of this shape by name: what dataclass would write for it, in one
    function."""
    frozen, order, post_init, fields = shape
    params: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for name, init, kw_only, has_default, has_factory, _, _, _ in fields:
        if init:
            default = f"=defaults[{name!r}]" if has_default else "=MISSING" if has_factory else ""
            (keyword if kw_only else params).append(f"{name}{default}")
            value = name
            if has_factory:
                value = f"factories[{name!r}]() if {name} is MISSING else {name}"
        elif has_factory:
            value = f"factories[{name!r}]()"
        elif has_default:
            value = f"defaults[{name!r}]"
        else:
            continue
        assign = f"setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}"
        body.append(f"        {assign}")
    if post_init:
        body.append("        self.__post_init__()")
    signature = ", ".join(["self", *params, *(["*", *keyword] if keyword else [])])
    lines = ["def __make__(defaults, factories, MISSING, setattr):"]
    lines.append(f"    def __init__({signature}):")
    lines.extend(body or ["        pass"])
    shown = ", ".join(f"{f[0]}={{self.{f[0]}!r}}" for f in fields if f[5])
    lines.append("    def __repr__(self):")
    lines.append(f'        return f"{{self.__class__.__qualname__}}({shown})"')
    compared = [f[0] for f in fields if f[6]]
    mine = _tuple("self", compared)
    theirs = _tuple("other", compared)
    lines.append("    def __eq__(self, other):")
    lines.append("        if other.__class__ is self.__class__:")
    lines.append(f"            return {mine} == {theirs}")
    lines.append("        return NotImplemented")
    names = ["__init__", "__repr__", "__eq__"]
    if frozen:
        hashed = [f[0] for f in fields if (f[6] if f[7] is None else f[7])]
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
        _, shape = REGISTRY[key]
        out.append("")
        out.append("")
        out.append(method_source(shape).rstrip("\n"))
        out.append("")
        out.append("")
        out.append(f"MAKERS[{key!r}] = ({shape!r}, __make__)")
    if REGISTRY:
        out.append("del __make__")
    return "\n".join(out) + "\n"
