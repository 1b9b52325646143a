"""The pricing page's commands, run as written from a reader's shell, and the
figures the page shows compared with what they print; among them the example
profiles' table, which holds the advisor to the brute-force optimum. The
commands run in a background flow (support/background.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import REPO, shell_env
from support import background

PAGE = REPO / "constructs" / "docs" / "pricing.md"
TOOLS = "python3 -m pipenv run python -m dynamodb_kit_tools.cost"
EXAMPLES = "constructs/dynamodb_kit_tools/cost/examples"
PRICES = f"{TOOLS} prices --region us-east-1"
PRICES_BEFORE = f"{TOOLS} prices --region us-east-1 --on 2024-10-31"
REBUILD = (f'{TOOLS} rebuild-prices tests/kit/cost_fixtures/offer-us-east-1.json --region us-east-1 '
           '--out "$(mktemp -d)"')
ADVISE = f"{TOOLS} advise {EXAMPLES}/business-day.profile.toml --plot advice.png"
COMPARE = f"{TOOLS} compare {EXAMPLES}/*.profile.toml --brute-force"
MAIN_COST = "python3 -m pipenv run python main.py --cost stacks/example.usage.toml"  # tests/app/test_cost_main.py


def page() -> str:
    return PAGE.read_text()


def run(command: str, cwd: Path = REPO, base: dict[str, str] | None = None) -> str:
    # From another folder, pipenv finds the project through PIPENV_PIPFILE.
    result = subprocess.run(command, shell=True, cwd=cwd, env=shell_env(base, PIPENV_PIPFILE=str(REPO / "Pipfile")),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@background.flow(__name__, "pricing_page")
def pricing_page_flow(context: background.Context) -> dict:
    """The page's commands, in a background flow (subprocesses only: the
    brute-force search alone takes seconds of CPU)."""
    printed = {command: run(command, base=context.env) for command in (PRICES, PRICES_BEFORE, COMPARE)}
    rebuilt = Path(re.fullmatch(r"wrote (.*)\n", run(REBUILD, base=context.env)).group(1))
    try:
        printed[REBUILD] = (rebuilt.name, rebuilt.read_text())
    finally:
        rebuilt.unlink()
        rebuilt.parent.rmdir()
    # From a scratch folder that sees the repository's files, so the picture
    # lands there and never in the checkout (other tests watch it for leftovers).
    (context.work / "constructs").symlink_to(REPO / "constructs")
    printed[ADVISE] = (run(ADVISE, cwd=context.work, base=context.env), (context.work / "advice.png").read_bytes())
    return printed


def block_after(marker: str) -> str:
    """The first ```text block after ``marker`` on the page."""
    text = page()
    return re.search(r"```text\n(.*?)```", text[text.index(marker):], re.S).group(1)


def test_every_command_on_the_page_is_run_by_a_test():
    on_page = set(re.findall(r"^(python3 -m pipenv run python .*)$", page(), re.M))
    on_page |= set(re.findall(r"`(python3 -m pipenv run python [^`]*)`", page()))
    assert on_page == {PRICES, PRICES_BEFORE, REBUILD, ADVISE, COMPARE, MAIN_COST}


@pytest.mark.background
def test_the_break_even_the_page_quotes_is_computed_from_the_snapshots():
    printed = background.result("pricing_page")
    shown = block_after(PRICES_BEFORE).splitlines()
    assert shown[0] in printed[PRICES].splitlines()
    assert shown[1] in printed[PRICES_BEFORE].splitlines()
    assert "28.9%" in shown[0] and "14.4%" in shown[1]


@pytest.mark.background
def test_the_rebuild_command_writes_a_snapshot():
    name, text = background.result("pricing_page")[REBUILD]
    assert name == "us-east-1_2024-11-01.json" and '"WriteCapacityUnit-Hrs"' in text


@pytest.mark.background
def test_the_advice_and_its_picture_are_what_the_command_prints_and_draws():
    printed, data = background.result("pricing_page")[ADVISE]
    assert printed == block_after(ADVISE)
    assert printed.endswith("plot: advice.png\n")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1650, 682)  # 15 x 6.2 inches at 110 dpi: two dimensions, two panels


@pytest.mark.background
def test_the_advisor_is_within_2_percent_of_brute_force_on_the_example_profiles():
    printed = background.result("pricing_page")[COMPARE]
    print(printed)
    rows = re.findall(r"^\| ([a-z-]+) \| (.+?) \| ([\d,.]+) \| ([\d,.]+) \| ([\d.]+) \| ([\d,.]+) \|$", printed, re.M)
    assert [r[0] for r in rows] == ["business-day", "diurnal", "flat", "nightly-import", "read-heavy", "spiky",
                                    "unknown", "weekly"]
    for name, mode, advised, optimum, ratio, on_demand in rows:
        advised, optimum = float(advised.replace(",", "")), float(optimum.replace(",", ""))
        assert advised <= optimum * 1.02, name
        assert advised <= float(on_demand.replace(",", "")), name
    assert printed in page()  # the page's table is this command's output


def test_the_page_shows_a_shipped_profile():
    sample = re.search(r"```toml\n(.*?)```", page(), re.S).group(1)
    assert sample == (REPO / EXAMPLES / "diurnal.profile.toml").read_text()
