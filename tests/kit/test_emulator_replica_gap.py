"""The moto gap the emulator page names: no global-table replicas, and what the
kit's emulator answers instead.

moto 5.2.5's UpdateTable drops ReplicaUpdates, so aws_dynamodb_table_replica
cannot be created on plain moto; the first test pins that. The kit's emulator
fills the gap (dynamodb_kit_tools.moto_patches; the e2e proof is
tests/app/test_e2e_replica.py). When moto starts to answer with the replica
itself, the first test fails: then drop the kit's gap-filler and update
constructs/docs/emulator.md.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from dynamodb_kit_tools.emulator import Emulator
from support.e2e import client

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
MOVIES = dict(
    TableName="Movies", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
)


@mock_aws
def test_moto_update_table_creates_no_replica():
    home = boto3.client("dynamodb", region_name="us-east-1", **CREDENTIALS)
    home.create_table(**MOVIES)
    answer = home.update_table(TableName="Movies", ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])
    assert "Replicas" not in answer["TableDescription"]
    assert "Replicas" not in home.describe_table(TableName="Movies")["Table"]
    west = boto3.client("dynamodb", region_name="us-west-2", **CREDENTIALS)
    assert west.list_tables()["TableNames"] == []


# --- the kit's emulator ------------------------------------------------------

@pytest.fixture(scope="module")
def emulator():
    with Emulator() as running:
        yield running


@pytest.mark.e2e
def test_the_emulator_creates_the_replica_in_its_region_and_removes_it(emulator):
    home, west = client(emulator, "dynamodb", "us-east-1"), client(emulator, "dynamodb", "us-west-2")
    key = client(emulator, "kms", "us-west-2").create_key()["KeyMetadata"]["Arn"]
    table_arn = home.create_table(**MOVIES)["TableDescription"]["TableArn"]
    for i in range(3):
        home.put_item(TableName="Movies", Item={"pk": {"S": f"m{i}"}})

    answer = home.update_table(TableName="Movies", ReplicaUpdates=[
        {"Create": {"RegionName": "us-west-2", "KMSMasterKeyId": key}}])
    replica = {"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": key}
    assert answer["TableDescription"]["Replicas"] == [replica]
    table = home.describe_table(TableName="Movies")["Table"]
    assert (table["Replicas"], table["GlobalTableVersion"]) == ([replica], "2019.11.21")

    copy = west.describe_table(TableName="Movies")["Table"]
    assert copy["TableArn"] == table_arn.replace(":us-east-1:", ":us-west-2:")
    assert copy["KeySchema"] == table["KeySchema"]
    assert copy["StreamSpecification"] == MOVIES["StreamSpecification"]
    assert copy["SSEDescription"]["KMSMasterKeyArn"] == key
    assert west.scan(TableName="Movies")["Count"] == 0  # replication (and its backfill) is not emulated

    home.update_table(TableName="Movies", ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}])
    assert "Replicas" not in home.describe_table(TableName="Movies")["Table"]
    assert west.list_tables()["TableNames"] == []
    with pytest.raises(ClientError, match="Replica specified in the Replica Update or Replica Delete action"):
        home.update_table(TableName="Movies", ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}])


@pytest.mark.e2e
def test_the_emulator_restores_from_a_table_arn_of_another_region(emulator):
    home, west = client(emulator, "dynamodb", "us-east-1"), client(emulator, "dynamodb", "us-west-2")
    source_arn = west.create_table(**{**MOVIES, "TableName": "WestSource"})["TableDescription"]["TableArn"]
    west.put_item(TableName="WestSource", Item={"pk": {"S": "m1"}})
    restored = home.restore_table_to_point_in_time(
        SourceTableArn=source_arn, TargetTableName="EastCopy", UseLatestRestorableTime=True,
    )["TableDescription"]
    assert restored["RestoreSummary"]["SourceTableArn"] == source_arn
    assert restored["TableArn"].split(":")[3] == "us-east-1"
    assert home.scan(TableName="EastCopy")["Items"] == [{"pk": {"S": "m1"}}]
    assert home.describe_table(TableName="EastCopy")["Table"]["BillingModeSummary"] == {
        "BillingMode": "PAY_PER_REQUEST"}
