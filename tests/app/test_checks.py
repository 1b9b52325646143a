"""checkov, the kit's policy rules and terraform validate on the real synthesized stacks."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from dynamodb_kit_tools.terraform_runner import find_provider_mirror
from stacks.checks import checkov_command, run_policy_rules, validate_stacks
from stacks.environments import ENVIRONMENTS

from helpers import REPO


def test_checkov_reports_no_failed_check(synth_dir: Path, stacks_json):
    result = subprocess.run(
        checkov_command(synth_dir, "--output", "json"), capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert summary["failed"] == 0, json.dumps(report["results"]["failed_checks"], indent=1)[:4000]
    assert result.returncode == 0
    # It really looked at every stack: resources from each file were checked.
    files = {check["file_path"].split("/")[1] for check in report["results"]["passed_checks"]}
    assert files == set(stacks_json) == set(ENVIRONMENTS)
    assert summary["passed"] >= 10 * len(stacks_json)


def test_every_checkov_skip_is_justified():
    text = (REPO / ".checkov.yaml").read_text()
    entries = re.findall(r"^\s*-\s*(CKV\w+)(.*)$", text, flags=re.MULTILINE)
    for check_id, rest in entries:
        assert re.match(r"\s*#\s*\S.{10,}", rest), f"{check_id} is skipped without a justification"


@pytest.mark.terraform
def test_terraform_validate_every_stack(synth_dir: Path, stacks_json):
    assert find_provider_mirror() is not None, "CI machines have the offline provider mirror"
    assert sorted(validate_stacks(synth_dir)) == sorted(stacks_json)


def test_the_policy_rules_pass_every_stack(synth_dir: Path, capsys):
    # What `python main.py --check` runs after terraform validate.
    assert run_policy_rules(synth_dir) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" 0 findings")
