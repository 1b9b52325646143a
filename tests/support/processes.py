"""TEST SUPPORT: find the processes a test started, from /proc (Linux), to
prove that a command leaves none behind, and to end those it did leave.

Only processes the test itself started are ever signalled: its own session
(``start_new_session=True``) and the emulator servers on the port it chose.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    session: int
    state: str
    cmdline: tuple[str, ...]


def processes() -> list[Proc]:
    """Every live (not zombie) process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] in ("Z", "X"):
            continue
        found.append(Proc(
            pid=int(entry.name), ppid=int(fields[1]), session=int(fields[3]), state=fields[0],
            cmdline=tuple(part.decode(errors="replace") for part in cmdline if part),
        ))
    return found


def in_session(session: int) -> list[Proc]:
    return [p for p in processes() if p.session == session]


def emulator_servers(port: int) -> list[Proc]:
    """The kit's emulator servers (``dynamodb_kit_tools.moto_patches``) on ``port``."""
    return [
        p for p in processes()
        if "dynamodb_kit_tools.moto_patches" in p.cmdline
        and "-p" in p.cmdline and p.cmdline[p.cmdline.index("-p") + 1 :][:1] == (str(port),)
    ]


def children(pid: int) -> list[Proc]:
    return [p for p in processes() if p.ppid == pid]


def alive(pid: int) -> bool:
    return any(p.pid == pid for p in processes())


def wait_until_gone(find, timeout: float = 15.0) -> list[Proc]:
    """Poll ``find()`` until it returns nothing; what is left at the deadline."""
    deadline = time.monotonic() + timeout
    left = find()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = find()
    return left


def end(procs: list[Proc]) -> None:
    """SIGKILL processes a test started and left behind (after it has failed)."""
    for proc in procs:
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
