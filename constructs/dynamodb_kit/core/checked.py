"""The checked edge: every props type checks its fields' types when it is created.

``@props`` makes a frozen, keyword-only dataclass whose ``__post_init__`` checks
each field against its annotation, so no per-field check is ever written by
hand and no field can be added that escapes it (``tests/kit/test_checked_edge.py``
walks every public props type). The rules, derived from the annotation:

- ``str``, ``int``, ``bool``: exactly that type; an ``int`` is never a ``bool``
  and a ``bool`` is never an ``int``;
- an ``Enum``: a member, or its exact literal (``"S"``), coerced to the member;
- ``X | None``: ``None`` only there, where the docs say "Default: none";
- ``tuple[X, ...]``: a tuple or list (stored as a tuple), never a bare ``str``;
- ``Mapping[str, str]``: a mapping of str to str (stored as a ``dict`` copy);
- a class (props type, construct): an instance of it, not a dict or a name;
- ``Literal[...]``: one of the literals.

After the types, a class may check its own cross-field rules in ``_check()``.
Rules that need the construct path (DynamoDB's key rules, for example) run in
the construct, which re-raises with its path.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Literal, TypeVar, Union

from .errors import ValidationError

T = TypeVar("T")
Check = Callable[[str, str, Any], Any]  # (where, field, value) -> value, maybe coerced
CHECKED_MARKER = "__kit_checked_fields__"


def _a(name: str) -> str:
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _plural(allowed: str) -> str:
    """'a str' -> 'str', for 'a tuple of str'."""
    return allowed.split(" ", 1)[1] if allowed.startswith(("a ", "an ")) else allowed


def _fail(where: str, field: str, value: Any, allowed: str, fix: str) -> ValidationError:
    kind = type(value).__name__
    return ValidationError(where, field, value, problem=f"must be {allowed}, not {kind}", fix=fix)


def _scalar(kind: type) -> Check:
    names = {str: "a str", int: "a whole number (int)", bool: "True or False"}
    fixes = {str: "give text in quotes", int: "give a whole number, not a string or a bool",
             bool: "give True or False explicitly"}

    def check(where: str, field: str, value: Any) -> Any:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise _fail(where, field, value, names[kind], fixes[kind])
        return value

    check.allowed = names[kind]  # type: ignore[attr-defined]
    return check


def enum_check(kind: type[enum.Enum]) -> Check:
    allowed = ", ".join(str(member.value) for member in kind)

    def check(where: str, field: str, value: Any) -> Any:
        if isinstance(value, kind):
            return value
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            try:
                return kind(value)
            except ValueError:
                pass
        raise ValidationError(
            where, field, value,
            problem=f"is not one of {allowed}",
            fix=f"use {_a(kind.__name__)} member or one of {allowed}",
        )

    check.allowed = _a(kind.__name__)  # type: ignore[attr-defined]
    return check


def _instance(kind: type) -> Check:
    name = kind.__name__

    def check(where: str, field: str, value: Any) -> Any:
        if isinstance(value, kind):
            return value
        if isinstance(value, Mapping):
            fix = f"build it with {name}(...), not a dict"
        elif isinstance(value, str):
            fix = getattr(kind, "__checked_hint__", None) or f"pass the {name} object itself, not its name"
        else:
            fix = f"pass {_a(name)}"
        raise _fail(where, field, value, _a(name), fix)

    check.allowed = _a(name)  # type: ignore[attr-defined]
    return check


def _sequence(item: Check) -> Check:
    def check(where: str, field: str, value: Any) -> Any:
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise _fail(
                where, field, value, f"a tuple of {_plural(item.allowed)}",  # type: ignore[attr-defined]
                "wrap it in a tuple, e.g. (x,): a bare string is not a list of one"
                if isinstance(value, str) else "give a tuple (or list) of them",
            )
        checked = tuple(item(where, f"{field}[{i}]", v) for i, v in enumerate(value))
        return checked if isinstance(value, list) or any(
            a is not b for a, b in zip(checked, value)
        ) else value

    check.allowed = f"a tuple of {_plural(item.allowed)}"  # type: ignore[attr-defined]
    return check


def _mapping(key: Check, val: Check) -> Check:
    allowed = f"a mapping of {_plural(key.allowed)} to {_plural(val.allowed)}"  # type: ignore[attr-defined]

    def check(where: str, field: str, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _fail(where, field, value, allowed, "give a dict, e.g. {'Team': 'data'} for tags")
        for k, v in value.items():
            key(where, f"{field} key", k)
            val(where, f"{field}[{k!r}]", v)
        return dict(value)

    check.allowed = allowed  # type: ignore[attr-defined]
    return check


def _literal(values: tuple[Any, ...]) -> Check:
    shown = " or ".join(repr(v) for v in values)

    def check(where: str, field: str, value: Any) -> Any:
        # ``is`` for bools and None: 0 is not False.
        if any(value is v or (type(value) is type(v) and value == v) for v in values):
            return value
        raise ValidationError(where, field, value, problem=f"is not {shown}", fix=f"use {shown}")

    check.allowed = shown  # type: ignore[attr-defined]
    return check


def _union(options: list[Check], optional: bool) -> Check:
    allowed = " or ".join(o.allowed for o in options)  # type: ignore[attr-defined]
    if optional:
        allowed += " or None"

    def check(where: str, field: str, value: Any) -> Any:
        if value is None and optional:
            return None
        errors = []
        for option in options:
            try:
                return option(where, field, value)
            except ValidationError as error:
                errors.append(error)
        if len(errors) == 1:  # ``X | None``: X's own message is the clearest
            raise errors[0]
        raise _fail(where, field, value, allowed, f"give {allowed}")

    check.allowed = allowed  # type: ignore[attr-defined]
    return check


def compile_check(annotation: Any) -> Check:
    """The check for one annotation; ``TypeError`` for a shape the edge cannot check."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in (str, int, bool):
        return _scalar(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return enum_check(annotation)
    if origin in (Union, types.UnionType):
        optional = type(None) in args
        options = [compile_check(a) for a in args if a is not type(None)]
        return _union(options, optional)
    if origin is Literal:
        return _literal(args)
    if origin in (tuple, Sequence) and (origin is Sequence or (len(args) == 2 and args[1] is ...)):
        return _sequence(compile_check(args[0]))
    if origin is Mapping or origin is dict:
        return _mapping(compile_check(args[0]), compile_check(args[1]))
    if isinstance(annotation, type) and annotation not in (object, float, list, dict, tuple):
        return _instance(annotation)
    raise TypeError(f"the checked edge cannot check fields annotated {annotation!r}")


def field_checks(cls: type) -> dict[str, Check]:
    """Field name -> check, compiled once per class (on first use)."""
    compiled = cls.__dict__.get(CHECKED_MARKER)
    if compiled is None:
        hints = typing.get_type_hints(cls)
        compiled = {f.name: compile_check(hints[f.name]) for f in dataclasses.fields(cls)}
        setattr(cls, CHECKED_MARKER, compiled)
    return compiled


def check_fields(obj: Any) -> None:
    """Check (and coerce) every field of a dataclass instance in place.

    A field may carry its own fix for a wrong type in its metadata:
    ``field(metadata={"fix": "..."})``.
    """
    where = type(obj).__name__
    fixes = {f.name: f.metadata.get("fix") for f in dataclasses.fields(obj)}
    for name, check in field_checks(type(obj)).items():
        value = getattr(obj, name)
        try:
            checked = check(where, name, value)
        except ValidationError as error:
            if not fixes[name]:
                raise
            raise ValidationError(where, error.field, error.value, problem=error.problem,
                                  fix=fixes[name]) from None
        if checked is not value:
            object.__setattr__(obj, name, checked)


def props(cls: type[T] | None = None, *, positional: bool = False) -> Any:
    """Class decorator: a frozen dataclass whose fields are checked when created.

    ``positional=True`` keeps positional arguments (``Attribute("pk", "N")``);
    props types are keyword-only otherwise.
    """

    def wrap(cls: type[T]) -> type[T]:
        own_check = cls.__dict__.get("_check")

        def __post_init__(self: Any) -> None:
            check_fields(self)
            if own_check is not None:
                own_check(self)

        cls.__post_init__ = __post_init__  # type: ignore[attr-defined]
        return dataclasses.dataclass(frozen=True, kw_only=not positional)(cls)

    return wrap(cls) if cls is not None else wrap


def is_checked(cls: type) -> bool:
    """Whether ``cls`` was made by :func:`props` (every field checked on creation)."""
    return dataclasses.is_dataclass(cls) and "__post_init__" in cls.__dict__ and (
        cls.__dict__["__post_init__"].__qualname__.endswith("wrap.<locals>.__post_init__")
    )


def expect_props(where: str, value: Any, cls: type[T]) -> T:
    """A construct's props argument: an instance of ``cls``, or the kit's error
    (a dict, a name or None reaches no construct code)."""
    if not isinstance(value, cls):
        raise ValidationError(
            where, "props", value,
            problem=f"must be {_a(cls.__name__)}, not {type(value).__name__}",
            fix=f"build it with {cls.__name__}(...)",
        )
    return value
