"""Monthly dollars from a workload and a snapshot: throughput per dimension in
each mode, storage, backups and streams.

A month is 730 hours (AWS's billing month) unless a calendar month is asked
for; then each day of the week counts as often as it occurs in that month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np

from .prices import HOURS_PER_MONTH, STANDARD, STANDARD_IA, Snapshot
from .simulate import Policy
from .workload import Dimension, Workload

CLASSES = (STANDARD, STANDARD_IA)
RESERVED_BLOCK = 100  # reserved capacity is bought in blocks of 100 units


@dataclass(frozen=True)
class Month:
    """730 hours, or a calendar month (``year``, ``month``)."""

    year: int | None = None
    month: int | None = None

    def weights(self) -> np.ndarray:
        """How many times each day of the week (Monday first) counts."""
        if self.year is None:
            return np.full(7, HOURS_PER_MONTH / 168)
        counts = np.zeros(7)
        for day in range(1, calendar.monthrange(self.year, self.month)[1] + 1):
            counts[calendar.weekday(self.year, self.month, day)] += 1
        return counts

    @property
    def hours(self) -> float:
        return float(self.weights().sum() * 24)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.year else "730-hour month"


@dataclass(frozen=True)
class Option:
    """One way to pay for one dimension's throughput, with what the simulator
    (or, on demand, the workload) says it takes."""

    dimension: Dimension
    family: str  # "on-demand", "fixed", "autoscaled", "scheduled"
    policy: Policy | None
    units_by_day: tuple[float, ...]  # per day of the week: request units (on demand) or unit-minutes held
    throttled: float = 0.0  # fraction of requested units
    lowest: float = 0.0  # the lowest capacity held in the week

    @property
    def weekly(self) -> float:
        """Request units, or unit-minutes held, in the simulated week."""
        return float(sum(self.units_by_day))

    def quantity(self, month: Month) -> float:
        """Request units (on demand) or capacity unit-hours in the month."""
        per_day = np.array(self.units_by_day) * month.weights()
        return float(per_day.sum() if self.family == "on-demand" else per_day.sum() / 60)

    def usd(self, snapshot: Snapshot, table_class: str, month: Month) -> float:
        kind = self.dimension.kind
        if self.family == "on-demand":
            return self.quantity(month) * snapshot.request_unit(kind, table_class)
        return self.quantity(month) * snapshot.capacity_unit_hour(kind, table_class)

    def reserved_usd(self, snapshot: Snapshot, term: str, month: Month) -> float:
        """Standard class with reserved capacity for the blocks of 100 units held
        all week; the rest at the provisioned price."""
        kind = self.dimension.kind
        reserved_units = RESERVED_BLOCK * int(self.lowest // RESERVED_BLOCK)
        held = self.quantity(month)
        rest = held - reserved_units * month.hours
        return (reserved_units * month.hours * snapshot.reserved(kind, term).effective_hourly
                + rest * snapshot.capacity_unit_hour(kind, STANDARD))


def on_demand(workload: Workload, dimension: Dimension) -> Option:
    per_minute = workload.demand[workload.row(dimension)] * 60
    by_day = per_minute.reshape(7, 1440).sum(axis=1)
    return Option(dimension, "on-demand", None, tuple(by_day))


@dataclass(frozen=True)
class Fixed:
    """What a table pays whatever the throughput mode, in one class."""

    storage: float
    backups: float
    streams: float

    @property
    def total(self) -> float:
        return self.storage + self.backups + self.streams


def fixed_costs(workload: Workload, snapshot: Snapshot, table_class: str, month: Month,
                at_month: int = 1) -> Fixed:
    """Storage (with growth, in the middle of month ``at_month``), PITR and
    backup copies on the table's size, stream reads by non-Lambda consumers
    (Lambda triggers read for free)."""
    profile, size = workload.profile, workload.storage
    grown = size.growth(at_month)
    table_gb = size.table_gb * grown
    backups = (table_gb * snapshot.pitr_gb_month if profile.pitr else 0.0) + (
        profile.backup_copies * table_gb * snapshot.backup_gb_month)
    streams = profile.stream_read_units_per_second * month.hours * 3600 * snapshot.streams_read_request
    return Fixed(size.total_gb * grown * snapshot.storage_gb_month(table_class), backups, streams)
