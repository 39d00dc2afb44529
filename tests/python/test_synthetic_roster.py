"""synthetic.roster_problem: the generated roster problems are what the
docstring says, deterministic, and every agent can be rostered on its own
(a pattern of shifts breaking none of its hard rules exists, found by search
and confirmed by the independent checker)."""
import collections
import copy
import math

import pytest

import roster_check


@pytest.fixture(scope="module")
def synthetic(sp):
    from staffplan import synthetic
    return synthetic


@pytest.fixture(scope="module")
def small(synthetic):
    return synthetic.roster_problem(agents=200, weeks=4, seed=3)


def test_deterministic_for_a_seed(synthetic, small):
    assert synthetic.roster_problem(agents=200, weeks=4, seed=3) == small
    assert synthetic.roster_problem(agents=200, weeks=4, seed=4) != small


def test_shape_and_contract_mix(small):
    p = small
    assert p["interval_minutes"] == 15 and p["days"] == 28 and p["start_weekday"] == "mon"
    assert len(p["demand"]["required"]) == 28 * 96
    assert len({a["id"] for a in p["agents"]}) == 200
    names = {s["name"]: s for s in p["shifts"]}
    ft = [a for a in p["agents"] if a.get("max_minutes_per_week") == 2400]
    pt = [a for a in p["agents"] if a.get("max_minutes_per_week") == 1800]
    assert len(ft) == 130 and len(pt) == 70
    for a in ft:
        assert {names[n]["length"] for n in a["shift_types"]} == {480}
        assert a["min_consecutive_days_off"] == 2 and a["max_consecutive_work_days"] == 5
    for a in pt:
        assert {names[n]["length"] for n in a["shift_types"]} == {240, 300, 360}
        assert a.get("min_minutes_per_week", 1200) == 1200
    for a in p["agents"]:
        assert a["min_rest_minutes"] == 660 and a["max_weekends"] == 2
        for n in a["shift_types"]:
            assert names[n].get("skill") in (None, *a["skills"]), (a["id"], n)
    for s in p["shifts"]:
        night = s["name"].startswith("night-")
        assert night == (s.get("skill") == "night") and (not night or s["start"] in (
            "22:00", "00:00"))
        assert len(s["breaks"]) == (1 if night or s["length"] == 240 else
                                    3 if s["length"] == 480 else 2), s
    limited = [a for a in p["agents"] if "availability" in a or "unavailable_days" in a]
    assert 8 <= len(limited) <= 30
    assert any("requests" in a for a in p["agents"])
    assert {tuple(a["skills"]) for a in p["agents"]} >= {(), ("night",), ("french",)}


def test_the_demand_asks_for_about_the_agents_capacity(synthetic):
    p = synthetic.roster_problem(agents=2000, weeks=1, seed=0, load=0.85)
    head_minutes = 15 * sum(p["demand"]["required"])
    capacity = sum(2400 * 420 / 480 if a["max_minutes_per_week"] == 2400 else 1800 * 0.93
                   for a in p["agents"])
    assert head_minutes == pytest.approx(0.85 * capacity, rel=0.02)
    req = p["demand"]["required"]
    by_day = [sum(req[96 * d:96 * d + 96]) for d in range(7)]
    assert by_day[0] == max(by_day) and by_day[6] == min(by_day)     # Monday high, Sunday low
    assert min(req) > 0                                              # a 24/7 centre


def _minutes(hhmm):
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def _search(a, p):
    """A roster (per day a shift name or None) for agent a alone that keeps
    its stretch, weekly, weekend and day-off rules, by depth-first search
    over work/off days with one shift worked every working day (so rest
    and succession hold); None when there is none."""
    shifts = {s["name"]: s for s in p["shifts"]}
    days = p["days"]
    off = set(a.get("unavailable_days", [])) | set(a.get("fixed_days_off", []))
    big = 10 ** 9
    for name in sorted(a["shift_types"], key=lambda n: (-shifts[n]["length"], n)):
        length = shifts[name]["length"]
        s0 = _minutes(shifts[name]["start"])
        allowed = [d not in off and ("availability" not in a or any(
            _minutes(w0) <= s0 and s0 + length <= _minutes(w1)
            for w0, w1 in a["availability"].get(roster_check.WEEKDAYS[d % 7], [])))
            for d in range(days)]
        lo = math.ceil(a.get("min_minutes_per_week", 0) / length)
        hi = a.get("max_minutes_per_week", big) // length
        seen = set()

        def dfs(d, work, run, week, weekends):
            # run > 0: working days in a row; run < 0: days off in a row.
            state = (d, run, week, weekends)
            if state in seen:
                return None
            seen.add(state)
            if d % 7 == 0 and d > 0 and not lo <= week <= hi:
                return None
            if d == days:
                total = length * sum(work)
                if not a.get("min_minutes", 0) <= total <= a.get("max_minutes", big):
                    return None
                return work
            if d % 7 == 0:
                week = 0
            for w in (1, 0):
                if w and (not allowed[d] or week + 1 > hi
                          or (run > 0 and run + 1 > a.get("max_consecutive_work_days", big))
                          or (run < 0 and -run < a.get("min_consecutive_days_off", 0)
                              and -run < d)):
                    continue
                if not w and run > 0 and run < a.get("min_consecutive_work_days", 0) \
                        and run < d:
                    continue
                new_weekends = weekends + (1 if w and d % 7 == 5 or
                                           (w and d % 7 == 6 and not work[d - 1]) else 0)
                if new_weekends > a.get("max_weekends", big):
                    continue
                if week + w + (6 - d % 7) < lo:
                    continue
                run2 = (run + 1 if run > 0 else 1) if w else (run - 1 if run < 0 else -1)
                found = dfs(d + 1, work + [w], run2, week + w, new_weekends)
                if found:
                    return found
            return None

        work = dfs(0, [], 0, 0, 0)
        if work:
            return [name if w else None for w in work]
    return None


def _violations(a, p, roster):
    shifts = {s["name"]: s for s in p["shifts"]}
    work = {}
    for d, name in enumerate(roster):
        if name is not None:
            s = shifts[name]
            start = d * 1440 + _minutes(s["start"])
            work[d] = ({"start": start, "end": start + s["length"]}, s)
    out = []
    roster_check._agent_rules(a, work, shifts, p["days"], 0, out)
    return out


def test_every_agent_can_be_rostered_alone(small):
    for a in small["agents"]:
        roster = _search(a, small)
        assert roster is not None, a
        assert _violations(a, small, roster) == [], a["id"]


def test_the_search_can_fail(small):
    a = copy.deepcopy(next(x for x in small["agents"]
                           if x.get("max_minutes_per_week") == 2400
                           and "availability" not in x))
    a["max_weekends"] = 0
    # Mon-Wed and (by max_weekends) the weekends out: 2 days a week, 4 shifts needed.
    a["unavailable_days"] = sorted(d for d in range(28) if d % 7 in (0, 1, 2))
    a.pop("fixed_days_off", None)
    assert _search(a, small) is None
    a["min_minutes_per_week"] = 960
    roster = _search(a, small)
    assert roster is not None and _violations(a, small, roster) == []


def test_requests_and_limits_are_well_formed(small):
    names = {s["name"] for s in small["shifts"]}
    seen = collections.Counter()
    for a in small["agents"]:
        for r in a.get("requests", []):
            assert 0 <= r["day"] < 28 and r["weight"] > 0
            assert r["shift"] is None or r["shift"] in a["shift_types"]
            seen[r["work"]] += 1
        assert set(a["shift_types"]) <= names
        for d in a.get("unavailable_days", []) + a.get("fixed_days_off", []):
            assert 0 <= d < 28
    assert seen[True] and seen[False]
