"""Construction-time rules for AWS Backup props (see backup_props.py)."""

from __future__ import annotations

import re
import zoneinfo

from cdktf import Token

from .errors import ValidationError
from .backup_props import BackupProps, BackupRule, VaultLockMode
from .table_validation import enum_value

# AWS Backup: recovery points must stay in cold storage for at least 90 days.
MIN_COLD_STORAGE_DAYS = 90
MIN_START_WINDOW_MINUTES = 60
MIN_COMPLIANCE_GRACE_DAYS = 3
_VAULT_NAME = re.compile(r"[a-zA-Z0-9_.\-]{2,50}")
_VAULT_ARN = re.compile(
    r"arn:aws[a-z\-]*:backup:(?P<region>[a-z0-9\-]+):(?P<account>\d{12}):"
    r"backup-vault:(?P<name>[a-zA-Z0-9_.\-]{2,50})"
)
# One AWS cron field: numbers, names, ranges, lists, steps and the wildcards.
_CRON_FIELD = re.compile(r"[0-9A-Za-z*?,/\-#LW]+")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))


def _check_cron(path: str, field: str, expression: str) -> None:
    fix = "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)"
    match = re.fullmatch(r"cron\((.*)\)", expression.strip()) if isinstance(expression, str) else None
    parts = match.group(1).split() if match else []
    if len(parts) != 6 or not all(_CRON_FIELD.fullmatch(p) for p in parts):
        raise ValidationError(path, field, expression, "is not an AWS cron expression", fix)
    if (parts[2] == "?") == (parts[4] == "?"):
        raise ValidationError(
            path, field, expression,
            "must have '?' in exactly one of day-of-month and day-of-week", fix,
        )
    for part, (low, high) in zip(parts, _CRON_RANGES):
        for number in re.findall(r"\d+", part.split("/")[0]):
            if not low <= int(number) <= high:
                raise ValidationError(
                    path, field, expression, f"has {number} outside {low}-{high} in '{part}'", fix
                )


def _check_lifecycle(path: str, field: str, delete_after: int | None, cold_after: int | None) -> None:
    if delete_after is not None and (isinstance(delete_after, bool) or delete_after < 1):
        raise ValidationError(
            path, f"{field}.delete_after_days", delete_after,
            "must be at least 1", "keep recovery points for a day or more",
        )
    if cold_after is None:
        return
    if delete_after is None or delete_after < cold_after + MIN_COLD_STORAGE_DAYS:
        raise ValidationError(
            path, f"{field}.delete_after_days", delete_after,
            f"must be at least cold_storage_after_days + {MIN_COLD_STORAGE_DAYS} "
            f"= {cold_after + MIN_COLD_STORAGE_DAYS} (AWS keeps cold recovery points "
            f"{MIN_COLD_STORAGE_DAYS} days or more)",
            f"keep them {cold_after + MIN_COLD_STORAGE_DAYS} days or longer, or move them to "
            "cold storage sooner",
        )


def _check_rule(path: str, field: str, rule: BackupRule, props: BackupProps) -> None:
    _check_cron(path, f"{field}.schedule", rule.schedule)
    if rule.timezone not in zoneinfo.available_timezones():
        raise ValidationError(
            path, f"{field}.timezone", rule.timezone,
            "is not an IANA time zone", "use a name such as Etc/UTC or Europe/Berlin",
        )
    if rule.start_window_minutes < MIN_START_WINDOW_MINUTES:
        raise ValidationError(
            path, f"{field}.start_window_minutes", rule.start_window_minutes,
            f"is below the AWS minimum of {MIN_START_WINDOW_MINUTES}",
            f"set it to {MIN_START_WINDOW_MINUTES} or more",
        )
    if rule.completion_window_minutes <= rule.start_window_minutes:
        raise ValidationError(
            path, f"{field}.completion_window_minutes", rule.completion_window_minutes,
            f"must be longer than start_window_minutes ({rule.start_window_minutes})",
            "give jobs time to finish after they start",
        )
    _check_lifecycle(path, field, rule.delete_after_days, rule.cold_storage_after_days)
    for j, copy in enumerate(rule.copies):
        copy_field = f"{field}.copies[{j}]"
        _check_lifecycle(
            path, copy_field,
            copy.delete_after_days or rule.delete_after_days, copy.cold_storage_after_days,
        )
        if Token.is_unresolved(copy.destination_vault_arn):
            continue  # a reference to another construct's vault: resolved by terraform
        arn = _VAULT_ARN.fullmatch(copy.destination_vault_arn)
        if not arn:
            raise ValidationError(
                path, f"{copy_field}.destination_vault_arn", copy.destination_vault_arn,
                "is not a backup vault ARN",
                "use arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME",
            )
        if arn["name"] == props.vault_name and (props.region in (None, arn["region"])):
            raise ValidationError(
                path, f"{copy_field}.destination_vault_arn", copy.destination_vault_arn,
                f"is the source vault '{props.vault_name}' itself",
                "copy to a vault in another region or account",
            )
    lock = props.vault_lock
    if lock and not lock.min_retention_days <= rule.delete_after_days <= lock.max_retention_days:
        raise ValidationError(
            path, f"{field}.delete_after_days", rule.delete_after_days,
            f"is outside the vault lock's {lock.min_retention_days}-"
            f"{lock.max_retention_days} days",
            "keep the rule's retention within the lock's bounds, or change the lock",
        )


def validate_backup_props(path: str, props: BackupProps) -> None:
    if not isinstance(props.vault_name, str) or not _VAULT_NAME.fullmatch(props.vault_name):
        raise ValidationError(
            path, "vault_name", props.vault_name,
            "must be 2-50 characters of letters, digits, '_', '-' and '.'",
            "choose such a name",
        )
    if not props.rules:
        raise ValidationError(path, "rules", (), "is empty", "add a rule such as BackupRule.daily()")
    if not props.tables and not props.selection_tags:
        raise ValidationError(
            path, "tables", (), "and selection_tags are both empty: nothing would be backed up",
            "list the tables to protect or the tags that select them",
        )
    lock = props.vault_lock
    if lock:
        mode = enum_value(path, "vault_lock.mode", lock.mode, VaultLockMode)
        if not 1 <= lock.min_retention_days <= lock.max_retention_days:
            raise ValidationError(
                path, "vault_lock.min_retention_days", lock.min_retention_days,
                f"must be at least 1 and at most max_retention_days ({lock.max_retention_days})",
                "set min_retention_days <= max_retention_days",
            )
        if mode is VaultLockMode.COMPLIANCE and (
            lock.changeable_for_days is None or lock.changeable_for_days < MIN_COMPLIANCE_GRACE_DAYS
        ):
            raise ValidationError(
                path, "vault_lock.changeable_for_days", lock.changeable_for_days,
                f"must be at least {MIN_COMPLIANCE_GRACE_DAYS} for a COMPLIANCE lock",
                f"give a grace period of {MIN_COMPLIANCE_GRACE_DAYS} days or more; after it "
                "the lock can never be removed",
            )
        if mode is VaultLockMode.GOVERNANCE and lock.changeable_for_days is not None:
            raise ValidationError(
                path, "vault_lock.changeable_for_days", lock.changeable_for_days,
                "only applies to a COMPLIANCE lock", "remove it, or use mode COMPLIANCE",
            )
    seen: set[str] = set()
    for i, rule in enumerate(props.rules):
        if rule.name in seen:
            raise ValidationError(
                path, f"rules[{i}].name", rule.name, "is already used by another rule",
                "give every rule its own name",
            )
        seen.add(rule.name)
        _check_rule(path, f"rules[{i}]", rule, props)
