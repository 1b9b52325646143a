"""End to end: capacity that follows traffic, on the kit's emulator.

One table, ``scale-Items`` (GSI ``ByA``, 25 items), goes through:

1. on-demand (created);
2. provisioned with target tracking on the table and its GSI, with a schedule;
3. out of band, as autoscaling and a schedule would: DynamoDB capacities of
   table and GSI changed (UpdateTable), the scalable targets' min and max
   changed (RegisterScalableTarget);
4. a GSI ``ByB`` added under autoscaling: the plan shows nothing (the GSI
   block is ignored), the plan guard reports the hidden change, and a synth
   with ``DYNAMODB_KIT_APPLY_INDEX_CHANGES=1`` applies it;
5. ``ByB`` removed the same way;
6. autoscaled -> fixed capacity: no scalable target is left;
7. fixed -> on-demand.

After each step every item is still there and ``terraform plan
-detailed-exitcode`` exits 0 (the step's table in ``capacity_steps`` is what the
closing note of the capacity issue shows).
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from dynamodb_kit import (
    Attribute,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    ScheduledCapacity,
    TableProps,
)
from dynamodb_kit.core.plan_markers import APPLY_INDEX_CHANGES_ENV
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config
from support import background
from support.e2e import (FASTER_PROVIDER, applied_actions, client, plan_guard, planned_actions,
                         replan_exit_code, synth_tables)
from support.provider_server import shared_provider

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]

NAME = "scale-Items"
AUTOSCALED = Billing.provisioned(
    read=Capacity.autoscaled(min=5, max=100, schedules=(
        ScheduledCapacity(name="evening", schedule="cron(0 20 * * ? *)", timezone="Europe/Berlin", min=10),)),
    write=Capacity.autoscaled(min=5, max=50, target_utilization=60),
)


def items_table(*gsis: str, billing: Billing) -> TableProps:
    return TableProps(
        table_name=NAME, partition_key=Attribute("Id"), deletion_protection=False,
        global_secondary_indexes=tuple(GlobalSecondaryIndex(name=f"By{k}", partition_key=Attribute(k)) for k in gsis),
        billing=billing,
    )


@dataclasses.dataclass
class CapacityStep:
    change: str
    table_action: str
    items_kept: int
    replan: int
    detail: dict = dataclasses.field(default_factory=dict)


@background.flow(__name__, "capacity", waits=True, emulator=True)
def capacity_flow(context: background.Context) -> list[CapacityStep]:
    """Steps 1-7 of the module docstring, in the background (support/background.py),
    its terraform runs on one provider process (support/provider_server.py)."""
    # The provider's credentials and endpoint are its own process's (it is not terraform's child).
    with shared_provider({**context.emulator.environment, **FASTER_PROVIDER}) as provider_env:
        return capacity_steps_on(context, provider_env)


def capacity_steps_on(context: background.Context, provider_env: dict[str, str]) -> list[CapacityStep]:
    emulator, work = context.emulator, context.work
    cli_config = write_cli_config(work / "terraformrc", find_provider_mirror(), plugin_cache=work / "plugins")
    outdir = work / "out"
    dynamodb = client(emulator, "dynamodb")
    scaling = client(emulator, "application-autoscaling")
    steps: list[CapacityStep] = []

    def synth(props: TableProps, apply_index_changes: bool = False):
        env = {APPLY_INDEX_CHANGES_ENV: "1" if apply_index_changes else "0"}
        return synth_tables(outdir, "capacity", {"Items": props}, env=env)

    def apply(what: str, props: TableProps, *, apply_index_changes: bool = False, guard_it: bool = False,
              refresh: bool = False, **detail) -> dict:
        stack_dir = synth(props, apply_index_changes)
        report, guard = "", None
        if guard_it:  # plan, guard the saved plan, apply it
            terraform.run("plan", "-out=tfplan")
            plan = json.loads(terraform.run("show", "-json", "tfplan").stdout)
            actions = planned_actions(plan)
            guard, report = plan_guard(plan, stack_dir / "plan.json", stack_dir / "cdk.tf.json")
            terraform.run("apply", "tfplan")
        else:
            # The previous step's re-plan refreshed and found no drift: skip
            # the apply's own refresh unless something changed out of band since.
            actions = applied_actions(terraform, *(() if refresh else ("-refresh=false",)))
        if apply_index_changes:
            synth(props)  # the re-plan is of the code as it stays (no opt-in)
        table_action = next((",".join(a) for addr, a in actions.items() if addr.startswith("aws_dynamodb_table")),
                            "no-op")
        replan, output = replan_exit_code(terraform)
        steps.append(CapacityStep(what, table_action, dynamodb.scan(TableName=NAME)["Count"], replan,
                                  {"guard": guard, "report": report, "output": output[-1500:], **detail}))
        return actions

    # 1. on-demand, created; 25 items.
    stack_dir = synth(items_table("A", billing=Billing.on_demand()))
    terraform = Terraform(stack_dir, cli_config, extra_env={**emulator.environment, **FASTER_PROVIDER, **provider_env})
    terraform.run("init")
    terraform.run("apply", "-auto-approve")
    for i in range(25):
        dynamodb.put_item(TableName=NAME, Item={"Id": {"S": f"id-{i}"}, "A": {"S": "a"}, "B": {"S": f"b{i % 3}"}})
    # (A re-plan right after create is the other e2e tier's proof; 0 here by construction.)
    steps.append(CapacityStep("created on-demand", "create", dynamodb.scan(TableName=NAME)["Count"], 0))

    # 2. -> provisioned with target tracking (table and GSI) and a schedule.
    actions = apply("on-demand -> autoscaled (table + GSI, schedule)", items_table("A", billing=AUTOSCALED))
    steps[-1].detail["targets"] = sorted(
        (t["ResourceId"], t["ScalableDimension"], t["MinCapacity"], t["MaxCapacity"])
        for t in scaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"])
    steps[-1].detail["policies"] = len(scaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"])
    steps[-1].detail["schedules"] = len(
        scaling.describe_scheduled_actions(ServiceNamespace="dynamodb")["ScheduledActions"])
    steps[-1].detail["created"] = sorted(a.split(".")[0] for a, act in actions.items() if act == ("create",))

    # 3. Out of band: autoscaling raises capacities, the schedule moves min/max.
    dynamodb.update_table(TableName=NAME, ProvisionedThroughput={"ReadCapacityUnits": 42, "WriteCapacityUnits": 17},
                          GlobalSecondaryIndexUpdates=[{"Update": {"IndexName": "ByA", "ProvisionedThroughput": {
                              "ReadCapacityUnits": 33, "WriteCapacityUnits": 11}}}])
    scaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{NAME}",
                                     ScalableDimension="dynamodb:table:ReadCapacityUnits", MinCapacity=10, MaxCapacity=100)
    scaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{NAME}/index/ByA",
                                     ScalableDimension="dynamodb:index:ReadCapacityUnits", MinCapacity=10, MaxCapacity=100)
    table = dynamodb.describe_table(TableName=NAME)["Table"]
    replan, output = replan_exit_code(terraform)
    steps.append(CapacityStep("capacities and target bounds changed out of band", "no-op",
                              dynamodb.scan(TableName=NAME)["Count"], replan, {
                                  "table read": table["ProvisionedThroughput"]["ReadCapacityUnits"],
                                  "gsi read": table["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"][
                                      "ReadCapacityUnits"], "output": output[-1500:]}))

    # 4. A GSI added under autoscaling: hidden from the plan, reported by the guard, applied on opt-in.
    with_b = items_table("A", "B", billing=AUTOSCALED)
    stack_dir = synth(with_b)
    terraform.run("plan", "-out=tfplan")
    plan = json.loads(terraform.run("show", "-json", "tfplan").stdout)
    guard, report = plan_guard(plan, stack_dir / "plan.json", stack_dir / "cdk.tf.json")
    hidden_table_actions = [a for addr, a in planned_actions(plan).items() if addr.startswith("aws_dynamodb_table")]
    apply("GSI ByB added (opt-in)", with_b, apply_index_changes=True, refresh=True,
          hidden_table_actions=hidden_table_actions, hidden_guard_exit=guard, hidden_report=report)
    steps[-1].detail["gsis"] = sorted(g["IndexName"] for g in dynamodb.describe_table(TableName=NAME)["Table"][
        "GlobalSecondaryIndexes"])

    # 5. ByB removed the same way.
    apply("GSI ByB removed (opt-in)", items_table("A", billing=AUTOSCALED), apply_index_changes=True)
    steps[-1].detail["gsis"] = sorted(g["IndexName"] for g in dynamodb.describe_table(TableName=NAME)["Table"][
        "GlobalSecondaryIndexes"])

    # 6. -> fixed capacity: the scaling resources go, the table stays.
    apply("autoscaled -> fixed", items_table("A", billing=Billing.provisioned(
        read=Capacity.fixed(7), write=Capacity.fixed(3))))
    table = dynamodb.describe_table(TableName=NAME)["Table"]
    steps[-1].detail.update(targets_left=len(scaling.describe_scalable_targets(
        ServiceNamespace="dynamodb")["ScalableTargets"]), read=table["ProvisionedThroughput"]["ReadCapacityUnits"])

    # 7. -> on-demand.
    apply("fixed -> on-demand", items_table("A", billing=Billing.on_demand()))
    steps[-1].detail["mode"] = dynamodb.describe_table(TableName=NAME)["Table"]["BillingModeSummary"]["BillingMode"]
    return steps


@pytest.fixture(scope="module")
def capacity_steps() -> list[CapacityStep]:
    return background.result("capacity")


def test_every_step_keeps_every_item_and_replans_clean(capacity_steps):
    table = [(s.change, s.table_action, s.items_kept, s.replan) for s in capacity_steps]
    print("\n" + "\n".join(f"| {c} | {a} | {n} | {r} |" for c, a, n, r in table))
    assert all(items == 25 for _, _, items, _ in table), table
    assert all(replan == 0 for _, _, _, replan in table), [(s.change, s.detail.get("output")) for s in capacity_steps
                                                                if s.replan]
    assert all(s.table_action in ("create", "update", "no-op") for s in capacity_steps)


def test_autoscaling_creates_targets_policies_and_schedules_for_table_and_index(capacity_steps):
    step = capacity_steps[1]
    assert step.detail["targets"] == [
        (f"table/{NAME}", "dynamodb:table:ReadCapacityUnits", 5, 100),
        (f"table/{NAME}", "dynamodb:table:WriteCapacityUnits", 5, 50),
        (f"table/{NAME}/index/ByA", "dynamodb:index:ReadCapacityUnits", 5, 100),
        (f"table/{NAME}/index/ByA", "dynamodb:index:WriteCapacityUnits", 5, 50),
    ]
    assert (step.detail["policies"], step.detail["schedules"]) == (4, 2)
    assert step.table_action == "update"  # switched in place, no "already exists"


def test_out_of_band_capacity_changes_are_not_drift(capacity_steps):
    step = capacity_steps[2]
    assert (step.detail["table read"], step.detail["gsi read"]) == (42, 33)
    assert step.replan == 0


def test_a_gsi_change_under_autoscaling_is_reported_then_applied_on_opt_in(capacity_steps):
    added, removed = capacity_steps[3], capacity_steps[4]
    # Terraform alone would not show the index (only its new scaling resources).
    assert added.detail["hidden_table_actions"] == []
    assert added.detail["hidden_guard_exit"] == 1
    assert "HIDDEN: aws_dynamodb_table.Items_" in added.detail["hidden_report"]
    assert "GSI ByB is declared but not deployed" in added.detail["hidden_report"]
    assert added.detail["gsis"] == ["ByA", "ByB"] and added.table_action == "update"
    assert removed.detail["gsis"] == ["ByA"] and removed.table_action == "update"


def test_switching_to_fixed_leaves_no_scaling_target_then_on_demand(capacity_steps):
    fixed, on_demand = capacity_steps[5], capacity_steps[6]
    assert (fixed.detail["targets_left"], fixed.detail["read"]) == (0, 7)
    assert on_demand.detail["mode"] == "PAY_PER_REQUEST"  # the guard's note: tests/kit/test_capacity.py
