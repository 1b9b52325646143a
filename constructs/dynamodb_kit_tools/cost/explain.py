"""The advice in words, and as the kit's capacity values to paste."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .estimate import Month, Option, fixed_costs
from .prices import STANDARD, STANDARD_IA, Snapshot
from .search import Window
from .workload import Dimension, Workload

if TYPE_CHECKING:
    from .advisor import Plan, Row

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def usd(value: float) -> str:
    return f"${value:,.2f}"


def percent(value: float) -> str:
    if value == 0:
        return "none"
    return f"{value * 100:.1f}%" if value >= 0.001 else f"{value * 100:.3f}%"


# ---- the code ---------------------------------------------------------------


def _days(days: frozenset[int], shift: int = 0) -> str:
    """AWS cron day-of-week for a set of weekdays (ranges where contiguous)."""
    shifted = sorted((d + shift) % 7 for d in days)
    if len(shifted) == 7:
        return "*"
    parts, start = [], shifted[0]
    for a, b in zip(shifted, shifted[1:] + [None]):
        if b != a + 1:
            parts.append(DAYS[start] if start == a else f"{DAYS[start]}-{DAYS[a]}")
            start = b
    return ",".join(parts)


def _cron(hour: int, days: frozenset[int]) -> str:
    shift, hour = divmod(hour, 24)  # a window ending at 24:00 ends at 00:00 the next day
    field = _days(days, shift)
    return f"cron(0 {hour} * * ? *)" if field == "*" else f"cron(0 {hour} ? * {field} *)"


def capacity_code(option: Option, windows: list[Window], timezone: str) -> str:
    policy = option.policy
    if policy.target is None:
        return f"Capacity.fixed({policy.min})"
    head = f"Capacity.autoscaled(min={policy.min}, max={policy.max}, target_utilization={policy.target}"
    if policy.window is None:
        return head + ")"
    window = windows[policy.window]
    if (window.start, window.end, window.days) == (8, 20, frozenset(range(5))):
        return (head + f', schedules=ScheduledCapacity.business_day("{timezone}", day_min={policy.day_min}, '
                f"night_min={policy.min}))")
    return (head + ", schedules=(\n"
            f'        ScheduledCapacity(name="day", schedule="{_cron(window.start, window.days)}", '
            f'timezone="{timezone}", min={policy.day_min}),\n'
            f'        ScheduledCapacity(name="night", schedule="{_cron(window.end, window.days)}", '
            f'timezone="{timezone}", min={policy.min}),\n    ))')


def kit_code(workload: Workload, plan: "Plan", windows: list[Window]) -> str:
    """Python that builds the advised values (``from dynamodb_kit import *``)."""
    timezone = workload.profile.timezone
    lines = [f"table_class = TableClass.{plan.table_class}  # TableShape(..., table_class=table_class)"]
    if not plan.provisioned:
        lines.append("billing = Billing.on_demand()  # TableSettings(..., billing=billing)")
        return "\n".join(lines)

    def billing(index: str | None) -> str:
        read = capacity_code(plan.options[Dimension("read", index)], windows, timezone)
        write = capacity_code(plan.options[Dimension("write", index)], windows, timezone)
        return f"Billing.provisioned(\n    read={read},\n    write={write},\n)"

    lines.append(f"billing = {billing(None)}  # TableSettings(..., billing=billing)")
    gsis = [i.name for i in workload.profile.indexes if not i.local]
    if gsis:
        lines.append("index_billing = {  # TableSettings(..., index_billing=index_billing)")
        for name in gsis:
            body = billing(name).replace("\n", "\n    ")
            lines.append(f'    "{name}": {body},')
        lines.append("}")
    return "\n".join(lines)


# ---- the words --------------------------------------------------------------


def describe(option: Option, windows: list[Window], timezone: str) -> str:
    p = option.policy
    if option.family == "on-demand":
        return "on demand"
    if option.family == "fixed":
        return f"fixed {p.min:,} units"
    text = f"target tracking at {p.target}% between {p.min:,} and {p.max:,} units"
    if p.window is not None:
        w = windows[p.window]
        days = "every day" if len(w.days) == 7 else _days(w.days)
        text += f", minimum {p.day_min:,} from {w.start:02d}:00 to {w.end % 24:02d}:00 ({timezone}, {days})"
    return text


def _family_reason(d: Dimension, chosen: Option, others: dict[str, Option], workload: Workload,
                   snapshot: Snapshot, month: Month) -> str:
    demand = workload.demand[workload.row(d)]
    mean, peak = float(demand.mean()), float(demand.max())
    cost = lambda o: o.usd(snapshot, STANDARD, month)  # noqa: E731
    alternatives = ", ".join(f"{family} {usd(cost(o))}" for family, o in others.items() if o is not chosen)
    swing = f"peak {peak:,.1f} units/s is {peak / mean:.1f}x the mean {mean:,.1f}" if mean > 0 else "no traffic"
    why = {
        "fixed": "steady enough that following the traffic saves nothing",
        "autoscaled": "target tracking follows the swings within the budget",
        "scheduled": "the daily rise comes faster than target tracking reacts (2 minutes above target, "
                     "then a step); a scheduled minimum is ready before it",
    }[chosen.family]
    return f"{d.label}: {swing}; {why} ({chosen.family} {usd(cost(chosen))} a month; {alternatives})."


def reasons(workload: Workload, snapshot: Snapshot, rows: list["Row"], pick: "Row", windows: list[Window],
            budget: float, month: Month) -> list[str]:
    profile = workload.profile
    by = {(r.plan.label, r.plan.table_class): r for r in rows}
    demand_od = by[("on-demand", pick.plan.table_class)]
    provisioned = by[("provisioned, cheapest per dimension", pick.plan.table_class)]
    out = []
    if profile.traffic == "unknown":
        out.append("Traffic is unknown (traffic = \"unknown\"): start on demand, measure a few weeks "
                   "(CloudWatch ConsumedRead/WriteCapacityUnits), then describe the week with a CSV shape "
                   "and ask again; provisioning for a guessed shape risks throttling or paying for idle capacity.")
    out.append(f"On demand costs {usd(demand_od.total)} a month; the cheapest provisioned configuration "
               f"within the {percent(budget)} throttle budget costs {usd(provisioned.total)} "
               f"({provisioned.total / demand_od.total * 100:.0f}% of on-demand).")
    if profile.traffic == "unknown" and provisioned.total < demand_od.total:
        out.append(f"If the guess holds, provisioning would save {usd(demand_od.total - provisioned.total)} a month: "
                   "revisit once the measured week confirms it.")
    for kind in ("read", "write"):
        held = sum(o.weekly for d, o in provisioned.plan.options.items() if d.kind == kind) * 60
        used = sum(float(workload.demand[workload.row(d)].sum()) * 60 for d in workload.dimensions if d.kind == kind)
        if held:
            share, even = used / held, snapshot.break_even_utilisation(kind)
            out.append(f"Provisioned {kind}s would be used {share * 100:.0f}% on average, "
                       f"{'above' if share > even else 'below'} the {even * 100:.1f}% at which provisioned beats "
                       f"on-demand ({snapshot.region} prices of {snapshot.effective})"
                       + ("." if share > even else ": the capacity the peaks need sits idle in between."))
    if pick.plan.provisioned:
        for d, option in pick.plan.options.items():
            out.append(_family_reason(d, option, _alternatives(rows, d), workload, snapshot, month))
        worst = pick.plan.worst_throttled
        out.append(f"The worst dimension throttles {percent(worst) if worst else 'none'} of its units in the "
                   f"simulated week (budget {percent(budget)}).")
        targets = sorted({o.policy.target for o in pick.plan.options.values() if o.policy.target})
        if targets and targets[-1] >= 80:
            out.append(f"A {targets[-1]}% target leaves {100 - targets[-1]}% headroom: it is enough for this week's "
                       "shape (burst credit covers the 2 minutes before a scale-out), not for traffic that jumps "
                       "faster; lower the target if yours does.")
    out += _class_reasons(workload, snapshot, by, pick, month)
    return out


def _alternatives(rows: list["Row"], d: Dimension) -> dict[str, Option]:
    families = {}
    for r in rows:
        if r.plan.label.startswith("provisioned, ") and r.plan.label != "provisioned, cheapest per dimension":
            option = r.plan.options[d]
            families.setdefault(option.family, option)
    return families


def _class_reasons(workload: Workload, snapshot: Snapshot, by: dict, pick: "Row", month: Month) -> list[str]:
    label = pick.plan.label
    standard, ia = by[(label, STANDARD)], by[(label, STANDARD_IA)]
    share = standard.fixed.storage / standard.total if standard.total else 0.0
    out = []
    if pick.plan.table_class == STANDARD_IA:
        out.append(f"Standard-IA saves {usd(standard.total - ia.total)} a month: storage is {share * 100:.0f}% of "
                   "the Standard bill, and IA's cheaper storage outweighs its dearer throughput.")
    else:
        shown = f"{share * 100:.0f}%" if share >= 0.01 else "under 1%"
        out.append(f"Standard-IA would cost {usd(ia.total)}: storage is only {shown} of the bill "
                   "(IA pays when storage is about half of it or more).")
    growth = workload.storage.growth_percent_per_month
    if growth:
        size = workload.storage.total_gb * workload.storage.growth(12)
        text = f"Storage grows {growth:g}% a month: about {size:,.1f} GB in 12 months."
        if pick.plan.table_class == STANDARD:
            for at in range(2, 37):
                s = standard.throughput + fixed_costs(workload, snapshot, STANDARD, month, at).total
                i = ia.throughput + fixed_costs(workload, snapshot, STANDARD_IA, month, at).total
                if i < s:
                    text += f" Standard-IA becomes cheaper in month {at}; switch then (a class change is online)."
                    break
        out.append(text)
    return out
