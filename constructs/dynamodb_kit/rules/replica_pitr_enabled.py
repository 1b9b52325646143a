"""DynamoDBReplicaPITREnabled: every replica of a global table has point-in-time recovery on."""

from __future__ import annotations

from . import Result, Rule, Status, tables

WHY = (
    "A replica receives every write, bad ones included: after a failover the "
    "replica is the table, and without PITR its history cannot be restored."
)


def evaluate(stack_json: dict) -> list[Result]:
    results = []
    replicas = stack_json.get("resource", {}).get("aws_dynamodb_table_replica", {})
    for logical_id, body in replicas.items():
        on = body.get("point_in_time_recovery") is True
        results.append(Result(
            RULE.id, f"aws_dynamodb_table_replica.{logical_id}",
            Status.COMPLIANT if on else Status.NON_COMPLIANT,
            "" if on else "point_in_time_recovery is not true",
        ))
    for address, body in tables(stack_json).items():  # inline replica blocks
        for block in body.get("replica") or []:
            on = block.get("point_in_time_recovery") is True
            results.append(Result(
                RULE.id, f"{address} replica {block.get('region_name')}",
                Status.COMPLIANT if on else Status.NON_COMPLIANT,
                "" if on else "replica.point_in_time_recovery is not true",
            ))
    return results


RULE = Rule(id="DynamoDBReplicaPITREnabled", why=WHY, evaluate=evaluate)
