"""TEST SUPPORT: the AWS API calls an emulator recorded, as IAM actions.

The emulator's server is moto, whose recorder (``/moto-api/recorder/``) writes
every request it answers. Each request names its caller (the access key in its
SigV4 ``Authorization`` header) and its service (the signing name); the
operation comes from the protocol: ``X-Amz-Target`` (JSON), ``Action=`` (query),
``/service/.../operation/OP`` (RPC v2), or the method and path (S3's REST API).
The IAM action is ``<prefix>:<operation>`` except where IAM names it otherwise
(S3 objects and listings, CloudWatch's signing name).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import urllib.request
from collections import Counter
from typing import NamedTuple

# Signing name -> IAM prefix, where they differ.
IAM_PREFIX = {"monitoring": "cloudwatch"}
_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d{8}/[^/]+/([^/]+)/aws4_request")
_RPC = re.compile(r"/service/[^/]+/operation/(\w+)")


class Call(NamedTuple):
    access_key: str
    action: str  # IAM action, e.g. dynamodb:DescribeTable


def start(endpoint: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/recorder/start-recording", method="POST"),
                           timeout=10).close()


def stop(endpoint: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/recorder/stop-recording", method="POST"),
                           timeout=10).close()


def download(endpoint: str) -> list[dict]:
    """Every recorded request. moto's threads each append an entry and then a
    newline, so two entries may meet on one line: read them as a stream."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/recorder/download-recording", timeout=30) as response:
        text = response.read().decode()
    decoder, entries, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return entries
        entry, at = decoder.raw_decode(text, at)
        entries.append(entry)


def _s3_action(method: str, url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
    path = parsed.path.strip("/")
    has_key = "/" in path
    if has_key:
        return {"GET": "s3:GetObject", "HEAD": "s3:GetObject", "PUT": "s3:PutObject",
                "DELETE": "s3:DeleteObject"}.get(method, f"s3:?{method} object")
    if method == "GET" and "list-type" in query:
        return "s3:ListBucket"
    return f"s3:?{method} bucket {sorted(query)}"


def action_of(entry: dict) -> Call | None:
    """The caller and IAM action of one recorded request (None: not signed)."""
    headers = {k.lower(): v for k, v in entry["headers"].items()}
    match = _CREDENTIAL.search(headers.get("authorization", ""))
    if not match:
        return None
    access_key, service = match.groups()
    prefix = IAM_PREFIX.get(service, service)
    if service == "s3":
        return Call(access_key, _s3_action(entry["method"], entry["url"]))
    target = headers.get("x-amz-target")
    if target:
        return Call(access_key, f"{prefix}:{target.rsplit('.', 1)[-1]}")
    rpc = _RPC.search(urllib.parse.urlsplit(entry["url"]).path)
    if rpc:
        return Call(access_key, f"{prefix}:{rpc.group(1)}")
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        body = base64.b64decode(body).decode(errors="replace")
    form = urllib.parse.parse_qs(body)
    if "Action" in form:
        return Call(access_key, f"{prefix}:{form['Action'][0]}")
    return Call(access_key, f"{prefix}:?{entry['method']} {urllib.parse.urlsplit(entry['url']).path}")


def actions_by_caller(entries: list[dict]) -> dict[str, Counter]:
    """Access key -> how often each IAM action was called."""
    found: dict[str, Counter] = {}
    for entry in entries:
        call = action_of(entry)
        if call is not None:
            found.setdefault(call.access_key, Counter())[call.action] += 1
    return found
