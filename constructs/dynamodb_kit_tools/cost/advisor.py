"""The advice for one profile: every mode priced, the cheapest configuration
within the throttle budget, the reasons in plain words, and the kit code.

Known traffic: the cheapest of on-demand and provisioned (each dimension in
its cheapest family) in either table class. Unknown traffic: on-demand only,
whatever the guessed shape says (the book's framework: start on demand,
measure, revisit); the table still shows what provisioning would cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import prices, search
from .estimate import CLASSES, Fixed, Month, Option, fixed_costs, on_demand
from .explain import kit_code, reasons  # the words live apart from the arithmetic
from .prices import STANDARD, Snapshot
from .profile import Profile, load
from .search import Found, Window
from .workload import Dimension, Workload, derive

DEFAULT_BUDGET = 0.001  # 0.1% of requested units may be throttled
SIMPLER_BY = 1.01  # a simpler capacity family wins unless the other saves more than 1%
ROWS = ("on-demand", "provisioned, fixed", "provisioned, autoscaled", "provisioned, scheduled",
        "provisioned, cheapest per dimension")
TERMS = {"1yr": "1-year reserved capacity", "3yr": "3-year reserved capacity"}


@dataclass(frozen=True)
class Plan:
    """A whole table's throughput: one option per dimension, in one class."""

    label: str
    table_class: str
    options: dict[Dimension, Option]

    @property
    def provisioned(self) -> bool:
        return self.label != "on-demand"

    def throughput(self, snapshot: Snapshot, month: Month) -> float:
        return sum(o.usd(snapshot, self.table_class, month) for o in self.options.values())

    @property
    def worst_throttled(self) -> float:
        return max((o.throttled for o in self.options.values()), default=0.0)


@dataclass(frozen=True)
class Row:
    plan: Plan
    fixed: Fixed
    throughput: float

    @property
    def total(self) -> float:
        return self.throughput + self.fixed.total


@dataclass
class Advice:
    workload: Workload
    snapshot: Snapshot
    budget: float
    month: Month
    rows: list[Row]
    pick: Row
    windows: list[Window]
    reasons: list[str]
    code: str
    simulated: int


def plans(workload: Workload, found: Found) -> dict[str, dict[Dimension, Option]]:
    """The throughput options of each row of the cost table."""
    out: dict[str, dict[Dimension, Option]] = {"on-demand": {d: on_demand(workload, d) for d in workload.dimensions}}
    best = found.best
    for family in search.FAMILIES:
        fallback = "autoscaled" if family == "scheduled" else family
        out[f"provisioned, {family}"] = {d: best[d].get(family) or best[d][fallback] for d in workload.dimensions}
    out["provisioned, cheapest per dimension"] = {d: simplest(best[d]) for d in workload.dimensions}
    return out


def simplest(options: dict[str, Option]) -> Option:
    """The cheapest family, unless a simpler one costs at most 1% more: a schedule
    that saves cents is not worth reading. (Within a dimension every family
    pays the same price per unit-hour, so capacity held decides.)"""
    cheapest = min(o.weekly for o in options.values())
    return next(options[f] for f in search.FAMILIES if f in options and options[f].weekly <= cheapest * SIMPLER_BY)


def price_rows(workload: Workload, found: Found, snapshot: Snapshot, month: Month) -> list[Row]:
    rows = []
    for label, options in plans(workload, found).items():
        for table_class in CLASSES:
            plan = Plan(label, table_class, options)
            rows.append(Row(plan, fixed_costs(workload, snapshot, table_class, month),
                            plan.throughput(snapshot, month)))
    return rows


def choose(workload: Workload, rows: list[Row]) -> Row:
    allowed = ("on-demand",) if workload.profile.traffic == "unknown" else ("on-demand", ROWS[-1])
    return min((r for r in rows if r.plan.label in allowed), key=lambda r: r.total)


def advise(profile: Profile | str | Path, *, budget: float = DEFAULT_BUDGET, month: Month = Month(),
           searcher: Callable[[Workload, float], Found] = search.advise) -> Advice:
    profile = profile if isinstance(profile, Profile) else load(profile)
    workload = derive(profile)
    snapshot = prices.load(profile.region)
    found = searcher(workload, budget)
    rows = price_rows(workload, found, snapshot, month)
    pick = choose(workload, rows)
    return Advice(workload, snapshot, budget, month, rows, pick, found.windows,
                  reasons(workload, snapshot, rows, pick, found.windows, budget, month),
                  kit_code(workload, pick.plan, found.windows), found.simulated)


def optimum(profile: Profile | str | Path, *, budget: float = DEFAULT_BUDGET, month: Month = Month()) -> float:
    """The cheapest monthly total anywhere in the space, by brute force: what
    the advisor is held to. Unknown traffic allows on-demand only."""
    profile = profile if isinstance(profile, Profile) else load(profile)
    workload = derive(profile)
    snapshot = prices.load(profile.region)
    best = search.brute_force(workload, budget).best
    totals = []
    for table_class in CLASSES:
        fixed = fixed_costs(workload, snapshot, table_class, month).total
        totals.append(fixed + sum(on_demand(workload, d).usd(snapshot, table_class, month) for d in workload.dimensions))
        if profile.traffic != "unknown":
            totals.append(fixed + sum(min(o.usd(snapshot, table_class, month) for o in best[d].values())
                                      for d in workload.dimensions))
    return min(totals)


def row(advice: Advice, label: str, table_class: str = STANDARD) -> Row:
    return next(r for r in advice.rows if r.plan.label == label and r.plan.table_class == table_class)


def reserved_total(advice: Advice, term: str) -> float:
    """The cheapest-per-dimension plan in Standard with reserved capacity."""
    base = row(advice, ROWS[-1], STANDARD)
    throughput = sum(o.reserved_usd(advice.snapshot, term, advice.month) for o in base.plan.options.values())
    return throughput + base.fixed.total

