#!/usr/bin/env python
"""Synthesize every environment to cdktf.out/stacks/<env>/cdk.tf.json.

``python main.py --check`` also runs checkov and ``terraform validate`` on them.
"""

import sys
from pathlib import Path

from stacks.app import build_app

if __name__ == "__main__":
    app, stacks = build_app()
    app.synth()
    print(f"synthesized {', '.join(stacks)} to {app.outdir}/stacks")
    if "--check" in sys.argv[1:]:
        from stacks.checks import run_checkov, validate_stacks

        stacks_dir = Path(app.outdir) / "stacks"
        validate_stacks(stacks_dir)
        sys.exit(run_checkov(stacks_dir))
