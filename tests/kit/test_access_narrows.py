"""Access can only narrow: the LeadingKeys hole is closed, and a policy
variable reaches IAM exactly as written, through Terraform's template parser.

The policies come from synthesized stacks and are judged by the concrete-request
evaluator (tests/support/iam_eval.py); the policy-variable test runs the real
terraform binary on the synthesized policy string.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from cdktf import Testing

from dynamodb_kit import (
    AccessPattern,
    Attribute,
    KeyMatch,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    Table,
    TableGrant,
    TableProps,
    ValidationError,
)
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config
from helpers import resources
from support.iam_eval import ACCOUNT, REGION, Resolver, allowed

ORDERS_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Orders"
GET = "dynamodb:GetItem"


def access_policy(stack, leading_keys: LeadingKeys) -> tuple[dict, str]:
    """(resolved policy, raw policy string as synthesized) of a role with one grant."""
    table = Table(stack, "Orders", TableProps(table_name="Orders", partition_key=Attribute("CustomerId")))
    LambdaRole(stack, "Role", LambdaRoleProps(function_name="fn", grants=(
        TableGrant(table=table, patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY),
                   leading_keys=leading_keys),
    )))
    stack_json = json.loads(Testing.synth(stack))
    raw = next(iter(resources(stack_json, "aws_iam_role_policy").values()))["policy"]
    return Resolver(stack_json).policy(raw), raw


def test_the_issue_snippet_is_refused_before_anything_is_synthesized():
    with pytest.raises(ValidationError, match="a bare string is not a list of one"):
        LeadingKeys("EU#*", KeyMatch.PREFIX)


def test_a_key_outside_the_prefix_is_denied(stack):
    policy, _ = access_policy(stack, LeadingKeys(("EU#*",), KeyMatch.PREFIX))
    assert allowed(policy, GET, ORDERS_ARN, {"dynamodb:LeadingKeys": ["EU#42"]})
    assert not allowed(policy, GET, ORDERS_ARN, {"dynamodb:LeadingKeys": ["US#7"]})
    assert not allowed(policy, GET, ORDERS_ARN, {"dynamodb:LeadingKeys": ["E"]})
    assert not allowed(policy, GET, ORDERS_ARN, {"dynamodb:LeadingKeys": ["EU#1", "US#7"]})
    # No leading keys in the request (a Scan, a request without a key): denied by the Null guard.
    assert not allowed(policy, GET, ORDERS_ARN, {})
    conditions = [s.get("Condition", {}) for s in policy["Statement"]]
    assert {"dynamodb:LeadingKeys": ["EU#*"]} in [c.get("ForAllValues:StringLike") for c in conditions]


def test_the_old_exploded_string_would_have_matched_everything():
    """What the hole synthesized: each character a pattern, '*' among them."""
    exploded = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": [GET], "Resource": [ORDERS_ARN],
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list("EU#*")},
                      "Null": {"dynamodb:LeadingKeys": "false"}},
    }]}
    assert allowed(exploded, GET, ORDERS_ARN, {"dynamodb:LeadingKeys": ["US#7"]})


def _without_references(raw: str, stack_json: dict) -> str:
    """Terraform references -> concrete values; escapes (``$${``) left as synthesized."""
    resolver = Resolver(stack_json)
    return re.sub(r"(?<!\$)\$\{([^}]+)\}", lambda m: resolver.values[m.group(1)], raw)


@pytest.mark.terraform
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_a_policy_variable_reaches_iam_literally_through_terraform(stack, tmp_path):
    """``${aws:username}`` as AWS documents it: the kit escapes it, Terraform
    renders it back, and IAM substitutes it per request."""
    _, raw = access_policy(stack, LeadingKeys(("${aws:username}", "${cognito-identity.amazonaws.com:sub}")))
    assert "$${aws:username}" in raw and "$${cognito-identity.amazonaws.com:sub}" in raw
    stack_json = json.loads(Testing.synth(stack))
    literal_config = {"output": {"policy": {"value": _without_references(raw, stack_json)}}}
    (tmp_path / "main.tf.json").write_text(json.dumps(literal_config))
    terraform = Terraform(tmp_path, write_cli_config(tmp_path / "rc", find_provider_mirror()))
    terraform.run("init", "-backend=false")
    terraform.validate()
    terraform.run("apply", "-auto-approve", "-state", str(tmp_path / "s.tfstate"))
    rendered = json.loads(terraform.run("output", "-state", str(tmp_path / "s.tfstate"), "-raw", "policy").stdout)
    keys = next(s["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]
                for s in rendered["Statement"] if "Condition" in s)
    assert keys == ["${aws:username}", "${cognito-identity.amazonaws.com:sub}"]
    alice = {"aws:username": "alice", "cognito-identity.amazonaws.com:sub": "us-east-1:alice"}
    assert allowed(rendered, GET, ORDERS_ARN, {**alice, "dynamodb:LeadingKeys": ["alice"]})
    assert allowed(rendered, GET, ORDERS_ARN, {**alice, "dynamodb:LeadingKeys": ["us-east-1:alice"]})
    assert not allowed(rendered, GET, ORDERS_ARN, {**alice, "dynamodb:LeadingKeys": ["bob"]})


@pytest.mark.terraform
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_unescaped_the_same_policy_breaks_terraform(tmp_path):
    """Why the kit escapes: Terraform reads ``${aws:username}`` as a template."""
    config = {"output": {"policy": {"value": '{"k": ["${aws:username}"]}'}}}
    (tmp_path / "main.tf.json").write_text(json.dumps(config))
    terraform = Terraform(tmp_path, write_cli_config(tmp_path / "rc", find_provider_mirror()))
    terraform.run("init", "-backend=false")
    result = terraform.run("validate", "-json", check=False)
    assert not json.loads(result.stdout)["valid"]
