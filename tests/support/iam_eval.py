"""TEST SUPPORT: a small IAM evaluator for concrete requests, and the resolver
that turns a synthesized policy's Terraform references into concrete ARNs.

It implements what the kit's policies use, the way IAM documents it: Action and
Resource wildcards; StringEquals, StringLike, ArnEquals, ArnLike, the ...IfExists forms,
ForAllValues:/ForAnyValue: set operators (ForAllValues is true for an absent or
empty key) and Null. Default deny; an explicit Deny wins.
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, value: str, case_insensitive: bool = False) -> bool:
    if case_insensitive:
        pattern, value = pattern.lower(), value.lower()
    return re.fullmatch(fnmatch.translate(pattern), value) is not None


def _single(operator: str, values: list[str], present: Any) -> bool:
    base = operator.removesuffix("IfExists")
    if present is None:
        return operator.endswith("IfExists")
    candidates = _as_list(present)
    if base in ("StringEquals", "ArnEquals"):
        return any(c in values for c in candidates)
    if base in ("StringLike", "ArnLike"):
        return any(_glob(v, c) for v in values for c in candidates)
    raise NotImplementedError(operator)


def _substitute(value: str, context: dict[str, Any]) -> str:
    """Policy variables (``${aws:username}``) take their value from the request."""
    return re.sub(r"\$\{([^}]+)\}", lambda m: str(context.get(m.group(1), "\x00unset")), value)


def condition_holds(operator: str, key: str, values: Any, context: dict[str, Any]) -> bool:
    values = [_substitute(str(v), context) for v in _as_list(values)]
    present = context.get(key)
    if operator == "Null":
        absent = present is None or present == []
        return absent == (values[0] == "true")
    if operator.startswith("ForAllValues:"):
        inner = operator.split(":", 1)[1]
        if present is None or present == []:
            return True  # vacuously true: why the kit pairs it with a Null guard
        return all(_single(inner, values, [item]) for item in _as_list(present))
    if operator.startswith("ForAnyValue:"):
        inner = operator.split(":", 1)[1]
        return present is not None and any(_single(inner, values, [i]) for i in _as_list(present))
    return _single(operator, values, present)


def statement_applies(statement: dict, action: str, resource: str, context: dict) -> bool:
    if not any(_glob(a, action, case_insensitive=True) for a in _as_list(statement["Action"])):
        return False
    if not any(_glob(r, resource) for r in _as_list(statement["Resource"])):
        return False
    return all(
        condition_holds(operator, key, values, context)
        for operator, block in statement.get("Condition", {}).items()
        for key, values in block.items()
    )


def allowed(policy: dict, action: str, resource: str, context: dict | None = None) -> bool:
    context = context or {}
    statements = _as_list(policy["Statement"])
    if any(s["Effect"] == "Deny" and statement_applies(s, action, resource, context) for s in statements):
        return False
    return any(s["Effect"] == "Allow" and statement_applies(s, action, resource, context) for s in statements)


def _region_of(resource: dict) -> str:
    """The region of a resource: its aliased provider's (``aws.us_west_2``), else REGION."""
    provider = resource.get("provider", "aws")
    return provider.split(".", 1)[1].replace("_", "-") if "." in provider else REGION


class Resolver:
    """Concrete ARNs for the Terraform references in one synthesized stack."""

    def __init__(self, stack_json: dict) -> None:
        res = stack_json.get("resource", {})
        self.values: dict[str, str] = {}
        for logical_id, table in res.get("aws_dynamodb_table", {}).items():
            arn = f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{table['name']}"
            self.values[f"aws_dynamodb_table.{logical_id}.arn"] = arn
            self.values[f"aws_dynamodb_table.{logical_id}.stream_arn"] = f"{arn}/stream/2026-11-27T00:00:00.000"
            self.values[f"aws_dynamodb_table.{logical_id}.name"] = table["name"]
        for logical_id, replica in res.get("aws_dynamodb_table_replica", {}).items():
            # A replica: the table's name in its provider's region (aws.us_west_2).
            region = _region_of(replica)
            home = re.fullmatch(r"\$\{aws_dynamodb_table\.([\w-]+)\.arn\}", replica["global_table_arn"])[1]
            name = res["aws_dynamodb_table"][home]["name"]
            self.values[f"aws_dynamodb_table_replica.{logical_id}.arn"] = (
                f"arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/{name}")
        for logical_id, key in res.get("aws_kms_key", {}).items():
            self.values[f"aws_kms_key.{logical_id}.arn"] = (
                f"arn:{PARTITION}:kms:{_region_of(key)}:{ACCOUNT}:key/{logical_id.lower()}"
            )
        for logical_id, group in res.get("aws_cloudwatch_log_group", {}).items():
            self.values[f"aws_cloudwatch_log_group.{logical_id}.arn"] = (
                f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:{group['name']}"
            )
        data = stack_json.get("data", {})
        for logical_id in data.get("aws_partition", {}):
            self.values[f"data.aws_partition.{logical_id}.partition"] = PARTITION
        for logical_id in data.get("aws_caller_identity", {}):
            self.values[f"data.aws_caller_identity.{logical_id}.account_id"] = ACCOUNT
        for logical_id in data.get("aws_region", {}):
            self.values[f"data.aws_region.{logical_id}.name"] = REGION

    def resolve(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            return self.values[match.group(1)]

        text = re.sub(r"(?<!\$)\$\{([^}]+)\}", replace, text)
        return text.replace("$${", "${")  # Terraform's escape of a literal "${"

    def policy(self, policy_json: str) -> dict:
        return json.loads(self.resolve(policy_json))
