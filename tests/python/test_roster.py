"""Rosters (docs/roster-format.md): validation with key paths, both paths end
to end, every hard rule and every figure recomputed here from the
assignments alone, and a brute-force optimum on a tiny case."""
import itertools
import json
import math
import random
import subprocess
import sys

import pytest

import staffplan
from staffplan import InputError

WD = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hhmm(s):
    h, m = s.split(":")
    return 60 * int(h) + int(m)


def base(days=7, required=None, agents=None, **kw):
    I = 60
    per_day = 24
    if required is None:
        day = [0] * 7 + [2] * 4 + [3] * 6 + [2] * 4 + [1] * 2 + [0]
        required = day * days
    p = {"format": "staffplan-problem/1", "interval_minutes": I, "days": days,
         "cyclic": False, "demand": {"required": required},
         "shifts": [
             {"name": "E", "start": "07:00", "length": 480, "cost": 200.0,
              "breaks": [{"length": 60, "earliest": 180, "latest": 300}]},
             {"name": "M", "start": "10:00", "length": 480, "cost": 200.0,
              "breaks": [{"length": 60, "earliest": 180, "latest": 300}]},
             {"name": "L", "start": "15:00", "length": 480, "cost": 200.0,
              "breaks": [{"length": 60, "earliest": 180, "latest": 300}],
              "cannot_follow": []},
             {"name": "P", "start": "17:00", "length": 240, "cost": 90.0, "skill": "chat"}],
         "objective": {"under_staffing_cost": 100.0, "over_staffing_cost": 1.0},
         "limits": {"time_limit": 1, "mip_gap": 0.01, "threads": 2}}
    assert len(required) == days * per_day
    if agents is None:
        agents = [
            {"id": "ann", "cost_per_hour": 24.0, "skills": ["chat"],
             "max_consecutive_work_days": 4, "min_rest_minutes": 720,
             "max_minutes_per_week": 2400, "min_minutes": 960},
            {"id": "bob", "cost_per_hour": 26.0, "shift_types": ["E", "M"],
             "unavailable_days": [2], "max_weekends": 0,
             "requests": [{"day": 0, "shift": "E", "work": True, "weight": 30.0}]},
            {"id": "cy", "availability": {w: [["09:00", "23:00"]] for w in WD[:5]},
             "max_shifts": {"L": 2}, "min_consecutive_days_off": 2},
            {"id": "dee", "cost_per_hour": 22.0, "fixed_days_off": [0, 6],
             "min_consecutive_work_days": 2, "max_minutes": 1920,
             "requests": [{"day": 3, "shift": None, "work": False, "weight": 15.0}]},
            {"id": "eve", "cost_per_hour": 30.0, "skills": ["chat"],
             "max_consecutive_work_days": 3, "min_minutes_per_week": 480},
        ]
    p["agents"] = agents
    p.update(kw)
    return p


# ---------------------------------------------------------------------------
# The independent checker: plain loops over the result and the problem.

def check(problem, r):
    """Asserts every hard rule of every agent, and that coverage and every
    cost figure equal a recomputation from the assignments."""
    assert r["status"] in ("optimal", "feasible"), r.get("error")
    I, days = problem["interval_minutes"], problem["days"]
    T = days * 1440 // I
    shifts = {s["name"]: s for s in problem["shifts"]}
    agents = {a["id"]: a for a in problem["agents"]}
    wd0 = WD.index(problem.get("start_weekday", "mon"))
    follow = {n: set(s.get("cannot_follow") or []) for n, s in shifts.items()}
    cov = [0] * T
    labor = req_pen = 0.0
    by_agent = {aid: {} for aid in agents}
    for x in r["assignments"]:
        assert x["count"] == 1
        sh = shifts[x["shift"]]
        d = x["day"]
        assert x["start"] == d * 1440 + hhmm(sh["start"])
        assert x["end"] == x["start"] + sh["length"]
        assert d not in by_agent[x["agent"]], f"{x['agent']} works twice on day {d}"
        by_agent[x["agent"]][d] = x
        assert len(x["breaks"]) == len(sh.get("breaks", []))
        for (b0, b1), bw in zip(x["breaks"], sh.get("breaks", [])):
            assert b1 - b0 == bw["length"]
            assert bw["earliest"] <= b0 - x["start"] <= bw["latest"]
            assert (b0 - x["start"]) % I == 0
        for m in range(x["start"], x["end"], I):
            if any(b0 <= m < b1 for b0, b1 in x["breaks"]):
                continue
            t = m // I
            if t >= T:
                if not problem.get("cyclic", True):
                    continue
                t -= T
            cov[t] += 1
    for aid, a in agents.items():
        work = by_agent[aid]
        cph = a.get("cost_per_hour")
        mins = 0
        for d, x in sorted(work.items()):
            sh = shifts[x["shift"]]
            day_cost = (sh.get("weekday_costs") or {}).get(WD[(wd0 + d) % 7], sh["cost"])
            labor += day_cost if cph is None else cph * sh["length"] / 60 * (
                day_cost / sh["cost"] if sh["cost"] > 0 else 1.0)
            mins += sh["length"]
            if sh.get("skill"):
                assert sh["skill"] in a.get("skills", []), (aid, d, "skill")
            if a.get("shift_types") is not None:
                assert x["shift"] in a["shift_types"], (aid, d, "shift_types")
            assert d not in a.get("unavailable_days", []), (aid, d)
            assert d not in a.get("fixed_days_off", []), (aid, d)
            if a.get("availability") is not None:
                wins = a["availability"].get(WD[(wd0 + d) % 7]) or []
                s0 = hhmm(sh["start"])
                assert any(hhmm(lo) <= s0 and s0 + sh["length"] <= hhmm(hi)
                           for lo, hi in wins), (aid, d, "availability")
            if d - 1 in work:
                assert work[d - 1]["shift"] not in follow[x["shift"]], (aid, d, "follow")
        worked = sorted(work)
        for d0, d1 in zip(worked, worked[1:]):
            gap = work[d1]["start"] - work[d0]["end"]
            assert gap >= max(0, a.get("min_rest_minutes", 0)), (aid, d0, d1, "rest")
        if "max_minutes" in a:
            assert mins <= a["max_minutes"], (aid, "max_minutes")
        if "min_minutes" in a:
            assert mins >= a["min_minutes"], (aid, "min_minutes")
        for w in range(days // 7):
            wm = sum(shifts[work[d]["shift"]]["length"] for d in range(7 * w, 7 * w + 7)
                     if d in work)
            assert wm <= a.get("max_minutes_per_week", 10**9), (aid, w)
            assert wm >= a.get("min_minutes_per_week", 0), (aid, w)
        for name, mx in (a.get("max_shifts") or {}).items():
            assert sum(x["shift"] == name for x in work.values()) <= mx, (aid, name)
        weekends = {(d + wd0) // 7 for d in work if (d + wd0) % 7 >= 5}
        if "max_weekends" in a:
            assert len(weekends) <= a["max_weekends"], (aid, "weekends")
        d = 0
        while d < days:
            on = d in work
            e = d
            while e < days and (e in work) == on:
                e += 1
            inner = d > 0 and e < days
            if on:
                assert e - d <= a.get("max_consecutive_work_days", days), (aid, d, "max run")
                if inner:
                    assert e - d >= a.get("min_consecutive_work_days", 0), (aid, d, "min run")
            elif inner:
                assert e - d >= a.get("min_consecutive_days_off", 0), (aid, d, "days off")
            d = e
        for q in a.get("requests", []):
            x = work.get(q["day"])
            hit = x is not None and (q.get("shift") is None or x["shift"] == q["shift"])
            if hit != q["work"]:
                req_pen += q.get("weight", 1.0)
    assert r["coverage"] == cov
    obj = problem.get("objective", {})
    under_c, over_c = obj.get("under_staffing_cost", 1000.0), obj.get("over_staffing_cost", 0.0)
    cover_pen = 0.0
    if "required" in problem["demand"]:
        req = problem["demand"]["required"]
        under = sum(max(0, q - c) for q, c in zip(req, cov))
        over = sum(max(0, c - q) for q, c in zip(req, cov))
        assert r["under_staffing"] == pytest.approx(under)
        assert r["over_staffing"] == pytest.approx(over)
        assert r["unstaffed"] == [{"interval": t, "shortfall": q - c}
                                  for t, (q, c) in enumerate(zip(req, cov)) if c < q]
        total = labor + under_c * under + over_c * over + req_pen
    else:
        count = {}
        for x in r["assignments"]:
            count[(x["day"], x["shift"])] = count.get((x["day"], x["shift"]), 0) + 1
        listed = set()
        for c in problem["demand"]["cover"]:
            key = (c["day"], c["shift"])
            listed.add(key)
            n = count.get(key, 0)
            k = c["required"]
            cover_pen += (c.get("under_cost", 1.0) * (k - n) if n < k
                          else c.get("over_cost", 0.0) * (n - k))
        total = labor + req_pen + cover_pen
    assert r["labor_cost"] == pytest.approx(labor)
    assert r["request_penalty"] == pytest.approx(req_pen)
    assert r["cover_penalty"] == pytest.approx(cover_pen)
    assert r["objective"] == pytest.approx(total)
    per = {x["agent"]: x for x in r["roster"]}
    for aid in agents:
        shifts_of = by_agent[aid]
        assert per[aid]["paid_minutes"] == sum(shifts[x["shift"]]["length"]
                                               for x in shifts_of.values())
        assert len(per[aid]["shifts"]) == len(shifts_of)
    if r["bound"] is not None:
        assert r["bound"] <= r["objective"] + 1e-6
    return total


# ---------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize("mutate, field", [
    (lambda p: p["agents"][3].update(min_rest_minutes=-5), "agents[3].min_rest_minutes"),
    (lambda p: p["agents"][0].update(max_minuts=5), "agents[0].max_minuts"),
    (lambda p: p["agents"][1].update(id="ann"), "agents[1].id"),
    (lambda p: p["agents"][1].pop("id"), "agents[1].id"),
    (lambda p: p["agents"][2].update(shift_types=["X"]), "agents[2].shift_types[0]"),
    (lambda p: p["agents"][2]["availability"].update(mon=[["09:00", "49:00"]]),
     "agents[2].availability.mon[0][1]"),
    (lambda p: p["agents"][2]["availability"].update(fun=[]), "agents[2].availability.fun"),
    (lambda p: p["agents"][0].update(unavailable_days=[7]), "agents[0].unavailable_days[0]"),
    (lambda p: p["agents"][1]["requests"][0].update(shift="Q"),
     "agents[1].requests[0].shift"),
    (lambda p: p["agents"][1]["requests"][0].update(work="yes"),
     "agents[1].requests[0].work"),
    (lambda p: p["agents"][2].update(max_shifts={"Z": 1}), "agents[2].max_shifts.Z"),
    (lambda p: p["agents"][0].update(min_minutes=5000, max_minutes=100),
     "agents[0].min_minutes"),
    (lambda p: p["agents"][0].update(cost_per_hour="x"), "agents[0].cost_per_hour"),
    (lambda p: p["shifts"][2].update(cannot_follow=["nope"]), "shifts[2].cannot_follow[0]"),
    (lambda p: p["shifts"][3].update(skill=3), "shifts[3].skill"),
    (lambda p: p.update(start_weekday="monday"), "start_weekday"),
    (lambda p: p.update(agents=[]), "agents"),
    (lambda p: p.update(agents="abc"), "agents"),
    (lambda p: p.update(agents=[1]), "agents[0]"),
    (lambda p: p["agents"][0].update(requests={}), "agents[0].requests"),
    (lambda p: p["agents"][0].update(skills="chat"), "agents[0].skills"),
    (lambda p: p["agents"][0].update(availability={"mon": [["07:00"]]}),
     "agents[0].availability.mon[0]"),
    (lambda p: p["agents"][1]["requests"][0].pop("work"), "agents[1].requests[0].work"),
    (lambda p: p["agents"][0].update(max_weekends=1.5), "agents[0].max_weekends"),
    (lambda p: p["shifts"][0].update(length=2880), "shifts[0].length"),
    (lambda p: p.update(demand={"cover": [{"day": 0, "shift": "E", "required": -1}]}),
     "demand.cover[0].required"),
    (lambda p: p.update(demand={"cover": [{"day": 9, "shift": "E", "required": 1}]}),
     "demand.cover[0].day"),
])
def test_bad_agents_name_the_key_path(mutate, field):
    p = base()
    mutate(p)
    before = json.dumps(p, sort_keys=True)
    with pytest.raises(InputError) as e:
        staffplan.roster(p)
    assert e.value.field == field, str(e.value)
    assert str(e.value).startswith(field)
    assert json.dumps(p, sort_keys=True) == before


def test_cover_without_agents_is_refused():
    p = base()
    del p["agents"]
    p["demand"] = {"cover": [{"day": 0, "shift": "E", "required": 1}]}
    with pytest.raises(InputError) as e:
        staffplan.solve(p)
    assert e.value.field == "demand.cover"


def test_schedule_solve_ignores_roster_keys_of_shifts():
    p = base()
    del p["agents"]
    p["shifts"][2]["cannot_follow"] = ["E"]
    r = staffplan.solve(p)
    assert "roster" not in r and all(x["count"] >= 1 for x in r["assignments"])
    with pytest.raises(InputError) as e:
        staffplan.roster(p)
    assert e.value.field == "agents"


# ---------------------------------------------------------------------------
# End to end


def test_direct_roster_keeps_every_rule_and_reports_true_figures():
    p = base()
    before = json.dumps(p, sort_keys=True)
    r = staffplan.roster(p)
    assert json.dumps(p, sort_keys=True) == before
    check(p, r)
    assert r["bound"] is not None and r["lp_bound"] is not None
    assert {x["agent"] for x in r["roster"]} == {a["id"] for a in p["agents"]}
    # solve() on a problem with agents is the same roster
    r2 = staffplan.solve(p)
    check(p, r2)
    assert r2["objective"] == pytest.approx(r["objective"])


def test_from_schedule_gives_the_groups_to_agents():
    p = base()
    sched_problem = dict(p)
    del sched_problem["agents"]
    s = staffplan.solve(sched_problem)
    r = staffplan.roster(p, schedule=s)
    check(p, r)
    # the team's bound, computed beside the search: the direct path's
    direct = staffplan.roster(p)
    assert r["bound"] == pytest.approx(direct["bound"])
    assert r["bound"] <= min(r["objective"], direct["objective"]) + 1e-6
    # unassigned: what the schedule wanted minus what the roster gives
    want = {}
    for x in s["assignments"]:
        want[(x["shift"], x["day"])] = want.get((x["shift"], x["day"]), 0) + x["count"]
    have = {}
    for x in r["assignments"]:
        have[(x["shift"], x["day"])] = have.get((x["shift"], x["day"]), 0) + 1
    missing = {k: v - have.get(k, 0) for k, v in want.items() if v > have.get(k, 0)}
    assert {(u["shift"], u["day"]): u["count"] for u in r["unassigned"]} == missing
    for u in r["unassigned"]:
        for rule, ids in u["blocked_by"].items():
            assert rule in staffplan.roster.__globals__["RULES"]
            assert set(ids) <= {a["id"] for a in p["agents"]}


def test_unassigned_names_the_rule_that_blocks():
    # Two people wanted on E on day 1; only ann exists besides bob who is
    # unavailable that day: one group member stays unassigned.
    p = base(days=7, agents=[{"id": "ann"}, {"id": "bob", "unavailable_days": [1]}])
    s = {"status": "feasible", "assignments": [
        {"shift": "E", "day": 1, "start": 1440 + 420, "count": 2,
         "breaks": [[1440 + 420 + 240, 1440 + 420 + 300]]}]}
    p["demand"]["required"] = [0] * (7 * 24)
    for t in range(24 + 7, 24 + 15):
        p["demand"]["required"][t] = 2
    r = staffplan.roster(p, schedule=s)
    check(p, r)
    assert [(u["shift"], u["day"], u["count"]) for u in r["unassigned"]] == [("E", 1, 1)]
    blocked = r["unassigned"][0]["blocked_by"]
    assert blocked["unavailable_days"] == ["bob"]
    assert blocked["one_shift_per_day"] == ["ann"]


def test_cover_targets_roster():
    p = base()
    p["demand"] = {"cover": [
        {"day": d, "shift": s, "required": k, "under_cost": 100.0, "over_cost": 10.0}
        for d in range(7) for s, k in (("E", 2), ("L", 1))]}
    r = staffplan.roster(p)
    check(p, r)
    assert r["unstaffed"] == []


def test_no_solution_names_agent_and_rule():
    p = base(agents=[{"id": "ann", "min_minutes": 7 * 480 + 60, "shift_types": ["E"]}])
    r = staffplan.roster(p)
    assert r["status"] == "no_solution"
    assert "ann" in r["error"] and "min_minutes" in r["error"]
    assert r["assignments"] == [] and r["roster"] == []


def test_agents_argument_and_dataframe():
    pd = pytest.importorskip("pandas")
    p = base()
    agents = [{"id": "x1", "cost_per_hour": 20.0, "max_minutes": 2400},
              {"id": "x2", "cost_per_hour": 25.0}]
    r1 = staffplan.roster(p, agents=agents)
    p1 = dict(p, agents=agents)
    check(p1, r1)
    df = pd.DataFrame(agents)  # x2's max_minutes is NaN there: absent
    assert math.isnan(df["max_minutes"][1])
    r2 = staffplan.roster(p, agents=df)
    assert r2["objective"] == pytest.approx(r1["objective"])
    assert [x["agent"] for x in r2["assignments"]] == [x["agent"] for x in r1["assignments"]]


def test_brute_force_optimum_tiny():
    """2 agents x 3 days x shifts {off, E, L}: the engine's roster is
    optimal (3^6 rosters enumerated here, rules checked by `check`)."""
    day = [0] * 7 + [1] * 8 + [2] * 5 + [1] * 3 + [0]
    req = day * 3
    p = base(days=3, required=req, agents=[
        {"id": "a", "cost_per_hour": 20.0, "min_rest_minutes": 900,
         "max_consecutive_work_days": 2},
        {"id": "b", "cost_per_hour": 30.0, "shift_types": ["E", "L"],
         "requests": [{"day": 1, "shift": None, "work": False, "weight": 50.0}]}])
    p["shifts"] = [s for s in p["shifts"] if s["name"] in ("E", "L")]
    for s in p["shifts"]:
        s["breaks"] = []
    r = staffplan.roster(p)
    got = check(p, r)
    best = _brute_force_best(p)
    assert got == pytest.approx(best)
    # the bound (pay rates differ: the paid-rate bound applies) is proven
    assert r["bound"] is not None and r["bound"] <= best + 1e-6


def _brute_force_best(p):
    """The least objective over every roster of agents a and b x 3 days x
    {off, E, L} (breakless shifts) that `check` accepts; inf when none."""
    best = math.inf
    for combo in itertools.product([None, "E", "L"], repeat=6):
        assignments = []
        for k, name in enumerate(combo):
            if name is None:
                continue
            aid, d = ("a", "b")[k // 3], k % 3
            sh = next(s for s in p["shifts"] if s["name"] == name)
            st = d * 1440 + hhmm(sh["start"])
            assignments.append({"agent": aid, "shift": name, "count": 1, "day": d,
                                "start": st, "end": st + sh["length"], "breaks": []})
        try:
            best = min(best, _score_only(p, {"status": "feasible", "assignments": assignments}))
        except AssertionError:
            continue
    return best


def _score_only(p, cand):
    """check() on a candidate, the figures it asserts filled from it."""
    I, T = p["interval_minutes"], p["days"] * 1440 // p["interval_minutes"]
    cov = [0] * T
    for x in cand["assignments"]:
        for m in range(x["start"], x["end"], I):
            if m // I < T:
                cov[m // I] += 1
    req = p["demand"]["required"]
    cand.update(coverage=cov, under_staffing=sum(max(0, q - c) for q, c in zip(req, cov)),
                over_staffing=sum(max(0, c - q) for q, c in zip(req, cov)),
                unstaffed=[{"interval": t, "shortfall": q - c}
                           for t, (q, c) in enumerate(zip(req, cov)) if c < q],
                cover_penalty=0.0, bound=None, roster=[])
    # labor, request penalty and objective: filled by a first pass that
    # cannot fail on them, then the rule checks proper
    cand.update(labor_cost=0.0, request_penalty=0.0, objective=0.0)
    agents = {a["id"]: a for a in p["agents"]}
    labor = sum(agents[x["agent"]]["cost_per_hour"] * 480 / 60 for x in cand["assignments"])
    pen = 0.0
    for a in p["agents"]:
        for q in a.get("requests", []):
            hit = any(x["agent"] == a["id"] and x["day"] == q["day"] for x in cand["assignments"])
            pen += q["weight"] if hit != q["work"] else 0.0
    obj = p["objective"]
    total = labor + pen + obj["under_staffing_cost"] * cand["under_staffing"] + \
        obj["over_staffing_cost"] * cand["over_staffing"]
    cand.update(labor_cost=labor, request_penalty=pen, objective=total)
    cand["roster"] = [{"agent": aid,
                       "paid_minutes": 480 * sum(x["agent"] == aid for x in cand["assignments"]),
                       "shifts": [x for x in cand["assignments"] if x["agent"] == aid]}
                      for aid in agents]
    return check(p, cand)


def test_cli_solve_and_roster(tmp_path):
    p = base()
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps(p))
    out = tmp_path / "r.json"
    env_py = [sys.executable, "-m", "staffplan"]
    subprocess.run(env_py + ["solve", str(prob), "--out", str(out)], check=True)
    check(p, json.loads(out.read_text()))
    sp = dict(p)
    del sp["agents"]
    sprob = tmp_path / "s.json"
    sprob.write_text(json.dumps(sp))
    sched = tmp_path / "sched.json"
    subprocess.run(env_py + ["solve", str(sprob), "--out", str(sched)], check=True)
    out2 = tmp_path / "r2.json"
    subprocess.run(env_py + ["roster", str(prob), "--schedule", str(sched), "--out",
                             str(out2)], check=True)
    check(p, json.loads(out2.read_text()))
    bad = tmp_path / "bad.json"
    p["agents"][0]["min_rest_minutes"] = "x"
    bad.write_text(json.dumps(p))
    run = subprocess.run(env_py + ["roster", str(bad), "--schedule", str(sched)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    res = json.loads(run.stdout)
    assert res["status"] == "invalid" and "agents[0].min_rest_minutes" in res["error"]


def test_a_settled_search_gives_the_same_roster_every_run():
    """A search that settles (stop "converged": a long run of perturbation
    rounds without improvement) does not depend on the clock: repeated
    runs and any thread count return the same roster."""
    runs = []
    sp = base(limits={"time_limit": 60, "mip_gap": 0.01, "threads": 2})
    del sp["agents"]
    sched = staffplan.solve(sp)
    for threads in (1, 2, 1):
        p = base(limits={"time_limit": 120, "mip_gap": 0.01, "threads": threads})
        r = staffplan.roster(p, schedule=sched)
        assert r["stop"] == "converged", r["stop"]
        check(p, r)
        runs.append(r)
    keys = ("objective", "labor_cost", "coverage", "assignments", "roster")
    for r in runs[1:]:
        assert {k: r[k] for k in keys} == {k: runs[0][k] for k in keys}


def test_any_thread_count_rosters_and_progress_reported():
    """300 agents: every limits.threads gives a roster keeping the rules, the
    search uses its time limit (the roster then depends on how far it got)
    and reports progress, which only ever improves; an exception raised by
    the progress callback propagates."""
    agents = [{"id": f"a{i}", "cost_per_hour": 20.0 + (i * 7) % 11,
               "max_consecutive_work_days": 3 + i % 3, "min_rest_minutes": 600,
               **({"shift_types": ["E", "L"]} if i % 4 == 0 else {})} for i in range(300)]
    day = [0] * 7 + [40] * 4 + [60] * 6 + [40] * 4 + [20] * 2 + [0]
    runs = []
    sp = base(days=7, required=day * 7, limits={"time_limit": 20, "threads": 1})
    del sp["agents"]
    sched = staffplan.solve(sp)
    for threads in (1, 2):
        p = base(days=7, required=day * 7, agents=agents,
                 limits={"time_limit": 1.5, "threads": threads})
        seen = []
        r = staffplan.roster(p, schedule=sched,
                             progress=lambda o, b, t: seen.append((o, b, t)))
        assert r["stop"] == "time_limit"
        check(p, r)
        assert seen
        found = [o for o, b, t in seen if o == o]
        assert found and all(x >= y - 1e-6 * abs(y) for x, y in zip(found, found[1:]))
        assert abs(found[-1] - r["objective"]) <= 1e-6 * abs(r["objective"])
        runs.append(r)

    class Stop(Exception):
        pass

    def boom(o, b, t):
        raise Stop()

    with pytest.raises(Stop):
        staffplan.roster(base(), progress=boom)


def test_evaluation_agrees_with_the_roster():
    from staffplan import evaluation
    p = base()
    r = staffplan.roster(p)
    ev = evaluation.evaluate(p, r)
    assert ev.labor_cost == pytest.approx(r["labor_cost"])
    assert ev.under_staffing == r["under_staffing"] and ev.over_staffing == r["over_staffing"]
    assert ev.objective + r["request_penalty"] == pytest.approx(r["objective"])


# ---------------------------------------------------------------------------
# The team's bound: the schedule LP with rows every roster of the team keeps.

def _one_shift_problem(required, agents, days=7):
    """Hourly intervals, one 8-hour shift E at 07:00 (cost 200, no break),
    under 100 and over 1 per head-hour."""
    return {"format": "staffplan-problem/1", "interval_minutes": 60, "days": days,
            "cyclic": False, "demand": {"required": required},
            "shifts": [{"name": "E", "start": "07:00", "length": 480, "cost": 200.0}],
            "objective": {"under_staffing_cost": 100.0, "over_staffing_cost": 1.0},
            "limits": {"time_limit": 5, "threads": 1}, "agents": agents}


def _day_demand(days, on, heads):
    req = [0] * (24 * days)
    for d in on:
        for h in range(7, 15):
            req[24 * d + h] = heads
    return req


def test_team_bound_counts_the_people_there_are():
    """Two heads wanted on Monday, one agent: one is missing whatever the
    roster (8 head-hours at 100), so the bound is 200 + 800, where the
    schedule alone (two shifts) would give 400."""
    p = _one_shift_problem(_day_demand(7, [0], 2), [{"id": "a"}])
    # a shift nobody may work, listed first: left out of the team's LP
    p["shifts"].insert(0, {"name": "N", "start": "07:00", "length": 480, "cost": 1.0,
                           "skill": "nobody"})
    r = staffplan.roster(p)
    check(p, r)
    assert r["bound"] == pytest.approx(200 + 8 * 100)
    assert r["objective"] == pytest.approx(200 + 8 * 100)
    assert r["lp_bound"] == pytest.approx(200 + 8 * 100)


def test_team_bound_pays_the_weekly_minimum():
    """One head wanted on Monday; the only agent must work 960 minutes a
    week: a second shift, 8 head-hours of excess at 1: 400 + 8."""
    p = _one_shift_problem(_day_demand(7, [0], 1),
                           [{"id": "a", "min_minutes_per_week": 960}])
    r = staffplan.roster(p)
    check(p, r)
    assert r["bound"] == pytest.approx(2 * 200 + 8 * 1)
    assert r["objective"] == pytest.approx(2 * 200 + 8 * 1)


def test_team_bound_knows_the_weekend_rule():
    """Saturday (day 5, start_weekday mon) wants one head; neither agent
    may work a weekend: 8 head-hours short in every roster."""
    p = _one_shift_problem(_day_demand(7, [5], 1),
                           [{"id": "a", "max_weekends": 0}, {"id": "b", "max_weekends": 0}])
    r = staffplan.roster(p)
    check(p, r)
    assert r["bound"] == pytest.approx(8 * 100)
    assert r["objective"] == pytest.approx(8 * 100)
    # started on a Sunday, day 5 is a Friday: one shift covers it
    p2 = dict(p, start_weekday="sun")
    r2 = staffplan.roster(p2)
    check(p2, r2)
    assert r2["bound"] == pytest.approx(200)
    assert r2["objective"] == pytest.approx(200)


def test_team_bound_knows_skills_and_stretches():
    """Monday to Sunday want one head each on a shift needing skill
    "x"; one skilled agent with at most 5 days in a row: 5 shifts at most
    (7 - floor(7 / 6) = 6 days by the stretch rule, 5 by 2400 minutes), 2
    days short: 5 * 200 + 2 * 8 * 100.  The unskilled agent cannot help."""
    p = _one_shift_problem(_day_demand(7, range(7), 1),
                           [{"id": "a", "skills": ["x"], "max_consecutive_work_days": 5,
                             "max_minutes_per_week": 2400},
                            {"id": "b"}])
    p["shifts"][0]["skill"] = "x"
    r = staffplan.roster(p)
    check(p, r)
    assert r["bound"] == pytest.approx(5 * 200 + 2 * 8 * 100)
    assert r["objective"] == pytest.approx(5 * 200 + 2 * 8 * 100)


@pytest.mark.parametrize("seed", range(8))
def test_team_bound_never_exceeds_the_brute_force_optimum(seed):
    """Random rules on 2 agents x 3 days x {off, E, L}: every roster is
    enumerated, its rules checked by `check`; the bound is at most the best
    objective (and the engine's roster, checked, is at least it)."""
    rng = random.Random(seed)
    day = [0] * 7 + [rng.randint(0, 2)] * 8 + [rng.randint(0, 2)] * 5 + [1] * 3 + [0]
    req = day * 3
    agents = []
    for aid in ("a", "b"):
        a = {"id": aid, "cost_per_hour": float(rng.choice((20, 25, 30)))}
        if rng.random() < 0.5:
            a["max_weekends"] = 0
        if rng.random() < 0.5:
            a["min_minutes"] = 480 * rng.randint(1, 2)
        if rng.random() < 0.4:
            a["max_consecutive_work_days"] = rng.randint(1, 2)
        if rng.random() < 0.3:
            a["shift_types"] = [rng.choice(("E", "L"))]
        if rng.random() < 0.3:
            a["unavailable_days"] = [rng.randrange(3)]
        agents.append(a)
    p = base(days=3, required=req, agents=agents,
             start_weekday=rng.choice(WD))
    p["shifts"] = [s for s in p["shifts"] if s["name"] in ("E", "L")]
    for s in p["shifts"]:
        s["breaks"] = []
    r = staffplan.roster(p)
    best = _brute_force_best(p)
    if best == math.inf:
        assert r["status"] == "no_solution"
        return
    assert r["bound"] is not None and r["bound"] <= best + 1e-6
    if r["status"] != "no_solution":
        assert check(p, r) >= best - 1e-6
