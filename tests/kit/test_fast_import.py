"""The kit's provider import: it starts nothing, and where the provider bindings
are used (the oracle mode, ``DYNAMODB_KIT_PROVIDER_BINDINGS=1``, or an app's own
provider classes) it loads only the modules used, with the same output. (The
stock import of all ~2,200 modules costs about 13 CPU seconds; the benchmark,
tests/bench_synth.py, compares it in full runs rather than the suite.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dynamodb_kit.core.provider_import import STOCK_IMPORT_ENV
from dynamodb_kit.core.terraform import BINDINGS_ENV
from helpers import REPO
from support import background

PACKAGE = "cdktf_cdktf_provider_aws"

# Every construct of the kit in one stack, synthesized to the directory in argv[1];
# prints which provider modules were loaded when.
PROBE = """
import json, sys

def provider_modules():
    return sorted(m for m in sys.modules if m.count(".") == 1 and m.startswith("cdktf_cdktf_provider_aws."))

import dynamodb_kit
at_import = {"provider": provider_modules(), "jsii": "jsii" in sys.modules, "cdktf": "cdktf" in sys.modules}
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
loaded = provider_modules()
import cdktf_cdktf_provider_aws as aws
bucket = aws.s3_bucket.S3Bucket.__name__          # not loaded before: loads on access
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue   # plain import still works
print(json.dumps({"at_import": at_import, "loaded": loaded, "bucket": bucket,
                  "queue": SqsQueue.__name__, "after": provider_modules()}))
"""

# (build through the bindings, stock import of the bindings package)
MODES = {"kit": (False, False), "bindings": (True, False)}


def probe(outdir: Path, bindings: bool, stock: bool, base: dict[str, str]) -> dict:
    env = {k: v for k, v in base.items() if k not in (BINDINGS_ENV, STOCK_IMPORT_ENV)}
    if bindings:
        env[BINDINGS_ENV] = "1"
    if stock:
        env[STOCK_IMPORT_ENV] = "1"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(outdir)], cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@background.flow(__name__, "import_probes")
def import_probes_flow(context: background.Context) -> dict[str, tuple[dict, Path]]:
    """Mode -> (what the probe saw, its synth output directory), one process
    each, in a background flow (support/background.py)."""
    found = {}
    for mode, (bindings, stock) in MODES.items():
        outdir = context.work / mode
        found[mode] = (probe(outdir, bindings, stock, context.env), outdir)
    return found


@pytest.fixture(scope="module")
def probes() -> dict[str, tuple[dict, Path]]:
    return background.result("import_probes")


def stack_json(outdir: Path) -> dict:
    return json.loads((outdir / "stacks" / "kit" / "cdk.tf.json").read_text())


def binding_modules(synthesized: dict) -> set[str]:
    """The bindings' modules for what a stack holds: ``aws_kms_key`` -> ``kms_key``,
    data ``aws_region`` -> ``data_aws_region``, and ``provider``."""
    names = {"provider"} if "aws" in synthesized.get("provider", {}) else set()
    names |= {t.removeprefix("aws_") for t in synthesized.get("resource", {})}
    names |= {f"data_{t}" for t in synthesized.get("data", {})}
    return {f"{PACKAGE}.{name}" for name in names}


def files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.background
def test_kit_import_starts_nothing_and_its_constructs_load_no_bindings(probes):
    kit, _ = probes["kit"]
    assert kit["at_import"] == {"provider": [], "jsii": False, "cdktf": False}
    assert kit["loaded"] == []
    # The package is still registered: any other module loads on first access.
    assert (kit["bucket"], kit["queue"]) == ("S3Bucket", "SqsQueue")
    assert kit["after"] == [f"{PACKAGE}._jsii", f"{PACKAGE}.s3_bucket", f"{PACKAGE}.sqs_queue"]


@pytest.mark.slow
@pytest.mark.background
def test_bindings_load_only_what_the_stack_uses_and_the_rest_on_access(probes):
    bindings, outdir = probes["bindings"]
    assert bindings["at_import"] == {"provider": [], "jsii": False, "cdktf": False}
    expected = binding_modules(stack_json(outdir))
    assert len(expected) >= 15  # resources, data sources and the provider of every construct
    assert bindings["loaded"] == sorted({f"{PACKAGE}._jsii", *expected})
    assert len(bindings["loaded"]) < 30
    assert (bindings["bucket"], bindings["queue"]) == ("S3Bucket", "SqsQueue")
    assert len(bindings["after"]) == len(bindings["loaded"]) + 2


@pytest.mark.slow
@pytest.mark.background
def test_synth_output_is_byte_identical_through_the_bindings(probes):
    outputs = {mode: files(outdir) for mode, (_, outdir) in probes.items()}
    # Every kind of resource the kit creates is in the comparison.
    assert {
        "aws_dynamodb_table", "aws_kms_key", "aws_kms_alias", "aws_iam_role", "aws_iam_role_policy",
        "aws_cloudwatch_log_group", "aws_backup_vault", "aws_backup_plan", "aws_backup_selection",
        "aws_backup_vault_lock_configuration", "aws_backup_region_settings",
        "aws_iam_role_policy_attachment",
    } <= set(stack_json(probes["kit"][1])["resource"])
    assert "stacks/kit/cdk.tf.json" in outputs["kit"]
    assert outputs["kit"] == outputs["bindings"]
