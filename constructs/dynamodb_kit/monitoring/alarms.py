"""Alarms: CloudWatch alarms on tables, indexes, replicas and backup jobs, and their topic.

Per table and per GSI: read and write throttle events, and consumed capacity
near the provisioned capacity or the on-demand ceiling (where there is one).
Per table: system errors (all operations summed). Per replica: replication
latency. Per stack: user errors of the region (DynamoDB counts them per
account and region, not per table) and, per backup vault, failed backup jobs.
Thresholds and what to do when each fires: constructs/docs/operations.md.
"""

from __future__ import annotations

from ..core.checked import expect_props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, TerraformResource, aws_resource, path_of, ref
from ..table.props import BillingMode
from ..table.table import Table
from .props import PERIOD_SECONDS, AlarmsProps, AlarmThresholds

# SystemErrors is reported per operation only; an alarm sums at most 10 metrics.
OPERATIONS = (
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
    "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
)


class Alarms(KitConstruct):
    """Every alarm of ``props.tables``, sent to one topic (or nowhere).

    Attributes
    ----------
    topic:
        The SNS topic created for ``AlarmActions.new_topic``, else ``None``.
    topic_arn:
        Where alarms go, or ``None``.
    alarms:
        Construct id -> ``aws_cloudwatch_metric_alarm``.
    """

    def __init__(self, scope: Construct, id: str, props: AlarmsProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, AlarmsProps)
        ids = {path_of(t).rsplit("/", 1)[-1] for t in props.tables}
        for name in props.table_thresholds:
            if name not in ids:
                raise ValidationError(
                    path_of(self), "table_thresholds", name,
                    problem=f"is not one of the watched tables ({', '.join(sorted(ids)) or 'none'})",
                    fix="use the construct id of a table in tables",
                )
        self.props = props
        self.alarms: dict[str, TerraformResource] = {}
        self.topic: TerraformResource | None = None
        self.topic_arn = props.actions.topic_arn
        if props.actions.create_topic:
            self.topic = aws_resource(self, "Topic", "aws_sns_topic", {
                "name": f"{props.name_prefix}-dynamodb-alarms",
                "kms_master_key_id": props.actions.topic_key_arn,
            })
            self.topic_arn = ref(self.topic, "arn")

        for table in props.tables:
            table_id = path_of(table).rsplit("/", 1)[-1]
            self._table_alarms(table_id, table, props.table_thresholds.get(table_id, props.thresholds))
        self._alarm("UserErrors", f"{props.name_prefix}-dynamodb-user-errors",
                    "Requests of this region rejected with HTTP 400 (bad requests, missing permissions)",
                    props.thresholds.user_errors, metric=("AWS/DynamoDB", "UserErrors", {}, "Sum"))
        for vault in props.backup_vault_names:
            self._alarm(f"BackupJobsFailed-{vault}", f"{vault}-backup-jobs-failed",
                        f"An AWS Backup job of vault {vault} failed", 1,
                        metric=("AWS/Backup", "NumberOfBackupJobsFailed", {"BackupVaultName": vault}, "Sum"))

    def _table_alarms(self, table_id: str, table: Table, limits: AlarmThresholds) -> None:
        props = table.props
        name = props.table_name
        dims = {"TableName": table.table_name}
        targets = [(None, dims, props.billing)] + [
            # A GSI without billing of its own follows the table's provisioned
            # capacities, but has no on-demand ceiling (as the table construct says).
            (gsi.name, {**dims, "GlobalSecondaryIndexName": gsi.name},
             gsi.billing or (props.billing if props.billing.mode is BillingMode.PROVISIONED else None))
            for gsi in props.global_secondary_indexes
        ]
        for index, dimensions, billing in targets:
            id_part = f"{table_id}-Index-{index}" if index else table_id
            name_part = f"{name}-{index}" if index else name
            where = f"index {index} of {name}" if index else f"table {name}"
            for kind in ("Read", "Write"):
                self._alarm(f"{id_part}-{kind}Throttles", f"{name_part}-{kind.lower()}-throttles",
                            f"{kind} requests throttled on {where}", limits.throttled_requests,
                            metric=("AWS/DynamoDB", f"{kind}ThrottleEvents", dimensions, "Sum"))
                self._capacity_alarm(id_part, name_part, where, kind, dimensions, billing, limits)
        self._alarm(f"{table_id}-SystemErrors", f"{name}-system-errors",
                    f"Requests on table {name} failed with HTTP 500 (DynamoDB's side)", limits.system_errors,
                    queries=[_metric(f"m{i}", "AWS/DynamoDB", "SystemErrors", {**dims, "Operation": op}, "Sum")
                             for i, op in enumerate(OPERATIONS)]
                    + [{"id": "errors", "expression": f"SUM([{','.join(f'm{i}' for i in range(len(OPERATIONS)))}])",
                        "label": "SystemErrors, all operations", "return_data": True}])
        for replica in props.replicas:
            self._alarm(f"{table_id}-ReplicationLatency-{replica.region}",
                        f"{name}-replication-latency-{replica.region}",
                        f"Updates of {name} take long to reach its {replica.region} replica",
                        limits.replication_latency_seconds * 1000,
                        metric=("AWS/DynamoDB", "ReplicationLatency",
                                {**dims, "ReceivingRegion": replica.region}, "Average"),
                        comparison="GreaterThanThreshold")

    def _capacity_alarm(self, id_part, name_part, where, kind, dimensions, billing, limits) -> None:
        if billing is None:
            return  # on-demand index without a ceiling of its own
        consumed = _metric("consumed", "AWS/DynamoDB", f"Consumed{kind}CapacityUnits", dimensions, "Sum")
        per_second = f"consumed / {PERIOD_SECONDS}"
        if billing.mode is BillingMode.PROVISIONED:
            capacity = _metric("provisioned", "AWS/DynamoDB", f"Provisioned{kind}CapacityUnits",
                               dimensions, "Average")
            expression, of_what = f"100 * ({per_second}) / provisioned", "provisioned"
            queries = [consumed, capacity]
        else:
            ceiling = billing.max_read if kind == "Read" else billing.max_write
            if ceiling is None:
                return  # on-demand without a ceiling: nothing to be near
            expression, of_what = f"100 * ({per_second}) / {ceiling}", "on-demand ceiling"
            queries = [consumed]
        queries.append({"id": "utilization", "expression": expression,
                        "label": f"{kind} capacity used, % of {of_what}", "return_data": True})
        self._alarm(f"{id_part}-{kind}Capacity", f"{name_part}-{kind.lower()}-capacity",
                    f"{kind} capacity of {where} is near its {of_what}", limits.capacity_percent,
                    queries=queries, periods=3, comparison="GreaterThanThreshold")

    def _alarm(self, id: str, alarm_name: str, description: str, threshold: int, *,
               metric: tuple | None = None, queries: list | None = None, periods: int = 1,
               comparison: str = "GreaterThanOrEqualToThreshold") -> None:
        actions = [self.topic_arn] if self.topic_arn else None
        attributes = {
            "alarm_name": alarm_name,
            "alarm_description": description,
            "comparison_operator": comparison,
            "threshold": threshold,
            "evaluation_periods": periods,
            # No data means no requests (or no backups): not a problem.
            "treat_missing_data": "notBreaching",
            "alarm_actions": actions,
            "ok_actions": actions,
        }
        if metric is not None:
            namespace, metric_name, dimensions, statistic = metric
            attributes.update({"namespace": namespace, "metric_name": metric_name,
                               "dimensions": dict(dimensions) or None, "statistic": statistic,
                               "period": PERIOD_SECONDS})
        else:
            attributes["metric_query"] = queries
        self.alarms[id] = aws_resource(self, id, "aws_cloudwatch_metric_alarm", attributes)


def _metric(query_id: str, namespace: str, name: str, dimensions: dict, statistic: str) -> dict:
    return {"id": query_id, "metric": {"namespace": namespace, "metric_name": name,
                                       "dimensions": dict(dimensions), "stat": statistic,
                                       "period": PERIOD_SECONDS}}
