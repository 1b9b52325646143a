"""TableGrant, LambdaRole and AccessPolicy: synthesized policies and construction-time errors."""

from __future__ import annotations

import dataclasses
import json

import cdktf
import pytest

from dynamodb_kit import (
    ALL_INDEXES,
    AccessPattern,
    AccessPolicy,
    AccessPolicyProps,
    Attribute,
    GlobalSecondaryIndex,
    KeyMatch,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    StreamViewType,
    Table,
    TableEncryption,
    TableGrant,
    TableProps,
    ValidationError,
    add_aws_provider,
)
from dynamodb_kit.iam import access_patterns

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
    stream=StreamViewType.NEW_IMAGE,
)


def role(stack, table_props=SHAPE, **grant) -> tuple[dict, dict]:
    """Synthesize one role with one grant; return (resolved policy, trust policy)."""
    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Orders", table_props)
    LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders-fn", grants=(TableGrant(table=table, **grant),)))
    return synthesized_policies(stack)


def synthesized_policies(stack) -> tuple[dict, dict]:
    """The stack's one inline policy and one trust policy, references resolved."""
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
    cmk = dataclasses.replace(SHAPE, encryption=TableEncryption.customer_managed())
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
        role(stack, table_props=dataclasses.replace(SHAPE, stream=None),
             patterns=(AccessPattern.READ_STREAM,))
    assert str(raised.value) == (
        "test/Fn: grants[0].patterns='ReadStream' needs a stream, and test/Orders has none; "
        "give the table a stream or remove ReadStream"
    )


# Rules checked when a grant (or its LeadingKeys) is created: the path is the type.
# Each case is a function: the wrong object cannot even be built at import.
PATTERNS = (
    "GetItem, PutItem, UpdateItem, DeleteItem, BatchRead, BatchWrite, TransactRead, "
    "TransactWrite, Query, Scan, ReadStream, Describe"
)
GRANT_ERRORS = {
    "unknown pattern": (
        lambda table: TableGrant(table=table, patterns=("ReadEverything",)),
        f"TableGrant: patterns[0]='ReadEverything' is not one of {PATTERNS}; "
        f"use an AccessPattern member or one of {PATTERNS}",
    ),
    "no attribute": (
        lambda table: TableGrant(table=table, patterns=(AccessPattern.GET_ITEM,), attributes=()),
        "TableGrant: attributes=() is empty: it would allow no attribute; list the attributes "
        "the caller may read or write, or leave attributes out for every attribute",
    ),
    "no leading key": (
        lambda table: LeadingKeys(()),
        "LeadingKeys: values=() is empty: it would match no item; name the keys (or prefixes) "
        "the caller may touch; leave leading_keys out only if the caller may touch every item",
    ),
    "wildcard in an exact key": (
        lambda table: LeadingKeys(("EU#*",)),
        "LeadingKeys: values[0]='EU#*' has a wildcard, which StringEquals compares literally; "
        "use match=KeyMatch.PREFIX for a prefix such as 'EU#*', or remove the wildcard",
    ),
    "prefix without a wildcard": (
        lambda table: LeadingKeys(("EU#",), KeyMatch.PREFIX),
        "LeadingKeys: values[0]='EU#' is not a prefix: PREFIX takes a non-empty prefix followed "
        "by one * (a lone * or another wildcard would match every key); write it as 'EU#*'; to "
        "allow every item, leave leading_keys out",
    ),
    "lone wildcard as a prefix": (
        lambda table: LeadingKeys(("*",), "StringLike"),
        "LeadingKeys: values[0]='*' is not a prefix: PREFIX takes a non-empty prefix followed "
        "by one * (a lone * or another wildcard would match every key); write it as 'EU#*'; to "
        "allow every item, leave leading_keys out",
    ),
    "policy variable escaped by hand": (
        lambda table: LeadingKeys(("$${cognito-identity.amazonaws.com:sub}",)),
        "LeadingKeys: values[0]='$${cognito-identity.amazonaws.com:sub}' is not a key, a prefix "
        "or an IAM policy variable in ${service:name} form; write a policy variable as AWS "
        "documents it, e.g. ${cognito-identity.amazonaws.com:sub}: the kit escapes it for Terraform",
    ),
}


@pytest.mark.parametrize("build, message", GRANT_ERRORS.values(), ids=GRANT_ERRORS.keys())
def test_bad_grant_props_are_rejected_with_exact_message(stack, build, message):
    table = Table(stack, "Orders", SHAPE)
    with pytest.raises(ValidationError) as raised:
        build(table)
    assert str(raised.value) == message


def test_policy_variables_are_escaped_for_terraform_and_reach_iam_as_written(stack):
    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Orders", SHAPE)
    LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders-fn", grants=(
        TableGrant(table=table, patterns=(AccessPattern.GET_ITEM,),
                   leading_keys=LeadingKeys(("${aws:userid}#*", "EU#${aws:username}#*"), KeyMatch.PREFIX)),
    )))
    stack_json = json.loads(cdktf.Testing.synth(stack))
    (body,) = resources(stack_json, "aws_iam_role_policy").values()
    raw = statements(json.loads(body["policy"]))["OrdersItems"]
    # Terraform would read "${aws:userid}" as a template: the synthesized JSON escapes it...
    assert raw["Condition"]["ForAllValues:StringLike"] == {
        "dynamodb:LeadingKeys": ["$${aws:userid}#*", "EU#$${aws:username}#*"],
    }
    # ...and the table ARN, a real reference, is left to resolve.
    assert raw["Resource"] == ["${aws_dynamodb_table.Orders_A9B65338.arn}"]
    policy = Resolver(stack_json).policy(body["policy"])
    me = {"aws:userid": "AIDA1", "aws:username": "alice"}
    get = "dynamodb:GetItem"
    assert allowed(policy, get, TABLE, {**me, "dynamodb:LeadingKeys": ["EU#alice#42"]})
    assert allowed(policy, get, TABLE, {**me, "dynamodb:LeadingKeys": ["AIDA1#7"]})
    assert not allowed(policy, get, TABLE, {**me, "dynamodb:LeadingKeys": ["EU#bob#42"]})
    assert not allowed(policy, get, TABLE, {**me, "dynamodb:LeadingKeys": ["AIDA2#7"]})


def test_cognito_identity_is_synthesized_escaped(stack):
    role(stack, patterns=(AccessPattern.GET_ITEM,), leading_keys=LeadingKeys.cognito_identity())
    (body,) = resources(json.loads(cdktf.Testing.synth(stack)), "aws_iam_role_policy").values()
    assert '"$${cognito-identity.amazonaws.com:sub}"' in body["policy"]
    assert '"${cognito-identity.amazonaws.com:sub}"' not in body["policy"]


IMPORTED_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"
IMPORTED_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_grants_on_a_table_created_elsewhere(stack):
    add_aws_provider(stack, region="us-east-1")
    table = Table.from_table_arn(
        stack, "Orders", IMPORTED_ARN, partition_key="CustomerId", sort_key="OrderId",
        indexes={"ByStatus": ("Status",)},
        stream_arn=f"{IMPORTED_ARN}/stream/2026-11-27T00:00:00.000", encryption_key_arn=IMPORTED_KEY,
    )
    LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders-fn", grants=(TableGrant(
        table=table, patterns=(AccessPattern.GET_ITEM, AccessPattern.READ_STREAM),
        query_indexes=("ByStatus",),
    ),)))
    policy, _ = synthesized_policies(stack)
    found = statements(policy)
    assert found["OrdersItems"]["Resource"] == [IMPORTED_ARN]
    assert found["OrdersIndexQuery"]["Resource"] == [f"{IMPORTED_ARN}/index/ByStatus"]
    assert found["OrdersStream"]["Resource"] == [f"{IMPORTED_ARN}/stream/2026-11-27T00:00:00.000"]
    assert (found["OrdersKey"]["Action"], found["OrdersKey"]["Resource"]) == (["kms:Decrypt"], [IMPORTED_KEY])
    assert not allowed(policy, "dynamodb:Query", f"{IMPORTED_ARN}/index/ByDate")


def test_imported_table_without_stream_has_no_stream_arn(stack):
    table = Table.from_table_arn(stack, "Orders", IMPORTED_ARN, partition_key="CustomerId")
    with pytest.raises(ValidationError) as raised:
        table.stream_arn
    assert str(raised.value) == (
        "test/Orders: stream=None means the table has no stream ARN; "
        "give the table a stream (stream=StreamViewType.NEW_AND_OLD_IMAGES, ...)"
    )


def test_imported_table_arn_is_checked(stack):
    with pytest.raises(ValidationError) as raised:
        Table.from_table_arn(stack, "Orders", "Orders", partition_key="CustomerId")
    assert str(raised.value) == (
        "test/Orders: table_arn='Orders' is not a DynamoDB table ARN; give the full ARN, e.g. "
        "arn:aws:dynamodb:us-east-1:123456789012:table/prod-Orders, or a Terraform reference"
    )


def test_access_policy_attaches_grants_to_a_role_the_kit_did_not_create(stack):
    from cdktf_cdktf_provider_aws.iam_role import IamRole  # after dynamodb_kit (fast import)

    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Orders", SHAPE)
    existing = IamRole(stack, "Existing", name="existing-role", assume_role_policy="{}")
    AccessPolicy(stack, "Access", AccessPolicyProps(
        role_name=existing.name, grants=(TableGrant(table=table, patterns=access_patterns.READ),),
    ))
    stack_json = json.loads(cdktf.Testing.synth(stack))
    (body,) = resources(stack_json, "aws_iam_role_policy").values()
    assert (body["name"], body["role"]) == ("dynamodb-access", "${aws_iam_role.Existing.name}")
    policy = Resolver(stack_json).policy(body["policy"])
    assert sorted(statements(policy)) == ["OrdersDescribe", "OrdersItems"]
    assert allowed(policy, "dynamodb:GetItem", TABLE)
    assert not allowed(policy, "dynamodb:PutItem", TABLE)


def test_function_name_and_log_retention_are_validated():
    with pytest.raises(ValidationError) as raised:
        LambdaRoleProps(function_name="orders fn")
    assert str(raised.value) == (
        "LambdaRoleProps: function_name='orders fn' must be 1-59 characters of letters, digits, "
        "'_' and '-' (the role is named <function>-role, at most 64 characters); choose such a name"
    )
    # 59 characters leave room for "-role" in a 64-character IAM role name; 60 do not.
    assert LambdaRoleProps(function_name="f" * 59).function_name == "f" * 59
    with pytest.raises(ValidationError) as raised:
        LambdaRoleProps(function_name="f" * 60)
    assert raised.value.field == "function_name"
    with pytest.raises(ValidationError) as raised:
        LambdaRoleProps(function_name="fn", log_retention_days=100)
    assert str(raised.value) == (
        "LambdaRoleProps: log_retention_days=100 is not a CloudWatch Logs retention period; "
        "use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, ..."
    )


ARN_ERRORS = {
    "log key": (
        dict(log_encryption_key_arn="alias/logs"),
        "LambdaRoleProps: log_encryption_key_arn='alias/logs' is not a KMS key ARN; give the full "
        "ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, "
        "or a Terraform reference",
    ),
    "dead-letter queue": (
        dict(dead_letter_queue_arn="my-dlq"),
        "LambdaRoleProps: dead_letter_queue_arn='my-dlq' is not an SQS queue ARN; "
        "give the full ARN, e.g. arn:aws:sqs:us-east-1:123456789012:my-dlq, or a Terraform reference",
    ),
    "dead-letter queue given a topic": (
        dict(dead_letter_queue_arn="arn:aws:sns:us-east-1:123456789012:orders-dlq"),
        "LambdaRoleProps: dead_letter_queue_arn='arn:aws:sns:us-east-1:123456789012:orders-dlq' is not "
        "an SQS queue ARN; give the full ARN, e.g. arn:aws:sqs:us-east-1:123456789012:my-dlq, or a "
        "Terraform reference",
    ),
    "queue and topic": (
        dict(dead_letter_queue_arn="arn:aws:sqs:us-east-1:123456789012:q",
             dead_letter_topic_arn="arn:aws:sns:us-east-1:123456789012:t"),
        "LambdaRoleProps: dead_letter_topic_arn='arn:aws:sns:us-east-1:123456789012:t' and "
        "dead_letter_queue_arn are both set; a function has one dead-letter target; keep the queue or the topic",
    ),
    "permissions boundary": (
        dict(permissions_boundary_arn="arn:aws:iam::123456789012:role/boundary"),
        "LambdaRoleProps: permissions_boundary_arn='arn:aws:iam::123456789012:role/boundary' is "
        "not an IAM policy ARN; give the full ARN, e.g. arn:aws:iam::123456789012:policy/NAME, "
        "or a Terraform reference",
    ),
}


@pytest.mark.parametrize("changes, message", ARN_ERRORS.values(), ids=ARN_ERRORS.keys())
def test_role_arns_are_shape_checked(changes, message):
    with pytest.raises(ValidationError) as raised:
        LambdaRoleProps(function_name="orders-fn", **changes)
    assert str(raised.value) == message


def test_dead_letter_topic_gets_publish_and_queue_gets_send(stack):
    topic = "arn:aws:sns:us-east-1:123456789012:orders-dlq"
    LambdaRole(stack, "Topic", LambdaRoleProps(function_name="fn-a", dead_letter_topic_arn=topic))
    queue = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
    LambdaRole(stack, "Queue", LambdaRoleProps(function_name="fn-b", dead_letter_queue_arn=queue))
    roles = [json.loads(p["policy"]) for p in resources(json.loads(cdktf.Testing.synth(stack)),
                                                         "aws_iam_role_policy").values()]
    dlq = sorted((s["Action"], s["Resource"]) for r in roles for s in r["Statement"]
                 if s["Sid"].startswith("DeadLetter"))
    assert dlq == [(["sns:Publish"], [topic]), (["sqs:SendMessage"], [queue])]


def test_dead_letter_topic_given_as_a_reference_gets_publish(stack):
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic  # after dynamodb_kit (fast import)

    topic = SnsTopic(stack, "Dlq", name="orders-dlq")
    LambdaRole(stack, "Fn", LambdaRoleProps(function_name="fn", dead_letter_topic_arn=topic.arn))
    (body,) = resources(json.loads(cdktf.Testing.synth(stack)), "aws_iam_role_policy").values()
    (dlq,) = [s for s in json.loads(body["policy"])["Statement"] if s["Sid"] == "DeadLetterTopic"]
    assert (dlq["Action"], dlq["Resource"]) == (["sns:Publish"], ["${aws_sns_topic.Dlq.arn}"])


ALIAS_ARN = "arn:aws:kms:us-east-1:123456789012:alias/orders"


# An alias ARN does not identify a key in a policy's Resource (AWS KMS guide,
# "Specifying KMS keys in IAM policy statements"): a grant on it would allow nothing.
@pytest.mark.parametrize("build", [
    lambda stack: TableEncryption.customer_managed(key_arn=ALIAS_ARN),
    lambda stack: Table.from_table_arn(stack, "Orders", IMPORTED_ARN, partition_key="CustomerId",
                                       encryption_key_arn=ALIAS_ARN),
], ids=["table encryption", "imported table"])
def test_a_key_alias_cannot_stand_for_the_key_a_grant_needs(stack, build):
    with pytest.raises(ValidationError) as raised:
        build(stack)
    assert raised.value.field in ("key_arn", "encryption_key_arn")
    assert raised.value.value == ALIAS_ARN
