"""The steps of the GitHub Actions workflows, as commands that run the same on a
workstation, in the tests and in CI::

    python -m dynamodb_kit_tools.ci plan dev            # plan, guard, save the plan bundle
    python -m dynamodb_kit_tools.ci apply dev --sha256 DIGEST
    python -m dynamodb_kit_tools.ci summary             # one Markdown summary of every plan
    python -m dynamodb_kit_tools.ci comment --body FILE # create or update the PR's one comment
    python -m dynamodb_kit_tools.ci cost --usage stacks/example.usage.toml --base-stacks cdktf.out/base/stacks

``plan ENV`` runs ``terraform init`` and ``terraform plan -out`` in the
synthesized stack's directory (``cdktf.out/stacks/ENV``), which must use the
S3 backend with ``use_lockfile`` and hold nothing but the AWS provider's
resources (no other provider, module or provisioner: a pull request's stack
is planned with credentials), shows the plan as JSON, runs the plan guard
on it, and writes the plan bundle ``cdktf.out/plans/ENV``: ``cdk.tf.json``,
the provider lock file ``.terraform.lock.hcl``, the plan ``tfplan``,
``summary.json`` (adds, changes, destroys, replacements, the guard's
verdict) and ``SHA256SUMS``. It prints the bundle's digest (the SHA-256 of
``SHA256SUMS``) and, in GitHub Actions, writes it to the step's outputs
(``sha256``). Exit 1 when terraform fails or the guard blocks the plan.

``apply ENV --sha256 DIGEST`` checks the bundle against the digest (passed
from the plan job's outputs, not through the artifact) and every file against
``SHA256SUMS``, runs ``terraform init -lockfile=readonly`` in the bundle and
applies **that plan file**: Terraform refuses a plan whose state changed since
it was made ("Saved plan is stale"), so a stale plan fails instead of being
re-planned.

``cost`` prices every environment's synthesized stack with the cost tools
(``dynamodb_kit_tools.cost``, a usage file) and, given the base commit's
stacks, the change per environment; ``summary`` adds it to its table.

Standard library only (plus the plan guard; ``cost`` alone loads the cost
tools): the apply job needs no package installed next to its credentials. The tools never import the constructs'
cdktf side.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import urllib.request
from pathlib import Path
from typing import Sequence

from . import plan_guard
from .terraform_runner import Terraform, TerraformError, find_provider_mirror, write_cli_config

STACKS_DIR = Path("cdktf.out/stacks")
PLANS_DIR = Path("cdktf.out/plans")
PLAN_FILE = "tfplan"
LOCK_FILE = ".terraform.lock.hcl"
STACK_FILE = "cdk.tf.json"
SUMMARY_FILE = "summary.json"
SUMS_FILE = "SHA256SUMS"
COST_FILE = Path("cdktf.out/cost.json")
BUNDLE_FILES = (STACK_FILE, LOCK_FILE, PLAN_FILE, SUMMARY_FILE)
DEFAULT_LOCK_TIMEOUT = "5m"
COMMENT_MARKER = "<!-- dynamodb-kit-plan-summary -->"


class CiError(RuntimeError):
    """A step cannot go on; the message says why and what to do."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _terraform(workdir: Path) -> Terraform:
    """terraform with the caller's CLI config, else the provider mirror when
    there is one, else the registry."""
    configured = os.environ.get("TF_CLI_CONFIG_FILE")
    if configured:
        config = Path(configured)
    else:
        config = workdir / ".terraform-cli.rc"
        workdir.mkdir(parents=True, exist_ok=True)
        write_cli_config(config, find_provider_mirror())
    return Terraform(workdir, config)


def check_remote_state(stack: dict, environment: str) -> dict:
    """The stack's S3 backend settings; CI never plans against local state."""
    backend = stack.get("terraform", {}).get("backend", {})
    s3 = backend.get("s3")
    if not s3:
        raise CiError(
            f"{environment}: the stack's backend is {sorted(backend) or 'not set'}, not s3; CI plans and "
            "applies against the remote state only. Synthesize with DYNAMODB_KIT_STATE_BUCKET and "
            "DYNAMODB_KIT_STATE_KMS_KEY_ARN set (the repository variables STATE_BUCKET and STATE_KMS_KEY_ARN)"
        )
    if s3.get("use_lockfile") is not True or s3.get("encrypt") is not True or not s3.get("kms_key_id"):
        raise CiError(f"{environment}: the S3 backend must set use_lockfile, encrypt and kms_key_id: {s3}")
    return s3


# What a synthesized stack may hold for CI to run terraform on it with
# credentials: the AWS provider only, and nothing that runs a program.
ALLOWED_PROVIDER_SOURCES = {"aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"}


def check_stack_runs_nothing_else(stack: dict, environment: str) -> None:
    """Refuse a stack that could run code beside the AWS provider: another
    provider (``external``, ``local``, ...), a module, a provisioner."""
    problems = []
    providers = stack.get("terraform", {}).get("required_providers", {})
    for name, spec in providers.items():
        source = spec.get("source", name) if isinstance(spec, dict) else name
        if name != "aws" or source not in ALLOWED_PROVIDER_SOURCES:
            problems.append(f"provider {name} ({source})")
    problems += [f"provider block {name}" for name in stack.get("provider", {}) if name != "aws"]
    problems += [f"module {name}" for name in stack.get("module", {})]
    for kind, by_id in stack.get("resource", {}).items():
        if not kind.startswith("aws_"):
            problems.append(f"resource type {kind}")
        problems += [f"provisioner in {kind}.{i}" for i, r in by_id.items() if "provisioner" in r]
    problems += [f"data source type {kind}" for kind in stack.get("data", {}) if not kind.startswith("aws_")]
    if problems:
        raise CiError(f"{environment}: the stack holds {', '.join(problems)}; CI runs the AWS provider only")


def count_changes(plan: dict) -> dict:
    """Terraform's own counts (a replacement adds and destroys), plus replacements."""
    counts = {"add": 0, "change": 0, "destroy": 0, "replace": 0}
    changed = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        changed.append({"address": change["address"], "actions": actions})
        counts["add"] += "create" in actions
        counts["change"] += actions == ["update"]
        counts["destroy"] += "delete" in actions
        counts["replace"] += "create" in actions and "delete" in actions
    return {**counts, "resources": changed}


def _guard(plan_json: Path, stack_json: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = plan_guard.main([str(plan_json), "--stack", str(stack_json)])
    return status, out.getvalue()


def write_sums(bundle: Path) -> str:
    lines = "".join(f"{sha256_file(bundle / name)}  {name}\n" for name in BUNDLE_FILES)
    (bundle / SUMS_FILE).write_text(lines)
    return hashlib.sha256(lines.encode()).hexdigest()


def verify_bundle(bundle: Path, digest: str) -> None:
    sums = bundle / SUMS_FILE
    if not sums.is_file():
        raise CiError(f"{bundle}: no {SUMS_FILE}; this is not a plan bundle of `ci plan`")
    if hashlib.sha256(sums.read_bytes()).hexdigest() != digest:
        raise CiError(f"{bundle}: {SUMS_FILE} does not match the digest the plan job reported; not applying")
    listed = {}
    for line in sums.read_text().splitlines():
        value, _, name = line.partition("  ")
        listed[name] = value
    if sorted(listed) != sorted(BUNDLE_FILES):
        raise CiError(f"{bundle}: {SUMS_FILE} lists {sorted(listed)}, expected {sorted(BUNDLE_FILES)}")
    for name, value in listed.items():
        path = bundle / name
        if not path.is_file() or sha256_file(path) != value:
            raise CiError(f"{bundle}/{name}: does not match {SUMS_FILE}; not applying")


def _github_output(name: str, value: str) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a") as out:
            out.write(f"{name}={value}\n")


def plan(environment: str, stacks_dir: Path = STACKS_DIR, plans_dir: Path = PLANS_DIR,
         lock_timeout: str = DEFAULT_LOCK_TIMEOUT) -> int:
    """Plan one environment and write its bundle; 0 when the guard lets it through."""
    stack_dir = stacks_dir / environment
    stack_file = stack_dir / STACK_FILE
    if not stack_file.is_file():
        raise CiError(f"{stack_file}: not found; synthesize first (python main.py)")
    stack = json.loads(stack_file.read_text())
    check_remote_state(stack, environment)
    check_stack_runs_nothing_else(stack, environment)
    terraform = _terraform(stack_dir)
    terraform.run("init", "-input=false")
    planned = terraform.run("plan", "-input=false", f"-lock-timeout={lock_timeout}", f"-out={PLAN_FILE}",
                            "-detailed-exitcode", check=False)
    if planned.returncode == 1:
        raise TerraformError(f"terraform plan failed in {stack_dir}:\n{planned.stdout}\n{planned.stderr}")
    shown = terraform.run("show", "-json", PLAN_FILE).stdout
    (stack_dir / "plan.json").write_text(shown)  # stays out of the bundle: it may hold values
    guard_status, guard_output = _guard(stack_dir / "plan.json", stack_file)
    summary = {
        "environment": environment,
        **count_changes(json.loads(shown)),
        "guard": {"status": guard_status, "output": guard_output},
    }
    bundle = plans_dir / environment
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    for name in (STACK_FILE, LOCK_FILE, PLAN_FILE):
        shutil.copyfile(stack_dir / name, bundle / name)
    (bundle / SUMMARY_FILE).write_text(json.dumps(summary, indent=1) + "\n")
    digest = write_sums(bundle)
    _github_output("sha256", digest)
    print(f"{environment}: {summary['add']} to add, {summary['change']} to change, "
          f"{summary['destroy']} to destroy ({summary['replace']} replaced)")
    print(guard_output, end="")
    print(f"{environment}: plan bundle {bundle} sha256 {digest}")
    return 1 if guard_status else 0


def apply(environment: str, digest: str, plans_dir: Path = PLANS_DIR,
          lock_timeout: str = DEFAULT_LOCK_TIMEOUT) -> int:
    """Apply the bundle's saved plan, after checking it against ``digest``."""
    bundle = plans_dir / environment
    verify_bundle(bundle, digest)
    stack = json.loads((bundle / STACK_FILE).read_text())
    check_remote_state(stack, environment)
    check_stack_runs_nothing_else(stack, environment)
    terraform = _terraform(bundle)
    terraform.run("init", "-input=false", "-lockfile=readonly")
    result = terraform.run("apply", "-input=false", f"-lock-timeout={lock_timeout}", PLAN_FILE, check=False)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    if result.returncode:
        print(f"{environment}: terraform apply exit {result.returncode}; nothing was re-planned", file=sys.stderr)
    return result.returncode


def estimate_costs(usage: Path, stacks_dir: Path = STACKS_DIR, base_stacks: Path | None = None) -> dict:
    """Monthly USD per environment, of these stacks and (when given) of the
    base commit's: ``{env: {"after": x, "before": y or None}}``."""
    from .cost.stack_costs import estimate, load_usage  # the cost tools: numpy, the prices

    loaded = load_usage(usage)

    def total(stack_file: Path) -> float | None:
        if not stack_file.is_file():
            return None
        try:
            return round(estimate(json.loads(stack_file.read_text()), loaded, stack_file.parent.name,
                                  str(stack_file)).total, 2)
        except ValueError as error:  # e.g. the usage file names a table the base commit lacks
            print(f"cost: {stack_file}: not estimated: {error}", file=sys.stderr)
            return None

    return {
        stack_file.parent.name: {
            "after": total(stack_file),
            "before": total(base_stacks / stack_file.parent.name / STACK_FILE) if base_stacks else None,
        }
        for stack_file in sorted(stacks_dir.glob(f"*/{STACK_FILE}"))
    }


def _cost_cell(costs: dict, environment: str) -> str:
    cost = costs.get(environment)
    if not cost or cost["after"] is None:
        return "not estimated"
    if cost["before"] is None:
        return f"${cost['after']:,.2f}/month"
    return f"${cost['before']:,.2f} -> ${cost['after']:,.2f}/month ({cost['after'] - cost['before']:+,.2f})"


def summary_markdown(plans_dir: Path = PLANS_DIR, cost_file: Path = COST_FILE) -> str:
    """One Markdown summary of every bundle's ``summary.json`` (and the cost
    change, when ``ci cost`` wrote ``cost_file``)."""
    summaries = [json.loads(p.read_text()) for p in sorted(plans_dir.glob(f"*/{SUMMARY_FILE}"))]
    costs = json.loads(cost_file.read_text()) if cost_file.is_file() else None
    lines = [COMMENT_MARKER, "### Terraform plans", "",
             "| environment | add | change | destroy | replace | plan guard |" + (" cost |" if costs else ""),
             "| --- | ---: | ---: | ---: | ---: | --- |" + (" --- |" if costs else "")]
    for s in summaries:
        verdict = "blocked" if s["guard"]["status"] else "passed"
        lines.append(f"| {s['environment']} | {s['add']} | {s['change']} | {s['destroy']} | {s['replace']} "
                     f"| {verdict} |" + (f" {_cost_cell(costs, s['environment'])} |" if costs else ""))
    if not summaries:
        lines.append("| (no plan) | | | | | |")
    if costs:
        lines += ["", "Cost: monthly estimate of the cost tools for the usage file (base commit -> this change); "
                  "see constructs/docs/pricing.md."]
    for s in summaries:
        lines += ["", f"<details><summary>{s['environment']}: {len(s['resources'])} resource(s) change"
                  "</summary>", "", "```text"]
        lines += [f"{'/'.join(r['actions'])}: {r['address']}" for r in s["resources"]] or ["no changes"]
        lines += ["", s["guard"]["output"].rstrip(), "```", "</details>"]
    return "\n".join(lines) + "\n"


def post_comment(body: str, repository: str, number: int, token: str,
                 api: str = "https://api.github.com") -> str:
    """Create the pull request's one summary comment, or update it; its URL."""

    def call(method: str, url: str, payload: dict | None = None) -> object:
        request = urllib.request.Request(url, method=method, data=json.dumps(payload).encode() if payload else None,
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Accept": "application/vnd.github+json",
                                                  "X-GitHub-Api-Version": "2022-11-28"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    comments_url = f"{api}/repos/{repository}/issues/{number}/comments"
    page = 1
    while True:
        comments = call("GET", f"{comments_url}?per_page=100&page={page}")
        for comment in comments:  # type: ignore[union-attr]
            if COMMENT_MARKER in (comment.get("body") or ""):
                return call("PATCH", comment["url"], {"body": body})["html_url"]  # type: ignore[index]
        if len(comments) < 100:  # type: ignore[arg-type]
            break
        page += 1
    return call("POST", comments_url, {"body": body})["html_url"]  # type: ignore[index]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dynamodb_kit_tools.ci", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("plan", help="plan an environment, run the guard, write its plan bundle")
    p.add_argument("environment")
    p.add_argument("--stacks", type=Path, default=STACKS_DIR)
    p.add_argument("--plans", type=Path, default=PLANS_DIR)
    p.add_argument("--lock-timeout", default=DEFAULT_LOCK_TIMEOUT)
    a = commands.add_parser("apply", help="apply an environment's saved plan after checking its digest")
    a.add_argument("environment")
    a.add_argument("--sha256", required=True, help="the plan job's reported digest")
    a.add_argument("--plans", type=Path, default=PLANS_DIR)
    a.add_argument("--lock-timeout", default=DEFAULT_LOCK_TIMEOUT)
    s = commands.add_parser("summary", help="Markdown summary of every plan bundle")
    s.add_argument("--plans", type=Path, default=PLANS_DIR)
    s.add_argument("--cost", type=Path, default=COST_FILE, help="ci cost's output, when there is one")
    s.add_argument("--out", type=Path, help="also write it to this file")
    c = commands.add_parser("comment", help="create or update the pull request's summary comment")
    c.add_argument("--body", type=Path, required=True)
    k = commands.add_parser("cost", help="monthly cost per environment, and its change from the base stacks")
    k.add_argument("--usage", type=Path, required=True, help="usage file of the cost tools")
    k.add_argument("--stacks", type=Path, default=STACKS_DIR)
    k.add_argument("--base-stacks", type=Path, help="the base commit's synthesized stacks")
    k.add_argument("--out", type=Path, default=COST_FILE)
    args = parser.parse_args(argv)
    try:
        if args.command == "plan":
            return plan(args.environment, args.stacks, args.plans, args.lock_timeout)
        if args.command == "apply":
            return apply(args.environment, args.sha256, args.plans, args.lock_timeout)
        if args.command == "cost":
            costs = estimate_costs(args.usage, args.stacks, args.base_stacks)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(costs, indent=1) + "\n")
            for environment in costs:
                print(f"{environment}: {_cost_cell(costs, environment)}")
            return 0
        if args.command == "summary":
            text = summary_markdown(args.plans, args.cost)
            print(text, end="")
            for target in filter(None, (args.out, os.environ.get("GITHUB_STEP_SUMMARY"))):
                with open(target, "a") as out:
                    out.write(text)
            return 0
        event = json.loads(Path(os.environ["GITHUB_EVENT_PATH"]).read_text())
        url = post_comment(args.body.read_text(), os.environ["GITHUB_REPOSITORY"],
                           event["pull_request"]["number"], os.environ["GITHUB_TOKEN"],
                           os.environ.get("GITHUB_API_URL", "https://api.github.com"))
        print(f"comment: {url}")
        return 0
    except (CiError, TerraformError) as error:
        print(f"ci {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
