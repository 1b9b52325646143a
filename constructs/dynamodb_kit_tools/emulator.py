"""A local AWS emulator: moto's server with the kit's gap-fillers, on loopback.

For trying the kit without an AWS account, for ``main.py --deploy-local`` and
for the end-to-end tests::

    python -m dynamodb_kit_tools.emulator [PORT] [--log FILE]

prints its endpoint (``http://127.0.0.1:PORT``; a free port when none is
given) once it answers, and runs until SIGINT (Ctrl-C), SIGTERM or SIGHUP,
which stop its server too. Then synthesize and deploy with ``AWS_ENDPOINT_URL``
set to the endpoint and any credentials (``AWS_ACCESS_KEY_ID=test``):
:attr:`Emulator.environment`.

The server is moto (a development dependency, ``moto[server]``) patched by
:mod:`dynamodb_kit_tools.moto_patches`, in a child process. moto does not
evaluate IAM policies: it proves shapes and data flow, not access.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Sequence

from .moto_patches import PARENT_PID_ENV

# Fake credentials the emulator accepts; never real ones.
EMULATOR_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
}
HOST = "127.0.0.1"


class EmulatorError(RuntimeError):
    """The emulator could not start, or its server stopped by itself."""


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # Only a listener blocks; connections of an earlier server in TIME_WAIT do not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def wait_until_answering(
    endpoint_url: str, timeout: float = 30.0, server: subprocess.Popen | None = None
) -> None:
    """Return once the emulator at ``endpoint_url`` answers; raise
    :class:`EmulatorError` after ``timeout`` seconds, or as soon as ``server``
    (its process, when known) exits."""
    deadline = time.monotonic() + timeout
    while True:
        if server is not None and server.poll() is not None:
            raise EmulatorError(f"the emulator's server exited with {server.returncode} before it answered")
        try:
            urllib.request.urlopen(f"{endpoint_url}/moto-api/", timeout=1).close()
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise EmulatorError(f"no emulator answered on {endpoint_url} in {timeout:.0f}s") from None
            time.sleep(0.2)


class Emulator:
    """The patched moto server in a child process; a context manager, or
    call :meth:`start` and :meth:`stop`.

    Attributes
    ----------
    port:
        Default: a free loopback port.
    log_path:
        File that receives the server's request log and errors. Default:
        none, discarded.
    """

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.endpoint_url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log = None

    @property
    def environment(self) -> dict[str, str]:
        """What a process needs to use this emulator: its fake credentials and
        region, and ``AWS_ENDPOINT_URL``, which Terraform's AWS provider, boto3,
        the AWS CLI and the kit's synth all read."""
        return {**EMULATOR_CREDENTIALS, "AWS_ENDPOINT_URL": self.endpoint_url}

    @property
    def pid(self) -> int | None:
        """The server process's id while it runs."""
        return self._process.pid if self._process else None

    def start(self, timeout: float = 30.0) -> "Emulator":
        if not _port_is_free(self.port):
            # Never mistake another server on that port for ours.
            raise EmulatorError(f"port {self.port} is in use; choose another or stop what holds it")
        self._log = open(self.log_path, "ab") if self.log_path else None  # closed in stop()
        log = self._log or subprocess.DEVNULL
        self._process = subprocess.Popen(
            [sys.executable, "-m", "dynamodb_kit_tools.moto_patches", "-H", HOST, "-p", str(self.port)],
            env={**os.environ, PARENT_PID_ENV: str(os.getpid())},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            # Its own session: a terminal's Ctrl-C reaches this process, which stops it.
            start_new_session=True,
        )
        try:
            wait_until_answering(self.endpoint_url, timeout, server=self._process)
        except EmulatorError:
            self.stop()
            raise
        return self

    def wait(self) -> int:
        """Block until the server exits; its exit code."""
        if self._process is None:
            raise EmulatorError("the emulator is not running")
        return self._process.wait()

    def stop(self) -> None:
        """Stop the server (SIGTERM, SIGKILL after 10 s); harmless when stopped."""
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


class _Stopped(Exception):
    """A stop signal arrived."""


def _raise_stopped(signum: int, frame: object) -> None:
    raise _Stopped(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dynamodb_kit_tools.emulator",
        description="Run the kit's local AWS emulator until SIGINT, SIGTERM or SIGHUP.",
    )
    parser.add_argument("port", nargs="?", type=int, help="loopback port (default: a free one)")
    parser.add_argument("--log", type=Path, help="write the server's request log to this file")
    args = parser.parse_args(argv)
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _raise_stopped)
    emulator = Emulator(port=args.port, log_path=args.log)
    try:
        emulator.start()
        print(f"emulator at {emulator.endpoint_url} (pid {os.getpid()}); "
              "Ctrl-C or kill stops it", flush=True)
        code = emulator.wait()
        print(f"emulator: its server exited with {code}", file=sys.stderr)
        return 1
    except _Stopped as stopped:
        print(f"emulator: {stopped} received, stopped", flush=True)
        return 0
    except EmulatorError as error:
        print(f"emulator: {error}", file=sys.stderr)
        return 1
    finally:
        # A second signal during the stop must not leave the server running.
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, signal.SIG_IGN)
        emulator.stop()


if __name__ == "__main__":
    sys.exit(main())
