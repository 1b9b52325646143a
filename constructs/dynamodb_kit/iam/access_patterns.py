"""What each access pattern needs, as data: IAM actions, resources, condition keys.

A grant names patterns; the kit derives the smallest set of actions and the
resources they act on. Nothing here grants ``Scan`` unless it is asked for by
name, and nothing uses ``dynamodb:*`` or ``Resource: "*"`` except
``dynamodb:ListStreams``, which supports no resource scoping.
"""

from __future__ import annotations

from enum import Enum


class AccessPattern(str, Enum):
    GET_ITEM = "GetItem"
    PUT_ITEM = "PutItem"
    UPDATE_ITEM = "UpdateItem"
    DELETE_ITEM = "DeleteItem"
    BATCH_READ = "BatchRead"
    BATCH_WRITE = "BatchWrite"
    TRANSACT_READ = "TransactRead"
    TRANSACT_WRITE = "TransactWrite"
    QUERY = "Query"
    SCAN = "Scan"
    READ_STREAM = "ReadStream"
    DESCRIBE = "Describe"


# Table-level patterns -> actions on the table ARN. TransactGetItems and
# TransactWriteItems are authorized per item action (no IAM action of their own).
TABLE_ACTIONS: dict[AccessPattern, tuple[str, ...]] = {
    AccessPattern.GET_ITEM: ("dynamodb:GetItem",),
    AccessPattern.PUT_ITEM: ("dynamodb:PutItem",),
    AccessPattern.UPDATE_ITEM: ("dynamodb:UpdateItem",),
    AccessPattern.DELETE_ITEM: ("dynamodb:DeleteItem",),
    AccessPattern.BATCH_READ: ("dynamodb:BatchGetItem",),
    AccessPattern.BATCH_WRITE: ("dynamodb:BatchWriteItem",),
    AccessPattern.TRANSACT_READ: ("dynamodb:GetItem",),
    AccessPattern.TRANSACT_WRITE: (
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ),
    AccessPattern.QUERY: ("dynamodb:Query",),
    AccessPattern.SCAN: ("dynamodb:Scan",),
    AccessPattern.DESCRIBE: ("dynamodb:DescribeTable",),
}
# Index reads: on the index ARN (a table grant does not cover its indexes).
INDEX_QUERY_ACTIONS = ("dynamodb:Query",)
INDEX_SCAN_ACTIONS = ("dynamodb:Scan",)
# Stream reads: on the stream ARN, plus ListStreams, which only supports "*".
STREAM_ACTIONS = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
UNSCOPED_STREAM_ACTIONS = ("dynamodb:ListStreams",)

# Which actions' requests carry which DynamoDB condition keys (the AWS service
# authorization reference, as bundled with parliament). A key goes only on the
# actions that support it: statements are split by the keys that apply.
LEADING_KEYS_ACTIONS = frozenset({
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
    "dynamodb:UpdateItem",
})
ATTRIBUTES_ACTIONS = LEADING_KEYS_ACTIONS | {"dynamodb:Scan"}
SELECT_ACTIONS = frozenset({
    "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
})
RETURN_VALUES_ACTIONS = frozenset({
    "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query",
    "dynamodb:Scan", "dynamodb:UpdateItem",
})

# Patterns that read or write item data: what a customer-managed key must allow.
READ_PATTERNS = frozenset({
    AccessPattern.GET_ITEM, AccessPattern.BATCH_READ, AccessPattern.TRANSACT_READ,
    AccessPattern.QUERY, AccessPattern.SCAN, AccessPattern.READ_STREAM,
})
WRITE_PATTERNS = frozenset({
    AccessPattern.PUT_ITEM, AccessPattern.UPDATE_ITEM, AccessPattern.DELETE_ITEM,
    AccessPattern.BATCH_WRITE, AccessPattern.TRANSACT_WRITE,
})
KMS_READ_ACTIONS = ("kms:Decrypt",)
KMS_WRITE_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")

# Convenience bundles. No Scan, no stream, no index: ask for those by name.
#   READ:       GetItem, BatchGetItem, Query, DescribeTable
#   WRITE:      PutItem, UpdateItem, DeleteItem, BatchWriteItem
#   READ_WRITE: both
READ = (AccessPattern.GET_ITEM, AccessPattern.BATCH_READ, AccessPattern.QUERY, AccessPattern.DESCRIBE)
WRITE = (AccessPattern.PUT_ITEM, AccessPattern.UPDATE_ITEM, AccessPattern.DELETE_ITEM,
         AccessPattern.BATCH_WRITE)
READ_WRITE = READ + WRITE
