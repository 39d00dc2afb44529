"""Shift templates expand into the problem format's shifts."""
import pytest

import staffplan
from staffplan import templates
from evaluate import check


def day_template(**extra):
    t = {"name": "day", "first_start": "06:00", "last_start": "08:00", "step": 60,
         "lengths": [240, 480],
         "breaks": [{"length": 15, "earliest": 60, "latest": 120},
                    {"length": 30, "earliest": 210, "latest": 300, "min_length": 360}],
         "cost_per_hour": 20.0}
    t.update(extra)
    return t


def test_every_start_and_length_with_breaks_by_length():
    shifts = templates.expand([day_template()], interval_minutes=15)
    assert [s["name"] for s in shifts] == [
        "day-0600-240", "day-0600-480", "day-0700-240", "day-0700-480",
        "day-0800-240", "day-0800-480"]
    short, long_ = shifts[0], shifts[1]
    assert short["start"] == "06:00" and short["length"] == 240
    assert short["breaks"] == [{"length": 15, "earliest": 60, "latest": 120}]
    assert len(long_["breaks"]) == 2
    assert short["cost"] == 80.0 and long_["cost"] == 160.0   # 4 h and 8 h at 20


def test_night_premium_counts_minutes_inside_a_window_that_wraps_midnight():
    t = day_template(first_start="20:00", last_start="20:00", lengths=[480], breaks=[],
                     night_premium={"from": "22:00", "to": "06:00", "rate": 0.5})
    (s,) = templates.expand([t], interval_minutes=15)
    # 20:00-04:00: 6 of its 8 hours are night hours, paid 50% extra.
    assert s["cost"] == pytest.approx(8 * 20.0 + 6 * 20.0 * 0.5)


def test_start_window_wraps_past_midnight():
    t = day_template(first_start="22:00", last_start="01:00", lengths=[480], breaks=[])
    starts = [s["start"] for s in templates.expand([t], interval_minutes=30)]
    assert starts == ["22:00", "23:00", "00:00", "01:00"]


@pytest.mark.parametrize("change,path", [
    ({"first_start": "06:10"}, "templates[0].first_start"),
    ({"lengths": [245]}, "templates[0].lengths[0]"),
    ({"lengths": []}, "templates[0].lengths"),
    ({"colour": "red"}, "templates[0].colour"),
    ({"cost_per_hour": -1}, "templates[0].cost_per_hour"),
    ({"first_start": "25:00"}, "templates[0].first_start"),
    ({"breaks": [{"length": 15, "earliest": 60, "latset": 90}]}, "templates[0].breaks[0].latset"),
    ({"lengths": [120]}, "templates[0].breaks"),
])
def test_bad_templates_name_the_key(change, path):
    with pytest.raises(ValueError) as info:
        templates.expand([day_template(**change)], interval_minutes=15)
    assert str(info.value).startswith(path), str(info.value)


def test_a_problem_built_from_templates_solves_and_checks():
    shifts = templates.expand([
        {"name": "early", "first_start": "06:00", "last_start": "09:00", "step": 60,
         "lengths": [480], "breaks": [{"length": 60, "earliest": 180, "latest": 300}],
         "cost_per_hour": 20.0},
        {"name": "late", "first_start": "12:00", "last_start": "14:00", "step": 60,
         "lengths": [240, 480], "cost_per_hour": 20.0,
         "night_premium": {"from": "20:00", "to": "06:00", "rate": 0.25}},
    ], interval_minutes=60)
    required = [0] * 7 + [2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1] + [0] * 4
    problem = {"format": "staffplan-problem/1", "interval_minutes": 60, "days": 1,
               "cyclic": False, "demand": {"required": required}, "shifts": shifts,
               "tours": None,
               "objective": {"under_staffing_cost": 1000.0, "over_staffing_cost": 0.0,
                             "wait_cost": None},
               "limits": {"time_limit": 10, "mip_gap": 0.0, "threads": 1}}
    result = staffplan.solve(problem)
    check(problem, result)
    assert result["under_staffing"] == 0
