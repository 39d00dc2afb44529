"""Tours (days-off patterns): every person works one shift type on exactly
work_days days of every week.  Checked by the independent evaluator
(evaluate.py: the tour rules and every cost), by brute force on a tiny
week, and on bad rules."""
import copy
import itertools
import shutil
import subprocess

import pytest

from evaluate import check, check_tours

# Heads per hour of a week: weekdays need more than the weekend, which a
# 5-day tour cannot follow exactly (the model's integrality gap).
WEEK = [2, 3, 3, 2, 3, 1, 1]


def tiny_problem():
    """A week of hours; two shift types (06:00-10:00, and 08:00-12:00 with
    a 1-hour break at 09:00 or 10:00) at 100 per worked day; 5 days on,
    2 consecutive days off."""
    req = []
    for day in range(7):
        hours = [0] * 24
        for h in range(6, 12):
            hours[h] = WEEK[day] if 8 <= h < 10 else max(1, WEEK[day] - 1)
        req += hours
    return {
        "format": "staffplan-problem/1", "interval_minutes": 60, "days": 7, "cyclic": True,
        "demand": {"required": req},
        "shifts": [{"name": "E", "start": "06:00", "length": 240, "cost": 100},
                   {"name": "L", "start": "08:00", "length": 240, "cost": 100,
                    "breaks": [{"length": 60, "earliest": 60, "latest": 120}]}],
        "tours": {"work_days": 5, "consecutive_days_off": True},
        "objective": {"under_staffing_cost": 90, "over_staffing_cost": 5},
        "limits": {"time_limit": 20, "mip_gap": 1e-9, "threads": 1},
    }


def _patterns(work_days, consecutive):
    out = []
    for days in itertools.combinations(range(7), work_days):
        works = [d in days for d in range(7)]
        if consecutive and work_days < 7 and \
                sum(1 for d in range(7) if not works[d] and works[(d - 1) % 7]) != 1:
            continue
        out.append(works)
    return out


def _brute_force(p, cap):
    """The optimum over every choice of up to `cap` tours per shift type and
    patterns, with each day's breaks placed the best way (days are
    independent: no shift crosses midnight)."""
    pats = _patterns(5, True)
    req = p["demand"]["required"]
    under, over = p["objective"]["under_staffing_cost"], p["objective"]["over_staffing_cost"]

    def day_cost(day, ne, nl):
        best = None
        for b9 in range(nl + 1):  # b9 of the nl late people break at 09:00
            cov = [0] * 24
            for h in range(6, 10):
                cov[h] += ne
            for h in range(8, 12):
                cov[h] += nl
            cov[9] -= b9
            cov[10] -= nl - b9
            c = sum(under * max(0, r - x) + over * max(0, x - r)
                    for r, x in zip(req[24 * day:24 * day + 24], cov))
            best = c if best is None else min(best, c)
        return best

    def choices(n):
        return itertools.combinations_with_replacement(range(len(pats)), n)

    best = None
    memo = {}
    for ne in range(cap + 1):
        for e_pats in choices(ne):
            e_days = [sum(pats[q][d] for q in e_pats) for d in range(7)]
            for nl in range(cap + 1 - ne):
                for l_pats in choices(nl):
                    l_days = [sum(pats[q][d] for q in l_pats) for d in range(7)]
                    total = 100 * 5 * (ne + nl)
                    for d in range(7):
                        key = (d, e_days[d], l_days[d])
                        if key not in memo:
                            memo[key] = day_cost(*key)
                        total += memo[key]
                    if best is None or total < best:
                        best = total
    return best


def test_tiny_week_optimum_equals_brute_force(sp):
    p = tiny_problem()
    r = sp.solve(p)
    assert r["status"] == "optimal"
    check(p, r)
    tours = check_tours(p, r)
    assert tours and all(days == 5 for _, _, days in tours.values())
    # Every cost is >= 0: an optimum pays at most the solver's objective in
    # labour, 500 per tour, which bounds the enumeration.
    cap = int(r["objective"] // 500)
    assert cap <= 6
    assert r["objective"] == pytest.approx(_brute_force(p, cap))
    assert r["bound"] == pytest.approx(r["objective"])


def test_bounds_round_up_to_whole_tour_weeks(sp):
    """People come in tour weeks, so every objective is a whole number of
    them (500 here: 5 days at 100) plus shortfall at 500 a head-hour: the
    bound is the LP's rounded up to 500, not to a day's 100, and still no
    more than the brute-force optimum."""
    import math
    p = tiny_problem()
    p["objective"] = {"under_staffing_cost": 500, "over_staffing_cost": 0}
    p["limits"]["mip_gap"] = 0.9  # stop at the first solution: the LP's bound
    r = sp.solve(p)
    check(p, r)
    lp = r["lp_bound"]
    assert math.ceil(lp / 100 - 1e-9) * 100 < math.ceil(lp / 500 - 1e-9) * 500
    assert r["bound"] == pytest.approx(math.ceil(lp / 500 - 1e-9) * 500)
    cap = int(r["objective"] // 500)
    assert r["bound"] <= _brute_force(p, cap) + 1e-6


def test_two_weeks_keep_the_same_people_with_their_own_days_off(sp):
    p = tiny_problem()
    p["days"] = 14
    req = p["demand"]["required"]
    # The second week's busy day is Sunday: days off must move.
    second = [x for day in range(7) for x in req[24 * day:24 * day + 24]]
    second[24 * 6 + 8:24 * 6 + 10] = [4, 4]
    p["demand"]["required"] = req + second
    p["limits"]["mip_gap"] = 0.0
    r = sp.solve(p)
    check(p, r)
    tours = check_tours(p, r)
    # Every tour works in both weeks (5 + 5 days).
    assert all(days == 10 for _, _, days in tours.values())


def day_load(h):
    """Heads a generated day wants at hour h (a float): 1 at night, a
    morning and an afternoon peak."""
    import math
    return 1 if (h < 7 or h >= 22) else (
        3 + 6 * math.exp(-((h - 11) / 2.5) ** 2) + 4 * math.exp(-((h - 16) / 2.5) ** 2))


def generated_tour_week():
    """A cyclic week of 15-minute intervals (weekends at 60%), 8-hour shifts
    every 2 hours at 200 with one 30-minute break window, 5-day tours with
    free days off; 3 s, 2 threads."""
    req = [int(day_load(t % 96 / 4.0) * (0.6 if t // 96 >= 5 else 1.0)) for t in range(7 * 96)]
    sh = [{"start": f"{h:02d}:00", "length": 480, "cost": 200.0,
           "breaks": [{"length": 30, "earliest": 180, "latest": 300}]} for h in range(0, 24, 2)]
    return {"format": "staffplan-problem/1", "interval_minutes": 15, "days": 7, "cyclic": True,
            "demand": {"required": req}, "shifts": sh,
            "tours": {"work_days": 5, "consecutive_days_off": False},
            "objective": {"under_staffing_cost": 1000},
            "limits": {"time_limit": 3, "mip_gap": 1e-4, "threads": 2}}


def test_generated_week_of_15_minute_tours_is_verifiable(sp):
    p = generated_tour_week()
    r = sp.solve(p)
    assert r["status"] in ("optimal", "feasible")
    check(p, r)
    assert r["lp_bound"] is None or r["lp_bound"] <= r["objective"] + 1e-6


def test_two_generated_weeks_on_two_threads_keep_whole_tours(sp):
    """Two weeks of 15-minute intervals on two threads: the window sub-MIPs
    and the search beside the root LP change tours of several shift types
    at once; every tour must still work 5 days in each week, and the
    evaluator recomputes every cost."""
    req = []
    for t in range(14 * 96):
        day, h = divmod(t, 96)
        req.append(int(day_load(h / 4.0) * (0.6 if day % 7 >= 5 else 1.0) *
                       (1.3 if day >= 7 else 1.0)))
    sh = [{"start": f"{h // 2:02d}:{30 * (h % 2):02d}", "length": length,
           "cost": length / 60 * 25,
           "breaks": [{"length": 15, "earliest": 90, "latest": 150}]}
          for h in range(0, 48, 2) for length in (360, 480)]
    p = {"format": "staffplan-problem/1", "interval_minutes": 15, "days": 14, "cyclic": True,
         "demand": {"required": req}, "shifts": sh,
         "tours": {"work_days": 5, "consecutive_days_off": True},
         "objective": {"under_staffing_cost": 1000},
         "limits": {"time_limit": 4, "mip_gap": 0.0, "threads": 2}}
    r = sp.solve(p)
    assert r["status"] in ("optimal", "feasible")
    check(p, r)
    tours = check_tours(p, r)
    assert tours and all(days == 10 for _, _, days in tours.values())
    assert r["bound"] <= r["objective"] + 1e-6


@pytest.mark.parametrize("edit,field", [
    (lambda p: p["tours"].__setitem__("work_days", 8), "tours.work_days"),
    (lambda p: p["tours"].__setitem__("work_days", 0), "tours.work_days"),
    (lambda p: p["tours"].__setitem__("work_days", 2.5), "tours.work_days"),
    (lambda p: p["tours"].__setitem__("days_off", 2), "tours.days_off"),
    (lambda p: p["tours"].__setitem__("consecutive_days_off", "yes"),
     "tours.consecutive_days_off"),
    (lambda p: p["tours"].pop("work_days"), "tours.work_days"),
    (lambda p: (p.__setitem__("days", 6),
                p["demand"].__setitem__("required", p["demand"]["required"][:144])), "days"),
])
def test_bad_tour_rules_name_the_key(sp, edit, field):
    p = tiny_problem()
    edit(p)
    with pytest.raises(sp.InputError) as e:
        sp.solve(p)
    assert e.value.field == field, str(e.value)
    assert str(e.value).startswith(field), str(e.value)


def test_the_core_refuses_a_rule_no_week_satisfies():
    """The C core checks the rule too (for callers other than problem.py)."""
    from staffplan import _core

    p = tiny_problem()
    shifts = [(360, True, 240, 100.0, []), (480, True, 240, 100.0, [(60, 60, 120)])]
    with pytest.raises(_core.InputError) as e:
        _core.schedule_solve(168, 60, True, p["demand"]["required"], shifts, 90.0, 5.0,
                             5.0, 0.0, 1, None, tours=(9, True))
    assert e.value.field == "tours.work_days"
    with pytest.raises(_core.InputError) as e:
        _core.schedule_solve(144, 60, True, p["demand"]["required"][:144], shifts, 90.0, 5.0,
                             5.0, 0.0, 1, None, tours=(5, True))
    assert e.value.field == "days"


@pytest.mark.skipif(shutil.which("glpsol") is None, reason="glpsol is not installed")
def test_glpsol_solves_the_written_tour_model_to_our_optimum(sp, tmp_path):
    p = tiny_problem()
    lp = tmp_path / "tours.lp"
    sp.write_lp(p, lp)
    text = lp.read_text()
    assert "z0_0_" in text and "t1_6" in text
    out = tmp_path / "sol.txt"
    done = subprocess.run(["glpsol", "--lp", str(lp), "-o", str(out)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout
    line = next(x for x in out.read_text().splitlines() if x.startswith("Objective:"))
    assert float(line.split("=")[1].split()[0]) == pytest.approx(sp.solve(p)["objective"])
