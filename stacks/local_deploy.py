"""``python main.py --deploy-local``: deploy an environment to a fresh local emulator.

Each run starts the kit's emulator (``dynamodb_kit_tools.emulator``) on a free
loopback port, synthesizes the environment with the provider's emulator
settings into a temporary directory, applies it (``AWS_ENDPOINT_URL``) with
the real terraform and AWS provider (from the offline mirror when there is
one), prints what the emulator now holds, read back with boto3, and re-plans:
``terraform plan -detailed-exitcode`` must exit 0 (no changes). Then it stops
the emulator and removes the directory, state included, so a run leaves no
process and no state pointing at an emulator that is gone, and can be
repeated at will. ``cdktf.out`` (the real synth) is not touched.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
from pathlib import Path

from dynamodb_kit_tools.emulator import Emulator, EmulatorError
from dynamodb_kit_tools.inventory import read_inventory
from dynamodb_kit_tools.terraform_runner import (
    Terraform,
    TerraformError,
    find_provider_mirror,
    write_cli_config,
)

from .app import build_app
from .environments import ENVIRONMENTS

DEFAULT_ENVIRONMENT = "dev"


def synth_for_emulator(environment: str, outdir: Path) -> Path:
    """Synthesize one environment with the provider's emulator settings (its URL
    reaches terraform as AWS_ENDPOINT_URL); the stack's directory. Its local
    state lands in ``outdir/..``."""
    app, _ = build_app(outdir=str(outdir), environments=[ENVIRONMENTS[environment]], emulator=True)
    app.synth()
    return outdir / "stacks" / environment


class _Terminated(Exception):
    pass


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated(signal.Signals(signum).name)


def _summary(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(("Apply complete", "No changes"))]
    return lines[-1] if lines else output.strip().splitlines()[-1]


def deploy_local(environment: str = DEFAULT_ENVIRONMENT) -> int:
    """Deploy ``environment`` to a fresh emulator, show it, re-plan; 0 when the
    re-plan shows no changes."""
    config = ENVIRONMENTS[environment]
    # SIGTERM (e.g. a CI timeout) cleans up like Ctrl-C (SIGINT) does.
    previous_handler = signal.signal(signal.SIGTERM, _raise_terminated)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="dynamodb-kit-local-") as tmp:
            work = Path(tmp)
            with Emulator(log_path=work / "emulator.log") as emulator:
                print(f"local deploy: {environment} to the emulator at {emulator.endpoint_url}", flush=True)
                try:
                    return _deploy(environment, config.region, emulator, work)
                except TerraformError as error:
                    print(f"local deploy: {error}", file=sys.stderr)
                    log = (work / "emulator.log").read_text(errors="replace").splitlines()
                    print("emulator log (last lines):\n" + "\n".join(log[-20:]), file=sys.stderr)
                    return 1
    except EmulatorError as error:
        print(f"local deploy: {error} (the emulator needs moto[server], a development "
              "dependency that bash .ci/setup installs)", file=sys.stderr)
        return 1
    except (_Terminated, KeyboardInterrupt) as stop:
        print(f"local deploy: {stop or 'SIGINT'} received, stopped", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        print(f"local deploy: emulator stopped, its state and work directory removed "
              f"({time.monotonic() - started:.0f} s)", flush=True)


def _deploy(environment: str, region: str, emulator: Emulator, work: Path) -> int:
    stack_dir = synth_for_emulator(environment, work / "cdktf.out")
    cli_config = write_cli_config(work / "terraformrc", find_provider_mirror())
    # GOGC=800: the AWS provider spends most of a small run building its schema;
    # a lazier Go garbage collector cuts that CPU by about a third.
    # AWS_ENDPOINT_URL (in emulator.environment) sends the provider's calls to the emulator.
    terraform = Terraform(stack_dir, cli_config, extra_env={**emulator.environment, "GOGC": "800"})
    terraform.run("init")
    applied = terraform.run("apply", "-auto-approve")
    print(f"terraform apply: {_summary(applied.stdout)}", flush=True)
    print(read_inventory(emulator.endpoint_url, region).format(), flush=True)
    replan = terraform.run("plan", "-detailed-exitcode", check=False)
    if replan.returncode == 0:
        print("re-plan: no changes (terraform plan -detailed-exitcode exit 0)", flush=True)
        return 0
    print(f"re-plan: terraform plan -detailed-exitcode exit {replan.returncode}; the deploy "
          f"did not converge:\n{replan.stdout[-4000:]}{replan.stderr[-2000:]}", flush=True)
    return 1
