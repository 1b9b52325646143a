"""Provisioned capacity over a week, minute by minute, with AWS's rules.

Each minute, for every configuration at once (numpy over configurations):

- the capacity in force is at least the minimum in force (a schedule that
  raises the minimum raises the capacity at once);
- requests use the capacity, then burst credit: unused capacity is kept for
  up to 300 seconds; what neither covers is throttled (counted, not retried);
- target tracking (Application Auto Scaling) scales out after 2 consecutive
  minutes with consumed/provisioned above the target, to consumed/target (at
  most the max); it scales in after 15 consecutive minutes at 20% or more
  below the target (utilisation < 0.8 x target), to consumed/target (at least
  the minimum in force), if a decrease is allowed: 4 per UTC day at any time,
  then 1 per hour when none happened in the previous hour (27 a day);
- cooldowns are Application Auto Scaling's defaults (0) and scale-in is on.

The week starts on a Monday at 00:00 UTC; one day of warm-up before it (the
week's Sunday again) sets the capacity and credit the week starts with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

MINUTES = 7 * 24 * 60
WARMUP = 24 * 60
BURST_SECONDS = 300  # unused capacity kept as burst credit
SCALE_OUT_MINUTES = 2  # consecutive minutes above target before scaling out
SCALE_IN_MINUTES = 15  # consecutive minutes 20% below target before scaling in
SCALE_IN_FACTOR = 0.8  # "20% below the target"
FREE_DECREASES = 4  # per UTC day, at any time
DECREASE_GAP = 60  # minutes without a decrease before another, after the 4 free ones
MAX_DECREASES = 27  # per UTC day


@dataclass(frozen=True)
class Policy:
    """One dimension's provisioned capacity: fixed (``target`` None, ``min`` ==
    ``max``), or target tracking between ``min`` and ``max``, optionally with
    the minimum raised to ``day_min`` while ``window`` (an index into the
    window masks given to :func:`simulate`) is open."""

    min: int
    max: int
    target: int | None = None  # percent
    window: int | None = None
    day_min: int | None = None

    @staticmethod
    def fixed(units: int) -> "Policy":
        return Policy(min=units, max=units)


@dataclass
class Result:
    """Per configuration: capacity held (unit-minutes, in total and per day of
    the week), the lowest capacity held, units demanded and throttled; with
    ``trace``, the capacity and throttled units of every minute."""

    capacity_minutes: np.ndarray
    capacity_by_day: np.ndarray  # (K, 7), Monday first
    lowest: np.ndarray
    demanded: np.ndarray
    throttled: np.ndarray
    capacity_trace: np.ndarray | None = None
    throttled_trace: np.ndarray | None = None
    _fraction: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        with np.errstate(invalid="ignore", divide="ignore"):
            self._fraction = np.where(self.demanded > 0, self.throttled / self.demanded, 0.0)

    @property
    def throttled_fraction(self) -> np.ndarray:
        return self._fraction


def simulate(demand: np.ndarray, rows: Sequence[int], policies: Sequence[Policy],
             windows: np.ndarray | None = None, trace: bool = False) -> Result:
    """Simulate ``policies[k]`` against ``demand[rows[k]]`` (units per second in
    each minute of the week, shape (dimensions, MINUTES)); ``windows`` is a
    boolean (n, MINUTES) array of schedule windows.

    Why it looks the way it does: the loop over minutes is sequential, so the
    per-minute work is a handful of numpy operations over all configurations;
    capacity changes (scaling, schedules) are rare and touch only the
    configurations concerned.
    """
    k = len(policies)
    rows = np.asarray(rows, dtype=np.intp)
    wanted_by_minute = np.ascontiguousarray(np.asarray(demand, dtype=float).T) * 60  # units per minute
    low = np.array([p.min for p in policies], dtype=float)
    high = np.array([p.max for p in policies], dtype=float)
    tracking = np.array([p.target is not None for p in policies])
    target = np.array([(p.target or 100) / 100 for p in policies])
    window = np.array([-1 if p.window is None else p.window for p in policies])
    day_min = np.array([p.day_min or p.min for p in policies], dtype=float)
    scheduled = np.flatnonzero(window >= 0)
    if len(scheduled) and windows is None:
        raise ValueError("policies with a window need the window masks")
    # Minutes at which some window opens or closes: the only times a floor moves.
    edges: set[int] = set()
    if len(scheduled):
        used = windows[np.unique(window[scheduled])]
        edges = set(np.flatnonzero((used != np.roll(used, 1, axis=1)).any(axis=0)).tolist())

    floor = low.copy()
    capacity = np.where(tracking, np.clip(np.ceil(wanted_by_minute[-WARMUP][rows] / 60 / target), low, high), low)
    credit = capacity * BURST_SECONDS
    above = np.zeros(k)
    below = np.zeros(k)
    decreases = np.zeros(k)
    last_decrease = np.full(k, -10.0**9)
    by_day = np.zeros((7, k))  # day-major: one contiguous row per day
    lowest = np.full(k, np.inf)
    throttled = np.zeros(k)
    traces = (np.zeros((k, MINUTES)), np.zeros((k, MINUTES))) if trace else None
    # Derived from the capacity, refreshed only where it changes.
    per_minute = np.empty(k)
    credit_cap = np.empty(k)
    out_threshold = np.empty(k)
    in_threshold = np.empty(k)
    over_floor = np.empty(k, dtype=bool)

    def refresh(idx: np.ndarray | slice) -> None:
        per_minute[idx] = capacity[idx] * 60
        credit_cap[idx] = capacity[idx] * BURST_SECONDS
        # Fixed capacities never cross these thresholds.
        out_threshold[idx] = np.where(tracking[idx], target[idx] * per_minute[idx], np.inf)
        in_threshold[idx] = np.where(tracking[idx], SCALE_IN_FACTOR * target[idx] * per_minute[idx], -np.inf)
        over_floor[idx] = capacity[idx] > floor[idx]

    def set_floor(minute: int) -> None:
        opened = windows[window[scheduled], minute]
        floor[scheduled] = np.where(opened, day_min[scheduled], low[scheduled])
        np.maximum(capacity, floor, out=capacity)  # a raised minimum raises the capacity now
        refresh(slice(None))

    refresh(slice(None))
    missed, served, available = np.empty(k), np.empty(k), np.empty(k)
    hot, cold = np.empty(k, dtype=bool), np.empty(k, dtype=bool)
    for t in range(-WARMUP, MINUTES):
        minute = t % MINUTES
        if len(scheduled) and (t == -WARMUP or minute in edges):
            set_floor(minute)
        if t == 0:
            lowest[:] = capacity
        wanted = wanted_by_minute[minute].take(rows)
        np.add(per_minute, credit, out=available)
        np.minimum(wanted, available, out=served)
        np.subtract(available, served, out=credit)
        np.minimum(credit, credit_cap, out=credit)
        if t >= 0:
            np.subtract(wanted, served, out=missed)
            throttled += missed
            by_day[minute // 1440] += capacity
            if traces is not None:
                traces[0][:, minute] = capacity
                traces[1][:, minute] = missed
        if minute % 1440 == 0:
            decreases[:] = 0  # a new UTC day
        np.greater(served, out_threshold, out=hot)
        above += 1
        above *= hot
        np.less(served, in_threshold, out=cold)
        below += 1
        below *= cold
        if above.max() >= SCALE_OUT_MINUTES:
            out_ready = np.flatnonzero(above >= SCALE_OUT_MINUTES)
            needed = np.minimum(np.ceil(served[out_ready] / 60 / target[out_ready]), high[out_ready])
            more = needed > capacity[out_ready]
            grow = out_ready[more]
            capacity[grow] = needed[more]
            above[grow] = 0
            refresh(grow)
        np.greater_equal(below, SCALE_IN_MINUTES, out=cold)
        cold &= over_floor
        if cold.any():
            in_ready = np.flatnonzero(cold)
            allowed = (decreases[in_ready] < MAX_DECREASES) & (
                (decreases[in_ready] < FREE_DECREASES) | (t - last_decrease[in_ready] >= DECREASE_GAP))
            candidates = in_ready[allowed]
            new = np.maximum(np.ceil(served[candidates] / 60 / target[candidates]), floor[candidates])
            less = new < capacity[candidates]
            shrink = candidates[less]
            if len(shrink):
                capacity[shrink] = new[less]
                below[shrink] = 0
                decreases[shrink] += 1
                last_decrease[shrink] = t
                refresh(shrink)
                if 0 <= t < MINUTES - 1:
                    lowest[shrink] = np.minimum(lowest[shrink], capacity[shrink])
    return Result(capacity_minutes=by_day.sum(axis=0), capacity_by_day=by_day.T.copy(), lowest=lowest,
                  demanded=wanted_by_minute[:, rows].sum(axis=0), throttled=throttled,
                  capacity_trace=traces[0] if traces else None, throttled_trace=traces[1] if traces else None)
