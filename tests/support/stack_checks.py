"""TEST SUPPORT: checkov and terraform validate on the app's stacks and the
bootstrap stack, as a background flow (support/background.py): both are
seconds of subprocess work that need nothing from the suite's own process.

The environments are synthesized by the command users run (``python
main.py``) and the bootstrap stack from them, in subprocesses (a flow never
calls jsii in-process); the validate and checkov tests check that what they
read equals the in-process synth the other tests read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dynamodb_kit_tools.terraform_runner import Terraform, TerraformError, find_provider_mirror, write_cli_config
from stacks.checks import checkov_command
from support import background

REPO = Path(__file__).resolve().parent.parent.parent


@dataclass
class StackChecks:
    stacks: Path  # <name>/cdk.tf.json for dev, staging, prod and bootstrap
    checkov: dict[str, dict[str, list]] = field(default_factory=dict)  # stack -> passed/failed checks
    checkov_exit: int = -1
    validated: list[str] = field(default_factory=list)  # the stacks terraform validate accepted
    validate_error: str = ""


def stack_checks_flow(context: background.Context) -> StackChecks:
    out = context.work / "cdktf.out"
    subprocess.run([sys.executable, "main.py"], cwd=REPO, env={**context.env, "CDKTF_OUTDIR": str(out)},
                   check=True, capture_output=True, text=True)
    # The bootstrap stack from those environments (python -m stacks.bootstrap_stack
    # would synthesize them once more).
    bootstrap = ("import json, sys; from pathlib import Path; from stacks.bootstrap_stack import synth_bootstrap; "
                 "stacks = Path(sys.argv[1]); synth_bootstrap(stacks / 'bootstrap', environments={"
                 "p.parent.name: json.loads(p.read_text()) for p in stacks.glob('*/cdk.tf.json')})")
    subprocess.run([sys.executable, "-c", bootstrap, str(out / "stacks")], cwd=REPO, env=context.env, check=True,
                   capture_output=True, text=True)
    result = StackChecks(out / "stacks")
    stack_files = sorted(result.stacks.glob("*/cdk.tf.json"))

    checkov = subprocess.run(checkov_command(result.stacks, "--output", "json"), env=context.env,
                             capture_output=True, text=True)
    result.checkov_exit = checkov.returncode
    result.checkov = {path.parent.name: {"passed": [], "failed": []} for path in stack_files}
    report = json.loads(checkov.stdout)
    for outcome in ("passed", "failed"):
        for check in report["results"][f"{outcome}_checks"]:
            result.checkov[check["file_path"].split("/")[1]][outcome].append(check)

    try:
        result.validated = validate(stack_files, context.work)
    except TerraformError as error:
        result.validate_error = str(error)
    return result


def validate(stack_files: list[Path], work: Path) -> list[str]:
    """``terraform validate`` of the stacks in one run (Terraform.validate_stacks),
    under ``work``, printing nothing (a flow's print would land in whichever
    test is being captured); their names. Raises TerraformError naming an invalid one."""
    terraform = Terraform(work / "validate", write_cli_config(work / "terraformrc", find_provider_mirror()))
    terraform.validate_stacks(stack_files)
    return [path.parent.name for path in stack_files]
