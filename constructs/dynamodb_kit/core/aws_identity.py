"""Partition, account and region of a stack, read once per stack.

ARNs and policies are built from these references, never from hard-coded
strings, so the same code deploys to any account, region or partition.
"""

from __future__ import annotations

from .terraform import Construct, KitConstruct, TerraformDataSource, aws_data_source, ref, stack_singleton

_ID = "AwsIdentity"


class AwsIdentity(KitConstruct):
    """The stack's ``aws_partition``, ``aws_caller_identity`` and ``aws_region``.

    Use :meth:`of` rather than the constructor: it returns the one instance of
    the stack, so several constructs share the same three data sources.
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # Each data source is added on first use, so a stack reads only what it needs.
        self._partition: TerraformDataSource | None = None
        self._caller: TerraformDataSource | None = None
        self._region: TerraformDataSource | None = None

    @classmethod
    def of(cls, scope: Construct) -> "AwsIdentity":
        return stack_singleton(scope, _ID, cls)

    @property
    def partition(self) -> str:
        if self._partition is None:
            self._partition = aws_data_source(self, "Partition", "aws_partition")
        return ref(self._partition, "partition")

    @property
    def account_id(self) -> str:
        if self._caller is None:
            self._caller = aws_data_source(self, "Caller", "aws_caller_identity")
        return ref(self._caller, "account_id")

    @property
    def region(self) -> str:
        if self._region is None:
            self._region = aws_data_source(self, "Region", "aws_region")
        # ``name`` works with AWS provider 5.x and 6.x (6.x adds ``region``).
        return ref(self._region, "name")

    def account_root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"
