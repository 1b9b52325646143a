"""End to end: terraform + the real AWS provider against the kit's emulator.

The emulator is the one users run (``dynamodb_kit_tools.emulator.Emulator``:
moto's server with the kit's gap-fillers), one per session. The dev stack's
deploy is proven by the README's two ways (tests/app/test_readme_local_deploy.py);
here one stack of four tables goes through every change the kit promises once,
in as few terraform runs as the proofs allow (each run costs seconds of
provider CPU: the plan guard, in-place changes and a restore share them):

1. create ``guard-Ledger``, ``retention-Items`` (with GSI ``ByA``) and
   ``restore-Source``; write items to each;
2. in one change: re-key the ledger (sort key ``Entry`` -> ``PostedAt``),
   change ``retention-Items`` in every in-place way at once, and declare
   ``restore-Target`` as a restore of ``restore-Source`` to its latest time.
   The plan guard blocks that plan (the ledger would be replaced) and nothing
   changes; with a named approval in the code the same plan passes and applies;
3. switch ``retention-Items`` back to on-demand and remove the restore
   declaration (the runbook's last step): only the items table changes.

After each apply: every item is still there, each change took effect, and
``terraform plan -detailed-exitcode`` exits 0.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dynamodb_kit import (
    Attribute,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    PointInTimeRecovery,
    RestoreSource,
    StreamViewType,
    TableProps,
)
from dynamodb_kit_tools.plan_guard import approvals_from_stack, check_plan
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config
from support import background
from support.e2e import (FASTER_PROVIDER, applied_actions, client, plan_guard, planned_actions,
                         replan_exit_code, synth_tables)
from support.provider_server import shared_provider

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]





# --- the declarations ------------------------------------------------------

def ledger(sort_key: str, approval: str | None = None) -> TableProps:
    return TableProps(
        table_name="guard-Ledger",
        partition_key=Attribute("Account"),
        sort_key=Attribute(sort_key),
        deletion_protection=False,
        destruction_approved=approval,
    )


APPROVAL = "ops-lead: ledger re-keyed, data migrated"


def _gsis(*keys: str, billing: Billing | None = None) -> tuple[GlobalSecondaryIndex, ...]:
    return tuple(
        GlobalSecondaryIndex(name=f"By{key}", partition_key=Attribute(key), billing=billing)
        for key in keys
    )


ITEMS_BASE = TableProps(
    table_name="retention-Items",
    partition_key=Attribute("Id"),
    global_secondary_indexes=_gsis("A"),
    deletion_protection=False,
    point_in_time_recovery=PointInTimeRecovery(days=35),
)
# Every in-place change at once: two GSIs added in one apply and one removed,
# on-demand -> provisioned (table and GSI capacities), TTL on, stream on,
# PITR window 35 -> 10 days, a new tag.
ITEMS_CHANGED = dataclasses.replace(
    ITEMS_BASE,
    global_secondary_indexes=_gsis(
        "B", "C", billing=Billing.provisioned(read=Capacity.fixed(2), write=Capacity.fixed(2))
    ),
    billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
    time_to_live_attribute="ExpiresAt",
    stream=StreamViewType.NEW_IMAGE,
    point_in_time_recovery=PointInTimeRecovery(days=10),
    tags={"CostCenter": "42"},
)
ITEMS_BACK_ON_DEMAND = dataclasses.replace(
    ITEMS_CHANGED, global_secondary_indexes=_gsis("B", "C"), billing=Billing.on_demand()
)

SOURCE = TableProps(
    table_name="restore-Source",
    partition_key=Attribute("Id"),
    deletion_protection=False,
    point_in_time_recovery=PointInTimeRecovery(days=7),
)
RESTORED = dataclasses.replace(
    SOURCE,
    table_name="restore-Target",
    restore=RestoreSource.from_table_name("restore-Source", point_in_time="latest"),
)

ADDRESS = {
    "ledger": "aws_dynamodb_table.Ledger_",  # address prefixes (cdktf adds a hash)
    "items": "aws_dynamodb_table.Items_",
    "restored": "aws_dynamodb_table.Restored_",
}


def address_of(actions: dict[str, tuple[str, ...]], table: str) -> str | None:
    return next((a for a in actions if a.startswith(ADDRESS[table])), None)


# --- one stack through every change ---------------------------------------

@dataclasses.dataclass
class Step:
    """What one change did to ``retention-Items``."""

    what: str
    actions: tuple[str, ...]
    took_effect: dict[str, bool]
    items_lost: int
    items_changed: int
    replan: int
    replan_output: str


@dataclasses.dataclass
class Lifecycle:
    guard_blocked_exit: int = -1
    guard_blocked_report: str = ""
    after_block: dict = dataclasses.field(default_factory=dict)
    guard_approved_exit: int = -1
    approved_findings: list = dataclasses.field(default_factory=list)
    step2_actions: dict = dataclasses.field(default_factory=dict)
    ledger_key_after: list = dataclasses.field(default_factory=list)
    restored_ids: list = dataclasses.field(default_factory=list)
    restored_pitr: str = ""
    step3_actions: dict = dataclasses.field(default_factory=dict)
    steps: list[Step] = dataclasses.field(default_factory=list)


def _items_step(what, actions, dynamodb, items, took_effect, terraform) -> Step:
    table = dynamodb.describe_table(TableName="retention-Items")["Table"]
    found = {i["Id"]["S"]: i for i in dynamodb.scan(TableName="retention-Items")["Items"]}
    replan, output = replan_exit_code(terraform)
    return Step(
        what=what,
        actions=actions,
        took_effect={name: bool(check(table, dynamodb)) for name, check in took_effect.items()},
        items_lost=len(set(items) - set(found)),
        items_changed=sum(1 for key, item in items.items() if key in found and found[key] != item),
        replan=replan,
        replan_output=output,
    )


def _gsi_names(table: dict) -> list[str]:
    return sorted(g["IndexName"] for g in table.get("GlobalSecondaryIndexes", []))


CHANGED_TOOK_EFFECT = {
    "two GSIs added, one removed": lambda t, c: _gsi_names(t) == ["ByB", "ByC"],
    "on-demand -> provisioned": lambda t, c: t["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    and t["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    and {g["ProvisionedThroughput"]["ReadCapacityUnits"] for g in t["GlobalSecondaryIndexes"]} == {2},
    "TTL on": lambda t, c: c.describe_time_to_live(TableName=t["TableName"])["TimeToLiveDescription"]
    == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"},
    "stream on": lambda t, c: t["StreamSpecification"]
    == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    "PITR 35 -> 10 days": lambda t, c: c.describe_continuous_backups(TableName=t["TableName"])[
        "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 10,
    "new tag": lambda t, c: {"Key": "CostCenter", "Value": "42"}
    in c.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"],
}
BACK_TOOK_EFFECT = {
    "provisioned -> on-demand": lambda t, c: t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST",
    "GSIs kept": lambda t, c: _gsi_names(t) == ["ByB", "ByC"],
}


@background.flow(__name__, "lifecycle", waits=True, emulator=True)
def lifecycle_flow(context: background.Context) -> Lifecycle:
    """Drive the stack through steps 1-3 (module docstring) and record what
    happened, in the background (support/background.py), its terraform runs on
    one provider process (support/provider_server.py)."""
    # The provider's credentials and endpoint are its own process's (it is not terraform's child).
    with shared_provider({**context.emulator.environment, **FASTER_PROVIDER}) as provider_env:
        return lifecycle_on(context, provider_env)


def lifecycle_on(context: background.Context, provider_env: dict[str, str]) -> Lifecycle:
    emulator, work = context.emulator, context.work
    tf_home = work / "tf"
    tf_home.mkdir()
    cli_config = write_cli_config(
        tf_home / "terraformrc", find_provider_mirror(), plugin_cache=tf_home / "plugins"
    )
    outdir = work / "out"

    def synth(ledger_props: TableProps, items: TableProps, restored: TableProps | None) -> Path:
        tables = {"Ledger": ledger_props, "Items": items, "Source": SOURCE}
        if restored is not None:
            tables["Restored"] = restored
        return synth_tables(outdir, "lifecycle", tables)

    record = Lifecycle()
    dynamodb = client(emulator, "dynamodb")

    # 1. Create the tables and write their items.
    stack_dir = synth(ledger("Entry"), ITEMS_BASE, None)
    terraform = Terraform(stack_dir, cli_config, extra_env={**emulator.environment, **FASTER_PROVIDER, **provider_env})
    terraform.run("init")
    terraform.run("apply", "-auto-approve")
    for i in range(5):
        dynamodb.put_item(TableName="guard-Ledger", Item={"Account": {"S": "a"}, "Entry": {"S": f"e{i}"}})
    items = {f"item-{i}": {"Id": {"S": f"item-{i}"}, "A": {"S": "a"}, "B": {"S": "b"},
                           "C": {"S": "c"}, "Payload": {"N": str(i)}} for i in range(25)}
    for item in items.values():
        dynamodb.put_item(TableName="retention-Items", Item=item)
    for i in range(10):
        dynamodb.put_item(TableName="restore-Source", Item={"Id": {"S": f"id-{i}"}, "N": {"N": str(i)}})

    # 2. One change: the ledger re-keyed (replacement), the items table changed
    #    in place, a restore declared. The guard reads the saved plan.
    synth(ledger("PostedAt"), ITEMS_CHANGED, RESTORED)
    terraform.run("plan", "-out=tfplan")
    plan_file = stack_dir / "plan.json"
    plan = json.loads(terraform.run("show", "-json", "tfplan").stdout)
    stack_file = stack_dir / "cdk.tf.json"
    record.guard_blocked_exit, record.guard_blocked_report = plan_guard(plan, plan_file, stack_file)
    ledger_table = dynamodb.describe_table(TableName="guard-Ledger")["Table"]
    record.after_block = {
        "ledger items": dynamodb.scan(TableName="guard-Ledger")["Count"],
        "ledger sort key": ledger_table["KeySchema"][1]["AttributeName"],
        "items GSIs": _gsi_names(dynamodb.describe_table(TableName="retention-Items")["Table"]),
        # The session's emulator is shared: only this stack's tables count.
        "tables": sorted(t for t in dynamodb.list_tables()["TableNames"]
                         if t in ("guard-Ledger", "retention-Items", "restore-Source", "restore-Target")),
    }

    # The same change with a named approval in the code: the guard passes the
    # saved plan (the approval is stack metadata, the plan is unchanged); apply it.
    synth(ledger("PostedAt", APPROVAL), ITEMS_CHANGED, RESTORED)
    record.guard_approved_exit, _ = plan_guard(plan, plan_file, stack_file)
    record.approved_findings = check_plan(plan, approvals_from_stack(json.loads(stack_file.read_text())))
    record.step2_actions = planned_actions(plan)
    terraform.run("apply", "tfplan")
    record.ledger_key_after = [k["AttributeName"] for k in
                               dynamodb.describe_table(TableName="guard-Ledger")["Table"]["KeySchema"]]
    record.restored_ids = sorted(i["Id"]["S"] for i in dynamodb.scan(TableName="restore-Target")["Items"])
    record.restored_pitr = dynamodb.describe_continuous_backups(TableName="restore-Target")[
        "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    items_address = address_of(record.step2_actions, "items")
    record.steps.append(_items_step(
        "every in-place change at once", record.step2_actions.get(items_address, ()),
        dynamodb, items, CHANGED_TOOK_EFFECT, terraform,
    ))

    # 3. Back to on-demand; the restore declaration removed, the table kept.
    synth(ledger("PostedAt"), ITEMS_BACK_ON_DEMAND, dataclasses.replace(RESTORED, restore=None))
    record.step3_actions = applied_actions(terraform)
    record.steps.append(_items_step(
        "back to on-demand", record.step3_actions.get(address_of(record.step3_actions, "items"), ()),
        dynamodb, items, BACK_TOOK_EFFECT, terraform,
    ))

    return record


@pytest.fixture(scope="module")
def lifecycle() -> Lifecycle:
    record = background.result("lifecycle")
    print("\nchange to retention-Items          plan actions  took effect  items lost  re-plan exit")
    for step in record.steps:
        print(f"{step.what:<35}{str(list(step.actions)):<14}{str(all(step.took_effect.values())):<13}"
              f"{step.items_lost:<12}{step.replan}")
    return record


def test_plan_guard_blocks_a_sort_key_change_and_items_survive(lifecycle):
    assert lifecycle.guard_blocked_exit == 1
    report = lifecycle.guard_blocked_report
    assert "BLOCKED: REPLACE aws_dynamodb_table.Ledger_" in report
    assert "an attribute that cannot change in place changed" in report
    assert 'caused by: range_key: "Entry" -> "PostedAt"' in report
    assert "restore as code" in report
    # Only the ledger is reported: in-place changes and new tables are not losses.
    assert report.count("BLOCKED") == 1
    # The guard stopped the apply: the table and its items are untouched, and
    # so is everything else in that plan.
    assert lifecycle.after_block == {
        "ledger items": 5,
        "ledger sort key": "Entry",
        "items GSIs": ["ByA"],
        "tables": ["guard-Ledger", "restore-Source", "retention-Items"],
    }
    # With a named opt-in in the code, the same plan passes and applies.
    assert lifecycle.guard_approved_exit == 0
    (finding,) = lifecycle.approved_findings
    assert finding.address.startswith(ADDRESS["ledger"])
    assert not finding.blocked and finding.actions == ("delete", "create")
    assert lifecycle.ledger_key_after == ["Account", "PostedAt"]


def test_changes_in_place_keep_every_item(lifecycle):
    assert [step.what for step in lifecycle.steps] == ["every in-place change at once", "back to on-demand"]
    for step in lifecycle.steps:
        assert step.actions == ("update",), (step.what, step.actions)
        assert all(step.took_effect.values()), (step.what, step.took_effect)
        assert (step.items_lost, step.items_changed) == (0, 0), step.what
        assert step.replan == 0, (step.what, step.replan_output)


def test_restore_to_latest_declared_as_code_brings_the_items_back(lifecycle):
    assert lifecycle.step2_actions[address_of(lifecycle.step2_actions, "restored")] == ("create",)
    assert lifecycle.restored_ids == sorted(f"id-{i}" for i in range(10))
    assert lifecycle.restored_pitr == "ENABLED"
    # Runbook's last step: the declaration removed, nothing happens to the table
    # (the step's apply changed only the items table), and the re-plan is clean.
    assert address_of(lifecycle.step3_actions, "restored") is None
    assert list(lifecycle.step3_actions) == [address_of(lifecycle.step3_actions, "items")]
    assert lifecycle.steps[-1].replan == 0
