"""End to end: terraform + the real AWS provider against moto in server mode.

One emulator and one synth per session; each stack gets one ``terraform init``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from cdktf import App, LocalBackend, TerraformStack

from dynamodb_kit import (
    Attribute,
    GlobalSecondaryIndex,
    RestoreSource,
    Table,
    TableProps,
    add_aws_provider,
)
from dynamodb_kit.emulator import EMULATOR_CREDENTIALS, Emulator
from dynamodb_kit.plan_guard import approvals_from_stack, check_plan, main as plan_guard
from dynamodb_kit.terraform_runner import Terraform, find_provider_mirror, write_cli_config

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]

# moto with the echo patches of tests/support/patched_moto_server.py (settings it
# accepted but did not return: on-demand throughput, capacities after a switch to
# on-demand). Without them those settings drift on every re-plan.
PATCHED_MOTO = [sys.executable, str(Path(__file__).parent / "support" / "patched_moto_server.py")]


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with Emulator(log_path=log, command=PATCHED_MOTO) as running:
        yield running


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory) -> Path:
    tf = tmp_path_factory.mktemp("tf")
    return write_cli_config(tf / "terraformrc", find_provider_mirror(), plugin_cache=tf / "plugins")


def terraform_for(stack_dir: Path, cli_config: Path) -> Terraform:
    terraform = Terraform(stack_dir, cli_config, extra_env=EMULATOR_CREDENTIALS)
    terraform.run("init")
    return terraform


def client(emulator: Emulator, service: str):
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def apply_and_report_actions(terraform: Terraform) -> dict[str, list[str]]:
    """Apply; return each resource's planned action from the JSON UI stream
    (one terraform run instead of plan, show and apply)."""
    stream = terraform.run("apply", "-auto-approve", "-json").stdout
    events = [json.loads(line) for line in stream.splitlines() if line.startswith("{")]
    return {
        e["change"]["resource"]["addr"]: [e["change"]["action"]]
        for e in events
        if e.get("type") == "planned_change"
    }


def replan_exit_code(terraform: Terraform) -> tuple[int, str]:
    """``terraform plan -detailed-exitcode``: 0 no changes, 2 changes, 1 error."""
    result = terraform.run("plan", "-detailed-exitcode", check=False)
    return result.returncode, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.fixture(scope="session")
def deployed_dev(emulator, cli_config, tmp_path_factory) -> Terraform:
    """The dev stack, deployed the README's way: ``npx cdktf deploy dev``."""
    repo = Path(__file__).resolve().parent.parent
    cdktf_bin = repo / "node_modules" / ".bin" / "cdktf"
    assert cdktf_bin.exists(), "run .ci/setup: it installs the pinned cdktf-cli (npm ci)"
    outdir = tmp_path_factory.mktemp("e2e") / "cdktf.out"
    env = {
        **os.environ,
        **EMULATOR_CREDENTIALS,
        "DYNAMODB_KIT_ENDPOINT_URL": emulator.endpoint_url,
        "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "CI": "1",
    }
    # --output keeps the synth, and the state (../../../ of the stack), in a temp dir.
    result = subprocess.run(
        [str(cdktf_bin), "deploy", "dev", "--auto-approve", "--skip-provider-lock",
         "--output", str(outdir)],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (outdir.parent / "terraform.dev.tfstate").exists()
    # The same working directory, already initialised by cdktf, for re-plans.
    return Terraform(outdir / "stacks" / "dev", cli_config, extra_env=EMULATOR_CREDENTIALS)


def test_dev_stack_deploys_with_every_setting(deployed_dev, emulator):
    dynamodb = client(emulator, "dynamodb")
    assert sorted(dynamodb.list_tables()["TableNames"]) == ["dev-MovieRoles", "dev-Orders"]
    roles = dynamodb.describe_table(TableName="dev-MovieRoles")["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in roles["KeySchema"]] == [
        ("Actor", "HASH"), ("Movie", "RANGE"),
    ]
    (by_movie,) = roles["GlobalSecondaryIndexes"]
    assert by_movie["IndexName"] == "ByMovie"
    assert by_movie["Projection"] == {"ProjectionType": "ALL"}
    assert roles["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert roles["DeletionProtectionEnabled"] is False
    assert roles["SSEDescription"]["SSEType"] == "KMS"

    orders = dynamodb.describe_table(TableName="dev-Orders")["Table"]
    (lsi,) = orders["LocalSecondaryIndexes"]
    assert lsi["Projection"] == {
        "ProjectionType": "INCLUDE", "NonKeyAttributes": ["Status", "Total"],
    }
    assert orders["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert orders["StreamSpecification"] == {
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    for name in ("dev-MovieRoles", "dev-Orders"):
        pitr = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
        assert pitr["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7
    ttl = dynamodb.describe_time_to_live(TableName="dev-Orders")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"}
    tags = dynamodb.list_tags_of_resource(ResourceArn=orders["TableArn"])["Tags"]
    assert {"Key": "Environment", "Value": "dev"} in tags
    key = client(emulator, "kms").describe_key(KeyId="alias/dev-dynamodb-data")["KeyMetadata"]
    assert orders["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]

    # IAM: each function's role, its trust and its one inline policy, resolved.
    iam = client(emulator, "iam")
    writer = iam.get_role(RoleName="dev-movie-roles-writer-role")["Role"]
    (trust,) = writer["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":function:dev-movie-roles-writer")
    document = iam.get_role_policy(RoleName="dev-movie-roles-writer-role", PolicyName="access")
    statements = {s["Sid"]: s for s in document["PolicyDocument"]["Statement"]}
    assert statements["MovieRolesIndexQuery"]["Resource"] == [f"{roles['TableArn']}/index/ByMovie"]
    assert statements["MovieRolesItems"]["Action"] == ["dynamodb:PutItem"]
    app_user = iam.get_role_policy(RoleName="dev-app-user-role", PolicyName="access")
    leading = app_user["PolicyDocument"]["Statement"][0]["Condition"]["ForAllValues:StringEquals"]
    assert leading == {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]}
    groups = client(emulator, "logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/dev-")
    assert {(g["logGroupName"], g["retentionInDays"], g["kmsKeyId"]) for g in groups["logGroups"]} == {
        (f"/aws/lambda/dev-{f}", 365, key["Arn"])
        for f in ("movie-roles-writer", "orders-eu-fulfilment", "orders-shipping-labels")
    }


def test_replan_shows_no_changes(deployed_dev):
    code, output = replan_exit_code(deployed_dev)
    assert code == 0, output


def synth_tables(outdir: Path, endpoint: str, name: str, tables: dict[str, TableProps]) -> Path:
    """Synthesize a stack ``name`` of ``tables`` (construct id -> props) pointed at
    the emulator; its state lives beside ``outdir``, not at cdktf's cwd default."""
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, name)
    LocalBackend(stack, path=str(outdir.parent / f"{name}.tfstate"))
    add_aws_provider(stack, region="us-east-1", endpoint_url=endpoint)
    for construct_id, props in tables.items():
        Table(stack, construct_id, props)
    app.synth()
    return outdir / "stacks" / name


def guarded_stack(outdir: Path, endpoint: str, sort_key: str, approval: str | None) -> Path:
    ledger = TableProps(
        table_name="guard-Ledger",
        partition_key=Attribute("Account"),
        sort_key=Attribute(sort_key),
        deletion_protection=False,
        destruction_approved=approval,
    )
    return synth_tables(outdir, endpoint, "guard", {"Ledger": ledger})


def test_plan_guard_blocks_a_sort_key_change_and_items_survive(emulator, cli_config, tmp_path, capsys):
    stack_dir = guarded_stack(tmp_path / "out", emulator.endpoint_url, "Entry", None)
    terraform = terraform_for(stack_dir, cli_config)
    terraform.run("apply", "-auto-approve")
    dynamodb = client(emulator, "dynamodb")
    for i in range(5):
        dynamodb.put_item(
            TableName="guard-Ledger", Item={"Account": {"S": "a"}, "Entry": {"S": f"e{i}"}}
        )

    # The change: a new sort key. Terraform can only replace the table.
    guarded_stack(tmp_path / "out", emulator.endpoint_url, "PostedAt", None)
    terraform.run("plan", "-out=tfplan")
    plan_file = stack_dir / "plan.json"
    plan_file.write_text(terraform.run("show", "-json", "tfplan").stdout)
    stack_file = stack_dir / "cdk.tf.json"
    assert plan_guard([str(plan_file), "--stack", str(stack_file)]) == 1
    report = capsys.readouterr().out
    print(report)
    assert "BLOCKED: REPLACE aws_dynamodb_table.Ledger_" in report
    assert "an attribute that cannot change in place changed" in report
    assert 'caused by: range_key: "Entry" -> "PostedAt"' in report
    assert "restore as code" in report
    # The guard stopped the apply: the table and its items are untouched.
    assert dynamodb.scan(TableName="guard-Ledger")["Count"] == 5

    # With a named opt-in in the code, the same change passes and applies.
    guarded_stack(tmp_path / "out", emulator.endpoint_url, "PostedAt", "ops-lead: ledger re-keyed, data migrated")
    terraform.run("plan", "-out=tfplan")
    plan = json.loads(terraform.run("show", "-json", "tfplan").stdout)
    approvals = approvals_from_stack(json.loads(stack_file.read_text()))
    (finding,) = check_plan(plan, approvals)
    assert not finding.blocked and finding.actions == ("delete", "create")
    terraform.run("apply", "tfplan")
    table = dynamodb.describe_table(TableName="guard-Ledger")["Table"]
    assert table["KeySchema"][1]["AttributeName"] == "PostedAt"


RETENTION_BASE = TableProps(
    table_name="retention-Items",
    partition_key=Attribute("Id"),
    deletion_protection=False,
    recovery_period_days=35,
)


def _gsi(name: str, key: str) -> GlobalSecondaryIndex:
    return GlobalSecondaryIndex(name=name, partition_key=Attribute(key))


# Each step: (what changes, props after it, how to see it took effect).
GSIS = lambda *names: tuple(_gsi(f"By{n}", n) for n in names)  # noqa: E731
LATER = dict(time_to_live_attribute="ExpiresAt")

# Each step: (what changes, props after it, how to see it took effect).
RETENTION_STEPS = [
    ("add one GSI", dict(global_secondary_indexes=GSIS("A")),
     lambda t, c: [g["IndexName"] for g in t.get("GlobalSecondaryIndexes", [])] == ["ByA"]),
    ("add two GSIs in one apply", dict(global_secondary_indexes=GSIS("A", "B", "C")),
     lambda t, c: sorted(g["IndexName"] for g in t["GlobalSecondaryIndexes"]) == ["ByA", "ByB", "ByC"]),
    ("remove a GSI", dict(global_secondary_indexes=GSIS("A", "C")),
     lambda t, c: sorted(g["IndexName"] for g in t["GlobalSecondaryIndexes"]) == ["ByA", "ByC"]),
    ("switch on-demand to provisioned",
     dict(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5,
          global_secondary_indexes=tuple(
              dataclasses.replace(g, read_capacity=2, write_capacity=2) for g in GSIS("A", "C"))),
     lambda t, c: t["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
     and t["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
     and {g["ProvisionedThroughput"]["ReadCapacityUnits"] for g in t["GlobalSecondaryIndexes"]} == {2}),
    ("switch back to on-demand", dict(global_secondary_indexes=GSIS("A", "C")),
     lambda t, c: t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"),
    ("change TTL", dict(global_secondary_indexes=GSIS("A", "C"), **LATER),
     lambda t, c: c.describe_time_to_live(TableName=t["TableName"])["TimeToLiveDescription"]
     == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"}),
    ("change the recovery period",
     dict(global_secondary_indexes=GSIS("A", "C"), recovery_period_days=10, **LATER),
     lambda t, c: c.describe_continuous_backups(TableName=t["TableName"])[
         "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 10),
    ("add tags", dict(global_secondary_indexes=GSIS("A", "C"), recovery_period_days=10,
                      tags={"CostCenter": "42"}, **LATER),
     lambda t, c: {"Key": "CostCenter", "Value": "42"}
     in c.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"]),
]


def test_changes_in_place_keep_every_item(emulator, cli_config, tmp_path):
    def synth(props: TableProps) -> Path:
        return synth_tables(tmp_path / "out", emulator.endpoint_url, "retention", {"Items": props})


    terraform = terraform_for(synth(RETENTION_BASE), cli_config)
    terraform.run("apply", "-auto-approve")
    dynamodb = client(emulator, "dynamodb")
    items = {f"item-{i}": {"Id": {"S": f"item-{i}"}, "A": {"S": "a"}, "B": {"S": "b"},
                           "C": {"S": "c"}, "Payload": {"N": str(i)}} for i in range(25)}
    for item in items.values():
        dynamodb.put_item(TableName="retention-Items", Item=item)

    report = []
    for what, changes, took_effect in RETENTION_STEPS:
        synth(dataclasses.replace(RETENTION_BASE, **changes))
        actions = apply_and_report_actions(terraform)
        table = dynamodb.describe_table(TableName="retention-Items")["Table"]
        found = {i["Id"]["S"]: i for i in dynamodb.scan(TableName="retention-Items")["Items"]}
        lost = len(set(items) - set(found))
        replan, _ = replan_exit_code(terraform)
        report.append((what, list(actions.values()), took_effect(table, dynamodb), lost, replan))
        assert found == items, f"{what}: items changed or lost"

    print("\nchange                            plan actions     took effect  items lost  re-plan exit")
    for what, actions, effect, lost, replan in report:
        print(f"{what:<34}{str(actions):<17}{str(effect):<13}{lost:<12}{replan}")
    assert all(row[1] == [["update"]] for row in report), report
    assert all(row[2] for row in report), report
    assert all(row[4] == 0 for row in report), report


def test_restore_to_latest_declared_as_code_brings_the_items_back(emulator, cli_config, tmp_path):
    source = TableProps(
        table_name="restore-Source", partition_key=Attribute("Id"), deletion_protection=False,
        recovery_period_days=7,
    )
    restored = dataclasses.replace(
        source, table_name="restore-Target",
        restore=RestoreSource(source_table_name="restore-Source", latest=True),
    )

    def synth(*tables: tuple[str, TableProps]) -> Path:
        return synth_tables(tmp_path / "out", emulator.endpoint_url, "restore", dict(tables))

    terraform = terraform_for(synth(("Source", source)), cli_config)
    terraform.run("apply", "-auto-approve")
    dynamodb = client(emulator, "dynamodb")
    for i in range(10):
        dynamodb.put_item(TableName="restore-Source", Item={"Id": {"S": f"id-{i}"}, "N": {"N": str(i)}})

    # Declare the restore, plan, apply: a new table from the source's PITR history.
    synth(("Source", source), ("Restored", restored))
    terraform.run("apply", "-auto-approve")
    items = dynamodb.scan(TableName="restore-Target")["Items"]
    assert sorted(item["Id"]["S"] for item in items) == [f"id-{i}" for i in range(10)]
    pitr = dynamodb.describe_continuous_backups(TableName="restore-Target")["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"

    # Runbook's last step: remove the declaration. Nothing is replaced.
    synth(("Source", source), ("Restored", dataclasses.replace(restored, restore=None)))
    code, output = replan_exit_code(terraform)
    assert code == 0, output
