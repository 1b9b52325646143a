"""Per-environment settings: what differs between dev, staging and prod.

The table shapes come from ``data_layer.py``; an environment decides names,
billing guard rails, recovery, protection, encryption and tags.

Every environment encrypts its tables with one customer-managed key per stack
(about $1 a month): it lets the account audit and revoke access to the data,
and it keeps checkov's CKV_AWS_119 meaningful for prod instead of skipped for all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping

from dynamodb_kit import (
    BackupRule,
    BillingMode,
    RestoreSource,
    TableEncryption,
    TableProps,
    ValidationError,
    VaultLock,
    VaultLockMode,
)
from dynamodb_kit.rules import Suppression


@dataclass(frozen=True, kw_only=True)
class TableRestore:
    """A table restored as code into an environment (see docs/backup-and-restore.md).

    Attributes
    ----------
    construct_id:
        Id of the new table's construct; fixes its Terraform address.
    shape:
        Key of ``data_layer.TABLES`` whose shape the restored table has.
    table_name:
        Base name of the new table (the environment prefix is added).
    source:
        Which table and moment to restore.
    drop_global_secondary_indexes:
        GSIs to leave out for a faster restore. Default: none.
    billing_mode, read_capacity, write_capacity:
        Overrides of the shape's billing. Default: the shape's.
    """

    construct_id: str
    shape: str
    table_name: str
    source: RestoreSource
    drop_global_secondary_indexes: tuple[str, ...] = ()
    billing_mode: BillingMode | str | None = None
    read_capacity: int | None = None
    write_capacity: int | None = None

    def table_props(self, environment: "EnvironmentConfig", shape: TableProps, key_arn: str) -> TableProps:
        known = {gsi.name for gsi in shape.global_secondary_indexes}
        for name in self.drop_global_secondary_indexes:
            if name not in known:
                raise ValidationError(
                    f"{environment.name}/{self.construct_id}", "drop_global_secondary_indexes",
                    name, f"is not a GSI of {self.shape} ({', '.join(sorted(known)) or 'none'})",
                    "name an index of the shape",
                )
        props = environment.table_props(shape, key_arn)
        billing = {
            "billing_mode": self.billing_mode,
            "read_capacity": self.read_capacity,
            "write_capacity": self.write_capacity,
        } if self.billing_mode else {}
        if billing and BillingMode(self.billing_mode) is BillingMode.PROVISIONED:
            billing.update(max_read_request_units=None, max_write_request_units=None)
        return dataclasses.replace(
            props,
            table_name=f"{environment.name}-{self.table_name}",
            restore=self.source,
            global_secondary_indexes=tuple(
                g for g in props.global_secondary_indexes
                if g.name not in self.drop_global_secondary_indexes
            ),
            **billing,
        )


@dataclass(frozen=True, kw_only=True)
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
        On-demand ceiling (reads and writes per second) of each on-demand
        table: a cost guard. Default: none.
    tags:
        Default tags of every resource in the stack. Default: none.
    log_retention_days:
        Retention of the functions' log groups. Default: 365.
    backup_rules:
        AWS Backup rules for every table. Default: none (no AWS Backup).
    backup_vault_lock:
        Lock of the backup vault. Default: none.
    restores:
        Tables restored as code in this environment. Default: none.
    rule_suppressions:
        Findings of the kit's policy rules accepted on purpose, each with its
        reason. Default: none.
    endpoint_url:
        A local AWS emulator to deploy to instead of AWS. Default: AWS.
        ``DYNAMODB_KIT_ENDPOINT_URL`` sets it for every environment at synth.
    """

    name: str
    region: str = "us-east-1"
    recovery_period_days: int
    deletion_protection: bool
    prevent_destroy: bool
    key_deletion_window_days: int
    max_request_units: int | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    log_retention_days: int = 365
    backup_rules: tuple[BackupRule, ...] = ()
    backup_vault_lock: VaultLock | None = None
    restores: tuple[TableRestore, ...] = ()
    rule_suppressions: tuple[Suppression, ...] = ()
    endpoint_url: str | None = None

    def table_props(self, shape: TableProps, encryption_key_arn: str) -> TableProps:
        """The environment's version of a table shape, encrypted with the stack's key."""
        on_demand = BillingMode(shape.billing_mode) is BillingMode.PAY_PER_REQUEST
        ceiling = self.max_request_units if on_demand else None
        return dataclasses.replace(
            shape,
            table_name=f"{self.name}-{shape.table_name}",
            point_in_time_recovery=True,
            recovery_period_days=self.recovery_period_days,
            deletion_protection=self.deletion_protection,
            prevent_destroy=self.prevent_destroy,
            encryption=TableEncryption.CUSTOMER_MANAGED,
            encryption_key_arn=encryption_key_arn,
            max_read_request_units=shape.max_read_request_units or ceiling,
            max_write_request_units=shape.max_write_request_units or ceiling,
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
        backup_rules=(
            BackupRule.daily(retention_days=35),
            BackupRule.monthly(retention_days=365, cold_storage_after_days=30),
        ),
        backup_vault_lock=_prod_vault_lock(compliance=PROD_COMPLIANCE_VAULT_LOCK),
    ),
}
