"""A local AWS emulator (moto in server mode) on a free loopback port.

For trying the kit without an AWS account and for the end-to-end tests::

    python -m dynamodb_kit_tools.emulator          # prints the endpoint, runs until Ctrl-C

then synthesize with ``DYNAMODB_KIT_ENDPOINT_URL=<endpoint>`` and apply with
terraform (credentials: any value, e.g. ``AWS_ACCESS_KEY_ID=test``).
moto does not evaluate IAM policies: it proves shapes and data flow, not access.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Sequence

# Fake credentials the emulator accepts; never real ones.
EMULATOR_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Emulator:
    """A moto server process; use as a context manager or call start/stop."""

    def __init__(
        self,
        port: int | None = None,
        log_path: Path | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        """``command`` replaces ``moto_server`` (same ``-H``/``-p`` arguments),
        e.g. a launcher that patches moto first. Default: ``moto_server``."""
        self.port = port or free_port()
        self.command = list(command) if command else None
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log = None

    def start(self, timeout: float = 30.0) -> "Emulator":
        server = self.command or [
            shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
        ]
        self._log = open(self.log_path, "ab") if self.log_path else None  # closed in stop()
        log = self._log or subprocess.DEVNULL
        self._process = subprocess.Popen(
            [*server, "-H", "127.0.0.1", "-p", str(self.port)],
            # AWS-managed policies must exist to be attached (e.g. backup roles).
            env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self._process.returncode}")
            try:
                urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on {self.endpoint_url} in {timeout}s")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    with Emulator(port=int(sys.argv[1]) if len(sys.argv) > 1 else None) as emulator:
        print(f"emulator at {emulator.endpoint_url}; Ctrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
