"""The AWS provider of a stack, with the version range the kit is tested with."""

from __future__ import annotations

from typing import Mapping

from cdktf import TerraformStack

from . import _provider  # noqa: F401  (fast provider import)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

# The prebuilt bindings pin exactly 6.25.0. The kit emits only arguments that AWS
# provider 5.100 (the newest 5.x, used by the tests here) and 6.x both accept.
AWS_PROVIDER_VERSION_CONSTRAINT = ">= 5.100.0, < 7.0.0"


def add_aws_provider(
    stack: TerraformStack,
    *,
    region: str,
    default_tags: Mapping[str, str] | None = None,
) -> AwsProvider:
    """Add the ``aws`` provider to ``stack`` and widen its version constraint."""
    provider = AwsProvider(
        stack,
        "aws",
        region=region,
        default_tags=[AwsProviderDefaultTags(tags=dict(default_tags))] if default_tags else None,
    )
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION_CONSTRAINT)
    return provider
