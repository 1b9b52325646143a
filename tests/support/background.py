"""The suite's long flows (the emulator tier's, and the documented commands
that run in subprocesses), started in background threads when the session
starts, so their terraform, provider, emulator and subprocess time overlaps
the rest of the suite (one test process; its tests still read the results).
They run at a lower priority than the main thread's tests; their timings are
printed at the end of the run.

A flow is a function of a :class:`Context`, registered by its test module with
:func:`flow`; the root conftest starts the flows of every module that has a
selected ``e2e`` or ``background`` test, orders those tests last, and waits
for every flow at the end (nothing is left running). A flow never calls the jsii runtime in-process (the
main thread uses it; the kernel is not thread-safe): it synthesizes in a
subprocess (``support.e2e.synth_tables``) and runs the real commands.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from dynamodb_kit_tools.emulator import Emulator, EmulatorError


@dataclass
class Context:
    base: Path  # the flows' folder of the session's temp folder
    work: Path  # a folder of it, one per flow
    # os.environ as the session started: tests monkeypatch os.environ while
    # flows run, and a subprocess started then would inherit their values.
    env: dict[str, str]

    @property
    def emulator(self) -> Emulator:
        """The session's one emulator, started with the session when a flow
        declares it (``flow(..., emulator=True)``), else by the first that asks."""
        return emulator(self.base)


_FLOWS: dict[str, dict[str, Callable[[Context], Any]]] = {}  # module -> name -> flow
_futures: dict[str, concurrent.futures.Future] = {}
_state: dict[str, Any] = {}


# The flows' threads, and every process they start (children inherit it), run
# at a lower priority than the main thread's tests. Flows that mostly wait
# (terraform, the provider's fixed delays, the emulator) come before those that
# only compute, so their waits overlap the rest instead of ending the session.
WAITING_NICENESS, COMPUTING_NICENESS = 5, 15
_NICENESS: dict[str, int] = {}  # flow -> its threads' niceness
_USES_EMULATOR: set[str] = set()


def flow(module: str, name: str, *, waits: bool = False, emulator: bool = False) -> Callable:
    """Register ``fn(context)`` as a background flow of test module ``module``;
    ``waits``: it spends most of its time waiting, not computing; ``emulator``:
    it uses the session's emulator (``context.emulator``), which then starts
    with the session, at the main thread's priority: several flows call it at
    once, and a slow answer makes the AWS provider retry a create that went through."""

    def register(fn: Callable[[Context], Any]) -> Callable[[Context], Any]:
        _FLOWS.setdefault(module, {})[name] = fn
        _NICENESS[name] = WAITING_NICENESS if waits else COMPUTING_NICENESS
        if emulator:
            _USES_EMULATOR.add(name)
        return fn

    return register


_emulator_lock = threading.Lock()


def emulator(base: Path) -> Emulator:
    """The session's one emulator, started on first use (flows ask at once)."""
    with _emulator_lock:
        if "emulator" not in _state:
            (base / "emulator").mkdir(parents=True, exist_ok=True)
            _state["emulator"] = Emulator(log_path=base / "emulator" / "emulator.log").start()
        return _state["emulator"]


def start(modules: set[str], base: Path) -> None:
    # A flow's name is the session's: modules that share a flow register the same function.
    wanted: dict[str, Callable[[Context], Any]] = {}
    for module in sorted(modules):
        for name, fn in _FLOWS.get(module, {}).items():
            if wanted.setdefault(name, fn) is not fn:
                raise RuntimeError(f"two different flows are named {name!r}")
    if not wanted:
        return
    env = dict(os.environ)
    if _USES_EMULATOR & set(wanted):
        try:  # from this thread: the flows' lower priority would pass to its process
            emulator(base)
        except EmulatorError:
            pass  # each flow that asks tries again, and its tests report why
    _state["started"] = time.monotonic()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=len(wanted), thread_name_prefix="flow")
    _state["executor"] = executor
    for name, fn in wanted.items():
        work = base / f"flow-{name}"
        work.mkdir(parents=True)
        _futures[name] = executor.submit(_timed, name, fn, Context(base, work, env))


timings: dict[str, tuple[float, float]] = {}  # flow -> (start, end), seconds after start()


def _timed(name: str, fn: Callable[[Context], Any], context: Context) -> Any:
    try:  # this thread only, on Linux; elsewhere the flows keep the main thread's priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICENESS[name])
    except OSError:
        pass
    start = time.monotonic() - _state["started"]
    try:
        return fn(context)
    finally:
        timings[name] = (start, time.monotonic() - _state["started"])


def result(name: str) -> Any:
    """A flow's result (its exception, re-raised, if it failed)."""
    if name not in _futures:
        raise RuntimeError(f"flow {name!r} was not started: its module has no selected test")
    return _futures[name].result()


def stop() -> None:
    """Wait for every flow, then stop the emulator."""
    if "executor" in _state:
        _state.pop("executor").shutdown(wait=True)
    if "emulator" in _state:
        _state.pop("emulator").stop()
