"""The kit's provider import: same output as the stock import, far fewer modules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from bench_synth import identical
from helpers import REPO

PROBE = """
import json, sys

def provider_modules():
    return sorted(m for m in sys.modules if m.count(".") == 1 and m.startswith("cdktf_cdktf_provider_aws."))

import dynamodb_kit
at_import = {"provider": provider_modules(), "jsii": "jsii" in sys.modules, "cdktf": "cdktf" in sys.modules}
for name in dynamodb_kit.__all__:  # every construct and props module the kit exports
    getattr(dynamodb_kit, name)
import cdktf_cdktf_provider_aws as aws
loaded = provider_modules()
bucket = aws.s3_bucket.S3Bucket.__name__          # not loaded before: loads on access
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue   # plain import still works
print(json.dumps({"at_import": at_import, "loaded": loaded, "bucket": bucket,
                  "queue": SqsQueue.__name__, "after": len(provider_modules())}))
"""

# Every construct of the kit in one stack, written to the directory in argv[1].
SYNTH = """
import sys
from cdktf import App, TerraformStack
from dynamodb_kit import (
    AccessPattern, AccessPolicy, AccessPolicyProps, Attribute, Backup, BackupProps, BackupRule,
    Billing, Capacity, EncryptionKey, EncryptionKeyProps, GlobalSecondaryIndex, IdentityPoolRole,
    IdentityPoolRoleProps, LambdaRole, LambdaRoleProps, LeadingKeys, LocalSecondaryIndex,
    StreamViewType, Table, TableEncryption, TableGrant, TableProps, VaultLock, add_aws_provider,
)

app = App(outdir=sys.argv[1])
stack = TerraformStack(app, "kit")
add_aws_provider(stack, region="us-east-1", default_tags={"Project": "kit"})
key = EncryptionKey(stack, "DataKey", EncryptionKeyProps(alias="kit-data", allow_cloudwatch_logs=True))
orders = Table(stack, "Orders", TableProps(
    table_name="Orders", partition_key=Attribute("CustomerId"), sort_key=Attribute("OrderId"),
    global_secondary_indexes=(GlobalSecondaryIndex(
        name="ByStatus", partition_key=Attribute("Status"),
        billing=Billing.on_demand(max_read=10, max_write=10)),),
    local_secondary_indexes=(LocalSecondaryIndex(name="ByDate", sort_key=Attribute("OrderDate")),),
    billing=Billing.on_demand(max_read=100, max_write=100),
    time_to_live_attribute="ExpiresAt", stream=StreamViewType.NEW_AND_OLD_IMAGES,
    encryption=TableEncryption.customer_managed(key_arn=key.key_arn),
))
events = Table(stack, "Events", TableProps(
    table_name="Events", partition_key=Attribute("Id", "N"),
    billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
    encryption=TableEncryption.customer_managed(), point_in_time_recovery=False,
    destruction_approved="kit test: synthesized, never applied",
))
legacy = Table.from_table_arn(
    stack, "Legacy", "arn:aws:dynamodb:us-east-1:123456789012:table/Legacy", partition_key="pk")
LambdaRole(stack, "Fn", LambdaRoleProps(function_name="orders-fn", log_encryption_key_arn=key.key_arn,
    grants=(TableGrant(table=orders, patterns=(AccessPattern.GET_ITEM, AccessPattern.READ_STREAM),
                       query_indexes=("ByStatus",)),)))
IdentityPoolRole(stack, "Users", IdentityPoolRoleProps(
    role_name="kit-users", identity_pool_id="us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    grants=(TableGrant(table=orders, patterns=(AccessPattern.GET_ITEM,),
                       leading_keys=LeadingKeys.cognito_identity()),)))
AccessPolicy(stack, "Access", AccessPolicyProps(
    role_name="existing-role", grants=(TableGrant(table=events, patterns=(AccessPattern.PUT_ITEM,)),)))
Backup(stack, "Backup", BackupProps(
    vault_name="kit-vault", rules=(BackupRule.daily(), BackupRule.monthly()),
    tables=(orders, events, legacy),
    vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=7, max_retention_days=400)))
app.synth()
"""


def used_by_the_kit() -> set[str]:
    """Provider submodules named in ``from cdktf_cdktf_provider_aws.X import`` lines."""
    package = REPO / "constructs" / "dynamodb_kit"
    pattern = re.compile(r"^from (cdktf_cdktf_provider_aws\.\w+) import", re.MULTILINE)
    return {m for path in package.rglob("*.py") for m in pattern.findall(path.read_text())}


def run(script: str, *args: str, stock: bool) -> str:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("DYNAMODB_KIT_STOCK_PROVIDER_IMPORT", None)
    if stock:
        env["DYNAMODB_KIT_STOCK_PROVIDER_IMPORT"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def probe(stock: bool) -> dict:
    return json.loads(run(PROBE, stock=stock))


def test_the_scan_finds_the_provider_modules_of_every_subpackage():
    found = used_by_the_kit()
    # One from each subpackage that builds resources: table/, kms/, iam/, backup/, core/.
    assert {
        "cdktf_cdktf_provider_aws.dynamodb_table", "cdktf_cdktf_provider_aws.kms_key",
        "cdktf_cdktf_provider_aws.cloudwatch_log_group", "cdktf_cdktf_provider_aws.backup_vault",
        "cdktf_cdktf_provider_aws.provider",
    } <= found


@pytest.mark.slow
def test_kit_import_loads_only_what_it_uses_and_the_rest_on_access():
    kit = probe(stock=False)
    # ``import dynamodb_kit`` alone loads no provider module and starts no jsii runtime.
    assert kit["at_import"] == {"provider": [], "jsii": False, "cdktf": False}
    # With every construct imported: exactly the submodules the kit's source
    # imports, plus the jsii assembly.
    assert kit["loaded"] == sorted({"cdktf_cdktf_provider_aws._jsii", *used_by_the_kit()})
    assert len(kit["loaded"]) < 30
    assert (kit["bucket"], kit["queue"]) == ("S3Bucket", "SqsQueue")
    assert kit["after"] == len(kit["loaded"]) + 2
    stock = probe(stock=True)
    assert len(stock["loaded"]) > 2000


@pytest.mark.slow
def test_synth_output_is_byte_identical_with_stock_import(tmp_path):
    outdirs = {}
    for mode in ("kit", "stock"):
        outdirs[mode] = tmp_path / mode
        run(SYNTH, str(outdirs[mode]), stock=mode == "stock")
    synthesized = outdirs["kit"] / "stacks" / "kit" / "cdk.tf.json"
    resource_types = set(json.loads(synthesized.read_text())["resource"])
    # Every kind of resource the kit creates is in the comparison.
    assert {
        "aws_dynamodb_table", "aws_kms_key", "aws_kms_alias", "aws_iam_role", "aws_iam_role_policy",
        "aws_cloudwatch_log_group", "aws_backup_vault", "aws_backup_plan", "aws_backup_selection",
        "aws_backup_vault_lock_configuration", "aws_backup_region_settings",
        "aws_iam_role_policy_attachment",
    } <= resource_types
    assert identical(outdirs["kit"], outdirs["stock"])
