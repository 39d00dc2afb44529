"""Costs by weekday (shifts[i].weekday_costs, weekend premiums): the cost of
a shift is that of the weekday it starts on, counted from start_weekday.
Checked against brute-force optima of tiny schedules (daily shifts and
tours), against glpsol on the written LP, by the independent evaluators
(evaluate.py, staffplan.evaluation, roster_check.py) and against a
brute-force roster."""
import copy
import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest

from evaluate import check, check_tours
from roster_check import check as roster_check
from test_schedule import _glpsol, needs_glpsol
from test_tours import generated_tour_week

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def weekday(start_weekday, day):
    return WEEKDAYS[(WEEKDAYS.index(start_weekday) + day) % 7]


# ---------------------------------------------------------------------------
# Daily shifts: a premium moves Saturday's demand to another shift.

# Hourly demand of every day: one head 08-16, a second 12-16, one at night
# 22-06 (the night shift crosses midnight; on a cyclic horizon the last
# day's night wraps to the first morning).
DAY = [1] * 6 + [0] * 2 + [1] * 4 + [2] * 4 + [0] * 6 + [1] * 2

SHIFTS = [
    # A covers the day for 100, 300 on Saturday; B is longer (07-17) at 150
    # every day; C covers the afternoon peak, 90 on Sundays.
    {"name": "A", "start": "08:00", "length": 480, "cost": 100, "weekday_costs": {"sat": 300}},
    {"name": "B", "start": "07:00", "length": 600, "cost": 150},
    {"name": "C", "start": "12:00", "length": 240, "cost": 50, "weekday_costs": {"sun": 90}},
    {"name": "N", "start": "22:00", "length": 480, "cost": 120,
     "weekday_costs": {"fri": 500, "sat": 500}},
]


def daily_problem(start_weekday, cyclic=True):
    return {"format": "staffplan-problem/1", "interval_minutes": 60, "days": 7,
            "cyclic": cyclic, "start_weekday": start_weekday,
            "demand": {"required": DAY * 7}, "shifts": copy.deepcopy(SHIFTS),
            "objective": {"under_staffing_cost": 70, "over_staffing_cost": 3},
            "limits": {"time_limit": 20, "mip_gap": 0.0, "threads": 1}}


def brute_force_daily(p):
    """The optimum by enumeration: every hour is covered by the shifts
    started that day or, for 00-06, by the night shift of the evening
    before (the last day's on a cyclic horizon, none otherwise), so the
    days are independent once the nights are counted with their start day."""
    under, over = p["objective"]["under_staffing_cost"], p["objective"]["over_staffing_cost"]
    req = p["demand"]["required"]
    sw = p["start_weekday"]

    def cost(shift, day):
        s = next(x for x in p["shifts"] if x["name"] == shift)
        return s.get("weekday_costs", {}).get(weekday(sw, day), s["cost"])

    def penalty(r, c):
        return under * max(0, r - c) + over * max(0, c - r)

    total = 0.0
    choice = {}
    for day in range(7):
        best = None
        for a, b, c in itertools.product(range(3), repeat=3):
            cov = [0] * 24
            for h in range(8, 16):
                cov[h] += a
            for h in range(7, 17):
                cov[h] += b
            for h in range(12, 16):
                cov[h] += c
            v = a * cost("A", day) + b * cost("B", day) + c * cost("C", day)
            v += sum(penalty(req[24 * day + h], cov[h]) for h in range(6, 22))
            if best is None or v < best[0]:
                best = (v, (a, b, c))
        # The night started this evening covers 22-24 today and 00-06 of the
        # next day (of day 0 when it wraps; nothing past a non-cyclic end).
        nbest = None
        for n in range(3):
            v = n * cost("N", day) + sum(penalty(req[24 * day + h], n) for h in (22, 23))
            nxt = day + 1
            if nxt < 7 or p["cyclic"]:
                nxt %= 7
                v += sum(penalty(req[24 * nxt + h], n) for h in range(6))
            if nbest is None or v < nbest[0]:
                nbest = (v, n)
        total += best[0] + nbest[0]
        choice[day] = best[1] + (nbest[1],)
    if not p["cyclic"]:
        # Day 0's 00-06 has no night shift before it.
        total += sum(under * req[h] for h in range(6))
    return total, choice


@pytest.mark.parametrize("start_weekday", ["mon", "thu", "sun"])
@pytest.mark.parametrize("cyclic", [True, False])
def test_daily_optimum_equals_brute_force_and_saturday_takes_the_cheaper_shift(
        sp, start_weekday, cyclic):
    p = daily_problem(start_weekday, cyclic)
    r = sp.solve(p)
    assert r["status"] == "optimal"
    ev = check(p, r)
    best, choice = brute_force_daily(p)
    assert r["objective"] == pytest.approx(best)
    assert ev["objective"] == pytest.approx(best)
    # On Saturday A costs 300 and B (150) covers the day instead; on the
    # other days A (100) does.  The enumeration agrees (its choice is
    # unique on these days).
    sat = WEEKDAYS.index("sat") - WEEKDAYS.index(start_weekday)
    sat %= 7
    worked = {(a["day"], a["shift"]) for a in r["assignments"]}
    for day in range(7):
        if day == sat:
            assert (day, "B") in worked and (day, "A") not in worked, r["assignments"]
            assert choice[day][:2] == (0, 1)
        else:
            assert (day, "A") in worked and (day, "B") not in worked, r["assignments"]
            assert choice[day][:2] == (1, 0)


def test_labour_cost_is_the_sum_of_each_start_day_cost(sp):
    """Labour recomputed by hand from the assignments and start_weekday,
    and by staffplan.evaluation: the night shift started on the last day
    of a cyclic horizon is paid at that day's weekday."""
    from staffplan import evaluation

    p = daily_problem("sat", cyclic=True)
    r = sp.solve(p)
    costs = {s["name"]: s for s in SHIFTS}
    by_hand = 0.0
    for a in r["assignments"]:
        s = costs[a["shift"]]
        by_hand += a["count"] * s.get("weekday_costs", {}).get(
            WEEKDAYS[(5 + a["day"]) % 7], s["cost"])
    assert r["labor_cost"] == pytest.approx(by_hand)
    assert evaluation.evaluate(p, r).totals["labor_cost"] == pytest.approx(by_hand)
    # Day 6 is a Friday: its night (22:00 Friday to 06:00 Saturday, wrapping
    # to day 0's morning) costs Friday's 500, day 0's (Saturday) 500 too.
    nights = {a["day"]: a["count"] for a in r["assignments"] if a["shift"] == "N"}
    assert nights == {d: 1 for d in range(7)}
    night_pay = sum(sp_cost for sp_cost in (
        a["count"] * (500 if a["day"] in (0, 6) else 120)
        for a in r["assignments"] if a["shift"] == "N"))
    assert night_pay == 2 * 500 + 5 * 120


def test_start_weekday_moves_the_expensive_days(sp):
    """The same problem from another start weekday gives the same plan
    rotated: the optimum is the same, and Saturday's cheaper shift sits on
    the horizon day that is a Saturday."""
    objectives = set()
    for wd in WEEKDAYS:
        p = daily_problem(wd, cyclic=True)
        r = sp.solve(p)
        check(p, r)
        objectives.add(round(r["objective"], 6))
        sat = (5 - WEEKDAYS.index(wd)) % 7
        days_b = sorted(a["day"] for a in r["assignments"] if a["shift"] == "B")
        assert days_b == [sat]
    assert len(objectives) == 1


def test_weekday_costs_equal_to_cost_change_nothing(sp):
    """Listing every weekday at the shift's own cost is the plain problem."""
    p = daily_problem("mon")
    plain = daily_problem("mon")
    for s in plain["shifts"]:
        s.pop("weekday_costs", None)
    for s in p["shifts"]:
        s["weekday_costs"] = {d: s["cost"] for d in WEEKDAYS}
    assert sp.solve(p)["objective"] == pytest.approx(sp.solve(plain)["objective"])
    p["shifts"][0]["weekday_costs"] = {}
    p["shifts"][1]["weekday_costs"] = None
    assert sp.solve(p)["objective"] == pytest.approx(sp.solve(plain)["objective"])


def test_the_problem_dict_is_not_modified(sp):
    p = daily_problem("wed")
    before = copy.deepcopy(p)
    sp.solve(p)
    assert p == before


@needs_glpsol
@pytest.mark.parametrize("cyclic", [True, False])
def test_glpsol_solves_the_written_model_to_our_optimum(sp, tmp_path, cyclic):
    p = daily_problem("thu", cyclic)
    lp = tmp_path / "week.lp"
    sp.write_lp(p, lp)
    status, objective, _ = _glpsol(["--lp", str(lp)], tmp_path)
    assert status == "INTEGER OPTIMAL"
    assert objective == pytest.approx(brute_force_daily(p)[0])
    assert objective == pytest.approx(sp.solve(p)["objective"])


# ---------------------------------------------------------------------------
# Tours: the days off fall on the expensive days when the demand allows.

def tour_problem(start_weekday, consecutive=True, weeks=1):
    """One head 08-16 every day; under-staffing 40 per head-hour (320 a
    day); one shift type at 100 a day, 250 on Saturdays and Sundays, worked
    5 days a week."""
    return {"format": "staffplan-problem/1", "interval_minutes": 60, "days": 7 * weeks,
            "cyclic": True, "start_weekday": start_weekday,
            "demand": {"required": ([0] * 8 + [1] * 8 + [0] * 8) * 7 * weeks},
            "shifts": [{"name": "E", "start": "08:00", "length": 480, "cost": 100,
                        "weekday_costs": {"sat": 250, "sun": 250}}],
            "tours": {"work_days": 5, "consecutive_days_off": consecutive},
            "objective": {"under_staffing_cost": 40, "over_staffing_cost": 0},
            "limits": {"time_limit": 20, "mip_gap": 0.0, "threads": 1}}


def _patterns(consecutive):
    out = []
    for days in itertools.combinations(range(7), 5):
        works = [d in days for d in range(7)]
        if consecutive and sum(1 for d in range(7)
                               if not works[d] and works[(d - 1) % 7]) != 1:
            continue
        out.append(works)
    return out


def brute_force_tours(p, cap=3):
    """The optimum over up to `cap` tours and their patterns (one week)."""
    s = p["shifts"][0]
    day_cost = [s["weekday_costs"].get(weekday(p["start_weekday"], d), s["cost"])
                for d in range(7)]
    under = p["objective"]["under_staffing_cost"]
    best = None
    pats = _patterns(p["tours"]["consecutive_days_off"])
    for n in range(cap + 1):
        for chosen in itertools.combinations_with_replacement(range(len(pats)), n):
            v = 0.0
            for d in range(7):
                working = sum(pats[q][d] for q in chosen)
                v += working * day_cost[d] + 8 * under * max(0, 1 - working)
            best = v if best is None else min(best, v)
    return best


@pytest.mark.parametrize("start_weekday", ["mon", "wed", "sun"])
@pytest.mark.parametrize("consecutive", [True, False])
def test_tours_take_their_days_off_on_the_expensive_days(sp, start_weekday, consecutive):
    p = tour_problem(start_weekday, consecutive)
    r = sp.solve(p)
    assert r["status"] == "optimal"
    check(p, r)
    tours = check_tours(p, r)
    # One tour off on Saturday and Sunday (2 x 320 uncovered) costs
    # 500 + 640; any other days off work a weekend day at 250: at least
    # 650 + 640.  A second tour costs more than the shortfall it removes.
    assert r["objective"] == pytest.approx(1140)
    assert r["objective"] == pytest.approx(brute_force_tours(p))
    assert len(tours) == 1
    worked = sorted(a["day"] for a in r["assignments"])
    weekend = sorted(d for d in range(7) if weekday(start_weekday, d) in ("sat", "sun"))
    assert sorted(set(range(7)) - set(worked)) == weekend


def test_without_the_premium_two_tours_cover_every_day(sp):
    """The premium is what leaves the weekend uncovered: at a flat 100 two
    tours (1000) cover all seven days."""
    p = tour_problem("mon")
    del p["shifts"][0]["weekday_costs"]
    r = sp.solve(p)
    check(p, r)
    assert r["objective"] == pytest.approx(1000)
    assert r["under_staffing"] == 0


def test_two_weeks_of_tours_keep_their_people_and_pay_each_day(sp):
    p = tour_problem("fri", weeks=2)
    # Week days 2 x 320 uncovered beats any weekend work; two weeks.
    r = sp.solve(p)
    check(p, r)
    check_tours(p, r)
    assert r["objective"] == pytest.approx(2 * 1140)
    worked = {a["day"] for a in r["assignments"]}
    assert {d for d in range(14) if weekday("fri", d) in ("sat", "sun")}.isdisjoint(worked)


def test_generated_week_of_15_minute_tours_with_a_weekend_premium_is_verifiable(sp):
    """The tour heuristics (rounding, local search, windows, ILS) on a
    generated week where Saturday and Sunday cost 1.5 times: every figure
    recomputed, and the plan costs at least the same week without the
    premium can (its LP bound), since no day costs less."""
    p = generated_tour_week()
    p["start_weekday"] = "tue"
    for sh in p["shifts"]:
        sh["weekday_costs"] = {"sat": 300.0, "sun": 300.0}
    r = sp.solve(p)
    assert r["status"] in ("optimal", "feasible")
    check(p, r)
    check_tours(p, r)
    plain = copy.deepcopy(p)
    for s in plain["shifts"]:
        del s["weekday_costs"]
    r0 = sp.solve(plain)
    if r0["lp_bound"] is not None:
        assert r["objective"] >= r0["lp_bound"] - 1e-6
    if r["lp_bound"] is not None:
        assert r["lp_bound"] <= r["objective"] + 1e-6
        assert r["lp_bound"] >= r0["lp_bound"] - 1e-6


@needs_glpsol
def test_glpsol_solves_the_written_tour_model_to_our_optimum(sp, tmp_path):
    p = tour_problem("tue", consecutive=False)
    p["demand"]["required"] = ([0] * 8 + [2] * 8 + [0] * 8) * 5 + ([0] * 8 + [1] * 8 + [0] * 8) * 2
    lp = tmp_path / "tours.lp"
    sp.write_lp(p, lp)
    status, objective, _ = _glpsol(["--lp", str(lp)], tmp_path)
    assert status == "INTEGER OPTIMAL"
    r = sp.solve(p)
    check(p, r)
    assert objective == pytest.approx(r["objective"])


# ---------------------------------------------------------------------------
# Rosters: a shift's cost of the day, or the agent's rate scaled by it.

def roster_problem(start_weekday, demand="required"):
    """A week; shift E (08-16) costs 160, 320 on Saturdays and Sundays."""
    p = {"format": "staffplan-problem/1", "interval_minutes": 60, "days": 7,
         "cyclic": False, "start_weekday": start_weekday,
         "shifts": [{"name": "E", "start": "08:00", "length": 480, "cost": 160,
                     "weekday_costs": {"sat": 320, "sun": 320}}],
         "objective": {"under_staffing_cost": 100, "over_staffing_cost": 0},
         "limits": {"time_limit": 3, "mip_gap": 0.0, "threads": 1}}
    if demand == "required":
        p["demand"] = {"required": ([0] * 8 + [1] * 8 + [0] * 8) * 7}
    else:
        p["demand"] = {"cover": [{"day": d, "shift": "E", "required": 1, "under_cost": 1000}
                                 for d in range(7)]}
    return p


def _labour(p, agent, day):
    s = p["shifts"][0]
    cost = s["weekday_costs"].get(weekday(p["start_weekday"], day), s["cost"])
    if agent.get("cost_per_hour") is None:
        return cost
    return agent["cost_per_hour"] * s["length"] / 60 * cost / s["cost"]


def brute_force_roster(p):
    """Every way to give each day to nobody, one agent or both, under the
    agents' max_minutes; the objective of problem-format.md."""
    agents = p["agents"]
    best = None
    for rows in itertools.product(range(1 << len(agents)), repeat=7):
        minutes = [0] * len(agents)
        v = 0.0
        for day, mask in enumerate(rows):
            people = 0
            for i, a in enumerate(agents):
                if mask >> i & 1:
                    minutes[i] += 480
                    people += 1
                    v += _labour(p, a, day)
            if "required" in p["demand"]:
                v += 8 * (100 * max(0, 1 - people))
            else:
                v += 1000 * max(0, 1 - people)
        if any(a.get("max_minutes") is not None and m > a["max_minutes"]
               for a, m in zip(agents, minutes)):
            continue
        best = v if best is None or v < best else best
    return best


def test_each_agent_takes_the_shift_its_day_cost_makes_cheapest(sp):
    """E (08-16) costs 160, 320 on the weekend; F (07-17) 230 every day.
    flat (no cost_per_hour) may work days 0-3, hourly (20/h) days 4-6; the
    horizon starts on a Sunday.  flat pays the shift's cost of the day: F
    on Sunday (230 < 320), E on weekdays.  hourly pays 20/h scaled by the
    day's premium: E 160 on weekdays, 320 on Saturday, F 200 every day, so
    F on Saturday.  Brute force over every agent's shift per day agrees."""
    p = roster_problem("sun")
    p["shifts"].append({"name": "F", "start": "07:00", "length": 600, "cost": 230})
    p["agents"] = [{"id": "flat", "unavailable_days": [4, 5, 6]},
                   {"id": "hourly", "cost_per_hour": 20, "unavailable_days": [0, 1, 2, 3]}]
    r = sp.solve(p)
    assert roster_check(p, r) == []
    pay = {("flat", "E"): [320, 160, 160, 160], ("flat", "F"): [230] * 4,
           ("hourly", "E"): [160, 160, 320], ("hourly", "F"): [200] * 3}
    best = 0.0
    for agent, days in (("flat", range(4)), ("hourly", range(4, 7))):
        for k, _ in enumerate(days):
            best += min(pay[(agent, "E")][k], pay[(agent, "F")][k], 8 * 100)
    assert best == 230 + 3 * 160 + 2 * 160 + 200
    assert r["objective"] == pytest.approx(best)
    worked = {(x["day"], x["agent"], x["shift"]) for x in r["assignments"]}
    assert worked == {(0, "flat", "F"), (1, "flat", "E"), (2, "flat", "E"), (3, "flat", "E"),
                      (4, "hourly", "E"), (5, "hourly", "E"), (6, "hourly", "F")}
    assert {x["agent"]: x["cost"] for x in r["roster"]} == pytest.approx(
        {"flat": 710.0, "hourly": 520.0})


@pytest.mark.parametrize("start_weekday", ["mon", "sat"])
def test_capacity_limited_hourly_agents_are_costed_and_bounded(sp, start_weekday):
    """a (20/h) may work 5 days, b costs 30/h; the premium doubles both on
    the weekend, so the optimum gives a the weekend (1600, by brute force).
    The roster's figures are recomputed, its bound stays below that
    optimum and its objective above it.  (The search gives away days in
    order and has no move exchanging one day of a for another of b, so it
    may keep a on weekdays: 1760 from a Monday.)"""
    p = roster_problem(start_weekday)
    p["agents"] = [{"id": "a", "cost_per_hour": 20, "max_minutes": 2400},
                   {"id": "b", "cost_per_hour": 30}]
    r = sp.solve(p)
    assert roster_check(p, r) == []
    best = brute_force_roster(p)
    assert best == pytest.approx(2 * 320 + 3 * 160 + 2 * 240)
    assert r["bound"] <= best + 1e-6 <= r["objective"] + 2e-6
    # a works its 5 days, b the other 2: the labour is a's days at 160 or
    # 320 and b's at 240 or 480, whichever days they are.
    sat_sun = {d for d in range(7) if weekday(start_weekday, d) in ("sat", "sun")}
    by_hand = sum((160 if x["agent"] == "a" else 240) * (2 if x["day"] in sat_sun else 1)
                  for x in r["assignments"])
    assert r["labor_cost"] == pytest.approx(by_hand)


def test_cover_targets_with_flat_and_hourly_agents(sp):
    """flat (no cost_per_hour, at most 4 days) pays 160, 320 on the weekend;
    hourly (25/h) 200, 400 on the weekend.  Cover targets of one person a
    day: the optimum (brute force) gives flat the weekend."""
    p = roster_problem("mon", demand="cover")
    p["agents"] = [{"id": "flat", "max_minutes": 1920}, {"id": "hourly", "cost_per_hour": 25}]
    r = sp.solve(p)
    assert roster_check(p, r) == []
    best = brute_force_roster(p)
    assert best == pytest.approx(640 + 320 + 600)
    assert best <= r["objective"] + 1e-6
    costs = {"flat": (160, 320), "hourly": (200, 400)}
    by_agent = {"flat": 0.0, "hourly": 0.0}
    for x in r["assignments"]:
        by_agent[x["agent"]] += costs[x["agent"]][x["day"] >= 5]
    assert {x["agent"]: x["cost"] for x in r["roster"]} == pytest.approx(by_agent)


def test_roster_from_a_schedule_pays_the_day_costs(sp):
    p = roster_problem("thu")
    sched = dict(p)
    r0 = sp.solve(sched)
    check(sched, r0)
    p["agents"] = [{"id": f"x{i}"} for i in range(2)] + [{"id": "h", "cost_per_hour": 10}]
    r = sp.roster(p, schedule=r0)
    assert roster_check(p, r, schedule=r0) == []
    # The hourly agent (80 a weekday, 160 a weekend day) is the cheapest on
    # every day and may work every day: it takes the whole week.
    assert r["labor_cost"] == pytest.approx(5 * 80 + 2 * 160)


def test_roster_bound_with_premiums_stays_below_the_optimum(sp):
    """Hourly agents with different rates: the bound from the paid-rate
    schedule (the cap scaled by the largest premium) stays a lower bound."""
    p = roster_problem("tue")
    p["agents"] = [{"id": "a", "cost_per_hour": 15, "max_minutes": 1440},
                   {"id": "b", "cost_per_hour": 35, "max_minutes": 1920}]
    r = sp.solve(p)
    assert roster_check(p, r) == []
    best = brute_force_roster(p)
    assert best == pytest.approx(2 * 240 + 120 + 4 * 280)
    # The paid-rate bound at 35/h: 5 x 280 + 2 x 560 less a's capacity
    # 1440 minutes x the largest premium 2 x (35 - 15) / 60 = 1560; without
    # the premium on the capacity it would be 2040, above the optimum.
    assert r["bound"] == pytest.approx(1560)
    assert r["bound"] <= best + 1e-6 <= r["objective"] + 2e-6


# ---------------------------------------------------------------------------
# The command line.

def test_cli_solves_a_problem_with_weekday_costs(tmp_path):
    p = daily_problem("sun")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(p))
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(path)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout)
    check(p, r)
    assert r["objective"] == pytest.approx(brute_force_daily(p)[0])
    p["shifts"][0]["weekday_costs"] = {"sat": -5}
    path.write_text(json.dumps(p))
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(path)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2
    r = json.loads(done.stdout)
    assert r["status"] == "invalid"
    assert r["error"].startswith("shifts[0].weekday_costs.sat: must be >= 0")


def test_the_core_refuses_bad_day_costs(sp):
    from staffplan import _core

    shifts = [(480, True, 480, 100.0, [], (1, 2, 3, 4, 5, 6, float("inf")))]
    with pytest.raises(sp.InputError) as info:
        _core.schedule_solve(24, 60, True, [1] * 24, shifts, 1.0, 0.0, 1.0, 0.0, 1, None)
    assert info.value.field == "shifts[0].day_costs[6]"
    shifts = [(480, True, 480, 100.0, [], (1, 2, 3))]
    with pytest.raises(ValueError, match="day_costs must hold 7 costs"):
        _core.schedule_solve(24, 60, True, [1] * 24, shifts, 1.0, 0.0, 1.0, 0.0, 1, None)
    shifts = [(480, True, 480, 100.0, [], (1, 2, 3, 4, 5, 6, "7"))]
    with pytest.raises(TypeError):
        _core.schedule_solve(24, 60, True, [1] * 24, shifts, 1.0, 0.0, 1.0, 0.0, 1, None)
