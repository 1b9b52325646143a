"""The bootstrap stack as synthesized: terraform validate against the real
provider schema, checkov, its backend (local, then S3), and the environments'
JSON unchanged when no S3 backend is configured."""

from __future__ import annotations

import json

import pytest

from stacks.bootstrap_stack import synth_bootstrap, synthesized_environments
from stacks.delivery import DELIVERY, DeliveryConfig
from stacks.environments import ENVIRONMENTS

from helpers import resources
from support import background
from support.stack_checks import stack_checks_flow

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
STATE_ENV = ("DYNAMODB_KIT_STATE_BUCKET", "DYNAMODB_KIT_STATE_KMS_KEY_ARN", "DYNAMODB_KIT_STATE_REGION",
             "DYNAMODB_KIT_STATE_PREFIX", "AWS_ENDPOINT_URL")


@pytest.fixture(scope="module")
def environments(stacks_json) -> dict[str, dict]:
    # The session's one synth of the app (what synthesized_environments() returns).
    return stacks_json


background.flow(__name__, "stack_checks")(stack_checks_flow)


@pytest.mark.terraform
@pytest.mark.background
def test_terraform_validate_accepts_the_bootstrap(bootstrap_dir):
    checks = background.result("stack_checks")
    assert checks.validate_error == "" and "bootstrap" in checks.validated
    # What was validated is the bootstrap stack the other tests read.
    assert (checks.stacks / "bootstrap" / "cdk.tf.json").read_text() == (
        bootstrap_dir / "bootstrap" / "cdk.tf.json").read_text()


@pytest.mark.background
def test_checkov_finds_nothing_in_the_bootstrap():
    checks = background.result("stack_checks")
    bootstrap = checks.checkov["bootstrap"]
    assert bootstrap["failed"] == [], json.dumps(bootstrap["failed"], indent=1)[:3000]
    assert len(bootstrap["passed"]) >= 30 and checks.checkov_exit == 0


def test_the_bootstrap_holds_the_bucket_the_provider_and_two_roles_per_environment(bootstrap_dir):
    stack = json.loads((bootstrap_dir / "bootstrap" / "cdk.tf.json").read_text())
    assert stack["terraform"]["backend"] == {"local": {"path": "../../terraform.bootstrap.tfstate"}}
    names = sorted(r["name"] for r in resources(stack, "aws_iam_role").values())
    assert names == sorted(DELIVERY.role_name(e, p) for e in ENVIRONMENTS for p in ("plan", "apply"))
    (bucket,) = resources(stack, "aws_s3_bucket").values()
    assert bucket["bucket"] == DELIVERY.state_bucket
    assert set(stack["output"]) == {"StateBucketName", "StateKeyArn", "GitHubOidcProviderArn"} | {
        f"{e}{p}RoleArn" for e in ENVIRONMENTS for p in ("Plan", "Apply")}


def test_with_the_state_configured_every_stack_uses_its_own_s3_key(monkeypatch, tmp_path, environments):
    for name in STATE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DYNAMODB_KIT_STATE_BUCKET", "acme-state")
    monkeypatch.setenv("DYNAMODB_KIT_STATE_KMS_KEY_ARN", KEY)
    remote = synthesized_environments()
    synth_bootstrap(tmp_path, DELIVERY, environments)
    remote["bootstrap"] = json.loads((tmp_path / "cdk.tf.json").read_text())
    keys = {}
    for name, stack in remote.items():
        backend = stack["terraform"]["backend"]["s3"]
        assert backend["use_lockfile"] is True and backend["encrypt"] is True and backend["kms_key_id"] == KEY
        assert backend["bucket"] == "acme-state" and "endpoints" not in backend
        keys[name] = backend["key"]
    assert keys == {name: f"dynamodb-kit/{name}.tfstate" for name in remote}
    # Apart from the backend, the same stacks as without the S3 backend.
    def without_backend(stack: dict) -> dict:  # its metadata ("//") names the backend too
        return {k: v for k, v in stack.items() if k not in ("terraform", "//")}

    for name, stack in environments.items():
        assert without_backend(remote[name]) == without_backend(stack)
        assert "local" in stack["terraform"]["backend"]


def test_an_existing_oidc_provider_is_trusted_not_created(tmp_path, environments):
    existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    config = DeliveryConfig(**{**{f: getattr(DELIVERY, f) for f in DELIVERY.__dataclass_fields__},
                               "existing_oidc_provider_arn": existing})
    stack = json.loads(synth_bootstrap(tmp_path, config, environments).read_text())
    assert "aws_iam_openid_connect_provider" not in stack["resource"]
    for role in resources(stack, "aws_iam_role").values():
        (statement,) = json.loads(role["assume_role_policy"])["Statement"]
        assert statement["Principal"] == {"Federated": existing}
    assert stack["output"]["GitHubOidcProviderArn"]["value"] == existing
