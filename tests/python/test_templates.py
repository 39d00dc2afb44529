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


def test_weekend_premium_multiplies_the_whole_cost_night_premium_included():
    t = day_template(first_start="20:00", last_start="20:00", lengths=[480], breaks=[],
                     night_premium={"from": "22:00", "to": "06:00", "rate": 0.5},
                     weekend_premium={"rate": 0.5})
    (s,) = templates.expand([t], interval_minutes=15)
    # 8 h at 20 plus 6 night hours at 10 extra: 220; on Saturday and Sunday
    # (the default days) 1.5 times that.
    assert s["cost"] == pytest.approx(220.0)
    assert s["weekday_costs"] == pytest.approx({"sat": 330.0, "sun": 330.0})


def test_weekend_premium_on_days_of_its_own():
    t = day_template(last_start="07:00", lengths=[240],
                     weekend_premium={"rate": 0.25, "days": ["fri", "sat"]})
    shifts = templates.expand([t], interval_minutes=15)
    assert [s["name"] for s in shifts] == ["day-0600-240", "day-0700-240"]
    for s in shifts:
        assert s["cost"] == pytest.approx(80.0)
        assert s["weekday_costs"] == pytest.approx({"fri": 100.0, "sat": 100.0})
    (s,) = templates.expand([day_template(last_start="06:00", lengths=[240],
                                          weekend_premium={"rate": 0.5, "days": []})])
    assert "weekday_costs" not in s


@pytest.mark.parametrize("premium,path", [
    ([0.5], "templates[0].weekend_premium"),
    ({"days": ["sat"]}, "templates[0].weekend_premium.rate"),
    ({"rate": -0.1}, "templates[0].weekend_premium.rate"),
    ({"rate": float("nan")}, "templates[0].weekend_premium.rate"),
    ({"rate": "50%"}, "templates[0].weekend_premium.rate"),
    ({"rate": 0.5, "days": "sat"}, "templates[0].weekend_premium.days"),
    ({"rate": 0.5, "days": ["sat", "Sunday"]}, "templates[0].weekend_premium.days[1]"),
    ({"rate": 0.5, "days": ["sun", "sun"]}, "templates[0].weekend_premium.days[1]"),
    ({"rate": 0.5, "from": "sat"}, "templates[0].weekend_premium.from"),
])
def test_bad_weekend_premiums_name_the_key(premium, path):
    with pytest.raises(ValueError) as info:
        templates.expand([day_template(weekend_premium=premium)], interval_minutes=15)
    assert str(info.value).startswith(path + ":"), str(info.value)


def test_a_week_from_templates_with_a_weekend_premium_solves_and_checks():
    """One template, one start, weekend premium 100%: the weekend's heads
    (2 a day) cost twice the weekdays' (1 a day), counted from a Thursday."""
    shifts = templates.expand([
        {"name": "day", "first_start": "08:00", "lengths": [480], "cost_per_hour": 20.0,
         "weekend_premium": {"rate": 1.0}}], interval_minutes=60)
    day = [0] * 8 + [1] * 8 + [0] * 8
    weekend = [0] * 8 + [2] * 8 + [0] * 8
    # Day 0 is a Thursday: days 2 and 3 are Saturday and Sunday.
    required = day * 2 + weekend * 2 + day * 3
    problem = {"format": "staffplan-problem/1", "interval_minutes": 60, "days": 7,
               "cyclic": False, "start_weekday": "thu", "demand": {"required": required},
               "shifts": shifts, "objective": {"under_staffing_cost": 1000.0},
               "limits": {"time_limit": 10, "mip_gap": 0.0, "threads": 1}}
    result = staffplan.solve(problem)
    check(problem, result)
    assert result["under_staffing"] == 0
    assert result["labor_cost"] == pytest.approx(5 * 160 + 2 * 2 * 320)
