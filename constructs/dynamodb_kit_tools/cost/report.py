"""The advice and the comparison of profiles, as text."""

from __future__ import annotations

from .advisor import ROWS, TERMS, Advice, optimum, reserved_total, row
from .estimate import CLASSES
from .explain import describe, percent, usd
from .prices import STANDARD


def advice_text(advice: Advice) -> str:
    w, s = advice.workload, advice.snapshot
    p = w.profile
    out = [f"{p.name} ({p.file}): {p.about}".rstrip(": "),
           f"Prices: {s.region} snapshot of {s.effective} ({s.file}), {advice.month}; "
           f"throttle budget {percent(advice.budget)} of requested units",
           "Traffic, units per second (mean / peak):"]
    for d in w.dimensions:
        demand = w.demand[w.row(d)]
        out.append(f"  {d.label:<28}{demand.mean():>10,.1f} / {demand.max():,.1f}")
    out.append("Units per call, with what each index adds to a write:")
    for pattern in p.patterns:
        spent = ", ".join(f"{d.label} {units:g}" for d, units in w.per_call[pattern.name].items())
        out.append(f"  {pattern.name + ' (' + pattern.operation + ')':<44}{spent}")
    size = w.storage
    parts = ", ".join([f"table {size.table_gb:,.1f} GB"] + [f"GSI {k} {v:,.1f} GB" for k, v in size.index_gb.items()])
    out.append(f"Storage: {size.total_gb:,.1f} GB ({parts})")
    out.append("")
    out.append(f"{'Monthly cost, USD':<40}{'STANDARD':>12}{'STANDARD_IA':>14}{'worst throttled':>17}")
    for label in ROWS:
        cells = [row(advice, label, c) for c in CLASSES]
        out.append(f"  {label:<38}{cells[0].total:>12,.2f}{cells[1].total:>14,.2f}"
                   f"{percent(cells[0].plan.worst_throttled):>17}")
    for term, label in TERMS.items():
        out.append(f"  + {label:<36}{reserved_total(advice, term):>12,.2f}{'n/a':>14}")
    out.append("")
    families = ("on-demand", "fixed", "autoscaled", "scheduled")
    out.append(f"{'Per dimension, STANDARD, USD/month':<40}" + "".join(f"{f:>12}" for f in families))
    for d in w.dimensions:
        cells = []
        for label in ROWS[:4]:
            option = row(advice, label).plan.options[d]
            cells.append(f"{option.usd(s, STANDARD, advice.month):>12,.2f}")
        out.append(f"  {d.label:<38}" + "".join(cells))
    fixed = row(advice, "on-demand").fixed
    out.append(f"  storage {fixed.storage:,.2f}, PITR and backups {fixed.backups:,.2f}, streams {fixed.streams:,.2f}")
    out.append("")
    pick = advice.pick
    on_demand = row(advice, "on-demand", pick.plan.table_class)
    out.append(f"Advice: {mode_text(advice)}; {pick.plan.table_class}: {usd(pick.total)} a month"
               + (f" (on-demand: {usd(on_demand.total)})" if pick.plan.provisioned else ""))
    for d, option in pick.plan.options.items():
        out.append(f"  {d.label}: {describe(option, advice.windows, p.timezone)}")
    out.append("Why:")
    out += [f"  - {r}" for r in advice.reasons]
    out.append("Paste into your stack (from dynamodb_kit import *):")
    out += ["    " + line for line in advice.code.splitlines()]
    return "\n".join(out)


def compare_text(advices: list[Advice], brute: bool) -> str:
    """A Markdown table: the advice per profile, and the brute-force optimum."""
    head = "| profile | advised | monthly $ |" + (" brute-force optimum $ | advised / optimum |" if brute else "") + \
        " on-demand $ |"
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for advice in advices:
        pick = advice.pick
        cls = "Standard-IA" if pick.plan.table_class != STANDARD else "Standard"
        cells = [advice.workload.profile.name, f"{mode_text(advice)}; {cls}", f"{pick.total:,.2f}"]
        if brute:
            best = optimum(advice.workload.profile, budget=advice.budget, month=advice.month)
            cells += [f"{best:,.2f}", f"{pick.total / best:.4f}"]
        cells.append(f"{min(row(advice, 'on-demand', c).total for c in CLASSES):,.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mode_text(advice: Advice) -> str:
    """``on-demand``, ``provisioned, autoscaled``, or the families by dimension."""
    plan = advice.pick.plan
    if not plan.provisioned:
        return "on-demand"
    families: dict[str, list[str]] = {}
    for d, option in plan.options.items():
        families.setdefault(option.family, []).append(d.label)
    if len(families) == 1:
        return f"provisioned, {next(iter(families))}"
    return "provisioned: " + ", ".join(f"{f} ({', '.join(dims)})" for f, dims in families.items())
