"""The checks ``python main.py --check`` runs on the synthesized stacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dynamodb_kit.rules import check as check_rules
from dynamodb_kit.rules.all_rules import ALL_RULES
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config

from .environments import ENVIRONMENTS

REPO = Path(__file__).resolve().parent.parent


def checkov_command(stacks_dir: Path, *extra: str) -> list[str]:
    checkov = Path(sys.executable).with_name("checkov")
    return [
        str(checkov) if checkov.exists() else "checkov",
        "--config-file", str(REPO / ".checkov.yaml"),
        "--directory", str(stacks_dir),
        *extra,
    ]


def run_checkov(stacks_dir: Path) -> int:
    return subprocess.run(checkov_command(stacks_dir, "--compact", "--quiet")).returncode


def validate_stacks(stacks_dir: Path) -> list[str]:
    """``terraform validate`` every stack, sharing one ``terraform init``."""
    if shutil.which("terraform") is None:
        print("terraform validate: skipped, terraform is not on PATH", file=sys.stderr)
        return []
    stack_files = sorted(stacks_dir.glob("*/cdk.tf.json"))
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-validate-") as tmp:
        config = write_cli_config(Path(tmp) / "terraformrc", find_provider_mirror())
        terraform = Terraform(Path(tmp) / "work", config)
        terraform.use_stack(stack_files[0])
        terraform.run("init", "-backend=false")
        for stack_file in stack_files:
            terraform.use_stack(stack_file)
            terraform.validate()
            print(f"terraform validate: {stack_file.parent.name} is valid")
    return [path.parent.name for path in stack_files]


def run_policy_rules(stacks_dir: Path) -> int:
    """The kit's own rules (dynamodb_kit.rules) on every stack; 1 on any finding."""
    findings = []
    for stack_file in sorted(stacks_dir.glob("*/cdk.tf.json")):
        env = stack_file.parent.name
        suppressions = ENVIRONMENTS[env].rule_suppressions if env in ENVIRONMENTS else ()
        for result in check_rules(json.loads(stack_file.read_text()), ALL_RULES, suppressions):
            findings.append(f"{env}: {result.rule_id}: {result.address}: {result.detail}")
    for finding in findings:
        print(f"policy rule: {finding}")
    print(f"policy rules: {len(ALL_RULES)} rules, {len(findings)} findings")
    return 1 if findings else 0
