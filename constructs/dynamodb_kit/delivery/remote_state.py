"""Remote state: an S3 backend per stack, encrypted with the state key and
locked with S3's native lock file.

One bucket holds every stack's state under its own key
(``<prefix>/<stack>.tfstate``), never Terraform workspaces: each key is a
separate IAM resource, so a deploy role can be given exactly one stack's
state and lock object. ``use_lockfile`` (Terraform >= 1.10) locks with a
conditional write of ``<key>.tflock`` next to the state; cdktf 0.21's
``S3BackendConfig`` lacks the field, so it is set with an override.
"""

from __future__ import annotations

import os
import re

from ..core.aws_names import check_arn
from ..core.checked import props
from ..core.errors import ValidationError
from ..core.terraform import S3Backend, TerraformStack

# The configuration of the environment stacks' backend (CI sets them from the
# repository variables; unset bucket: the stack keeps its local backend).
STATE_BUCKET_ENV = "DYNAMODB_KIT_STATE_BUCKET"
STATE_KMS_KEY_ENV = "DYNAMODB_KIT_STATE_KMS_KEY_ARN"
STATE_REGION_ENV = "DYNAMODB_KIT_STATE_REGION"
STATE_PREFIX_ENV = "DYNAMODB_KIT_STATE_PREFIX"
DEFAULT_STATE_PREFIX = "dynamodb-kit"
LOCK_SUFFIX = ".tflock"  # Terraform's name of the S3 lock object: "<key>.tflock"

# S3 bucket names (general purpose buckets), and a key prefix without slashes at its ends.
_BUCKET = re.compile(r"(?!xn--)(?!sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX = re.compile(r"[a-zA-Z0-9!_.*'()-]+(?:/[a-zA-Z0-9!_.*'()-]+)*")
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d")


def state_key(prefix: str, stack_name: str) -> str:
    """The object key of a stack's state: ``<prefix>/<stack>.tfstate``."""
    return f"{prefix}/{stack_name}.tfstate"


@props
class RemoteStateProps:
    """Where one stack keeps its state.

    Attributes
    ----------
    bucket:
        The state bucket (see :class:`~dynamodb_kit.delivery.state_bucket.StateBucket`).
    kms_key_arn:
        The state key: every state and lock object is written with SSE-KMS
        under it.
    region:
        The bucket's region.
    prefix:
        Key prefix; the stack's state is ``<prefix>/<stack>.tfstate``.
        Default: ``dynamodb-kit``.
    endpoint_url:
        A local emulator answering S3 (and STS) instead of AWS. Default: none,
        AWS's endpoints.
    """

    bucket: str
    kms_key_arn: str
    region: str
    prefix: str = DEFAULT_STATE_PREFIX
    endpoint_url: str | None = None

    def _check(self) -> None:
        where = "RemoteStateProps"
        if not _BUCKET.fullmatch(self.bucket) or ".." in self.bucket:
            raise ValidationError(where, "bucket", self.bucket,
                                  problem="is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')",
                                  fix="give the state bucket's name, not its ARN or URL")
        check_arn(where, "kms_key_arn", self.kms_key_arn, "kms")
        if not _REGION.fullmatch(self.region):
            raise ValidationError(where, "region", self.region, problem="is not an AWS region name",
                                  fix="give the bucket's region, e.g. us-east-1")
        if not _PREFIX.fullmatch(self.prefix):
            raise ValidationError(where, "prefix", self.prefix,
                                  problem="is not a key prefix of safe characters without a leading or "
                                  "trailing '/'",
                                  fix="use e.g. dynamodb-kit or team/dynamodb-kit")

    def key(self, stack_name: str) -> str:
        return state_key(self.prefix, stack_name)

    @classmethod
    def from_environment(cls, default_region: str) -> "RemoteStateProps | None":
        """The backend configured by ``DYNAMODB_KIT_STATE_BUCKET`` (and
        ``_KMS_KEY_ARN``, ``_REGION``, ``_PREFIX``); ``None`` when no bucket is
        set. ``AWS_ENDPOINT_URL`` points it at the emulator, like the
        provider."""
        from ..core.aws_provider import ENDPOINT_URL_ENV

        bucket = os.environ.get(STATE_BUCKET_ENV)
        if not bucket:
            return None
        key_arn = os.environ.get(STATE_KMS_KEY_ENV)
        if not key_arn:
            raise ValidationError(
                "environment", STATE_KMS_KEY_ENV, key_arn,
                problem=f"is not set but {STATE_BUCKET_ENV} is; the state must be encrypted with its key",
                fix=f"set {STATE_KMS_KEY_ENV} to the bootstrap stack's StateKeyArn output",
            )
        return cls(
            bucket=bucket,
            kms_key_arn=key_arn,
            region=os.environ.get(STATE_REGION_ENV) or default_region,
            prefix=os.environ.get(STATE_PREFIX_ENV) or DEFAULT_STATE_PREFIX,
            endpoint_url=os.environ.get(ENDPOINT_URL_ENV) or None,
        )


def add_remote_state(stack: TerraformStack, props: RemoteStateProps, stack_name: str) -> S3Backend:
    """Give ``stack`` an S3 backend: its own key, SSE-KMS with the state key,
    native locking (``use_lockfile = true``)."""
    if not isinstance(props, RemoteStateProps):
        raise ValidationError(stack_name, "remote_state", props,
                              problem=f"must be a RemoteStateProps, not {type(props).__name__}",
                              fix="build it with RemoteStateProps(...)")
    backend = S3Backend(
        stack,
        bucket=props.bucket,
        key=props.key(stack_name),
        region=props.region,
        encrypt=True,
        kms_key_id=props.kms_key_arn,
    )
    backend.add_override("use_lockfile", True)
    if props.endpoint_url:
        # The emulator: path-style S3, no credential or account checks against AWS.
        backend.add_override("endpoints", {"s3": props.endpoint_url, "sts": props.endpoint_url})
        backend.add_override("use_path_style", True)
        backend.add_override("skip_credentials_validation", True)
        backend.add_override("skip_requesting_account_id", True)
        backend.add_override("skip_metadata_api_check", True)
        backend.add_override("skip_region_validation", True)
    return backend
