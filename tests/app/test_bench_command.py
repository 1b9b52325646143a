"""The fast-synth page's benchmark command, run as written (smoke-sized by the
environment: one round, no stock import, no AWS CDK install), in a background
flow from the session's start: it only runs subprocesses and measures their CPU,
not wall time, so it needs no quiet machine."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import REPO, shell_env
from stacks.environments import ENVIRONMENTS
from support import background

pytestmark = [pytest.mark.slow, pytest.mark.background]

PAGE = (REPO / "constructs" / "docs" / "fast-synth.md").read_text()
COMMAND = re.search(r"^(python3 -m pipenv run python tests/bench_synth\.py)$", PAGE, re.MULTILINE).group(1)


@background.flow(__name__, "bench")
def bench_flow(context: background.Context) -> subprocess.CompletedProcess:
    return subprocess.run(COMMAND, shell=True, cwd=REPO, capture_output=True, text=True,
                          env=shell_env(context.env, DYNAMODB_KIT_BENCH_SMOKE="1"))


def test_the_benchmark_command_runs_and_checks_the_output_is_identical():
    """Also the bindings oracle for the whole app: the three environments from
    two fresh processes, the kit's and the bindings', byte for byte."""
    result = background.result("bench")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| app kit |" in result.stdout and "| floor 30 |" in result.stdout and "| app core |" in result.stdout
    assert re.search(r"^app core / floor 30 CPU: \d+\.\d\d; app kit / app core CPU: \d+\.\d\d, memory: \d+\.\d\d$",
                     result.stdout, re.MULTILINE)
    assert "app core and app compiled output identical to the kit's: yes" in result.stdout
    assert re.search(r"^app compiled / floor 30 CPU: \d+\.\d\d$", result.stdout, re.MULTILINE)
    assert re.search(r"^app: \d{3} resources and data sources in 3 stacks; floor 30: 30 in 1$", result.stdout, re.MULTILINE)
    environments = ", ".join(sorted(ENVIRONMENTS))
    assert f"app output identical in the two modes: yes ({environments}, byte for byte)" in result.stdout
