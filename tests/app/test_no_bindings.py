"""The example app synthesizes without the provider bindings, and identically
with them (the oracle: ``DYNAMODB_KIT_PROVIDER_BINDINGS=1``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dynamodb_kit.core.terraform import BINDINGS_ENV
from helpers import REPO


def run(code: str, bindings: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k != BINDINGS_ENV}
    if bindings:
        env[BINDINGS_ENV] = "1"
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.slow
def test_the_app_synthesizes_identically_through_the_bindings(tmp_path):
    """The three environments, byte for byte, from two fresh processes."""
    outputs = {}
    for mode in ("kit", "bindings"):
        run(f"from stacks.app import build_app; app, _ = build_app(outdir={str(tmp_path / mode)!r}); app.synth()",
            bindings=mode == "bindings")
        outputs[mode] = {p.parent.name: p.read_bytes() for p in (tmp_path / mode / "stacks").glob("*/cdk.tf.json")}
    assert sorted(outputs["kit"]) == ["dev", "prod", "staging"]
    assert outputs["kit"] == outputs["bindings"]


def test_the_app_never_loads_the_provider_bindings(tmp_path):
    """``python main.py``'s whole synth loads no module of the bindings (the
    package is only registered for a user's own imports, which starts nothing)."""
    loaded = run(
        "import sys; from stacks.app import build_app\n"
        f"app, _ = build_app(outdir={str(tmp_path)!r}); app.synth()\n"
        "print(sorted(m for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.')))",
        bindings=False,
    )
    assert loaded.strip() == "[]"
