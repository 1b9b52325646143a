"""TEST SUPPORT: checkov and terraform validate on the app's stacks and the
bootstrap stack, as a background flow (support/background.py): both are
seconds of subprocess work that need nothing from the suite's own process.

The stacks are synthesized by the commands users run (``python main.py`` and
``python -m stacks.bootstrap_stack DIR``), in subprocesses (a flow never
calls jsii in-process); tests/app/test_stacks.py and the bindings and cdktn
tests prove that output equals the in-process synth the other tests read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dynamodb_kit_tools.terraform_runner import Terraform, TerraformError, find_provider_mirror, write_cli_config
from stacks.checks import checkov_command

REPO = Path(__file__).resolve().parent.parent.parent


@dataclass
class StackChecks:
    stacks: Path  # <name>/cdk.tf.json for dev, staging, prod and bootstrap
    checkov: dict[str, dict[str, list]] = field(default_factory=dict)  # stack -> passed/failed checks
    checkov_exit: int = -1
    validated: list[str] = field(default_factory=list)  # the stacks terraform validate accepted
    validate_error: str = ""


def stack_checks_flow(context) -> StackChecks:
    out = context.work / "cdktf.out"
    env = {**os.environ, "CDKTF_OUTDIR": str(out)}
    for command in ([sys.executable, "main.py"],
                    [sys.executable, "-m", "stacks.bootstrap_stack", str(out / "stacks" / "bootstrap")]):
        subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, text=True)
    result = StackChecks(out / "stacks")
    stack_files = sorted(result.stacks.glob("*/cdk.tf.json"))

    checkov = subprocess.run(checkov_command(result.stacks, "--output", "json"), capture_output=True, text=True)
    result.checkov_exit = checkov.returncode
    result.checkov = {path.parent.name: {"passed": [], "failed": []} for path in stack_files}
    report = json.loads(checkov.stdout)
    for outcome in ("passed", "failed"):
        for check in report["results"][f"{outcome}_checks"]:
            result.checkov[check["file_path"].split("/")[1]][outcome].append(check)

    terraform = Terraform(context.work / "validate", write_cli_config(context.work / "terraformrc",
                                                                        find_provider_mirror()))
    try:
        terraform.validate_stacks(stack_files)
        result.validated = [path.parent.name for path in stack_files]
    except TerraformError as error:
        result.validate_error = str(error)
    return result
