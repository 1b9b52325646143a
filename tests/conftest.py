"""Session fixtures: synthesize every environment once, parse each stack once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from cdktf import Testing, TerraformStack  # noqa: E402

from stacks.app import build_app  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def stack() -> TerraformStack:
    """A fresh, empty stack for constructing one construct under test."""
    return TerraformStack(Testing.app(), "test")


def resources(stack_json: dict, kind: str) -> dict[str, dict]:
    """All resources of a Terraform type in a parsed stack, by logical id."""
    return stack_json.get("resource", {}).get(kind, {})


def synth_resources(stack: TerraformStack, kind: str) -> list[dict]:
    """Synthesize a test stack and return the resources of one type."""
    return list(resources(json.loads(Testing.synth(stack)), kind).values())
