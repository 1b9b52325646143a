"""Delivery, the library side: remote state, the state bucket, GitHub OIDC,
deploy roles and the derivation of their actions, and the ci tool's own
refusals (the app's bootstrap and its proofs: tests/app/test_delivery_iam.py;
the rehearsal: tests/app/test_e2e_delivery.py)."""

from __future__ import annotations

import hashlib
import json

import pytest
from cdktf import Testing

from dynamodb_kit import (
    DeployRoleProps,
    GitHubRepository,
    RemoteStateProps,
    StateAccess,
    StateBucket,
    StateBucketProps,
    ValidationError,
    add_aws_provider,
    add_remote_state,
    deploy_permissions,
)
from dynamodb_kit_tools import ci

from helpers import resources

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
REPO = GitHubRepository(owner="acme", name="data", owner_id=11, repository_id=22)


def stack_with(**resource_types) -> dict:
    return {"provider": {"aws": [{"region": "us-east-1"}]}, "resource": resource_types}


# --- remote state ---------------------------------------------------------------

def test_the_s3_backend_has_its_key_encryption_and_native_lock(stack):
    add_remote_state(stack, RemoteStateProps(bucket="acme-state", kms_key_arn=KEY, region="eu-west-1"), "dev")
    assert json.loads(Testing.synth(stack))["terraform"]["backend"] == {"s3": {
        "bucket": "acme-state", "key": "dynamodb-kit/dev.tfstate", "region": "eu-west-1", "encrypt": True,
        "kms_key_id": KEY, "use_lockfile": True,
    }}


def test_an_emulator_endpoint_reaches_the_backend(stack):
    add_remote_state(stack, RemoteStateProps(bucket="acme-state", kms_key_arn=KEY, region="us-east-1",
                                             prefix="team/kit", endpoint_url="http://127.0.0.1:5000"), "prod")
    backend = json.loads(Testing.synth(stack))["terraform"]["backend"]["s3"]
    assert backend["key"] == "team/kit/prod.tfstate"
    assert backend["endpoints"] == {"s3": "http://127.0.0.1:5000", "sts": "http://127.0.0.1:5000"}
    assert backend["use_path_style"] is True and backend["skip_credentials_validation"] is True


def test_the_backend_comes_from_the_environment(monkeypatch):
    for name in ("DYNAMODB_KIT_STATE_BUCKET", "DYNAMODB_KIT_STATE_KMS_KEY_ARN", "DYNAMODB_KIT_STATE_REGION",
                 "DYNAMODB_KIT_STATE_PREFIX", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    assert RemoteStateProps.from_environment("us-east-1") is None
    monkeypatch.setenv("DYNAMODB_KIT_STATE_BUCKET", "acme-state")
    with pytest.raises(ValidationError) as raised:
        RemoteStateProps.from_environment("us-east-1")
    assert str(raised.value) == (
        "environment: DYNAMODB_KIT_STATE_KMS_KEY_ARN=None is not set but DYNAMODB_KIT_STATE_BUCKET is; the state "
        "must be encrypted with its key; set DYNAMODB_KIT_STATE_KMS_KEY_ARN to the bootstrap stack's StateKeyArn output")
    monkeypatch.setenv("DYNAMODB_KIT_STATE_KMS_KEY_ARN", KEY)
    assert RemoteStateProps.from_environment("eu-west-1") == RemoteStateProps(
        bucket="acme-state", kms_key_arn=KEY, region="eu-west-1")


@pytest.mark.parametrize("field, value, message", [
    ("bucket", "arn:aws:s3:::acme", "RemoteStateProps: bucket='arn:aws:s3:::acme' is not an S3 bucket name "
     "(3-63 of a-z, 0-9, '.', '-'); give the state bucket's name, not its ARN or URL"),
    ("kms_key_arn", "alias/state", "RemoteStateProps: kms_key_arn='alias/state' is not a KMS key ARN; give the "
     "full ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, or a Terraform "
     "reference"),
    ("prefix", "/kit/", "RemoteStateProps: prefix='/kit/' is not a key prefix of safe characters without a "
     "leading or trailing '/'; use e.g. dynamodb-kit or team/dynamodb-kit"),
])
def test_a_wrong_remote_state_names_the_field(field, value, message):
    valid = dict(bucket="acme-state", kms_key_arn=KEY, region="us-east-1")
    with pytest.raises(ValidationError) as raised:
        RemoteStateProps(**{**valid, field: value})
    assert str(raised.value) == message


# --- the state bucket ---------------------------------------------------------------

def test_the_state_bucket_is_versioned_encrypted_private_owner_enforced_and_tls_only(stack):
    add_aws_provider(stack, region="us-east-1")
    StateBucket(stack, "State", StateBucketProps(bucket_name="acme-state"))
    synthesized = json.loads(Testing.synth(stack))
    (bucket,) = resources(synthesized, "aws_s3_bucket").values()
    assert bucket["bucket"] == "acme-state" and bucket["lifecycle"] == {"prevent_destroy": True}
    (key,) = resources(synthesized, "aws_kms_key").values()
    assert key["enable_key_rotation"] is True and key["lifecycle"] == {"prevent_destroy": True}
    (versioning,) = resources(synthesized, "aws_s3_bucket_versioning").values()
    assert versioning["versioning_configuration"] == {"status": "Enabled"}
    (encryption,) = resources(synthesized, "aws_s3_bucket_server_side_encryption_configuration").values()
    (rule,) = encryption["rule"]
    assert rule["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"
    assert rule["apply_server_side_encryption_by_default"]["kms_master_key_id"].startswith("${aws_kms_key.")
    assert rule["bucket_key_enabled"] is True
    (block,) = resources(synthesized, "aws_s3_bucket_public_access_block").values()
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                           "restrict_public_buckets"))
    (ownership,) = resources(synthesized, "aws_s3_bucket_ownership_controls").values()
    assert ownership["rule"] == {"object_ownership": "BucketOwnerEnforced"}
    (policy,) = resources(synthesized, "aws_s3_bucket_policy").values()
    (statement,) = json.loads(policy["policy"])["Statement"]
    assert (statement["Effect"], statement["Action"], statement["Condition"]) == (
        "Deny", "s3:*", {"Bool": {"aws:SecureTransport": "false"}})


# --- GitHub OIDC and deploy roles ---------------------------------------------------------

def test_a_repository_has_a_classic_and_an_immutable_subject():
    assert REPO.subjects("environment:prod") == ("repo:acme/data:environment:prod",
                                                 "repo:acme@11/data@22:environment:prod")
    with pytest.raises(ValidationError) as raised:
        REPO.subjects("ref:refs/tags/*")
    assert str(raised.value) == ("acme/data: context='ref:refs/tags/*' is not a GitHub OIDC subject context this "
                                 "kit trusts; use pull_request, ref:refs/heads/BRANCH or environment:NAME")


def role_props(**changes) -> DeployRoleProps:
    valid = dict(
        role_name="kit-dev-apply", phase="apply", contexts=("environment:dev",),
        oidc_provider_arn="arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        repository=REPO, permissions=deploy_permissions(stack_with(), "dev-"),
        state=StateAccess(bucket_arn="arn:aws:s3:::acme-state", kms_key_arn=KEY, key="kit/dev.tfstate",
                          region="us-east-1"),
    )
    return DeployRoleProps(**{**valid, **changes})


@pytest.mark.parametrize("changes, message", [
    (dict(role_name="dev-deployer"), "DeployRoleProps: role_name='dev-deployer' starts with the stack's name prefix "
     "'dev-', so the role could rewrite its own policy; name deploy roles outside the prefix, e.g. "
     "dynamodb-kit-<env>-apply"),
    (dict(contexts=("environment:dev", "pull_request")), "DeployRoleProps: contexts[1]='pull_request' lets a job "
     "without a GitHub Environment (and its required reviewers) apply; trust only environment:<name> for an apply "
     "role"),
    (dict(contexts=()), "DeployRoleProps: contexts=() is empty: nobody could assume the role; trust e.g. "
     "('environment:prod',)"),
    (dict(max_session_hours=13), "DeployRoleProps: max_session_hours=13 is outside IAM's 1-12 hours; choose 1 (the "
     "default) unless a deploy takes longer"),
])
def test_a_deploy_role_refuses_what_would_weaken_it(changes, message):
    with pytest.raises(ValidationError) as raised:
        role_props(**changes)
    assert str(raised.value) == message


def test_a_plan_role_may_trust_pull_requests_and_main():
    assert role_props(phase="plan", contexts=("pull_request", "ref:refs/heads/main")).phase == "plan"


# --- what a deploy role may do, derived from a stack ------------------------------------------

TABLE = {"name": "dev-Orders", "server_side_encryption": {"kms_key_arn": "${aws_kms_key.K.arn}"}}


def test_a_stack_of_one_table_needs_the_tables_actions_and_the_service_grants():
    permissions = deploy_permissions(stack_with(aws_dynamodb_table={"T": TABLE}), "dev-")
    assert permissions.actions("plan") == {"dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups",
                                           "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"}
    assert permissions.actions("apply") - permissions.actions("plan") == {
        "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups",
        "dynamodb:UpdateTimeToLive", "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:DeleteTable",
        "kms:DescribeKey", "kms:CreateGrant"}
    grants = [p for p in permissions.write if "kms:CreateGrant" in p.actions]
    assert grants[0].condition == (("StringEquals", "kms:ViaService", ("dynamodb.us-east-1.amazonaws.com",)),)
    assert permissions.write[0].resources == ("arn:{partition}:dynamodb:us-east-1:{account}:table/dev-*",)


def test_prevent_destroy_takes_the_delete_away():
    protected = {**TABLE, "lifecycle": {"prevent_destroy": True}}
    assert "dynamodb:DeleteTable" not in deploy_permissions(
        stack_with(aws_dynamodb_table={"T": protected}), "dev-").actions("apply")
    assert "dynamodb:DeleteTable" in deploy_permissions(
        stack_with(aws_dynamodb_table={"T": protected, "U": {"name": "dev-U"}}), "dev-").actions("apply")


def test_keys_can_be_held_to_the_stacks_own_tag():
    stack = stack_with(aws_kms_key={"K": {}})
    stack["provider"]["aws"][0]["default_tags"] = [{"tags": {"Environment": "dev"}}]
    tagged = [p for p in deploy_permissions(stack, "dev-", scope_tag="Environment").write
              if "kms:ScheduleKeyDeletion" in p.actions]
    assert tagged[0].condition == (("StringEquals", "aws:ResourceTag/Environment", ("dev",)),)
    assert tagged[0].actions == ("kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
                                 "kms:UntagResource", "kms:UpdateKeyDescription")
    untagged = [p for p in deploy_permissions(stack, "dev-").write if "kms:ScheduleKeyDeletion" in p.actions]
    assert untagged[0].condition == ()
    with pytest.raises(ValidationError) as raised:
        deploy_permissions(stack, "dev-", scope_tag="Team")
    assert str(raised.value) == (
        "stack: provider.aws.default_tags='Team' is not a default tag of every aws provider of the stack, with one "
        "value; give the stack's providers default_tags that include it, or pass scope_tag=None")


def test_roles_are_passed_as_the_stack_passes_them():
    stack = stack_with(
        aws_iam_role={"B": {"name_prefix": "dev-backup-"}},
        aws_backup_selection={"S": {"iam_role_arn": "${aws_iam_role.B.arn}"}},
    )
    (passing,) = [p for p in deploy_permissions(stack, "dev-").write if p.actions == ("iam:PassRole",)]
    assert passing.resources == ("arn:{partition}:iam::{account}:role/dev-backup-*",)
    assert passing.condition == (("StringEquals", "iam:PassedToService", ("backup.amazonaws.com",)),)
    foreign = stack_with(aws_backup_selection={"S": {"iam_role_arn": "arn:aws:iam::123456789012:role/admin"}})
    with pytest.raises(ValidationError, match="passes a role that this stack does not create"):
        deploy_permissions(foreign, "dev-")


@pytest.mark.parametrize("stack, message", [
    (stack_with(aws_lambda_function={"F": {"function_name": "dev-f"}}),
     "stack: resource='aws_lambda_function' is a resource type the deploy roles do not know; add its actions to "
     "RESOURCE_NEEDS in dynamodb_kit/delivery/deploy_actions.py"),
    ({**stack_with(), "data": {"aws_s3_object": {}}},
     "stack: data='aws_s3_object' is a data source the deploy roles do not know; add what it reads to "
     "dynamodb_kit/delivery/deploy_actions.py"),
    (stack_with(aws_dynamodb_table={"T": {"name": "Orders"}}),
     "stack: aws_dynamodb_table.T.name='Orders' does not start with 'dev-', so the deploy roles could not manage "
     "it; name it dev-..., or choose the stack's name prefix accordingly"),
    (stack_with(aws_dynamodb_table={"T": {"name": "dev-T", "restore_source_name": "prod-T"}}),
     "stack: aws_dynamodb_table.T='restore' is a restore, which needs data-plane access to both tables; apply "
     "restores as an administrator, then remove the restore attributes"),
])
def test_what_the_derivation_cannot_scope_is_an_error(stack, message):
    with pytest.raises(ValidationError) as raised:
        deploy_permissions(stack, "dev-")
    assert str(raised.value) == message


# --- the ci tool's refusals ---------------------------------------------------------------

S3_BACKEND = {"backend": {"s3": {"bucket": "b", "key": "k", "encrypt": True, "kms_key_id": KEY,
                                 "use_lockfile": True}}}


def test_ci_plans_against_the_remote_state_only():
    with pytest.raises(ci.CiError, match=r"dev: the stack's backend is \['local'\], not s3"):
        ci.check_remote_state({"terraform": {"backend": {"local": {"path": "x"}}}}, "dev")
    unlocked = {"backend": {"s3": {**S3_BACKEND["backend"]["s3"], "use_lockfile": False}}}
    with pytest.raises(ci.CiError, match="must set use_lockfile, encrypt and kms_key_id"):
        ci.check_remote_state({"terraform": unlocked}, "dev")
    assert ci.check_remote_state({"terraform": S3_BACKEND}, "dev")["use_lockfile"] is True


@pytest.mark.parametrize("stack, named", [
    ({"terraform": {"required_providers": {"external": {"source": "hashicorp/external"}}}},
     "provider external (hashicorp/external)"),
    ({"data": {"external": {"x": {"program": ["sh"]}}}}, "data source type external"),
    ({"module": {"m": {"source": "git::https://example.com/m"}}}, "module m"),
    ({"resource": {"aws_s3_bucket": {"b": {"provisioner": [{"local-exec": {"command": "id"}}]}}}},
     "provisioner in aws_s3_bucket.b"),
    ({"terraform": {"required_providers": {"aws": {"source": "evil/aws"}}}}, "provider aws (evil/aws)"),
])
def test_ci_runs_the_aws_provider_and_nothing_else(stack, named):
    with pytest.raises(ci.CiError) as raised:
        ci.check_stack_runs_nothing_else(stack, "dev")
    assert named in str(raised.value)
    ci.check_stack_runs_nothing_else({"terraform": {"required_providers": {"aws": {"source": "aws"}}},
                                      "provider": {"aws": [{}]}, "resource": {"aws_s3_bucket": {"b": {}}}}, "dev")


@pytest.fixture
def bundle(tmp_path):
    directory = tmp_path / "dev"
    directory.mkdir()
    for name in ci.BUNDLE_FILES:
        (directory / name).write_text(f"{name} contents\n")
    return directory, ci.write_sums(directory)


def test_a_bundle_is_applied_only_as_it_was_planned(bundle):
    directory, digest = bundle
    assert digest == hashlib.sha256((directory / "SHA256SUMS").read_bytes()).hexdigest()
    ci.verify_bundle(directory, digest)
    with pytest.raises(ci.CiError, match="does not match the digest the plan job reported"):
        ci.verify_bundle(directory, "0" * 64)
    (directory / "tfplan").write_text("another plan\n")
    with pytest.raises(ci.CiError, match=r"tfplan: does not match SHA256SUMS; not applying"):
        ci.verify_bundle(directory, digest)


def test_the_summary_counts_each_environment_and_its_guard(tmp_path):
    plan = {"resource_changes": [
        {"address": "aws_dynamodb_table.T", "change": {"actions": ["delete", "create"]}},
        {"address": "aws_iam_role.R", "change": {"actions": ["update"]}},
        {"address": "aws_kms_key.K", "change": {"actions": ["no-op"]}},
        {"address": "aws_s3_bucket.B", "change": {"actions": ["create"]}},
    ]}
    counts = ci.count_changes(plan)
    assert {k: counts[k] for k in ("add", "change", "destroy", "replace")} == {
        "add": 2, "change": 1, "destroy": 1, "replace": 1}
    for env, status in (("dev", 0), ("prod", 1)):
        (tmp_path / env).mkdir()
        (tmp_path / env / "summary.json").write_text(json.dumps(
            {"environment": env, **counts, "guard": {"status": status, "output": f"guard of {env}\n"}}))
    text = ci.summary_markdown(tmp_path)
    assert text.startswith(ci.COMMENT_MARKER)
    assert "| dev | 2 | 1 | 1 | 1 | passed |" in text and "| prod | 2 | 1 | 1 | 1 | blocked |" in text
    assert "delete/create: aws_dynamodb_table.T" in text and "guard of prod" in text
