"""Typed props of the alarms: thresholds with documented defaults, and where alarms go."""

from __future__ import annotations

from dataclasses import field
from typing import Mapping

from ..core.aws_names import check_arn
from ..core.checked import props
from ..core.errors import ValidationError
from ..table.table import Table

# Every alarm looks at 5-minute periods.
PERIOD_SECONDS = 300


@props
class AlarmThresholds:
    """When each alarm fires. Counts are per 5-minute period.

    Attributes
    ----------
    throttled_requests:
        Read (or write) throttle events on the table or one GSI. Default: 1:
        any throttling means a request failed or was retried.
    system_errors:
        Requests that failed with HTTP 500 on the table, all operations summed.
        Default: 1.
    user_errors:
        Requests of the region that failed with HTTP 400 (validation, conditional
        checks are not counted; missing permissions are). Default: 50.
    capacity_percent:
        Consumed capacity as a percentage of the provisioned capacity
        (provisioned mode) or of the on-demand ceiling (``max_read`` /
        ``max_write``), over 3 periods in a row. Default: 80.
    replication_latency_seconds:
        Average time an update takes to reach a replica. Default: 60.
    """

    throttled_requests: int = 1
    system_errors: int = 1
    user_errors: int = 50
    capacity_percent: int = 80
    replication_latency_seconds: int = 60

    def _check(self) -> None:
        for name in ("throttled_requests", "system_errors", "user_errors", "replication_latency_seconds"):
            if getattr(self, name) < 1:
                raise ValidationError(
                    "AlarmThresholds", name, getattr(self, name),
                    problem="must be at least 1 (0 would fire on every period)",
                    fix="give a whole number of 1 or more",
                )
        if not 1 <= self.capacity_percent <= 100:
            raise ValidationError(
                "AlarmThresholds", "capacity_percent", self.capacity_percent,
                problem="is outside 1-100 percent",
                fix="give the share of the capacity that should raise the alarm, e.g. 80",
            )


@props
class AlarmActions:
    """Where alarms (and their recovery) are sent. Build it with a classmethod.

    Attributes
    ----------
    topic_arn:
        An existing SNS topic. Default: none.
    create_topic:
        Create a topic, encrypted with ``topic_key_arn``. Default: ``False``.
    topic_key_arn:
        KMS key of the created topic; its policy must let CloudWatch use it
        (``EncryptionKeyProps(allow_cloudwatch_alarms=True)``). Default: none.
    """

    topic_arn: str | None = None
    create_topic: bool = False
    topic_key_arn: str | None = None

    @classmethod
    def new_topic(cls, key_arn: str) -> "AlarmActions":
        """A topic the stack creates, encrypted with ``key_arn``; subscribe to it."""
        return cls(create_topic=True, topic_key_arn=key_arn)

    @classmethod
    def existing_topic(cls, topic_arn: str) -> "AlarmActions":
        """A topic created elsewhere (its key policy must let CloudWatch publish)."""
        return cls(topic_arn=topic_arn)

    @classmethod
    def nowhere(cls) -> "AlarmActions":
        """Alarms change state in CloudWatch and notify no one (dev)."""
        return cls()

    def _check(self) -> None:
        if self.topic_arn is not None and self.create_topic:
            raise ValidationError(
                "AlarmActions", "topic_arn", self.topic_arn,
                problem="and create_topic=True: one topic only",
                fix="use AlarmActions.new_topic(key_arn) or AlarmActions.existing_topic(arn)",
            )
        if self.create_topic and self.topic_key_arn is None:
            raise ValidationError(
                "AlarmActions", "topic_key_arn", None,
                problem="is required to create an encrypted topic",
                fix="use AlarmActions.new_topic(key_arn=<the stack's key>)",
            )
        if self.topic_key_arn is not None:
            if not self.create_topic:
                raise ValidationError(
                    "AlarmActions", "topic_key_arn", self.topic_key_arn,
                    problem="is only used when the construct creates the topic",
                    fix="use AlarmActions.new_topic(key_arn)",
                )
            check_arn("AlarmActions", "topic_key_arn", self.topic_key_arn, "kms")
        if self.topic_arn is not None:
            check_arn("AlarmActions", "topic_arn", self.topic_arn, "sns")


@props
class AlarmsProps:
    """Props of :class:`~dynamodb_kit.monitoring.alarms.Alarms`.

    Attributes
    ----------
    name_prefix:
        Start of the topic's name (``<prefix>-dynamodb-alarms``).
    tables:
        The tables to watch, with their indexes and replicas.
    actions:
        Default: ``AlarmActions.nowhere()``.
    thresholds:
        Of every table. Default: ``AlarmThresholds()``.
    table_thresholds:
        Table construct id -> its own thresholds. Default: none.
    backup_vault_names:
        AWS Backup vaults whose failed jobs raise an alarm. Default: none.
    """

    name_prefix: str
    tables: tuple[Table, ...]
    actions: AlarmActions = AlarmActions.nowhere()
    thresholds: AlarmThresholds = AlarmThresholds()
    table_thresholds: Mapping[str, AlarmThresholds] = field(default_factory=dict)
    backup_vault_names: tuple[str, ...] = ()
