"""Fixtures of the example app's tests: every environment synthesized once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from stacks.app import build_app
from stacks.bootstrap_stack import synth_bootstrap
from stacks.checks import checkov_command
from stacks.delivery import DELIVERY


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole app synthesized once, exactly as ``python main.py`` does."""
    outdir = tmp_path_factory.mktemp("cdktf.out")
    app, _ = build_app(outdir=str(outdir))
    app.synth()
    return outdir / "stacks"


@pytest.fixture(scope="session")
def stacks_json(synth_dir: Path) -> dict[str, dict]:
    """Environment name -> parsed ``cdk.tf.json``."""
    return {
        path.parent.name: json.loads(path.read_text())
        for path in sorted(synth_dir.glob("*/cdk.tf.json"))
    }


@pytest.fixture(scope="session")
def emulator():
    """The kit's emulator, one per session, for the e2e tier (the background
    flows' one: support/background.py)."""
    import tempfile

    from support import background

    return background.emulator(Path(tempfile.gettempdir()) / "e2e")


@pytest.fixture(scope="session")
def bootstrap_dir(tmp_path_factory: pytest.TempPathFactory, stacks_json) -> Path:
    """stacks/bootstrap/cdk.tf.json, laid out as validate_stacks and checkov read it."""
    stacks = tmp_path_factory.mktemp("bootstrap") / "stacks"
    synth_bootstrap(stacks / "bootstrap", DELIVERY, stacks_json)
    return stacks


@pytest.fixture(scope="session")
def checkov_report(tmp_path_factory: pytest.TempPathFactory, synth_dir: Path, bootstrap_dir: Path):
    """One checkov run (it takes seconds to start) over the environments' stacks
    and the bootstrap stack: (its JSON report per file folder, its exit code)."""
    stacks = tmp_path_factory.mktemp("checkov") / "stacks"
    for stack_file in [*synth_dir.glob("*/cdk.tf.json"), bootstrap_dir / "bootstrap" / "cdk.tf.json"]:
        (stacks / stack_file.parent.name).mkdir(parents=True)
        shutil.copyfile(stack_file, stacks / stack_file.parent.name / "cdk.tf.json")
    result = subprocess.run(checkov_command(stacks, "--output", "json"), capture_output=True, text=True)
    report = json.loads(result.stdout)
    by_stack: dict[str, dict[str, list]] = {p.name: {"passed": [], "failed": []} for p in stacks.iterdir()}
    for outcome in ("passed", "failed"):
        for check in report["results"][f"{outcome}_checks"]:
            by_stack[check["file_path"].split("/")[1]][outcome].append(check)
    return by_stack, result.returncode
