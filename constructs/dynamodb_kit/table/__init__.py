"""The Table construct: props, rules, the construct, and restores as code."""
