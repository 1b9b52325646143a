"""DynamoDBTablePITREnabled: every table has point-in-time recovery on."""

from __future__ import annotations

from . import Result, Rule, Status, tables

WHY = (
    "PITR restores a table to any second of its recovery period at no capacity "
    "cost; without it, an accidental delete or bad write is unrecoverable."
)


def evaluate(stack_json: dict) -> list[Result]:
    results = []
    for address, body in tables(stack_json).items():
        pitr = body.get("point_in_time_recovery") or {}
        on = pitr.get("enabled") is True
        results.append(
            Result(
                RULE.id, address, Status.COMPLIANT if on else Status.NON_COMPLIANT,
                "" if on else "point_in_time_recovery.enabled is not true",
            )
        )
    return results


RULE = Rule(id="DynamoDBTablePITREnabled", why=WHY, evaluate=evaluate)
