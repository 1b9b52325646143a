"""The example app synthesizes without the provider bindings. That it
synthesizes identically with them (the oracle: ``DYNAMODB_KIT_PROVIDER_BINDINGS=1``),
the three environments from two fresh processes, is the benchmark's own check
(tests/app/test_bench_command.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from dynamodb_kit.core.terraform import BINDINGS_ENV
from helpers import REPO


def run(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != BINDINGS_ENV}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True).stdout


def test_the_app_never_loads_the_provider_bindings(tmp_path):
    """``python main.py``'s whole synth loads no module of the bindings (the
    package is only registered for a user's own imports, which starts nothing)."""
    loaded = run(
        "import sys; from stacks.app import build_app\n"
        f"app, _ = build_app(outdir={str(tmp_path)!r}); app.synth()\n"
        "print(sorted(m for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.')))",
    )
    assert loaded.strip() == "[]"
