"""Helpers of the emulator (e2e) tests: clients, test stacks, terraform runs."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
from cdktf import App, LocalBackend, TerraformStack

from dynamodb_kit import Table, TableProps, add_aws_provider
from dynamodb_kit_tools.emulator import Emulator
from dynamodb_kit_tools.terraform_runner import Terraform

# The AWS provider spends most of a small plan building its schema; a lazier
# Go garbage collector cuts that CPU by about a third (peak RSS ~1 GB).
FASTER_PROVIDER = {"GOGC": "800"}


def client(emulator: Emulator, service: str):
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


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
