"""Delivery: remote state, the state bucket, GitHub OIDC and the deploy roles
that let CI plan and apply the stacks (``deploy_actions.py`` derives what a
deploy role may do from the synthesized stacks)."""
