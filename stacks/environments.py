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

from dynamodb_kit import BillingMode, TableEncryption, TableProps


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
    ),
    "staging": EnvironmentConfig(
        name="staging",
        recovery_period_days=35,
        deletion_protection=True,
        prevent_destroy=False,
        key_deletion_window_days=30,
        tags=_tags("staging"),
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
    ),
}
