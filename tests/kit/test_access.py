"""TableGrant and LambdaRole: synthesized policies and construction-time errors."""

from __future__ import annotations

import dataclasses
import json

import cdktf
import pytest

from dynamodb_kit import (
    ALL_INDEXES,
    AccessPattern,
    Attribute,
    GlobalSecondaryIndex,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    Table,
    TableGrant,
    TableProps,
    ValidationError,
    add_aws_provider,
)
from dynamodb_kit import access_patterns

from helpers import resources
from support.iam_eval import Resolver, allowed

SHAPE = TableProps(
    table_name="Orders",
    partition_key=Attribute("CustomerId"),
    sort_key=Attribute("OrderId"),
    global_secondary_indexes=(
        GlobalSecondaryIndex(name="ByStatus", partition_key=Attribute("Status")),
        GlobalSecondaryIndex(name="ByDate", partition_key=Attribute("OrderDate")),
    ),
    stream_enabled=True,
    stream_view_type="NEW_IMAGE",
)


def role(stack, table_props=SHAPE, **grant) -> tuple[dict, dict]:
    """Synthesize one role with one grant; return (resolved policy, trust policy)."""
    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Orders", table_props)
    LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders-fn", grants=(TableGrant(table=table, **grant),)))
    stack_json = json.loads(cdktf.Testing.synth(stack))
    resolver = Resolver(stack_json)
    (policy,) = resources(stack_json, "aws_iam_role_policy").values()
    (iam_role,) = resources(stack_json, "aws_iam_role").values()
    return resolver.policy(policy["policy"]), resolver.policy(iam_role["assume_role_policy"])


TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"


def statements(policy: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in policy["Statement"]}


def test_bundles_are_data_without_scan():
    assert [p.value for p in access_patterns.READ] == ["GetItem", "BatchRead", "Query", "Describe"]
    assert [p.value for p in access_patterns.WRITE] == ["PutItem", "UpdateItem", "DeleteItem", "BatchWrite"]
    assert AccessPattern.SCAN not in access_patterns.READ_WRITE


def test_read_write_bundle_on_table_only(stack):
    policy, _ = role(stack, patterns=access_patterns.READ_WRITE)
    found = statements(policy)
    assert found["OrdersItems"]["Action"] == [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
    ]
    assert found["OrdersItems"]["Resource"] == [TABLE]
    assert found["OrdersDescribe"] == {
        "Sid": "OrdersDescribe", "Effect": "Allow", "Action": ["dynamodb:DescribeTable"], "Resource": [TABLE],
    }
    assert "OrdersKey" not in found  # AWS-owned key: no KMS permission needed
    assert not allowed(policy, "dynamodb:Scan", TABLE)
    assert not allowed(policy, "dynamodb:Query", f"{TABLE}/index/ByStatus")


def test_named_index_each_on_its_own_arn_and_all_indexes_only_when_asked(stack):
    policy, _ = role(stack, query_indexes=("ByStatus",), scan_indexes=(ALL_INDEXES,))
    found = statements(policy)
    assert found["OrdersIndexQuery"]["Resource"] == [f"{TABLE}/index/ByStatus"]
    assert found["OrdersIndexScan"]["Resource"] == [f"{TABLE}/index/*"]
    assert allowed(policy, "dynamodb:Query", f"{TABLE}/index/ByStatus")
    assert not allowed(policy, "dynamodb:Query", f"{TABLE}/index/ByDate")
    assert not allowed(policy, "dynamodb:Query", TABLE)


def test_stream_reads_on_the_stream_arn_and_list_streams_on_star(stack):
    policy, _ = role(stack, patterns=(AccessPattern.READ_STREAM,))
    found = statements(policy)
    assert found["OrdersStream"]["Action"] == [
        "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
    ]
    assert found["OrdersStream"]["Resource"] == [f"{TABLE}/stream/2026-11-27T00:00:00.000"]
    assert found["OrdersListStreams"]["Resource"] == ["*"]


def test_customer_managed_key_gets_only_the_needed_kms_actions_via_dynamodb(stack):
    cmk = dataclasses.replace(SHAPE, encryption="CUSTOMER_MANAGED")
    policy, _ = role(stack, table_props=cmk, patterns=(AccessPattern.GET_ITEM,))
    key = statements(policy)["OrdersKey"]
    assert key["Action"] == ["kms:Decrypt"]
    assert key["Condition"] == {"StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}}


def test_trust_policy_lambda_only_with_confused_deputy_guard(stack):
    _, trust = role(stack, patterns=(AccessPattern.GET_ITEM,))
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn"},
    }


def test_logs_only_on_its_own_group_with_retention(stack):
    policy, _ = role(stack, patterns=(AccessPattern.GET_ITEM,))
    logs = statements(policy)["OwnLogGroupOnly"]
    assert logs["Resource"] == ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-fn:*"]
    (group,) = resources(json.loads(cdktf.Testing.synth(stack)), "aws_cloudwatch_log_group").values()
    assert (group["name"], group["retention_in_days"]) == ("/aws/lambda/orders-fn", 365)


def test_per_user_items_with_the_cognito_identity(stack):
    policy, _ = role(stack, patterns=(AccessPattern.GET_ITEM, AccessPattern.PUT_ITEM),
                     leading_keys=LeadingKeys.cognito_identity())
    items = statements(policy)["OrdersItems"]
    assert items["Condition"]["ForAllValues:StringEquals"] == {
        "dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"],
    }
    me = {"cognito-identity.amazonaws.com:sub": "us-east-1:alice"}
    assert allowed(policy, "dynamodb:GetItem", TABLE, {**me, "dynamodb:LeadingKeys": ["us-east-1:alice"]})
    assert not allowed(policy, "dynamodb:GetItem", TABLE, {**me, "dynamodb:LeadingKeys": ["us-east-1:bob"]})
    assert not allowed(policy, "dynamodb:PutItem", TABLE, me)  # key absent


def test_attribute_conditions_only_on_actions_that_support_them(stack):
    policy, _ = role(stack, patterns=(AccessPattern.GET_ITEM, AccessPattern.UPDATE_ITEM),
                     attributes=("Status",))
    found = statements(policy)
    get, update = found["OrdersItems"], found["OrdersItems2"]
    assert get["Action"] == ["dynamodb:GetItem"] and update["Action"] == ["dynamodb:UpdateItem"]
    assert get["Condition"]["StringEqualsIfExists"] == {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}
    assert update["Condition"]["StringEqualsIfExists"] == {
        "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"],
    }
    # The keys are added: a request must name them to address an item.
    assert get["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"] == [
        "CustomerId", "OrderId", "Status",
    ]


ERRORS = {
    "unknown pattern": (
        dict(patterns=("ReadEverything",)),
        "test/Fn: grants[0].patterns[0]='ReadEverything' is not one of GetItem, PutItem, UpdateItem, "
        "DeleteItem, BatchRead, BatchWrite, TransactRead, TransactWrite, Query, Scan, ReadStream, "
        "Describe; use one of GetItem, PutItem, UpdateItem, DeleteItem, BatchRead, BatchWrite, "
        "TransactRead, TransactWrite, Query, Scan, ReadStream, Describe",
    ),
    "nothing granted": (
        dict(),
        "test/Fn: grants[0].patterns=() grants nothing; name the access patterns or indexes the "
        "function needs",
    ),
    "index not on the table": (
        dict(query_indexes=("ByMovie",)),
        "test/Fn: grants[0].query_indexes='ByMovie' is not an index of test/Orders (ByStatus, ByDate); "
        "use one of its indexes, or ALL_INDEXES for every index",
    ),
    "item-level restriction on Scan": (
        dict(patterns=(AccessPattern.SCAN,), leading_keys=LeadingKeys(("u1",))),
        "test/Fn: grants[0].leading_keys=('u1',) cannot restrict dynamodb:Scan: the request carries no "
        "dynamodb:LeadingKeys; grant those patterns without the restriction in a TableGrant of "
        "their own",
    ),
    "attribute restriction on a stream": (
        dict(patterns=(AccessPattern.GET_ITEM, AccessPattern.READ_STREAM), attributes=("Status",)),
        "test/Fn: grants[0].attributes=('Status',) cannot restrict ReadStream: stream records "
        "carry whole items of every key; grant ReadStream in a TableGrant of its own, to a "
        "function that may see all items",
    ),
    "item-level restriction on an index": (
        dict(patterns=(AccessPattern.GET_ITEM,), query_indexes=("ByStatus",),
             leading_keys=LeadingKeys(("u1",))),
        "test/Fn: grants[0].leading_keys=('u1',) cannot restrict index reads: an index's partition key is not the "
        "table's; grant index reads in a TableGrant without leading_keys",
    ),
}


@pytest.mark.parametrize("grant, message", ERRORS.values(), ids=ERRORS.keys())
def test_bad_grants_are_rejected_with_exact_message(stack, grant, message):
    with pytest.raises(ValidationError) as raised:
        role(stack, **grant)
    assert str(raised.value) == message


def test_stream_read_without_stream_is_rejected(stack):
    with pytest.raises(ValidationError) as raised:
        role(stack, table_props=dataclasses.replace(SHAPE, stream_enabled=False, stream_view_type=None),
             patterns=(AccessPattern.READ_STREAM,))
    assert str(raised.value) == (
        "test/Fn: grants[0].patterns='ReadStream' needs a stream, and test/Orders has "
        "stream_enabled=False; turn the table's stream on or remove ReadStream"
    )


def test_function_name_and_log_retention_are_validated(stack):
    with pytest.raises(ValidationError) as raised:
        LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders fn"))
    assert str(raised.value) == (
        "test/Fn: function_name='orders fn' must be 1-64 characters of letters, digits, '_' and '-'; "
        "choose such a name"
    )
    with pytest.raises(ValidationError) as raised:
        LambdaRole(stack, "Fn2", LambdaRoleProps(function_name="fn", log_retention_days=100))
    assert str(raised.value).startswith(
        "test/Fn2: log_retention_days=100 is not a CloudWatch Logs retention period; use one of 1, 3,"
    )
