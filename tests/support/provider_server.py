"""TEST SUPPORT: one AWS provider process for a flow's many terraform runs.

Every terraform command starts the AWS provider, which spends a second or two
of CPU building its schema before doing anything; a flow that runs terraform
twenty times pays that twenty times. Terraform can instead attach to a provider
that is already running (``TF_REATTACH_PROVIDERS``, the provider started with
``-debug``, Terraform's documented way to debug a provider): the flow starts it
once and every command of the flow reuses it.

Only for flows whose terraform commands run one at a time, in one region (one
``aws`` provider configuration): a reattached provider serves every
configuration from one process, so an aliased provider of another region would
overwrite the first one's settings. The user's commands (README, docs) never
use this: they start the provider as terraform always does.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from dynamodb_kit_tools.moto_patches import die_with_parent
from dynamodb_kit_tools.terraform_runner import find_provider_mirror

ADDRESS = "registry.terraform.io/hashicorp/aws"
_REATTACH = "TF_REATTACH_PROVIDERS='"
# In -debug mode the provider logs at trace level (megabytes per command, read
# by a thread of the test process); its own log switches turn that off.
QUIET = {name: "off" for name in ("TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_MUX",
                                  "TF_LOG_SDK_HELPER_SCHEMA", "TF_LOG_SDK_HELPER_RESOURCE", "TF_LOG_SDK_FRAMEWORK")}


def _provider_binary() -> Path | None:
    """The newest AWS provider of this platform in the unpacked mirror, or ``None``."""
    mirror = find_provider_mirror()
    if mirror is None:
        return None
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)
    found = [(tuple(int(part) for part in path.parent.parent.name.split(".") if part.isdigit()), path)
             for path in (mirror / ADDRESS).glob(f"*/{sys.platform}_{machine}/terraform-provider-aws*")]
    return max(found)[1] if found else None


def _read_until_closed(fd: int) -> None:
    while os.read(fd, 65536):
        pass


@contextmanager
def shared_provider(env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[dict[str, str]]:
    """Start the mirror's AWS provider once; yield the environment that makes
    terraform attach to it (``{}`` without a mirror: terraform starts its own).
    ``env``: the provider process's extra environment (e.g. ``GOGC``)."""
    binary = _provider_binary()
    if binary is None:
        yield {}
        return
    # AWS_CA_BUNDLE: the provider wraps its HTTP client with the bundle on every
    # configure, and a process configured twice fails ("unable to add custom
    # RootCAs"); the flows talk plain HTTP to the emulator.
    base = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}
    base.update(QUIET)
    process = subprocess.Popen([str(binary), "-debug"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**base, **(env or {})}, preexec_fn=die_with_parent)
    try:
        assert process.stdout is not None
        deadline, printed, reattach = time.monotonic() + timeout, "", None
        while reattach is None:
            # Never block past the deadline on a provider that prints nothing.
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
                break
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            printed += chunk.decode(errors="replace")
            line = next((line for line in printed.splitlines() if _REATTACH in line and line.endswith("'")), None)
            if line:
                reattach = line.split(_REATTACH, 1)[1][:-1]
        if reattach is None:
            raise RuntimeError(f"the AWS provider ({binary}) printed no {_REATTACH[:-2]}: {printed[-500:]}")
        json.loads(reattach)  # fail here, not inside terraform, if the format changes
        # Keep reading its output, or the provider blocks on a full pipe.
        drain = threading.Thread(target=_read_until_closed, args=(process.stdout.fileno(),), daemon=True)
        drain.start()
        try:
            yield {"TF_REATTACH_PROVIDERS": reattach}
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass  # killed below
            drain.join(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
