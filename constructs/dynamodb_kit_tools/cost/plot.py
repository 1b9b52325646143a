"""The week in a picture: per dimension, the units consumed against the
capacity each provisioned family would hold, with throttled minutes marked."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display, no GUI toolkit
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .advisor import ROWS, Advice, row  # noqa: E402
from .explain import usd  # noqa: E402
from .report import mode_text  # noqa: E402
from .search import FAMILIES  # noqa: E402
from .simulate import MINUTES, simulate  # noqa: E402

COLOURS = {"fixed": "tab:blue", "autoscaled": "tab:green", "scheduled": "tab:orange"}
STYLES = {"fixed": "-", "autoscaled": "-", "scheduled": "--"}  # scheduled often runs on autoscaled's line
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _plain(text: str) -> str:
    return text.replace("$", r"\$")  # a dollar sign would start matplotlib's math mode


def plot(advice: Advice, path: str | Path) -> Path:
    w = advice.workload
    options = [(d, family, row(advice, f"provisioned, {family}").plan.options[d])
               for d in w.dimensions for family in FAMILIES]
    masks = np.array([x.mask(w.clock) for x in advice.windows]) if advice.windows else None
    traced = simulate(w.demand, [w.row(d) for d, _, _ in options], [o.policy for _, _, o in options], masks,
                      trace=True)
    hours = np.arange(MINUTES) / 60
    figure, axes = plt.subplots(len(w.dimensions), 1, figsize=(15, 2.6 * len(w.dimensions) + 1), sharex=True,
                                squeeze=False)
    for i, dimension in enumerate(w.dimensions):
        ax = axes[i][0]
        ax.plot(hours, w.demand[w.row(dimension)], color="0.35", linewidth=0.5,
                label="consumed (on-demand bills exactly this)")
        top = float(w.demand[w.row(dimension)].max())
        for k, (d, family, option) in enumerate(options):
            if d != dimension:
                continue
            capacity = traced.capacity_trace[k]
            top = max(top, float(capacity.max()))
            cost = usd(option.usd(advice.snapshot, advice.pick.plan.table_class, advice.month))
            ax.step(hours, capacity, where="post", color=COLOURS[family], linewidth=1.1, linestyle=STYLES[family],
                    label=_plain(f"{family} capacity: {cost}/month, {option.throttled * 100:.3f}% throttled"))
        for k, (d, family, option) in enumerate(options):
            throttled = np.flatnonzero(traced.throttled_trace[k] > 0) if d == dimension else []
            if len(throttled):
                level = {"fixed": 1.04, "autoscaled": 1.08, "scheduled": 1.12}[family] * top
                ax.plot(hours[throttled], np.full(len(throttled), level), "|", color=COLOURS[family],
                        markersize=7, label=f"{family}: throttled minutes")
        ax.set_ylim(0, top * 1.18 or 1)
        ax.set_ylabel(f"{dimension.label}\nunits/s")
        ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, framealpha=0.9)
        ax.grid(alpha=0.25)
    axes[-1][0].set_xticks(np.arange(0, 169, 24), [*DAYS, ""])
    axes[-1][0].set_xlim(0, 168)
    axes[-1][0].set_xlabel(f"the simulated week (UTC; shapes in {w.profile.timezone})")
    pick = advice.pick
    on_demand = usd(row(advice, ROWS[0], pick.plan.table_class).total)
    figure.suptitle(_plain(f"{w.profile.name}: advice {mode_text(advice)}, {pick.plan.table_class}, "
                           f"{usd(pick.total)}/month (on-demand {on_demand}/month)"), fontsize=11)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
