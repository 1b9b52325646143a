"""The kit's own policy rules on synthesized stacks, one rule per module.

Each rule is data (id, why) plus a pure function from a parsed ``cdk.tf.json``
to results per resource: compliant, non-compliant or not applicable. A
suppression must name the rule and give a reason, or it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, Iterable

from ..core.checked import props
from ..core.errors import ValidationError


class Status(str, Enum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non-compliant"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Result:
    rule_id: str
    address: str
    status: Status
    detail: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    why: str
    evaluate: Callable[[dict], list[Result]]


@props(positional=True)
class Suppression:
    """Accept a rule's finding on purpose, with a reason.

    Attributes
    ----------
    rule_id:
        The rule, e.g. ``"DynamoDBTableInBackupSelection"``.
    reason:
        A sentence: why the rule does not apply.
    address:
        The resource address the suppression covers. Default: ``"*"``, the stack.
    """

    rule_id: str
    reason: str
    address: str = "*"

    def _check(self) -> None:
        if len(self.reason.strip()) < 10:
            raise ValidationError(
                "Suppression", "reason", self.reason,
                problem=f"of rule {self.rule_id} is missing or too short",
                fix="say in a sentence why the rule does not apply",
            )

    def covers(self, result: Result) -> bool:
        return self.rule_id == result.rule_id and self.address in ("*", result.address)


def check(stack_json: dict, rules: Iterable[Rule], suppressions: Iterable[Suppression] = ()) -> list[Result]:
    """Every non-compliant result that no suppression covers."""
    suppressions = list(suppressions)
    known = {rule.id for rule in rules}
    for suppression in suppressions:
        if suppression.rule_id not in known:
            raise ValidationError(
                "Suppression", "rule_id", suppression.rule_id,
                problem=f"is not a rule ({', '.join(sorted(known))})", fix="suppress an existing rule",
            )
    return [
        result
        for rule in rules
        for result in rule.evaluate(stack_json)
        if result.status is Status.NON_COMPLIANT and not any(s.covers(result) for s in suppressions)
    ]


def tables(stack_json: dict) -> dict[str, dict]:
    """``aws_dynamodb_table.<id>`` -> body."""
    return {
        f"aws_dynamodb_table.{logical_id}": body
        for logical_id, body in stack_json.get("resource", {}).get("aws_dynamodb_table", {}).items()
    }
