"""The Backup construct: what it synthesizes and every rule's exact message."""

from __future__ import annotations

import dataclasses
import json

import pytest
from cdktf import Testing, TerraformStack

from dynamodb_kit import (
    Attribute,
    Backup,
    BackupCopy,
    BackupProps,
    BackupRule,
    DisasterRecoveryVault,
    Table,
    TableProps,
    ValidationError,
    VaultLock,
    add_aws_provider,
)

from helpers import synth_resources

VAULT_ARN_ELSEWHERE = "arn:aws:backup:eu-west-1:111122223333:backup-vault:prod-dynamodb"


def props(stack, **changes) -> BackupProps:
    table = Table(stack, "Orders", TableProps(table_name="Orders", partition_key=Attribute("pk")))
    base = BackupProps(
        vault_name="prod-dynamodb", rules=(BackupRule.daily(),), tables=(table,), region="us-east-1"
    )
    return dataclasses.replace(base, **changes)


def test_vault_plan_selection_and_role(stack):
    Backup(stack, "Backup", props(stack, rules=(BackupRule.daily(35), BackupRule.monthly())))
    (vault,) = synth_resources(stack, "aws_backup_vault")
    assert vault["name"] == "prod-dynamodb"
    assert vault["kms_key_arn"].startswith("${aws_kms_key.Backup_Key_")
    (plan,) = synth_resources(stack, "aws_backup_plan")
    assert plan["rule"] == [
        {
            "rule_name": "daily-35-days",
            "target_vault_name": "${aws_backup_vault.Backup_Vault_D1FD0DC4.name}",
            "schedule": "cron(0 3 * * ? *)",
            "schedule_expression_timezone": "Etc/UTC",
            "start_window": 60,
            "completion_window": 480,
            "lifecycle": {"delete_after": 35},
        },
        {
            "rule_name": "monthly-365-days",
            "target_vault_name": "${aws_backup_vault.Backup_Vault_D1FD0DC4.name}",
            "schedule": "cron(0 4 1 * ? *)",
            "schedule_expression_timezone": "Etc/UTC",
            "start_window": 60,
            "completion_window": 480,
            "lifecycle": {"cold_storage_after": 30, "delete_after": 365},
        },
    ]
    (selection,) = synth_resources(stack, "aws_backup_selection")
    assert selection["resources"] == ["${aws_dynamodb_table.Orders_A9B65338.arn}"]
    assert selection["iam_role_arn"] == "${aws_iam_role.Backup_ServiceRole_D78572AE.arn}"
    attachments = sorted(a["policy_arn"] for a in synth_resources(stack, "aws_iam_role_policy_attachment"))
    assert [a.rsplit("/", 1)[1] for a in attachments] == [
        "AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores",
    ]
    # Cold storage needs AWS Backup's advanced DynamoDB features, once per stack.
    (settings,) = synth_resources(stack, "aws_backup_region_settings")
    assert settings["resource_type_management_preference"] == {"DynamoDB": True}
    assert settings["resource_type_opt_in_preference"] == {"DynamoDB": True}


def test_no_region_settings_without_cold_storage_or_copies(stack):
    Backup(stack, "Backup", props(stack))
    assert synth_resources(stack, "aws_backup_region_settings") == []
    assert synth_resources(stack, "aws_backup_vault_lock_configuration") == []


def test_copy_tag_selection_and_locks(stack):
    rule = dataclasses.replace(
        BackupRule.daily(30), copies=(BackupCopy(destination_vault_arn=VAULT_ARN_ELSEWHERE),)
    )
    Backup(stack, "Backup", props(
        stack, rules=(rule,), tables=(), selection_tags={"Backup": "daily"},
        vault_lock=VaultLock(mode="COMPLIANCE", min_retention_days=7, max_retention_days=100,
                             changeable_for_days=3),
    ))
    (plan,) = synth_resources(stack, "aws_backup_plan")
    assert plan["rule"][0]["copy_action"] == [
        {"destination_vault_arn": VAULT_ARN_ELSEWHERE, "lifecycle": {"delete_after": 30}}
    ]
    (selection,) = synth_resources(stack, "aws_backup_selection")
    assert selection["selection_tag"] == [{"type": "STRINGEQUALS", "key": "Backup", "value": "daily"}]
    assert "resources" not in selection
    (lock,) = synth_resources(stack, "aws_backup_vault_lock_configuration")
    assert (lock["min_retention_days"], lock["max_retention_days"], lock["changeable_for_days"]) == (7, 100, 3)
    assert len(synth_resources(stack, "aws_backup_region_settings")) == 1


def test_governance_lock_has_no_grace_period(stack):
    Backup(stack, "Backup", props(
        stack, vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=1, max_retention_days=40)
    ))
    (lock,) = synth_resources(stack, "aws_backup_vault_lock_configuration")
    assert "changeable_for_days" not in lock


DAILY = BackupRule.daily()
CASES = {
    "cold storage shorter than 90 days": (
        dict(rules=(dataclasses.replace(DAILY, delete_after_days=100, cold_storage_after_days=30),)),
        "test/Backup: rules[0].delete_after_days=100 must be at least cold_storage_after_days + 90 "
        "= 120 (AWS keeps cold recovery points 90 days or more); keep them 120 days or longer, "
        "or move them to cold storage sooner",
    ),
    "copy lifecycle too": (
        dict(rules=(dataclasses.replace(DAILY, copies=(BackupCopy(
            destination_vault_arn=VAULT_ARN_ELSEWHERE, cold_storage_after_days=10),)),)),
        "test/Backup: rules[0].copies[0].delete_after_days=35 must be at least "
        "cold_storage_after_days + 90 = 100 (AWS keeps cold recovery points 90 days or more); "
        "keep them 100 days or longer, or move them to cold storage sooner",
    ),
    "lock min above max": (
        dict(vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=40, max_retention_days=30)),
        "test/Backup: vault_lock.min_retention_days=40 must be at least 1 and at most "
        "max_retention_days (30); set min_retention_days <= max_retention_days",
    ),
    "retention outside the lock": (
        dict(vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=60, max_retention_days=400)),
        "test/Backup: rules[0].delete_after_days=35 is outside the vault lock's 60-400 days; "
        "keep the rule's retention within the lock's bounds, or change the lock",
    ),
    "compliance without grace period": (
        dict(vault_lock=VaultLock(mode="COMPLIANCE", min_retention_days=1, max_retention_days=40)),
        "test/Backup: vault_lock.changeable_for_days=None must be at least 3 for a COMPLIANCE "
        "lock; give a grace period of 3 days or more; after it the lock can never be removed",
    ),
    "governance with grace period": (
        dict(vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=1, max_retention_days=40,
                                  changeable_for_days=3)),
        "test/Backup: vault_lock.changeable_for_days=3 only applies to a COMPLIANCE lock; "
        "remove it, or use mode COMPLIANCE",
    ),
    "cron with five fields": (
        dict(rules=(dataclasses.replace(DAILY, schedule="cron(0 3 * * ?)"),)),
        "test/Backup: rules[0].schedule='cron(0 3 * * ?)' is not an AWS cron expression; "
        "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)",
    ),
    "cron without question mark": (
        dict(rules=(dataclasses.replace(DAILY, schedule="cron(0 3 * * * *)"),)),
        "test/Backup: rules[0].schedule='cron(0 3 * * * *)' must have '?' in exactly one of "
        "day-of-month and day-of-week; use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), "
        "e.g. cron(0 3 * * ? *)",
    ),
    "cron hour out of range": (
        dict(rules=(dataclasses.replace(DAILY, schedule="cron(0 25 * * ? *)"),)),
        "test/Backup: rules[0].schedule='cron(0 25 * * ? *)' has 25 outside 0-23 in '25'; "
        "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)",
    ),
    "rate instead of cron": (
        dict(rules=(dataclasses.replace(DAILY, schedule="rate(1 day)"),)),
        "test/Backup: rules[0].schedule='rate(1 day)' is not an AWS cron expression; "
        "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)",
    ),
    "unknown time zone": (
        dict(rules=(dataclasses.replace(DAILY, timezone="Mars/Olympus"),)),
        "test/Backup: rules[0].timezone='Mars/Olympus' is not an IANA time zone; "
        "use a name such as Etc/UTC or Europe/Berlin",
    ),
    "start window too short": (
        dict(rules=(dataclasses.replace(DAILY, start_window_minutes=30),)),
        "test/Backup: rules[0].start_window_minutes=30 is below the AWS minimum of 60; "
        "set it to 60 or more",
    ),
    "completion before start": (
        dict(rules=(dataclasses.replace(DAILY, completion_window_minutes=60),)),
        "test/Backup: rules[0].completion_window_minutes=60 must be longer than "
        "start_window_minutes (60); give jobs time to finish after they start",
    ),
    "copy to the source vault": (
        dict(rules=(dataclasses.replace(DAILY, copies=(BackupCopy(
            destination_vault_arn="arn:aws:backup:us-east-1:111122223333:backup-vault:prod-dynamodb"),)),)),
        "test/Backup: rules[0].copies[0].destination_vault_arn='arn:aws:backup:us-east-1:"
        "111122223333:backup-vault:prod-dynamodb' is the source vault 'prod-dynamodb' itself; "
        "copy to a vault in another region or account",
    ),
    "copy target not an ARN": (
        dict(rules=(dataclasses.replace(DAILY, copies=(BackupCopy(destination_vault_arn="dr-vault"),)),)),
        "test/Backup: rules[0].copies[0].destination_vault_arn='dr-vault' is not a backup vault "
        "ARN; give the full ARN, e.g. arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault, "
        "or a Terraform reference",
    ),
    "cron with a full day name": (
        dict(rules=(dataclasses.replace(DAILY, schedule="cron(0 3 ? * MONDAY *)"),)),
        "test/Backup: rules[0].schedule='cron(0 3 ? * MONDAY *)' has 'MONDAY' in the day-of-week "
        "field, which takes SUN-SAT or 1-7; use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK "
        "YEAR), e.g. cron(0 3 * * ? *)",
    ),
    "cron day of week 0": (
        dict(rules=(dataclasses.replace(DAILY, schedule="cron(0 3 ? * 0 *)"),)),
        "test/Backup: rules[0].schedule='cron(0 3 ? * 0 *)' has 0 outside 1-7 in '0'; "
        "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)",
    ),
    "copy kept 0 days": (
        dict(rules=(dataclasses.replace(DAILY, copies=(BackupCopy(destination_vault_arn=VAULT_ARN_ELSEWHERE, delete_after_days=0),)),)),
        "test/Backup: rules[0].copies[0].delete_after_days=0 must be at least 1; keep recovery points for a day "
        "or more",
    ),
    "rule name with a space": (
        dict(rules=(dataclasses.replace(DAILY, name="daily backup"),)),
        "test/Backup: rules[0].name='daily backup' must be 1-50 characters of letters, digits, "
        "'_', '-' and '.'; choose such a name (no spaces)",
    ),
    "rule name too long": (
        dict(rules=(dataclasses.replace(DAILY, name="r" * 51),)),
        f"test/Backup: rules[0].name='{'r' * 51}' must be 1-50 characters of letters, digits, "
        "'_', '-' and '.'; choose such a name (no spaces)",
    ),
    "vault key not an ARN": (
        dict(encryption_key_arn="alias/backup"),
        "test/Backup: encryption_key_arn='alias/backup' is not a KMS key ARN; give the full ARN, "
        "e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, or a "
        "Terraform reference",
    ),
    "duplicate rule names": (
        dict(rules=(DAILY, DAILY)),
        "test/Backup: rules[1].name='daily-35-days' is already used by another rule; "
        "give every rule its own name",
    ),
    "no rules": (
        dict(rules=()),
        "test/Backup: rules=() is empty; add a rule such as BackupRule.daily()",
    ),
    "nothing selected": (
        dict(tables=(), selection_tags={}),
        "test/Backup: tables=() and selection_tags are both empty: nothing would be backed up; "
        "list the tables to protect or the tags that select them",
    ),
    "vault name": (
        dict(vault_name="prod vault"),
        "test/Backup: vault_name='prod vault' must be 2-50 characters of letters, digits, '_', "
        "'-' and '.'; choose such a name",
    ),
}


@pytest.mark.parametrize("changes, message", CASES.values(), ids=CASES.keys())
def test_rule_rejects_with_exact_message(stack, changes, message):
    with pytest.raises(ValidationError) as raised:
        Backup(stack, "Backup", props(stack, **changes))
    assert str(raised.value) == message
    assert stack.node.try_find_child("Backup").node.children == []


def test_unknown_lock_mode_is_rejected_when_the_lock_is_created():
    with pytest.raises(ValidationError) as raised:
        VaultLock(mode="STRICT", min_retention_days=1, max_retention_days=40)
    assert str(raised.value) == (
        "VaultLock: mode='STRICT' is not one of GOVERNANCE, COMPLIANCE; "
        "use a VaultLockMode member or one of GOVERNANCE, COMPLIANCE"
    )


def test_a_table_created_elsewhere_is_selected_by_its_arn(stack):
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/legacy-Orders"
    legacy = Table.from_table_arn(stack, "Legacy", arn, partition_key="pk")
    Backup(stack, "Backup", props(stack, tables=(legacy,)))
    (selection,) = synth_resources(stack, "aws_backup_selection")
    assert selection["resources"] == [arn]


def provided_stack():
    """A stack with the kit's AWS provider in us-east-1 (a DR vault needs one to copy)."""
    stack = TerraformStack(Testing.app(), "test")
    add_aws_provider(stack, region="us-east-1")
    return stack


def test_the_dr_vault_lives_in_its_region_with_its_own_key_and_lock():
    stack = provided_stack()
    lock = VaultLock(mode="GOVERNANCE", min_retention_days=7, max_retention_days=400)
    Backup(stack, "Backup", props(stack, rules=(BackupRule.daily(35), BackupRule.monthly()), vault_lock=lock,
                                  disaster_recovery=DisasterRecoveryVault(region="us-west-2", vault_lock=lock)))
    synthesized = json.loads(Testing.synth(stack))
    vaults = synthesized["resource"]["aws_backup_vault"]
    dr_id = next(i for i in vaults if "DrVault" in i)
    assert vaults[dr_id]["name"] == "prod-dynamodb-dr"
    assert vaults[dr_id]["provider"] == "aws.us_west_2"
    keys = synthesized["resource"]["aws_kms_key"]
    dr_key = vaults[dr_id]["kms_key_arn"].split(".")[1]
    assert keys[dr_key]["provider"] == "aws.us_west_2" and keys[dr_key]["enable_key_rotation"] is True
    assert vaults[dr_id]["kms_key_arn"] != next(v for i, v in vaults.items() if i != dr_id)["kms_key_arn"]
    locks = synthesized["resource"]["aws_backup_vault_lock_configuration"]
    assert sorted(lock.get("provider", "aws") for lock in locks.values()) == ["aws", "aws.us_west_2"]
    assert {"alias": "us_west_2", "region": "us-west-2"} in synthesized["provider"]["aws"]
    # Every rule copies there, each copy with its rule's lifecycle.
    (plan,) = synthesized["resource"]["aws_backup_plan"].values()
    assert [rule["copy_action"] for rule in plan["rule"]] == [
        [{"destination_vault_arn": f"${{aws_backup_vault.{dr_id}.arn}}", "lifecycle": {"delete_after": 35}}],
        [{"destination_vault_arn": f"${{aws_backup_vault.{dr_id}.arn}}",
          "lifecycle": {"delete_after": 365, "cold_storage_after": 30}}],
    ]
    # Copies need AWS Backup's advanced DynamoDB features in the source region.
    (settings,) = synthesized["resource"]["aws_backup_region_settings"].values()
    assert settings["resource_type_management_preference"] == {"DynamoDB": True}
    assert "provider" not in settings


def test_a_dr_copy_keeps_its_own_retention_and_cold_storage_next_to_other_copies():
    stack = provided_stack()
    rule = dataclasses.replace(BackupRule.daily(30), copies=(BackupCopy(destination_vault_arn=VAULT_ARN_ELSEWHERE),))
    Backup(stack, "Backup", props(stack, rules=(rule,), disaster_recovery=DisasterRecoveryVault(
        region="eu-west-1", vault_name="dr-vault", delete_after_days=200, cold_storage_after_days=10)))
    (plan,) = synth_resources(stack, "aws_backup_plan")
    assert [(c["destination_vault_arn"].split(".")[0], c["lifecycle"]) for c in plan["rule"][0]["copy_action"]] == [
        (VAULT_ARN_ELSEWHERE, {"delete_after": 30}),
        ("${aws_backup_vault", {"delete_after": 200, "cold_storage_after": 10}),
    ]
    assert "dr-vault" in [v["name"] for v in synth_resources(stack, "aws_backup_vault")]


LOCK_40_100 = VaultLock(mode="GOVERNANCE", min_retention_days=40, max_retention_days=100)
DR_CASES = {
    "the stack's own region": (
        DisasterRecoveryVault(region="us-east-1"),
        "test/Backup: disaster_recovery.region='us-east-1' is the stack's own region; a DR copy must "
        "survive the loss of that region; choose another region, e.g. us-west-2 for us-east-1",
    ),
    "copies kept outside the DR lock": (
        DisasterRecoveryVault(region="us-west-2", vault_lock=LOCK_40_100),
        "test/Backup: rules[0].delete_after_days=35 (the retention of daily-35-days's copies) is outside "
        "the DR vault lock's 40-100 days; keep the copies' retention within the DR lock's bounds, or "
        "change that lock",
    ),
    "a DR retention outside the DR lock": (
        DisasterRecoveryVault(region="us-west-2", delete_after_days=300, vault_lock=LOCK_40_100),
        "test/Backup: disaster_recovery.delete_after_days=300 (the retention of daily-35-days's copies) is "
        "outside the DR vault lock's 40-100 days; keep the copies' retention within the DR lock's bounds, "
        "or change that lock",
    ),
    "cold copies deleted too soon": (
        DisasterRecoveryVault(region="us-west-2", cold_storage_after_days=30),
        "test/Backup: disaster_recovery.delete_after_days=35 must be at least cold_storage_after_days + 90 "
        "= 120 (AWS keeps cold recovery points 90 days or more); keep them 120 days or longer, or move "
        "them to cold storage sooner",
    ),
    "a compliance DR lock without grace": (
        DisasterRecoveryVault(region="us-west-2", vault_lock=VaultLock(
            mode="COMPLIANCE", min_retention_days=7, max_retention_days=100)),
        "test/Backup: disaster_recovery.vault_lock.changeable_for_days=None must be at least 3 for a "
        "COMPLIANCE lock; give a grace period of 3 days or more; after it the lock can never be removed",
    ),
    "a DR vault name with a space": (
        DisasterRecoveryVault(region="us-west-2", vault_name="dr vault"),
        "test/Backup: disaster_recovery.vault_name='dr vault' must be 2-50 characters of letters, digits, "
        "'_', '-' and '.'; choose such a name, or leave it out for the source vault's name with -dr",
    ),
}


@pytest.mark.parametrize("disaster_recovery, message", DR_CASES.values(), ids=DR_CASES.keys())
def test_a_dr_copy_rejects_with_exact_message(disaster_recovery, message):
    stack = provided_stack()
    with pytest.raises(ValidationError) as raised:
        Backup(stack, "Backup", props(stack, disaster_recovery=disaster_recovery))
    assert str(raised.value) == message
    assert stack.node.try_find_child("Backup").node.children == []


def test_a_dr_copy_needs_the_stacks_provider(stack):
    with pytest.raises(ValidationError) as raised:
        Backup(stack, "Backup", props(stack, disaster_recovery=DisasterRecoveryVault(region="us-west-2")))
    assert str(raised.value) == (
        "test/Backup: disaster_recovery.region='us-west-2' needs a provider for that region, copied from the "
        "stack's, and the stack has none; call add_aws_provider(stack, region=...) before constructing the Backup"
    )


def test_a_dr_region_must_be_an_aws_region():
    with pytest.raises(ValidationError) as raised:
        DisasterRecoveryVault(region="us-west")
    assert str(raised.value).startswith(
        "DisasterRecoveryVault: region='us-west' is not an AWS region; use one of af-south-1, ")


@pytest.mark.parametrize("field", ["delete_after_days", "cold_storage_after_days"])
def test_dr_days_below_one_are_refused_not_taken_for_the_rules(field):
    with pytest.raises(ValidationError) as raised:
        DisasterRecoveryVault(region="us-west-2", **{field: 0})
    assert str(raised.value) == (f"DisasterRecoveryVault: {field}=0 must be at least 1; give a number of days, "
                                 "or leave it out for each rule's own")
