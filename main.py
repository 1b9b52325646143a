#!/usr/bin/env python
"""Synthesize every environment to cdktf.out/stacks/<env>/cdk.tf.json.

``--check`` then runs ``terraform validate``, the kit's policy rules and
checkov on them, and zizmor, actionlint and the schema check on the GitHub
Actions workflows; ``--deploy-local`` (after the checks pass) deploys dev to a
fresh local emulator, shows what it holds and re-plans (stacks/local_deploy.py).
``--cost USAGE_FILE`` prices every environment's resources from its
cdk.tf.json and the usage file (constructs/docs/pricing.md).
"""

import sys
from pathlib import Path

from stacks.app import build_app

if __name__ == "__main__":
    flags = sys.argv[1:]
    app, stacks = build_app()
    app.synth()
    print(f"synthesized {', '.join(stacks)} to {app.outdir}/stacks", flush=True)
    status = 0
    if "--check" in flags:
        from stacks.checks import run_checkov, run_policy_rules, run_workflow_checks, validate_stacks

        stacks_dir = Path(app.outdir) / "stacks"
        validate_stacks(stacks_dir)
        rules_status = run_policy_rules(stacks_dir)
        workflows_status = run_workflow_checks()
        status = run_checkov(stacks_dir) or rules_status or workflows_status
    if "--deploy-local" in flags:
        if status:
            print("checks failed: not deploying", file=sys.stderr)
        else:
            from stacks.local_deploy import deploy_local

            status = deploy_local()
    if "--cost" in flags:
        from dynamodb_kit_tools.cost.stack_costs import estimate_stacks

        usage = flags[flags.index("--cost") + 1:][:1]
        status = estimate_stacks(Path(app.outdir) / "stacks", Path(usage[0]) if usage else None) or status
    sys.exit(status)
