"""The moto gap the emulator page names: no global-table replicas.

moto 5.2.5's UpdateTable drops ReplicaUpdates, so aws_dynamodb_table_replica
cannot be created on the emulator. When moto starts to answer with the
replica, this test fails: then prove replica creation in the e2e tier and
update constructs/docs/emulator.md.
"""

from __future__ import annotations

import boto3
from moto import mock_aws

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


@mock_aws
def test_moto_update_table_creates_no_replica():
    home = boto3.client("dynamodb", region_name="us-east-1", **CREDENTIALS)
    home.create_table(
        TableName="Movies", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    answer = home.update_table(TableName="Movies", ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])
    assert "Replicas" not in answer["TableDescription"]
    assert "Replicas" not in home.describe_table(TableName="Movies")["Table"]
    west = boto3.client("dynamodb", region_name="us-west-2", **CREDENTIALS)
    assert west.list_tables()["TableNames"] == []
