"""DynamoDBTableInBackupSelection: every table is selected by an AWS Backup plan."""

from __future__ import annotations

from . import Result, Rule, Status, tables

WHY = (
    "PITR keeps at most 35 days; retention beyond that (regulatory, or a problem "
    "found late) needs scheduled backups. A table no selection covers has none."
)


def evaluate(stack_json: dict) -> list[Result]:
    selections = stack_json.get("resource", {}).get("aws_backup_selection", {}).values()
    selected_refs = {ref for s in selections for ref in s.get("resources", [])}
    selection_tags = [
        (tag["key"], tag["value"])
        for s in selections
        for tag in s.get("selection_tag", [])
        if tag.get("type") == "STRINGEQUALS"
    ]
    default_tags = {}
    for provider in stack_json.get("provider", {}).get("aws", []):
        for block in provider.get("default_tags", []):
            default_tags.update(block.get("tags", {}))
    results = []
    for address, body in tables(stack_json).items():
        tags = {**default_tags, **(body.get("tags") or {})}
        by_arn = f"${{{address}.arn}}" in selected_refs
        by_tag = any(tags.get(key) == value for key, value in selection_tags)
        ok = by_arn or by_tag
        results.append(
            Result(
                RULE.id, address, Status.COMPLIANT if ok else Status.NON_COMPLIANT,
                "" if ok else "no aws_backup_selection selects it by ARN or tag",
            )
        )
    return results


RULE = Rule(id="DynamoDBTableInBackupSelection", why=WHY, evaluate=evaluate)
