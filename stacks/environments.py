"""Per-environment settings: what differs between dev, staging and prod.

The table shapes come from ``data_layer.py``; an environment decides names,
billing guard rails, recovery, protection, encryption and tags.

Every environment encrypts its tables with one customer-managed key per stack
(about $1 a month): it lets the account audit and revoke access to the data,
and it keeps checkov's CKV_AWS_119 meaningful for prod instead of skipped for all.
"""

from __future__ import annotations

from dataclasses import field
from typing import Mapping

from dynamodb_kit import (
    AlarmThresholds,
    Billing,
    BackupRule,
    Capacity,
    ContributorInsights,
    DisasterRecoveryVault,
    Replica,
    ScheduledCapacity,
    PointInTimeRecovery,
    Suppression,
    TableEncryption,
    TableRestore,
    TableSettings,
    VaultLock,
    VaultLockMode,
    props,
)


@props
class EnvironmentConfig:
    """Settings of one environment.

    Attributes
    ----------
    name:
        Stack name and table name prefix (``dev-Orders``).
    region:
        Default: ``us-east-1``.
    recovery_period_days:
        Point-in-time recovery window of every table, 1-35 days.
    deletion_protection:
        The API refuses to delete tables while it is on.
    prevent_destroy:
        Terraform refuses any plan that destroys a table.
    key_deletion_window_days:
        Waiting period before the stack's KMS key can be deleted, 7-30 days.
    max_request_units:
        On-demand ceiling (reads and writes per second) of every on-demand
        table: a cost guard. Default: none.
    table_billing:
        Table id -> its billing, for tables that are not on-demand here
        (their GSIs follow the table). Default: none, every table on-demand.
    tags:
        Default tags of every resource in the stack. Default: none.
    log_retention_days:
        Retention of the functions' log groups. Default: 365.
    backup_rules:
        AWS Backup rules for every table. Default: none (no AWS Backup).
    backup_vault_lock:
        Lock of the backup vault. Default: none.
    backup_disaster_recovery:
        Copy every recovery point to a vault with its own key in another
        region. Default: none, no cross-region copy.
    restores:
        Tables restored as code in this environment (``dynamodb_kit.TableRestore``).
        Default: none.
    rule_suppressions:
        Findings of the kit's policy rules accepted on purpose, each with its
        reason. Default: none.
    replicas:
        Table id -> its replicas in other regions. Default: none.
    contributor_insights:
        Contributor Insights on every table and GSI. Default: ``False``.
    alarm_topic:
        Send alarms to an SNS topic the stack creates (encrypted with its
        key). Default: ``True``; ``False`` leaves alarms in CloudWatch only.
    alarm_thresholds:
        Table id -> thresholds other than the kit's defaults. Default: none.
    """

    name: str
    region: str = "us-east-1"
    recovery_period_days: int
    deletion_protection: bool
    prevent_destroy: bool
    key_deletion_window_days: int
    max_request_units: int | None = None
    table_billing: Mapping[str, Billing] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    log_retention_days: int = 365
    backup_rules: tuple[BackupRule, ...] = ()
    backup_vault_lock: VaultLock | None = None
    backup_disaster_recovery: DisasterRecoveryVault | None = None
    restores: tuple[TableRestore, ...] = ()
    rule_suppressions: tuple[Suppression, ...] = ()
    replicas: Mapping[str, tuple[Replica, ...]] = field(default_factory=dict)
    contributor_insights: bool = False
    alarm_topic: bool = True
    alarm_thresholds: Mapping[str, AlarmThresholds] = field(default_factory=dict)

    def table_settings(self, encryption_key_arn: str, table_id: str | None = None) -> TableSettings:
        """A table of the environment: its prefix, billing, protection and the stack's key."""
        ceiling = self.max_request_units
        return TableSettings(
            name_prefix=f"{self.name}-",
            billing=self.table_billing.get(table_id) or Billing.on_demand(max_read=ceiling, max_write=ceiling),
            encryption=TableEncryption.customer_managed(key_arn=encryption_key_arn),
            point_in_time_recovery=PointInTimeRecovery(days=self.recovery_period_days),
            deletion_protection=self.deletion_protection,
            prevent_destroy=self.prevent_destroy,
            replicas=self.replicas.get(table_id, ()),
            contributor_insights=ContributorInsights() if self.contributor_insights else None,
        )


# MovieRoles is read by people at work: reads follow a business day (the
# classic heuristic, 1,500 read units from 08:00 and 200 from 20:00 on
# weekdays), writes stay low and steady. Provisioned with target tracking, on the
# table and on ByMovie (which follows the table), costs less than on-demand for
# such known, steady swings; `python -m dynamodb_kit_tools.cost advise` on a
# profile of this traffic gives the numbers (see the pricing page).
def _movie_roles_billing(schedule_timezone: str | None, read_max: int, write_max: int) -> Billing:
    schedules = ScheduledCapacity.business_day(schedule_timezone) if schedule_timezone else ()
    return Billing.provisioned(
        read=Capacity.autoscaled(min=5 if not schedules else 200, max=read_max, schedules=schedules),
        write=Capacity.autoscaled(min=5, max=write_max),
    )


# A COMPLIANCE vault lock can never be removed once its grace period is over,
# not even by the account's root user. Only an explicit flag switches it on.
PROD_COMPLIANCE_VAULT_LOCK = False


def _prod_vault_lock(compliance: bool) -> VaultLock:
    # Bounds cover both prod rules (35 and 365 days).
    if compliance:
        return VaultLock(
            mode=VaultLockMode.COMPLIANCE, min_retention_days=7, max_retention_days=400,
            changeable_for_days=3,
        )
    return VaultLock(mode=VaultLockMode.GOVERNANCE, min_retention_days=7, max_retention_days=400)


def _tags(environment: str) -> dict[str, str]:
    return {"Environment": environment, "ManagedBy": "dynamodb-kit", "Project": "dynamodb-kit-example"}


ENVIRONMENTS: dict[str, EnvironmentConfig] = {
    # Cheap but safe: PITR stays on; a request ceiling caps a runaway loop's bill;
    # tables can be destroyed and recreated freely; the key can go after a week.
    "dev": EnvironmentConfig(
        name="dev",
        recovery_period_days=7,
        deletion_protection=False,
        prevent_destroy=False,
        key_deletion_window_days=7,
        max_request_units=100,
        tags=_tags("dev"),
        # Alarms stay in CloudWatch: nobody is paged for dev.
        alarm_topic=False,
        rule_suppressions=(
            Suppression(
                "DynamoDBTableInBackupSelection",
                "dev data is disposable: 7 days of PITR are enough, AWS Backup would only cost",
            ),
        ),
    ),
    "staging": EnvironmentConfig(
        name="staging",
        recovery_period_days=35,
        deletion_protection=True,
        prevent_destroy=False,
        key_deletion_window_days=30,
        tags=_tags("staging"),
        table_billing={"MovieRoles": _movie_roles_billing(None, read_max=100, write_max=50)},
        backup_rules=(BackupRule.daily(retention_days=7),),
    ),
    # Everything that protects data: deletion protection, prevent_destroy on
    # tables and key, the longest PITR window and key deletion window.
    "prod": EnvironmentConfig(
        name="prod",
        recovery_period_days=35,
        deletion_protection=True,
        prevent_destroy=True,
        key_deletion_window_days=30,
        tags=_tags("prod"),
        table_billing={"MovieRoles": _movie_roles_billing("Europe/Berlin", read_max=4000, write_max=400)},
        backup_rules=(
            BackupRule.daily(retention_days=35),
            BackupRule.monthly(retention_days=365, cold_storage_after_days=30),
        ),
        backup_vault_lock=_prod_vault_lock(compliance=PROD_COMPLIANCE_VAULT_LOCK),
        # Every recovery point copied to us-west-2, into a vault with its own key
        # and the same lock: the backups outlive the loss of us-east-1.
        backup_disaster_recovery=DisasterRecoveryVault(
            region="us-west-2", vault_lock=_prod_vault_lock(compliance=PROD_COMPLIANCE_VAULT_LOCK)),
        # A second region for MovieRoles (disaster recovery, West Coast readers):
        # its own key there, PITR and deletion protection like the table's.
        replicas={"MovieRoles": (Replica(region="us-west-2"),)},
        contributor_insights=True,
    ),
}
