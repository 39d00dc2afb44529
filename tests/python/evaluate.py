"""An independent evaluator of staffplan-result/1 against its problem.

It recomputes coverage, labour cost, under/over staffing and the objective
from the result's assignments and the problem alone, minute by minute,
without the solver's model or arithmetic, and checks that every assignment
is a legal working day (shift start and length, breaks inside their
windows).  Service mode without tours only, like the solver today.
"""
import math


def _minutes(hhmm):
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def required_heads(problem):
    demand = problem["demand"]
    if "required" in demand:
        return list(demand["required"])
    import staffplan

    fc = demand["forecast"]
    r = staffplan.requirements(
        fc["volume"], fc["aht"], interval=problem["interval_minutes"] * 60,
        service_level=fc.get("service_level", 0.8), answer_time=fc.get("answer_time", 20),
        asa=fc.get("asa"), max_occupancy=fc.get("max_occupancy"),
        shrinkage=fc.get("shrinkage") or 0.0)
    return list(r.heads)


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
        labor += s["cost"] * count
        for m in range(start, start + s["length"], step):
            if any(b0 <= m < b1 for b0, b1 in a["breaks"]):
                continue
            if m >= horizon:
                if not cyclic:
                    continue
                m -= horizon
            coverage[m // step] += count
    req = required_heads(problem)
    under = sum(max(0, r - c) for r, c in zip(req, coverage))
    over = sum(max(0, c - r) for r, c in zip(req, coverage))
    obj = problem.get("objective") or {}
    objective = (labor + obj.get("under_staffing_cost", 1000.0) * under
                 + obj.get("over_staffing_cost", 0.0) * over)
    return {"coverage": coverage, "labor_cost": labor, "under_staffing": under,
            "over_staffing": over, "objective": objective}


def check(problem, result, rel=1e-9):
    """Asserts that every figure of `result` equals the recomputation."""
    ev = evaluate(problem, result)
    assert ev["coverage"] == result["coverage"], "coverage differs from the assignments"
    for key in ("labor_cost", "under_staffing", "over_staffing", "objective"):
        assert math.isclose(ev[key], result[key], rel_tol=rel, abs_tol=1e-6), \
            f"{key}: result {result[key]}, recomputed {ev[key]}"
    assert result["bound"] <= result["objective"] + 1e-6
    assert math.isclose(result["gap"], (result["objective"] - result["bound"])
                        / max(1.0, abs(result["objective"])), abs_tol=1e-9)
    return ev
