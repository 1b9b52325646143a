"""Helpers of the emulator (e2e) tests: clients, test stacks, terraform runs."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import boto3

from dynamodb_kit import TableProps
from dynamodb_kit_tools.emulator import Emulator
from dynamodb_kit_tools.terraform_runner import Terraform

TESTS = Path(__file__).resolve().parent.parent

# The AWS provider spends most of a small plan building its schema; a lazier
# Go garbage collector cuts that CPU by about a third (peak RSS ~1 GB).
FASTER_PROVIDER = {"GOGC": "800"}


def client(emulator: Emulator, service: str, region: str = "us-east-1"):
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def synth_tables(outdir: Path, name: str, tables: dict[str, TableProps],
                 env: dict[str, str] | None = None) -> Path:
    """Synthesize a stack ``name`` of ``tables`` (construct id -> props) with the
    emulator's provider settings (terraform then needs ``Emulator.environment``),
    in a process of its own (the flows run beside the suite's
    jsii runtime, which is not thread-safe), with ``env`` added to its
    environment; the state lives beside ``outdir``, not at cdktf's cwd default."""
    subprocess.run(
        [sys.executable, "-c", "import pickle, sys; from support.e2e import _synth; _synth(*pickle.load(sys.stdin.buffer))"],
        input=pickle.dumps((outdir, name, tables)), cwd=TESTS, check=True, capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)]), **(env or {})},
    )
    return outdir / "stacks" / name


def _synth(outdir: Path, name: str, tables: dict[str, TableProps]) -> None:
    from dynamodb_kit import Table, add_aws_provider
    from dynamodb_kit.core.terraform import App, LocalBackend, TerraformStack

    app = App(outdir=str(outdir))
    stack = TerraformStack(app, name)
    LocalBackend(stack, path=str(outdir.parent / f"{name}.tfstate"))
    add_aws_provider(stack, region="us-east-1", emulator=True)
    for construct_id, props in tables.items():
        Table(stack, construct_id, props)
    app.synth()


def plan_guard(plan: dict, plan_file: Path, stack_file: Path, *options: str) -> tuple[int, str]:
    """The plan guard's command on a saved plan's JSON: (exit code, what it printed)."""
    plan_file.write_text(json.dumps(plan))
    result = subprocess.run(
        [sys.executable, "-m", "dynamodb_kit_tools.plan_guard", str(plan_file), "--stack", str(stack_file), *options],
        capture_output=True, text=True,
    )
    return result.returncode, result.stdout


def replan_exit_code(terraform: Terraform) -> tuple[int, str]:
    """``terraform plan -detailed-exitcode``: 0 no changes, 2 changes, 1 error."""
    result = terraform.run("plan", "-detailed-exitcode", check=False)
    return result.returncode, result.stdout[-3000:] + result.stderr[-2000:]


def planned_actions(plan: dict) -> dict[str, tuple[str, ...]]:
    """Address -> actions of every resource the plan changes."""
    return {
        change["address"]: tuple(change["change"]["actions"])
        for change in plan["resource_changes"]
        if change["change"]["actions"] != ["no-op"]
    }


def applied_actions(terraform: Terraform, *options: str) -> dict[str, tuple[str, ...]]:
    """Apply; each changed resource's planned action, read from the JSON UI
    stream (one terraform run instead of plan, show and apply)."""
    stream = terraform.run("apply", "-auto-approve", "-json", *options).stdout
    events = [json.loads(line) for line in stream.splitlines() if line.startswith("{")]
    return {
        e["change"]["resource"]["addr"]: (e["change"]["action"],)
        for e in events
        if e.get("type") == "planned_change"
    }
