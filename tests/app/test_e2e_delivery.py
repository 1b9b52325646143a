"""End to end: the GitHub Actions delivery rehearsed on the kit's emulator.

In a folder laid out like a checkout (``constructs`` and ``cdktf.out``), with
the real terraform, AWS provider and ci tool, in the background
(support/background.py):

1. the bootstrap block of constructs/docs/deploy-from-github-actions.md, as
   written: the bootstrap stack applied on local state, then
2. migrated into the bucket it created (``terraform init -migrate-state``):
   the state object is there, SSE-KMS under the state key, no local copy left;
3. the page's workstation block, as written: the environments synthesized with
   the S3 backend, dev planned, guarded and its plan bundle saved (the deploy
   workflow's plan step), the summary;
4. apply the saved plan: the workflow's apply step as written, with the digest
   the plan step wrote to its outputs. While the apply holds the lock, a second
   plan that will not wait fails on it, and one that waits (as ``ci plan``
   does, 5 minutes) gets the lock once the apply lets go: it is the clean
   re-plan (``-detailed-exitcode`` 0);
5. apply the first plan again: stale, refused, nothing changed;
6. nothing lost: the items written after the apply, the bootstrap's and dev's
   state (with its earlier versions), no lock left behind.

moto records every request (its recorder): each command runs under its own
access key, so the calls the provider made while applying and while
re-planning are compared with what the derived apply and plan roles allow.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
import yaml

from dynamodb_kit.delivery.deploy_actions import deploy_permissions
from dynamodb_kit_tools.terraform_runner import find_provider_mirror, write_cli_config
from stacks.delivery import DELIVERY
from support import api_calls, background
from support.e2e import FASTER_PROVIDER

from helpers import REPO, shell_env

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]

ENV = "dev"
# One access key per role played, so the recording tells the callers apart.
ADMIN, PLANNER, APPLIER, WAITER = "rehearsal-admin", "rehearsal-plan", "rehearsal-apply", "rehearsal-wait"
# Calls that need no permission: sts:GetCallerIdentity never does, and the
# provider tries iam:GetUser for the account id (with the emulator's
# skip_credentials_validation) and falls back to STS when it is refused.
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity", "iam:GetUser"}
STATE_ACTIONS = {"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}


@dataclass
class Step:
    name: str
    command: str
    exit: int
    output: str = ""
    seconds: float = 0.0


@dataclass
class Rehearsal:
    steps: list[Step] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


PAGE = REPO / "constructs" / "docs" / "deploy-from-github-actions.md"
# What the rehearsal's checkout holds of the repository (the rest it makes itself).
CHECKOUT_LINKS = ("Pipfile", "Pipfile.lock", ".venv", "stacks", "constructs", "main.py", "cdktf.json")


def page_blocks() -> list[str]:
    """The page's shell blocks: the bootstrap, the workstation's steps."""
    return re.findall(r"^```sh\n(.*?)^```", PAGE.read_text(), flags=re.S | re.M)


def workflow_step(job: str, name_start: str) -> dict:
    """A step of the deploy workflow, as written."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "deploy.yml").read_text())
    return next(s for s in workflow["jobs"][job]["steps"] if s.get("name", "").startswith(name_start))


def bucket_policy_check(s3) -> dict[str, bool]:
    """The emulator's correction: a conditional Deny is left out, an unconditional one still denies."""
    found = {}
    for name, condition in (("conditional", {"Bool": {"aws:SecureTransport": "false"}}), ("unconditional", None)):
        bucket = f"rehearsal-policy-{name}"
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="k", Body=b"v")
        statement = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
                     "Resource": f"arn:aws:s3:::{bucket}/*", **({"Condition": condition} if condition else {})}
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
        try:
            found[name] = s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
        except s3.exceptions.ClientError:
            found[name] = False
    return found


@background.flow(__name__, "delivery", waits=True, emulator=True)
def delivery_flow(context: background.Context) -> Rehearsal:
    endpoint = context.emulator.endpoint_url
    work = context.work
    checkout = work / "checkout"  # the repository as a reader has it, its outputs its own
    checkout.mkdir()
    for name in CHECKOUT_LINKS:
        (checkout / name).symlink_to(REPO / name)
    cli_config = write_cli_config(work / "terraformrc", find_provider_mirror(), plugin_cache=work / "plugins")
    base_env = {
        **{k: v for k, v in shell_env(context.env).items() if not k.startswith(("DYNAMODB_KIT_STATE", "AWS_", "GITHUB_",
                                                                      "CDKTF_OUTDIR", "TF_"))},
        **FASTER_PROVIDER,
        "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
        "AWS_ENDPOINT_URL": endpoint, "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
    }
    result = Rehearsal()
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=ADMIN, aws_secret_access_key="test")
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id=ADMIN, aws_secret_access_key="test")

    def env(access_key: str, **extra: str) -> dict[str, str]:
        return {**base_env, "AWS_ACCESS_KEY_ID": access_key, **extra}

    def run(name: str, command: list[str] | str, cwd: Path, environment: dict, *, check: bool = True) -> Step:
        started = time.monotonic()
        if isinstance(command, str):  # a block of a page or a workflow's run:, in bash, stopping at a failure
            command = ["bash", "-e", "-o", "pipefail", "-c", command]
        done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
        shown = command[-1] if command[0] == "bash" else " ".join(str(c).replace(str(work), "$WORK") for c in command)
        step = Step(name, shown, done.returncode, done.stdout[-60000:] + done.stderr[-20000:],
                    round(time.monotonic() - started, 1))
        result.steps.append(step)
        if check and done.returncode != 0:
            raise AssertionError(f"{name}: exit {done.returncode}\n{step.output}")
        return step

    def terraform(name: str, cwd: Path, *args: str, access_key: str = ADMIN, check: bool = True) -> Step:
        return run(name, ["terraform", *args, "-no-color"], cwd, env(access_key), check=check)

    api_calls.start(endpoint)
    try:
        # 1-2. The page's bootstrap block, as written: applied on local state,
        #      then migrated into the bucket it created.
        bootstrap_block, workstation_block = page_blocks()
        run("doc: the one-time bootstrap block", bootstrap_block, checkout, env(ADMIN))
        boot = checkout / "cdktf.out" / "bootstrap"
        result.data["bootstrap_backend"] = json.loads((boot / "cdk.tf.json").read_text())["terraform"]["backend"]
        outputs = json.loads(terraform("terraform output (bootstrap, from S3)", boot, "output", "-json").output)
        bucket, key_arn = outputs["StateBucketName"]["value"], outputs["StateKeyArn"]["value"]
        listed = terraform("terraform state list (bootstrap, from S3)", boot, "state", "list").output.split()
        head = s3.head_object(Bucket=bucket, Key=f"{DELIVERY.state_prefix}/bootstrap.tfstate")
        result.data["migration"] = {
            "listed": len(listed), "local_state_left": sorted(p.name for p in checkout.glob("*.tfstate*")),
            "sse": head.get("ServerSideEncryption"), "sse_key": head.get("SSEKMSKeyId"), "key_arn": key_arn,
        }
        base_env.update({"DYNAMODB_KIT_STATE_BUCKET": bucket, "DYNAMODB_KIT_STATE_KMS_KEY_ARN": key_arn})
        result.data["bucket_policy_check"] = bucket_policy_check(s3)

        # 3. The page's workstation block, as written: the environments with the
        #    S3 backend, dev planned, guarded and saved, the summary.
        outputs_file = work / "github_output"
        run("doc: the workstation block (synthesize, ci plan dev, ci summary)", workstation_block, checkout,
            env(PLANNER, GITHUB_OUTPUT=str(outputs_file)))
        dev_stack = json.loads((checkout / "cdktf.out" / "stacks" / ENV / "cdk.tf.json").read_text())
        result.data["dev_stack"] = dev_stack
        result.data["workstation_output"] = result.steps[-1].output
        digest = re.search(r"^sha256=(\w+)$", outputs_file.read_text(), re.M).group(1)
        bundle = checkout / "cdktf.out" / "plans" / ENV
        result.data["first_plan"] = json.loads((bundle / "summary.json").read_text())
        result.data["bundle_files"] = sorted(p.name for p in bundle.iterdir())

        # 4. Apply that plan (the workflow's step, its digest from the plan's output);
        #    meanwhile a plan that will not wait, and one that does.
        apply_step = workflow_step(f"apply-{ENV}", "Check the plan bundle")
        apply_env = env(APPLIER, **{**apply_step["env"], "PLAN_SHA256": digest})
        started = time.monotonic()
        applying = subprocess.Popen(apply_step["run"], shell=True, executable="/bin/bash", cwd=checkout,
                                    env=apply_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lock_key = f"{DELIVERY.state_prefix}/{ENV}.tfstate.tflock"
        while applying.poll() is None and "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix=lock_key):
            time.sleep(0.2)
        result.data["lock_seen_while_applying"] = applying.poll() is None
        stack_dir = checkout / "cdktf.out" / "stacks" / ENV
        terraform("second plan while the apply holds the lock (-lock-timeout=0s)", stack_dir, "plan",
                  "-input=false", "-lock-timeout=0s", access_key=PLANNER, check=False)
        result.data["apply_still_running"] = applying.poll() is None
        waiting = subprocess.Popen(
            ["terraform", "plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode", "-no-color"],
            cwd=stack_dir, env=env(WAITER), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(1)
        # The waiting plan started while the apply held the lock, and is still waiting.
        result.data["waiter_started_during_apply"] = applying.poll() is None and waiting.poll() is None
        applied_output = applying.communicate()[0]
        result.steps.append(Step("ci apply dev (workflow step)", apply_step["run"], applying.returncode,
                                 applied_output[-6000:], round(time.monotonic() - started, 1)))
        waited_output = waiting.communicate()[0]
        result.steps.append(Step("re-plan waiting for the lock (-lock-timeout=5m -detailed-exitcode)",
                                 "terraform plan -input=false -lock-timeout=5m -detailed-exitcode",
                                 waiting.returncode, waited_output[-6000:], round(time.monotonic() - started, 1)))
        if applying.returncode:
            raise AssertionError(f"apply failed:\n{applied_output}")

        # Items written by the application after the deploy.
        table = next(t["name"] for t in dev_stack["resource"]["aws_dynamodb_table"].values())
        keys = [k for k in dev_stack["resource"]["aws_dynamodb_table"].values() if k["name"] == table][0]
        item_keys = {keys["hash_key"]: {"S": "k"}, **({keys["range_key"]: {"S": "r"}} if "range_key" in keys else {})}
        for i in range(5):
            dynamodb.put_item(TableName=table, Item={**item_keys, keys["hash_key"]: {"S": f"k{i}"}})
        state_key = f"{DELIVERY.state_prefix}/{ENV}.tfstate"
        before = s3.head_object(Bucket=bucket, Key=state_key)["ETag"]

        # 5. The first plan again: stale.
        run("ci apply dev, the first plan again (stale)", apply_step["run"], checkout, apply_env, check=False)
        result.data["stale"] = {"state_unchanged": s3.head_object(Bucket=bucket, Key=state_key)["ETag"] == before}

        # 6. Nothing lost.
        versions = s3.list_object_versions(Bucket=bucket, Prefix=state_key).get("Versions", [])
        result.data["nothing_lost"] = {
            "items": dynamodb.scan(TableName=table, Select="COUNT")["Count"],
            "dev_state_versions": len([v for v in versions if v["Key"] == state_key]),
            "locks_left": [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
                           if o["Key"].endswith(".tflock")],
            "bootstrap_resources": len(terraform("terraform state list (bootstrap, at the end)", boot,
                                                 "state", "list").output.split()),
            "tables": sorted(dynamodb.list_tables()["TableNames"]),
        }
    finally:
        try:
            result.data["calls"] = api_calls.actions_by_caller(api_calls.download(endpoint))
        finally:
            api_calls.stop(endpoint)
    return result


@pytest.fixture(scope="module")
def rehearsal() -> Rehearsal:
    return background.result("delivery")


def test_every_step_exits_as_the_issue_says(rehearsal):
    table = [(s.name, s.exit, s.seconds) for s in rehearsal.steps]
    print("\n" + "\n".join(f"| {name} | {code} | {seconds} s |" for name, code, seconds in table))
    assert [(name, code) for name, code, _ in table] == [
        ("doc: the one-time bootstrap block", 0),
        ("terraform output (bootstrap, from S3)", 0),
        ("terraform state list (bootstrap, from S3)", 0),
        ("doc: the workstation block (synthesize, ci plan dev, ci summary)", 0),
        ("second plan while the apply holds the lock (-lock-timeout=0s)", 1),
        ("ci apply dev (workflow step)", 0),
        ("re-plan waiting for the lock (-lock-timeout=5m -detailed-exitcode)", 0),
        ("ci apply dev, the first plan again (stale)", 1),
        ("terraform state list (bootstrap, at the end)", 0),
    ]


def test_the_bootstrap_starts_local_and_moves_into_its_bucket(rehearsal):
    output = rehearsal.step("doc: the one-time bootstrap block").output
    applied = int(re.search(r"Apply complete! Resources: (\d+) added, 0 changed, 0 destroyed", output).group(1))
    assert output.count('Successfully configured the backend "local"') == 1
    assert output.count('Successfully configured the backend "s3"') == 1
    backend = rehearsal.data["bootstrap_backend"]["s3"]
    assert backend["key"] == f"{DELIVERY.state_prefix}/bootstrap.tfstate" and backend["use_lockfile"] is True
    migration = rehearsal.data["migration"]
    assert migration["listed"] >= applied >= 20  # every resource (and the data sources) read back from S3
    assert migration["sse"] == "aws:kms" and migration["sse_key"] == migration["key_arn"]
    assert migration["local_state_left"] == []


def test_the_emulator_leaves_out_only_conditional_bucket_policy_statements(rehearsal):
    assert rehearsal.data["bucket_policy_check"] == {"conditional": True, "unconditional": False}


def test_dev_is_planned_guarded_saved_and_applied_from_s3(rehearsal):
    backend = rehearsal.data["dev_stack"]["terraform"]["backend"]["s3"]
    assert backend["key"] == f"{DELIVERY.state_prefix}/dev.tfstate" and backend["use_lockfile"] is True
    assert backend["encrypt"] is True and backend["kms_key_id"] == rehearsal.data["migration"]["key_arn"]
    first = rehearsal.data["first_plan"]
    created = sum(len(v) for v in rehearsal.data["dev_stack"]["resource"].values())
    assert (first["add"], first["change"], first["destroy"], first["guard"]["status"]) == (created, 0, 0, 0)
    assert "plan guard: no unapproved deletion or replacement" in first["guard"]["output"]
    assert rehearsal.data["bundle_files"] == [".terraform.lock.hcl", "SHA256SUMS", "cdk.tf.json", "summary.json",
                                              "tfplan"]
    assert f"| dev | {created} | 0 | 0 | 0 | passed |" in rehearsal.data["workstation_output"]
    assert f"Apply complete! Resources: {created} added, 0 changed, 0 destroyed." in rehearsal.step(
        "ci apply dev (workflow step)").output


def test_a_second_plan_fails_on_the_lock_or_waits_for_it(rehearsal):
    assert rehearsal.data["lock_seen_while_applying"] and rehearsal.data["apply_still_running"]
    assert rehearsal.data["waiter_started_during_apply"]
    refused = rehearsal.step("second plan while the apply holds the lock (-lock-timeout=0s)").output
    assert "Error acquiring the state lock" in refused
    replan = rehearsal.step("re-plan waiting for the lock (-lock-timeout=5m -detailed-exitcode)").output
    assert "Acquiring state lock. This may take a few moments..." in replan
    assert "No changes. Your infrastructure matches the configuration." in replan


def test_a_stale_plan_fails_and_changes_nothing(rehearsal):
    stale = rehearsal.step("ci apply dev, the first plan again (stale)")
    assert "Saved plan is stale" in stale.output
    assert rehearsal.data["stale"]["state_unchanged"]


def test_nothing_is_lost(rehearsal):
    kept = rehearsal.data["nothing_lost"]
    assert kept["items"] == 5
    assert kept["dev_state_versions"] >= 1 and kept["locks_left"] == []
    assert kept["bootstrap_resources"] == rehearsal.data["migration"]["listed"]
    dev_tables = sorted(t["name"] for t in rehearsal.data["dev_stack"]["resource"]["aws_dynamodb_table"].values())
    assert set(dev_tables) <= set(kept["tables"])


def test_the_provider_called_only_what_the_derived_roles_allow(rehearsal):
    """The independent check of deploy_actions.py: what the provider really
    called (on the emulator) while applying and re-planning dev."""
    permissions = deploy_permissions(rehearsal.data["dev_stack"], name_prefix="dev-")
    calls = rehearsal.data["calls"]
    applied = set(calls[APPLIER]) - NEEDS_NO_PERMISSION
    replanned = set(calls[WAITER]) - NEEDS_NO_PERMISSION
    print(f"\napply called {len(applied)} actions: {sorted(applied)}\nre-plan called {len(replanned)}: "
          f"{sorted(replanned)}")
    assert applied - (permissions.actions("apply") | STATE_ACTIONS) == set()
    assert replanned - (permissions.actions("plan") | STATE_ACTIONS) == set()
    # Not vacuous: the apply created tables, keys, roles, log groups, alarms, the pool.
    for action in ("dynamodb:CreateTable", "kms:CreateKey", "iam:CreateRole", "iam:PutRolePolicy",
                   "logs:CreateLogGroup", "cognito-identity:CreateIdentityPool", "s3:PutObject"):
        assert action in applied, action
    assert {"dynamodb:DescribeTable", "kms:GetKeyPolicy", "iam:GetRole", "s3:GetObject"} <= replanned
