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


def test_the_capacity_page_shows_what_show_capacity_prints(tmp_path):
    page = (DOCS / "capacity.md").read_text()
    command = re.search(r"`(python3 -m pipenv run python main\.py && python3 -m pipenv run python "
                        r"-m stacks\.show_capacity prod)`", page).group(1)
    env = shell_env(CDKTF_OUTDIR=str(tmp_path / "out"))
    printed_prod = subprocess.run(command, shell=True, cwd=REPO, env=env, capture_output=True, text=True,
                                  check=True).stdout
    printed_staging = subprocess.run(command.rsplit(" ", 1)[0] + " staging", shell=True, cwd=REPO, env=env,
                                     capture_output=True, text=True, check=True).stdout
    blocks = re.findall(r"^```text\n(.*?)^```", page, re.MULTILINE | re.DOTALL)
    # main.py's own line ("synthesized dev, staging, prod to ...") is not part of the block.
    def without_synth_line(printed: str) -> str:
        return "".join(line for line in printed.splitlines(keepends=True) if not line.startswith("synthesized "))

    assert blocks == [without_synth_line(printed_prod), without_synth_line(printed_staging)]
