"""Print every role's trust and access policy of a synthesized environment.

    python main.py && python -m stacks.show_policies prod
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .checks import REPO


def main(env: str) -> None:
    # Where ``python main.py`` wrote the stacks (cdktf's own CDKTF_OUTDIR moves both).
    outdir = Path(os.environ.get("CDKTF_OUTDIR", REPO / "cdktf.out"))
    stack = json.loads((outdir / "stacks" / env / "cdk.tf.json").read_text())
    roles = stack["resource"]["aws_iam_role"]
    for policy in stack["resource"]["aws_iam_role_policy"].values():
        role = roles[policy["role"].split(".")[1]]
        print(f"## {role['name']}\n")
        print("access policy:\n```json")
        print(json.dumps(json.loads(policy["policy"]), indent=2))
        print("```\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "prod")
