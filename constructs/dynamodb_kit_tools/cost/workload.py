"""From a profile to what DynamoDB sees: units per second in every minute of
the week for the table and each global secondary index, and the bytes stored.

Dimensions are what capacity is provisioned for: the table's reads and writes
(LSIs use the table's capacity) and each GSI's reads and writes.
"""

from __future__ import annotations

import datetime as dt
import zlib
import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from . import units
from .prices import GB, Kind
from .profile import Pattern, Profile, Shape
from .simulate import MINUTES


@dataclass(frozen=True)
class Dimension:
    kind: Kind
    index: str | None = None  # a GSI's name; None for the table (with its LSIs)

    @property
    def label(self) -> str:
        return f"{'table' if self.index is None else 'GSI ' + self.index} {self.kind}s"


@dataclass(frozen=True)
class Storage:
    table_gb: float  # items with their overhead, and LSI entries: what PITR and backups bill
    index_gb: dict[str, float]  # per GSI
    growth_percent_per_month: float

    @property
    def total_gb(self) -> float:
        return self.table_gb + sum(self.index_gb.values())

    def growth(self, month: int) -> float:
        """Size factor in the middle of month ``month`` (1 = the month ahead)."""
        return (1 + self.growth_percent_per_month / 100) ** (month - 0.5)


@dataclass(frozen=True)
class Workload:
    profile: Profile
    dimensions: tuple[Dimension, ...]
    demand: np.ndarray  # (dimensions, MINUTES): units per second, UTC minutes from Monday 00:00
    per_call: dict[str, dict[Dimension, float]]  # pattern name -> units one call costs
    storage: Storage
    clock: tuple[np.ndarray, np.ndarray]  # local (weekday, minute of day) of every UTC minute

    def row(self, dimension: Dimension) -> int:
        return self.dimensions.index(dimension)


@cache
def local_clock(timezone: str, week_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Local weekday (Monday 0) and minute of day of each minute of the UTC week."""
    zone = zoneinfo.ZoneInfo(timezone)
    start = dt.datetime.combine(week_of, dt.time(), tzinfo=dt.timezone.utc)
    weekday, minute = np.empty(MINUTES, dtype=np.int16), np.empty(MINUTES, dtype=np.int16)
    for m in range(0, MINUTES, 15):  # offsets change on quarter hours at most
        local = (start + dt.timedelta(minutes=m)).astimezone(zone)
        for i in range(15):
            mod = local.hour * 60 + local.minute + i
            weekday[m + i] = (local.weekday() + mod // 1440) % 7
            minute[m + i] = mod % 1440
    return weekday, minute


def multipliers(shape: Shape, clock: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The shape's multiplier in every UTC minute of the week."""
    weekday, minute = clock
    if shape.per_minute is not None:
        values = np.array(shape.per_minute)
    else:
        values = np.array(shape.hourly)[weekday, minute // 60]
    for burst in shape.bursts:
        starts = range(burst.start_minute, 1440, burst.every_minutes) if burst.every_minutes else [burst.start_minute]
        on = np.zeros(MINUTES, dtype=bool)
        for s in starts:
            on |= (minute >= s) & (minute < s + burst.minutes)
        on &= np.isin(weekday, list(burst.days))
        values = np.where(on, values * burst.multiplier, values)
    return values


def _after_update(item: dict[str, Any], pattern: Pattern) -> dict[str, Any]:
    after = {**item, **pattern.set}
    for name in pattern.remove:
        after.pop(name, None)
    return after


def call_units(profile: Profile, pattern: Pattern) -> dict[Dimension, float]:
    """Units one call of ``pattern`` consumes, per dimension."""
    item = profile.items[pattern.item].sample
    if pattern.is_read:
        return _read_units(profile, pattern, item)
    before = profile.items[pattern.replaces].sample if pattern.replaces else None
    if pattern.operation == "UpdateItem":
        before, after = item, _after_update(item, pattern)
    elif pattern.operation == "DeleteItem":
        before, after = item, None
    else:
        after = item
    out: dict[Dimension, float] = {}
    table_write = Dimension("write")
    calls = pattern.items_per_call if pattern.operation in ("BatchWriteItem", "TransactWriteItems") else 1
    size = lambda i: units.item_size(i) if i is not None else None  # noqa: E731
    out[table_write] = calls * units.write_units(size(before), size(after), transactional=pattern.transactional)
    for index in profile.indexes:
        shape = units.IndexShape(index.name, index.local, index.keys, index.projection, index.include)
        # A failed conditional write changes nothing, so no index is written.
        cost = calls * units.index_write_units(shape, profile.table_keys, before, after) * (1 - pattern.fails)
        dimension = table_write if index.local else Dimension("write", index.name)
        out[dimension] = out.get(dimension, 0.0) + cost
    return out


def _read_units(profile: Profile, pattern: Pattern, item: dict[str, Any]) -> dict[Dimension, float]:
    consistency = units.Consistency(pattern.consistency)
    size = units.item_size(item)
    if pattern.operation == "GetItem":
        return {Dimension("read"): units.get_item_units(size, consistency)}
    if pattern.operation in ("BatchGetItem", "TransactGetItems"):
        return {Dimension("read"): units.batch_get_units([size] * pattern.items_per_call, consistency)}
    index = profile.index(pattern.index) if pattern.index else None
    if index is not None:
        shape = units.IndexShape(index.name, index.local, index.keys, index.projection, index.include)
        size = units.index_entry_size(shape, profile.table_keys, item)
    read = pattern.evaluated_items or pattern.items_per_call  # a filter drops items after they are read
    dimension = Dimension("read", index.name) if index is not None and not index.local else Dimension("read")
    return {dimension: units.query_units([size] * read, consistency)}


def storage(profile: Profile) -> Storage:
    growth = profile.growth_percent_per_month
    if profile.storage_gb is not None:
        return Storage(profile.storage_gb, {}, growth)
    table = 0.0
    index_bytes = {i.name: 0.0 for i in profile.indexes if not i.local}
    for item in profile.items.values():
        table += item.count * units.stored_size(units.item_size(item.sample))
        for index in profile.indexes:
            shape = units.IndexShape(index.name, index.local, index.keys, index.projection, index.include)
            if all(k in item.sample for k in index.keys):  # sparse: only items with the index's keys
                entry = item.count * units.stored_size(units.index_entry_size(shape, profile.table_keys, item.sample))
                if index.local:
                    table += entry
                else:
                    index_bytes[index.name] += entry
    return Storage(table / GB, {k: v / GB for k, v in index_bytes.items()}, growth)


def derive(profile: Profile) -> Workload:
    dimensions = [Dimension("read"), Dimension("write")]
    for index in profile.indexes:
        if not index.local:
            dimensions += [Dimension("read", index.name), Dimension("write", index.name)]
    clock = local_clock(profile.timezone, profile.week_of)
    demand = np.zeros((len(dimensions), MINUTES))
    per_call = {}
    for pattern in profile.patterns:
        per_call[pattern.name] = call_units(profile, pattern)
        shape = multipliers(profile.shapes[pattern.shape], clock)
        for dimension, cost in per_call[pattern.name].items():
            demand[dimensions.index(dimension)] += pattern.rate * cost * shape
    for row, dimension in enumerate(dimensions):
        # Seeded by the profile and dimension, so every run sees the same week.
        rng = np.random.default_rng(zlib.crc32(f"{profile.name}/{dimension.label}".encode()))
        demand[row] *= np.clip(1 + profile.noise * rng.standard_normal(MINUTES), 0, None)
    return Workload(profile, tuple(dimensions), demand, per_call, storage(profile), clock)
