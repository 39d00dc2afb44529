"""An independent evaluator of staffplan-result/1 against its problem.

It recomputes coverage, labour cost, under/over staffing and the objective
from the result's assignments and the problem alone, minute by minute,
without the solver's model or arithmetic, and checks that every assignment
is a legal working day (shift start and length, breaks inside their
windows).  Service mode, and cost mode (objective.wait_cost) with the
waiting cost from mpmath's Erlang C (reference.py) and exact rational
productive agents.  With tours it checks that the assignments sharing a
`tour` id are the same people: one shift, the same head count on every day
they work, exactly work_days days in every week, the days off consecutive
(cyclically within the week) when asked.
"""
import math
from fractions import Fraction

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(hhmm):
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def _traffic(problem):
    fc = problem["demand"]["forecast"]
    n = len(fc["volume"])
    aht = fc["aht"] if isinstance(fc["aht"], (list, tuple)) else [fc["aht"]] * n
    interval = problem["interval_minutes"] * 60.0
    return [(float(v), float(h), float(v) * float(h) / interval) for v, h in zip(fc["volume"], aht)]


def _cost_mode(problem):
    return bool((problem.get("objective") or {}).get("wait_cost"))


def _shrink(problem):
    return Fraction(repr(float(problem["demand"]["forecast"].get("shrinkage") or 0.0)))


def wait_cost(problem, coverage):
    """Per interval W(coverage) of problem-format.md: mpmath Erlang C, the
    productive agents n = heads * (1 - shrinkage) in exact fractions."""
    import reference as ref

    wc = problem["objective"]["wait_cost"]
    pwh = wc.get("per_waiting_hour") or 0.0
    plc = wc.get("per_late_call") or 0.0
    late_after = wc.get("late_after", 30)
    late_after = 30 if late_after is None else late_after
    s = _shrink(problem)
    out = []
    for (volume, aht, a), heads in zip(_traffic(problem), coverage):
        if volume == 0:
            out.append(0.0)
            continue

        def w(k):
            c = ref.erlang_c(k, a)
            late = c * ref.mpmath.exp(-(k - ref.mpmath.mpf(a)) * late_after / aht)
            return volume * (ref.asa(k, a, aht) / 3600 * pwh + late * plc)

        kmin = math.floor(a) + 1
        n = heads * (1 - s)
        k = math.floor(n)
        if k < kmin:
            out.append(float(w(kmin)))
            continue
        f = n - k
        val = w(k) if f == 0 else (1 - ref.mpmath.mpf(f.numerator) / f.denominator) * w(k) \
            + ref.mpmath.mpf(f.numerator) / f.denominator * w(k + 1)
        out.append(float(val))
    return out


def required_heads(problem):
    demand = problem["demand"]
    if "required" in demand:
        return list(demand["required"])
    if _cost_mode(problem):
        # The stability minimum floor(A) + 1 productive agents, in heads.
        s = _shrink(problem)
        return [0 if a == 0 else math.ceil(Fraction(math.floor(a) + 1) / (1 - s))
                for _, _, a in _traffic(problem)]
    import staffplan

    fc = demand["forecast"]
    r = staffplan.requirements(
        fc["volume"], fc["aht"], interval=problem["interval_minutes"] * 60,
        service_level=fc.get("service_level", 0.8), answer_time=fc.get("answer_time", 20),
        asa=fc.get("asa"), max_occupancy=fc.get("max_occupancy"),
        shrinkage=fc.get("shrinkage") or 0.0)
    return list(r.heads)


def check_tours(problem, result):
    """Asserts the tour rules of problem["tours"] on the result's
    assignments; returns {tour id: (shift, people, worked days)}."""
    rule = problem["tours"]
    work_days = rule["work_days"]
    consecutive = rule.get("consecutive_days_off", False)
    days = problem["days"]
    assert days % 7 == 0, "tours need whole weeks"
    per_tour = {}
    for i, a in enumerate(result["assignments"]):
        t = per_tour.setdefault(a["tour"], {"shift": a["shift"], "day": [0] * days})
        assert t["shift"] == a["shift"], f"assignment {i}: tour {a['tour']} changes shift"
        t["day"][a["day"]] += a["count"]
    out = {}
    for tid, t in per_tour.items():
        people = max(t["day"])
        assert all(n in (0, people) for n in t["day"]), \
            f"tour {tid}: daily head counts {t['day']} are not one group of people"
        for week in range(days // 7):
            works = [t["day"][7 * week + d] == people for d in range(7)]
            assert sum(works) == work_days, \
                f"tour {tid} works {sum(works)} days in week {week}, not {work_days}"
            if consecutive and work_days < 7:
                runs = sum(1 for d in range(7) if not works[d] and works[(d - 1) % 7])
                assert runs == 1, f"tour {tid}: days off in week {week} are not consecutive"
        out[tid] = (t["shift"], people, sum(1 for n in t["day"] if n))
    return out


def evaluate(problem, result):
    """Recomputed {coverage, labor_cost, under_staffing, over_staffing,
    objective}; raises AssertionError naming the assignment when one is not
    a legal working day."""
    step = problem["interval_minutes"]
    horizon = problem["days"] * 1440
    cyclic = problem.get("cyclic", True)
    # The documented default name of an unnamed shift: S<HHMM>-<length>.
    shifts = {s.get("name", "S" + s["start"].replace(":", "") + "-" + str(s["length"])): s
              for s in problem["shifts"]}
    n = horizon // step
    coverage = [0] * n
    labor = 0.0
    # A shift's cost is that of the weekday it starts on (weekday_costs).
    first_weekday = WEEKDAYS.index(problem.get("start_weekday", "mon"))
    for i, a in enumerate(result["assignments"]):
        s = shifts[a["shift"]]
        start, count = a["start"], a["count"]
        assert isinstance(count, int) and count > 0, f"assignment {i}: count {count}"
        assert start == a["day"] * 1440 + _minutes(s["start"]), f"assignment {i}: start {start}"
        assert a["end"] == start + s["length"], f"assignment {i}: end {a['end']}"
        windows = s.get("breaks", [])
        assert len(a["breaks"]) == len(windows), f"assignment {i}: {len(a['breaks'])} breaks"
        for (b0, b1), w in zip(a["breaks"], windows):
            assert w["earliest"] <= b0 - start <= w["latest"], f"assignment {i}: break {b0}"
            assert b1 - b0 == w["length"], f"assignment {i}: break length {b1 - b0}"
            assert (b0 - start) % step == 0, f"assignment {i}: break off the grid"
        weekday = WEEKDAYS[(first_weekday + a["day"]) % 7]
        labor += (s.get("weekday_costs") or {}).get(weekday, s["cost"]) * count
        for m in range(start, start + s["length"], step):
            if any(b0 <= m < b1 for b0, b1 in a["breaks"]):
                continue
            if m >= horizon:
                if not cyclic:
                    continue
                m -= horizon
            coverage[m // step] += count
    if problem.get("tours"):
        check_tours(problem, result)
    req = required_heads(problem)
    under = sum(max(0, r - c) for r, c in zip(req, coverage))
    over = sum(max(0, c - r) for r, c in zip(req, coverage))
    obj = problem.get("objective") or {}
    wait = sum(wait_cost(problem, coverage)) if _cost_mode(problem) else 0.0
    objective = (labor + obj.get("under_staffing_cost", 1000.0) * under
                 + obj.get("over_staffing_cost", 0.0) * over + wait)
    return {"coverage": coverage, "labor_cost": labor, "under_staffing": under,
            "over_staffing": over, "wait_cost": wait, "objective": objective}


def check(problem, result, rel=1e-9):
    """Asserts that every figure of `result` equals the recomputation."""
    ev = evaluate(problem, result)
    assert ev["coverage"] == result["coverage"], "coverage differs from the assignments"
    for key in ("labor_cost", "under_staffing", "over_staffing", "wait_cost", "objective"):
        assert math.isclose(ev[key], result[key], rel_tol=rel, abs_tol=1e-6), \
            f"{key}: result {result[key]}, recomputed {ev[key]}"
    assert result["bound"] <= result["objective"] + 1e-6
    assert math.isclose(result["gap"], (result["objective"] - result["bound"])
                        / max(1.0, abs(result["objective"])), abs_tol=1e-9)
    return ev
