"""The Node that runs cdktf: the one pinned in package.json, a release jsii supports.

jsii's Python runtime starts ``$JSII_NODE`` or else the first ``node`` on PATH.
``.ci/setup`` links the pinned Node (npm package ``node``) into ``.venv/bin``,
which ``pipenv run`` puts first on PATH; these tests look at the processes
really started, so they fail if anything (PATH, a missing binary) lets the
machine's Node through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cdktf  # noqa: F401  (importing it starts the jsii runtime's node process)

from helpers import REPO

SUPPORTED_MAJORS = (22, 24)  # the releases jsii supports; 20 is end-of-life for it


def jsii_runtime_executables() -> list[str]:
    """The executable of each child of this process that runs jsii's runtime."""
    found = []
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        for child in Path(f"/proc/{os.getpid()}/task/{task}/children").read_text().split():
            try:
                args = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
                if any(arg.endswith(b"jsii-runtime.js") for arg in args):
                    found.append(os.readlink(f"/proc/{child}/exe"))
            except FileNotFoundError:  # a short-lived child (terraform, checkov) ended
                continue
    return found


def test_the_jsii_runtime_runs_the_pinned_supported_node():
    (executable,) = jsii_runtime_executables()
    version = subprocess.run(
        [executable, "-p", "process.versions.node"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert int(version.split(".")[0]) in SUPPORTED_MAJORS, f"{executable} is Node {version}"
    pinned = json.loads((REPO / "package.json").read_text())["devDependencies"]["node"]
    assert version == pinned, f"{executable} is Node {version}, package.json pins {pinned}"


def test_a_fresh_python_process_needs_no_node_end_of_life_silencer():
    # How main.py and cdktf.json's app start: a new interpreter importing cdktf.
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII_SILENCE_WARNING")}
    result = subprocess.run(
        [sys.executable, "-c", "import cdktf"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "end-of-life" not in result.stderr and "not supported" not in result.stderr, result.stderr
