"""The AWS provider of a stack, with the version range the kit is tested with."""

from __future__ import annotations

import os
from typing import Mapping

from .errors import ValidationError
from .terraform import Construct, TerraformProvider, TerraformStack, aws_provider_block, path_of, stack_of, stack_singleton

# The prebuilt bindings pin exactly 6.25.0. The kit emits only arguments that AWS
# provider 5.100 (the newest 5.x, used by the tests here) and 6.x both accept.
AWS_PROVIDER_VERSION_CONSTRAINT = ">= 5.100.0, < 7.0.0"
# A table with warm throughput needs the provider that has the argument.
WARM_THROUGHPUT_PROVIDER_CONSTRAINT = ">= 6.13.0, < 7.0.0"

# The AWS SDKs' own variable for a custom endpoint, read by Terraform's AWS
# provider, boto3 and the AWS CLI alike: with it set, the kit synthesizes the
# emulator's provider settings and every AWS call goes to that URL.
ENDPOINT_URL_ENV = "AWS_ENDPOINT_URL"


def add_aws_provider(
    stack: TerraformStack,
    *,
    region: str,
    default_tags: Mapping[str, str] | None = None,
    emulator: bool | None = None,
) -> TerraformProvider:
    """Add the ``aws`` provider to ``stack`` and widen its version constraint.

    ``emulator``: the settings a local AWS emulator needs (no credential,
    metadata or region checks against AWS, path-style S3, 2 retries). The
    emulator's URL is not written into the stack: the provider reads it, like
    every AWS SDK, from ``AWS_ENDPOINT_URL`` when terraform runs (an
    ``endpoints`` block, hundreds of attributes, is validated by the provider
    twice per plan, which makes every plan slower). Default: on
    when ``AWS_ENDPOINT_URL`` is set. Credentials never appear here: they come
    from the environment, as always.
    """
    if emulator is None:
        emulator = bool(os.environ.get(ENDPOINT_URL_ENV))
    elif not isinstance(emulator, bool):
        raise ValidationError(path_of(stack), "emulator", emulator, problem="must be True, False or None",
                              fix=f"give True for a local emulator (its URL goes in {ENDPOINT_URL_ENV} "
                              "when terraform runs), or leave it out")
    emulator_settings = {}
    if emulator:
        emulator_settings = dict(
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
        **emulator_settings,
    }
    provider = aws_provider_block(stack, attributes)
    # What an aliased provider of another region copies (see regional_provider).
    stack.__dict__[_PROVIDER_ATTRIBUTES] = attributes
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION_CONSTRAINT)
    return provider


_PROVIDER_ATTRIBUTES = "_kit_aws_provider_attributes"


def stack_region(scope: Construct) -> str | None:
    """The region given to :func:`add_aws_provider` for ``scope``'s stack, or ``None``."""
    attributes = stack_of(scope).__dict__.get(_PROVIDER_ATTRIBUTES)
    return attributes["region"] if attributes else None


def provider_alias(region: str) -> str:
    """``us-west-2`` -> ``us_west_2``, the alias of that region's provider."""
    return region.replace("-", "_")


def regional_provider(scope: Construct, region: str) -> TerraformProvider | None:
    """The stack's ``aws`` provider for ``region``: ``None`` for the stack's own
    region, else one aliased provider per region (``aws.us_west_2``), made on
    first use with the same tags and emulator settings as the stack's provider.
    """
    stack = stack_of(scope)
    attributes = stack.__dict__.get(_PROVIDER_ATTRIBUTES)
    if attributes is None:
        raise ValidationError(path_of(scope), "region", region,
                              problem="needs the stack's aws provider, to copy it for another region",
                              fix="call add_aws_provider(stack, region=...) before adding resources in another region")
    if region == attributes["region"]:
        return None
    alias = provider_alias(region)
    return stack_singleton(scope, f"aws_{alias}", lambda stack, id: aws_provider_block(
        stack, {**attributes, "region": region}, alias=alias))
