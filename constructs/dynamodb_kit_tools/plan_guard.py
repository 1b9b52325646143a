"""Plan guard: stop a Terraform plan that would delete or replace stateful resources.

Run it on a saved plan, on a workstation or in CI, before ``terraform apply``::

    terraform plan -out=tfplan
    terraform show -json tfplan > plan.json
    python -m dynamodb_kit_tools.plan_guard plan.json --stack cdk.tf.json

It exits 1, explaining each resource (what, why Terraform wants it gone, which
attribute change caused it, how to proceed safely), when a table, backup vault,
KMS key or state bucket would be deleted or replaced, unless that resource
carries a named opt-in. It also exits 1 when a table's declared GSIs differ
from the deployed ones while terraform ignores the GSI block (autoscaled GSI
capacity; ``--stack`` is needed for this), and notes a switch to on-demand
(allowed 4 times per table per rolling 24 hours). A destruction's opt-in:

- in code, for a resource still declared: ``approve_destruction(resource, reason)``
  (``TableProps.destruction_approved``) writes the reason into the synthesized
  stack, so the approval is part of the reviewed change;
- on the command line, for a resource removed from the code:
  ``--approve ADDRESS=REASON``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from dynamodb_kit.core.destruction_approval import APPROVAL_KEY
from dynamodb_kit.core.plan_markers import APPLY_INDEX_CHANGES_ENV, DECLARED_INDEXES_KEY
_INDEX_FIELDS = ("name", "hash_key", "range_key", "projection_type", "non_key_attributes")

# Resource types whose loss is data loss.
STATEFUL_TYPES = {
    "aws_dynamodb_table": "DynamoDB table (its items)",
    "aws_backup_vault": "AWS Backup vault (its recovery points)",
    "aws_kms_key": "KMS key (everything encrypted with it)",
    "aws_s3_bucket": "S3 bucket (e.g. Terraform state)",
}

_REASONS = {
    "replace_because_cannot_update": "an attribute that cannot change in place changed",
    "replace_because_tainted": "the resource is tainted",
    "replace_by_request": "replacement was requested (-replace)",
    "replace_by_triggers": "a replace_triggered_by reference changed",
    "delete_because_no_resource_config": "it is no longer declared in the code",
    "delete_because_no_module": "its module is no longer declared",
    "delete_because_count_index": "its count index is out of range",
    "delete_because_each_key": "its for_each key is gone",
    "delete_because_wrong_repetition": "its count/for_each changed",
}

_HOW = {
    "aws_dynamodb_table": (
        "keep the old table: declare the new shape as a new table (new construct id), "
        "copy or restore the data into it (restore as code from PITR or a backup), switch "
        "readers and writers, then remove the old one with an approved destruction"
    ),
    "aws_backup_vault": "copy the recovery points to another vault first, then approve",
    "aws_kms_key": "re-encrypt data under a new key first; a deleted key makes its data unreadable",
    "aws_s3_bucket": "copy the objects (or migrate the state) first, then approve",
}


@dataclass(frozen=True)
class Finding:
    address: str
    kind: str
    actions: tuple[str, ...]
    reason: str
    causes: tuple[str, ...]
    approval: str | None

    @property
    def blocked(self) -> bool:
        return self.approval is None

    def explain(self) -> str:
        verb = "REPLACE" if "create" in self.actions else "DELETE"
        lines = [
            f"{'BLOCKED' if self.blocked else 'approved'}: {verb} {self.address} "
            f"({STATEFUL_TYPES[self.kind]})",
            f"  why: {_REASONS.get(self.reason, self.reason or 'the plan deletes it')}",
        ]
        lines += [f"  caused by: {cause}" for cause in self.causes]
        if self.blocked:
            lines.append(f"  how to proceed safely: {_HOW[self.kind]}")
            lines.append(
                f"  to approve: destruction_approved=\"<who, why>\" on the construct, or "
                f"--approve {self.address}=<reason> if it was removed from the code"
            )
        else:
            lines.append(f"  approval: {self.approval}")
        return "\n".join(lines)


def _value_at(tree: Any, path: list[Any]) -> Any:
    for step in path:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return None
    return tree


def _causes(change: dict) -> tuple[str, ...]:
    causes = []
    for path in change.get("replace_paths") or []:
        name = ".".join(str(step) for step in path)
        before = _value_at(change.get("before"), path)
        after = _value_at(change.get("after"), path)
        causes.append(f"{name}: {json.dumps(before)} -> {json.dumps(after)}")
    return tuple(causes)


def approvals_from_stack(stack_json: dict) -> dict[str, str]:
    """``address -> reason`` for every resource that carries an approval."""
    found = {}
    for kind, resources in stack_json.get("resource", {}).items():
        for logical_id, body in resources.items():
            reason = body.get("//", {}).get(APPROVAL_KEY)
            if reason:
                found[f"{kind}.{logical_id}"] = reason
    return found


def check_plan(plan: dict, approvals: dict[str, str]) -> list[Finding]:
    findings = []
    for change in plan.get("resource_changes", []):
        actions = tuple(change.get("change", {}).get("actions", []))
        if change.get("type") not in STATEFUL_TYPES or "delete" not in actions:
            continue
        findings.append(
            Finding(
                address=change["address"],
                kind=change["type"],
                actions=actions,
                reason=change.get("action_reason", ""),
                causes=_causes(change["change"]),
                approval=approvals.get(change["address"]),
            )
        )
    return findings


def _index_shape(index: dict) -> tuple:
    return tuple(
        tuple(sorted(index.get(f) or ())) if f == "non_key_attributes" else (index.get(f) or "")
        for f in _INDEX_FIELDS
    )


def hidden_index_changes(plan: dict, stack_json: dict) -> list[str]:
    """GSIs the code declares differently from what is deployed, for tables whose
    GSI block terraform ignores (autoscaled GSI capacity): what the plan cannot show."""
    declared = {
        f"aws_dynamodb_table.{logical_id}": body["//"][DECLARED_INDEXES_KEY]
        for logical_id, body in stack_json.get("resource", {}).get("aws_dynamodb_table", {}).items()
        if DECLARED_INDEXES_KEY in body.get("//", {})
    }
    problems = []
    for change in plan.get("resource_changes", []):
        if change["address"] not in declared or not change["change"].get("before"):
            continue  # a table still to be created gets its declared indexes
        deployed = {i["name"]: _index_shape(i) for i in change["change"]["before"].get("global_secondary_index") or []}
        wanted = {i["name"]: _index_shape(i) for i in declared[change["address"]]}
        for name in sorted(wanted.keys() - deployed.keys()):
            problems.append(f"{change['address']}: GSI {name} is declared but not deployed")
        for name in sorted(deployed.keys() - wanted.keys()):
            problems.append(f"{change['address']}: GSI {name} is deployed but no longer declared")
        for name in sorted(wanted.keys() & deployed.keys()):
            if wanted[name] != deployed[name]:
                problems.append(f"{change['address']}: GSI {name} is declared {wanted[name]}, "
                                f"deployed {deployed[name]}")
    return problems


def billing_switch_notes(plan: dict) -> list[str]:
    """Provisioned -> on-demand switches: allowed 4 times per rolling 24 hours."""
    return [
        f"note: {c['address']} switches to on-demand; DynamoDB allows that 4 times per table per "
        "rolling 24 hours"
        for c in plan.get("resource_changes", [])
        if c.get("type") == "aws_dynamodb_table" and "update" in c["change"].get("actions", [])
        and (c["change"].get("before") or {}).get("billing_mode") == "PROVISIONED"
        and (c["change"].get("after") or {}).get("billing_mode") == "PAY_PER_REQUEST"
    ]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, help="output of `terraform show -json PLANFILE`")
    parser.add_argument("--stack", type=Path, help="the synthesized cdk.tf.json (approvals in code)")
    parser.add_argument(
        "--approve", action="append", default=[], metavar="ADDRESS=REASON",
        help="approve deleting a resource that was removed from the code",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    stack_json = json.loads(args.stack.read_text()) if args.stack else {}
    approvals = approvals_from_stack(stack_json)
    for item in args.approve:
        address, _, reason = item.partition("=")
        if not reason.strip():
            parser.error(f"--approve {item}: give a reason after '='")
        approvals[address] = reason.strip()
    plan = json.loads(args.plan.read_text())
    findings = check_plan(plan, approvals)
    for finding in findings:
        print(finding.explain())
    for note in billing_switch_notes(plan):
        print(note)
    hidden = hidden_index_changes(plan, stack_json)
    for problem in hidden:
        print(f"HIDDEN: {problem}")
    if hidden:
        print(f"plan guard: {len(hidden)} index change(s) that terraform ignores (the GSI capacity is "
              f"autoscaled); synthesize with {APPLY_INDEX_CHANGES_ENV}=1 and apply them, then plan again")
    blocked = [f for f in findings if f.blocked]
    if blocked:
        print(f"plan guard: {len(blocked)} stateful resource(s) would be lost; not applying")
        return 1
    if hidden:
        return 1
    print(f"plan guard: no unapproved deletion or replacement ({len(findings)} approved)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
