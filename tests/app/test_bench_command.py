"""The fast-synth page's benchmark command, run as written (smoke-sized by the
environment: one round, no stock import, no AWS CDK install)."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import REPO, shell_env

PAGE = (REPO / "constructs" / "docs" / "fast-synth.md").read_text()


@pytest.mark.slow
def test_the_benchmark_command_runs_and_checks_the_output_is_identical():
    command = re.search(r"^(python3 -m pipenv run python tests/bench_synth\.py)$", PAGE, re.MULTILINE).group(1)
    result = subprocess.run(command, shell=True, cwd=REPO, capture_output=True, text=True,
                            env=shell_env(DYNAMODB_KIT_BENCH_SMOKE="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| app kit |" in result.stdout and "| floor 30 |" in result.stdout
    assert "app output identical in the two modes: yes" in result.stdout

