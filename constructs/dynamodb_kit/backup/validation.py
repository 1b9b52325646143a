"""Construction-time rules for AWS Backup props (see backup_props.py)."""

from __future__ import annotations

import re

from ..core.aws_names import check_arn, is_reference
from ..core.cron import check_cron, check_timezone
from ..core.errors import ValidationError
from .props import BackupProps, BackupRule, VaultLock, VaultLockMode

# AWS Backup: recovery points must stay in cold storage for at least 90 days.
MIN_COLD_STORAGE_DAYS = 90
MIN_START_WINDOW_MINUTES = 60
MIN_COMPLIANCE_GRACE_DAYS = 3
_VAULT_NAME = re.compile(r"[a-zA-Z0-9_.\-]{2,50}")
_RULE_NAME = re.compile(r"[a-zA-Z0-9_.\-]{1,50}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_VAULT_ARN = re.compile(
    r"arn:aws[a-z\-]*:backup:(?P<region>[a-z0-9\-]+):(?P<account>\d{12}):"
    r"backup-vault:(?P<name>[a-zA-Z0-9_.\-]{2,50})"
)
def _check_lifecycle(path: str, field: str, delete_after: int | None, cold_after: int | None) -> None:
    if delete_after is not None and delete_after < 1:
        raise ValidationError(
            path, f"{field}.delete_after_days", delete_after,
            problem="must be at least 1", fix="keep recovery points for a day or more",
        )
    if cold_after is not None and cold_after < 1:
        raise ValidationError(
            path, f"{field}.cold_storage_after_days", cold_after,
            problem="must be at least 1", fix="move recovery points to cold storage after a day or more",
        )
    if cold_after is None:
        return
    if delete_after is None or delete_after < cold_after + MIN_COLD_STORAGE_DAYS:
        raise ValidationError(
            path, f"{field}.delete_after_days", delete_after,
            problem=f"must be at least cold_storage_after_days + {MIN_COLD_STORAGE_DAYS} "
            f"= {cold_after + MIN_COLD_STORAGE_DAYS} (AWS keeps cold recovery points "
            f"{MIN_COLD_STORAGE_DAYS} days or more)",
            fix=f"keep them {cold_after + MIN_COLD_STORAGE_DAYS} days or longer, or move them to "
            "cold storage sooner",
        )


def _check_rule(path: str, field: str, rule: BackupRule, props: BackupProps) -> None:
    if not _RULE_NAME.fullmatch(rule.name):
        raise ValidationError(
            path, f"{field}.name", rule.name,
            problem="must be 1-50 characters of letters, digits, '_', '-' and '.'",
            fix="choose such a name (no spaces)",
        )
    check_cron(path, f"{field}.schedule", rule.schedule)
    check_timezone(path, f"{field}.timezone", rule.timezone)
    if rule.start_window_minutes < MIN_START_WINDOW_MINUTES:
        raise ValidationError(
            path, f"{field}.start_window_minutes", rule.start_window_minutes,
            problem=f"is below the AWS minimum of {MIN_START_WINDOW_MINUTES}",
            fix=f"set it to {MIN_START_WINDOW_MINUTES} or more",
        )
    if rule.completion_window_minutes <= rule.start_window_minutes:
        raise ValidationError(
            path, f"{field}.completion_window_minutes", rule.completion_window_minutes,
            problem=f"must be longer than start_window_minutes ({rule.start_window_minutes})",
            fix="give jobs time to finish after they start",
        )
    _check_lifecycle(path, field, rule.delete_after_days, rule.cold_storage_after_days)
    for j, copy in enumerate(rule.copies):
        copy_field = f"{field}.copies[{j}]"
        _check_lifecycle(path, copy_field, *copy.lifecycle(rule))
        if is_reference(copy.destination_vault_arn):
            continue  # a reference to another construct's vault: resolved by terraform
        check_arn(path, f"{copy_field}.destination_vault_arn", copy.destination_vault_arn,
                  "backup-vault")
        arn = _VAULT_ARN.fullmatch(copy.destination_vault_arn)
        if arn and arn["name"] == props.vault_name and (props.region in (None, arn["region"])):
            raise ValidationError(
                path, f"{copy_field}.destination_vault_arn", copy.destination_vault_arn,
                problem=f"is the source vault '{props.vault_name}' itself",
                fix="copy to a vault in another region or account",
            )
    lock = props.vault_lock
    if lock and not lock.min_retention_days <= rule.delete_after_days <= lock.max_retention_days:
        raise ValidationError(
            path, f"{field}.delete_after_days", rule.delete_after_days,
            problem=f"is outside the vault lock's {lock.min_retention_days}-"
            f"{lock.max_retention_days} days",
            fix="keep the rule's retention within the lock's bounds, or change the lock",
        )
    dr = props.disaster_recovery
    if dr:
        # The copy of this rule's recovery points in the DR vault.
        kept, cold = dr.lifecycle(rule)
        _check_lifecycle(path, "disaster_recovery", kept, cold)
        lock = dr.vault_lock
        if lock and not lock.min_retention_days <= kept <= lock.max_retention_days:
            where = "disaster_recovery" if dr.delete_after_days is not None else field
            raise ValidationError(
                path, f"{where}.delete_after_days", kept,
                problem=f"(the retention of {rule.name}'s copies) is outside the DR vault lock's "
                f"{lock.min_retention_days}-{lock.max_retention_days} days",
                fix="keep the copies' retention within the DR lock's bounds, or change that lock",
            )


def _check_vault_lock(path: str, field: str, lock: VaultLock) -> None:
    if not 1 <= lock.min_retention_days <= lock.max_retention_days:
        raise ValidationError(
            path, f"{field}.min_retention_days", lock.min_retention_days,
            problem=f"must be at least 1 and at most max_retention_days ({lock.max_retention_days})",
            fix="set min_retention_days <= max_retention_days",
        )
    if lock.mode is VaultLockMode.COMPLIANCE and (
        lock.changeable_for_days is None or lock.changeable_for_days < MIN_COMPLIANCE_GRACE_DAYS
    ):
        raise ValidationError(
            path, f"{field}.changeable_for_days", lock.changeable_for_days,
            problem=f"must be at least {MIN_COMPLIANCE_GRACE_DAYS} for a COMPLIANCE lock",
            fix=f"give a grace period of {MIN_COMPLIANCE_GRACE_DAYS} days or more; after it "
            "the lock can never be removed",
        )
    if lock.mode is VaultLockMode.GOVERNANCE and lock.changeable_for_days is not None:
        raise ValidationError(
            path, f"{field}.changeable_for_days", lock.changeable_for_days,
            problem="only applies to a COMPLIANCE lock", fix="remove it, or use mode COMPLIANCE",
        )


def dr_vault_name(props: BackupProps) -> str:
    """The DR vault's name: the one given, else the source vault's with ``-dr``."""
    dr = props.disaster_recovery
    assert dr is not None
    return dr.vault_name or f"{props.vault_name[:47]}-dr"


def _check_disaster_recovery(path: str, props: BackupProps, stack_region: str | None) -> None:
    dr = props.disaster_recovery
    if dr is None:
        return
    if stack_region is None:
        raise ValidationError(
            path, "disaster_recovery.region", dr.region,
            problem="needs a provider for that region, copied from the stack's, and the stack has none",
            fix="call add_aws_provider(stack, region=...) before constructing the Backup",
        )
    if dr.region in (stack_region, props.region):
        raise ValidationError(
            path, "disaster_recovery.region", dr.region,
            problem="is the stack's own region; a DR copy must survive the loss of that region",
            fix="choose another region, e.g. us-west-2 for us-east-1",
        )
    if dr.vault_name is not None and not _VAULT_NAME.fullmatch(dr.vault_name):
        raise ValidationError(
            path, "disaster_recovery.vault_name", dr.vault_name,
            problem="must be 2-50 characters of letters, digits, '_', '-' and '.'",
            fix="choose such a name, or leave it out for the source vault's name with -dr",
        )
    if dr.vault_lock:
        _check_vault_lock(path, "disaster_recovery.vault_lock", dr.vault_lock)


def validate_backup_props(path: str, props: BackupProps, stack_region: str | None) -> None:
    """``stack_region``: the region of the stack's provider, ``None`` without
    one (a DR copy needs it, and must leave that region)."""
    if not _VAULT_NAME.fullmatch(props.vault_name):
        raise ValidationError(
            path, "vault_name", props.vault_name,
            problem="must be 2-50 characters of letters, digits, '_', '-' and '.'",
            fix="choose such a name",
        )
    if not props.rules:
        raise ValidationError(path, "rules", (), problem="is empty",
                              fix="add a rule such as BackupRule.daily()")
    if not props.tables and not props.selection_tags:
        raise ValidationError(
            path, "tables", (), problem="and selection_tags are both empty: nothing would be backed up",
            fix="list the tables to protect or the tags that select them",
        )
    if props.region is not None and not _REGION.fullmatch(props.region):
        raise ValidationError(path, "region", props.region, problem="is not an AWS region name",
                              fix="give a region such as us-east-1")
    if props.encryption_key_arn is not None:
        check_arn(path, "encryption_key_arn", props.encryption_key_arn, "kms")
    if props.vault_lock:
        _check_vault_lock(path, "vault_lock", props.vault_lock)
    _check_disaster_recovery(path, props, stack_region)
    seen: set[str] = set()
    for i, rule in enumerate(props.rules):
        if rule.name in seen:
            raise ValidationError(
                path, f"rules[{i}].name", rule.name, problem="is already used by another rule",
                fix="give every rule its own name",
            )
        seen.add(rule.name)
        _check_rule(path, f"rules[{i}]", rule, props)
