"""The named opt-in that lets the plan guard pass a table's replacement or deletion.

Kept apart from ``plan_guard`` so the guard (a command run on plan JSON) does
not import the construct side, and the constructs do not import the guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from cdktf import TerraformResource

# Key under the resource's "//" metadata in the synthesized cdk.tf.json.
APPROVAL_KEY = "approved_destruction"


def approve_destruction(resource: "TerraformResource", reason: str) -> None:
    """Record, in the synthesized stack, that ``resource`` may be replaced or deleted."""
    if not isinstance(reason, str) or len(reason.strip()) < 10:
        raise ValidationError(
            resource.node.path, "destruction_approved", reason,
            problem="is too short to say who approved it and why",
            fix="write who approved the destruction and why, e.g. 'J. Doe, CHG-123: rebuild keys'",
        )
    resource.add_override(f"//.{APPROVAL_KEY}", reason.strip())
