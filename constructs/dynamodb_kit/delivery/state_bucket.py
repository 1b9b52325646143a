"""StateBucket: the S3 bucket that holds Terraform state, and its own key."""

from __future__ import annotations

import json
from dataclasses import field
from typing import Mapping

from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, TerraformResourceLifecycle, aws_resource, path_of, ref
from ..kms.encryption_key import EncryptionKey, EncryptionKeyProps
from .remote_state import _BUCKET


@props
class StateBucketProps:
    """Props of a :class:`StateBucket`.

    Attributes
    ----------
    bucket_name:
        Globally unique S3 bucket name.
    key_alias:
        Alias of the state key, without ``alias/``. Default: ``terraform-state``.
    prevent_destroy:
        Terraform ``lifecycle.prevent_destroy`` on bucket and key. Default: ``True``.
    tags:
        Default: none.
    """

    bucket_name: str
    key_alias: str = "terraform-state"
    prevent_destroy: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)

    def _check(self) -> None:
        if not _BUCKET.fullmatch(self.bucket_name) or ".." in self.bucket_name:
            raise ValidationError(
                "StateBucketProps", "bucket_name", self.bucket_name,
                problem="is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-', starting and ending "
                "with a letter or digit)",
                fix="choose a globally unique name, e.g. acme-dynamodb-kit-state-123456789012",
            )


class StateBucket(KitConstruct):
    """A versioned bucket for Terraform state, encrypted with its own KMS key
    (SSE-KMS, bucket key on), every public access blocked, ACLs off (owner
    enforced), and a policy that refuses any request not made over TLS.

    Every state version is kept (no lifecycle rule): the versions are the
    state's history, a few kilobytes each, and any of them can be restored.
    """

    def __init__(self, scope: Construct, id: str, props: StateBucketProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, StateBucketProps)
        self.props = props
        tags = dict(props.tags) or None
        lifecycle = TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None
        self.key = EncryptionKey(self, "Key", EncryptionKeyProps(
            alias=props.key_alias,
            description=f"Encrypts the Terraform state in {props.bucket_name}",
            prevent_destroy=props.prevent_destroy,
            tags=props.tags,
        ))
        self.bucket = aws_resource(self, "Bucket", "aws_s3_bucket", {
            "bucket": props.bucket_name, "tags": tags,
        }, lifecycle=lifecycle)
        bucket_id = ref(self.bucket, "id")
        aws_resource(self, "Versioning", "aws_s3_bucket_versioning", {
            "bucket": bucket_id, "versioning_configuration": {"status": "Enabled"},
        })
        aws_resource(self, "Encryption", "aws_s3_bucket_server_side_encryption_configuration", {
            "bucket": bucket_id,
            "rule": [{
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms", "kms_master_key_id": self.key.key_arn,
                },
                "bucket_key_enabled": True,
            }],
        })
        aws_resource(self, "PublicAccessBlock", "aws_s3_bucket_public_access_block", {
            "bucket": bucket_id,
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        })
        aws_resource(self, "Ownership", "aws_s3_bucket_ownership_controls", {
            "bucket": bucket_id, "rule": {"object_ownership": "BucketOwnerEnforced"},
        })
        arn = ref(self.bucket, "arn")
        # json.dumps of real structure, readable by scanners (never Fn.jsonencode).
        policy = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "TlsRequestsOnly",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }],
        }
        aws_resource(self, "Policy", "aws_s3_bucket_policy", {
            "bucket": bucket_id, "policy": json.dumps(policy),
        })

    @property
    def bucket_name(self) -> str:
        return self.props.bucket_name

    @property
    def bucket_arn(self) -> str:
        return ref(self.bucket, "arn")

    @property
    def key_arn(self) -> str:
        return self.key.key_arn
