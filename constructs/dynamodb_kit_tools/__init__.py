"""Operator tools for the kit's stacks: plan guard, local emulator, terraform
runner, cost figures. The constructs never import this package, and it never
starts the jsii runtime."""
