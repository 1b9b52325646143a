"""Shapes of AWS identifiers, checked before they reach Terraform.

Each check raises the kit's :class:`ValidationError` with the service's own
pattern in the message. A Terraform reference (a cdktf token such as another
resource's ``.arn``) is accepted as it is: terraform resolves it.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import ValidationError

# cdktf encodes an unresolved reference in a str as ${TfToken[TOKEN.n]}.
_TOKEN = re.compile(r"\$\{TfToken\[TOKEN\.\d+\]\}")
_PARTITION = r"aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_ACCOUNT = r"\d{12}"

# service -> (resource pattern, example); region and account are required.
ARN_SHAPES: dict[str, tuple[str, str]] = {
    # A key ARN, never an alias ARN: an alias does not identify a key in a
    # policy's Resource, so a grant on it would allow nothing.
    "kms": (r"key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    "dynamodb-table": (r"table/[a-zA-Z0-9_.-]{3,255}",
                       "arn:aws:dynamodb:us-east-1:123456789012:table/prod-Orders"),
    "dynamodb-stream": (r"table/[a-zA-Z0-9_.-]{3,255}/stream/[0-9T:.-]+",
                        "arn:aws:dynamodb:us-east-1:123456789012:table/prod-Orders/stream/2026-11-27T03:00:00.000"),
    "sqs": (r"[a-zA-Z0-9_-]{1,75}(?:\.fifo)?", "arn:aws:sqs:us-east-1:123456789012:my-dlq"),
    "sns": (r"[a-zA-Z0-9_-]{1,251}(?:\.fifo)?", "arn:aws:sns:us-east-1:123456789012:my-topic"),
    "backup-vault": (r"backup-vault:[a-zA-Z0-9_.-]{2,50}",
                     "arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault"),
}
_SERVICE_OF = {"dynamodb-table": "dynamodb", "dynamodb-stream": "dynamodb", "backup-vault": "backup"}
# IAM policies are global: no region in their ARN.
_IAM_POLICY = re.compile(rf"arn:{_PARTITION}:iam::(?:{_ACCOUNT}|aws):policy/[\w+=,.@/-]{{1,128}}")

IAM_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
IAM_ROLE_NAME_MAX = 64


def is_reference(value: object) -> bool:
    """Whether ``value`` is (or embeds) an unresolved Terraform reference."""
    return isinstance(value, str) and bool(_TOKEN.search(value))


def check_arn(where: str, field: str, value: str, *services: str) -> None:
    """``value`` is an ARN of one of ``services`` (keys of :data:`ARN_SHAPES`,
    or ``"iam-policy"``), or a Terraform reference."""
    if is_reference(value):
        return
    for service in services:
        if service == "iam-policy":
            if _IAM_POLICY.fullmatch(value):
                return
            continue
        resource, _ = ARN_SHAPES[service]
        name = _SERVICE_OF.get(service, service)
        if re.fullmatch(rf"arn:{_PARTITION}:{name}:{_REGION}:{_ACCOUNT}:{resource}", value):
            return
    examples = [
        "arn:aws:iam::123456789012:policy/NAME" if s == "iam-policy" else ARN_SHAPES[s][1]
        for s in services
    ]
    raise ValidationError(
        where, field, value,
        problem=f"is not {' or '.join(_article(s) for s in services)} ARN",
        fix=f"give the full ARN, e.g. {' or '.join(examples)}, or a Terraform reference",
    )


def _article(service: str) -> str:
    words = {"kms": "a KMS key", "dynamodb-table": "a DynamoDB table",
             "dynamodb-stream": "a DynamoDB stream", "sqs": "an SQS queue",
             "sns": "an SNS topic", "backup-vault": "a backup vault", "iam-policy": "an IAM policy"}
    return words[service]


def parse_instant(where: str, field: str, value: str) -> dt.datetime:
    """An RFC 3339 UTC instant that exists (``2026-11-27T03:00:00Z``)."""
    fix = "write a real UTC instant such as 2026-11-27T03:00:00Z"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z", value):
        raise ValidationError(where, field, value, problem="is not an RFC 3339 UTC timestamp", fix=fix)
    try:
        return dt.datetime.fromisoformat(value[:19] + "+00:00")
    except ValueError as error:
        raise ValidationError(where, field, value, problem=f"is not a real instant ({error})", fix=fix) from None


def check_role_name(where: str, field: str, value: str, *, suffix: str = "") -> None:
    """An IAM role name (1-64 of ``[A-Za-z0-9+=,.@_-]``), including ``suffix``."""
    if is_reference(value):
        return
    limit = IAM_ROLE_NAME_MAX - len(suffix)
    if not IAM_ROLE_NAME.fullmatch(value + suffix) or len(value) > limit:
        raise ValidationError(
            where, field, value,
            problem=f"must be 1-{limit} characters of letters, digits and +=,.@_- "
            f"(an IAM role name{f' with {suffix!r} added' if suffix else ''})",
            fix="choose a shorter name without spaces or other characters",
        )
