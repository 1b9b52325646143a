"""The simulator follows AWS's rules, minute by minute: burst credit of 300 s,
throttling, scale-out after 2 minutes above target, scale-in after 15 minutes
20% below, 4 decreases per UTC day then 1 an hour, min and max, schedules."""

from __future__ import annotations

import numpy as np
import pytest

from dynamodb_kit_tools.cost.simulate import MINUTES, Policy, simulate

DAY = 1440


def week(level: float) -> np.ndarray:
    return np.full(MINUTES, float(level))


def run(demand: np.ndarray, policy: Policy, windows: np.ndarray | None = None):
    return simulate(demand[None, :], [0], [policy], windows, trace=True)


def test_unused_capacity_is_kept_300_seconds_as_burst_credit():
    demand = week(0)
    demand[600] = 60  # one minute at 6x a 10-unit capacity, after an idle night
    result = run(demand, Policy.fixed(10))
    assert result.throttled[0] == 0  # 600 units of capacity + 3,000 of credit cover 3,600
    demand[600] = 61
    result = run(demand, Policy.fixed(10))
    assert result.throttled[0] == pytest.approx(60)  # the credit is capped at 300 s x 10 units
    assert result.throttled_trace[0][600] == pytest.approx(60)


def test_requests_above_capacity_and_credit_are_throttled():
    result = run(week(20), Policy.fixed(10))
    assert result.throttled_fraction[0] == pytest.approx(0.5, abs=0.001)
    assert result.capacity_minutes[0] == 10 * MINUTES


def test_scale_out_after_two_minutes_above_the_target():
    demand = week(4)
    demand[1000:] = 8  # utilisation 0.8 against a 50% target from minute 1,000
    result = run(demand, Policy(min=10, max=1000, target=50))
    capacity = result.capacity_trace[0]
    assert capacity[999] == capacity[1000] == capacity[1001] == 10
    assert capacity[1002] == 16  # consumed / target


def test_scale_in_after_fifteen_minutes_twenty_percent_below_the_target():
    demand = week(8)
    demand[1000:] = 3.5  # 3.5/16 = 22% < 0.8 x 50%
    result = run(demand, Policy(min=2, max=1000, target=50))
    capacity = result.capacity_trace[0]
    assert capacity[999] == 16
    assert capacity[1014] == 16 and capacity[1015] == 7  # 15 minutes below, then consumed / target


def test_no_scale_in_while_utilisation_is_within_twenty_percent_of_the_target():
    demand = week(8)
    demand[1000:] = 6.5  # 6.5/16 = 41% > 0.8 x 50%
    assert (run(demand, Policy(min=2, max=1000, target=50)).capacity_trace[0][999:] == 16).all()


def test_min_and_max_bound_target_tracking():
    result = run(week(1000), Policy(min=1, max=50, target=70))
    assert result.capacity_trace[0].max() == 50
    assert result.throttled_fraction[0] > 0.9
    result = run(week(1), Policy(min=30, max=50, target=70))
    assert result.capacity_trace[0].min() == 30


def decreases(capacity: np.ndarray, day: int) -> list[int]:
    """Minutes of the day (UTC) at which the capacity went down."""
    minutes = np.arange(day * DAY, (day + 1) * DAY)
    return [int(m - day * DAY) for m in minutes if m > 0 and capacity[m] < capacity[m - 1]]


def test_four_decreases_a_day_at_any_time_then_one_an_hour():
    # Traffic that halves every 20 minutes would be followed down 72 times a day;
    # a burst after each step brings it back up.
    demand = week(1)
    for start in range(0, MINUTES, 40):
        demand[start:start + 20] = 200
    result = run(demand, Policy(min=1, max=10_000, target=50))
    capacity = result.capacity_trace[0]
    for day in range(1, 7):
        downs = decreases(capacity, day)
        assert 4 < len(downs) <= 27
        later = downs[4:]  # after the four free ones, at least an hour apart
        assert all(b - a >= 60 for a, b in zip([downs[3]] + later, later))


def test_the_decrease_count_starts_again_at_utc_midnight():
    demand = week(1)
    for start in range(0, MINUTES, 40):
        demand[start:start + 20] = 200
    capacity = run(demand, Policy(min=1, max=10_000, target=50)).capacity_trace[0]
    for day in range(1, 7):
        downs = decreases(capacity, day)
        # the first four of a day may come less than an hour apart
        assert min(b - a for a, b in zip(downs[:4], downs[1:4])) < 60


def test_a_schedule_raises_the_minimum_at_once_and_target_tracking_lowers_it_later():
    demand = week(10)
    window = np.zeros((1, MINUTES), dtype=bool)
    window[0, 480:1200] = True  # Monday 08:00-20:00 UTC
    result = run(demand, Policy(min=20, max=1000, target=50, window=0, day_min=150), window)
    capacity = result.capacity_trace[0]
    assert capacity[479] == 20 and capacity[480] == 150  # raised when the window opens
    assert capacity[1200] == 150  # the window closing lowers only the minimum...
    assert capacity[1200 + 15] == 20  # ...target tracking scales in after 15 minutes


def test_many_configurations_at_once_equal_one_at_a_time():
    demand = np.vstack([week(5) + np.sin(np.arange(MINUTES) / 90) * 4, week(50)])
    policies = [Policy.fixed(8), Policy(min=2, max=100, target=70), Policy(min=30, max=200, target=50)]
    rows = [0, 0, 1]
    together = simulate(demand, rows, policies)
    for i, (row, policy) in enumerate(zip(rows, policies)):
        alone = simulate(demand[row:row + 1], [0], [policy])
        assert together.capacity_minutes[i] == alone.capacity_minutes[0]
        assert together.throttled[i] == alone.throttled[0]
