"""checkov, the kit's policy rules and terraform validate on the real synthesized stacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dynamodb_kit_tools.terraform_runner import find_provider_mirror
from stacks.checks import run_policy_rules
from stacks.environments import ENVIRONMENTS

from helpers import REPO
from support import background
from support.stack_checks import stack_checks_flow


background.flow(__name__, "stack_checks")(stack_checks_flow)


@pytest.mark.background
def test_checkov_reports_no_failed_check():
    checks = background.result("stack_checks")
    failed = [check for stack in checks.checkov.values() for check in stack["failed"]]
    assert failed == [], json.dumps(failed, indent=1)[:4000]
    assert checks.checkov_exit == 0
    # It really looked at every stack: resources from each file were checked.
    assert set(checks.checkov) == set(ENVIRONMENTS) | {"bootstrap"}
    for env in ENVIRONMENTS:
        assert len(checks.checkov[env]["passed"]) >= 10, env


def test_every_checkov_skip_is_justified():
    text = (REPO / ".checkov.yaml").read_text()
    entries = re.findall(r"^\s*-\s*(CKV\w+)(.*)$", text, flags=re.MULTILINE)
    for check_id, rest in entries:
        assert re.match(r"\s*#\s*\S.{10,}", rest), f"{check_id} is skipped without a justification"


@pytest.mark.terraform
@pytest.mark.background
def test_terraform_validate_every_stack(stacks_json):
    assert find_provider_mirror() is not None, "CI machines have the offline provider mirror"
    checks = background.result("stack_checks")
    assert checks.validate_error == ""
    assert set(stacks_json) <= set(checks.validated)
    for env, stack in stacks_json.items():  # what was validated is what the suite reads
        assert json.loads((checks.stacks / env / "cdk.tf.json").read_text()) == stack


def test_the_policy_rules_pass_every_stack(synth_dir: Path, capsys):
    # What `python main.py --check` runs after terraform validate.
    assert run_policy_rules(synth_dir) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" 0 findings")
