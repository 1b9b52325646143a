#!/usr/bin/env python
"""Synthesize every environment to cdktf.out/stacks/<env>/cdk.tf.json.

``python main.py --check`` also runs checkov and ``terraform validate`` on them.
"""

import os
import sys
from pathlib import Path

# Node 20 is supported by this kit; jsii's end-of-life banner is noise here.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from stacks.app import build_app  # noqa: E402

if __name__ == "__main__":
    app, stacks = build_app()
    app.synth()
    print(f"synthesized {', '.join(stacks)} to {app.outdir}/stacks")
    if "--check" in sys.argv[1:]:
        from stacks.checks import run_checkov, run_policy_rules, validate_stacks

        stacks_dir = Path(app.outdir) / "stacks"
        validate_stacks(stacks_dir)
        rules_status = run_policy_rules(stacks_dir)
        sys.exit(run_checkov(stacks_dir) or rules_status)
