"""checkov, the kit's policy rules and terraform validate on the real synthesized stacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dynamodb_kit_tools.terraform_runner import find_provider_mirror
from stacks.checks import run_policy_rules, validate_stacks
from stacks.environments import ENVIRONMENTS

from helpers import REPO


def test_checkov_reports_no_failed_check(checkov_report, stacks_json):
    by_stack, returncode = checkov_report
    failed = [check for checks in by_stack.values() for check in checks["failed"]]
    assert failed == [], json.dumps(failed, indent=1)[:4000]
    assert returncode == 0
    # It really looked at every stack: resources from each file were checked.
    assert set(stacks_json) == set(ENVIRONMENTS) and set(by_stack) == set(ENVIRONMENTS) | {"bootstrap"}
    for env in ENVIRONMENTS:
        assert len(by_stack[env]["passed"]) >= 10, env


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
