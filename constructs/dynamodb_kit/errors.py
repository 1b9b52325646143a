"""The kit's one error type: raised at construction time, before terraform runs."""

from __future__ import annotations

from enum import Enum
from typing import Any


class ValidationError(ValueError):
    """A construct was given a value it cannot turn into working infrastructure.

    The message always has the same shape, so it can be read and grepped::

        prod/Orders: gsi[1].read_capacity=5 is not allowed with billing
        PAY_PER_REQUEST; remove it or use PROVISIONED

    Attributes
    ----------
    path:
        The construct path (``stack/construct``).
    field:
        The prop that is wrong, with its index for lists (``gsi[1].read_capacity``).
    value:
        What was given.
    """

    def __init__(self, path: str, field: str, value: Any, problem: str, fix: str) -> None:
        self.path = path
        self.field = field
        self.value = value
        shown = value.value if isinstance(value, Enum) else value  # the service's literal
        super().__init__(f"{path}: {field}={shown!r} {problem}; {fix}")
