"""CDK Terrain (``cdktn``, cdktf's maintained fork) in place of cdktf.

In a throwaway venv holding cdktn and no cdktf, the kit's one seam
(``dynamodb_kit/core/terraform.py``) takes its classes from cdktn; the example
app must synthesize to the same Terraform JSON, apart from the CDK's own
version in the metadata. Skipped, with the reason printed, when cdktn cannot
be installed (no package registry).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from helpers import REPO
from support import background

CDKTN = "cdktn==0.24.0"


@background.flow(__name__, "cdk_terrain")
def cdk_terrain_flow(context: background.Context) -> tuple[str, Path | None]:
    """The app synthesized with cdktn in its own venv, in a background flow from
    the session's start: (what went wrong or the probe's output, the outdir)."""
    # No pip of its own (ensurepip takes seconds): the suite's pip installs into it.
    venv.create(context.work / "venv", with_pip=False)
    python = str(context.work / "venv" / "bin" / "python")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile",
                              "--disable-pip-version-check", CDKTN], env=context.env, capture_output=True, text=True)
    if install.returncode != 0:
        return f"cannot install {CDKTN}: {install.stderr.strip()[-300:]}", None
    outdir = context.work / "out"
    env = {**context.env, "PYTHONPATH": f"{REPO / 'constructs'}{os.pathsep}{REPO}"}
    env.pop("DYNAMODB_KIT_PROVIDER_BINDINGS", None)
    probe = (f"import sys; from stacks.app import build_app; app, _ = build_app(outdir={str(outdir)!r}); "
             "app.synth(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'cdktn')))")
    result = subprocess.run([python, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return result.stdout, outdir


@pytest.mark.slow
@pytest.mark.background
def test_the_app_synthesizes_the_same_json_with_cdk_terrain(synth_dir):
    output, outdir = background.result("cdk_terrain")
    if outdir is None:
        pytest.skip(output)
    assert "'cdktn'" in output and "'cdktf'" not in output
    for env_name in ("dev", "staging", "prod"):
        ours = json.loads((synth_dir / env_name / "cdk.tf.json").read_text())
        theirs = json.loads((outdir / "stacks" / env_name / "cdk.tf.json").read_text())
        assert (ours["//"]["metadata"].pop("version"), theirs["//"]["metadata"].pop("version")) == ("0.21.0", "0.24.0")
        assert ours == theirs
