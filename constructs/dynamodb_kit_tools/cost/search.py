"""The configuration space of provisioned capacity, and two ways to search it
for the cheapest configuration within a throttle budget.

Per dimension (table reads, table writes, each GSI's reads and writes):

- **fixed** ``n`` units, ``n`` with 3 significant digits (steps of at most 1%);
- **autoscaled**: target tracking at ``target`` in 20, 30, ..., 90 percent,
  ``min`` on the E24 series (steps of at most 10%), ``max`` twice what the
  week's peak needs at that target;
- **scheduled**: autoscaled, with the minimum raised to ``day_min`` (E24)
  in a window (whole local hours, on weekdays or every day) taken from the
  dimension's own weekly shape (the longest run of hours at 50% or 25% of the
  day's peak, from its first hour or one hour before); outside the window
  target tracking alone holds the capacity.

A minimum at or below what the week's quietest minute needs never binds:
every such minimum behaves the same, so the space holds one of them, the
largest on the grid (it reads better than 1 in the advice).

:func:`advise` searches coarse then fine (two simulator runs);
:func:`brute_force` simulates every configuration of the space within bounds
that cannot hold a cheaper one (below them too little capacity, above them
nothing changes). Both use the same simulator, so the tests can hold the
advisor to the brute-force optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .estimate import Option
from .simulate import MINUTES, Policy, simulate
from .workload import Dimension, Workload

TARGETS = (20, 30, 40, 50, 60, 70, 80, 90)
MAX_UNITS = 40_000  # the default per-table quota
E24 = (1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.8, 2.0, 2.2, 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.3, 4.7, 5.1, 5.6, 6.2,
       6.8, 7.5, 8.2, 9.1)
FAMILIES = ("fixed", "autoscaled", "scheduled")


def _series(mantissas: tuple[float, ...]) -> tuple[int, ...]:
    values = {round(m * 10**e) for e in range(5) for m in mantissas} | set(range(1, 11))
    return tuple(sorted(v for v in values if 1 <= v <= MAX_UNITS))


# 1-999 one by one, then three significant digits, up to the quota.
FINE = tuple(v for v in sorted({round(m / 100 * 10**e) for e in range(5) for m in range(100, 1000)} | set(range(1, 100)))
             if v <= MAX_UNITS)
GRID_E24 = _series(E24)


@dataclass(frozen=True)
class Window:
    """Local whole hours ``start`` to ``end`` (24 = midnight) on ``days`` (Monday 0)."""

    start: int
    end: int
    days: frozenset[int]

    def mask(self, clock: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        weekday, minute = clock
        return np.isin(weekday, list(self.days)) & (minute >= self.start * 60) & (minute < self.end * 60)


def ceiling(peak: float, target: int, *floors: int) -> int:
    """The max an autoscaled capacity gets: twice what the peak needs, a guard
    against a runaway bill that the week never reaches."""
    return int(min(MAX_UNITS, max(math.ceil(2 * peak / (target / 100)), *floors, 1)))


def candidate_windows(workload: Workload, dimension: Dimension) -> list[Window]:
    demand = workload.demand[workload.row(dimension)]
    weekday, minute = workload.clock
    hourly = np.zeros((7, 24))
    np.add.at(hourly, (weekday, minute // 60), demand)
    weekend_low = hourly[5:].mean() < 0.5 * hourly[:5].mean()
    days = frozenset(range(5)) if weekend_low else frozenset(range(7))
    day = hourly[sorted(days)].mean(axis=0)
    if day.max() <= 0 or day.max() < 1.5 * day.min():
        return []  # no daily swing worth a schedule
    found: list[Window] = []
    for share in (0.5, 0.25):
        high = day >= share * day.max()
        best = (0, 0)
        start = None
        for hour in range(25):
            if hour < 24 and high[hour]:
                start = hour if start is None else start
            elif start is not None:
                best = max(best, (hour - start, start))
                start = None
        length, first = best
        if 0 < length < 24:
            for begin in (first, first - 1):
                window = Window(begin, first + length, days)
                if begin >= 0 and window not in found:
                    found.append(window)
    return found


@dataclass(frozen=True)
class Bounds:
    mean: float
    peak: float
    trough: float


def bounds(demand: np.ndarray) -> Bounds:
    return Bounds(float(demand.mean()), float(demand.max()), float(demand.min()))


def _between(grid: tuple[int, ...], low: float, high: float) -> list[int]:
    return [v for v in grid if low < v <= high]


def fixed_range(b: Bounds, budget: float) -> list[int]:
    """Below (1 - budget) of the mean (less the starting burst credit) too few
    units can be served; at the peak nothing throttles, so more only costs."""
    seconds = MINUTES * 60
    low = math.floor((1 - budget) * b.mean * seconds / (seconds + 300))
    return [v for v in FINE if low <= v <= max(1, math.ceil(b.peak))] or [1]


def idle_min(grid: tuple[int, ...], b: Bounds, target: int) -> int:
    """The largest minimum that never binds: at most what the quietest minute needs."""
    need = max(1, math.ceil(b.trough / (target / 100)))
    return max(v for v in grid if v <= need)


def min_range(grid: tuple[int, ...], b: Bounds, target: int) -> list[int]:
    """Minimums that never bind stand for one another (one is kept); at what
    the peak needs the capacity never moves, so higher ones only cost more."""
    need = lambda d: math.ceil(d / (target / 100))  # noqa: E731
    return [idle_min(grid, b, target)] + _between(grid, max(1, need(b.trough)), need(b.peak))


def _every(values: list[int], step: int) -> list[int]:
    """Every ``step``-th value, and always the last (the one sure to be enough)."""
    picked = values[::step]
    return picked + values[-1:] if values and picked[-1] != values[-1] else picked


def space(workload: Workload, dimension: Dimension, budget: float, windows: list[Window],
          coarse: int = 1) -> list[tuple[str, Policy]]:
    """Every configuration of the space for one dimension (every ``coarse``-th
    value along each capacity axis), with its family."""
    demand = workload.demand[workload.row(dimension)]
    b = bounds(demand)
    out: list[tuple[str, Policy]] = [("fixed", Policy.fixed(n)) for n in _every(fixed_range(b, budget), coarse)]
    mine = candidate_windows(workload, dimension)
    for target in TARGETS:
        for m in _every(min_range(GRID_E24, b, target), coarse):
            out.append(("autoscaled", Policy(m, ceiling(b.peak, target, m), target)))
        for window in mine:
            w = windows.index(window) if window in windows else (windows.append(window) or len(windows) - 1)
            need = math.ceil(float(demand[window.mask(workload.clock)].max()) / (target / 100))
            m = idle_min(GRID_E24, b, target)
            for d in _every(_between(GRID_E24, m, need), coarse):
                out.append(("scheduled", Policy(m, ceiling(b.peak, target, m, d), target, w, d)))
    return out


@dataclass(frozen=True)
class Found:
    """The cheapest feasible configuration of each family, per dimension."""

    best: dict[Dimension, dict[str, Option]]
    windows: list[Window]
    simulated: int


def _run(workload: Workload, configs: list[tuple[Dimension, str, Policy]], windows: list[Window]):
    masks = np.array([w.mask(workload.clock) for w in windows]) if windows else None
    rows = [workload.row(d) for d, _, _ in configs]
    return simulate(workload.demand, rows, [p for _, _, p in configs], masks)


def _cheapest(workload: Workload, configs, result, budget: float,
              into: dict[Dimension, dict[str, Option]]) -> None:
    for i, (dimension, family, policy) in enumerate(configs):
        if result.throttled_fraction[i] > budget:
            continue
        option = Option(dimension, family, policy, tuple(result.capacity_by_day[i]),
                        float(result.throttled_fraction[i]), float(result.lowest[i]))
        held = into.setdefault(dimension, {}).get(family)
        if held is None or option.weekly < held.weekly:
            into[dimension][family] = option


def brute_force(workload: Workload, budget: float) -> Found:
    """Simulate every configuration of the space (within its bounds)."""
    windows: list[Window] = []
    configs = [(d, f, p) for d in workload.dimensions for f, p in space(workload, d, budget, windows)]
    best: dict[Dimension, dict[str, Option]] = {}
    _cheapest(workload, configs, _run(workload, configs, windows), budget, best)
    return Found(best, windows, len(configs))


def advise(workload: Workload, budget: float) -> Found:
    """Coarse then fine: every third value first; then, around the cheapest
    feasible configurations of each family, the values skipped."""
    windows: list[Window] = []
    coarse = [(d, f, p) for d in workload.dimensions for f, p in space(workload, d, budget, windows, coarse=3)]
    result = _run(workload, coarse, windows)
    best: dict[Dimension, dict[str, Option]] = {}
    _cheapest(workload, coarse, result, budget, best)
    fine = []
    for dimension in workload.dimensions:
        everything = space(workload, dimension, budget, windows)
        for family, option in best.get(dimension, {}).items():
            fine += [(dimension, f, p) for f, p in everything if f == family and _near(p, option.policy)]
    seen = {(d, p) for d, _, p in coarse}
    fine = [c for c in fine if (c[0], c[2]) not in seen]
    if fine:
        _cheapest(workload, fine, _run(workload, fine, windows), budget, best)
    return Found(best, windows, len(coarse) + len(fine))


def _near(policy: Policy, best: Policy) -> bool:
    """Within three steps of the best along each axis, same window, target +-10."""
    def close(a: int | None, b: int | None) -> bool:
        if a is None or b is None:
            return a == b
        return abs(math.log(a) - math.log(b)) <= math.log(1.4)  # about four E24 steps
    if policy.window != best.window or (policy.target is None) != (best.target is None):
        return False
    if policy.target is not None and abs(policy.target - best.target) > 10:
        return False
    if policy.target is None:
        return best.min * 0.9 <= policy.min <= best.min  # fixed: the skipped values below
    return close(policy.min, best.min) and close(policy.day_min, best.day_min)
