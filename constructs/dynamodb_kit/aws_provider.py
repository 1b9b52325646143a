"""The AWS provider of a stack, with the version range the kit is tested with."""

from __future__ import annotations

from typing import Mapping

from cdktf import TerraformStack

from . import _provider  # noqa: F401  (fast provider import)
from cdktf_cdktf_provider_aws.provider import (
    AwsProvider,
    AwsProviderDefaultTags,
    AwsProviderEndpoints,
)

# The prebuilt bindings pin exactly 6.25.0. The kit emits only arguments that AWS
# provider 5.100 (the newest 5.x, used by the tests here) and 6.x both accept.
AWS_PROVIDER_VERSION_CONSTRAINT = ">= 5.100.0, < 7.0.0"

# Services the kit's stacks call; all are pointed at ``endpoint_url`` together.
EMULATED_SERVICES = (
    "applicationautoscaling", "backup", "cloudwatch", "cognitoidentity", "dynamodb", "iam", "kms",
    "lambda_", "logs", "s3", "sqs", "sts",
)


def add_aws_provider(
    stack: TerraformStack,
    *,
    region: str,
    default_tags: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
) -> AwsProvider:
    """Add the ``aws`` provider to ``stack`` and widen its version constraint.

    ``endpoint_url`` points every service the kit uses at one local AWS
    emulator (e.g. ``http://127.0.0.1:5000``). Default: the real AWS endpoints.
    Credentials never appear here: they come from the environment, as always.
    """
    emulator = {}
    if endpoint_url:
        emulator = dict(
            endpoints=[AwsProviderEndpoints(**{name: endpoint_url for name in EMULATED_SERVICES})],
            skip_credentials_validation=True,
            skip_metadata_api_check="true",  # a string in the schema
            skip_region_validation=True,
            # The emulator answers STS, and some resource IDs embed the account.
            skip_requesting_account_id=False,
            s3_use_path_style=True,
            # An API the emulator lacks would otherwise be retried for minutes.
            max_retries=2,
        )
    provider = AwsProvider(
        stack,
        "aws",
        region=region,
        default_tags=[AwsProviderDefaultTags(tags=dict(default_tags))] if default_tags else None,
        **emulator,
    )
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION_CONSTRAINT)
    return provider
