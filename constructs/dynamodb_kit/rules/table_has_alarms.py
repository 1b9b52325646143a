"""DynamoDBTableHasAlarms: every table is watched by at least one CloudWatch alarm."""

from __future__ import annotations

from . import Result, Rule, Status, tables

WHY = (
    "Throttling, system errors and capacity at its limit fail requests silently "
    "unless an alarm says so; a table no alarm watches fails unnoticed."
)


def _watched_names(stack_json: dict) -> set[str]:
    names = set()
    for alarm in stack_json.get("resource", {}).get("aws_cloudwatch_metric_alarm", {}).values():
        dimensions = [alarm.get("dimensions") or {}] + [
            (query.get("metric") or {}).get("dimensions") or {} for query in alarm.get("metric_query", [])
        ]
        names |= {d["TableName"] for d in dimensions if "TableName" in d}
    return names


def evaluate(stack_json: dict) -> list[Result]:
    watched = _watched_names(stack_json)
    results = []
    for address, body in tables(stack_json).items():
        ok = f"${{{address}.name}}" in watched or body.get("name") in watched
        results.append(Result(
            RULE.id, address, Status.COMPLIANT if ok else Status.NON_COMPLIANT,
            "" if ok else "no aws_cloudwatch_metric_alarm has its TableName as a dimension",
        ))
    return results


RULE = Rule(id="DynamoDBTableHasAlarms", why=WHY, evaluate=evaluate)
