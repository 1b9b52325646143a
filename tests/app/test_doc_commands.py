"""Commands the capability pages quote, run as written, and the figures the
pages show compared with what the commands print."""

from __future__ import annotations

import re
import subprocess

from helpers import REPO, shell_env

DOCS = REPO / "constructs" / "docs"


def run(command: str) -> str:
    return subprocess.run(command, shell=True, cwd=REPO, env=shell_env(), capture_output=True, text=True,
                          check=True).stdout


def test_the_backup_cost_table_is_what_the_command_prints():
    page = (DOCS / "backup-and-restore.md").read_text()
    command = re.search(r"`(python3 -m pipenv run python -m stacks\.backup_costs --gb 100)`", page).group(1)
    printed = run(command)
    printed_rows = re.findall(r"^(dev|staging|prod)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$",
                              printed, re.MULTILINE)
    page_rows = re.findall(r"^\| (dev|staging|prod) \| ([\d.]+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$",
                           page, re.MULTILINE)
    assert len(printed_rows) == 3 and page_rows == printed_rows
    restore = re.search(r"a restore of 100 GB costs \$([\d.]+) once", printed).group(1)
    assert f"A restore of 100 GB costs ${restore}, once." in page
