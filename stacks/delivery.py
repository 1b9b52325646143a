"""How this project is delivered: the GitHub repository whose workflows deploy
it, and where the state lives. Read by the bootstrap stack
(``stacks/bootstrap_stack.py``); see constructs/docs/deploy-from-github-actions.md.

Edit ``DELIVERY`` once, before the bootstrap is first applied: the example
values name a repository that is not yours.
"""

from __future__ import annotations

from dataclasses import field
from typing import Mapping

from dynamodb_kit import GitHubRepository, props
from dynamodb_kit.delivery.remote_state import DEFAULT_STATE_PREFIX


@props
class DeliveryConfig:
    """Settings of the bootstrap stack.

    Attributes
    ----------
    repository:
        The repository whose workflows plan and apply the environments.
    state_bucket:
        Name of the state bucket the bootstrap creates (globally unique).
    region:
        Region of the bucket, its key and the bootstrap's own state.
        Default: ``us-east-1``.
    state_prefix:
        Key prefix of every state object. Default: ``dynamodb-kit``.
    role_prefix:
        Deploy roles are ``<role_prefix>-<env>-plan`` and ``-apply``.
        Default: ``dynamodb-kit``.
    main_branch:
        The branch whose pushes plan (the plan role trusts it). Default: ``main``.
    existing_oidc_provider_arn:
        The account's GitHub OIDC provider when it exists already (there is
        one per account). Default: none, the bootstrap creates it.
    tags:
        Default tags of the bootstrap's resources. Default: none.
    """

    repository: GitHubRepository
    state_bucket: str
    region: str = "us-east-1"
    state_prefix: str = DEFAULT_STATE_PREFIX
    role_prefix: str = "dynamodb-kit"
    main_branch: str = "main"
    existing_oidc_provider_arn: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def role_name(self, environment: str, phase: str) -> str:
        return f"{self.role_prefix}-{environment}-{phase}"


EXAMPLE_OWNER = "example-org"

DELIVERY = DeliveryConfig(
    # gh api repos/OWNER/REPO --jq '.owner.id, .id' prints the two ids.
    repository=GitHubRepository(owner=EXAMPLE_OWNER, name="dynamodb-kit", owner_id=1000001, repository_id=2000002),
    state_bucket="example-org-dynamodb-kit-state",
    tags={"ManagedBy": "dynamodb-kit", "Project": "dynamodb-kit-example", "Stack": "bootstrap"},
)
