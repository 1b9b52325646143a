"""End to end: a global-table replica and a restore from it, on the kit's emulator.

The emulator fills moto's global-table gap (``UpdateTable`` ``ReplicaUpdates``
and a restore from another region's table ARN: constructs/docs/emulator.md),
so the AWS provider's own ``aws_dynamodb_table_replica`` runs here. One stack,
one terraform working directory:

1. ``replica-Orders`` (customer-managed key, PITR, deletion protection, the
   stream replication needs) with ``Replica(region="us-west-2",
   deletion_protection=False)``: the apply creates the table, then the replica
   and its key in us-west-2; the us-west-2 table has the table's keys, the
   kit's us-west-2 key, PITR on and its own deletion protection (off, the
   table's stays on); the home table lists the replica ``ACTIVE``; the re-plan
   exits 0;
2. 20 items are written in us-west-2 (an application of that region writing
   to its replica), then the code adds ``replica-Restored`` in us-east-1,
   restored to the latest time from the us-west-2 replica's ARN: it holds
   those items; the re-plan exits 0.

Replication is not emulated (the replica starts empty and a write stays in its
region), so nothing here proves it; the emulator page says what only an
account proves.
"""

from __future__ import annotations

import dataclasses

import pytest

from dynamodb_kit import (
    Attribute,
    Replica,
    RestoreSource,
    StreamViewType,
    TableEncryption,
    TableProps,
)
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config
from support import background
from support.e2e import FASTER_PROVIDER, applied_actions, client, replan_exit_code, synth_tables

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]

HOME, REPLICA_REGION = "us-east-1", "us-west-2"
NAME, RESTORED_NAME = "replica-Orders", "replica-Restored"
ITEMS = 20

ORDERS = TableProps(
    table_name=NAME,
    partition_key=Attribute("Id"),
    sort_key=Attribute("At"),
    encryption=TableEncryption.customer_managed(),
    stream=StreamViewType.NEW_AND_OLD_IMAGES,
)
# The replica's deletion protection is its own (the table keeps the kit's
# default, on). Declared on, the provider waits its fixed 90 s propagation
# delay twice (replicaPropagationDelay, after the create and after the
# update): 3 minutes of sleep in a 1-minute flow, for a setting moto already
# stores (UpdateTable DeletionProtectionEnabled in the replica's region).
ORDERS_REPLICATED = dataclasses.replace(
    ORDERS, replicas=(Replica(region=REPLICA_REGION, deletion_protection=False),))


def restored_from(replica_arn: str) -> TableProps:
    return TableProps(
        table_name=RESTORED_NAME,
        partition_key=Attribute("Id"),
        sort_key=Attribute("At"),
        deletion_protection=False,
        restore=RestoreSource.from_table_arn(replica_arn, point_in_time="latest"),
    )


@dataclasses.dataclass
class ReplicaRun:
    replica_apply: dict = dataclasses.field(default_factory=dict)  # address -> actions
    home: dict = dataclasses.field(default_factory=dict)  # DescribeTable in us-east-1
    replica: dict = dataclasses.field(default_factory=dict)  # DescribeTable in us-west-2
    replica_key_arn: str = ""  # the key the kit created in us-west-2 (by its description)
    replica_pitr: str = ""
    replica_items: list = dataclasses.field(default_factory=list)
    replica_replan: tuple = (-1, "")
    replica_arn: str = ""
    restore_apply: dict = dataclasses.field(default_factory=dict)
    restored: dict = dataclasses.field(default_factory=dict)
    restored_items: list = dataclasses.field(default_factory=list)
    restored_pitr: str = ""
    restore_replan: tuple = (-1, "")


def _items(dynamodb, table: str) -> list[dict]:
    return sorted(dynamodb.scan(TableName=table)["Items"], key=lambda i: (i["Id"]["S"], i["At"]["S"]))


def _kit_key(kms, description: str) -> str:
    """The ARN of the one key with ``description`` (the kit's ``EncryptionKey``)."""
    keys = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
    (key,) = [k["Arn"] for k in keys if k.get("Description") == description]
    return key


def _pitr(dynamodb, table: str) -> str:
    return dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]


@background.flow(__name__, "replica", waits=True, emulator=True)
def replica_flow(context: background.Context) -> ReplicaRun:
    """Steps 1-2 of the module docstring, in the background (support/background.py)."""
    work = context.work
    cli_config = write_cli_config(work / "terraformrc", find_provider_mirror(), plugin_cache=work / "plugins")
    outdir = work / "out"
    home = client(context.emulator, "dynamodb", HOME)
    west = client(context.emulator, "dynamodb", REPLICA_REGION)
    run = ReplicaRun()

    def synth(tables: dict[str, TableProps]):
        return synth_tables(outdir, "replica", tables)

    # 1. The table and its replica (the replica resource waits for the table).
    terraform = Terraform(synth({"Orders": ORDERS_REPLICATED}), cli_config,
                          extra_env={**context.emulator.environment, **FASTER_PROVIDER})
    terraform.run("init")
    run.replica_apply = applied_actions(terraform)
    run.home = home.describe_table(TableName=NAME)["Table"]
    run.replica = west.describe_table(TableName=NAME)["Table"]
    run.replica_arn = run.replica["TableArn"]
    run.replica_key_arn = _kit_key(client(context.emulator, "kms", REPLICA_REGION),
                                   f"Encrypts the {REPLICA_REGION} replica of DynamoDB table {NAME}")
    run.replica_pitr = _pitr(west, NAME)
    run.replica_replan = replan_exit_code(terraform)

    # 2. Items written in the replica's region.
    for i in range(ITEMS):
        west.put_item(TableName=NAME, Item={"Id": {"S": f"order-{i % 4}"}, "At": {"S": f"2026-01-{i + 1:02d}"},
                                            "Total": {"N": str(10 * i)}})
    run.replica_items = _items(west, NAME)

    #    A table restored in us-east-1 from the us-west-2 replica's ARN (the
    #    re-plan just refreshed everything: no refresh needed).
    synth({"Orders": ORDERS_REPLICATED, "Restored": restored_from(run.replica_arn)})
    run.restore_apply = applied_actions(terraform, "-refresh=false")
    run.restored = home.describe_table(TableName=RESTORED_NAME)["Table"]
    run.restored_items = _items(home, RESTORED_NAME)
    run.restored_pitr = _pitr(home, RESTORED_NAME)
    run.restore_replan = replan_exit_code(terraform)
    return run


@pytest.fixture(scope="module")
def replica_run() -> ReplicaRun:
    run = background.result("replica")
    print(f"\nitems in {REPLICA_REGION}: {len(run.replica_items)}, restored: {len(run.restored_items)}; "
          f"re-plan exit after replica: {run.replica_replan[0]}, after restore: {run.restore_replan[0]}")
    return run


def test_the_apply_creates_the_table_its_replica_and_a_key_in_each_region(replica_run):
    types = sorted(address.split(".")[0] for address in replica_run.replica_apply)
    assert types == ["aws_dynamodb_table", "aws_dynamodb_table_replica", "aws_kms_key", "aws_kms_key"], \
        replica_run.replica_apply
    assert all(action == ("create",) for action in replica_run.replica_apply.values())


def test_the_replica_is_a_table_in_its_region_with_the_tables_keys(replica_run):
    home, replica = replica_run.home, replica_run.replica
    assert replica["TableArn"] == home["TableArn"].replace(f":{HOME}:", f":{REPLICA_REGION}:")
    assert replica["TableStatus"] == "ACTIVE"
    assert replica["KeySchema"] == home["KeySchema"] == [
        {"AttributeName": "Id", "KeyType": "HASH"}, {"AttributeName": "At", "KeyType": "RANGE"}]
    assert replica["AttributeDefinitions"] == home["AttributeDefinitions"]
    assert replica["BillingModeSummary"] == home["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert replica["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def test_the_replica_is_encrypted_with_a_key_of_its_own_region(replica_run):
    key = replica_run.replica_key_arn
    assert key.startswith(f"arn:aws:kms:{REPLICA_REGION}:"), key
    assert replica_run.replica["SSEDescription"]["KMSMasterKeyArn"] == key
    home_key = replica_run.home["SSEDescription"]["KMSMasterKeyArn"]
    assert home_key.startswith(f"arn:aws:kms:{HOME}:") and home_key != key


def test_the_replica_has_pitr_and_deletion_protection_as_declared(replica_run):
    assert replica_run.replica_pitr == "ENABLED"
    # The table's stays on (the kit's default). The replica's, declared off, is
    # not asserted: the emulator creates every replica with it off.
    assert replica_run.home["DeletionProtectionEnabled"] is True


def test_the_home_table_lists_the_replica_active(replica_run):
    (replica,) = replica_run.home["Replicas"]
    assert replica == {"RegionName": REPLICA_REGION, "ReplicaStatus": "ACTIVE",
                       "KMSMasterKeyId": replica_run.replica_key_arn}


def test_the_replan_after_adding_the_replica_exits_0(replica_run):
    code, output = replica_run.replica_replan
    assert code == 0, output


def test_a_restore_from_the_replica_in_another_region_keeps_its_items(replica_run):
    ((address, action),) = replica_run.restore_apply.items()  # only the restored table changes
    assert address.startswith("aws_dynamodb_table.Restored") and action == ("create",), replica_run.restore_apply
    assert replica_run.restored["RestoreSummary"]["SourceTableArn"] == replica_run.replica_arn
    assert replica_run.restored["TableArn"].split(":")[3] == HOME
    assert replica_run.restored_items == replica_run.replica_items
    assert len(replica_run.restored_items) == ITEMS
    assert replica_run.restored_pitr == "ENABLED"
    code, output = replica_run.restore_replan
    assert code == 0, output
