"""DynamoDB's unit arithmetic: item sizes, read and write units, and what each
secondary index adds to a write. Pure Python, AWS's documented rules.

Sources: "DynamoDB item sizes and formats" and "Read/write capacity mode" in
the DynamoDB developer guide, and the DynamoDB pricing page's key terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Mapping

READ_UNIT_BYTES = 4096  # one strongly consistent read of up to 4 KB
WRITE_UNIT_BYTES = 1024  # one standard write of up to 1 KB
PAGE_BYTES = 1024 * 1024  # Query and Scan read at most 1 MB per page
ITEM_STORAGE_OVERHEAD_BYTES = 100  # per item and per index entry, storage only
CONTAINER_OVERHEAD_BYTES = 3  # a List or a Map, whatever it holds
ELEMENT_OVERHEAD_BYTES = 1  # each element of a List or a Map

Item = Mapping[str, Any]


class Consistency(str, Enum):
    """How a read is made; the value is the unit factor's name in profiles."""

    EVENTUAL = "eventual"
    STRONG = "strong"
    TRANSACTIONAL = "transactional"

    @property
    def factor(self) -> float:
        # Half a unit per 4 KB eventually consistent, one strong, two in a transaction.
        return {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}[self.value]


# ---- sizes ----------------------------------------------------------------


def number_size(value: int | float | Decimal | str) -> int:
    """About 1 byte per 2 significant digits, plus 1 (leading and trailing
    zeros trimmed)."""
    digits = Decimal(str(value)).normalize().as_tuple().digits
    significant = len(digits) if any(digits) else 1
    return math.ceil(significant / 2) + 1


def value_size(value: Any) -> int:
    """Bytes of one attribute value, without its name."""
    if value is None or isinstance(value, bool):  # bool before int: True is an int
        return 1
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, (int, float, Decimal)):
        return number_size(value)
    if isinstance(value, (bytes, bytearray)):
        return len(value)  # raw bytes, not the base64 sent on the wire
    if isinstance(value, (set, frozenset)):
        return sum(value_size(v) for v in value)  # sets carry no overhead
    if isinstance(value, (list, tuple)):
        return CONTAINER_OVERHEAD_BYTES + sum(ELEMENT_OVERHEAD_BYTES + value_size(v) for v in value)
    if isinstance(value, Mapping):
        return CONTAINER_OVERHEAD_BYTES + sum(
            ELEMENT_OVERHEAD_BYTES + len(k.encode()) + value_size(v) for k, v in value.items()
        )
    raise TypeError(f"no DynamoDB size for a {type(value).__name__}: {value!r}")


def attribute_size(name: str, value: Any) -> int:
    return len(name.encode()) + value_size(value)


def item_size(item: Item) -> int:
    """Bytes of an item: the sum of its attribute names and values."""
    return sum(attribute_size(name, value) for name, value in item.items())


def stored_size(item_bytes: int) -> int:
    """What storage bills for an item or an index entry: its size plus 100 bytes."""
    return item_bytes + ITEM_STORAGE_OVERHEAD_BYTES


# ---- reads ----------------------------------------------------------------


def _units(size: int, unit_bytes: int) -> int:
    return max(1, math.ceil(size / unit_bytes))  # a read of nothing still costs one unit


def get_item_units(size: int, consistency: Consistency = Consistency.STRONG) -> float:
    """GetItem: the item's size rounded up to 4 KB."""
    return _units(size, READ_UNIT_BYTES) * consistency.factor


def batch_get_units(sizes: Iterable[int], consistency: Consistency = Consistency.STRONG) -> float:
    """BatchGetItem and TransactGetItems: each item rounded up to 4 KB, then summed."""
    return sum(_units(s, READ_UNIT_BYTES) for s in sizes) * consistency.factor


def query_units(sizes: Iterable[int], consistency: Consistency = Consistency.STRONG) -> float:
    """Query and Scan: the sizes of the items *read* (returned, or evaluated when
    a filter drops some) summed, then rounded up to 4 KB, per 1 MB page."""
    total = sum(sizes)
    full_pages, rest = divmod(total, PAGE_BYTES)
    units = full_pages * (PAGE_BYTES // READ_UNIT_BYTES) + (math.ceil(rest / READ_UNIT_BYTES) if rest else 0)
    return max(1, units) * consistency.factor


# ---- writes ---------------------------------------------------------------


def write_units(before: int | None, after: int | None, *, transactional: bool = False) -> int:
    """PutItem, UpdateItem, DeleteItem: the larger of the item before and after,
    rounded up to 1 KB (a failed conditional write still pays this)."""
    size = max(before or 0, after or 0)
    return _units(size, WRITE_UNIT_BYTES) * (2 if transactional else 1)


def batch_write_units(sizes: Iterable[int], *, transactional: bool = False) -> int:
    """BatchWriteItem and TransactWriteItems: each item rounded up to 1 KB."""
    return sum(_units(s, WRITE_UNIT_BYTES) for s in sizes) * (2 if transactional else 1)


# ---- secondary indexes ----------------------------------------------------


@dataclass(frozen=True)
class IndexShape:
    """What the unit math needs of an index: its keys and projection.

    ``keys`` are the index's own key attributes (an LSI's sort key only; its
    partition key is the table's). ``projection`` is ``ALL``, ``KEYS_ONLY`` or
    ``INCLUDE`` with ``include`` naming the non-key attributes.
    """

    name: str
    local: bool
    keys: tuple[str, ...]
    projection: str = "ALL"
    include: tuple[str, ...] = ()


def _in_index(index: IndexShape, item: Item | None) -> bool:
    # Sparse indexes: an item without all the index's keys has no entry.
    return item is not None and all(key in item for key in index.keys)


def _projected(index: IndexShape, table_keys: tuple[str, ...], name: str) -> bool:
    if index.projection == "ALL" or name in table_keys or name in index.keys:
        return True
    return index.projection == "INCLUDE" and name in index.include


def index_entry(index: IndexShape, table_keys: tuple[str, ...], item: Item) -> dict[str, Any]:
    """The attributes an index stores for an item: table keys, index keys and
    projected attributes."""
    return {k: v for k, v in item.items() if _projected(index, table_keys, k)}


def index_entry_size(index: IndexShape, table_keys: tuple[str, ...], item: Item) -> int:
    return item_size(index_entry(index, table_keys, item))


def index_write_units(index: IndexShape, table_keys: tuple[str, ...], before: Item | None,
                      after: Item | None) -> int:
    """Write units one table write costs an index (LSIs bill them to the table).

    Nothing when the item has the index's keys neither before nor after; a put
    when they appear, a delete when they go; a delete *and* a put (2 writes)
    when a key value changes; nothing when only unprojected attributes change.
    Each write is the entry's size rounded up to 1 KB.
    """
    had, has = _in_index(index, before), _in_index(index, after)
    if not had and not has:
        return 0
    old = index_entry(index, table_keys, before) if had else None
    new = index_entry(index, table_keys, after) if has else None
    if old is None or new is None:
        return _units(item_size(old if new is None else new), WRITE_UNIT_BYTES)
    if any(old.get(k) != new.get(k) for k in index.keys):
        return _units(item_size(old), WRITE_UNIT_BYTES) + _units(item_size(new), WRITE_UNIT_BYTES)
    if old == new:
        return 0
    return _units(max(item_size(old), item_size(new)), WRITE_UNIT_BYTES)
