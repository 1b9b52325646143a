#!/usr/bin/env python
"""Benchmark: synth CPU and memory, the kit against the provider bindings and AWS CDK.

    python3 -m pipenv run python tests/bench_synth.py

In one run, each case in fresh processes (median of ``--rounds``, default 3):

- ``floor``: ``import cdktf; cdktf.App()``, the least any cdktf app costs, and
  ``floor 30``: cdktf core alone synthesizing 30 tables as generic
  ``TerraformResource``s (the target: the whole app within 1.5x of it);
- ``app kit``: the whole app, three environments (``python main.py``), and
  ``app core``: the same files rebuilt through the kit's generic element layer
  alone, none of its constructs (``tests/bench_core_replay.py``: the same
  construct tree, cdktf's generic elements holding the attributes as
  written), what this output costs cdktf itself,
  and ``app compiled``: the same with the resource element compiled to
  TypeScript by jsii (``tests/bench_compiled_element.py``: attributes given
  once, no callbacks), how far that approach would go;
- ``app bindings``: the same through the provider bindings, lazily imported
  (``DYNAMODB_KIT_PROVIDER_BINDINGS=1``), and ``app stock``: with the bindings'
  stock import (``DYNAMODB_KIT_STOCK_PROVIDER_IMPORT=1`` too);
- ``N kit`` / ``N stock``: an app of N tables, each with a GSI, its own
  customer-managed key and a Lambda role granted read/write (N = 1, 30, 100);
- ``N aws-cdk``: the same N tables, keys and roles in AWS CDK Python (TableV2,
  kms.Key, iam.Role, grant_read_write_data), when ``aws-cdk-lib`` can be
  installed into a throwaway venv (never into the Pipfile).

CPU is user + system of the process and its children (node); peak memory is
the largest RSS of a single process of the tree, sampled every 20 ms. It prints
the ratios and checks that the three synth modes of the app wrote byte-identical
stacks. ``DYNAMODB_KIT_BENCH_SMOKE=1`` (the test suite) runs one round of the
cases that take seconds, not minutes (no stock import, no AWS CDK, N = 1).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SMOKE = os.environ.get("DYNAMODB_KIT_BENCH_SMOKE") == "1"
AWS_CDK = "aws-cdk-lib==2.275.0"

KIT_N_TABLES = """
import sys
from dynamodb_kit import *
from dynamodb_kit.core.terraform import App, TerraformStack
app = App(outdir=sys.argv[2]); stack = TerraformStack(app, "bench")
add_aws_provider(stack, region="us-east-1")
for i in range(int(sys.argv[1])):
    table = Table(stack, f"T{i}", TableProps(
        table_name=f"table-{i}", partition_key=Attribute("pk"), sort_key=Attribute("sk"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByOwner", partition_key=Attribute("owner")),),
        encryption=TableEncryption.customer_managed()))
    LambdaRole(stack, f"R{i}", LambdaRoleProps(function_name=f"fn-{i}", grants=(
        TableGrant(table=table, patterns=(AccessPattern.GET_ITEM, AccessPattern.PUT_ITEM,
                   AccessPattern.UPDATE_ITEM, AccessPattern.QUERY), query_indexes=("ByOwner",)),)))
app.synth()
"""

CORE_30_TABLES = """
import sys
from cdktf import App, TerraformResource, TerraformStack
app = App(outdir=sys.argv[1]); stack = TerraformStack(app, "floor")
for i in range(30):
    table = TerraformResource(stack, f"T{i}", terraform_resource_type="aws_dynamodb_table")
    table.add_override("name", f"table-{i}"); table.add_override("hash_key", "pk")
    table.add_override("attribute", [{"name": "pk", "type": "S"}])
app.synth()
"""

AWS_CDK_N_TABLES = """
import sys
import aws_cdk as cdk
from aws_cdk import aws_dynamodb as ddb, aws_iam as iam, aws_kms as kms
app = cdk.App(outdir=sys.argv[2])
stack = cdk.Stack(app, "bench", env=cdk.Environment(account="123456789012", region="us-east-1"))
for i in range(int(sys.argv[1])):
    key = kms.Key(stack, f"K{i}", enable_key_rotation=True)
    table = ddb.TableV2(stack, f"T{i}", table_name=f"table-{i}",
        partition_key=ddb.Attribute(name="pk", type=ddb.AttributeType.STRING),
        sort_key=ddb.Attribute(name="sk", type=ddb.AttributeType.STRING),
        global_secondary_indexes=[ddb.GlobalSecondaryIndexPropsV2(index_name="ByOwner",
            partition_key=ddb.Attribute(name="owner", type=ddb.AttributeType.STRING))],
        encryption=ddb.TableEncryptionV2.customer_managed_key(key),
        point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True))
    role = iam.Role(stack, f"R{i}", role_name=f"fn-{i}-role",
                    assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    table.grant_read_write_data(role)
app.synth()
"""


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    except (FileNotFoundError, ProcessLookupError):
        return 0


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds of the tree, peak MiB of its largest process)."""
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max([peak] + [_rss_kb(p) for p in _tree(process.pid)])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4 reports the child's CPU including the children it waited for (node).
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, peak / 1024


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DYNAMODB_KIT_PROVIDER_BINDINGS", "DYNAMODB_KIT_STOCK_PROVIDER_IMPORT")}
    return {**env, **extra}


def aws_cdk_python(tmp: Path) -> str | None:
    """A throwaway venv with aws-cdk-lib, or None (with the reason printed)."""
    target = tmp / "aws-cdk-venv"
    venv.create(target, with_pip=True)
    python = str(target / "bin" / "python")
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", AWS_CDK],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"aws-cdk: skipped, could not install {AWS_CDK}: {result.stderr.strip()[-200:]}")
        return None
    return python


def compiled_element(workdir: Path) -> str | None:
    """The compiled element's Python folder (tests/bench_compiled_element.py), or None with the reason printed."""
    result = subprocess.run([sys.executable, str(REPO / "tests" / "bench_compiled_element.py"), str(workdir)],
                            capture_output=True, text=True, env=clean_env())
    if result.returncode != 0:
        print(f"app compiled: skipped, the jsii compiler failed: {(result.stdout + result.stderr).strip()[-300:]}")
        return None
    return result.stdout.strip()


def identical(left: Path, right: Path) -> bool:
    files = sorted(str(p.relative_to(left)) for p in left.rglob("cdk.tf.json"))
    others = sorted(str(p.relative_to(right)) for p in right.rglob("cdk.tf.json"))
    _, mismatch, errors = filecmp.cmpfiles(left, right, files, shallow=False)
    return files == others and bool(files) and not mismatch and not errors


def warm_bindings() -> None:
    """Byte-compile the provider bindings (about 25 CPU s, once; later runs find
    them current), as a first import on a machine that writes bytecode would:
    ``.ci/setup`` leaves them out, since only the oracle tests import a few of
    their 2,200 modules, and the stock import loads them all."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("cdktf_cdktf_provider_aws")
    if spec and spec.submodule_search_locations:
        compileall.compile_dir(next(iter(spec.submodule_search_locations)), quiet=1, workers=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1 if SMOKE else 3)
    args = parser.parse_args()
    sizes = (1,) if SMOKE else (1, 30, 100)
    results: dict[str, tuple[float, float]] = {}
    if not SMOKE:
        warm_bindings()
    with tempfile.TemporaryDirectory(prefix="dynamodb-kit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            # An App makes its outdir: keep it in the scratch folder, never the checkout.
            "floor": ([sys.executable, "-c", f"import cdktf; cdktf.App(outdir={str(tmp / 'floor-0')!r})"],
                      clean_env()),
            "floor 30": ([sys.executable, "-c", CORE_30_TABLES, str(tmp / "floor")], clean_env()),
        }
        stock = {"DYNAMODB_KIT_PROVIDER_BINDINGS": "1", "DYNAMODB_KIT_STOCK_PROVIDER_IMPORT": "1"}
        modes = (("kit", {}), ("bindings", {"DYNAMODB_KIT_PROVIDER_BINDINGS": "1"}))
        modes += () if SMOKE else (("stock", stock),)
        for mode, extra in modes:
            cases[f"app {mode}"] = ([sys.executable, "main.py"],
                                    clean_env(CDKTF_OUTDIR=str(tmp / f"app-{mode}"), **extra))
            if mode == "kit":  # replays what the kit case just wrote
                replay = [sys.executable, str(REPO / "tests" / "bench_core_replay.py"), str(tmp / "app-kit" / "stacks")]
                cases["app core"] = (replay + [str(tmp / "app-core")], clean_env())
                compiled = compiled_element(tmp / "compiled-element")
                if compiled:
                    cases["app compiled"] = (replay + [str(tmp / "app-compiled"), "--compiled", compiled], clean_env())
        cdk_python = None if SMOKE else aws_cdk_python(tmp)
        for n in sizes:
            for mode, extra in (("kit", {}),) + (() if SMOKE else (("stock", stock),)):
                cases[f"{n} {mode}"] = ([sys.executable, "-c", KIT_N_TABLES, str(n), str(tmp / f"{n}-{mode}")],
                                        clean_env(**extra))
            if cdk_python:
                cases[f"{n} aws-cdk"] = ([cdk_python, "-c", AWS_CDK_N_TABLES, str(n), str(tmp / f"{n}-cdk")],
                                         clean_env())
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, (command, env) in cases.items():  # interleaved, so drift hits all alike
                samples[name].append(measure(command, env))
        same = identical(tmp / "app-kit", tmp / "app-bindings") and (
            SMOKE or identical(tmp / "app-kit", tmp / "app-stock"))
        same_core = identical(tmp / "app-kit", tmp / "app-core") and (
            "app compiled" not in cases or identical(tmp / "app-kit", tmp / "app-compiled"))
        compared = sorted(p.parent.name for p in (tmp / "app-kit").rglob("cdk.tf.json"))
        elements = sum(len(items) for p in (tmp / "app-kit").rglob("cdk.tf.json")
                       for kind in ("resource", "data") for items in json.loads(p.read_text()).get(kind, {}).values())
    for name, runs in samples.items():
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    print(f"synth, median of {args.rounds} round(s); CPU of the process tree, peak RSS of its largest process")
    print(f"| case | CPU s | peak MiB |\n| --- | --- | --- |")
    for name, (cpu, rss) in results.items():
        print(f"| {name} | {cpu:.2f} | {rss:.0f} |")
    print(f"app: {elements} resources and data sources in {len(compared)} stacks; floor 30: 30 in 1")
    print(f"app kit / floor 30 CPU: {results['app kit'][0] / results['floor 30'][0]:.2f}")
    print(f"app core / floor 30 CPU: {results['app core'][0] / results['floor 30'][0]:.2f}; "
          f"app kit / app core CPU: {results['app kit'][0] / results['app core'][0]:.2f}, "
          f"memory: {results['app kit'][1] / results['app core'][1]:.2f}")
    if "app compiled" in results:
        print(f"app compiled / floor 30 CPU: {results['app compiled'][0] / results['floor 30'][0]:.2f}")
    if "app stock" in results:
        print(f"app kit / app stock CPU: {results['app kit'][0] / results['app stock'][0]:.2f}, "
              f"memory: {results['app kit'][1] / results['app stock'][1]:.2f}")
    for n in sizes:
        if f"{n} aws-cdk" in results:
            print(f"{n} tables: kit / aws-cdk CPU {results[f'{n} kit'][0] / results[f'{n} aws-cdk'][0]:.2f}, "
                  f"kit / stock CPU {results[f'{n} kit'][0] / results[f'{n} stock'][0]:.2f}")
    print(f"app output identical in the {'two' if SMOKE else 'three'} modes: {'yes' if same else 'NO'} "
          f"({', '.join(compared)}, byte for byte)")
    print(f"app core{' and app compiled' if 'app compiled' in results else ''} output identical to the kit's: "
          f"{'yes' if same_core else 'NO'}")
    if not (same and same_core):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
