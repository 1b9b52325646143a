"""Per-environment settings: what differs between dev, staging and prod.

The table shapes come from ``data_layer.py``; an environment decides names,
billing guard rails, recovery, protection, encryption and tags.
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
    encryption:
        Key that encrypts every table.
    max_request_units:
        On-demand ceiling (reads and writes per second) of each on-demand
        table: a cost guard. Default: none.
    tags:
        Default tags of every resource in the stack. Default: none.
    """

    name: str
    region: str = "us-east-1"
    recovery_period_days: int
    deletion_protection: bool
    prevent_destroy: bool
    encryption: TableEncryption
    max_request_units: int | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def table_props(self, shape: TableProps) -> TableProps:
        """The environment's version of a table shape."""
        on_demand = BillingMode(shape.billing_mode) is BillingMode.PAY_PER_REQUEST
        ceiling = self.max_request_units if on_demand else None
        return dataclasses.replace(
            shape,
            table_name=f"{self.name}-{shape.table_name}",
            point_in_time_recovery=True,
            recovery_period_days=self.recovery_period_days,
            deletion_protection=self.deletion_protection,
            prevent_destroy=self.prevent_destroy,
            encryption=self.encryption,
            max_read_request_units=shape.max_read_request_units or ceiling,
            max_write_request_units=shape.max_write_request_units or ceiling,
        )


def _tags(environment: str) -> dict[str, str]:
    return {"Environment": environment, "ManagedBy": "dynamodb-kit", "Project": "dynamodb-kit-example"}


ENVIRONMENTS: dict[str, EnvironmentConfig] = {
    # Cheap but safe: PITR stays on; a request ceiling caps a runaway loop's bill;
    # tables can be destroyed and recreated freely.
    "dev": EnvironmentConfig(
        name="dev",
        recovery_period_days=7,
        deletion_protection=False,
        prevent_destroy=False,
        encryption=TableEncryption.AWS_OWNED,
        max_request_units=100,
        tags=_tags("dev"),
    ),
    "staging": EnvironmentConfig(
        name="staging",
        recovery_period_days=35,
        deletion_protection=True,
        prevent_destroy=False,
        encryption=TableEncryption.AWS_MANAGED,
        tags=_tags("staging"),
    ),
    # Everything that protects data: deletion protection, prevent_destroy, the
    # longest PITR window and a key the account controls.
    "prod": EnvironmentConfig(
        name="prod",
        recovery_period_days=35,
        deletion_protection=True,
        prevent_destroy=True,
        encryption=TableEncryption.CUSTOMER_MANAGED,
        tags=_tags("prod"),
    ),
}
