"""Print an environment's autoscaling, as synthesized: per table, its billing,
what the table ignores, and each scalable target with its policy and schedules.

    python main.py && python -m stacks.show_capacity prod
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .checks import REPO


def main(env: str) -> None:
    outdir = Path(os.environ.get("CDKTF_OUTDIR", REPO / "cdktf.out"))
    stack = json.loads((outdir / "stacks" / env / "cdk.tf.json").read_text())
    resources = stack.get("resource", {})
    policies = {p["resource_id"]: p for p in resources.get("aws_appautoscaling_policy", {}).values()}
    schedules: dict[str, list[dict]] = {}
    for action in resources.get("aws_appautoscaling_scheduled_action", {}).values():
        schedules.setdefault(action["resource_id"], []).append(action)
    for logical_id, table in sorted(resources.get("aws_dynamodb_table", {}).items()):
        ignored = [i for i in table.get("lifecycle", {}).get("ignore_changes", []) if not i.startswith("restore_")]
        print(f"## {table['name']}: {table['billing_mode']}"
              + (f", ignores {', '.join(ignored)}" if ignored else ""))
        for target_id, target in sorted(resources.get("aws_appautoscaling_target", {}).items()):
            if not target["resource_id"].startswith(f"table/${{aws_dynamodb_table.{logical_id}.name}}"):
                continue
            own = f"${{aws_appautoscaling_target.{target_id}.resource_id}}"
            tracking = policies[own]["target_tracking_scaling_policy_configuration"]
            where = target["resource_id"].split("}", 1)[1] or "(table)"
            print(f"- {where} {target['scalable_dimension'].split(':')[-1]}: {target['min_capacity']}-"
                  f"{target['max_capacity']} units, target {tracking['target_value']}%")
            for action in sorted(schedules.get(own, []), key=lambda a: a["name"]):
                bounds = action["scalable_target_action"]
                print(f"  - {action['schedule']} {action['timezone']}: "
                      + ", ".join(f"{k.split('_')[0]} {v}" for k, v in sorted(bounds.items())))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "prod")
