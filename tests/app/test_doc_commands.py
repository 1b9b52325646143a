"""Commands the capability pages quote, run as written, and the figures the
pages show compared with what the commands print. The commands run in a
background flow (support/background.py): they are subprocesses only."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import REPO, shell_env
from support import background

pytestmark = pytest.mark.background

DOCS = REPO / "constructs" / "docs"
BACKUP_PAGE = DOCS / "backup-and-restore.md"
CAPACITY_PAGE = DOCS / "capacity.md"


def backup_costs_command() -> str:
    return re.search(r"`(python3 -m pipenv run python -m stacks\.backup_costs --gb 100)`",
                     BACKUP_PAGE.read_text()).group(1)


def capacity_command() -> str:
    return re.search(r"`(python3 -m pipenv run python main\.py && python3 -m pipenv run python "
                     r"-m stacks\.show_capacity prod)`", CAPACITY_PAGE.read_text()).group(1)


@background.flow(__name__, "doc_commands")
def doc_commands_flow(context: background.Context) -> dict[str, str]:
    env = shell_env(context.env, CDKTF_OUTDIR=str(context.work / "out"))

    def run(command: str) -> str:
        return subprocess.run(command, shell=True, cwd=REPO, env=env, capture_output=True, text=True,
                              check=True).stdout

    capacity = capacity_command()
    return {
        "backup costs": run(backup_costs_command()),
        "capacity prod": run(capacity),
        # The page's second block: the same show_capacity, of the synth the first made.
        "capacity staging": run(capacity.split(" && ")[1].removesuffix(" prod") + " staging"),
    }


def test_the_backup_cost_table_is_what_the_command_prints():
    page = BACKUP_PAGE.read_text()
    printed = background.result("doc_commands")["backup costs"]
    printed_rows = re.findall(r"^(dev|staging|prod)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$",
                              printed, re.MULTILINE)
    page_rows = re.findall(r"^\| (dev|staging|prod) \| ([\d.]+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$",
                           page, re.MULTILINE)
    assert len(printed_rows) == 3 and page_rows == printed_rows
    restore = re.search(r"a restore of 100 GB costs \$([\d.]+) once", printed).group(1)
    assert f"A restore of 100 GB costs ${restore}, once." in page


def test_the_capacity_page_shows_what_show_capacity_prints():
    printed = background.result("doc_commands")
    blocks = re.findall(r"^```text\n(.*?)^```", CAPACITY_PAGE.read_text(), re.MULTILINE | re.DOTALL)

    # main.py's own line ("synthesized dev, staging, prod to ...") is not part of the block.
    def without_synth_line(printed: str) -> str:
        return "".join(line for line in printed.splitlines(keepends=True) if not line.startswith("synthesized "))

    assert blocks == [without_synth_line(printed["capacity prod"]), without_synth_line(printed["capacity staging"])]
