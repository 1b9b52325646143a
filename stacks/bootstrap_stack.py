"""The bootstrap stack: what CI needs before it can deploy anything.

Applied once by an administrator (first on local state, then migrated into the
bucket it creates), and again whenever the environments need new kinds of
resources: the state bucket and its key, the account's GitHub OIDC provider,
and per environment a plan role and an apply role whose permissions are
derived from that environment's synthesized stack
(``dynamodb_kit.delivery.deploy_actions``).

    python3 -m pipenv run python -m stacks.bootstrap_stack   # writes cdktf.out/bootstrap/cdk.tf.json

``cdktf.out/bootstrap`` is the administrator's terraform working directory:
a synthesis replaces ``cdk.tf.json`` only, and keeps ``.terraform`` (its
``terraform init``), so ``terraform init -migrate-state`` can move the state
from the old backend to the new one. The backend follows the environment
stacks' configuration: local (``terraform.bootstrap.tfstate`` in the
repository root) unless ``DYNAMODB_KIT_STATE_BUCKET`` and
``DYNAMODB_KIT_STATE_KMS_KEY_ARN`` are set.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from dynamodb_kit import (
    DeployRole,
    DeployRoleProps,
    GitHubOidcProvider,
    RemoteStateProps,
    StateAccess,
    StateBucket,
    StateBucketProps,
    add_aws_provider,
    add_remote_state,
    deploy_permissions,
)
from dynamodb_kit.core.terraform import App, Construct, LocalBackend, TerraformOutput, TerraformStack
from dynamodb_kit.delivery.remote_state import state_key

from .delivery import DELIVERY, EXAMPLE_OWNER, DeliveryConfig

STACK_NAME = "bootstrap"
SCOPE_TAG = "Environment"
def default_workdir() -> Path:
    """``cdktf.out/bootstrap``, or ``$CDKTF_OUTDIR/bootstrap`` (as ``main.py``)."""
    return Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out") / "bootstrap"


def synthesized_environments(environments: Iterable[str] | None = None) -> dict[str, dict]:
    """Environment name -> its synthesized ``cdk.tf.json``, as ``main.py`` writes it."""
    from .app import build_app
    from .environments import ENVIRONMENTS

    chosen = [ENVIRONMENTS[name] for name in (environments or ENVIRONMENTS)]
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-bootstrap-") as tmp:
        app, stacks = build_app(outdir=tmp, environments=chosen)
        app.synth()
        return {name: json.loads((Path(tmp) / "stacks" / name / "cdk.tf.json").read_text()) for name in stacks}


class BootstrapStack(TerraformStack):
    """State bucket and key, GitHub OIDC provider, a plan and an apply role per environment."""

    def __init__(self, scope: Construct, config: DeliveryConfig, environments: Mapping[str, dict]) -> None:
        super().__init__(scope, STACK_NAME)
        add_aws_provider(self, region=config.region, default_tags=config.tags)
        remote = RemoteStateProps.from_environment(config.region)
        if remote is not None:
            add_remote_state(self, remote, STACK_NAME)
        else:
            # Relative to the working directory cdktf.out/bootstrap: the repository root.
            LocalBackend(self, path=f"../../terraform.{STACK_NAME}.tfstate")

        self.state = StateBucket(self, "State", StateBucketProps(bucket_name=config.state_bucket))
        provider_arn = config.existing_oidc_provider_arn
        if provider_arn is None:
            provider_arn = GitHubOidcProvider(self, "GitHubOidc").provider_arn
        TerraformOutput(self, "StateBucketName", value=config.state_bucket)
        TerraformOutput(self, "StateKeyArn", value=self.state.key_arn)
        TerraformOutput(self, "GitHubOidcProviderArn", value=provider_arn)

        self.roles: dict[tuple[str, str], DeployRole] = {}
        for env, stack_json in environments.items():
            # Every environment tags its resources Environment=<env> (stacks/environments.py).
            permissions = deploy_permissions(stack_json, name_prefix=f"{env}-", scope_tag=SCOPE_TAG)
            access = StateAccess(bucket_arn=self.state.bucket_arn, kms_key_arn=self.state.key_arn,
                                 key=state_key(config.state_prefix, env), region=config.region)
            trusted = {
                "plan": ("pull_request", f"ref:refs/heads/{config.main_branch}"),
                "apply": (f"environment:{env}",),
            }
            for phase, contexts in trusted.items():
                role = DeployRole(self, f"{env.title()}{phase.title()}Role", DeployRoleProps(
                    role_name=config.role_name(env, phase), phase=phase, oidc_provider_arn=provider_arn,
                    repository=config.repository, contexts=contexts, permissions=permissions, state=access,
                ))
                self.roles[(env, phase)] = role
                TerraformOutput(self, f"{env}{phase.title()}RoleArn", value=role.role_arn)


def build_bootstrap(
    outdir: str, config: DeliveryConfig = DELIVERY, environments: Mapping[str, dict] | None = None,
) -> tuple[App, BootstrapStack]:
    app = App(outdir=outdir)
    stack = BootstrapStack(app, config, environments if environments is not None else synthesized_environments())
    return app, stack


def synth_bootstrap(
    workdir: Path, config: DeliveryConfig = DELIVERY, environments: Mapping[str, dict] | None = None,
) -> Path:
    """Write the bootstrap stack to ``workdir/cdk.tf.json``, leaving the rest of
    the working directory (``.terraform``, the lock file) as it is."""
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-bootstrap-") as tmp:
        app, _ = build_bootstrap(tmp, config, environments)
        app.synth()
        workdir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "stacks" / STACK_NAME / "cdk.tf.json", workdir / "cdk.tf.json")
    return workdir / "cdk.tf.json"


if __name__ == "__main__":
    # python -m stacks.bootstrap_stack [WORKDIR]   (default cdktf.out/bootstrap)
    written = synth_bootstrap(Path(sys.argv[1]) if len(sys.argv) > 1 else default_workdir())
    print(f"synthesized {STACK_NAME} to {written}", flush=True)
    if DELIVERY.repository.owner == EXAMPLE_OWNER:
        print(f"note: stacks/delivery.py still names the example repository "
              f"{EXAMPLE_OWNER}/{DELIVERY.repository.name}; edit DELIVERY before you apply", file=sys.stderr)
