"""A synthesized stack's monthly cost per resource, from ``cdk.tf.json`` and a
usage file: what Infracost does for a Terraform plan, with a table's GSIs,
class, write amplification and autoscaling understood.

The stack says each table's keys, indexes, billing mode, capacities, class,
PITR, stream, its Application Auto Scaling targets, policies and scheduled
actions, and the AWS Backup plans that copy it. The usage file says how the
tables are used: per table (by construct id) the profile sections the stack
cannot know (items, patterns, shapes, storage, ...), and per environment the
share of that traffic and data it sees::

    [tables.Orders]
    items.order = { count = 1_000_000, sample = { CustomerId = "C-1", ... } }
    [[tables.Orders.patterns]]
    name = "place an order"
    ...
    [environments.dev]
    traffic = 0.01
    storage = 0.01

Autoscaled capacity is simulated with the stack's own policies, so the
estimate also says how much of the traffic they would throttle.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from dynamodb_kit.core.errors import ValidationError

from .. import backup_pricing
from . import prices
from .estimate import Month, Option, fixed_costs, on_demand
from .profile import DAY_NAMES, from_data, read_toml
from .simulate import MINUTES, Policy, simulate
from .workload import Workload, derive, local_clock

USAGE_TABLE_FIELDS = {"items", "patterns", "shapes", "storage", "timezone", "week_of", "noise", "streams", "traffic"}
_REF = re.compile(r"\$\{(aws_[a-z_]+)\.([^.}]+)\.([a-z_]+)\}")


@dataclass(frozen=True)
class Usage:
    file: str
    folder: Path
    tables: dict[str, dict]
    environments: dict[str, dict[str, float]]


def load_usage(path: Path) -> Usage:
    where = path.name
    data = read_toml(path)
    for key in data:
        if key not in ("tables", "environments"):
            raise ValidationError(where, key, data[key], problem="is not a field of a usage file",
                                  fix="use tables.<construct id> and environments.<name>")
    for table_id, section in data.get("tables", {}).items():
        for key in section:
            if key not in USAGE_TABLE_FIELDS:
                raise ValidationError(where, f"tables.{table_id}.{key}", section[key],
                                      problem="is not a usage field (the stack says it)",
                                      fix=f"use one of: {', '.join(sorted(USAGE_TABLE_FIELDS))}")
    environments = {}
    for name, section in data.get("environments", {}).items():
        scales = {}
        for key, value in section.items():
            if key not in ("traffic", "storage") or isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or value < 0:
                raise ValidationError(where, f"environments.{name}.{key}", value,
                                      problem="is not a share of the profiles' traffic or storage",
                                      fix="give traffic = 0.05 and storage = 0.1 (1 = all of it)")
            scales[key] = float(value)
        environments[name] = scales
    return Usage(where, path.parent, data.get("tables", {}), environments)


# ---- reading the stack --------------------------------------------------------


@dataclass
class TableSpec:
    address: str
    construct_id: str
    body: dict
    targets: dict[tuple[str | None, str], dict] = field(default_factory=dict)  # (index, kind) -> target
    policies: dict[tuple[str | None, str], dict] = field(default_factory=dict)
    actions: dict[tuple[str | None, str], list[dict]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.body["name"]


def _resolve(value: str, stack: dict) -> str:
    """Replace ``${type.id.attr}`` references to tables' names and targets'
    resource ids and dimensions with their values."""
    def one(match: re.Match) -> str:
        kind, rid, attr = match.groups()
        target = stack["resource"].get(kind, {}).get(rid, {})
        return _resolve(str(target.get(attr, match.group(0))), stack)
    return _REF.sub(one, value)


def _dimension(resource: dict, stack: dict) -> tuple[str, str | None, str] | None:
    """(table name, index or None, "read"/"write") an autoscaling resource
    scales; None when it is not a table of this stack's region (a global
    table's replica names its table through an expression)."""
    resource_id = _resolve(resource["resource_id"], stack)
    dimension = _resolve(resource["scalable_dimension"], stack)
    match = re.fullmatch(r"table/([^/${}]+)(?:/index/([^/]+))?", resource_id)
    if match is None:
        return None
    kind = "read" if "Read" in dimension else "write"
    return match.group(1), match.group(2), kind


def read_tables(stack: dict) -> list[TableSpec]:
    resources = stack.get("resource", {})
    tables = {}
    for rid, body in resources.get("aws_dynamodb_table", {}).items():
        path = body.get("//", {}).get("metadata", {}).get("path")
        # The construct id: from the metadata path (stack/Id/Resource), else the
        # logical id without cdktf's hash suffix (Testing.synth leaves no metadata).
        construct_id = path.split("/")[1] if path else re.sub(r"_[0-9A-F]{8}$", "", rid)
        tables[body["name"]] = TableSpec(f"aws_dynamodb_table.{rid}", construct_id, body)
    for kind, slot in (("aws_appautoscaling_target", "targets"), ("aws_appautoscaling_policy", "policies")):
        for body in resources.get(kind, {}).values():
            scaled = _dimension(body, stack)
            if scaled and scaled[0] in tables:
                getattr(tables[scaled[0]], slot)[scaled[1:]] = body
    for body in resources.get("aws_appautoscaling_scheduled_action", {}).values():
        scaled = _dimension(body, stack)
        if scaled and scaled[0] in tables:
            tables[scaled[0]].actions.setdefault(scaled[1:], []).append(body)
    return list(tables.values())


def _copies(stack: dict) -> dict[str, tuple[float, float]]:
    """Table address -> (warm, cold) backup copies held by the plans selecting it."""
    resources = stack.get("resource", {})
    out: dict[str, tuple[float, float]] = {}
    for selection in resources.get("aws_backup_selection", {}).values():
        plan_id = _REF.search(selection["plan_id"]).group(2)
        rules = resources["aws_backup_plan"][plan_id]["rule"]
        # Each rule's recovery points, and their copies in other vaults (a DR region's).
        held = backup_pricing.copies_held(
            (r["schedule"], lifecycle["delete_after"], lifecycle.get("cold_storage_after"))
            for r in rules for lifecycle in (r["lifecycle"], *(c["lifecycle"] for c in r.get("copy_action", []))))
        for ref in selection.get("resources", []):
            match = _REF.search(ref)
            if match and match.group(1) == "aws_dynamodb_table":
                address = f"aws_dynamodb_table.{match.group(2)}"
                warm, cold = out.get(address, (0.0, 0.0))
                out[address] = (warm + held[0], cold + held[1])
    return out


# ---- schedules ------------------------------------------------------------------


def _cron_days(field_value: str) -> set[int] | None:
    if field_value in ("?", "*"):
        return set(range(7))
    days: set[int] = set()
    for part in field_value.split(","):
        ends = [DAY_NAMES.index(e) if e in DAY_NAMES else (int(e) - 2) % 7 if e.isdigit() else None
                for e in part.split("-")]
        if None in ends:
            return None
        days |= set(range(ends[0], ends[-1] + 1)) if ends[0] <= ends[-1] else set(range(ends[0], 7)) | set(range(ends[-1] + 1))
    return days


def floors(target: dict, actions: list[dict], week_of, notes: list[str]) -> np.ndarray:
    """The minimum in force in every minute of the week: the target's, moved by
    each scheduled action when it fires (daily or weekly crons)."""
    base = float(target["min_capacity"])
    fires: list[tuple[int, float]] = []
    for action in actions:
        match = re.fullmatch(r"cron\((\d+) (\d+) ([*?]) \* (\S+) \*\)", action["schedule"])
        days = _cron_days(match.group(4)) if match else None
        value = action.get("scalable_target_action", {}).get("min_capacity")
        if match is None or days is None or value is None:
            notes.append(f"schedule {action['schedule']} of {action.get('name', '?')} not simulated")
            continue
        weekday, minute = local_clock(action.get("timezone") or "Etc/UTC", week_of)
        at = int(match.group(2)) * 60 + int(match.group(1))
        for m in np.flatnonzero((minute == at) & np.isin(weekday, sorted(days))):
            fires.append((int(m), float(value)))
    if not fires:
        return np.full(MINUTES, base)
    fires.sort()
    out = np.empty(MINUTES)
    current = fires[-1][1]  # the week repeats: the last action of the week holds at its start
    starts = dict(fires)
    for m in range(MINUTES):
        current = starts.get(m, current)
        out[m] = current
    return out


# ---- pricing ----------------------------------------------------------------------


@dataclass
class Line:
    label: str
    quantity: str
    usd: float


@dataclass
class ResourceCost:
    address: str
    title: str
    lines: list[Line]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(line.usd for line in self.lines)


@dataclass
class StackCost:
    environment: str
    region: str
    file: str
    usage: str
    resources: list[ResourceCost]
    unpriced: dict[str, int]

    @property
    def total(self) -> float:
        return sum(r.total for r in self.resources)


def _profile_data(spec: TableSpec, section: dict, region: str) -> dict:
    body = spec.body
    indexes = []
    for kind, blocks in (("GSI", body.get("global_secondary_index", [])), ("LSI", body.get("local_secondary_index", []))):
        for block in blocks:
            entry = {"name": block["name"], "type": kind, "projection": block.get("projection_type", "ALL")}
            if kind == "GSI":
                entry["partition_key"] = block["hash_key"]
            if block.get("range_key"):
                entry["sort_key"] = block["range_key"]
            if block.get("non_key_attributes"):
                entry["include"] = list(block["non_key_attributes"])
            indexes.append(entry)
    table = {"partition_key": body["hash_key"], **({"sort_key": body["range_key"]} if body.get("range_key") else {})}
    return {"name": spec.name, "region": region, "table": table, "indexes": indexes,
            "backups": {"pitr": bool(body.get("point_in_time_recovery", {}).get("enabled"))}, **section}


def _scaled(workload: Workload, traffic: float, storage: float) -> Workload:
    size = workload.storage
    return replace(workload, demand=workload.demand * traffic,
                   storage=replace(size, table_gb=size.table_gb * storage,
                                   index_gb={k: v * storage for k, v in size.index_gb.items()}))


def _policies(spec: TableSpec, workload: Workload, notes: list[str]) -> tuple[list[Policy], list[np.ndarray]]:
    body, masks, out = spec.body, [], []
    gsis = {g["name"]: g for g in body.get("global_secondary_index", [])}
    for d in workload.dimensions:
        key = (d.index, d.kind)
        block = body if d.index is None else gsis[d.index]
        if key in spec.targets:
            target, policy = spec.targets[key], spec.policies.get(key)
            value = int(policy["target_tracking_scaling_policy_configuration"]["target_value"]) if policy else None
            floor = floors(target, spec.actions.get(key, []), workload.profile.week_of, notes)
            low, high = float(floor.min()), float(floor.max())
            window = None
            if high > low:
                window = len(masks)
                masks.append(floor > low)
                if len(np.unique(floor)) > 2:
                    notes.append(f"{d.label}: schedules with more than two levels simulated at their highest")
            out.append(Policy(int(low), int(target["max_capacity"]), value, window, int(high) if window is not None else None))
        else:
            units = int(block.get(f"{d.kind}_capacity") or 0)
            out.append(Policy.fixed(max(units, 1)))
    return out, masks


def price_table(spec: TableSpec, stack: dict, usage: Usage, environment: str, region: str,
                copies: tuple[float, float], month: Month) -> ResourceCost:
    snapshot = prices.load(region)
    body = spec.body
    table_class = body.get("table_class", "STANDARD")
    mode = body.get("billing_mode", "PROVISIONED")
    title = f"{spec.name}, {'on-demand' if mode == 'PAY_PER_REQUEST' else 'provisioned'}, {table_class}"
    section = usage.tables.get(spec.construct_id)
    if section is None:
        return ResourceCost(spec.address, title, [], [f"no usage for {spec.construct_id} in {usage.file}: not priced"])
    profile = from_data(_profile_data(spec, section, region), where=usage.file, folder=usage.folder,
                        prefix=f"tables.{spec.construct_id}.")
    scales = usage.environments.get(environment, {})
    workload = _scaled(derive(profile), scales.get("traffic", 1.0), scales.get("storage", 1.0))
    notes: list[str] = []
    if mode == "PAY_PER_REQUEST":
        options = [on_demand(workload, d) for d in workload.dimensions]
        notes += _ceilings(spec, workload)
    else:
        policies, masks = _policies(spec, workload, notes)
        result = simulate(workload.demand, range(len(policies)), policies, np.array(masks) if masks else None)
        options = [Option(d, "autoscaled" if p.target else "fixed", p, tuple(result.capacity_by_day[i]),
                          float(result.throttled_fraction[i]), float(result.lowest[i]))
                   for i, (d, p) in enumerate(zip(workload.dimensions, policies))]
    lines = []
    for option in options:
        quantity = option.quantity(month)
        what = (f"{quantity / 1e6:,.2f} M request units" if option.family == "on-demand" else
                f"{quantity:,.0f} unit-hours ({_policy_text(option.policy)})")
        lines.append(Line(option.dimension.label, what, option.usd(snapshot, table_class, month)))
        if option.throttled:
            notes.append(f"{option.dimension.label}: {option.throttled * 100:.3f}% of the units throttled "
                         "in the simulated week")
    fixed = fixed_costs(workload, snapshot, table_class, month)
    size = workload.storage
    lines.append(Line("storage", f"{size.total_gb:,.2f} GB", fixed.storage))
    if profile.pitr:
        lines.append(Line("PITR", f"{size.table_gb:,.2f} GB", size.table_gb * snapshot.pitr_gb_month))
    if body.get("stream_enabled"):
        lines.append(Line("stream reads", f"{profile.stream_read_units_per_second:g} units/s by other than Lambda "
                          "(Lambda triggers read free)", fixed.streams))
    warm, cold = copies
    if warm or cold:
        lines.append(Line("AWS Backup copies", f"{warm:.0f} warm x {size.table_gb:,.2f} GB"
                          + (f", {cold:.1f} cold (cold storage not priced)" if cold else ""),
                          warm * size.table_gb * snapshot.backup_gb_month))
    return ResourceCost(spec.address, title, lines, notes)


def _ceilings(spec: TableSpec, workload: Workload) -> list[str]:
    """On-demand ceilings (``on_demand_throughput``) the usage would hit."""
    notes = []
    gsis = {g["name"]: g for g in spec.body.get("global_secondary_index", [])}
    for d in workload.dimensions:
        block = spec.body if d.index is None else gsis[d.index]
        ceiling = (block.get("on_demand_throughput") or {}).get(f"max_{d.kind}_request_units")
        demand = workload.demand[workload.row(d)]
        if ceiling and demand.max() > ceiling:
            over = float(np.clip(demand - ceiling, 0, None).sum() / demand.sum())
            notes.append(f"{d.label}: the on-demand ceiling of {ceiling:,}/s would throttle {over * 100:.3f}% "
                         "of the units")
    return notes


def _policy_text(policy: Policy) -> str:
    if policy.target is None:
        return f"fixed {policy.min:,}"
    text = f"target {policy.target}%, {policy.min:,}-{policy.max:,}"
    return text + (f", at least {policy.day_min:,} when scheduled" if policy.day_min else "")


def estimate(stack: dict, usage: Usage, environment: str, file: str, month: Month = Month()) -> StackCost:
    region = stack.get("provider", {}).get("aws", [{}])[0].get("region", "us-east-1")
    tables = read_tables(stack)
    ids = sorted(t.construct_id for t in tables)
    for table_id in usage.tables:
        if table_id not in ids:
            raise ValidationError(usage.file, f"tables.{table_id}", table_id, problem="is not a table of the stack",
                                  fix=f"use one of: {', '.join(ids)}")
    copies = _copies(stack)
    resources = [price_table(spec, stack, usage, environment, region, copies.get(spec.address, (0.0, 0.0)), month)
                 for spec in tables]
    priced = {"aws_dynamodb_table", "aws_appautoscaling_target", "aws_appautoscaling_policy",
              "aws_appautoscaling_scheduled_action", "aws_backup_selection", "aws_backup_plan"}
    unpriced = {kind: len(items) for kind, items in stack.get("resource", {}).items() if kind not in priced}
    replicas = unpriced.get("aws_dynamodb_table_replica")
    if replicas:
        # A replica's writes, capacity and storage are billed in its own region; the tools leave them out.
        resources.append(ResourceCost("aws_dynamodb_table_replica", f"{replicas} global table replica(s)", [],
                                      ["not priced: replicated writes, the replica's capacity and storage, and "
                                       "cross-region transfer (see the pricing page, what the model does not know)"]))
    return StackCost(environment, region, file, usage.file, resources, unpriced)


def estimate_file(stack_json: Path, usage_file: Path, environment: str | None = None) -> StackCost:
    stack = json.loads(stack_json.read_text())
    return estimate(stack, load_usage(usage_file), environment or stack_json.parent.name, str(stack_json))


def stack_text(cost: StackCost) -> str:
    label, quantity, money = 22, 76, 10
    width = 6 + label + quantity + money
    out = [f"{cost.environment} ({cost.region}, {cost.file}), usage from {cost.usage}, USD per 730-hour month:"]
    for resource in cost.resources:
        out.append(f"  {resource.address}: {resource.title}".ljust(width - money) + f"{resource.total:>{money},.2f}")
        for line in resource.lines:
            out.append(f"      {line.label:<{label}}{line.quantity:<{quantity}}{line.usd:>{money},.2f}")
        out += [f"      note: {n}" for n in resource.notes]
    out.append(f"  total {cost.environment}".ljust(width - money) + f"{cost.total:>{money},.2f}")
    if cost.unpriced:
        listed = ", ".join(f"{k} ({v})" for k, v in sorted(cost.unpriced.items()))
        out.append(f"  not priced here: {listed}")
    return "\n".join(out)


def estimate_stacks(stacks_dir: Path, usage_file: Path | None) -> int:
    """Every synthesized environment under ``stacks_dir`` (``main.py --cost``)."""
    if usage_file is None or not usage_file.is_file():
        print(f"error: --cost needs a usage file, e.g. --cost stacks/example.usage.toml (got {usage_file})")
        return 2
    try:
        usage = load_usage(usage_file)
        for stack_json in sorted(stacks_dir.glob("*/cdk.tf.json")):
            stack = json.loads(stack_json.read_text())
            print(stack_text(estimate(stack, usage, stack_json.parent.name, str(stack_json))))
    except ValidationError as error:
        print(f"error: {error}")
        return 2
    return 0
