"""The AWS provider of a stack, with the version range the kit is tested with."""

from __future__ import annotations

import os
from typing import Mapping, Sequence

from .terraform import Construct, TerraformProvider, TerraformStack, aws_provider_block, stack_singleton

# The prebuilt bindings pin exactly 6.25.0. The kit emits only arguments that AWS
# provider 5.100 (the newest 5.x, used by the tests here) and 6.x both accept.
AWS_PROVIDER_VERSION_CONSTRAINT = ">= 5.100.0, < 7.0.0"
# A table with warm throughput needs the provider that has the argument.
WARM_THROUGHPUT_PROVIDER_CONSTRAINT = ">= 6.13.0, < 7.0.0"

# Deploy the same stacks to a local emulator: DYNAMODB_KIT_ENDPOINT_URL=http://127.0.0.1:5000
ENDPOINT_URL_ENV = "DYNAMODB_KIT_ENDPOINT_URL"
# Services the kit's constructs call (provider endpoint names); an app adds its own.
KIT_SERVICES = (
    "applicationautoscaling", "backup", "cloudwatch", "dynamodb", "iam", "kms", "logs", "sts",
)


def add_aws_provider(
    stack: TerraformStack,
    *,
    region: str,
    default_tags: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
    extra_services: Sequence[str] = (),
) -> TerraformProvider:
    """Add the ``aws`` provider to ``stack`` and widen its version constraint.

    ``endpoint_url`` points every service the kit uses, plus ``extra_services``
    (provider endpoint names such as ``"cognitoidentity"``), at one local AWS
    emulator (e.g. ``http://127.0.0.1:5000``). Default: the value of
    ``DYNAMODB_KIT_ENDPOINT_URL``, else the real AWS endpoints. Credentials
    never appear here: they come from the environment, as always.
    """
    endpoint_url = endpoint_url or os.environ.get(ENDPOINT_URL_ENV) or None
    services = sorted({*KIT_SERVICES, *extra_services})
    emulator = {}
    if endpoint_url:
        emulator = dict(
            endpoints=[{name: endpoint_url for name in services}],
            skip_credentials_validation=True,
            skip_metadata_api_check="true",  # a string in the schema
            skip_region_validation=True,
            # The emulator answers STS, and some resource IDs embed the account.
            skip_requesting_account_id=False,
            s3_use_path_style=True,
            # An API the emulator lacks would otherwise be retried for minutes.
            max_retries=2,
        )
    attributes = {
        "region": region,
        "default_tags": [{"tags": dict(default_tags)}] if default_tags else None,
        **emulator,
    }
    provider = aws_provider_block(stack, attributes)
    # What an aliased provider of another region copies (see regional_provider).
    stack.__dict__[_PROVIDER_ATTRIBUTES] = attributes
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION_CONSTRAINT)
    return provider


_PROVIDER_ATTRIBUTES = "_kit_aws_provider_attributes"


def stack_region(scope: Construct) -> str | None:
    """The region given to :func:`add_aws_provider` for ``scope``'s stack, or ``None``."""
    attributes = TerraformStack.of(scope).__dict__.get(_PROVIDER_ATTRIBUTES)
    return attributes["region"] if attributes else None


def provider_alias(region: str) -> str:
    """``us-west-2`` -> ``us_west_2``, the alias of that region's provider."""
    return region.replace("-", "_")


def regional_provider(scope: Construct, region: str) -> TerraformProvider | None:
    """The stack's ``aws`` provider for ``region``: ``None`` for the stack's own
    region, else one aliased provider per region (``aws.us_west_2``), made on
    first use with the same tags and endpoints as the stack's provider.
    """
    stack = TerraformStack.of(scope)
    attributes = stack.__dict__.get(_PROVIDER_ATTRIBUTES)
    if attributes is None:
        raise ValueError("add_aws_provider(stack, ...) must come before resources in another region")
    if region == attributes["region"]:
        return None
    alias = provider_alias(region)
    return stack_singleton(scope, f"aws_{alias}", lambda stack, id: aws_provider_block(
        stack, {**attributes, "region": region}, alias=alias))
