"""The documented local deploys, run as a reader runs them: README command 1's
main job (``main.py --check --deploy-local``), the README's "Try it without an
AWS account" block and the emulator page's block, each parsed from its page
and run by bash exactly as written.

Each must leave nothing behind: no process (each run gets its own session,
searched afterwards, and its emulator servers are searched by port), no file
in its temp folder, no state in the repository. Expected values come from the
app's declarations. The README's two deploys run side by side (see
``zero_account_run``).
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from stacks.data_layer import TABLES
from stacks.environments import ENVIRONMENTS
from stacks.functions import FUNCTIONS
from support import background
from support.processes import emulator_servers, end, in_session, wait_until_gone

pytestmark = [pytest.mark.e2e, pytest.mark.terraform]

DEV = ENVIRONMENTS["dev"]
README = REPO / "README.md"


def readme_section(title: str) -> str:
    text = README.read_text()
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def fenced(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", section, flags=re.S | re.M)


def clean_env(tmpdir: Path, *, in_venv: bool) -> dict[str, str]:
    """A reader's environment: nothing pointing at an emulator yet, a fresh
    temp folder; inside the venv (as ``pipenv run`` puts it) or outside it, as
    in a shell where ``python3 -m pipenv`` works (even when pytest itself runs
    under ``pipenv run``)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("AWS_ENDPOINT_URL", "TF_CLI_CONFIG_FILE", "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN",
                        "VIRTUAL_ENV", "PIPENV_ACTIVE")}
    env["TMPDIR"] = str(tmpdir)
    venv_bin = Path(sys.prefix, "bin").resolve()
    path = [entry for entry in env["PATH"].split(os.pathsep)
            if entry and Path(entry).resolve() != venv_bin]
    env["PATH"] = os.pathsep.join([str(venv_bin), *path] if in_venv else path)
    return env


def repo_leftovers() -> set[str]:
    """Untracked or ignored paths at the repository's top level and in cdktf.out."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=matching", "--untracked-files=normal"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    top = {line[3:] for line in status.splitlines() if line[:2] in ("??", "!!")}
    # Top-level entries only: source files others add in subfolders are not ours.
    top = {path for path in top if path.rstrip("/").count("/") == 0 and path != ".pytest_cache/"}
    synth = {str(p.relative_to(REPO)) for p in (REPO / "cdktf.out").rglob("*")} if (REPO / "cdktf.out").exists() else set()
    return top | synth


class OwnSessionRun:
    """A command in its own session, its output in a file (so it can run in
    the background for minutes without filling a pipe). :meth:`finish` waits
    for it; afterwards nothing of it may still run: whatever does is ended,
    and the test fails."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], log: Path,
                 servers_port: int | None = None) -> None:
        self.command, self.log, self.servers_port = command, log, servers_port
        with open(log, "w") as out:
            self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def finish(self, timeout: float = 480) -> subprocess.CompletedProcess[str]:
        note = ""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            note = f"\n[test: timed out after {timeout}s]"
        left = wait_until_gone(lambda: in_session(self.process.pid))
        port = self.servers_port
        left_servers = wait_until_gone(lambda: emulator_servers(port)) if port else []
        # Read after the session has ended: a background job (the emulator the
        # block started and killed) may still print its last lines after bash exits.
        output = self.log.read_text(errors="replace") + note
        end(left + left_servers)
        assert not left and not left_servers, (
            f"left running: {[p.cmdline for p in left + left_servers]}\n{output[-4000:]}"
        )
        return subprocess.CompletedProcess(self.command, self.process.returncode, output, "")

def table_lines(output: str) -> dict[str, dict[str, list[str]]]:
    """The inventory's tables: name -> label -> texts."""
    tables: dict[str, dict[str, list[str]]] = {}
    section = output.split("\nTables\n", 1)[1].split("\n\n", 1)[0]
    for line in section.splitlines():
        if re.match(r"^  \S", line):
            current = tables.setdefault(line.strip(), {})
        else:
            label, text = line.strip().split(None, 1)
            current.setdefault(label, []).append(text)
    return tables


def assert_dev_inventory(output: str) -> None:
    tables = table_lines(output)
    assert sorted(tables) == sorted(f"{DEV.name}-{shape.table_name}" for shape in TABLES.values())
    ceiling = DEV.max_request_units
    for shape in TABLES.values():
        table = tables[f"{DEV.name}-{shape.table_name}"]
        keys = [shape.partition_key] + ([shape.sort_key] if shape.sort_key else [])
        assert table["key"] == [" + ".join(f"{k.name} ({k.type.value})" for k in keys)]
        assert table["billing"] == [f"on-demand, at most {ceiling} reads/s and {ceiling} writes/s"]
        assert table["PITR"] == [f"on, {DEV.recovery_period_days}-day window"]
        (encryption,) = table["encryption"]
        assert encryption.startswith(f"KMS, key alias/{DEV.name}-dynamodb-data (arn:aws:kms:us-east-1:")
        assert table["protection"] == [f"deletion protection {'on' if DEV.deletion_protection else 'off'}"]
        assert table["tags"] == [", ".join(f"{k}={v}" for k, v in sorted(DEV.tags.items()))]
        assert table["TTL"] == [f"on, attribute {shape.time_to_live_attribute}"
                                if shape.time_to_live_attribute else "off"]
        assert table["stream"] == [shape.stream.value if shape.stream else "off"]
        gsis = [f"{g.name}: " + " + ".join(f"{k.name} ({k.type.value})" for k in (g.partition_key, g.sort_key) if k)
                + f", projects {g.projection.value}" + (f" {', '.join(g.non_key_attributes)}" if g.non_key_attributes else "")
                for g in shape.global_secondary_indexes]
        assert table.get("GSI", []) == gsis
        lsis = [f"{i.name}: {shape.partition_key.name} ({shape.partition_key.type.value}) + "
                f"{i.sort_key.name} ({i.sort_key.type.value}), projects {i.projection.value}"
                + (f" {', '.join(i.non_key_attributes)}" if i.non_key_attributes else "")
                for i in shape.local_secondary_indexes]
        assert table.get("LSI", []) == lsis

    roles = output.split("\nRoles with DynamoDB actions\n", 1)[1].split("\n\n", 1)[0]
    for function in FUNCTIONS:
        assert (f"  {DEV.name}-{function.function}-role (assumed by lambda.amazonaws.com "
                "when aws:SourceAccount, aws:SourceArn)") in roles
    # The writer's two statements, resolved to the deployed table and index.
    assert "    MovieRolesItems: Allow dynamodb:PutItem on table/dev-MovieRoles\n" in roles
    assert "    MovieRolesIndexQuery: Allow dynamodb:Query on table/dev-MovieRoles/index/ByMovie" in roles
    assert "  dev-app-user-role (assumed by cognito-identity.amazonaws.com" in roles
    assert "on table/dev-Orders when dynamodb:LeadingKeys" in roles
    for function in FUNCTIONS:
        assert (f"  /aws/lambda/{DEV.name}-{function.function}: kept {DEV.log_retention_days} days, "
                f"key alias/{DEV.name}-dynamodb-data") in output


@background.flow(__name__, "main_job", waits=True)
def main_job_flow(context: background.Context) -> dict:
    """README command 1 after its set-up: ``python main.py --check --deploy-local``,
    in the background (support/background.py), from a scratch folder, so its
    cdktf.out lands there, not in the repo."""
    cwd, tmpdir = context.work / "cwd", context.work / "tmp"
    cwd.mkdir()
    tmpdir.mkdir()
    result = OwnSessionRun([sys.executable, str(REPO / "main.py"), "--check", "--deploy-local"],
                           cwd=cwd, env=clean_env(tmpdir, in_venv=True), log=context.work / "output").finish()
    endpoint = re.search(r"local deploy: dev to the emulator at http://127\.0\.0\.1:(\d+)\n", result.stdout)
    return {
        "result": result,
        "servers_left": emulator_servers(int(endpoint.group(1))) if endpoint else None,
        "tmp": [p.name for p in tmpdir.iterdir() if not p.name.startswith(".lark_cache")],
        "cwd": [p.name for p in cwd.iterdir()],
        "stacks": sorted(p.name for p in (cwd / "cdktf.out" / "stacks").iterdir())
        if (cwd / "cdktf.out" / "stacks").exists() else [],
    }


def test_main_job_checks_deploys_dev_locally_and_replans_clean():
    (command,) = [line for block in fenced(readme_section("The two commands"), "sh")
                  for line in block.splitlines() if "--deploy-local" in line]
    assert command == "bash .ci/setup && python3 -m pipenv run python main.py --check --deploy-local"
    run = background.result("main_job")
    result = run["result"]
    output = result.stdout
    print(output)
    assert result.returncode == 0, output[-6000:]
    for env in ENVIRONMENTS:
        assert f"terraform validate: {env} is valid" in output
    assert re.search(r"policy rules: \d+ rules, 0 findings", output)
    assert re.search(r"Passed checks: \d+, Failed checks: 0,", output)
    endpoint = re.search(r"local deploy: dev to the emulator at http://127\.0\.0\.1:(\d+)\n", output)
    assert endpoint, output[-6000:]
    assert "terraform apply: Apply complete! Resources:" in output
    assert_dev_inventory(output)
    assert "\nre-plan: no changes (terraform plan -detailed-exitcode exit 0)\n" in output
    assert "local deploy: emulator stopped, its state and work directory removed" in output
    # No emulator on that port, nothing in the temp folder (but the grammar cache
    # that checkov's parser, lark, keeps there on any --check), only the synth in the cwd.
    assert run["servers_left"] == []
    assert run["tmp"] == []
    assert run["cwd"] == ["cdktf.out"]
    assert run["stacks"] == sorted(ENVIRONMENTS)

    # The README's sample output is what the command prints (but the port and time).
    (sample,) = fenced(readme_section("The two commands"), "text")
    for line in sample.splitlines():
        if "..." in line:
            continue
        assert re.search(sample_pattern(line), output, flags=re.M), f"README sample line not printed: {line!r}"


def sample_pattern(line: str) -> str:
    """A sample output line as a regex: its port and its duration may differ."""
    variable = {"PORT": r"127\.0\.0\.1:\d+", "SECONDS": r"\(\d+ s\)"}
    line = re.sub(r"127\.0\.0\.1:\d+", "\0PORT\0", line)
    line = re.sub(r"\(\d+ s\)", "\0SECONDS\0", line)
    parts = line.split("\0")
    return "^" + "".join(variable[p] if i % 2 else re.escape(p) for i, p in enumerate(parts)) + "$"


README_PORT = 5000


class DocBlockRun:
    """A documented bash block, run verbatim at the repository root as a
    reader runs it in a fresh shell. The docs use a fixed port: one run at a
    time (a lock on README.md across processes, and within this one any run
    still going is finished first), and none while another program holds that
    port. Nothing may be left: no process, no temp file, nothing new in the
    repository."""

    running: list["DocBlockRun"] = []

    def __init__(self, block: str, work: Path) -> None:
        for earlier in list(DocBlockRun.running):
            earlier.wait()
        self.tmpdir = work / "tmp"
        self.tmpdir.mkdir()
        self._lock = open(README)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        if wait_until_gone(lambda: [] if port_is_free(README_PORT) else ["busy"], timeout=60):
            self._lock.close()
            pytest.fail(f"port {README_PORT}, which the docs use, is taken by another program")
        self.before = repo_leftovers()
        self.run = OwnSessionRun(["bash", "-c", block], cwd=REPO, env=clean_env(self.tmpdir, in_venv=False),
                                 log=work / "output", servers_port=README_PORT)
        self._outcome: tuple | None = None
        DocBlockRun.running.append(self)

    def wait(self) -> None:
        """Let the block end (and end what it left); the checks are finish()'s."""
        if self._outcome is None:
            try:
                result = self.run.finish()
                self._outcome = (result, repo_leftovers(), None)
            except AssertionError as left_running:
                self._outcome = (None, None, left_running)
            finally:
                self._lock.close()
                DocBlockRun.running.remove(self)

    def finish(self) -> str:
        """Wait for the block; its output, once it is proven to have left nothing."""
        self.wait()
        result, after, left_running = self._outcome
        if left_running:
            raise left_running
        assert result.returncode == 0, result.stdout[-6000:]
        assert list(self.tmpdir.iterdir()) == []
        assert after <= self.before, f"new in the repository: {sorted(after - self.before)}"
        return result.stdout


@background.flow(__name__, "zero_account", waits=True)
def zero_account_flow(context: background.Context) -> str:
    """The "Try it without an AWS account" block, verbatim (CI and command 2
    ran ``bash .ci/setup`` before pytest), in the background beside the main
    job's deploy: both mostly wait (on the provider's KMS checks, on terraform)."""
    (block,) = fenced(readme_section("Try it without an AWS account"), "sh")
    assert f"dynamodb_kit_tools.emulator {README_PORT} &" in block
    return DocBlockRun(block, context.work).finish()


@background.flow(__name__, "emulator_page", waits=True)
def emulator_page_flow(context: background.Context) -> str:
    """constructs/docs/emulator.md's block, after the zero-account block (both use port 5000)."""
    try:
        background.result("zero_account")
    except Exception:  # its own test reports it; the port is free again either way
        pass
    (block,) = fenced((REPO / "constructs" / "docs" / "emulator.md").read_text(), "sh")
    return DocBlockRun(block, context.work).finish()


def test_readme_zero_account_block_runs_as_written():
    output = background.result("zero_account")
    print(output)
    assert f"emulator at http://127.0.0.1:{README_PORT} (pid " in output
    assert "Apply complete! Resources:" in output
    assert f"What http://127.0.0.1:{README_PORT} (us-east-1) now holds:" in output
    assert_dev_inventory(output)
    assert "emulator: SIGTERM received, stopped" in output


def test_emulator_page_block_runs_as_written():
    """constructs/docs/emulator.md's block: start, read back (at once: the
    inventory waits for the emulator), stop."""
    output = background.result("emulator_page")
    print(output)
    assert f"emulator at http://127.0.0.1:{README_PORT} (pid " in output
    assert "\nTables\n  (none)\n" in output
    assert "\nRoles with DynamoDB actions\n  (none)\n" in output
    assert "emulator: SIGTERM received, stopped" in output


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
