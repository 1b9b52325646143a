#!/usr/bin/env python
"""Benchmark: whole-app synth (``python main.py``) with the stock provider import
and with the kit's, in one run.

    pipenv run python tests/bench_synth.py [--rounds N]

For each mode it runs the synth N times (default 3) in fresh processes and
reports the median CPU seconds (user + system of python and its node child)
and peak memory (the largest summed RSS of the process tree, sampled every
20 ms), then the kit/stock ratios, and checks that both modes wrote
byte-identical stacks. Ratios from one run are comparable; absolute seconds
depend on the machine.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STOCK_IMPORT_ENV = "DYNAMODB_KIT_STOCK_PROVIDER_IMPORT"


@dataclass
class SynthRun:
    cpu_seconds: float
    peak_rss_mb: float
    outdir: Path


def _tree_rss_kb(pid: int) -> int:
    """Summed VmRSS of a process and all its descendants (Linux /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_synth(stock: bool, outdir: Path) -> SynthRun:
    env = {
        **os.environ,
        "CDKTF_OUTDIR": str(outdir),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    env.pop(STOCK_IMPORT_ENV, None)
    if stock:
        env[STOCK_IMPORT_ENV] = "1"
    process = subprocess.Popen(
        [sys.executable, "main.py"], cwd=REPO, env=env, stdout=subprocess.DEVNULL
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4 reports the child's CPU including the children it waited for (node).
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"synth failed (stock={stock}) with exit {process.returncode}")
    return SynthRun(usage.ru_utime + usage.ru_stime, peak / 1024, outdir)


def identical(left: Path, right: Path) -> bool:
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    others = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    if files != others:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, [str(f) for f in files], shallow=False)
    return not mismatch and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-bench-") as tmp:
        runs: dict[str, list[SynthRun]] = {"stock": [], "kit": []}
        for round_number in range(args.rounds):
            for mode in ("stock", "kit"):  # interleaved, so drift hits both alike
                outdir = Path(tmp) / f"{mode}-{round_number}"
                runs[mode].append(run_synth(mode == "stock", outdir))
        same = identical(runs["stock"][0].outdir, runs["kit"][0].outdir)
    cpu = {mode: statistics.median(r.cpu_seconds for r in rs) for mode, rs in runs.items()}
    rss = {mode: statistics.median(r.peak_rss_mb for r in rs) for mode, rs in runs.items()}
    print(f"whole-app synth, median of {args.rounds} rounds each")
    print(f"{'import':<8}{'CPU s':>10}{'peak MB':>10}")
    for mode in ("stock", "kit"):
        print(f"{mode:<8}{cpu[mode]:>10.2f}{rss[mode]:>10.0f}")
    print(f"kit/stock CPU ratio:    {cpu['kit'] / cpu['stock']:.2f}")
    print(f"kit/stock memory ratio: {rss['kit'] / rss['stock']:.2f}")
    print(f"synthesized output identical: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
