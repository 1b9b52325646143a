"""Typed props of the AWS Backup construct: rules, copies, vault lock."""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Mapping

from ..core.checked import props
from ..core.errors import ValidationError
from ..table.limits import AWS_REGIONS
from ..table.table import TableBase


class VaultLockMode(str, Enum):
    """GOVERNANCE can be removed by a privileged user; COMPLIANCE never, once
    its grace period (``changeable_for_days``) has passed."""

    GOVERNANCE = "GOVERNANCE"
    COMPLIANCE = "COMPLIANCE"


@props
class BackupCopy:
    """Copy each recovery point to another vault (another region or account).

    Attributes
    ----------
    destination_vault_arn:
        ``arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME`` of the target vault.
    delete_after_days:
        Retention of the copy. Default: none, the rule's own.
    cold_storage_after_days:
        Default: none, the copy stays in warm storage.
    """

    destination_vault_arn: str
    delete_after_days: int | None = None
    cold_storage_after_days: int | None = None

    def lifecycle(self, rule: "BackupRule") -> tuple[int, int | None]:
        """(delete after, cold storage after) days of this copy of ``rule``'s recovery points."""
        kept = self.delete_after_days if self.delete_after_days is not None else rule.delete_after_days
        return kept, self.cold_storage_after_days


@props
class BackupRule:
    """One schedule of on-demand backups and how long they are kept.

    Attributes
    ----------
    name:
        Rule name, unique in the plan: 1-50 of ``[a-zA-Z0-9_.-]``.
    schedule:
        AWS cron expression, ``cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR)``;
        days of the week are 1-7 or ``SUN``-``SAT``, months 1-12 or ``JAN``-``DEC``.
    timezone:
        IANA time zone of the schedule. Default: ``Etc/UTC``.
    start_window_minutes:
        How long after the scheduled time a job may start. Default: 60.
    completion_window_minutes:
        How long a job may run before it is cancelled. Default: 480.
    delete_after_days:
        Retention of each recovery point.
    cold_storage_after_days:
        Move to cold storage after this many days (needs AWS Backup's advanced
        DynamoDB features, switched on by the construct). Default: none, never.
    copies:
        Default: none.
    """

    name: str
    schedule: str
    delete_after_days: int
    timezone: str = "Etc/UTC"
    start_window_minutes: int = 60
    completion_window_minutes: int = 480
    cold_storage_after_days: int | None = None
    copies: tuple[BackupCopy, ...] = ()

    @classmethod
    def daily(cls, retention_days: int = 35, hour_utc: int = 3) -> "BackupRule":
        """Every day at ``hour_utc``:00 UTC, kept ``retention_days``. Default: 35 days."""
        return cls(
            name=f"daily-{retention_days}-days",
            schedule=f"cron(0 {hour_utc} * * ? *)",
            delete_after_days=retention_days,
        )

    @classmethod
    def monthly(
        cls, retention_days: int = 365, cold_storage_after_days: int | None = 30, hour_utc: int = 4
    ) -> "BackupRule":
        """The first of every month, kept a year, cold after 30 days by default."""
        return cls(
            name=f"monthly-{retention_days}-days",
            schedule=f"cron(0 {hour_utc} 1 * ? *)",
            delete_after_days=retention_days,
            cold_storage_after_days=cold_storage_after_days,
        )


@props
class VaultLock:
    """Make retention tamper-proof.

    Attributes
    ----------
    mode:
        ``COMPLIANCE`` cannot be undone after ``changeable_for_days``.
    min_retention_days, max_retention_days:
        Every recovery point in the vault must be kept within these bounds.
    changeable_for_days:
        Grace period of a COMPLIANCE lock, at least 3. Default: none (a
        GOVERNANCE lock takes none).
    """

    mode: VaultLockMode
    min_retention_days: int
    max_retention_days: int
    changeable_for_days: int | None = None


@props
class DisasterRecoveryVault:
    """A vault in another region, with its own KMS key, that every rule copies
    each recovery point to (AWS Backup cross-region copy). The construct creates
    the key and the vault in ``region`` and switches on AWS Backup's advanced
    DynamoDB features in the stack's region, which copies need.

    Attributes
    ----------
    region:
        The DR region, e.g. ``"us-west-2"``: an AWS region other than the stack's.
    vault_name:
        Default: none, the source vault's name with ``-dr`` appended.
    delete_after_days:
        Retention of the copies. Default: none, each rule's own.
    cold_storage_after_days:
        Move copies to cold storage after this many days. Default: none, each
        rule's own.
    vault_lock:
        Lock of the DR vault. Default: none, no lock.
    """

    region: str
    vault_name: str | None = None
    delete_after_days: int | None = None
    cold_storage_after_days: int | None = None
    vault_lock: VaultLock | None = None

    def lifecycle(self, rule: "BackupRule") -> tuple[int, int | None]:
        """(delete after, cold storage after) days of the DR copy of ``rule``'s
        recovery points: this vault's own settings, else the rule's."""
        return (self.delete_after_days if self.delete_after_days is not None else rule.delete_after_days,
                self.cold_storage_after_days if self.cold_storage_after_days is not None
                else rule.cold_storage_after_days)

    def _check(self) -> None:
        if self.region not in AWS_REGIONS:
            raise ValidationError(
                "DisasterRecoveryVault", "region", self.region,
                problem="is not an AWS region", fix=f"use one of {', '.join(AWS_REGIONS)}",
            )
        for name in ("delete_after_days", "cold_storage_after_days"):
            days = getattr(self, name)
            if days is not None and days < 1:
                raise ValidationError("DisasterRecoveryVault", name, days, problem="must be at least 1",
                                      fix="give a number of days, or leave it out for each rule's own")


@props
class BackupProps:
    """Props of a :class:`~dynamodb_kit.backup.Backup`.

    Attributes
    ----------
    vault_name:
        Backup vault name (2-50 characters of ``[a-zA-Z0-9_.-]``).
    rules:
        At least one rule.
    tables:
        Tables selected by ARN. Default: none.
    selection_tags:
        Select every resource carrying all these tags. Default: none. At least
        one of ``tables`` and ``selection_tags`` is required.
    encryption_key_arn:
        CMK that encrypts the vault. Default: none, the construct creates one.
    vault_lock:
        Default: none, no lock.
    disaster_recovery:
        Copy every recovery point to a vault the construct creates in another
        region. Default: none, no cross-region copy.
    region:
        The stack's region (``us-east-1``), used to reject a copy to the source
        vault itself. Default: none, only a literal match of the vault name is
        checked.
    prevent_destroy:
        Terraform ``lifecycle.prevent_destroy`` on the vault (and created key).
        Default: ``False``.
    tags:
        Default: none.
    """

    vault_name: str
    rules: tuple[BackupRule, ...]
    tables: tuple[TableBase, ...] = ()
    selection_tags: Mapping[str, str] = field(default_factory=dict)
    encryption_key_arn: str | None = None
    vault_lock: VaultLock | None = None
    disaster_recovery: DisasterRecoveryVault | None = None
    region: str | None = None
    prevent_destroy: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
