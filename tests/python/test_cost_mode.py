"""Cost mode (objective.wait_cost): labour + the value of waiting, checked
by the independent evaluator (evaluate.py: mpmath Erlang C), by brute force
on a tiny instance, and by the comparative statics of raising the price of
waiting."""
import copy
import itertools
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from evaluate import check, evaluate

PRICES = {"per_waiting_hour": 40.0, "per_late_call": 1.0, "late_after": 30}


def tiny_problem():
    """One day of hours, calls from 08:00 to 12:00 only: a 4-hour shift
    without a break and a 3-hour one with a 1-hour break at 10:00 or
    11:00."""
    volume = [0] * 8 + [30, 60, 60, 40] + [0] * 12
    return {
        "format": "staffplan-problem/1", "interval_minutes": 60, "days": 1, "cyclic": False,
        "demand": {"forecast": {"volume": volume, "aht": 240, "shrinkage": 0.2,
                                "service_level": 0.8, "answer_time": 20}},
        "shifts": [{"name": "A", "start": "08:00", "length": 240, "cost": 80},
                   {"name": "B", "start": "09:00", "length": 180, "cost": 60,
                    "breaks": [{"length": 60, "earliest": 60, "latest": 120}]}],
        "objective": {"under_staffing_cost": 1000, "over_staffing_cost": 0,
                      "wait_cost": dict(PRICES)},
        "limits": {"time_limit": 20, "mip_gap": 1e-9, "threads": 1},
    }


def _result_of(counts):
    """A staffplan-result/1 with xa people on A and, on B, b1 with the break
    at 10:00 and b2 at 11:00 (for the evaluator)."""
    xa, b1, b2 = counts
    out = []
    if xa:
        out.append({"tour": 0, "shift": "A", "count": xa, "day": 0, "start": 480, "end": 720,
                    "breaks": []})
    for n, off in ((b1, 60), (b2, 120)):
        if n:
            out.append({"tour": len(out), "shift": "B", "count": n, "day": 0, "start": 540,
                        "end": 720, "breaks": [[540 + off, 600 + off]]})
    return {"assignments": out}


def test_tiny_instance_optimum_equals_brute_force(sp):
    p = tiny_problem()
    r = sp.solve(p)
    assert r["status"] == "optimal"
    ev = check(p, r)
    assert ev["wait_cost"] > 0 and r["wait_cost"] == pytest.approx(ev["wait_cost"], rel=1e-9)
    # Every cost is >= 0, so an optimum spends at most the solver's objective
    # on labour: 80 a + 60 (b1 + b2) <= objective bounds the enumeration.
    cap = r["objective"] + 1e-6
    best = None
    for xa in range(int(cap // 80) + 1):
        for xb in range(int((cap - 80 * xa) // 60) + 1):
            for b1 in range(xb + 1):
                obj = evaluate(p, _result_of((xa, b1, xb - b1)))["objective"]
                if best is None or obj < best[0]:
                    best = (obj, xa, b1, xb - b1)
    assert r["objective"] == pytest.approx(best[0], rel=1e-9), best
    assert r["bound"] == pytest.approx(best[0], rel=1e-9)
    # Cost mode is not service mode: the SL target (80% in 20 s) plays no part.
    service = copy.deepcopy(p)
    service["objective"]["wait_cost"] = None
    assert sp.solve(service)["coverage"] != r["coverage"]


def test_below_the_stability_minimum_heads_are_shortfall(sp):
    """A shortfall priced below the labour it would save is taken, and the
    evaluator charges it against the stability minimum, W at the minimum."""
    p = tiny_problem()
    p["objective"]["under_staffing_cost"] = 5.0
    r = sp.solve(p)
    ev = check(p, r)
    assert r["under_staffing"] > 0 and ev["under_staffing"] == r["under_staffing"]


def test_generated_day_of_15_minute_intervals_is_verifiable(sp):
    from staffplan import synthetic

    fc = synthetic.forecast(days=1, interval=900, peak_volume=60.0, aht=300.0, seed=3)
    p = {"format": "staffplan-problem/1", "interval_minutes": 15, "days": 1, "cyclic": True,
         "demand": {"forecast": {"volume": list(fc.volume), "aht": list(fc.aht),
                                 "shrinkage": 0.3}},
         "shifts": [{"start": f"{h:02d}:00", "length": length, "cost": length / 60 * 25,
                     "breaks": [{"length": 15, "earliest": 90, "latest": 150}]}
                    for h in range(0, 24, 2) for length in (240, 480)],
         "objective": {"under_staffing_cost": 1000, "over_staffing_cost": 1.0,
                       "wait_cost": dict(PRICES)},
         "limits": {"time_limit": 3, "mip_gap": 1e-4, "threads": 2}}
    r = sp.solve(p)
    assert r["status"] in ("optimal", "feasible")
    ev = check(p, r)
    assert r["lp_bound"] <= r["objective"] + 1e-6
    assert ev["under_staffing"] == 0


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(volume=st.lists(st.integers(0, 80), min_size=6, max_size=6),
       low=st.floats(1.0, 60.0), factor=st.floats(1.5, 20.0))
def test_raising_the_price_of_waiting_never_lowers_coverage(sp, volume, low, factor):
    """Shifts without breaks at one cost per hour: labour is proportional to
    total coverage.  For optima x1 at price p1 < p2 and x2 at p2, adding
    the two optimality inequalities gives (p2 - p1) (H2 - H1) <= 0 for the
    waiting hours H, hence labour (and so total coverage) at p2 >= at p1."""
    p = tiny_problem()
    p["demand"]["forecast"]["volume"] = [0] * 8 + volume + [0] * 10
    p["shifts"] = [{"name": f"S{h}-{n}", "start": f"{h:02d}:00", "length": 60 * n,
                    "cost": 20.0 * n} for h in range(7, 14) for n in (2, 3)]
    p["objective"]["under_staffing_cost"] = 10000
    p["objective"]["wait_cost"] = {"per_waiting_hour": low, "per_late_call": 0.0}
    # The IP models W exactly to 1e-6 of W at the minimum (then one tail
    # increment): optimality is claimed within a gap above that.
    p["limits"]["mip_gap"] = 1e-6
    r1 = sp.solve(p)
    p2 = copy.deepcopy(p)
    p2["objective"]["wait_cost"]["per_waiting_hour"] = low * factor
    r2 = sp.solve(p2)
    assert r1["status"] == r2["status"] == "optimal"
    check(p, r1)
    check(p2, r2)
    assert r1["under_staffing"] == r2["under_staffing"] == 0
    assert r2["labor_cost"] >= r1["labor_cost"] - 1e-6
    assert sum(r2["coverage"]) >= sum(r1["coverage"])
    assert r2["wait_cost"] / (low * factor) <= r1["wait_cost"] / low + 1e-9


@pytest.mark.parametrize("edit,field", [
    (lambda p: p["demand"].__setitem__("required", [0] * 24) or p["demand"].pop("forecast"),
     "objective.wait_cost"),
    (lambda p: p["objective"]["wait_cost"].__setitem__("per_wait_hour", 1),
     "objective.wait_cost.per_wait_hour"),
    (lambda p: p["objective"]["wait_cost"].__setitem__("late_after", -1),
     "objective.wait_cost.late_after"),
    (lambda p: p["objective"]["wait_cost"].__setitem__("per_late_call", float("inf")),
     "objective.wait_cost.per_late_call"),
    (lambda p: p["demand"]["forecast"].__setitem__("shrinkage", 1.0),
     "demand.forecast.shrinkage"),
    (lambda p: p["demand"]["forecast"]["volume"].__setitem__(3, -2),
     "demand.forecast.volume[3]"),
    (lambda p: p["demand"]["forecast"].__setitem__("aht", 0), "demand.forecast.aht"),
    (lambda p: p["demand"]["forecast"]["volume"].__setitem__(9, 1e15),
     "demand.forecast.volume"),
])
def test_bad_cost_mode_problems_name_the_key(sp, edit, field):
    p = tiny_problem()
    edit(p)
    with pytest.raises(sp.InputError) as e:
        sp.solve(p)
    assert e.value.field == field, str(e.value)
    assert str(e.value).startswith(field), str(e.value)


@pytest.mark.skipif(shutil.which("glpsol") is None, reason="glpsol is not installed")
def test_glpsol_solves_the_written_cost_mode_model_to_our_optimum(sp, tmp_path):
    p = tiny_problem()
    lp = tmp_path / "cost.lp"
    sp.write_lp(p, lp)
    text = lp.read_text()
    assert "wconst = 1" in text and "y9_1" in text
    out = tmp_path / "sol.txt"
    done = subprocess.run(["glpsol", "--lp", str(lp), "-o", str(out)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout
    line = next(x for x in out.read_text().splitlines() if x.startswith("Objective:"))
    objective = float(line.split("=")[1].split()[0])
    assert objective == pytest.approx(sp.solve(p)["objective"], rel=1e-6)
