"""``python main.py --cost stacks/example.usage.toml``, as a reader runs it:
every environment synthesized and priced, per resource, from its cdk.tf.json
and the usage file (in a background flow: support/background.py)."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import REPO, shell_env
from support import background

from stacks.environments import ENVIRONMENTS

COMMAND = "python3 -m pipenv run python main.py --cost stacks/example.usage.toml"
PAGE = REPO / "constructs" / "docs" / "pricing.md"


@background.flow(__name__, "main_cost")
def main_cost_flow(context: background.Context) -> subprocess.CompletedProcess:
    # CDKTF_OUTDIR keeps the synthesized stacks out of the checkout.
    return subprocess.run(COMMAND, shell=True, cwd=REPO, env=shell_env(context.env, CDKTF_OUTDIR=str(context.work)),
                          capture_output=True, text=True, timeout=300)


@pytest.mark.background
def test_main_cost_prices_every_environment():
    assert f"`{COMMAND}`" in PAGE.read_text() or f"\n{COMMAND}\n" in PAGE.read_text()
    result = background.result("main_cost")
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for env in ENVIRONMENTS:
        assert re.search(rf"^{env} \(us-east-1, .*/{env}/cdk\.tf\.json\), usage from example\.usage\.toml", out, re.M)
        total = re.search(rf"^  total {env} +([\d,.]+)$", out, re.M)
        assert total and float(total.group(1).replace(",", "")) > 0
        for table in ("MovieRoles", "Orders"):
            assert re.search(rf"^  aws_dynamodb_table\.{table}_[0-9A-F]{{8}}: {env}-{table}, ", out, re.M)
    # prod's MovieRoles autoscales on the business-day schedule; the estimate simulates it
    assert "prod-MovieRoles, provisioned, STANDARD" in out
    assert "at least 1,500 when scheduled" in out
    # the page shows prod's MovieRoles throughput as the command prints it
    page = PAGE.read_text()
    block = re.search(r"```text\n(.*?)```", page[page.index(COMMAND):], re.S).group(1)
    assert len(block.splitlines()) == 4
    for line in block.splitlines():
        assert line in out.splitlines()
