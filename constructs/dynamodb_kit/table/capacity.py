"""Provisioned capacity of a table or GSI: fixed, or following traffic.

``Capacity.fixed(n)`` holds n units. ``Capacity.autoscaled(...)`` lets
Application Auto Scaling's target tracking keep consumption near a target
utilization between a min and a max, optionally moved by schedules
(``ScheduledCapacity``), such as the classic business day: 1,500 read units
from 08:00, 200 from 20:00. Both are used through ``Billing.provisioned``; an
on-demand table has no capacity to give, so autoscaling it cannot be written.
"""

from __future__ import annotations

import re
from dataclasses import field

from ..core.aws_names import parse_instant
from ..core.checked import props
from ..core.cron import check_cron, check_timezone
from ..core.errors import ValidationError
from . import limits

# Application Auto Scaling's rules for DynamoDB target tracking.
MIN_TARGET_UTILIZATION = 20
MAX_TARGET_UTILIZATION = 90
_SCHEDULE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")
# cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), rate(N unit), at(yyyy-mm-ddThh:mm:ss)
_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")

class Capacity:
    """Provisioned read or write capacity. Build it with :meth:`fixed` or
    :meth:`autoscaled`; ``Billing.provisioned(read=..., write=...)`` takes it."""

    @staticmethod
    def fixed(units: int) -> "FixedCapacity":
        """Always ``units`` capacity units (1-40,000, the default per-table quota)."""
        return FixedCapacity(units)

    @staticmethod
    def autoscaled(
        *,
        min: int,
        max: int,
        target_utilization: int = 70,
        scale_in_cooldown: int | None = None,
        scale_out_cooldown: int | None = None,
        disable_scale_in: bool = False,
        schedules: tuple["ScheduledCapacity", ...] = (),
    ) -> "AutoscaledCapacity":
        """Target tracking between ``min`` and ``max`` units (see :class:`AutoscaledCapacity`)."""
        return AutoscaledCapacity(
            min=min, max=max, target_utilization=target_utilization,
            scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
            disable_scale_in=disable_scale_in, schedules=schedules,
        )

    @property
    def initial_units(self) -> int:
        """The units the table is created with."""
        raise NotImplementedError


def _check_units(where: str, field_name: str, value: int) -> None:
    if not 1 <= value <= limits.MAX_CAPACITY_UNITS:
        raise ValidationError(
            where, field_name, value,
            problem=f"is outside 1-{limits.MAX_CAPACITY_UNITS:,} capacity units",
            fix="choose a whole number in that range (ask AWS Service Quotas to raise the "
            "per-table quota for more)",
        )


@props(positional=True)
class FixedCapacity(Capacity):
    """Always ``units`` capacity units. Use ``Capacity.fixed(n)``.

    Attributes
    ----------
    units:
        1-40,000 (the default per-table quota; Service Quotas raises it).
    """

    units: int

    def _check(self) -> None:
        _check_units("FixedCapacity", "units", self.units)

    @property
    def initial_units(self) -> int:
        return self.units


@props
class ScheduledCapacity:
    """Move an autoscaled capacity's min and max at set times (no Lambda needed).

    From its time on, a schedule's ``min`` and ``max`` replace the capacity's
    (AWS's rule for scheduled actions); a bound it leaves out stays as it is.

    Attributes
    ----------
    name:
        Unique per capacity, 1-200 of ``[A-Za-z0-9_.-]``.
    schedule:
        ``cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR)`` (``?`` in one of
        the day fields; days ``SUN``-``SAT`` or 1-7), ``rate(N minutes|hours|days)``
        or ``at(2026-12-24T18:00:00)``.
    timezone:
        IANA time zone of the schedule. Default: ``Etc/UTC``.
    min, max:
        The new bounds, 1-40,000. Default: none, that bound unchanged; at
        least one of them.
    start, end:
        RFC 3339 UTC instants bounding when the schedule runs. Default: none,
        always.
    """

    name: str
    schedule: str
    timezone: str = "Etc/UTC"
    min: int | None = None
    max: int | None = None
    start: str | None = None
    end: str | None = None

    @classmethod
    def business_day(
        cls, timezone: str, *, day_min: int = 1500, night_min: int = 200, days: str = "MON-FRI"
    ) -> tuple["ScheduledCapacity", "ScheduledCapacity"]:
        """The classic heuristic: ``day_min`` units from 08:00, ``night_min`` from
        20:00, on ``days``, in ``timezone``. Default: 1,500 and 200, Monday to Friday."""
        return (
            cls(name="business-day-start", schedule=f"cron(0 8 ? * {days} *)", timezone=timezone,
                min=day_min),
            cls(name="business-day-end", schedule=f"cron(0 20 ? * {days} *)", timezone=timezone,
                min=night_min),
        )

    def _check(self) -> None:
        where = "ScheduledCapacity"
        if not _SCHEDULE_NAME.fullmatch(self.name):
            raise ValidationError(where, "name", self.name,
                                  problem="must be 1-200 characters of letters, digits, '_', '-' and '.'",
                                  fix="choose such a name")
        _check_schedule(where, "schedule", self.schedule)
        check_timezone(where, "timezone", self.timezone)
        if self.min is None and self.max is None:
            raise ValidationError(where, "min", None, problem="and max are both unset: the schedule changes nothing",
                                  fix="give the new min, max or both")
        for name in ("min", "max"):
            if getattr(self, name) is not None:
                _check_units(where, name, getattr(self, name))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError(where, "min", self.min, problem=f"is above max ({self.max})",
                                  fix="give min <= max")
        instants = {name: parse_instant(where, name, getattr(self, name))
                    for name in ("start", "end") if getattr(self, name) is not None}
        if len(instants) == 2 and instants["start"] >= instants["end"]:
            raise ValidationError(where, "end", self.end, problem=f"is not after start ({self.start})",
                                  fix="give an end after the start")


@props
class AutoscaledCapacity(Capacity):
    """Target tracking: Application Auto Scaling keeps consumed/provisioned near
    ``target_utilization`` percent, between ``min`` and ``max``. Use
    ``Capacity.autoscaled(...)``.

    AWS scales out after 2 minutes above the target and in after 15 minutes
    20% or more below it; decreases are limited per day (see the capacity page).

    Attributes
    ----------
    min, max:
        1 <= min <= max <= 40,000 (the default per-table quota).
    target_utilization:
        Percent, 20-90. Default: 70.
    scale_in_cooldown, scale_out_cooldown:
        Seconds, >= 0. Default: none, Application Auto Scaling's own (0).
    disable_scale_in:
        Only ever scale out. Default: ``False``.
    schedules:
        Scheduled changes of min and max. Default: none.
    """

    min: int
    max: int
    target_utilization: int = 70
    scale_in_cooldown: int | None = None
    scale_out_cooldown: int | None = None
    disable_scale_in: bool = False
    schedules: tuple[ScheduledCapacity, ...] = field(default=())

    def _check(self) -> None:
        where = "AutoscaledCapacity"
        _check_units(where, "min", self.min)
        _check_units(where, "max", self.max)
        if self.min > self.max:
            raise ValidationError(where, "min", self.min, problem=f"is above max ({self.max})",
                                  fix="give 1 <= min <= max")
        low, high = MIN_TARGET_UTILIZATION, MAX_TARGET_UTILIZATION
        if not low <= self.target_utilization <= high:
            raise ValidationError(
                where, "target_utilization", self.target_utilization,
                problem=f"is outside {low}-{high} percent (Application Auto Scaling's range for DynamoDB)",
                fix="choose a target such as 70",
            )
        for name in ("scale_in_cooldown", "scale_out_cooldown"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError(where, name, value, problem="is negative",
                                      fix="give seconds, 0 or more")
        seen: set[str] = set()
        for i, schedule in enumerate(self.schedules):
            if schedule.name in seen:
                raise ValidationError(where, f"schedules[{i}].name", schedule.name,
                                      problem="is already used by another schedule",
                                      fix="give every schedule of a capacity its own name")
            seen.add(schedule.name)
            low_bound = schedule.min if schedule.min is not None else self.min
            high_bound = schedule.max if schedule.max is not None else self.max
            if low_bound > high_bound:
                raise ValidationError(
                    where, f"schedules[{i}].min", low_bound,
                    problem=f"is above the max in force then ({high_bound}): a schedule's bounds replace "
                    "the capacity's, and the bound it leaves out stays",
                    fix="raise the capacity's max, or give the schedule a max too",
                )

    @property
    def initial_units(self) -> int:
        return self.min


def _check_schedule(where: str, field_name: str, expression: str) -> None:
    fix = ("use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), rate(N minutes|hours|days) "
           "or at(2026-12-24T18:00:00)")
    rate = _RATE.fullmatch(expression)
    if rate:
        if int(rate.group(1)) < 1:
            raise ValidationError(where, field_name, expression, problem="has a rate below 1", fix=fix)
        return
    at = _AT.fullmatch(expression)
    if at:
        try:
            parse_instant(where, field_name, at.group(1) + "Z")
        except ValidationError as error:
            raise ValidationError(where, field_name, expression, problem=error.problem, fix=fix) from None
        return
    check_cron(where, field_name, expression, fix)
