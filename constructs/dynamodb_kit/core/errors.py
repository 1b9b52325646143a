"""The kit's one error type: raised at construction time, before terraform runs."""

from __future__ import annotations

from enum import Enum
from typing import Any


class ValidationError(ValueError):
    """A construct or props object was given a value it cannot turn into working
    infrastructure.

    The message always has the same shape, so it can be read and grepped::

        prod/Orders: gsi[1].billing=... is not allowed with billing PAY_PER_REQUEST; ...

    Attributes
    ----------
    path:
        Where: the construct path (``stack/construct``) for rules checked by a
        construct, or the props type (``TableProps``) for types checked when a
        props object is created.
    field:
        The prop that is wrong, with its index for lists (``gsi[1].name``).
    value:
        What was given.
    problem, fix:
        What is wrong (and what is allowed), and what to do.
    """

    def __init__(self, path: str, field: str, value: Any, *, problem: str, fix: str) -> None:
        self.path = path
        self.field = field
        self.value = value
        self.problem = problem
        self.fix = fix
        shown = value.value if isinstance(value, Enum) else value  # the service's literal
        super().__init__(f"{path}: {field}={shown!r} {problem}; {fix}")
