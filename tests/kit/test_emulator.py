"""The kit's emulator: its command starts and stops its server cleanly, and
each gap-filler answers as the emulator page says (moto 5.2.5 lacks them)."""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest

from dynamodb_kit_tools.emulator import Emulator, free_port
from support.processes import alive, children, emulator_servers, end, wait_until_gone

pytestmark = pytest.mark.e2e

EMULATOR = [sys.executable, "-m", "dynamodb_kit_tools.emulator"]


def first_line(process: subprocess.Popen, timeout: float = 30.0) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise AssertionError(f"no output from {process.args} in {timeout}s")
    return process.stdout.readline()


def answers(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
        return True
    except OSError:
        return False


def start_command(*args: str) -> tuple[subprocess.Popen, str, int]:
    """``python -m dynamodb_kit_tools.emulator ARGS``; the process, endpoint, port."""
    process = subprocess.Popen(
        [*EMULATOR, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    line = first_line(process)
    match = re.fullmatch(r"emulator at (http://127\.0\.0\.1:(\d+)) \(pid (\d+)\); Ctrl-C or kill stops it\n", line)
    assert match, line
    assert int(match.group(3)) == process.pid
    return process, match.group(1), int(match.group(2))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_command_stops_its_server_on(stop):
    process, endpoint, port = start_command()
    try:
        assert answers(endpoint)
        (server,) = children(process.pid)
        assert [p.pid for p in emulator_servers(port)] == [server.pid]

        process.send_signal(stop)
        assert process.wait(timeout=20) == 0
        assert f"{stop.name} received, stopped" in process.stdout.read()
        assert wait_until_gone(lambda: emulator_servers(port)) == []
        assert not alive(server.pid)
        assert not answers(endpoint)
    finally:
        process.kill()
        process.wait()
        end(emulator_servers(port))


def test_a_killed_emulator_takes_its_server_with_it():
    process, endpoint, port = start_command()
    try:
        (server,) = children(process.pid)
        process.kill()  # SIGKILL: no handler runs; the server's parent-death signal does
        process.wait()
        assert wait_until_gone(lambda: emulator_servers(port)) == []
        assert not alive(server.pid)
    finally:
        end(emulator_servers(port))


def test_a_given_port_and_a_log_file(tmp_path):
    port = free_port()
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen()
    try:
        refused = subprocess.run([*EMULATOR, str(port)], capture_output=True, text=True, timeout=30)
    finally:
        holder.close()
    assert refused.returncode == 1
    assert f"port {port} is in use" in refused.stderr
    assert emulator_servers(port) == []

    log = tmp_path / "emulator.log"
    process, endpoint, given = start_command(str(port), "--log", str(log))
    try:
        assert (given, endpoint) == (port, f"http://127.0.0.1:{port}")
        assert answers(endpoint)
        process.terminate()
        assert process.wait(timeout=20) == 0
        assert "GET /moto-api/" in log.read_text()
    finally:
        process.kill()
        process.wait()
        end(emulator_servers(port))


# --- the gap-fillers -------------------------------------------------------

@pytest.fixture(scope="module")
def endpoint():
    with Emulator() as emulator:
        yield emulator.endpoint_url


def client(endpoint: str, service: str):
    return boto3.client(
        service, endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )


KEY = dict(AttributeDefinitions=[{"AttributeName": "Id", "AttributeType": "S"}],
           KeySchema=[{"AttributeName": "Id", "KeyType": "HASH"}])


def test_on_demand_throughput_is_returned(endpoint):
    dynamodb = client(endpoint, "dynamodb")
    ceiling = {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    dynamodb.create_table(TableName="ceiling", BillingMode="PAY_PER_REQUEST",
                          OnDemandThroughput=ceiling, **KEY)
    assert dynamodb.describe_table(TableName="ceiling")["Table"]["OnDemandThroughput"] == ceiling
    lower = {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 10}
    dynamodb.update_table(TableName="ceiling", OnDemandThroughput=lower)
    assert dynamodb.describe_table(TableName="ceiling")["Table"]["OnDemandThroughput"] == lower


def test_after_updates_capacities_and_attributes_read_as_aws_reports_them(endpoint):
    dynamodb = client(endpoint, "dynamodb")
    capacity = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    dynamodb.create_table(
        TableName="switch", BillingMode="PROVISIONED", ProvisionedThroughput=capacity,
        AttributeDefinitions=[{"AttributeName": "Id", "AttributeType": "S"},
                              {"AttributeName": "A", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "Id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "ByA", "KeySchema": [{"AttributeName": "A", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": capacity,
        }],
    )
    dynamodb.update_table(TableName="switch", BillingMode="PAY_PER_REQUEST")
    table = dynamodb.describe_table(TableName="switch")["Table"]
    zero = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    assert {k: table["ProvisionedThroughput"][k] for k in zero} == zero
    (gsi,) = table["GlobalSecondaryIndexes"]
    assert {k: gsi["ProvisionedThroughput"][k] for k in zero} == zero

    dynamodb.update_table(TableName="switch", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "ByA"}}])
    table = dynamodb.describe_table(TableName="switch")["Table"]
    assert table["AttributeDefinitions"] == [{"AttributeName": "Id", "AttributeType": "S"}]


def test_a_restored_table_reports_a_billing_mode(endpoint):
    dynamodb = client(endpoint, "dynamodb")
    dynamodb.create_table(TableName="source", BillingMode="PAY_PER_REQUEST", **KEY)
    dynamodb.update_continuous_backups(
        TableName="source", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    dynamodb.restore_table_to_point_in_time(
        SourceTableName="source", TargetTableName="same-billing", UseLatestRestorableTime=True
    )
    dynamodb.restore_table_to_point_in_time(
        SourceTableName="source", TargetTableName="overridden", UseLatestRestorableTime=True,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    billing = {name: dynamodb.describe_table(TableName=name)["Table"]["BillingModeSummary"]["BillingMode"]
               for name in ("same-billing", "overridden")}
    assert billing == {"same-billing": "PAY_PER_REQUEST", "overridden": "PROVISIONED"}


def test_identity_pool_roles_are_stored_and_returned(endpoint):
    cognito = client(endpoint, "cognito-identity")
    pool = cognito.create_identity_pool(IdentityPoolName="users", AllowUnauthenticatedIdentities=False)
    pool_id = pool["IdentityPoolId"]
    assert cognito.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {}
    roles = {"authenticated": "arn:aws:iam::123456789012:role/app-user-role"}
    cognito.set_identity_pool_roles(IdentityPoolId=pool_id, Roles=roles)
    answer = cognito.get_identity_pool_roles(IdentityPoolId=pool_id)
    assert (answer["IdentityPoolId"], answer["Roles"]) == (pool_id, roles)


def test_a_retried_call_gets_the_answer_of_its_first_attempt(tmp_path):
    """The SDK retries a call whose answer it did not read with the same
    amz-sdk-invocation-id: the emulator answers it as it answered the first
    attempt, so a retried create does not fail on what it just made. A new
    call with the same input still does."""
    log = tmp_path / "emulator.log"
    with Emulator(log_path=log) as emulator:
        dynamodb = boto3.client("dynamodb", endpoint_url=emulator.endpoint_url, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test")
        invocation = {"id": "first"}
        dynamodb.meta.events.register(
            "before-send.dynamodb.CreateTable",
            lambda request, **_: request.headers.__setitem__("amz-sdk-invocation-id", invocation["id"]))
        create = dict(TableName="T", BillingMode="PAY_PER_REQUEST",
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        first = dynamodb.create_table(**create)["TableDescription"]
        retried = dynamodb.create_table(**create)["TableDescription"]  # same invocation id
        assert retried == first
        invocation["id"] = "second"
        with pytest.raises(dynamodb.exceptions.ResourceInUseException):
            dynamodb.create_table(**create)
        assert dynamodb.list_tables()["TableNames"] == ["T"]
    assert "emulator: answered a retry of first as its first attempt was" in log.read_text()
