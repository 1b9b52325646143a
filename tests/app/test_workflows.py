"""The GitHub Actions workflows: the three checkers clean (and able to fail),
and what the issue asks of them, read from the YAML: pins, permissions,
environments, concurrency, the plan-then-apply-that-plan chain, and steps
that call the repository's own commands."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from stacks.checks import run_workflow_checks, workflow_check_commands
from stacks.delivery import DELIVERY
from stacks.environments import ENVIRONMENTS

from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
ENVS = list(ENVIRONMENTS)
# Every action, pinned to a full commit SHA with its version in a comment.
PINS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "aws-actions/configure-aws-credentials": ("e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"),
    "hashicorp/setup-terraform": ("dfe3c3f87815947d99a8997f908cb6525fc44e9e", "v4.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/setup-node": ("820762786026740c76f36085b0efc47a31fe5020", "v7.0.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
}
# What a step may run: the repository's own commands, nothing inline.
REPO_COMMANDS = (
    re.compile(r"bash \.ci/setup"),
    re.compile(r"python3 -m pipenv run python (base/)?main\.py( --check)?"),
    re.compile(r'python3 -m dynamodb_kit_tools\.ci (plan|apply|summary|comment)( [\w"$.-]+| --[\w-]+ [\w"$.-]+)*'),
    re.compile(r"python3 -m pipenv run python -m dynamodb_kit_tools\.ci cost( --[\w-]+ [\w/.-]+)*"),
)


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict]:
    return {p.name: load(p.name) for p in sorted(WORKFLOWS.glob("*.yml"))}


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def test_the_workflows_are_the_two_of_the_issue(workflows):
    assert sorted(workflows) == ["deploy.yml", "plan.yml"]
    assert workflows["plan.yml"]["on"] == {"pull_request": {"branches": ["main"]}}
    assert workflows["deploy.yml"]["on"] == {"push": {"branches": ["main"]}}
    for text in (p.read_text() for p in WORKFLOWS.glob("*.yml")):
        assert "pull_request_target" not in text and "workflow_run" not in text


def test_the_three_checkers_are_clean_through_main_check(capsys, monkeypatch):
    # Plain text even where a CI runner forces colour.
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    assert run_workflow_checks() == 0
    out = capsys.readouterr().out
    assert "zizmor: clean (No findings to report." in out
    assert "actionlint: clean (✓ All workflow files passed lint checks)" in out
    assert "check-jsonschema: clean (ok -- validation done)" in out
    assert out.splitlines()[-1] == "workflow checks: 2 workflows, 0 checker(s) failed"
    assert "\x1b[" not in out


@pytest.mark.parametrize("checker, file, old, new, finding", [
    # an untrusted expression inside run: (template injection)
    ("zizmor", "plan.yml", "run: bash .ci/setup",
     'run: echo "${{ github.event.pull_request.title }}" && bash .ci/setup', "template-injection"),
    # a job that needs a job that does not exist
    ("actionlint", "deploy.yml", "needs: plan-dev\n", "needs: plan-qa\n", "plan-qa"),
    # a permission level GitHub does not know
    ("check-jsonschema", "deploy.yml", "      contents: read # check out the repository\n",
     "      contents: maybe\n", "Schema validation errors"),
])
def test_each_checker_fails_on_what_it_checks(tmp_path, checker, file, old, new, finding):
    bad = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS, bad)
    text = (bad / file).read_text()
    assert old in text
    (bad / file).write_text(text.replace(old, new, 1))
    result = subprocess.run(workflow_check_commands(bad)[checker], cwd=REPO, capture_output=True, text=True)
    assert result.returncode != 0 and finding in result.stdout + result.stderr


def test_main_check_fails_on_a_finding(tmp_path, capsys):
    bad = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS, bad)
    (bad / "plan.yml").write_text((bad / "plan.yml").read_text().replace(
        "run: bash .ci/setup", 'run: echo "${{ github.head_ref }}" && bash .ci/setup', 1))
    assert run_workflow_checks(bad) == 1
    out = capsys.readouterr().out
    assert "zizmor: exit" in out and "template-injection" in out
    assert "actionlint: exit" in out and "potentially untrusted" in out  # actionlint sees it too
    assert out.splitlines()[-1] == "workflow checks: 2 workflows, 2 checker(s) failed"


def test_every_action_is_pinned_to_the_commit_of_its_version():
    seen = set()
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text().splitlines():
            match = re.match(r"\s*(?:- )?uses: (\S+)(.*)$", line)
            if not match:
                continue
            action, rest = match.groups()
            name, _, ref = action.partition("@")
            assert name in PINS, f"{path.name}: {action} is not one of the pinned actions"
            sha, version = PINS[name]
            assert ref == sha and rest.strip() == f"# {version}", f"{path.name}: {line.strip()}"
            seen.add(name)
    assert seen == set(PINS)


def test_permissions_are_empty_at_the_top_and_least_per_job(workflows):
    for name, workflow in workflows.items():
        assert workflow["permissions"] == {}, name
        for job_id, job in workflow["jobs"].items():
            permissions = job["permissions"]
            assert set(permissions.values()) <= {"read", "write"}
            assert permissions["contents"] == "read", (name, job_id)
            uses_aws = any("configure-aws-credentials" in s.get("uses", "") for s in job.get("steps", []))
            assert (permissions.get("id-token") == "write") == uses_aws, (name, job_id)
            writes = {k for k, v in permissions.items() if v == "write"} - {"id-token"}
            assert writes == ({"pull-requests"} if (name, job_id) == ("plan.yml", "summary") else set())
            assert job["timeout-minutes"] <= 60


def test_checkouts_keep_no_credentials_and_terraform_runs_unwrapped(workflows):
    for name, workflow in workflows.items():
        for job_id, _, step in steps(workflow):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, (name, job_id)
            if uses.startswith("hashicorp/setup-terraform@"):
                assert step["with"] == {"terraform_version": "1.11.4", "terraform_wrapper": False}
            if uses.startswith("actions/setup-node@"):
                assert step["with"]["node-version"] in ("22", "24")
            if uses.startswith("actions/setup-python@"):
                assert step["with"]["python-version"] == "3.11"
            if uses.startswith("actions/upload-artifact@"):
                assert step["with"]["retention-days"] <= 3


def test_steps_run_repo_commands_and_no_expression(workflows):
    for name, workflow in workflows.items():
        for job_id, _, step in steps(workflow):
            if "run" not in step:
                continue
            command = step["run"].strip()
            assert "${{" not in command, (name, job_id, command)
            assert "\n" not in command, (name, job_id, command)
            assert any(p.fullmatch(command) for p in REPO_COMMANDS), (name, job_id, command)


def role_arn(env: str, phase: str) -> str:
    return f"arn:aws:iam::${{{{ vars.AWS_ACCOUNT_ID }}}}:role/{DELIVERY.role_name(env, phase)}"


def aws_step(job: dict) -> dict:
    (step,) = [s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", "")]
    return step["with"]


def test_main_plans_then_applies_that_plan_per_environment_in_order(workflows):
    jobs = workflows["deploy.yml"]["jobs"]
    assert list(jobs) == ["synth"] + [f"{phase}-{env}" for env in ENVS for phase in ("plan", "apply")]
    previous = "synth"
    for env in ENVS:
        plan, apply = jobs[f"plan-{env}"], jobs[f"apply-{env}"]
        assert plan["needs"] == previous and apply["needs"] == f"plan-{env}"
        previous = f"apply-{env}"
        # The reviewers' gate: only the apply job runs in the GitHub Environment
        # (whose OIDC subject the apply role trusts); the plan job does not.
        assert apply["environment"] == env and "environment" not in plan
        for job in (plan, apply):
            assert job["concurrency"] == {"group": f"deploy-{env}", "cancel-in-progress": False}
        assert aws_step(plan)["role-to-assume"] == role_arn(env, "plan")
        assert aws_step(apply)["role-to-assume"] == role_arn(env, "apply")
        assert plan["outputs"] == {"sha256": "${{ steps.plan.outputs.sha256 }}"}
        (plan_run,) = [s for s in plan["steps"] if "run" in s]
        assert plan_run["id"] == "plan" and plan_run["run"] == f"python3 -m dynamodb_kit_tools.ci plan {env}"
        (upload,) = [s for s in plan["steps"] if "upload-artifact" in s.get("uses", "")]
        assert upload["with"]["name"] == f"plan-{env}" and upload["with"]["include-hidden-files"] is True
        (download,) = [s for s in apply["steps"] if "download-artifact" in s.get("uses", "")]
        assert download["with"]["name"] == f"plan-{env}"
        (apply_run,) = [s for s in apply["steps"] if "run" in s]
        # The checksum travels through the job outputs, the plan through the artifact.
        assert apply_run["env"]["PLAN_SHA256"] == f"${{{{ needs.plan-{env}.outputs.sha256 }}}}"
        assert apply_run["run"] == f'python3 -m dynamodb_kit_tools.ci apply {env} --sha256 "$PLAN_SHA256"'
    assert "environment" not in jobs["synth"] and "id-token" not in jobs["synth"]["permissions"]


def test_pull_requests_plan_every_environment_and_apply_nothing(workflows):
    workflow = workflows["plan.yml"]
    jobs = workflow["jobs"]
    assert list(jobs) == ["check", "plan", "summary"]
    assert workflow["concurrency"]["cancel-in-progress"] is True  # an older push's plan is moot
    plan = jobs["plan"]
    assert plan["strategy"]["matrix"]["environment"] == ENVS and plan["needs"] == "check"
    assert aws_step(plan)["role-to-assume"] == role_arn("${{ matrix.environment }}", "plan")
    # The credentials never run the pull request's code: the tools come from the base commit.
    (checkout,) = [s for s in plan["steps"] if "checkout" in s.get("uses", "")]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert not any("apply" in s.get("run", "") for _, _, s in steps(workflow))
    assert "environment" not in plan
    summary = jobs["summary"]
    assert summary["if"] == "always()" and summary["needs"] == "plan"
    runs = [s["run"] for s in summary["steps"] if "run" in s]
    assert runs == ["python3 -m dynamodb_kit_tools.ci summary --out summary.md",
                    "python3 -m dynamodb_kit_tools.ci comment --body summary.md"]
    # The remote state's configuration comes from the repository variables.
    assert workflow["env"] == {
        "DYNAMODB_KIT_STATE_BUCKET": "${{ vars.STATE_BUCKET }}",
        "DYNAMODB_KIT_STATE_KMS_KEY_ARN": "${{ vars.STATE_KMS_KEY_ARN }}",
        "DYNAMODB_KIT_STATE_REGION": "${{ vars.AWS_REGION }}",
    }


def test_the_page_runs_the_workflows_own_steps(workflows):
    """The deploy page's workstation block is the workflows' steps (the e2e
    rehearsal runs the block, and the apply step, as written)."""
    page = (REPO / "constructs" / "docs" / "deploy-from-github-actions.md").read_text()
    workstation = re.findall(r"^```sh\n(.*?)^```", page, flags=re.S | re.M)[1].splitlines()
    plan = workflows["deploy.yml"]["jobs"]["plan-dev"]
    (plan_step,) = [s for s in plan["steps"] if "run" in s]
    assert plan_step["env"] == {"PYTHONPATH": "constructs"}
    synth = [s["run"] for _, _, s in steps(workflows["deploy.yml"]) if "main.py" in s.get("run", "")]
    assert workstation[0] == synth[0].removesuffix(" --check")
    assert workstation[1] == f"PYTHONPATH=constructs {plan_step['run']}"
    summary = [s["run"] for s in workflows["plan.yml"]["jobs"]["summary"]["steps"] if "summary" in s.get("run", "")]
    assert summary[0].startswith(workstation[2].removeprefix("PYTHONPATH=constructs ") + " ")


def test_the_page_shows_the_summary_ci_writes(tmp_path):
    """The page's example comment is what ``ci summary`` writes for such plans and costs."""
    from dynamodb_kit_tools import ci

    page = (REPO / "constructs" / "docs" / "deploy-from-github-actions.md").read_text()
    shown = re.search(r"^```text\n(### Terraform plans.*?)^```", page, flags=re.S | re.M).group(1)
    for env, counts, status in (("dev", (1, 1, 1, 1), 1), ("prod", (0, 1, 0, 0), 0)):
        (tmp_path / env).mkdir()
        (tmp_path / env / "summary.json").write_text(json.dumps({
            "environment": env, **dict(zip(("add", "change", "destroy", "replace"), counts)),
            "resources": [], "guard": {"status": status, "output": ""}}))
    cost = tmp_path / "cost.json"
    cost.write_text(json.dumps({"dev": {"before": 0.51, "after": 0.51},
                                "prod": {"before": 330.02, "after": 301.4}}))
    written = ci.summary_markdown(tmp_path, cost)
    assert written.startswith(ci.COMMENT_MARKER + "\n" + shown)
    assert "| dev | 1 | 1 | 1 | 1 | blocked |\n" in ci.summary_markdown(tmp_path, tmp_path / "no-cost.json")


def test_the_cost_change_is_priced_from_both_commits_stacks(synth_dir, tmp_path, capsys):
    """``ci cost`` as the check job runs it: this commit's stacks against a base
    whose prod MovieRoles is in the Standard-IA class; a base that lacks an
    environment gives no before."""
    from dynamodb_kit_tools import ci

    base = tmp_path / "base"
    shutil.copytree(synth_dir, base)
    prod = json.loads((base / "prod" / "cdk.tf.json").read_text())
    for table in prod["resource"]["aws_dynamodb_table"].values():
        if table["name"] == "prod-MovieRoles":
            table["table_class"] = "STANDARD_INFREQUENT_ACCESS"
    (base / "prod" / "cdk.tf.json").write_text(json.dumps(prod))
    shutil.rmtree(base / "dev")
    out = tmp_path / "cost.json"
    assert ci.main(["cost", "--usage", str(REPO / "stacks" / "example.usage.toml"), "--stacks", str(synth_dir),
                    "--base-stacks", str(base), "--out", str(out)]) == 0
    costs = json.loads(out.read_text())
    assert set(costs) == set(ENVS)
    assert costs["dev"]["before"] is None and costs["dev"]["after"] > 0
    assert costs["staging"]["before"] == costs["staging"]["after"] > 0
    assert costs["prod"]["before"] != costs["prod"]["after"]
    printed = capsys.readouterr().out
    assert f"dev: ${costs['dev']['after']:,.2f}/month" in printed and "prod: $" in printed
