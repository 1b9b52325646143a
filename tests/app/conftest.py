"""Fixtures of the example app's tests: every environment synthesized once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stacks.app import build_app
from stacks.bootstrap_stack import synth_bootstrap
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
    """stacks/bootstrap/cdk.tf.json, synthesized from the session's app."""
    stacks = tmp_path_factory.mktemp("bootstrap") / "stacks"
    synth_bootstrap(stacks / "bootstrap", DELIVERY, stacks_json)
    return stacks
