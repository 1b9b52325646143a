"""Application Auto Scaling for a table's autoscaled capacities.

Per autoscaled dimension (table or GSI, read or write): a scalable target, a
target-tracking policy on DynamoDB's utilization metric, and one scheduled
action per schedule. No IAM role is created: Application Auto Scaling uses its
service-linked role for DynamoDB (``AWSServiceRoleForApplicationAutoScaling_DynamoDBTable``,
created on first use; the deployer needs ``iam:CreateServiceLinkedRole``).
"""

from __future__ import annotations

import os
from typing import Iterator

from ..core.plan_markers import APPLY_INDEX_CHANGES_ENV, DECLARED_INDEXES_KEY  # noqa: F401
from ..core.terraform import (
    Construct, TerraformProvider, TerraformResource, TerraformResourceLifecycle, aws_resource, ref,
)
from .capacity import AutoscaledCapacity
from .props import TableProps

_METRIC = {"Read": "DynamoDBReadCapacityUtilization", "Write": "DynamoDBWriteCapacityUtilization"}


def autoscaled_dimensions(props: TableProps) -> Iterator[tuple[str | None, str, AutoscaledCapacity]]:
    """(GSI name or None for the table, "Read"/"Write", capacity) of each autoscaled dimension."""
    billing = props.billing
    for kind, capacity in (("Read", billing.read), ("Write", billing.write)):
        if isinstance(capacity, AutoscaledCapacity):
            yield None, kind, capacity
    for gsi in props.global_secondary_indexes:
        gsi_billing = gsi.billing or billing  # an index without billing follows the table
        for kind, capacity in (("Read", gsi_billing.read), ("Write", gsi_billing.write)):
            if isinstance(capacity, AutoscaledCapacity):
                yield gsi.name, kind, capacity


def ignored_by_autoscaling(props: TableProps) -> list[str]:
    """Table arguments autoscaling owns, which terraform must not reset.

    The table's own capacities can be ignored one by one. A GSI's capacity sits
    in the ``global_secondary_index`` set block, which terraform can only ignore
    whole (terraform-provider-aws #671), so an autoscaled GSI means ignoring the
    block; the plan guard then compares the declared indexes (kept in the
    resource's metadata) with the deployed ones, so an index change is reported,
    and ``DYNAMODB_KIT_APPLY_INDEX_CHANGES=1`` at synth applies it.
    """
    dimensions = list(autoscaled_dimensions(props))
    ignored = [f"{kind.lower()}_capacity" for index, kind, _ in dimensions if index is None]
    if any(index for index, _, _ in dimensions) and os.environ.get(APPLY_INDEX_CHANGES_ENV) != "1":
        # The attribute definitions follow the GSIs' keys: with the block ignored,
        # a new index's key would otherwise fail the provider's plan as "unused".
        # (Table keys stay watched: hash_key and range_key are not ignored.)
        ignored += ["global_secondary_index", "attribute"]
    return ignored


def declared_indexes(props: TableProps) -> list[dict]:
    """The GSIs' shapes (no capacities), as the provider's state records them."""
    return [
        {
            "name": gsi.name,
            "hash_key": gsi.partition_key.name,
            "range_key": gsi.sort_key.name if gsi.sort_key else "",
            "projection_type": gsi.projection.value,
            "non_key_attributes": sorted(gsi.non_key_attributes),
        }
        for gsi in props.global_secondary_indexes
    ]


def add_autoscaling(
    scope: Construct, table: TerraformResource, table_name: str, props: TableProps,
    *, provider: TerraformProvider | None = None, id_prefix: str = "",
) -> None:
    """Targets, policies and scheduled actions, children of ``scope`` with stable ids.

    ``provider`` and ``id_prefix``: a replica's, in its own region."""
    for index, kind, capacity in autoscaled_dimensions(props):
        level = "index" if index else "table"
        resource_id = f"table/{table_name}" + (f"/index/{index}" if index else "")
        dimension = f"dynamodb:{level}:{kind}CapacityUnits"
        prefix = id_prefix + (f"Index-{index}-{kind}" if index else kind)
        target = aws_resource(scope, f"{prefix}ScalableTarget", "aws_appautoscaling_target", {
            "service_namespace": "dynamodb",
            "resource_id": resource_id,
            "scalable_dimension": dimension,
            "min_capacity": capacity.min,
            "max_capacity": capacity.max,
        }, lifecycle=TerraformResourceLifecycle(
            # A schedule moves the target's min and max when it fires: that is
            # the schedule working, not drift for terraform to undo.
            ignore_changes=["min_capacity", "max_capacity"],
        ) if capacity.schedules else None, provider=provider)
        # The target depends on the table (its resource_id names it), the rest on the target.
        common = {
            "service_namespace": "dynamodb",
            "resource_id": ref(target, "resource_id"),
            "scalable_dimension": ref(target, "scalable_dimension"),
        }
        aws_resource(scope, f"{prefix}ScalingPolicy", "aws_appautoscaling_policy", {
            "name": f"{props.table_name}-{index + '-' if index else ''}{kind.lower()}-target-tracking",
            "policy_type": "TargetTrackingScaling",
            **common,
            "target_tracking_scaling_policy_configuration": {
                "predefined_metric_specification": {"predefined_metric_type": _METRIC[kind]},
                "target_value": capacity.target_utilization,
                "scale_in_cooldown": capacity.scale_in_cooldown,
                "scale_out_cooldown": capacity.scale_out_cooldown,
                "disable_scale_in": True if capacity.disable_scale_in else None,
            },
        }, provider=provider)
        for schedule in capacity.schedules:
            aws_resource(scope, f"{prefix}Schedule-{schedule.name}", "aws_appautoscaling_scheduled_action", {
                "name": f"{props.table_name}-{index + '-' if index else ''}{kind.lower()}-{schedule.name}",
                **common,
                "schedule": schedule.schedule,
                "timezone": schedule.timezone,
                "start_time": schedule.start,
                "end_time": schedule.end,
                # Strings in the provider's schema.
                "scalable_target_action": {
                    "min_capacity": None if schedule.min is None else str(schedule.min),
                    "max_capacity": None if schedule.max is None else str(schedule.max),
                },
            }, provider=provider)

