"""The advisor on the eight example profiles: its choices, its reasons, and
kit code that builds. (Its distance to the brute-force optimum is checked on
the pricing page's table, in test_cost_docs.py.)"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

import dynamodb_kit
from dynamodb_kit_tools.cost import advisor, search
from dynamodb_kit_tools.cost.__main__ import main
from dynamodb_kit_tools.cost.estimate import Month
from dynamodb_kit_tools.cost.workload import Dimension
from helpers import REPO

EXAMPLES = REPO / "constructs" / "dynamodb_kit_tools" / "cost" / "examples"
NAMES = sorted(p.name.removesuffix(".profile.toml") for p in EXAMPLES.glob("*.profile.toml"))


@pytest.fixture(scope="module")
def advice() -> dict[str, advisor.Advice]:
    return {name: advisor.advise(EXAMPLES / f"{name}.profile.toml") for name in NAMES}


def families(a: advisor.Advice) -> dict[str, str]:
    return {d.label: o.family for d, o in a.pick.plan.options.items()}


def test_each_profile_gets_the_mode_its_traffic_calls_for(advice):
    assert families(advice["flat"]) == {"table reads": "fixed", "table writes": "fixed"}
    assert families(advice["business-day"])["table reads"] == "scheduled"
    assert families(advice["nightly-import"])["table writes"] == "scheduled"
    assert set(families(advice["diurnal"]).values()) == {"autoscaled"}
    assert advice["spiky"].pick.plan.label == "on-demand"
    assert advice["unknown"].pick.plan.label == "on-demand"
    assert advice["nightly-import"].pick.plan.table_class == "STANDARD_INFREQUENT_ACCESS"
    for name, a in advice.items():
        assert a.pick.plan.worst_throttled <= a.budget, name


def test_the_advice_is_the_cheapest_row_it_may_choose(advice):
    for name, a in advice.items():
        allowed = [r for r in a.rows if r.plan.label in ("on-demand", "provisioned, cheapest per dimension")]
        if a.workload.profile.traffic == "unknown":
            allowed = [r for r in allowed if r.plan.label == "on-demand"]
        assert a.pick.total == min(r.total for r in allowed), name


def test_unknown_traffic_gets_the_books_framework_even_when_provisioning_looks_cheaper(advice):
    a = advice["unknown"]
    provisioned = advisor.row(a, "provisioned, cheapest per dimension")
    assert provisioned.total < a.pick.total  # the guessed shape says provisioned...
    assert a.reasons[0].startswith('Traffic is unknown (traffic = "unknown"): start on demand, measure a few weeks')
    assert any(r.startswith("If the guess holds, provisioning would save") for r in a.reasons)


def test_the_reasons_say_why_in_plain_words(advice):
    spiky = " ".join(advice["spiky"].reasons)
    assert "below the 28.9% at which provisioned beats on-demand" in spiky
    nightly = " ".join(advice["nightly-import"].reasons)
    assert "Standard-IA saves" in nightly and "Storage grows 3% a month" in nightly
    business = " ".join(advice["business-day"].reasons)
    assert "a scheduled minimum is ready before it" in business
    assert "Standard-IA would cost" in business


def test_the_kit_code_builds_the_advised_values(advice):
    for name, a in advice.items():
        scope: dict = {}
        exec("from dynamodb_kit import *\n" + a.code, scope)
        assert isinstance(scope["table_class"], dynamodb_kit.TableClass), name
        billing = scope["billing"]
        assert isinstance(billing, dynamodb_kit.Billing), name
        plan = a.pick.plan
        if not plan.provisioned:
            assert billing.mode is dynamodb_kit.BillingMode.PAY_PER_REQUEST
            continue
        gsis = [i.name for i in a.workload.profile.indexes if not i.local]
        assert sorted(scope.get("index_billing", {})) == sorted(gsis), name
        for d, option in plan.options.items():
            chosen = billing if d.index is None else scope["index_billing"][d.index]
            capacity = getattr(chosen, d.kind)
            if option.family == "fixed":
                assert capacity == dynamodb_kit.Capacity.fixed(option.policy.min)
            else:
                assert (capacity.min, capacity.max, capacity.target_utilization) == (
                    option.policy.min, option.policy.max, option.policy.target)
                assert len(capacity.schedules) == (2 if option.family == "scheduled" else 0)


def test_the_kit_code_goes_into_a_table(advice, stack):
    """Pasted into a Table's props, the values pass the construct's own checks."""
    from dynamodb_kit import Attribute, GlobalSecondaryIndex, ProjectionType, Table, TableProps

    for name in ("business-day", "diurnal", "nightly-import"):
        a = advice[name]
        profile = a.workload.profile
        scope: dict = {}
        exec("from dynamodb_kit import *\n" + a.code, scope)
        gsis = tuple(
            GlobalSecondaryIndex(name=i.name, partition_key=Attribute(i.partition_key),
                                 sort_key=Attribute(i.sort_key) if i.sort_key else None,
                                 projection=ProjectionType(i.projection), non_key_attributes=i.include,
                                 billing=scope.get("index_billing", {}).get(i.name))
            for i in profile.indexes if not i.local)
        Table(stack, f"Advised-{name}", TableProps(
            table_name=f"advised-{name}", partition_key=Attribute(profile.partition_key),
            sort_key=Attribute(profile.sort_key) if profile.sort_key else None,
            global_secondary_indexes=gsis, billing=scope["billing"], table_class=scope["table_class"]))


def test_a_larger_budget_never_costs_more():
    path = EXAMPLES / "business-day.profile.toml"
    strict = advisor.advise(path, budget=0.0001).pick.total
    loose = advisor.advise(path, budget=0.01).pick.total
    assert loose <= advisor.advise(path).pick.total <= strict


def test_a_calendar_month_counts_its_days_of_the_week():
    path = EXAMPLES / "flat.profile.toml"
    february = advisor.advise(path, month=Month(2026, 2))
    usual = advisor.advise(path)
    option = usual.pick.plan.options[Dimension("read")]
    assert Month(2026, 2).hours == 672 and Month(2026, 3).hours == 744
    assert option.quantity(Month(2026, 2)) == pytest.approx(option.weekly / 60 * 4)
    assert option.quantity(Month()) == pytest.approx(option.weekly / 60 * 730 / 168)
    assert february.pick.throughput < usual.pick.throughput


def test_the_searches_see_the_same_space():
    workload = advisor.derive(advisor.load(EXAMPLES / "business-day.profile.toml"))
    windows: list[search.Window] = []
    everything = search.space(workload, Dimension("read"), 0.001, windows)
    coarse = search.space(workload, Dimension("read"), 0.001, windows, coarse=3)
    assert set(coarse) <= set(everything)
    assert {f for f, _ in everything} == {"fixed", "autoscaled", "scheduled"}
    assert windows[0] == search.Window(8, 20, frozenset(range(5)))  # the business day, found in the shape


def test_the_command_line_prints_the_advice_and_refuses_a_wrong_profile(tmp_path, capsys):
    with redirect_stdout(io.StringIO()) as out:
        assert main(["advise", str(EXAMPLES / "flat.profile.toml"), "--budget", "0.01"]) == 0
    assert "throttle budget 1.0% of requested units" in out.getvalue()
    bad = tmp_path / "bad.profile.toml"
    bad.write_text('name = "bad"\n')
    assert main(["advise", str(bad)]) == 2
    assert capsys.readouterr().err == ("error: bad.profile.toml: items=None is required; give items "
                                       "(see the pricing page, 'Write a profile')\n")
