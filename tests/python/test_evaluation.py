"""staffplan.evaluation: the waiting-cost curve of cost mode and the
per-interval evaluation of a schedule, against independent recomputations
(mpmath Erlang C from reference.py, and evaluate.py's minute-by-minute
coverage)."""
import copy
import math

import pytest

import reference as ref
import staffplan
from staffplan import evaluation, synthetic
from evaluate import evaluate as independent


def ref_w(k, volume, aht, interval, pwh, plc, late_after):
    """w(k) of problem-format.md in mpmath: volume * (ASA/3600 * pwh + P(W > t) * plc)."""
    a = volume * aht / interval
    c = ref.erlang_c(k, a)
    asa = ref.asa(k, a, aht)
    late = c * ref.mpmath.exp(-(k - ref.mpmath.mpf(a)) * late_after / aht)
    return float(volume * (asa / 3600 * pwh + late * plc))


COST = dict(per_waiting_hour=40.0, per_late_call=1.0, late_after=30.0)


@pytest.mark.parametrize("heads,volume,shrink", [
    (14, 100, 0.0), (15, 100, 0.0), (20, 100, 0.3), (21, 100, 0.3),
    (30, 400, 0.25), (3, 2, 0.0), (500, 5000, 0.1)])
def test_wait_cost_matches_mpmath_at_whole_and_interpolated_agents(heads, volume, shrink):
    aht, interval = 180.0, 900.0
    got = evaluation.wait_cost(heads, volume, aht, interval=interval, shrinkage=shrink, **COST)
    n = heads * (1 - shrink)
    k = math.floor(n + 1e-9)
    a = volume * aht / interval
    kmin = math.floor(a) + 1
    args = (volume, aht, interval, COST["per_waiting_hour"], COST["per_late_call"],
            COST["late_after"])
    if k < kmin:
        want = ref_w(kmin, *args)
    else:
        f = max(0.0, n - k)
        want = (1 - f) * ref_w(k, *args) + (f * ref_w(k + 1, *args) if f > 0 else 0.0)
    assert got == pytest.approx(want, rel=1e-9), (heads, volume, shrink, got, want)


def test_wait_cost_is_convex_and_decreasing_from_the_stability_minimum():
    # 80 Erlangs: the queue is stable from 81 productive agents, 102 heads at
    # 20% shrinkage.  Below that W is flat at the minimum (the shortfall is
    # charged instead), so convexity, which the IP relies on, starts there.
    assert evaluation.wait_cost(50, 300, 240, interval=900, shrinkage=0.2, **COST) == \
        evaluation.wait_cost(101, 300, 240, interval=900, shrinkage=0.2, **COST)
    costs = [evaluation.wait_cost(h, 300, 240, interval=900, shrinkage=0.2, **COST)
             for h in range(102, 200)]
    steps = [costs[i] - costs[i + 1] for i in range(len(costs) - 1)]
    assert all(s >= -1e-9 for s in steps), "W must not increase with heads"
    assert all(steps[i] >= steps[i + 1] - 1e-9 for i in range(len(steps) - 1)), \
        "W's gains must shrink (convex)"


def test_wait_cost_zero_volume_and_bad_input():
    assert evaluation.wait_cost(0, 0, 300, **COST) == 0.0
    with pytest.raises(ValueError, match="volume"):
        evaluation.wait_cost(3, -1, 300)
    with pytest.raises(ValueError, match="shrinkage"):
        evaluation.wait_cost(3, 10, 300, shrinkage=1.0)
    with pytest.raises(TypeError, match="heads"):
        evaluation.wait_cost("3", 10, 300)


def week_problem():
    fc = synthetic.forecast(days=1, interval=1800, peak_volume=60, seed=3)
    return {
        "format": "staffplan-problem/1", "interval_minutes": 30, "days": 1,
        "cyclic": True,
        "demand": {"forecast": {"volume": list(fc.volume), "aht": list(fc.aht),
                                "service_level": 0.8, "answer_time": 20,
                                "shrinkage": 0.3}},
        "shifts": [{"name": f"S{h:02d}", "start": f"{h:02d}:00", "length": 480,
                    "cost": 160.0, "breaks": [{"length": 30, "earliest": 180, "latest": 300}]}
                   for h in range(0, 24, 2)],
        "tours": None,
        "objective": {"under_staffing_cost": 500.0, "over_staffing_cost": 0.0,
                      "wait_cost": None},
        "limits": {"time_limit": 5, "mip_gap": 0.001, "threads": 1},
    }


def test_evaluation_agrees_with_independent_evaluator_and_solver():
    problem = week_problem()
    before = copy.deepcopy(problem)
    result = staffplan.solve(problem)
    ev = evaluation.evaluate(problem, result)
    ind = independent(problem, result)
    assert ev.staffed == ind["coverage"] == result["coverage"]
    assert ev.labor_cost == pytest.approx(ind["labor_cost"])
    assert ev.under_staffing == ind["under_staffing"]
    assert ev.over_staffing == ind["over_staffing"]
    assert ev.objective == pytest.approx(result["objective"], rel=1e-9)
    assert problem == before, "evaluate must not modify its inputs"


def test_covered_intervals_meet_the_service_target():
    problem = week_problem()
    result = staffplan.solve(problem)
    ev = evaluation.evaluate(problem, result)
    for t, (req, got) in enumerate(zip(ev.required, ev.staffed)):
        if got >= req and req > 0:
            assert ev.service_level[t] >= 0.8 - 1e-12, (t, req, got, ev.service_level[t])
    vol = problem["demand"]["forecast"]["volume"]
    aht = problem["demand"]["forecast"]["aht"]
    for t in range(len(ev)):
        k = math.floor(ev.agents[t] + 1e-9)
        a = vol[t] * aht[t] / 1800
        if k > a > 0:
            assert ev.asa[t] == pytest.approx(float(ref.asa(k, a, aht[t])), rel=1e-9), t


def test_cost_mode_requirement_is_the_stability_minimum():
    problem = week_problem()
    problem["objective"]["wait_cost"] = dict(COST)
    # A hand-made result: 6 people on the 08:00 shift, break at 11:00.
    result = {"assignments": [{"tour": 0, "shift": "S08", "count": 6, "day": 0,
                               "start": 480, "end": 960, "breaks": [[660, 690]]}]}
    ev = evaluation.evaluate(problem, result)
    fc = problem["demand"]["forecast"]
    for t in range(len(ev)):
        a = fc["volume"][t] * fc["aht"][t] / 1800
        want = 0 if a == 0 else math.ceil((math.floor(a) + 1) / 0.7 - 1e-9)
        assert ev.required[t] == want, t
        want_w = evaluation.wait_cost(ev.staffed[t], fc["volume"][t], fc["aht"][t],
                                      interval=1800, shrinkage=0.3, **COST)
        assert ev.wait_cost[t] == want_w
    assert ev.staffed[16] == 6 and ev.staffed[22] == 0 and ev.staffed[23] == 6
    assert ev.labor_cost == 6 * 160.0
    assert ev.objective == pytest.approx(
        ev.labor_cost + 500.0 * ev.under_staffing + sum(ev.wait_cost))


def test_unnamed_shifts_are_evaluated_under_their_default_names():
    problem = week_problem()
    for s in problem["shifts"]:
        del s["name"]
    result = staffplan.solve(problem)
    assert all(a["shift"].startswith("S") for a in result["assignments"])
    ev = evaluation.evaluate(problem, result)
    ind = independent(problem, result)
    assert ev.labor_cost == pytest.approx(ind["labor_cost"])
    assert ev.objective == pytest.approx(result["objective"], rel=1e-9)
