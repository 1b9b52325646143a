"""Backup defaults per environment, the policy rules, and restores declared in config."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys

import pytest
import cdktf

from dynamodb_kit import Billing, Capacity, RestoreSource, TableRestore, ValidationError
from dynamodb_kit.rules import Status, Suppression, check
from dynamodb_kit.rules.all_rules import ALL_RULES
from dynamodb_kit.rules import table_in_backup_selection, table_pitr_enabled
from dynamodb_kit_tools.terraform_runner import find_provider_mirror
from stacks.data_layer import TABLES
from stacks.data_stack import DataStack
from stacks.environments import ENVIRONMENTS

from helpers import REPO, resources
from support import background
from support.stack_checks import validate

ENVS = tuple(ENVIRONMENTS)


def rules_by_name(stack_json: dict) -> list[dict]:
    (plan,) = resources(stack_json, "aws_backup_plan").values()
    return plan["rule"]


def test_prod_backups_daily_35_days_and_monthly_one_year_cold_after_30(stacks_json):
    rules = {r["rule_name"]: r for r in rules_by_name(stacks_json["prod"])}
    assert rules["daily-35-days"]["lifecycle"] == {"delete_after": 35}
    assert rules["monthly-365-days"]["lifecycle"] == {"delete_after": 365, "cold_storage_after": 30}
    (settings,) = resources(stacks_json["prod"], "aws_backup_region_settings").values()
    assert settings["resource_type_management_preference"] == {"DynamoDB": True}
    # Governance by default (a compliance lock is behind PROD_COMPLIANCE_VAULT_LOCK),
    # on the vault and on its DR copy in us-west-2.
    locks = resources(stacks_json["prod"], "aws_backup_vault_lock_configuration").values()
    assert sorted(lock.get("provider", "aws") for lock in locks) == ["aws", "aws.us_west_2"]
    assert all("changeable_for_days" not in lock for lock in locks)
    vaults = resources(stacks_json["prod"], "aws_backup_vault").values()
    assert sorted((vault["name"], vault.get("provider", "aws")) for vault in vaults) == [
        ("prod-dynamodb", "aws"), ("prod-dynamodb-dr", "aws.us_west_2")]
    assert all(vault["lifecycle"] == {"prevent_destroy": True} for vault in vaults)


def test_prod_copies_every_recovery_point_to_its_dr_vault(stacks_json):
    (dr_id,) = [i for i, v in resources(stacks_json["prod"], "aws_backup_vault").items() if v["name"].endswith("-dr")]
    for rule in rules_by_name(stacks_json["prod"]):
        assert rule["copy_action"] == [{"destination_vault_arn": f"${{aws_backup_vault.{dr_id}.arn}}",
                                        "lifecycle": rule["lifecycle"]}]
    assert resources(stacks_json["staging"], "aws_backup_vault_lock_configuration") == {}
    assert all("copy_action" not in rule for rule in rules_by_name(stacks_json["staging"]))


def test_staging_backs_up_daily_for_7_days_and_dev_not_at_all(stacks_json):
    assert [(r["rule_name"], r["lifecycle"]) for r in rules_by_name(stacks_json["staging"])] == [
        ("daily-7-days", {"delete_after": 7}),
    ]
    assert resources(stacks_json["staging"], "aws_backup_region_settings") == {}
    assert resources(stacks_json["dev"], "aws_backup_plan") == {}


@pytest.mark.parametrize("env", ENVS)
def test_every_stack_passes_the_policy_rules(stacks_json, env):
    assert check(stacks_json[env], ALL_RULES, ENVIRONMENTS[env].rule_suppressions) == []


def test_rules_report_each_table(stacks_json):
    prod = stacks_json["prod"]
    for rule in (table_pitr_enabled.RULE, table_in_backup_selection.RULE):
        results = rule.evaluate(prod)
        assert sorted(r.address for r in results) == sorted(
            f"aws_dynamodb_table.{i}" for i in resources(prod, "aws_dynamodb_table")
        )
        assert {r.status for r in results} == {Status.COMPLIANT}
    # dev has no AWS Backup: non-compliant, and accepted only by its suppression.
    dev_findings = check(stacks_json["dev"], ALL_RULES)
    assert {(f.rule_id, f.status) for f in dev_findings} == {
        ("DynamoDBTableInBackupSelection", Status.NON_COMPLIANT)
    }
    assert len(dev_findings) == len(resources(stacks_json["dev"], "aws_dynamodb_table")) == len(TABLES)


def test_a_table_without_pitr_is_found(stacks_json):
    broken = json.loads(json.dumps(stacks_json["prod"]))
    table_id = next(iter(resources(broken, "aws_dynamodb_table")))
    broken["resource"]["aws_dynamodb_table"][table_id]["point_in_time_recovery"] = {"enabled": False}
    (finding,) = check(broken, ALL_RULES)
    assert (finding.rule_id, finding.address) == (
        "DynamoDBTablePITREnabled", f"aws_dynamodb_table.{table_id}",
    )


def test_a_table_outside_every_selection_is_found(stacks_json):
    broken = json.loads(json.dumps(stacks_json["prod"]))
    (selection,) = broken["resource"]["aws_backup_selection"].values()
    assert len(selection["resources"]) == len(resources(broken, "aws_dynamodb_table"))
    selection["resources"] = selection["resources"][:-1]  # one table left out
    (finding,) = check(broken, ALL_RULES)
    assert finding.rule_id == "DynamoDBTableInBackupSelection"


def test_a_suppression_needs_a_reason():
    with pytest.raises(ValidationError) as raised:
        Suppression("DynamoDBTablePITREnabled", "")
    assert str(raised.value) == (
        "Suppression: reason='' of rule DynamoDBTablePITREnabled is missing or too short; "
        "say in a sentence why the rule does not apply"
    )


# A restore of the Orders table, as an operator would declare it in ENVIRONMENTS.
SOURCE = "Orders"
ORDERS_RESTORE = TableRestore(
    construct_id="OrdersRestored",
    shape=TABLES[SOURCE],
    table_name=f"{TABLES[SOURCE].table_name}-restored",
    source=RestoreSource.from_table_name(
        f"prod-{TABLES[SOURCE].table_name}", point_in_time="2026-11-27T03:00:00Z"
    ),
    drop_global_secondary_indexes=tuple(g.name for g in TABLES[SOURCE].global_secondary_indexes),
    billing=Billing.provisioned(read=Capacity.fixed(50), write=Capacity.fixed(1000)),
)


def synth_env(env) -> dict:
    stack = DataStack(cdktf.Testing.app(), env)
    return json.loads(cdktf.Testing.synth(stack))


def with_restores(*restores: TableRestore):
    return dataclasses.replace(ENVIRONMENTS["prod"], restores=restores)


def test_a_restore_declared_in_config_synthesizes_a_new_table():
    assert ORDERS_RESTORE.drop_global_secondary_indexes, "the test needs a GSI to drop"
    stack_json = synth_env(with_restores(ORDERS_RESTORE))
    tables = {t["name"]: t for t in resources(stack_json, "aws_dynamodb_table").values()}
    restored = tables[f"prod-{ORDERS_RESTORE.table_name}"]
    original = tables[f"prod-{TABLES[SOURCE].table_name}"]
    assert restored["restore_source_name"] == f"prod-{TABLES[SOURCE].table_name}"
    assert restored["restore_date_time"] == "2026-11-27T03:00:00Z"
    assert "restore_to_latest_time" not in restored
    assert "global_secondary_index" not in restored  # dropped for a faster restore
    assert (restored["billing_mode"], restored["read_capacity"], restored["write_capacity"]) == (
        "PROVISIONED", 50, 1000,
    )
    assert "on_demand_throughput" not in restored
    for same in ("hash_key", "range_key", "local_secondary_index", "server_side_encryption",
                 "point_in_time_recovery", "deletion_protection_enabled"):
        assert restored[same] == original[same], same
    assert "restore_source_name" not in original
    # The restored table is protected like the others: PITR and the backup plan.
    assert check(stack_json, ALL_RULES) == []
    assert f"{ORDERS_RESTORE.construct_id}Name" in stack_json["output"]


def test_a_restore_dropping_an_unknown_index_is_rejected():
    with pytest.raises(ValidationError) as raised:
        dataclasses.replace(ORDERS_RESTORE, drop_global_secondary_indexes=("ByNothing",))
    known = ", ".join(sorted(g.name for g in TABLES[SOURCE].global_secondary_indexes))
    assert str(raised.value) == (
        f"TableRestore: drop_global_secondary_indexes[0]='ByNothing' is not a GSI of "
        f"{TABLES[SOURCE].table_name} ({known}); name an index of the shape"
    )


def test_a_restore_cannot_bill_an_index_it_drops():
    dropped = ORDERS_RESTORE.drop_global_secondary_indexes[0]
    with pytest.raises(ValidationError) as raised:
        dataclasses.replace(ORDERS_RESTORE, index_billing={
            dropped: Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
        })
    assert str(raised.value) == (
        f"TableRestore: index_billing={dropped!r} is not a GSI the restored table keeps (none); "
        "set billing only for kept indexes"
    )


# The same restore keeping its GSI, with billing of its own for the table and the index.
KEPT_INDEX = TABLES[SOURCE].global_secondary_indexes[0].name
RESTORE_WITH_INDEX_BILLING = dataclasses.replace(
    ORDERS_RESTORE,
    source=RestoreSource.from_table_name(f"prod-{TABLES[SOURCE].table_name}", point_in_time="latest"),
    drop_global_secondary_indexes=(),
    billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
    index_billing={KEPT_INDEX: Billing.provisioned(read=Capacity.fixed(2), write=Capacity.fixed(3))},
)


def test_a_restore_bills_the_table_and_a_kept_index_as_declared():
    stack_json = synth_env(with_restores(RESTORE_WITH_INDEX_BILLING))
    tables = {t["name"]: t for t in resources(stack_json, "aws_dynamodb_table").values()}
    restored = tables[f"prod-{RESTORE_WITH_INDEX_BILLING.table_name}"]
    assert restored["restore_to_latest_time"] is True and "restore_date_time" not in restored
    assert (restored["billing_mode"], restored["read_capacity"], restored["write_capacity"]) == (
        "PROVISIONED", 5, 5,
    )
    (index,) = restored["global_secondary_index"]
    assert (index["name"], index["read_capacity"], index["write_capacity"]) == (KEPT_INDEX, 2, 3)
    # The source table keeps the environment's on-demand billing.
    original = tables[f"prod-{TABLES[SOURCE].table_name}"]
    assert original["billing_mode"] == "PAY_PER_REQUEST"
    assert all("read_capacity" not in g for g in original["global_secondary_index"])


# A point in time of prod's MovieRoles replica in us-west-2, restored into prod's
# own region: the restore of the multi-region page's runbook.
REPLICA_SOURCE_ARN = "arn:aws:dynamodb:us-west-2:123456789012:table/prod-MovieRoles"
CROSS_REGION_RESTORE = TableRestore(
    construct_id="MovieRolesRestored",
    shape=TABLES["MovieRoles"],
    table_name="MovieRoles-restored",
    source=RestoreSource.from_table_arn(REPLICA_SOURCE_ARN, point_in_time="2026-11-27T03:00:00Z"),
    # MovieRoles' own autoscaled billing in prod (without it: the environment's default).
    billing=ENVIRONMENTS["prod"].table_billing["MovieRoles"],
)


def test_a_cross_region_restore_gets_the_environments_key_pitr_protection_backup_and_alarms():
    prod = ENVIRONMENTS["prod"]
    assert prod.region != "us-west-2" and prod.replicas.get("MovieRoles"), "the source is prod's replica"
    stack_json = synth_env(with_restores(CROSS_REGION_RESTORE))
    by_name = {t["name"]: (i, t) for i, t in resources(stack_json, "aws_dynamodb_table").items()}
    restored_id, restored = by_name["prod-MovieRoles-restored"]
    _, original = by_name["prod-MovieRoles"]
    assert restored["restore_source_table_arn"] == REPLICA_SOURCE_ARN
    assert restored["restore_date_time"] == "2026-11-27T03:00:00Z"
    assert "restore_source_name" not in restored and "provider" not in restored  # the stack's region
    # The environment's key, PITR (35 days), protection, and the settings a restore does not bring back.
    assert restored["server_side_encryption"] == original["server_side_encryption"]
    assert restored["server_side_encryption"]["kms_key_arn"].startswith("${aws_kms_key.DataKey_")
    assert restored["point_in_time_recovery"] == original["point_in_time_recovery"] == {
        "enabled": True, "recovery_period_in_days": 35}
    assert restored["deletion_protection_enabled"] is True
    assert restored["lifecycle"]["prevent_destroy"] is True
    for same in ("ttl", "tags", "billing_mode"):
        assert restored.get(same) == original.get(same), same
    # The stream the shape declares (MovieRoles' own stream comes from its replica).
    declared = TABLES["MovieRoles"].stream
    assert restored.get("stream_view_type") == (declared.value if declared else None)
    # Restored into one region: no replica with it (added by a later change).
    replicas = resources(stack_json, "aws_dynamodb_table_replica").values()
    assert [r["global_table_arn"] for r in replicas] == [f"${{aws_dynamodb_table.{by_name['prod-MovieRoles'][0]}.arn}}"]
    # Autoscaling, alarms and the backup selection, re-applied from the declaration.
    targets = [t["resource_id"] for t in resources(stack_json, "aws_appautoscaling_target").values()]
    assert f"table/${{aws_dynamodb_table.{restored_id}.name}}" in targets
    alarms = {a["alarm_name"] for a in resources(stack_json, "aws_cloudwatch_metric_alarm").values()}
    assert {"prod-MovieRoles-restored-read-throttles", "prod-MovieRoles-restored-system-errors"} <= alarms
    (selection,) = resources(stack_json, "aws_backup_selection").values()
    assert f"${{aws_dynamodb_table.{restored_id}.arn}}" in selection["resources"]
    assert check(stack_json, ALL_RULES) == []


@background.flow(__name__, "restores_validate")
def restores_validate_flow(context: background.Context) -> tuple[list[str], dict]:
    """Both restores in one prod stack: one synth (in a process of its own: a
    flow never calls jsii), one terraform validate, in the background."""
    outdir = context.work / "out"
    environment = with_restores(RESTORE_WITH_INDEX_BILLING, CROSS_REGION_RESTORE)
    subprocess.run([sys.executable, "-c", "import pickle, sys; from stacks.app import build_app; "
                    "config, outdir = pickle.load(sys.stdin.buffer); "
                    "build_app(outdir=outdir, environments=[config])[0].synth()"],
                   input=pickle.dumps((environment, str(outdir))), cwd=REPO, env=context.env,
                   capture_output=True, check=True)
    stack_file = outdir / "stacks" / "prod" / "cdk.tf.json"
    return validate([stack_file], context.work), json.loads(stack_file.read_text())


@pytest.mark.terraform
@pytest.mark.background
def test_restores_with_their_own_billing_and_from_another_region_pass_terraform_validate():
    assert find_provider_mirror() is not None, "CI machines have the offline provider mirror"
    validated, synthesized = background.result("restores_validate")
    assert validated == ["prod"]
    tables = {t["name"]: t for t in resources(synthesized, "aws_dynamodb_table").values()}
    assert tables["prod-MovieRoles-restored"]["restore_source_table_arn"] == REPLICA_SOURCE_ARN
    with_billing = tables[f"prod-{RESTORE_WITH_INDEX_BILLING.table_name}"]
    assert (with_billing["billing_mode"], with_billing["global_secondary_index"][0]["read_capacity"]) == (
        "PROVISIONED", 2)


def test_a_restore_without_billing_bills_like_the_table_it_restores():
    """prod's MovieRoles is autoscaled (``table_billing``): so is its restore,
    but without the table's replica (a restore creates one region's table)."""
    restore = TableRestore(construct_id="MovieRolesRestored", shape=TABLES["MovieRoles"],
                           table_name="MovieRoles-restored",
                           source=RestoreSource.from_table_name("prod-MovieRoles", point_in_time="latest"))
    stack_json = synth_env(with_restores(restore))
    ((logical_id, restored),) = [(k, t) for k, t in resources(stack_json, "aws_dynamodb_table").items()
                                 if t["name"] == "prod-MovieRoles-restored"]
    assert restored["billing_mode"] == "PROVISIONED"
    assert {"read_capacity", "write_capacity"} <= set(restored["lifecycle"]["ignore_changes"])
    mine = f"aws_dynamodb_table.{logical_id}."
    targets = [t for t in resources(stack_json, "aws_appautoscaling_target").values() if mine in t["resource_id"]]
    assert len(targets) == 4  # read and write, table and ByMovie
    assert [r for r in resources(stack_json, "aws_dynamodb_table_replica").values()
            if mine in json.dumps(r)] == []
