"""`uvmono.records.record`: dataclasses whose methods are compiled ahead, in `_records.py`.

The methods must behave as `dataclasses.dataclass`'s own (compared here class by class, on
the shapes uvmono uses), and `_records.py` must hold every record's methods, written from its
present shape: else each start-up compiles them again (`UVMONO_UPDATE_GOLDEN=1` rewrites it).
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import os
import pickle
import pkgutil
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest

import uvmono
from uvmono import records
from uvmono.records import record

WRITTEN = Path(records.__file__).with_name("_records.py")


@pytest.fixture(autouse=True)
def _registry_kept() -> Any:
    """The classes a test makes leave `records.REGISTRY` (`_records.py` is written from it):
    only uvmono's own stay."""
    yield
    for key in [key for key in records.REGISTRY if not key.startswith("uvmono.")]:
        del records.REGISTRY[key]


def _import_every_module() -> None:
    for info in pkgutil.walk_packages(uvmono.__path__, "uvmono."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)


def test_records_py_holds_every_records_methods() -> None:
    _import_every_module()
    assert len(records.REGISTRY) > 50
    text = records.written_module()
    if os.environ.get("UVMONO_UPDATE_GOLDEN") == "1":
        WRITTEN.write_text(text, encoding="utf-8")
    assert WRITTEN.read_text(encoding="utf-8") == text, (
        "src/uvmono/_records.py is out of date: UVMONO_UPDATE_GOLDEN=1 pytest tests/test_records.py"
    )


def test_the_written_methods_are_the_ones_used() -> None:
    _import_every_module()
    from uvmono import _records

    for key, (cls, text) in records.REGISTRY.items():
        assert _records.MAKERS[key][0] == text, key
        # The written function, not one compiled at start-up.
        assert vars(cls)["__init__"].__code__.co_filename == _records.__file__, key


def _pair(body: str, *, spec: Any = records.field, **options: Any) -> tuple[type, type]:
    """The same class body made by `record` (its fields declared with `spec`) and by
    `dataclass` (with `dataclasses.field`), with the same options."""
    made = []
    theirs = dataclasses.dataclass(**{"frozen": True, **options})
    makers = ((record(**options), spec), (theirs, field))
    for maker, spec_here in makers:
        namespace: dict[str, Any] = {"field": spec_here, "Any": Any}
        exec(f"class C:\n    'A class.'\n{body}", namespace)
        made.append(maker(namespace["C"]))
    return made[0], made[1]


SHAPES: dict[str, tuple[str, dict[str, Any], list[tuple[tuple[Any, ...], dict[str, Any]]]]] = {
    "plain": ("    a: int\n    b: str\n", {}, [((1, "x"), {}), ((2, "y"), {})]),
    "defaults": (
        "    a: int\n    b: tuple = ()\n    c: Any = None\n",
        {},
        [((1,), {}), ((1, (2,)), {}), ((1,), {"c": 3})],
    ),
    "factory": (
        "    a: int\n    b: list = field(default_factory=list)\n",
        {},
        [((1,), {}), ((1, [2]), {})],
    ),
    "not compared": (
        "    a: int\n    b: Any = field(default=None, compare=False, repr=False)\n",
        {},
        [((1,), {}), ((1, 5), {}), ((2, 5), {})],
    ),
    "not hashed": (
        "    a: int\n    b: int = field(default=0, hash=False)\n",
        {},
        [((1,), {}), ((1, 2), {})],
    ),
    "not in init": (
        "    a: int\n    b: list = field(default_factory=list, init=False)\n",
        {},
        [((1,), {}), ((3,), {})],
    ),
    "ordered": ("    a: str\n    b: int = 0\n", {"order": True}, [(("x",), {}), (("x", 1), {})]),
    "keyword only": ("    a: int\n    b: int = 2\n", {"kw_only": True}, [((), {"a": 1})]),
    "mutable": (
        "    a: int\n    b: list = field(default_factory=list)\n",
        {"frozen": False},
        [((1,), {}), ((1, [1]), {})],
    ),
    "post init": (
        "    a: int\n    def __post_init__(self):\n        if self.a < 0: raise ValueError('a')\n",
        {},
        [((1,), {})],
    ),
}


def _behaviour(cls: type, calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> list[Any]:
    out: list[Any] = []
    objs = [cls(*args, **kwargs) for args, kwargs in calls]
    for obj in objs:
        out.append(repr(obj).replace(cls.__qualname__, "C"))
        out.append(dataclasses.astuple(obj))
        out.append(copy.copy(obj) == obj)
        out.append(copy.deepcopy(obj) == obj)
        out.append(dataclasses.astuple(dataclasses.replace(obj)))
        out.append([f.name for f in dataclasses.fields(obj)])
        try:
            out.append(hash(obj) == hash(copy.copy(obj)))
        except TypeError as exc:
            out.append(("unhashable", str(exc)))
        for name in [f.name for f in dataclasses.fields(obj)][:1]:
            try:
                setattr(obj, name, 99)
                out.append(("set", getattr(obj, name)))
            except dataclasses.FrozenInstanceError as exc:
                out.append(("frozen", str(exc)))
    for x in objs:
        for y in objs:
            out.append(x == y)
            out.append(x != y)
            for op in ("__lt__", "__le__", "__gt__", "__ge__"):
                try:
                    out.append((op, getattr(x, op)(y)))
                except TypeError as exc:
                    out.append((op, "TypeError", str(exc)))
    out.append(objs[0] == object())
    out.append(getattr(cls, "__match_args__", None))
    return out


@pytest.mark.parametrize("spec", [records.field, field], ids=["records.field", "dataclasses.field"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_record_behaves_as_the_dataclass(shape: str, spec: Any) -> None:
    body, options, calls = SHAPES[shape]
    mine, theirs = _pair(body, spec=spec, **options)
    assert _behaviour(mine, calls) == _behaviour(theirs, calls)
    assert mine.__doc__ == theirs.__doc__ == "A class."
    # records' own view of the fields, as dataclasses'.
    assert [_described(f) for f in records.fields(mine)] == [
        _described(f) for f in dataclasses.fields(theirs)
    ]
    assert records.is_dataclass(mine) and records.is_dataclass(mine(*calls[0][0], **calls[0][1]))
    obj = mine(*calls[0][0], **calls[0][1])
    assert records.replace(obj) == dataclasses.replace(obj) == obj


def _described(f: Any) -> tuple[Any, ...]:
    missing = (records.MISSING, dataclasses.MISSING)
    return (
        f.name,
        f.type,
        None if f.default in missing else f.default,
        None if f.default_factory in missing else f.default_factory,
        f.init,
        f.repr,
        f.hash,
        f.compare,
        dict(f.metadata),
        f.kw_only,
    )


def test_a_records_view_for_dataclasses_is_made_when_first_read() -> None:
    @record
    class Point:
        x: int
        y: int = records.field(default=0, metadata={"unit": "m"})
        tags: tuple[str, ...] = records.field(default_factory=tuple, compare=False)

    assert "__dataclass_fields__" in vars(Point)  # a stand-in, until read
    found = dataclasses.is_dataclass(Point)  # (not in the assert: mypy would narrow Point)
    assert found
    view = vars(Point)["__dataclass_fields__"]
    assert isinstance(view, dict) and all(isinstance(f, dataclasses.Field) for f in view.values())
    assert [_described(f) for f in dataclasses.fields(Point)] == [
        _described(f) for f in records.fields(Point)
    ]
    assert dataclasses.fields(Point)[1].metadata["unit"] == "m"
    p = Point(1, 2, ("a",))
    assert dataclasses.asdict(p) == {"x": 1, "y": 2, "tags": ("a",)}
    assert dataclasses.replace(p, x=3) == records.replace(p, x=3) == Point(3, 2)
    assert Point.y == 0 and "tags" not in vars(Point)  # the class attributes dataclass leaves
    assert Point.__match_args__ == ("x", "y", "tags")

    @dataclasses.dataclass(frozen=True)
    class Point3(Point):  # a dataclass may inherit from a record
        z: int = 0

    assert [f.name for f in dataclasses.fields(Point3)] == ["x", "y", "tags", "z"]
    assert Point3(1, z=5) == Point3(1, 0, (), 5)


def test_a_record_inherits_a_records_fields() -> None:
    @record
    class Base:
        """Base."""

        a: int
        b: str = "x"

    @record
    class Child(Base):
        c: int = 3

    assert [f.name for f in records.fields(Child)] == ["a", "b", "c"]
    assert Child(1) == Child(1, "x", 3) and repr(Child(1)).endswith(".Child(a=1, b='x', c=3)")
    assert Child(1) != Base(1, "x")
    # No docstring: the signature of the constructor it inherits (the base's, without
    # annotations), as dataclass writes it before the methods are added.
    assert Child.__doc__ == "Child(a, b='x')"


def test_replace_refuses_a_field_not_in_init() -> None:
    mine, theirs = _pair("    a: int\n    b: list = field(default_factory=list, init=False)\n")
    for replace in (records.replace, dataclasses.replace):
        for cls in (mine, theirs):
            with pytest.raises(ValueError, match=r"^field b is declared with init=False"):
                replace(cls(1), b=[2])


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("    a: int = 1\n    b: int\n", "non-default argument 'b' follows default argument"),
        ("    a: list = []\n", "mutable default <class 'list'> for field a is not allowed"),
        ("    a = field(default=1)\n", "'a' is a field but has no type annotation"),
    ],
)
def test_a_bad_class_is_refused_as_dataclass_refuses_it(body: str, error: str) -> None:
    for spec in (records.field, field):
        for maker in (record, dataclasses.dataclass):
            namespace: dict[str, Any] = {"field": spec if maker is record else field}
            exec(f"class C:\n{body}", namespace)
            with pytest.raises((TypeError, ValueError), match=f"^{error}"):
                maker(namespace["C"])


def test_errors_of_a_bad_call_are_the_dataclasses() -> None:
    mine, theirs = _pair("    a: int\n    b: int = 2\n", kw_only=True)
    for cls in (mine, theirs):
        with pytest.raises(TypeError):
            cls(1)  # keyword only
    body = "    a: int\n    def __post_init__(self):\n        raise ValueError(self.a)\n"
    mine, theirs = _pair(body)
    for cls in (mine, theirs):
        with pytest.raises(ValueError, match=r"^5$"):
            cls(5)


def test_a_class_with_methods_of_its_own_is_left_to_dataclass() -> None:
    @record
    class Own:
        a: int

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 1

    assert Own(1) == Own(2) and hash(Own(1)) == 1
    assert "tests.test_records" not in "".join(records.REGISTRY)


def test_uvmonos_records_pickle_and_compare_as_before() -> None:
    from uvmono.changes import ChangeSet
    from uvmono.names import Requirement

    change = ChangeSet(Path("/r"), "a" * 40, None, "main", ("x.py",))
    assert pickle.loads(pickle.dumps(change)) == change and hash(change) == hash(copy.copy(change))
    assert sorted([Requirement("b"), Requirement("a", ("x",))])[0].name == "a"
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'base'"):
        change.base = "b"  # type: ignore[misc]
